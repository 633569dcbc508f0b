"""The statistics page's numbers: the published sector figures (checked across entries) and the
figures computed from the catalogue itself (per region, per sector, women and youth)."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from . import charts, i18n
from .charts import ChartText, Datum, Share
from .errors import ErrorReport
from .loader import Sourced
from .models import SectorFigure
from .site import Site

Say = Callable[..., str]  # a UI string in the page's language, with its placeholders filled

FIGURES = "sector_figures"  # the data file, and its kind in Content.failed


def check_figures(
    figures: Mapping[str, Sourced[SectorFigure]],
    failed: set[tuple[str, tuple[str, ...]]],
    report: ErrorReport,
    today: date,
) -> None:
    """What one entry cannot check alone: ``part_of`` names another figure, and is not bigger
    than it; and no figure is dated after the build (a typo in the year, usually)."""
    for src in figures.values():
        figure = src.item
        if figure.as_of > today:
            report.add(
                src.at("as_of"),
                "future-date",
                "`as_of` ({date}) is after today",
                "write the date the figure refers to, as the source gives it",
                date=figure.as_of.isoformat(),
            )
        whole_id = figure.part_of
        if whole_id is None or (FIGURES, (whole_id,)) in failed:
            continue
        whole = figures.get(whole_id)
        if whole is None or whole_id == figure.id:
            others = [key for key in figures if key != figure.id]
            close = difflib.get_close_matches(whole_id, others, n=1, cutoff=0.6)
            report.add(
                src.at("part_of"),
                "unknown-figure",
                "`part_of` names `{whole}`, which is not another figure of this file",
                "did you mean `{close}`?" if close else "use the id of the figure it is part of",
                whole=whole_id,
                close=close[0] if close else "",
            )
        elif figure.value > whole.item.value:
            report.add(
                src.at("value"),
                "part-larger-than-whole",
                "{value} is larger than `{whole}` ({whole_value}), which it is part of",
                "check both numbers against the source",
                value=figure.value,
                whole=whole_id,
                whole_value=whole.item.value,
            )


@dataclass(frozen=True)
class CatalogueFigures:
    """Counts over what this site publishes (not the sector: a catalogue holds a part of it).
    Keys follow the data files' order; every region and every sector used anywhere is listed."""

    cooperatives_by_region: dict[str, int]
    products_by_region: dict[str, int]
    ideas_by_region: dict[str, int]
    cooperatives_by_sector: dict[str, int]
    products_by_sector: dict[str, int]
    ideas_by_sector: dict[str, int]
    cooperatives: int
    women_led: int
    youth_led: int
    members: int
    women_members: int
    youth_members: int

    def fingerprint(self) -> str:
        return repr(self)


def catalogue_figures(site: Site) -> CatalogueFigures:
    """One pass over cooperatives and ideas; per-region lists are already in the Site."""
    coops = site.cooperatives.values()
    coops_by_sector = Counter(c.sector for c in coops)
    products_by_sector: Counter[str] = Counter()
    for coop in coops:
        products_by_sector[coop.sector] += len(site.products_by_cooperative.get(coop.id, []))
    ideas_by_sector = Counter(idea.sector for idea in site.projects.values())
    used = coops_by_sector.keys() | ideas_by_sector.keys()
    sectors = [key for key in site.sectors if key in used]
    return CatalogueFigures(
        cooperatives_by_region={
            key: len(site.cooperatives_by_region.get(key, [])) for key in site.regions
        },
        products_by_region={key: len(site.products_by_region.get(key, [])) for key in site.regions},
        ideas_by_region={key: len(site.projects_by_region.get(key, [])) for key in site.regions},
        cooperatives_by_sector={key: coops_by_sector[key] for key in sectors},
        products_by_sector={key: products_by_sector[key] for key in sectors},
        ideas_by_sector={key: ideas_by_sector[key] for key in sectors},
        cooperatives=len(site.cooperatives),
        women_led=sum(1 for c in coops if c.women_led),
        youth_led=sum(1 for c in coops if c.youth_led),
        members=sum(c.members.total for c in coops),
        women_members=sum(c.members.women for c in coops),
        youth_members=sum(c.members.youth for c in coops),
    )


# -- the page --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureCard:
    figure: SectorFigure
    share: str  # "34,5 %" of the figure it is part of, or ""
    whole: str  # that figure's label


