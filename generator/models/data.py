"""Reference data kept as lists in ``content/data/*.yaml``: regions, sectors, categories, labels,
funding sources."""

from __future__ import annotations

from typing import Literal

from .common import Entity, LocalizedText, Slug

CategoryKind = Literal["food", "cosmetic", "craft", "service"]
LabelType = Literal["IGP", "AOP", "IG", "label_agricole", "bio", "collective"]
FundingKind = Literal["grant", "micro_credit", "loan", "guarantee", "prize", "programme"]


class Region(Entity):
    iso_3166_2: str
    name: LocalizedText
    aliases: list[str] = []
    seat: LocalizedText
    provinces: list[Slug] = []
    order: int


class Sector(Entity):
    name: LocalizedText


class Category(Entity):
    kind: CategoryKind
    name: LocalizedText
    order: int = 0

    @property
    def is_food(self) -> bool:
        return self.kind == "food"


class Label(Entity):
    type: LabelType
    name: LocalizedText
    legal_basis: str
    regions: list[Slug] = []
    categories: list[Slug] = []


class Funding(Entity):
    kind: FundingKind
    name: LocalizedText
    provider: LocalizedText
    summary: LocalizedText
    url: str | None = None
