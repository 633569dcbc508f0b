"""What the idea bank's pages show: the listings (the whole bank and one per facet value), the
data file ideas.js combines them from, and an idea's page (docs/projects.md)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from . import i18n, ideas
from .models import Image
from .site import Site
from .urls import PageSpec

if TYPE_CHECKING:
    from .render import Renderer

# The listings' sidebar is the same on every page of a language: made once per build.
_SIDEBAR: tuple[Site, dict[str, list[dict[str, Any]]]] | None = None


def sidebar(r: Renderer, lang: str) -> list[dict[str, Any]]:
    """Every facet with its values (those that hold ideas), their labels, counts and URLs."""
    global _SIDEBAR
    if _SIDEBAR is None or _SIDEBAR[0] is not r.site:
        _SIDEBAR = (r.site, {})
    found = _SIDEBAR[1].get(lang)
    if found is None:
        bank = ideas.index(r.site)
        found = _SIDEBAR[1][lang] = [
            {
                "facet": facet,
                "name": r.msg(f"ideas.facet.{facet}", lang),
                "values": [
                    {
                        "value": value,
                        "label": (
                            label := ideas.label(r.site, facet, value, lang, r.theme.messages)
                        ),
                        "plain": label.striptags(),
                        "count": len(listed),
                        "url": r.plan.url("projects_facet", f"{facet}/{value}", lang),
                    }
                    for value, listed in values.items()
                ],
            }
            for facet, values in bank.by_facet.items()
        ]
    return found


def listing(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """One page of the whole bank (``projects``) or of one facet value (``projects_facet``)."""
    site, lang = r.site, spec.lang
    listed = ideas.index(site).listing(spec.key)
    per = site.config.items_per_page
    start = (spec.page_no - 1) * per
    title = r.msg("nav.projects", lang)
    crumbs: list[tuple[str, str]] = [(title, r.plan.url("projects", "", lang))]
    facet, value = spec.key.split("/", 1) if spec.key else ("", "")
    heading = i18n.wrap(title, lang, lang)
    if facet:
        name = ideas.label(site, facet, value, lang, r.theme.messages)
        facet_name = r.msg(f"ideas.facet.{facet}", lang)
        text, actual = r.theme.messages.resolve("ideas.heading", lang)
        heading = Markup(i18n.wrap(text, actual, lang)).format(facet=facet_name, value=name)
        crumb = r.msg("ideas.crumb", lang).format(facet=facet_name, value=name.striptags())
        crumbs.append((crumb, spec.url))
    return {
        "items": listed[start : start + per],
        "total": len(listed),
        "page_no": spec.page_no,
        "page_count": spec.page_count,
        "facet": facet,
        "value": value,
        "heading": heading,
        "facets": sidebar(r, lang),
        "data_file": r.plan.url("projects_data", "", lang),
        "breadcrumbs": r.crumb(spec, *crumbs),
    }


def data(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """``/<lang>/projects/ideas.json``: what ideas.js needs to combine the facets. ``facets``:
    ``[facet, [[value, label], …]]`` in the listings' order; ``ideas``: one row per idea in the
    bank's order, ``[url, title, investment text, direct jobs text, [image, width, height] or
    [], [[value index, …] per facet]]``."""
    site, lang = r.site, spec.lang
    bank = ideas.index(site)
    facets = [
        [facet, [[v["value"], v["plain"]] for v in group["values"]]]
        for facet, group in zip(bank.by_facet, sidebar(r, lang), strict=True)
    ]
    places = {
        facet: {value: n for n, value in enumerate(vs)} for facet, vs in bank.by_facet.items()
    }
    rows = []
    for idea in bank.ideas:
        filed = ideas.values_of(idea)
        rows.append(
            [
                r.plan.url("project", idea.id, lang),
                i18n.plain(idea.title, lang),
                i18n.money(idea.investment.total, lang),
                i18n.number(idea.jobs.direct, lang),
                _thumb(r, idea.image),
                [[places[f][v] for v in filed[f] if v in places[f]] for f in ideas.FACETS],
            ]
        )
    payload = {"v": 1, "per_page": site.config.items_per_page, "facets": facets, "ideas": rows}
    return {"json_text": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))}


def _thumb(r: Renderer, image: Image | None) -> list[Any]:
    """The smallest variant of an idea's picture (an SVG as is), with its intrinsic size."""
    if image is None:
        return []
    found = r.image(image)
    return [found["thumb"], found["width"], found["height"]]


def idea(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """An idea's page: everything its sheet shows, with the links to the bank's listings."""
    site, lang = r.site, spec.lang
    item = site.projects[spec.key]
    courses = {key: tree.course for key, tree in site.courses.items()}

    def facet_url(facet: str, value: str) -> str:
        return r.plan.url("projects_facet", f"{facet}/{value}", lang)

    return {
        "idea": item,
        "body": r.body("project", item.id, lang),
        "regions": [(site.regions[g], facet_url(ideas.REGIONS, g)) for g in item.regions],
        "sector": site.sectors[item.sector],
        "sector_url": facet_url(ideas.SECTORS, item.sector),
        "groups": [(g, facet_url(ideas.GROUPS, g)) for g in item.target_groups],
        "funding": [site.funding[f] for f in item.funding],
        "skills": [(skill, courses.get(skill.course or "")) for skill in item.skills],
        "courses": [courses[c] for c in item.courses if c in courses],
        "breadcrumbs": r.crumb(
            spec,
            (r.msg("nav.projects", lang), r.plan.url("projects", "", lang)),
            (item.title, spec.url),
        ),
    }