def page(site: Site, lang: str, say: Say, region_url: Callable[[str], str]) -> dict[str, Any]:
    """The statistics page's context: the published figures, then the catalogue's charts."""
    figures = site.sector_figures
    cards = []
    for figure in figures.values():
        whole = figures.get(figure.part_of or "")
        cards.append(
            FigureCard(
                figure,
                charts.percent(figure.value, whole.value, lang) if whole else "",
                i18n.plain(whole.label, lang) if whole else "",
            )
        )
    counts = catalogue_figures(site)
    regions = site.regions.values()

    def by_region(values: dict[str, int], short: bool = False) -> list[Datum]:
        return [
            Datum(
                i18n.plain(g.name, lang),
                values[g.id],
                key=g.iso_3166_2,
                short=i18n.plain(g.seat, lang) if short else "",
                href=region_url(g.id),
            )
            for g in regions
        ]

    def by_sector(values: dict[str, int]) -> list[Datum]:
        return [Datum(i18n.plain(site.sectors[k].name, lang), n) for k, n in values.items()]

    def text(
        ident: str, title: str, data: list[Datum], *headers: str, extra: str = ""
    ) -> ChartText:
        return ChartText(
            ident,
            title,
            _describe(data, lang, say, extra),
            say("stats.table", title=title),
            headers,
        )

    region, seat, sector = say("regions.region"), say("regions.seat"), say("stats.sector")
    coops, products, ideas = say("nav.cooperatives"), say("regions.products"), say("nav.projects")
    coop_map = by_region(counts.cooperatives_by_region, short=True)
    map_title = say("stats.chart.coops_region")
    region_charts = [
        charts.tile_map(
            text(
                "chart-coops-region",
                map_title,
                coop_map,
                region,
                seat,
                coops,
                extra=say("stats.desc.map"),
            ),
            coop_map,
            lang,
            coops,
        )
    ]
    for ident, key, values, header, extra in (
        ("chart-products-region", "products_region", counts.products_by_region, products, ""),
        # an idea names every region it suits, so the regions' sum can exceed the ideas
        (
            "chart-ideas-region",
            "ideas_region",
            counts.ideas_by_region,
            ideas,
            say("stats.desc.ideas_regions"),
        ),
    ):
        data = by_region(values)
        title = say(f"stats.chart.{key}")
        chart = text(ident, title, data, region, header, extra=extra)
        region_charts.append(charts.bar_chart(chart, data, lang))
    sector_charts = []
    if counts.cooperatives_by_sector:
        for ident, key, values, header in (
            ("chart-coops-sector", "coops_sector", counts.cooperatives_by_sector, coops),
            ("chart-products-sector", "products_sector", counts.products_by_sector, products),
            ("chart-ideas-sector", "ideas_sector", counts.ideas_by_sector, ideas),
        ):
            data = by_sector(values)
            title = say(f"stats.chart.{key}")
            sector_charts.append(
                charts.bar_chart(text(ident, title, data, sector, header), data, lang)
            )
    return {
        "figures": cards,
        "national_charts": _national_shares(site, lang, say),
        "region_charts": region_charts,
        "sector_charts": sector_charts,
        "catalogue_shares": _catalogue_shares(counts, lang, say),
        "counts": counts,
    }


def _describe(data: list[Datum], lang: str, say: Say, extra: str = "") -> str:
    """The chart in one or two sentences: the total, the highest and the lowest value."""
    if not any(d.value for d in data):
        summary = say("stats.desc.empty")
    else:
        top = max(data, key=lambda d: d.value)  # the first of equals, in the chart's order
        bottom = min(data, key=lambda d: d.value)
        summary = say(
            "stats.desc.bars",
            total=i18n.number(sum(d.value for d in data), lang),
            top=top.label,
            top_value=i18n.number(top.value, lang),
            bottom=bottom.label,
            bottom_value=i18n.number(bottom.value, lang),
        )
    return f"{summary} {extra}".strip()


def _shares_text(shares: list[Share], lang: str, say: Say) -> str:
    return (
        say("stats.desc.sep").join(
            say(
                "stats.desc.share",
                label=s.label,
                share=charts.percent(s.part, s.whole, lang),
                of=say(
                    "stats.of",
                    part=i18n.number(s.part, lang),
                    whole=i18n.number(s.whole, lang),
                ),
            )
            for s in shares
        )
        + "."
    )


def _share_headers(say: Say) -> tuple[str, ...]:
    return tuple(say(f"stats.col.{c}") for c in ("group", "share", "count", "total"))


def _national_shares(site: Site, lang: str, say: Say) -> list[Markup]:
    """One share chart per figure that others are part of (members: women, young people)."""
    figures = site.sector_figures
    out = []
    for whole in figures.values():
        parts = [f for f in figures.values() if f.part_of == whole.id and f.id != whole.id]
        if not parts or whole.value <= 0:
            continue
        shares = [Share(i18n.plain(f.label, lang), f.value, whole.value) for f in parts]
        title = say("stats.shares_title", whole=i18n.plain(whole.label, lang))
        source = say(
            "stats.desc.source", source=whole.source.name, date=i18n.long_date(whole.as_of, lang)
        )
        chart = ChartText(
            f"chart-share-{whole.id}",
            title,
            f"{_shares_text(shares, lang, say)} {source}",
            say("stats.table", title=title),
            _share_headers(say),
        )
        out.append(charts.share_chart(chart, shares, lang, say("stats.of")))
    return out


def _catalogue_shares(counts: CatalogueFigures, lang: str, say: Say) -> Markup | None:
    if counts.cooperatives == 0:
        return None
    shares = [
        Share(say("stats.share.women_led"), counts.women_led, counts.cooperatives),
        Share(say("stats.share.youth_led"), counts.youth_led, counts.cooperatives),
        Share(say("stats.share.women_members"), counts.women_members, counts.members),
        Share(say("stats.share.youth_members"), counts.youth_members, counts.members),
    ]
    title = say("stats.chart.catalogue_shares")
    chart = ChartText(
        "chart-share-catalogue",
        title,
        _shares_text(shares, lang, say),
        say("stats.table", title=title),
        _share_headers(say),
    )
    return charts.share_chart(chart, shares, lang, say("stats.of"))
