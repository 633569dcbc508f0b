"""The one URL and output-path policy: which pages exist, in which languages, at which paths."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import academy, ideas
from .errors import ErrorReport, SourceLocation, display_path
from .models import LocalizedText
from .models.common import FALLBACKS
from .site import NEWEST, ORDERS, PRICE_HIGH, PRICE_LOW, Site

RESERVED_TOP = {
    "market",
    "products",
    "cooperatives",
    "regions",
    "projects",
    "academy",
    "static",
    "media",
    "search",
    "rating",
    "stats",
    "cart",
    "order",
    "pagefind",
    "offline",
    "sell",
}


# Where a listing's other orders live, under the listing's own path.
ORDER_PATHS = {NEWEST: "", PRICE_LOW: "price-low/", PRICE_HIGH: "price-high/"}


@dataclass(frozen=True, slots=True)  # slots: a national catalogue plans 550,000 of them
class PageSpec:
    kind: str  # home, market, product, cooperative, region, …
    key: str  # the entity id ("" for singletons; "course/lesson" for lessons)
    lang: str
    url: str  # "/ar/products/x/"
    template: str
    source: str  # the content file it comes from (for collision messages)
    page_no: int = 1
    page_count: int = 1
    order: str = NEWEST  # market listings: the order the products are shown in

    @property
    def output(self) -> str:
        return self.url.lstrip("/") + ("index.html" if self.url.endswith("/") else "")


@dataclass
class Plan:
    pages: list[PageSpec] = field(default_factory=list)
    # (kind, key, page_no, order) → {lang: url}
    index: dict[tuple[str, str, int, str], dict[str, str]] = field(default_factory=dict)

    def add(self, spec: PageSpec) -> None:
        self.pages.append(spec)
        place = (spec.kind, spec.key, spec.page_no, spec.order)
        self.index.setdefault(place, {})[spec.lang] = spec.url

    def url(self, kind: str, key: str, lang: str, page_no: int = 1, order: str = NEWEST) -> str:
        """The page in ``lang``, or in the first fallback language it exists in."""
        urls = self.index.get((kind, key, page_no, order))
        if not urls:
            raise KeyError(f"no page {kind}:{key}:{page_no}:{order}")
        for candidate in (*FALLBACKS.get(lang, (lang,)), *urls):
            if candidate in urls:
                return urls[candidate]
        raise KeyError(f"no page {kind}:{key}")  # pragma: no cover

    def languages(
        self, kind: str, key: str, page_no: int = 1, order: str = NEWEST
    ) -> dict[str, str]:
        return self.index.get((kind, key, page_no, order), {})

    def has(self, kind: str, key: str) -> bool:
        return (kind, key, 1, NEWEST) in self.index


def entity_languages(site: Site, text: LocalizedText) -> list[str]:
    """Full languages always; partial ones (zgh) only where the entity's main text is translated."""
    return [
        lang
        for lang in site.config.languages
        if lang not in site.config.partial_languages or text.get(lang)
    ]


