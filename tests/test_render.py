"""Rendered pages: language and direction, fallbacks, breadcrumbs, switcher, JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.build import build


@pytest.fixture
def output(minimal_site: Path) -> Path:
    """The minimal site, built."""
    target = minimal_site.parent / "public"
    build(minimal_site, target)
    return target


def page(output: Path, url: str) -> HTMLParser:
    return HTMLParser((output / url.strip("/") / "index.html").read_text(encoding="utf-8"))


def test_partial_language_page_exists_only_where_translated(output: Path) -> None:
    assert (output / "zgh/products/huile-argan/index.html").is_file()
    assert not (output / "zgh/products/tapis-laine").exists()  # no Tifinagh name
    assert not (output / "zgh/market").exists()  # the chrome is not translated into zgh


def test_fallback_text_carries_its_own_lang_and_dir(output: Path) -> None:
    tree = page(output, "zgh/products/huile-argan/")
    h1 = tree.css_first("h1")
    assert h1 is not None and h1.text() == "ⴰⵣⴰⵡⵉⵍ ⵏ ⵡⴰⵔⴳⴰⵏ"  # translated: no wrapper
    summary = tree.css_first(".buy .lead span")
    assert summary is not None
    assert summary.attributes == {"lang": "ar", "dir": "rtl"}
    assert summary.text() == "زيت محمص"
    description = tree.css_first(".prose div[lang]")
    assert description is not None and description.attributes["lang"] == "ar"


def test_language_switcher_keeps_you_on_the_same_page(output: Path) -> None:
    tree = page(output, "fr/products/huile-argan/")
    links = {a.attributes["hreflang"]: a.attributes["href"] for a in tree.css(".langs a")}
    assert links == {
        "ar": "/ar/products/huile-argan/",
        "fr": "/fr/products/huile-argan/",
        "zgh": "/zgh/products/huile-argan/",
    }
    current = tree.css_first('.langs a[aria-current="page"]')
    assert current is not None and current.attributes["hreflang"] == "fr"


def test_product_page_shows_trust_information(output: Path) -> None:
    tree = page(output, "fr/products/huile-argan/")
    text = " ".join(tree.body.text().split()) if tree.body else ""
    assert "AS.09.0001.20" in text  # the ONSSA number of a food product
    assert "IGP-0001" in text and "Normacert" in text  # the label with its certificate
    crumbs = [a.text() for a in tree.css(".crumbs a")]
    assert crumbs == ["Accueil", "Marché", "Huile d'argan alimentaire", "Huile d'argan alimentaire"]
    data = [json.loads(s.text()) for s in tree.css('script[type="application/ld+json"]')]
    product = next(d for d in data if d["@type"] == "Product")
    assert product["offers"]["@type"] == "AggregateOffer"
    assert {o["price"] for o in product["offers"]["offers"]} == {"120.00", "220.00"}
    assert all(o["priceCurrency"] == "MAD" for o in product["offers"]["offers"])
    crumb_ld = next(d for d in data if d["@type"] == "BreadcrumbList")
    assert (
        crumb_ld["itemListElement"][-1]["item"] == "https://example.test/fr/products/huile-argan/"
    )


def test_arabic_prices_use_latin_digits_and_moroccan_format(output: Path) -> None:
    price = page(output, "ar/products/huile-argan/").css_first(".price.big bdi")
    assert price is not None
    assert price.text().replace("\u200f", "").replace("\xa0", " ") == "120,00 د.م."


def test_lesson_pages_link_previous_and_next(output: Path) -> None:
    first = page(output, "fr/academy/bases/lecon-un/")
    assert first.css_first('a[rel="prev"]') is None
    nxt = first.css_first('a[rel="next"]')
    assert nxt is not None and nxt.attributes["href"] == "/fr/academy/bases/lecon-deux/"
    second = page(output, "fr/academy/bases/lecon-deux/")
    prev = second.css_first('a[rel="prev"]')
    assert prev is not None and prev.attributes["href"] == "/fr/academy/bases/lecon-un/"
    # the quiz is readable and answerable without JavaScript
    assert first.css_first("fieldset.question details.answer") is not None


def test_markdown_raw_html_is_escaped(minimal_site: Path) -> None:
    (minimal_site / "pages" / "about.fr.md").write_text("<script>alert(1)</script>\n\n**gras**\n")
    output = minimal_site.parent / "public"
    build(minimal_site, output)
    tree = page(output, "fr/about/")
    article = tree.css_first("article")
    assert article is not None
    assert article.css_first("script") is None
    assert article.css_first("strong") is not None
