"""Prices an order from the catalogue alone: lines, one sub-order per cooperative, delivery fees
and totals, after every check that does not need the database (the stock check does).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from .catalogue import Catalogue, Cooperative, Sku
from .errors import ApiError
from .messages import money, say
from .requests import OrderRequest


@dataclass(frozen=True)
class PricedLine:
    index: int  # where the line was in the request, to name it in an error
    sku: Sku
    qty: int
    name: str

    @property
    def total(self) -> int:
        return self.sku.unit_price * self.qty


@dataclass(frozen=True)
class SubOrder:
    number: int
    cooperative: Cooperative
    lines: tuple[PricedLine, ...]
    delivery_fee: int

    @property
    def items(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def total(self) -> int:
        return self.items + self.delivery_fee


@dataclass(frozen=True)
class Quote:
    lang: str
    suborders: tuple[SubOrder, ...]
    currency: str

    @property
    def items(self) -> int:
        return sum(s.items for s in self.suborders)

    @property
    def delivery(self) -> int:
        return sum(s.delivery_fee for s in self.suborders)

    @property
    def total(self) -> int:
        return self.items + self.delivery

    @property
    def lines(self) -> list[PricedLine]:
        return [line for s in self.suborders for line in s.lines]


def quote(catalogue: Catalogue, request: OrderRequest, card_payments: bool) -> Quote:
    lang = request.lang or catalogue.languages[0]
    if lang not in catalogue.languages:
        raise ApiError(
            422,
            "invalid",
            "lang",
            key="invalid.literal_error",
            expected=", ".join(catalogue.languages),
        )
    region = request.buyer.region
    if region not in catalogue.regions:
        raise ApiError(422, "unknown_region", "buyer.region")
    if request.payment == "card" and not card_payments:
        raise ApiError(422, "card_unavailable", "payment")

    # The same SKU twice counts as one line with both quantities.
    quantities: dict[str, tuple[int, int]] = {}
    for index, line in enumerate(request.lines):
        first, qty = quantities.get(line.sku, (index, 0))
        quantities[line.sku] = (first, qty + line.qty)

    by_cooperative: dict[str, list[PricedLine]] = {}
    for sku_id, (index, qty) in quantities.items():
        sku = catalogue.skus.get(sku_id)
        if sku is None:
            raise ApiError(422, "unknown_sku", f"lines[{index}].sku", sku=sku_id)
        if sku.availability == "sold_out":
            raise ApiError(409, "sold_out", f"lines[{index}].sku", product=sku.name)
        if qty > sku.max_per_order:
            raise ApiError(
                422, "over_limit", f"lines[{index}].qty", product=sku.name, max=sku.max_per_order
            )
        if sku.cooperative not in catalogue.cooperatives:
            raise ApiError(
                409, "unavailable", f"lines[{index}].sku", key="unavailable_item", product=sku.name
            )
        by_cooperative.setdefault(sku.cooperative, []).append(
            PricedLine(index=index, sku=sku, qty=qty, name=sku.name(lang))
        )

    suborders = []
    for number, (coop_id, lines) in enumerate(sorted(by_cooperative.items()), start=1):
        coop = catalogue.cooperatives[coop_id]
        delivery = coop.delivery
        if not delivery.reaches(region):
            raise ApiError(
                422,
                "outside_delivery_zone",
                "buyer.region",
                cooperative=coop.name,
                region=partial(catalogue.region_name, region),
                zones=partial(_zones, catalogue, delivery.zones),
            )
        items = sum(line.total for line in lines)
        sub = SubOrder(number, coop, tuple(lines), delivery.fee_for(items))
        if request.payment == "cod":
            if not delivery.cod:
                raise ApiError(
                    422,
                    "cod_unavailable",
                    "payment",
                    cooperative=coop.name,
                    instead=partial(say, "instead_card" if card_payments else "instead_contact"),
                )
            if delivery.cod_max is not None and sub.total > delivery.cod_max:
                raise ApiError(
                    422,
                    "cod_cap",
                    "payment",
                    cooperative=coop.name,
                    cap=partial(money, delivery.cod_max),
                    amount=partial(money, sub.total),
                    instead=partial(
                        say, "instead_card_or_less" if card_payments else "instead_less"
                    ),
                )
        suborders.append(sub)
    return Quote(lang=lang, suborders=tuple(suborders), currency=catalogue.currency)


def _zones(catalogue: Catalogue, zones: str | tuple[str, ...], lang: str) -> str:
    return ", ".join(catalogue.region_name(region, lang) for region in zones)
