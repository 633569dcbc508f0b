"""A product offered by one cooperative, with optional variants (each its own SKU)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .common import (
    Centimes,
    Entity,
    Image,
    LocalizedText,
    NonEmptyStr,
    Slug,
    Strict,
    content_error,
)

MAX_TAGS = 20
Tag = Annotated[str, Field(min_length=1, max_length=40)]
Unit = Literal["ml", "l", "g", "kg", "piece"]
Availability = Literal["in_stock", "made_to_order", "seasonal", "sold_out"]


class NetQuantity(Strict):
    value: float = Field(gt=0)
    unit: Unit


class Dimensions(Strict):
    length: float = Field(gt=0)
    width: float = Field(gt=0)
    height: float | None = Field(default=None, gt=0)


class Variant(Strict):
    sku: Slug
    name: LocalizedText
    net_quantity: NetQuantity | None = None
    price: Centimes
    stock: int | None = Field(default=None, ge=0)
    availability: Availability | None = None
    weight_g: int | None = Field(default=None, gt=0)


class Origin(Strict):
    region: Slug
    province: Slug | None = None
    commune: LocalizedText | None = None


class Product(Entity):
    cooperative: Slug
    name: LocalizedText
    summary: LocalizedText
    category: Slug
    price: Centimes
    net_quantity: NetQuantity | None = None
    variants: list[Variant] = []
    availability: Availability = "in_stock"
    stock: int | None = Field(default=None, ge=0)
    max_per_order: int = Field(default=10, ge=1, le=1000)
    season: list[int] = []
    lead_time_days: int | None = Field(default=None, ge=0, le=365)
    weight_g: int = Field(gt=0)
    dimensions_cm: Dimensions | None = None
    ingredients: list[LocalizedText] = []
    allergens: list[LocalizedText] = []
    materials: list[LocalizedText] = []
    shelf_life_days: int | None = Field(default=None, gt=0)
    origin: Origin | None = None
    labels: list[Slug] = []
    onssa_number: NonEmptyStr | None = None
    onssa_exempt_reason: LocalizedText | None = None
    images: list[Image] = Field(min_length=1, max_length=12)
    tags: list[Tag] = Field(default=[], max_length=MAX_TAGS)  # search words, not shown as text
    published: date
    updated: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        for month in self.season:
            if not 1 <= month <= 12:
                raise content_error(
                    "season",
                    "`season` lists the months 1 to 12; `{month}` is not a month",
                    month=month,
                )
        if self.availability == "seasonal" and not self.season:
            raise content_error(
                "season",
                "a seasonal product needs `season`, the months when it is available",
                "add for example `season: [10, 11, 12]`",
            )
        skus = [v.sku for v in self.variants]
        if len(set(skus)) != len(skus):
            raise content_error(
                "duplicate-sku", "two variants have the same `sku`", "make each unique"
            )
        return self

    @property
    def skus(self) -> list[str]:
        return [self.id, *(v.sku for v in self.variants)]

    @property
    def min_price(self) -> int:
        return min([self.price, *(v.price for v in self.variants)])
