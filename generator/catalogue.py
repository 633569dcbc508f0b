"""``catalogue.json``: the contract between the static site and the checkout service (DESIGN §6)."""

from __future__ import annotations

import json
from typing import Any

from .models import Cooperative, Product
from .models.common import LocalizedText
from .site import Site
from .urls import Plan

# 2: adds `base_url` and `regions` (the buyer's region decides which cooperatives deliver).
# 3: adds `provinces`, `sectors` and `categories` (the "sell with us" form's references, which
#    the checkout service checks before a submission enters the moderation queue).
SCHEMA_VERSION = 3


def _text(value: LocalizedText) -> dict[str, str]:
    return {lang: text for lang in ("ar", "fr", "zgh", "en") if (text := value.get(lang))}


def build_catalogue(site: Site, plan: Plan) -> dict[str, Any]:
    skus: dict[str, Any] = {}
    for product in site.products.values():
        skus.update(sku_entries(site, plan, product))
    return {
        "schema_version": SCHEMA_VERSION,
        "currency": "MAD",
        "amounts": "integer centimes, tax included",
        "languages": site.config.languages,
        "base_url": site.config.base_url,
        "regions": {
            region.id: _text(region.name)
            for region in sorted(site.regions.values(), key=lambda r: r.order)
        },
        "provinces": {region.id: list(region.provinces) for region in site.regions.values()},
        "sectors": {sector.id: _text(sector.name) for sector in site.sectors.values()},
        "categories": {
            category.id: {"name": _text(category.name), "kind": category.kind}
            for category in site.categories.values()
        },
        "skus": dict(sorted(skus.items())),
        "cooperatives": {coop.id: cooperative_entry(coop) for coop in site.cooperatives.values()},
    }


def cooperative_shard(site: Site, plan: Plan, coop_id: str) -> dict[str, Any]:
    """``/catalogue/<cooperative>.json``: one cooperative's part of the catalogue, for the cart.

    The cart fetches the shards of the cooperatives it holds (a few KB each) to show names,
    prices, quantity limits and availability, instead of the whole catalogue (about 80 MB at
    national scale). Same entries as catalogue.json, so the two cannot disagree.
    """
    skus: dict[str, Any] = {}
    for product in site.products_by_cooperative.get(coop_id, []):
        skus.update(sku_entries(site, plan, product))
    return {
        "schema_version": SCHEMA_VERSION,
        "id": coop_id,
        **cooperative_entry(site.cooperatives[coop_id]),
        "skus": dict(sorted(skus.items())),
    }


def sku_entries(site: Site, plan: Plan, product: Product) -> dict[str, Any]:
    """The product's SKUs: itself, and each of its variants."""
    category = site.categories[product.category]
    base = {
        "product": product.id,
        "cooperative": product.cooperative,
        "kind": category.kind,
        "currency": "MAD",
        "max_per_order": product.max_per_order,
        "urls": plan.languages("product", product.id),
    }
    entries: dict[str, Any] = {
        product.id: {
            **base,
            "variant": None,
            "name": _text(product.name),
            "unit_price": product.price,
            "availability": product.availability,
            "stock": product.stock,
            "weight_g": product.weight_g,
        }
    }
    for variant in product.variants:
        names = {
            lang: f"{product.name.resolve(lang)[0]} — {variant.name.resolve(lang)[0]}"
            for lang in _text(product.name)
        }
        entries[variant.sku] = {
            **base,
            "variant": variant.sku,
            "name": names,
            "unit_price": variant.price,
            "availability": variant.availability or product.availability,
            "stock": variant.stock,
            "weight_g": variant.weight_g or product.weight_g,
        }
    return entries


def cooperative_entry(coop: Cooperative) -> dict[str, Any]:
    delivery = coop.delivery
    return {
        "name": _text(coop.name),
        "region": coop.region,
        "delivery": {
            "zones": delivery.zones,
            "fee": delivery.fee,
            "free_from": delivery.free_from,
            "cod": delivery.cod,
            "cod_max": delivery.cod_max,
            "pickup": delivery.pickup,
            "lead_time_days": delivery.lead_time_days,
        },
        "contact": {
            "phone": coop.contact.phone,
            "whatsapp": coop.contact.whatsapp,
            "email": coop.contact.email,
        },
    }


def dumps(catalogue: dict[str, Any]) -> str:
    # Compact, not indented: the checkout service and the cart read it, people do not, and only
    # the compact form is written by json's C encoder (ten times faster at 10,000 products).
    return json.dumps(catalogue, ensure_ascii=False, separators=(",", ":")) + "\n"
