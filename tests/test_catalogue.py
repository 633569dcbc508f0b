"""catalogue.json: the contract with the checkout service."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build import build
from generator.catalogue import SCHEMA_VERSION


def test_catalogue_lists_every_sku_in_centimes(minimal_site: Path) -> None:
    output = minimal_site.parent / "public"
    build(minimal_site, output)
    catalogue = json.loads((output / "catalogue.json").read_text(encoding="utf-8"))
    assert catalogue["schema_version"] == SCHEMA_VERSION
    assert set(catalogue["skus"]) == {"huile-argan", "huile-argan-500", "tapis-laine"}
    variant = catalogue["skus"]["huile-argan-500"]
    assert variant["unit_price"] == 22000 and isinstance(variant["unit_price"], int)
    assert variant["product"] == "huile-argan" and variant["cooperative"] == "tamount"
    assert variant["stock"] == 10 and variant["kind"] == "food"
    assert variant["urls"]["fr"] == "/fr/products/huile-argan/"
    delivery = catalogue["cooperatives"]["tamount"]["delivery"]
    assert delivery == {
        "zones": "national",
        "fee": 3000,
        "free_from": None,
        "cod": True,
        "cod_max": 300000,
        "pickup": False,
        "lead_time_days": 3,
    }
