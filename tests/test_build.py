"""Whole builds: the sample site builds, every page parses, the right pages exist per language."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.build import BuildResult, build
from generator.site import Site

from .conftest import SAMPLE_CONTENT
from .test_academy import expected_filters
from .test_projects import filed_under


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def expected_counts(site: Site) -> Counter[tuple[str, str]]:
    """What the content says, computed independently of the URL planner."""
    full = site.config.full_languages
    partial = site.config.partial_languages
    per = site.config.items_per_page
    expected: Counter[tuple[str, str]] = Counter()

    def add(kind: str, n: int, langs: list[str]) -> None:
        for lang in langs:
            expected[(kind, lang)] += n

    def translated(text_langs: set[str]) -> list[str]:
        return full + [lang for lang in partial if lang in text_langs]

    singletons = ("home", "regions", "search", "rating", "stats", "cart", "order")
    for kind in (*singletons, "not_found"):
        add(kind, 1, full)
    # The cart's view of the catalogue: one JSON file per cooperative, in no language.
    add("catalogue_shard", len(site.cooperatives), [site.config.default_language])
    # The market cut by category × region for facets.js, and the index of those cells.
    add("facet_cells", 1, full)
    cells = {(p.category, site.product_region(p)) for p in site.products.values()}
    add("facets", len(cells), full)
    add("cooperatives", -(-len(site.cooperatives) // per), full)
    orders = 3  # newest, price low to high, price high to low: each its own pages
    add("market", orders * -(-len(site.products) // per), full)
    for products in site.products_by_category.values():
        add("category", orders * -(-len(products) // per), full)
    for products in site.products_by_label.values():
        add("label", orders * -(-len(products) // per), full)
    add("region", len(site.regions), full)
    for products in site.products_by_region.values():
        add("region_market", orders * -(-len(products) // per), full)
    for kind, led in (("women_led", "women_led"), ("youth_led", "youth_led")):
        made = [p for p in site.products.values() if getattr(site.cooperatives[p.cooperative], led)]
        if made:
            add(kind, orders * -(-len(made) // per), full)
    for coops in site.cooperatives_by_region.values():
        add("region_cooperatives", -(-len(coops) // per), full)
    for coop in site.cooperatives.values():
        add("cooperative", 1, translated(coop.name.languages()))
    for product in site.products.values():
        add("product", 1, translated(product.name.languages()))
    for idea in site.projects.values():
        add("project", 1, translated(idea.title.languages()))
    # The idea bank: whole, one listing per facet value that holds ideas, and ideas.js's data.
    add("projects", -(-len(site.projects) // per), full)
    facets = Counter(key for idea in site.projects.values() for key in filed_under(idea))
    for n in facets.values():
        add("projects_facet", -(-n // per), full)
    add("projects_data", 1, full)
    # The academy's catalogue, whole and one listing per filter that has courses.
    add("academy", -(-len(site.courses) // per), full)
    for courses in expected_filters(site).values():
        add("academy_filter", -(-len(courses) // per), full)
    for tree in site.courses.values():
        add("course", 1, translated(tree.course.title.languages()))
        if tree.course.certificate.enabled:
            add("attestation", 1, translated(tree.course.title.languages()))
        for branch in tree.modules:
            add("module", 1, translated(branch.module.title.languages()))
        for lesson in tree.lessons:
            add("lesson", 1, translated(lesson.title.languages()))
    for page in site.pages.values():
        add("page", 1, translated(page.title.languages()))
    # Offline use: the offline page, a list of files per course page, the service worker.
    add("offline", 1, full)
    for tree in site.courses.values():
        add("course_offline", 1, translated(tree.course.title.languages()))
    add("service_worker", 1, [site.config.default_language])
    # The "sell with us" form and the schema its script validates with.
    add("sell", 1, full)
    add("sell_schema", 1, full)
    return +expected


def test_sample_site_builds_without_errors(sample_build: tuple[BuildResult, Path]) -> None:
    result, output = sample_build
    assert not result.report.has_errors
    assert (output / "index.html").is_file()
    assert (output / "404.html").is_file()
    assert (output / "catalogue.json").is_file()


def test_sample_page_counts_match_the_content(sample_build: tuple[BuildResult, Path]) -> None:
    result, output = sample_build
    assert result.site is not None
    assert result.pages_per_kind() == expected_counts(result.site)
    # and every planned page is on disk
    planned = {spec.output for spec in result.plan.pages} if result.plan else set()
    written = {p.relative_to(output).as_posix() for p in html_pages(output)}
    written |= {p.relative_to(output).as_posix() for p in (output / "catalogue").glob("*.json")}
    written |= {p.relative_to(output).as_posix() for p in output.glob("*/market/facets/**/*.json")}
    written |= {p.relative_to(output).as_posix() for p in output.glob("*/projects/ideas.json")}
    written |= {p.relative_to(output).as_posix() for p in output.glob("*/academy/*/offline.json")}
    written |= {p.relative_to(output).as_posix() for p in output.glob("*/sell/schema.json")}
    written |= {"sw.js"} & {p.name for p in output.glob("sw.js")}
    assert planned <= written
    assert written - planned == {"index.html", "404.html"}


def test_sample_content_meets_the_brief(sample_build: tuple[BuildResult, Path]) -> None:
    site = sample_build[0].site
    assert site is not None
    assert len(site.regions) == 12
    assert len(site.cooperatives) >= 12
    assert {c.region for c in site.cooperatives.values()} == set(site.regions)
    assert len(site.products) >= 40
    assert sum(1 for p in site.products.values() if p.variants) >= 5
    assert any(p.labels for p in site.products.values())
    assert len(site.projects) >= 8
    assert len(site.courses) >= 2
    assert all(any(lesson.quiz for lesson in tree.lessons) for tree in site.courses.values())
    assert {"about", "privacy", "how-to-sell"} <= set(site.pages)
    assert all(c.sample for c in site.cooperatives.values())
    assert sum(1 for c in site.cooperatives.values() if c.name.get("zgh")) >= 2


def test_every_sample_page_parses_and_has_the_essentials(
    sample_build: tuple[BuildResult, Path],
) -> None:
    result, output = sample_build
    assert result.plan is not None
    for spec in result.plan.pages:
        if spec.kind == "catalogue_shard":
            shard = json.loads((output / spec.output).read_text(encoding="utf-8"))
            assert shard["id"] == spec.key and shard["skus"], spec.url
            continue
        if spec.kind in ("facets", "facet_cells", "projects_data", "sell_schema"):
            assert json.loads((output / spec.output).read_text(encoding="utf-8")), spec.url
            continue
        if spec.kind == "course_offline":  # tests/test_offline.py checks what they list
            offline = json.loads((output / spec.output).read_text(encoding="utf-8"))
            assert offline["course"] == spec.key and offline["files"], spec.url
            continue
        if spec.kind == "service_worker":
            assert "addEventListener" in (output / spec.output).read_text(encoding="utf-8")
            continue
        tree = HTMLParser((output / spec.output).read_text(encoding="utf-8"))
        html = tree.css_first("html")
        assert html is not None
        assert html.attributes["lang"] == spec.lang, spec.url
        assert html.attributes["dir"] == ("rtl" if spec.lang == "ar" else "ltr"), spec.url
        canonical = tree.css_first('link[rel="canonical"]')
        assert canonical is not None and canonical.attributes["href"] == (
            "https://taawun.example.ma" + spec.url
        )
        hreflangs = {
            n.attributes["hreflang"]: n.attributes["href"]
            for n in tree.css('link[rel="alternate"][hreflang]')
        }
        assert hreflangs[spec.lang] == canonical.attributes["href"]
        assert all(href.startswith("https://") for href in hreflangs.values())
        assert len(tree.css("h1")) == 1, spec.url
        for script in tree.css('script[type="application/ld+json"]'):
            data = json.loads(script.text())
            assert data["@context"] == "https://schema.org"


def _unstable_in_pagefind(path: Path) -> bool:
    """Pagefind writes its filter and metadata indexes in hash-map order, so their bytes (and the
    entry file naming them) differ between runs on the same pages (Pagefind/pagefind#638:
    fragments are stable since 1.3, filter and metadata indexes are not)."""
    parts = path.parts
    return parts[0] == "pagefind" and (
        "filter" in parts or path.suffix == ".pf_meta" or path.name == "pagefind-entry.json"
    )


def test_build_twice_gives_identical_output(minimal_site: Path) -> None:
    first, second = minimal_site.parent / "one", minimal_site.parent / "two"
    build(minimal_site, first)
    build(minimal_site, second)

    def files(root: Path) -> dict[Path, bytes]:
        found = (p for p in root.rglob("*") if p.is_file())
        return {
            p.relative_to(root): p.read_bytes()
            for p in found
            if not _unstable_in_pagefind(p.relative_to(root))
        }

    one, two = files(first), files(second)
    assert len(one) > 100 and one == two


def test_rebuild_replaces_the_output_and_removes_stale_pages(minimal_site: Path) -> None:
    output = minimal_site.parent / "public"
    build(minimal_site, output)
    assert (output / "fr" / "about" / "index.html").is_file()
    for suffix in ("yaml", "ar.md", "fr.md"):
        (minimal_site / "pages" / f"about.{suffix}").unlink()
    build(minimal_site, output)
    assert not (output / "fr" / "about").exists()
    assert not list(output.parent.glob(".public.*"))


def test_sample_content_has_no_warnings() -> None:
    from generator.build import check

    report = check(SAMPLE_CONTENT).report
    assert report.problems == [], report.format()
