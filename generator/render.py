"""Render one planned page: build its context (a view per kind) and fill its template."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from . import (
    academypages,
    catalogue,
    i18n,
    ideapages,
    jsonld,
    offline,
    rating,
    regionfigures,
    sellform,
    stats,
)
from .bodymedia import LessonMedia
from .images import ImageStore
from .markdown import render as markdown
from .models import Cooperative, Image, LocalizedText, direction
from .searchwords import search_aliases
from .site import NEWEST, ORDERS, Site
from .theme import Theme
from .urls import PageSpec, Plan

View = Callable[["Renderer", PageSpec], dict[str, Any]]
# Cards kept per process; past this many the cache starts again (about 1 KB each).
CARD_CACHE_SIZE = 40_000
VIEWS: dict[str, View] = {}


def view(*kinds: str) -> Callable[[View], View]:
    def register(fn: View) -> View:
        for kind in kinds:
            VIEWS[kind] = fn
        return fn

    return register


class Renderer:
    def __init__(
        self, site: Site, plan: Plan, theme: Theme, *, images: ImageStore | None = None
    ) -> None:
        self.site = site
        self.plan = plan
        self.theme = theme
        # Shared with the build's publish step so variants are inspected once; a store of our own
        # (no persistent cache) keeps `Renderer(site, plan, theme)` working for tests and tools.
        self.images = images if images is not None else ImageStore(site.content_root, None)
        self._helpers: dict[str, dict[str, Any]] = {}
        self._cards: dict[tuple[str, str, str, str, bool], Markup] = {}
        self._facets: dict[str, Any] | None = None  # every listing's sidebar: made once

    def facets(self) -> dict[str, Any]:
        """The facets every market listing shows, with their counts (the same on every page)."""
        if self._facets is None:
            self._facets = _facets(self.site)
        return self._facets

    # -- helpers available to views and templates ----------------------------------------------

    def absolute(self, url: str) -> str:
        return self.site.config.base_url + url

    def body(self, kind: str, key: str, lang: str) -> Markup:
        """The long text in ``lang`` (or its fallback, marked with its own lang and dir)."""
        sources = self.site.bodies.get((kind, key), {})
        for candidate in i18n.fallback_chain(lang):
            if candidate in sources:
                media = LessonMedia(self.images) if kind == "lesson" else None
                html = markdown(sources[candidate].text(), media)
                if candidate == lang:
                    return html
                return (
                    Markup('<div lang="{}" dir="{}">').format(candidate, direction(candidate))
                    + html
                    + Markup("</div>")
                )
        return Markup("")

    def helpers(self, lang: str) -> dict[str, Any]:
        """What every template sees in ``lang`` (formatters, UI strings, URLs, cards): built
        once per language, not once per page."""
        found = self._helpers.get(lang)
        if found is not None:
            return found
        messages = self.theme.messages
        strings: dict[str, Markup] = {}

        def ui(key: str, **values: Any) -> Markup:
            if not values:  # most strings have no placeholders: escape each once per language
                found = strings.get(key)
                if found is None:
                    found = strings[key] = i18n.wrap(*messages.resolve(key, lang), lang)
                return found
            text, actual = messages.resolve(key, lang)
            return i18n.wrap(text.format(**values), actual, lang)

        def ui_plain(key: str, **values: Any) -> str:
            text = messages.resolve(key, lang)[0]
            return text.format(**values) if values else text

        def url(kind: str, key: str = "", page_no: int = 1, order: str = NEWEST) -> str:
            return self.plan.url(kind, key, lang, page_no, order)

        found = self._helpers[lang] = {
            "site": self.site,
            "config": self.site.config,
            "lang": lang,
            "dir": direction(lang),
            "t": lambda text: i18n.localized(text, lang),
            "tt": lambda text: i18n.plain(text, lang),
            "search_aliases": lambda *texts: search_aliases(texts, lang),
            "_": ui,
            "_a": ui_plain,
            "url": url,
            "has_page": self.plan.has,
            "money": lambda c: i18n.money(c, lang),
            "number": lambda n: i18n.number(n, lang),
            "percent": lambda share: i18n.percent(share, lang),
            "pager_window": pager_window,
            "date": lambda d: i18n.long_date(d, lang),
            "month": lambda m: i18n.month_name(m, lang),
            "image": self.image,
            "product_region": self.site.product_region,
            "product_card": lambda p, heading="h3", eager=False: self.card(
                "product", p, lang, heading, eager
            ),
            "coop_card": lambda c, heading="h3": self.card("cooperative", c, lang, heading, False),
        }
        return found

    def card(self, kind: str, item: Any, lang: str, heading: str, eager: bool) -> Markup:
        """A product's or cooperative's card, rendered once per build and language and reused
        by every listing, region, cooperative and product page that shows it (a product's card
        appears on eight pages or more)."""
        key = (kind, item.id, lang, heading, eager)
        found = self._cards.get(key)
        if found is None:
            if len(self._cards) >= CARD_CACHE_SIZE:
                self._cards.clear()  # bounded memory on a national catalogue
            found = self._cards[key] = Markup(
                self.theme.env.get_template("card.html").render(
                    self.helpers(lang), kind=kind, item=item, heading=heading, eager=eager
                )
            )
        return found

    def render(self, spec: PageSpec) -> str:
        lang = spec.lang
        ctx = VIEWS[spec.kind](self, spec)
        alternates = self.plan.languages(spec.kind, spec.key, spec.page_no, spec.order)
        crumbs: list[tuple[str, str]] = ctx.pop("breadcrumbs", [])
        ld: list[dict[str, Any]] = ctx.pop("jsonld", [])
        if crumbs:
            ld.append(jsonld.breadcrumbs([(name, self.absolute(u)) for name, u in crumbs]))
        return self.theme.env.get_template(spec.template).render(
            self.helpers(lang),
            page=spec,
            canonical=self.absolute(spec.url),
            alternates=[(code, self.absolute(u)) for code, u in alternates.items()],
            x_default=self.absolute(alternates.get(self.site.config.default_language, spec.url)),
            language_links=[(code, i18n.LANGUAGE_NAMES[code], u) for code, u in alternates.items()],
            breadcrumbs=crumbs,
            jsonld=Markup("").join(jsonld.script(d) for d in ld),
            **ctx,
        )

    def render_chooser(self) -> str:
        """The root page: pick a language (plain links; a tiny script follows the browser's)."""
        config = self.site.config
        choices = [
            (
                lang,
                i18n.LANGUAGE_NAMES[lang],
                self.plan.url("home", "", lang),
                i18n.plain(config.tagline, lang),
            )
            for lang in config.full_languages
        ]
        return self.theme.env.get_template("choose.html").render(
            config=config,
            choices=choices,
            default=config.default_language,
            canonical=config.base_url + "/",
            title=" · ".join(i18n.plain(config.title, lang) for lang in config.full_languages),
        )

    def image(self, img: Image) -> dict[str, Any]:
        """What the `picture` macro needs: URLs of the variants, srcsets, intrinsic size, alt."""
        return self.images.picture(img)

    def crumb(
        self, spec: PageSpec, *trail: tuple[LocalizedText | str, str]
    ) -> list[tuple[str, str]]:
        home = (
            self.theme.messages.resolve("nav.home", spec.lang)[0],
            self.plan.url("home", "", spec.lang),
        )
        return [
            home,
            *(
                (i18n.plain(n, spec.lang) if isinstance(n, LocalizedText) else n, u)
                for n, u in trail
            ),
        ]

    def msg(self, key: str, lang: str) -> str:
        return self.theme.messages.resolve(key, lang)[0]


def pager_window(page_no: int, page_count: int, around: int = 2) -> list[int | None]:
    """Page numbers a pager shows: the first, the last and ``around`` either side of the current
    one, with None where numbers are left out (a gap of one page shows that page instead)."""
    shown = {1, page_count, *range(max(1, page_no - around), min(page_count, page_no + around) + 1)}
    window: list[int | None] = []
    previous = 0
    for n in sorted(shown):
        if n - previous == 2:
            window.append(n - 1)
        elif n - previous > 2:
            window.append(None)
        window.append(n)
        previous = n
    return window


# -- views -------------------------------------------------------------------------------------


@view("home")
def _home(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    site = r.site
    return {
        "featured": site.products_newest_first[:8],
        "categories": [
            (c, len(site.products_by_category.get(c.id, [])))
            for c in site.categories.values()
            if site.products_by_category.get(c.id)
        ],
        "regions": list(site.regions.values()),
        "ideas": list(site.projects.values())[:3],
        "courses": [tree.course for tree in site.courses.values()],
        "stats": {
            "cooperatives": len(site.cooperatives),
            "products": len(site.products),
            "projects": len(site.projects),
            "courses": len(site.courses),
        },
        "jsonld": [
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": i18n.plain(site.config.title, spec.lang),
                "url": r.absolute(spec.url),
                "inLanguage": spec.lang,
            }
        ],
    }


def _listing(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """What every market listing shows: one page of its products in the page's order, the links
    to its other orders, and the facets (each a pre-built listing) with their counts."""
    site = r.site
    products = site.listing(spec.kind, spec.key, spec.order)
    per = site.config.items_per_page
    start = (spec.page_no - 1) * per
    return {
        "items": products[start : start + per],
        "total": len(products),
        "page_no": spec.page_no,
        "page_count": spec.page_count,
        "order": spec.order,
        "facets_file": r.plan.url("facet_cells", "", spec.lang),
        "orders": [
            (order, r.plan.url(spec.kind, spec.key, spec.lang, 1, order)) for order in ORDERS
        ],
        "facets": r.facets(),
    }


def _facets(site: Site) -> dict[str, Any]:
    return {
        "categories": [
            (c, len(site.products_by_category[c.id]))
            for c in site.categories.values()
            if site.products_by_category.get(c.id)
        ],
        "regions": [
            (g, len(site.products_by_region[g.id]))
            for g in site.regions.values()
            if site.products_by_region.get(g.id)
        ],
        "labels": [
            (lb, len(site.products_by_label[lb.id]))
            for lb in site.labels.values()
            if site.products_by_label.get(lb.id)
        ],
        "makers": [
            (kind, len(products))
            for kind, products in (
                ("women_led", site.products_women_led),
                ("youth_led", site.products_youth_led),
            )
            if products
        ],
    }


@view("market")
def _market(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    ctx = _listing(r, spec)
    ctx["heading"] = r.msg("market.title", spec.lang)
    ctx["breadcrumbs"] = r.crumb(spec, (ctx["heading"], spec.url))
    return ctx


def _named_listing(r: Renderer, spec: PageSpec, name: LocalizedText | str) -> dict[str, Any]:
    """A listing under the market: a category's, a label's, a region's, or the products of
    women-led or youth-led cooperatives (``name`` is then a UI string)."""
    ctx = _listing(r, spec)
    if isinstance(name, str):
        ctx["heading"] = name
    else:
        ctx["heading"] = i18n.plain(name, spec.lang)
        ctx["heading_text"] = name
    ctx["breadcrumbs"] = r.crumb(
        spec,
        (r.msg("market.title", spec.lang), r.plan.url("market", "", spec.lang)),
        (name, spec.url),
    )
    return ctx


@view("women_led", "youth_led")
def _makers(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    ctx = _named_listing(r, spec, r.msg(f"market.{spec.kind}", spec.lang))
    ctx["maker_kind"] = spec.kind
    return ctx


@view("category")
def _category(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    category = r.site.categories[spec.key]
    return _named_listing(r, spec, category.name)


@view("label")
def _label(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    label = r.site.labels[spec.key]
    ctx = _named_listing(r, spec, label.name)
    ctx["label"] = label
    return ctx


@view("region_market")
def _region_market(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    region = r.site.regions[spec.key]
    return _named_listing(r, spec, region.name)


@view("regions")
def _regions(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    site = r.site
    rows = [
        (
            g,
            len(site.cooperatives_by_region.get(g.id, [])),
            len(site.products_by_region.get(g.id, [])),
            len(site.projects_by_region.get(g.id, [])),
        )
        for g in site.regions.values()
    ]
    return {"rows": rows, "breadcrumbs": r.crumb(spec, (r.msg("nav.regions", spec.lang), spec.url))}


# How many cooperatives and products a region page shows; the rest are one link away, on the
# region's paginated listings (a region of the national catalogue has tens of thousands).
REGION_PREVIEW = 12


@view("region")
def _region(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    site = r.site
    region = site.regions[spec.key]
    coops = site.cooperatives_by_region.get(region.id, [])
    products = site.products_by_region.get(region.id, [])
    return {
        "region": region,
        "cooperatives": coops[:REGION_PREVIEW],
        "cooperative_count": len(coops),
        "products": products[:REGION_PREVIEW],
        "product_count": len(products),
        "ideas": site.projects_by_region.get(region.id, []),
        "figures": regionfigures.figures(site, region.id),
        "breadcrumbs": r.crumb(
            spec,
            (r.msg("nav.regions", spec.lang), r.plan.url("regions", "", spec.lang)),
            (region.name, spec.url),
        ),
    }


def _coop_listing(r: Renderer, spec: PageSpec, coops: list[Cooperative]) -> dict[str, Any]:
    per = r.site.config.items_per_page
    start = (spec.page_no - 1) * per
    return {
        "cooperatives": coops[start : start + per],
        "total": len(coops),
        "page_no": spec.page_no,
        "page_count": spec.page_count,
    }


@view("cooperatives")
def _cooperatives(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    ctx = _coop_listing(r, spec, r.site.cooperatives_by_region_order)
    ctx["breadcrumbs"] = r.crumb(spec, (r.msg("nav.cooperatives", spec.lang), spec.url))
    return ctx


@view("region_cooperatives")
def _region_cooperatives(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    region = r.site.regions[spec.key]
    ctx = _coop_listing(r, spec, r.site.cooperatives_by_region[spec.key])
    ctx["region"] = region
    ctx["breadcrumbs"] = r.crumb(
        spec,
        (r.msg("nav.regions", spec.lang), r.plan.url("regions", "", spec.lang)),
        (region.name, r.plan.url("region", region.id, spec.lang)),
        (r.msg("nav.cooperatives", spec.lang), spec.url),
    )
    return ctx


@view("cooperative")
def _cooperative(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    site = r.site
    coop = site.cooperatives[spec.key]
    url = r.absolute(spec.url)
    return {
        "coop": coop,
        "region": site.regions[coop.region],
        "sector": site.sectors[coop.sector],
        "story": r.body("cooperative", coop.id, spec.lang),
        "products": site.products_by_cooperative.get(coop.id, []),
        "claims": [(claim, site.labels[claim.label]) for claim in coop.labels],
        "rating": site.ratings[coop.id],
        "programs": [site.funding[program] for program in coop.programs],
        "breadcrumbs": r.crumb(
            spec,
            (r.msg("nav.cooperatives", spec.lang), r.plan.url("cooperatives", "", spec.lang)),
            (coop.name, spec.url),
        ),
        "jsonld": [jsonld.organization(site, coop, spec.lang, url)],
    }


@view("product")
def _product(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    site = r.site
    product = site.products[spec.key]
    coop = site.cooperatives[product.cooperative]
    category = site.categories[product.category]
    claims = {c.label: c for c in coop.labels}
    image_url = r.absolute(r.image(product.images[0])["share"])
    return {
        "product": product,
        "coop": coop,
        "category": category,
        "region": site.regions[site.product_region(product)],
        "description": r.body("product", product.id, spec.lang),
        "claims": [
            (claims[label], site.labels[label]) for label in product.labels if label in claims
        ],
        "onssa_number": site.onssa_number(product) if category.is_food else None,
        "related": [p for p in site.products_by_cooperative.get(coop.id, []) if p.id != product.id][
            :4
        ],
        "breadcrumbs": r.crumb(
            spec,
            (r.msg("market.title", spec.lang), r.plan.url("market", "", spec.lang)),
            (category.name, r.plan.url("category", category.id, spec.lang)),
            (product.name, spec.url),
        ),
        "jsonld": [jsonld.product(site, product, spec.lang, r.absolute(spec.url), image_url)],
    }


# Pages whose context is made by their own module, registered as they are.
view("projects", "projects_facet")(ideapages.listing)
view("projects_data")(ideapages.data)
view("project")(ideapages.idea)
view("academy", "academy_filter")(academypages.catalogue)
view("course")(academypages.course)
view("lesson")(academypages.lesson)
view("module")(academypages.module)
view("attestation")(academypages.attestation)
view("sell")(sellform.view)
view("sell_schema")(sellform.schema_file)


@view("page")
def _page(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    page = r.site.pages[spec.key]
    return {
        "content_page": page,
        "body": r.body("page", page.id, spec.lang),
        "breadcrumbs": r.crumb(spec, (page.title, spec.url)),
    }


@view("rating")
def _rating(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """How the cooperative rating is computed: made from the same criteria as the ratings."""
    criteria: dict[str, list[rating.Criterion]] = {}
    for criterion in rating.CRITERIA:
        criteria.setdefault(criterion.dimension, []).append(criterion)
    return {
        "version": rating.METHOD_VERSION,
        "min_coverage": rating.MIN_COVERAGE,
        "bands": rating.BANDS,
        "dimensions": [
            (dimension, items, sum(c.points for c in items))
            for dimension, items in criteria.items()
        ],
        "breadcrumbs": r.crumb(spec, (r.msg("rating.page_title", spec.lang), spec.url)),
    }


@view("stats")
def _stats(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """The sector in figures: published figures with their sources, and the catalogue's charts."""
    lang = spec.lang
    ctx = stats.page(
        r.site, lang, r.helpers(lang)["_a"], lambda region: r.plan.url("region", region, lang)
    )
    ctx["breadcrumbs"] = r.crumb(spec, (r.msg("stats.title", lang), spec.url))
    return ctx


@view("catalogue_shard")
def _catalogue_shard(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    return {"json_text": _json(catalogue.cooperative_shard(r.site, r.plan, spec.key))}


@view("course_offline")
def _course_offline(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    return {"json_text": _json(offline.course_manifest(r, spec))}


@view("service_worker")
def _service_worker(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    return offline.service_worker(r, spec)


@view("offline")
def _offline(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """The page the service worker shows for a page it does not have offline; offline.js lists
    the downloaded courses and the pages visited recently."""
    return {"breadcrumbs": r.crumb(spec, (r.msg("offline.title", spec.lang), spec.url))}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# The most products one combination of facets may fetch in the browser (about 115 KB compressed
# on the benchmark corpus); beyond it facets.js asks for a category or a region first.
FACET_FETCH_LIMIT = 5_000


@view("facet_cells")
def _facet_cells(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """``/<lang>/market/facets/cells.json``: what facets.js needs before fetching products: the
    facet values and, per category × region cell, how many products it holds."""
    site, lang = r.site, spec.lang
    return {
        "json_text": _json(
            {
                "v": 1,
                "per_page": site.config.items_per_page,
                "limit": FACET_FETCH_LIMIT,
                "categories": [[k, i18n.plain(c.name, lang)] for k, c in site.categories.items()],
                "regions": [[k, i18n.plain(g.name, lang)] for k, g in site.regions.items()],
                "labels": [[k, i18n.plain(lb.name, lang)] for k, lb in site.labels.items()],
                "cells": {f"{c}/{g}": len(products) for (c, g), products in site.cells().items()},
            }
        )
    }


@view("facets")
def _facet_cell(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """``/<lang>/market/facets/<category>/<region>.json``: one cell's products, newest first,
    as facets.js shows them. Rows: [rank in the market, URL, name, price text, lowest price,
    [labels], flags (1 women-led, 2 youth-led), cooperative, thumbnail]."""
    site, lang = r.site, spec.lang
    category, region = spec.key.split("/")
    labels = {key: n for n, key in enumerate(site.labels)}
    rows = []
    for product in site.cells()[(category, region)]:
        coop = site.cooperatives[product.cooperative]
        rows.append(
            [
                site.newest_rank(product.id),
                r.plan.url("product", product.id, lang),
                i18n.plain(product.name, lang),
                i18n.money(product.min_price, lang),
                product.min_price,
                [labels[label] for label in product.labels],
                (1 if coop.women_led else 0) | (2 if coop.youth_led else 0),
                i18n.plain(coop.name, lang),
                r.image(product.images[0])["thumb"],
            ]
        )
    return {"json_text": _json(rows)}


@view("cart", "order")
def _cart(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """The cart and the order-status pages: shells that cart.js fills in the browser (the cart
    lives in the buyer's localStorage; an order is read from the checkout service)."""
    config = r.site.config
    privacy = "privacy" in r.site.pages
    messages = r.theme.messages
    # The order form's region choice (the checkout service requires it): in the regions' order,
    # each name in the page's language or its fallback, marked with its own lang and dir.
    regions = []
    for region in sorted(r.site.regions.values(), key=lambda g: g.order):
        name, actual = region.name.resolve(spec.lang)
        regions.append({"id": region.id, "name": name, "lang": actual, "dir": direction(actual)})
    return {
        "regions": regions,
        "strings": {
            key[len("cart.js.") :]: messages.resolve(key, spec.lang)[0]
            for key in messages.keys_with_prefix("cart.js.")
        },
        "checkout_url": config.checkout_url or "",
        "card_payments": config.card_payments and bool(config.checkout_url),
        "privacy_url": r.plan.url("page", "privacy", spec.lang) if privacy else "",
        "breadcrumbs": r.crumb(spec, (r.msg(f"{spec.kind}.title", spec.lang), spec.url)),
    }


@view("search")
def _search(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """The search page: Pagefind does the searching in the browser; the context only carries the
    category links that stand in for it without JavaScript."""
    site = r.site
    return {
        "categories": [
            (c, len(site.products_by_category[c.id]))
            for c in site.categories.values()
            if site.products_by_category.get(c.id)
        ],
        "breadcrumbs": r.crumb(spec, (r.msg("search.title", spec.lang), spec.url)),
    }


@view("not_found")
def _not_found(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    return {}
