"""Market listings: every facet's pages, in every pre-built order, show each product once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.build import BuildResult
from generator.site import ORDERS, Site

LISTINGS = ("market", "category", "label", "region_market", "women_led", "youth_led")


def expected_members(site: Site, kind: str, key: str) -> set[str]:
    """Which products a listing must show, from the content (not from the listing code)."""
    coops = site.cooperatives
    rules = {
        "market": lambda p: True,
        "category": lambda p: p.category == key,
        "label": lambda p: key in p.labels,
        "region_market": lambda p: site.product_region(p) == key,
        "women_led": lambda p: coops[p.cooperative].women_led,
        "youth_led": lambda p: coops[p.cooperative].youth_led,
    }
    return {p.id for p in site.products.values() if rules[kind](p)}


def listed(
    output: Path, result: BuildResult, kind: str, key: str, lang: str, order: str
) -> list[str]:
    """Product ids in the order the listing's pages show them, page after page."""
    assert result.plan is not None
    specs = [
        s for s in result.plan.pages if (s.kind, s.key, s.lang, s.order) == (kind, key, lang, order)
    ]
    ids: list[str] = []
    for spec in sorted(specs, key=lambda s: s.page_no):
        html = HTMLParser((output / spec.output).read_text(encoding="utf-8"))
        for link in html.css(".grid.products .card-link"):
            ids.append(link.attributes["href"].rstrip("/").rsplit("/", 1)[-1])
    return ids


def test_every_listing_shows_its_products_once_in_every_order(
    sample_build: tuple[BuildResult, Path],
) -> None:
    result, output = sample_build
    site, plan = result.site, result.plan
    assert site is not None and plan is not None
    listings = {(s.kind, s.key) for s in plan.pages if s.kind in LISTINGS}
    assert {kind for kind, _ in listings} == set(LISTINGS)
    for kind, key in sorted(listings):
        expected = expected_members(site, kind, key)
        for lang in site.config.full_languages:
            by_order = {order: listed(output, result, kind, key, lang, order) for order in ORDERS}
            for order, ids in by_order.items():
                assert Counter(ids) == Counter(expected), (kind, key, lang, order)
            newest = [site.products[i].published for i in by_order["newest"]]
            assert newest == sorted(newest, reverse=True)
            low = [site.products[i].min_price for i in by_order["price_low"]]
            assert low == sorted(low)
            high = [site.products[i].min_price for i in by_order["price_high"]]
            assert high == sorted(high, reverse=True)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_listing_shows_its_count_sort_links_and_maker_facets(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    result, output = sample_build
    assert result.site is not None
    page = output / lang / "market" / "women-led" / "price-low" / "index.html"
    html = HTMLParser(page.read_text(encoding="utf-8"))
    count = len(expected_members(result.site, "women_led", ""))
    assert str(count) in html.css_first("main p.muted").text()
    sort = [a.attributes["href"] for a in html.css("nav.sort a")]
    assert sort == [f"/{lang}/market/women-led/{s}" for s in ("", "price-low/", "price-high/")]
    current = html.css_first("nav.sort a[aria-current=page]")
    assert current is not None and current.attributes["href"].endswith("/price-low/")
    makers = {a.attributes["href"] for a in html.css(".facets a")}
    assert {f"/{lang}/market/women-led/", f"/{lang}/market/youth-led/"} <= makers


def test_the_pager_stays_in_the_order(sample_build: tuple[BuildResult, Path]) -> None:
    _, output = sample_build
    page = output / "fr" / "market" / "price-high" / "index.html"
    html = HTMLParser(page.read_text(encoding="utf-8"))
    following = html.css_first(".pager a[rel=next]")
    assert following is not None
    assert following.attributes["href"] == "/fr/market/price-high/page/2/"
    second = HTMLParser(
        (output / "fr/market/price-high/page/2/index.html").read_text(encoding="utf-8")
    )
    alternates = {
        link.attributes["hreflang"]: link.attributes["href"]
        for link in second.css("link[rel=alternate][hreflang]")
    }
    assert alternates["ar"].endswith("/ar/market/price-high/page/2/")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_product_page_orders_without_javascript(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    """A call link and a WhatsApp link with the order message written in the page's language."""
    result, output = sample_build
    site = result.site
    assert site is not None
    for product in list(site.products.values())[:10]:
        coop = site.cooperatives[product.cooperative]
        page = output / lang / "products" / product.id / "index.html"
        html = HTMLParser(page.read_text(encoding="utf-8"))
        links = [a.attributes["href"] or "" for a in html.css(".contact-actions a")]
        assert f"tel:{coop.contact.phone}" in links
        if coop.contact.whatsapp:
            (whatsapp,) = [link for link in links if link.startswith("https://wa.me/")]
            number, _, query = whatsapp.removeprefix("https://wa.me/").partition("?")
            assert number == coop.contact.whatsapp.removeprefix("+")
            message = parse_qs(query)["text"][0]
            name = product.name.get(lang) or product.name.resolve(lang)[0]
            assert name in message
            assert message.endswith(f"{site.config.base_url}/{lang}/products/{product.id}/")
