"""Read the parts of a Taawun content tree that the comparison pages show.

Only what the benchmark pages display is read: each product's name, price, cooperative name,
category and Markdown description, in Arabic and French. YAML is parsed with the C loader.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

LANGS = ("ar", "fr")
PER_PAGE = 24
DIRECTION = {"ar": "rtl", "fr": "ltr"}
MARKET_TITLE = {"ar": "السوق", "fr": "Marché"}
SITE_TITLE = {"ar": "تعاون", "fr": "Taawun"}


@dataclass(frozen=True)
class Product:
    id: str
    cooperative: str
    category: str
    price: str
    published: date
    name: dict[str, str]
    body: dict[str, str]


@dataclass(frozen=True)
class Site:
    root: Path
    products: list[Product]
    cooperatives: dict[str, dict[str, str]]  # id → name per language
    categories: dict[str, dict[str, str]]  # id → name per language

    def by_category(self) -> dict[str, list[Product]]:
        groups: dict[str, list[Product]] = defaultdict(list)
        for product in self.products:
            groups[product.category].append(product)
        return dict(sorted(groups.items()))

    def listing_pages(self) -> int:
        """Listing pages per language: the whole market plus one listing per used category."""
        pages = _pages(len(self.products))
        return pages + sum(_pages(len(ps)) for ps in self.by_category().values())

    def expected_pages(self) -> int:
        """HTML pages under /ar/ and /fr/: products and paginated listings, per language."""
        return len(LANGS) * (len(self.products) + self.listing_pages())


def _pages(count: int) -> int:
    return max(1, math.ceil(count / PER_PAGE))


def _yaml(path: Path) -> Any:
    with path.open("rb") as f:
        return yaml.load(f, Loader=yaml.CSafeLoader)


def _names(value: dict[str, str]) -> dict[str, str]:
    """The name in each benchmark language (with Taawun's fallback ar ↔ fr)."""
    return {lang: value.get(lang) or value.get("fr") or value.get("ar") or "" for lang in LANGS}


def _body(base: Path) -> dict[str, str]:
    texts = {}
    for lang in LANGS:
        path = base.with_name(f"{base.name}.{lang}.md")
        texts[lang] = path.read_text(encoding="utf-8") if path.exists() else ""
    for lang, other in (("ar", "fr"), ("fr", "ar")):
        texts[lang] = texts[lang] or texts[other]
    return texts


def _published(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    return date(2025, 1, 1)


def load(root: Path) -> Site:
    """Read ``root`` (a Taawun ``content/`` folder)."""
    categories = {c["id"]: _names(c["name"]) for c in _yaml(root / "data" / "categories.yaml")}
    cooperatives = {
        path.stem: _names(_yaml(path)["name"])
        for path in sorted((root / "cooperatives").glob("*.yaml"))
    }
    products = []
    for path in sorted((root / "products").glob("*/*.yaml")):
        data = _yaml(path)
        products.append(
            Product(
                id=data["id"],
                cooperative=data["cooperative"],
                category=data["category"],
                price=str(data["price"]),
                published=_published(data.get("published")),
                name=_names(data["name"]),
                body=_body(path.with_suffix("")),
            )
        )
    return Site(root, products, cooperatives, categories)


def count_products(root: Path) -> int:
    """Number of products in a content tree, without parsing them."""
    return sum(1 for _ in (root / "products").glob("*/*.yaml"))
