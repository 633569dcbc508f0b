"""Combining the market's facets in the browser (facets.js), checked against the content."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import BuildResult
from generator.site import Site

from .quality.checkers import serve_directory

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # pragma: no cover
    Browser = Page = Any  # type: ignore[misc, assignment]


@pytest.fixture(scope="module")
def site_url(sample_build: tuple[BuildResult, Path]) -> Iterator[str]:
    with serve_directory(sample_build[1]) as base:
        yield base.rstrip("/")


def expected(site: Site, lang: str, **wanted: Any) -> list[str]:
    """Product URLs, newest first, that match every filter (computed from the content)."""
    found = []
    for p in site.products_newest_first:
        coop = site.cooperatives[p.cooperative]
        if wanted.get("region") and site.product_region(p) != wanted["region"]:
            continue
        if wanted.get("category") and p.category != wanted["category"]:
            continue
        if wanted.get("label") and wanted["label"] not in p.labels:
            continue
        if wanted.get("women") and not coop.women_led:
            continue
        if wanted.get("max") is not None and p.min_price > wanted["max"] * 100:
            continue
        found.append(f"/{lang}/products/{p.id}/")
    return found


def shown(page: Page) -> list[str]:
    return [
        str(href)
        for href in page.eval_on_selector_all(
            "#filter-results .card-link", "links => links.map(a => a.getAttribute('href'))"
        )
    ]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_facets_combine_without_a_reload(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    site = sample_build[0].site
    assert site is not None
    region = "souss-massa"
    page = browser.new_context().new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_url}/{lang}/market/")
    assert page.is_visible("form.facet-filter")
    assert not any(url.endswith("facets.json") for url in requests)  # nothing until used

    page.select_option("form.facet-filter select[name=region]", region)
    page.wait_for_selector("#filter-results:not([hidden])")
    want = expected(site, lang, region=region)
    assert shown(page) == want[:24] and want
    assert page.is_hidden(".listing-grid")

    page.check("form.facet-filter input[name=women]")
    page.fill("form.facet-filter input[name=max]", "150")
    page.dispatch_event("form.facet-filter input[name=max]", "change")
    want = expected(site, lang, region=region, women=True, max=150)
    page.wait_for_function(
        f"document.querySelectorAll('#filter-results .card-link').length === {min(len(want), 24)}"
    )
    assert shown(page) == want[:24]
    count = page.inner_text("#filter-results .filter-count")
    assert str(len(want)) in count

    page.click("form.facet-filter button[type=reset]")
    page.wait_for_selector("#filter-results", state="hidden")
    assert page.is_visible(".listing-grid")


def test_a_filter_nothing_matches_says_so(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path]
) -> None:
    page = browser.new_context().new_page()
    page.goto(f"{site_url}/fr/market/")
    page.fill("form.facet-filter input[name=max]", "1")
    page.dispatch_event("form.facet-filter input[name=max]", "change")
    page.wait_for_selector("#filter-results:not([hidden])")
    assert "Aucun produit" in page.inner_text("#filter-results .filter-count")
    assert shown(page) == []


def test_the_cells_hold_every_product_once(sample_build: tuple[BuildResult, Path]) -> None:
    result, output = sample_build
    site = result.site
    assert site is not None
    folder = output / "fr" / "market" / "facets"
    index = json.loads((folder / "cells.json").read_text(encoding="utf-8"))
    seen: dict[int, str] = {}
    for key, size in index["cells"].items():
        rows = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        assert len(rows) == size
        category, region = key.split("/")
        for row in rows:
            product = site.products_newest_first[row[0]]
            assert row[1] == f"/fr/products/{product.id}/"
            assert (product.category, site.product_region(product)) == (category, region)
            assert row[4] == product.min_price
            assert (output / row[8].lstrip("/")).is_file()  # the thumbnail is published
            seen[row[0]] = product.id
    assert sorted(seen) == list(range(len(site.products)))  # every product, once


def test_a_choice_covering_too_many_products_asks_to_narrow(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path]
) -> None:
    page = browser.new_context().new_page()
    page.route(
        "**/market/facets/cells.json",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(
                {**json.loads(route.fetch().text()), "limit": 3}  # as on a national catalogue
            ),
        ),
    )
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{site_url}/fr/market/")
    page.check("form.facet-filter input[name=women]")
    page.wait_for_selector("#filter-results:not([hidden])")
    assert "Choisissez d'abord" in page.inner_text("#filter-results .filter-count")
    assert not [url for url in fetched if "/market/facets/" in url and "cells" not in url]
