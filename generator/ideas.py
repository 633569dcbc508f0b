"""The project-idea bank's facets: which ideas each filter page lists (docs/projects.md).

An idea is filed under every region it fits, its sector, each of its target groups, the band of
its total investment and the band of its direct jobs. Each value that holds at least one idea
gets its own pre-built listing, ``/<lang>/projects/<facet>/<value>/`` (no JavaScript needed), and
``ideas.js`` combines them in the browser from one small data file.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from . import i18n
from .models import ProjectIdea
from .models.project import TargetGroup
from .site import Site

# The facets in the order pages show them; each name is also the URL segment of its listings.
REGIONS, SECTORS, GROUPS, INVESTMENT, JOBS = "regions", "sectors", "groups", "investment", "jobs"
FACETS = (REGIONS, SECTORS, GROUPS, INVESTMENT, JOBS)
# The folders of /<lang>/projects/ that hold listings (and their pager), not ideas: no idea may
# take one of these ids, and the search index does not count them as pages.
LISTING_FOLDERS = frozenset({*FACETS, "page"})

MAD = 100  # centimes in a dirham


@dataclass(frozen=True, slots=True)
class Band:
    """A range of values: ``low`` ≤ value < ``below`` (no upper limit when ``below`` is None)."""

    key: str
    low: int
    below: int | None

    def holds(self, value: int) -> bool:
        return value >= self.low and (self.below is None or value < self.below)


# Total investment (centimes, working capital included) and direct jobs. The first band starts
# at zero so that every idea falls in exactly one band.
INVESTMENT_BANDS = (
    Band("under-100k", 0, 100_000 * MAD),
    Band("100k-500k", 100_000 * MAD, 500_000 * MAD),
    Band("500k-1m", 500_000 * MAD, 1_000_000 * MAD),
    Band("over-1m", 1_000_000 * MAD, None),
)
JOB_BANDS = (Band("1-5", 0, 6), Band("6-15", 6, 16), Band("over-15", 16, None))
BANDS = {INVESTMENT: INVESTMENT_BANDS, JOBS: JOB_BANDS}
GROUP_ORDER: tuple[str, ...] = typing.get_args(TargetGroup)


def band_of(bands: Sequence[Band], value: int) -> Band:
    return next(band for band in bands if band.holds(value))


def values_of(idea: ProjectIdea) -> dict[str, list[str]]:
    """The facet values an idea is filed under."""
    return {
        REGIONS: list(idea.regions),
        SECTORS: [idea.sector],
        GROUPS: list(idea.target_groups),
        INVESTMENT: [band_of(INVESTMENT_BANDS, idea.investment.total).key],
        JOBS: [band_of(JOB_BANDS, idea.jobs.direct).key],
    }


def label(site: Site, facet: str, value: str, lang: str, messages: i18n.Messages) -> Markup:
    """A facet value in words: a region's or sector's name (a fallback marked with its own
    language), a target group, or a band with its bounds formatted for the locale."""
    if facet == REGIONS:
        return i18n.localized(site.regions[value].name, lang)
    if facet == SECTORS:
        return i18n.localized(site.sectors[value].name, lang)

    def ui(key: str, **values: str) -> Markup:
        text, actual = messages.resolve(key, lang)
        return i18n.wrap(text.format(**values), actual, lang)

    if facet == GROUPS:
        return ui(f"target.{value}")
    band = next(b for b in BANDS[facet] if b.key == value)
    if facet == INVESTMENT:

        def amount(centimes: int) -> str:
            return i18n.whole_money(centimes, lang)

        if band.below is None:
            return ui("ideas.investment.from", low=amount(band.low))
        if band.low == 0:
            return ui("ideas.investment.below", high=amount(band.below))
        return ui("ideas.investment.between", low=amount(band.low), high=amount(band.below))
    if band.below is None:
        return ui("ideas.jobs.over", n=i18n.number(band.low - 1, lang))
    low, high = i18n.number(max(band.low, 1), lang), i18n.number(band.below - 1, lang)
    return ui("ideas.jobs.between", low=low, high=high)


@dataclass(frozen=True)
class IdeaIndex:
    ideas: list[ProjectIdea]  # the whole bank, in its order
    # facet → value → its ideas (bank order); only values that hold ideas, in the facet's order
    by_facet: dict[str, dict[str, list[ProjectIdea]]]

    def listing(self, key: str) -> list[ProjectIdea]:
        """The ideas of a listing: ``""`` for the whole bank, ``"<facet>/<value>"`` for one."""
        if not key:
            return self.ideas
        facet, value = key.split("/", 1)
        return self.by_facet[facet][value]

    def listings(self) -> Iterable[str]:
        """Every facet listing, as ``"<facet>/<value>"``."""
        for facet, values in self.by_facet.items():
            for value in values:
                yield f"{facet}/{value}"


def _order(site: Site) -> dict[str, Sequence[str]]:
    return {
        REGIONS: list(site.regions),
        SECTORS: list(site.sectors),
        GROUPS: GROUP_ORDER,
        INVESTMENT: [band.key for band in INVESTMENT_BANDS],
        JOBS: [band.key for band in JOB_BANDS],
    }


def _build(site: Site) -> IdeaIndex:
    ideas = list(site.projects.values())
    found: dict[str, dict[str, list[ProjectIdea]]] = {facet: {} for facet in FACETS}
    for idea in ideas:
        for facet, values in values_of(idea).items():
            for value in values:
                found[facet].setdefault(value, []).append(idea)
    by_facet = {
        facet: {value: found[facet][value] for value in order if value in found[facet]}
        for facet, order in _order(site).items()
    }
    return IdeaIndex(ideas, by_facet)


# One index per build: the planner, every listing page and the fingerprints read the same one
# (a Site is immutable, so its identity is enough to know the index is still right).
_LAST: tuple[Site, IdeaIndex] | None = None


def index(site: Site) -> IdeaIndex:
    global _LAST
    if _LAST is None or _LAST[0] is not site:
        _LAST = (site, _build(site))
    return _LAST[1]