def plan(site: Site, report: ErrorReport) -> Plan:
    result = Plan()
    full = site.config.full_languages
    per_page = site.config.items_per_page

    def add(
        kind: str, key: str, langs: Iterable[str], path: str, template: str, source: str
    ) -> None:
        for lang in langs:
            result.add(PageSpec(kind, key, lang, f"/{lang}/{path}", template, source))

    def paginated(
        kind: str,
        key: str,
        count: int,
        path: str,
        template: str,
        source: str,
        orders: Iterable[str] = (NEWEST,),
    ) -> None:
        pages = max(1, math.ceil(count / per_page))
        for order in orders:
            for lang in full:
                for n in range(1, pages + 1):
                    where = f"/{lang}/{path}{ORDER_PATHS[order]}{'' if n == 1 else f'page/{n}/'}"
                    spec = PageSpec(kind, key, lang, where, template, source, n, pages, order)
                    result.add(spec)

    def listing(kind: str, key: str, path: str, template: str, source: str) -> None:
        count = len(site.listing(kind, key))
        paginated(kind, key, count, path, template, source, ORDERS)

    add("home", "", full, "", "home.html", "site.yaml")
    listing("market", "", "market/", "market.html", "products/")
    for cid in site.products_by_category:
        listing(
            "category", cid, f"market/categories/{cid}/", "listing.html", "data/categories.yaml"
        )
    for lid in site.products_by_label:
        listing("label", lid, f"market/labels/{lid}/", "listing.html", "data/labels.yaml")
    for rid in site.products_by_region:
        listing("region_market", rid, f"market/regions/{rid}/", "listing.html", "data/regions.yaml")
    if site.products_women_led:
        listing("women_led", "", "market/women-led/", "listing.html", "cooperatives/")
    if site.products_youth_led:
        listing("youth_led", "", "market/youth-led/", "listing.html", "cooperatives/")
    add("regions", "", full, "regions/", "regions.html", "data/regions.yaml")
    for rid in site.regions:
        add("region", rid, full, f"regions/{rid}/", "region.html", "data/regions.yaml")
    for rid, coops in site.cooperatives_by_region.items():
        paginated(
            "region_cooperatives",
            rid,
            len(coops),
            f"regions/{rid}/cooperatives/",
            "cooperatives.html",
            "data/regions.yaml",
        )
    paginated(
        "cooperatives",
        "",
        len(site.cooperatives),
        "cooperatives/",
        "cooperatives.html",
        "cooperatives/",
    )
    for coop in site.cooperatives.values():
        add(
            "cooperative",
            coop.id,
            entity_languages(site, coop.name),
            f"cooperatives/{coop.id}/",
            "cooperative.html",
            f"cooperatives/{coop.id}.yaml",
        )
    for product in site.products.values():
        add(
            "product",
            product.id,
            entity_languages(site, product.name),
            f"products/{product.id}/",
            "product.html",
            f"products/{product.cooperative}/{product.id}.yaml",
        )
    bank = ideas.index(site)  # the project ideas, whole and by facet (ideas.py)
    paginated("projects", "", len(bank.ideas), "projects/", "projects.html", "projects/")
    for key in bank.listings():
        count = len(bank.listing(key))
        paginated("projects_facet", key, count, f"projects/{key}/", "projects.html", "projects/")
    add("projects_data", "", full, "projects/ideas.json", "data.json", "projects/")
    for idea in site.projects.values():
        add(
            "project",
            idea.id,
            entity_languages(site, idea.title),
            f"projects/{idea.id}/",
            "project.html",
            f"projects/{idea.id}.yaml",
        )
    # The catalogue and its filters (audience, level, language, audio): pre-built pages, each
    # paginated like the market's listings, so filtering needs no JavaScript.
    paginated("academy", "", len(site.courses), "academy/", "academy.html", "academy/")
    for key, found in academy.filters(site).items():
        path = f"academy/{key}/"
        paginated("academy_filter", key, len(found.courses), path, "academy.html", "academy/")
    for course_id, tree in site.courses.items():
        langs = entity_languages(site, tree.course.title)
        add(
            "course",
            course_id,
            langs,
            f"academy/{course_id}/",
            "course.html",
            f"academy/{course_id}/course.yaml",
        )
        if tree.course.certificate.enabled:
            add(
                "attestation",
                course_id,
                langs,
                f"academy/{course_id}/attestation/",
                "attestation.html",
                f"academy/{course_id}/course.yaml",
            )
        for branch in tree.modules:
            module_id = branch.module.id
            add(
                "module",
                f"{course_id}/{module_id}",
                entity_languages(site, branch.module.title),
                # Under modules/: a module and a lesson may share an id.
                f"academy/{course_id}/modules/{module_id}/",
                "module.html",
                f"academy/{course_id}/{module_id}/module.yaml",
            )
        for lesson in tree.lessons:
            module = tree.module_of(lesson.id)
            add(
                "lesson",
                f"{course_id}/{lesson.id}",
                entity_languages(site, lesson.title),
                f"academy/{course_id}/{lesson.id}/",
                "lesson.html",
                f"academy/{course_id}/{module.id}/{lesson.id}.yaml",
            )
    for page in site.pages.values():
        add(
            "page",
            page.id,
            entity_languages(site, page.title),
            f"{page.id}/",
            "page.html",
            f"pages/{page.id}.yaml",
        )
    add("search", "", full, "search/", "search.html", "theme")
    add("rating", "", full, "rating/", "rating.html", "theme")
    add("stats", "", full, "stats/", "stats.html", "data/sector_figures.yaml")
    add("facet_cells", "", full, "market/facets/cells.json", "data.json", "products/")
    for category, region in site.cells():
        path = f"market/facets/{category}/{region}.json"
        add("facets", f"{category}/{region}", full, path, "data.json", "products/")
    add("cart", "", full, "cart/", "cart.html", "theme")
    add("order", "", full, "order/", "order.html", "theme")
    add("sell", "", full, "sell/", "sell.html", "theme")  # the submission form (sellform.py)
    add("sell_schema", "", full, "sell/schema.json", "data.json", "theme")
    default = site.config.default_language
    for coop_id in site.cooperatives:  # the cart's view of the catalogue (catalogue.py)
        result.add(
            PageSpec(
                "catalogue_shard",
                coop_id,
                default,
                f"/catalogue/{coop_id}.json",
                "data.json",
                f"cooperatives/{coop_id}.yaml",
            )
        )
    for lang in full:
        result.add(PageSpec("not_found", "", lang, f"/{lang}/404.html", "404.html", "theme"))
    # Offline use (offline.py): the page shown offline, each course's list of files for
    # "Download this course", and the service worker, which must sit at the root to serve it all.
    add("offline", "", full, "offline/", "offline.html", "theme")
    for course_id in site.courses:
        add(
            "course_offline",
            course_id,
            result.languages("course", course_id),
            f"academy/{course_id}/offline.json",
            "data.json",
            f"academy/{course_id}/course.yaml",
        )
    result.add(PageSpec("service_worker", "", default, "/sw.js", "sw.js", "theme"))
    _check_collisions(site, result, report)
    return result


def _check_collisions(site: Site, result: Plan, report: ErrorReport) -> None:
    owners: dict[str, PageSpec] = {}
    reported: set[tuple[str, str]] = set()
    for spec in result.pages:
        first = owners.get(spec.url)
        if first is None:
            owners[spec.url] = spec
            continue
        if first.source == spec.source or (first.source, spec.source) in reported:
            continue  # one message per pair of sources, not one per language
        reported.add((first.source, spec.source))
        report.add(
            SourceLocation(display_path(site.content_root / spec.source)),
            "url-collision",
            "two pages would be written to {url}: this one and the one from {other}",
            "rename one of them (change its id and file name)",
            url=spec.url,
            other=display_path(site.content_root / first.source),
        )
