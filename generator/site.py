"""The assembled, cross-checked site that URL planning and templates read. Built once per build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .config import SiteConfig
from .loader import Body
from .models import (
    Category,
    Cooperative,
    Course,
    Funding,
    Label,
    Lesson,
    Module,
    Page,
    Product,
    ProjectIdea,
    Region,
    Sector,
    SectorFigure,
)
from .rating import Rating

# The orders every market listing is pre-built in (each its own pages: no JavaScript needed).
NEWEST = "newest"
PRICE_LOW = "price_low"
PRICE_HIGH = "price_high"
ORDERS = (NEWEST, PRICE_LOW, PRICE_HIGH)
# Market listings: the kinds of page that list products, paginated, in every order.
LISTING_KINDS = ("market", "category", "region_market", "label", "women_led", "youth_led")


@dataclass(frozen=True)
class ModuleTree:
    module: Module
    lessons: list[Lesson]


@dataclass(frozen=True)
class CourseTree:
    course: Course
    modules: list[ModuleTree]

    @property
    def lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    def module_of(self, lesson_id: str) -> Module:
        for tree in self.modules:
            if any(lesson.id == lesson_id for lesson in tree.lessons):
                return tree.module
        raise KeyError(lesson_id)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    content_root: Path
    today: date
    regions: Mapping[str, Region]
    sectors: Mapping[str, Sector]
    categories: Mapping[str, Category]
    labels: Mapping[str, Label]
    funding: Mapping[str, Funding]
    cooperatives: Mapping[str, Cooperative]
    products: Mapping[str, Product]
    projects: Mapping[str, ProjectIdea]
    courses: Mapping[str, CourseTree]
    pages: Mapping[str, Page]
    # Markdown texts per (kind, id) and language (read when rendered); lessons use
    # "<course>/<lesson>" as id.
    bodies: Mapping[tuple[str, str], Mapping[str, Body]]
    # The digest of each entity's YAML file, by (kind, id); modules and lessons by
    # (kind, "<course>/<id>"). Incremental builds compare them.
    digests: Mapping[tuple[str, str], str]
    media: frozenset[str]
    # Sorted once here; listings slice these lists instead of sorting per page. All newest first.
    products_newest_first: list[Product] = field(default_factory=list)
    products_by_cooperative: Mapping[str, list[Product]] = field(default_factory=dict)
    products_by_category: Mapping[str, list[Product]] = field(default_factory=dict)
    products_by_region: Mapping[str, list[Product]] = field(default_factory=dict)
    products_by_label: Mapping[str, list[Product]] = field(default_factory=dict)
    # Products of cooperatives with the women-led / youth-led badge (domain.md §9), newest first.
    products_women_led: list[Product] = field(default_factory=list)
    products_youth_led: list[Product] = field(default_factory=list)
    cooperatives_by_region: Mapping[str, list[Cooperative]] = field(default_factory=dict)
    # Every cooperative, by region (in the regions' order) then id: the cooperatives listing.
    cooperatives_by_region_order: list[Cooperative] = field(default_factory=list)
    projects_by_region: Mapping[str, list[ProjectIdea]] = field(default_factory=dict)
    # Each cooperative's rating (rating.py), computed once from its declared data.
    ratings: Mapping[str, Rating] = field(default_factory=dict)
    # Published figures about the whole sector (data/sector_figures.yaml), in file order.
    sector_figures: Mapping[str, SectorFigure] = field(default_factory=dict)
    _sorted: dict[tuple[str, str, str], list[Product]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _cells: dict[tuple[str, str], list[Product]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _rank: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def listing(self, kind: str, key: str, order: str = NEWEST) -> list[Product]:
        """The products a market listing shows, in one of ``ORDERS``. Each order is sorted once
        per build (a stable sort of the newest-first list, so equal prices stay newest first)
        and shared by every page of the listing: a pager page only slices it."""
        newest = self._newest_first(kind, key)
        if order == NEWEST:
            return newest
        memo = (kind, key, order)
        found = self._sorted.get(memo)
        if found is None:
            sign = -1 if order == PRICE_HIGH else 1  # not reverse=True: ties stay newest first
            found = self._sorted[memo] = sorted(newest, key=lambda p: sign * p.min_price)
        return found

    def cells(self) -> dict[tuple[str, str], list[Product]]:
        """The market cut by category × region, each cell newest first: every product is in
        exactly one cell, so the browser can combine facets by fetching only the cells a choice
        covers (facets.js). Built once per build."""
        if not self._cells:
            for rank, product in enumerate(self.products_newest_first):
                self._rank[product.id] = rank
                if product.cooperative not in self.cooperatives:
                    continue  # reported by assemble; `taawun check` still plans the rest
                cell = (product.category, self.product_region(product))
                self._cells.setdefault(cell, []).append(product)
        return self._cells

    def newest_rank(self, product_id: str) -> int:
        """The product's place in the market, newest first (0 is the newest)."""
        self.cells()
        return self._rank[product_id]

    def _newest_first(self, kind: str, key: str) -> list[Product]:
        if kind == "market":
            return self.products_newest_first
        if kind == "women_led":
            return self.products_women_led
        if kind == "youth_led":
            return self.products_youth_led
        table = {
            "category": self.products_by_category,
            "label": self.products_by_label,
            "region_market": self.products_by_region,
        }[kind]
        return table.get(key, [])

    def product_region(self, product: Product) -> str:
        if product.origin is not None:
            return product.origin.region
        return self.cooperatives[product.cooperative].region

    def onssa_number(self, product: Product) -> str | None:
        if product.onssa_number:
            return product.onssa_number
        onssa = self.cooperatives[product.cooperative].onssa
        return onssa.number if onssa else None
