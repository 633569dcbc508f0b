"""The bank of project ideas and the region pages, checked against the content: the pre-built
filter listings, combining them in the browser (ideas.js), an idea's page and its printable
sheet, and what a region page brings together."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import parse_decimal
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator import i18n, ideas
from generator.build import BuildResult, build, check
from generator.models import ProjectIdea
from generator.site import Site

from .conftest import SAMPLE_CONTENT
from .quality.checkers import axe_violations, format_violations, serve_directory
from .test_incremental import assert_same_as_clean, rebuild

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # pragma: no cover
    Browser = Page = Any  # type: ignore[misc, assignment]

LANGS = ("ar", "fr")
LOCALES = {"ar": "ar_MA", "fr": "fr_MA"}
# The bands as docs/projects.md states them, in dirhams and direct jobs (written again here, not
# read from generator/ideas.py, so that a changed band shows up as a failure).
INVESTMENT = {
    "under-100k": (0, 100_000),
    "100k-500k": (100_000, 500_000),
    "500k-1m": (500_000, 1_000_000),
    "over-1m": (1_000_000, None),
}
JOBS = {"1-5": (0, 6), "6-15": (6, 16), "over-15": (16, None)}


def _in(bounds: tuple[int, int | None], value: Decimal | int) -> bool:
    low, below = bounds
    return value >= low and (below is None or value < below)


def filed_under(idea: ProjectIdea) -> set[str]:
    """Every listing an idea belongs on, computed from its content."""
    total = Decimal(idea.investment.total) / 100
    keys = {f"regions/{r}" for r in idea.regions} | {f"sectors/{idea.sector}"}
    keys |= {f"groups/{g}" for g in idea.target_groups}
    keys |= {f"investment/{k}" for k, b in INVESTMENT.items() if _in(b, total)}
    keys |= {f"jobs/{k}" for k, b in JOBS.items() if _in(b, idea.jobs.direct)}
    return keys


def expected_listings(site: Site) -> dict[str, list[str]]:
    """Listing key → the ids of its ideas, in the bank's order (by id)."""
    found: dict[str, list[str]] = {}
    for idea in sorted(site.projects.values(), key=lambda i: i.id):
        for key in filed_under(idea):
            found.setdefault(key, []).append(idea.id)
    return found


def parse(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def listed(tree: HTMLParser, lang: str) -> list[str]:
    """The ideas a pre-built listing page shows, by id."""
    prefix = f"/{lang}/projects/"
    hrefs = [str(a.attributes["href"]) for a in tree.css(".listing-grid .card-link")]
    assert all(h.startswith(prefix) for h in hrefs)
    return [h[len(prefix) :].strip("/") for h in hrefs]


def amount(text: str, lang: str) -> Decimal:
    """An amount as the page shows it ("25 000,00 MAD", "‏25.000,00 د.م.‏") → dirhams."""
    digits = re.sub(r"[^\d.,\u202f\u00a0 ]", "", text).strip()
    return Decimal(parse_decimal(digits, locale=LOCALES[lang]))


@pytest.fixture(scope="module")
def built(sample_build: tuple[BuildResult, Path]) -> tuple[Site, Path]:
    result, output = sample_build
    assert result.site is not None
    return result.site, output


# -- the pre-built filter listings ---------------------------------------------------------------


def test_the_sample_bank_covers_every_band(built: tuple[Site, Path]) -> None:
    keys = set(expected_listings(built[0]))
    assert {f"investment/{k}" for k in INVESTMENT} <= keys
    assert {f"jobs/{k}" for k in JOBS} <= keys
    assert any(len(i.regions) > 1 for i in built[0].projects.values())


@pytest.mark.parametrize("lang", LANGS)
def test_filter_pages_list_exactly_the_matching_ideas(built: tuple[Site, Path], lang: str) -> None:
    site, output = built
    expected = expected_listings(site)
    bank = output / lang / "projects"
    for key, ids in expected.items():
        tree = parse(bank / key / "index.html")
        assert listed(tree, lang) == ids, key
        count = tree.css_first(".idea-count").text()
        assert i18n.number(len(ids), lang) in count, key
        current = tree.css_first('.facets a[aria-current="page"]')
        assert current.attributes["href"] == f"/{lang}/projects/{key}/"
    # Only values that hold ideas get a page: no empty listing, no listing missing.
    made = {
        p.parent.relative_to(bank).as_posix()
        for facet in ("regions", "sectors", "groups", "investment", "jobs")
        for p in (bank / facet).glob("*/index.html")
    }
    assert made == set(expected)
    assert "sectors/habitat" not in made  # a sector of the data without ideas
    whole = parse(bank / "index.html")
    assert listed(whole, lang) == sorted(site.projects)
    # The sidebar offers every listing with its count.
    offered = {
        str(li.css_first("a").attributes["href"]): li.css_first(".count").text()
        for li in whole.css(".facets li")
    }
    assert set(offered) == {f"/{lang}/projects/{key}/" for key in expected}
    for key, ids in expected.items():
        assert offered[f"/{lang}/projects/{key}/"] == i18n.number(len(ids), lang), key


@pytest.mark.parametrize("lang", LANGS)
def test_band_names_are_formatted_for_the_locale(built: tuple[Site, Path], lang: str) -> None:
    _, output = built
    tree = parse(output / lang / "projects" / "investment" / "under-100k" / "index.html")
    heading = tree.css_first("h1").text()
    assert i18n.whole_money(100_000_00, lang) in heading  # Babel: "100 000 MAD", "‏100.000 د.م.‏"
    labels = [
        a.text() for a in tree.css(".facets li a") if "/investment/" in str(a.attributes["href"])
    ]
    assert len(labels) == len(INVESTMENT)
    if lang == "fr":
        assert labels[0] == "Moins de 100\u202f000\xa0MAD"
        assert labels[-1] == "1\u202f000\u202f000\xa0MAD et plus"


def test_bands_split_at_their_bounds() -> None:
    def investment(dirhams: str) -> str:
        return ideas.band_of(ideas.INVESTMENT_BANDS, int(Decimal(dirhams) * 100)).key

    assert investment("0.00") == "under-100k"
    assert investment("99999.99") == "under-100k"
    assert investment("100000.00") == "100k-500k"
    assert investment("500000.00") == "500k-1m"
    assert investment("999999.99") == "500k-1m"
    assert investment("1000000.00") == "over-1m"
    jobs = [ideas.band_of(ideas.JOB_BANDS, n).key for n in (0, 1, 5, 6, 15, 16, 200)]
    assert jobs == ["1-5", "1-5", "1-5", "6-15", "6-15", "over-15", "over-15"]


def test_long_listings_are_paginated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    monkeypatch.chdir(tmp_path)
    config = content / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"items_per_page: \d+", "items_per_page: 4", text), encoding="utf-8")
    result = build(content, tmp_path / "public", search=False)
    assert result.site is not None
    bank = tmp_path / "public" / "fr" / "projects"
    pages = [bank / "index.html", *(bank / "page" / str(n) / "index.html" for n in (2, 3))]
    shown = [i for p in pages for i in listed(parse(p), "fr")]
    assert shown == sorted(result.site.projects) and len(shown) > 8
    assert not (bank / "page" / "4").exists()
    women = expected_listings(result.site)["groups/women"]
    assert len(women) > 4
    first = parse(bank / "groups" / "women" / "index.html")
    second = parse(bank / "groups" / "women" / "page" / "2" / "index.html")
    assert listed(first, "fr") + listed(second, "fr") == women[:8]
    assert first.css_first('nav.pager a[rel="next"]').attributes["href"] == (
        "/fr/projects/groups/women/page/2/"
    )


# -- an idea's page ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_idea_page_shows_its_sheet(built: tuple[Site, Path], lang: str) -> None:
    site, output = built
    for idea in site.projects.values():
        tree = parse(output / lang / "projects" / idea.id / "index.html")
        where = idea.id

        table = tree.css_first("table.investment")
        assert table.css_first("caption") is not None
        assert [th.text() for th in table.css("thead th")]  # column headers
        rows = [amount(td.text(), lang) for td in table.css("tbody td")]
        total = amount(table.css_first("tfoot td").text(), lang)
        assert sum(rows) == total == Decimal(idea.investment.total) / 100, where
        assert len(rows) == len(idea.investment.items) + bool(idea.investment.working_capital)

        figures = [dd.text() for dd in tree.css(".key-figures dd")]
        assert i18n.number(idea.jobs.direct, lang) in figures
        assert i18n.number(idea.jobs.indirect, lang) in figures
        assert i18n.percent(idea.jobs.women_share / 100, lang) in figures
        assert i18n.percent(idea.jobs.youth_share / 100, lang) in figures

        assert idea.economics is not None
        economics = tree.css_first(".economics").text()
        assert i18n.money(idea.economics.revenue_year1, lang) in economics
        assert i18n.percent(idea.economics.margin_pct / 100, lang) in economics
        assert i18n.number(idea.economics.breakeven_months, lang) in economics

        funding = tree.css_first("ul.funding").text()
        for key in idea.funding:
            assert site.funding[key].name.resolve(lang)[0] in funding, (where, key)

        boxes = tree.css("ul.todo input[type=checkbox]")
        assert len(boxes) == len(idea.regulatory) > 0, where
        assert all(box.parent.tag == "label" and box.parent.text().strip() for box in boxes)

        risks = tree.css("table.risks tbody tr")
        assert [r.css_first("td").text() for r in risks] == [
            x.risk.resolve(lang)[0] for x in idea.risks
        ]


@pytest.mark.parametrize("lang", LANGS)
def test_skills_link_to_the_courses_that_teach_them(built: tuple[Site, Path], lang: str) -> None:
    site, output = built
    linked = 0
    for idea in site.projects.values():
        tree = parse(output / lang / "projects" / idea.id / "index.html")
        items = tree.css("ul.skills li")
        assert len(items) == len(idea.skills)
        for skill, item in zip(idea.skills, items, strict=True):
            links = [str(a.attributes["href"]) for a in item.css("a")]
            if skill.course is None:
                assert links == []
                continue
            linked += 1
            assert links == [f"/{lang}/academy/{skill.course}/"]
            assert (output / lang / "academy" / skill.course / "index.html").is_file()
        for a in tree.css('a[href*="/academy/"]'):  # every course link resolves
            href = str(a.attributes["href"])
            assert (output / href.strip("/") / "index.html").is_file(), href
    assert linked >= 5


@pytest.mark.parametrize("lang", LANGS)
def test_the_idea_page_links_its_print_stylesheet(built: tuple[Site, Path], lang: str) -> None:
    _, output = built
    tree = parse(output / lang / "projects" / "poules-beldi-oeufs" / "index.html")
    sheets = tree.css('link[rel="stylesheet"][media="print"]')
    assert len(sheets) == 1
    css = (output / str(sheets[0].attributes["href"]).lstrip("/")).read_text(encoding="utf-8")
    assert css.startswith("@media print")
    assert "@page{size:A4" in css.replace(" ", "")
    hidden = re.search(r"([^{}]*)\{display:none!important\}", css.replace(" ", ""))
    assert hidden and {".site-header", ".site-footer", ".sheet-hide"} <= set(hidden[1].split(","))
    button = tree.css_first("button[data-print]")
    assert button is not None and "hidden" in button.attributes


# -- region pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_region_pages_bring_the_region_together(built: tuple[Site, Path], lang: str) -> None:
    site, output = built
    for region in site.regions:
        coops = [c for c in site.cooperatives.values() if c.region == region]
        products = [
            p
            for p in site.products.values()
            if (p.origin.region if p.origin else site.cooperatives[p.cooperative].region) == region
        ]
        projects = sorted(i.id for i in site.projects.values() if region in i.regions)
        tree = parse(output / lang / "regions" / region / "index.html")

        def count(section: str, tree: HTMLParser = tree) -> str:
            node = tree.css_first(f"#{section} .count")
            return node.text() if node else ""

        assert count("h-coops") == i18n.number(len(coops), lang)
        shown = {str(a.attributes["href"]) for a in tree.css(".grid.coops .card-link")}
        assert shown <= {f"/{lang}/cooperatives/{c.id}/" for c in coops} and len(shown) == min(
            len(coops), 12
        )
        if coops:
            assert tree.css_first(f'a[href="/{lang}/regions/{region}/cooperatives/"]')
        if products:
            assert count("h-products") == i18n.number(len(products), lang)
            assert tree.css_first(f'a[href="/{lang}/market/regions/{region}/"]')
        else:
            assert tree.css_first("#h-products") is None
        ideas_shown = sorted(
            str(a.attributes["href"]).split("/")[-2] for a in tree.css(".grid.ideas .card-link")
        )
        assert ideas_shown == projects
        assert count("h-ideas") == i18n.number(len(projects), lang)
        if projects:
            assert tree.css_first(f'a[href="/{lang}/projects/regions/{region}/"]')

        figures = [li.css_first("strong").text() for li in tree.css(".region-figures li")]
        members = sum(c.members.total for c in coops)
        assert figures[:2] == [i18n.number(len(coops), lang), i18n.number(members, lang)]
        assert i18n.number(len(products), lang) in figures


# axe drives its own Chromium: it runs before the module's `browser` fixture starts one.
def test_the_pages_have_no_accessibility_violations(built: tuple[Site, Path]) -> None:
    _, output = built
    paths = [
        f"/{lang}/{path}"
        for lang in LANGS
        for path in (
            "projects/",
            "projects/investment/100k-500k/",
            "projects/poules-beldi-oeufs/",
            "regions/marrakech-safi/",
        )
    ]
    with serve_directory(output) as base_url:
        violations = axe_violations(base_url, paths)
    assert not any(violations.values()), format_violations(violations)


# -- combining the filters in the browser --------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(sample_build: tuple[BuildResult, Path]) -> Iterator[str]:
    with serve_directory(sample_build[1]) as base:
        yield base.rstrip("/")


def shown_in_browser(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#filter-results .card-link", "links => links.map(a => a.getAttribute('href'))"
    )
    return [str(h).strip("/").split("/")[-1] for h in hrefs]


@pytest.mark.parametrize("lang", LANGS)
def test_idea_filters_combine_without_a_reload(
    browser: Browser, site_url: str, built: tuple[Site, Path], lang: str
) -> None:
    site = built[0]
    expected = expected_listings(site)
    page = browser.new_context().new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site_url}/{lang}/projects/")
    assert page.is_visible("form.idea-filter")
    assert not any(url.endswith("ideas.json") for url in requests)  # nothing until used

    page.select_option("form.idea-filter select[name=regions]", "marrakech-safi")
    page.wait_for_selector("#filter-results:not([hidden])")
    region = expected["regions/marrakech-safi"]
    assert shown_in_browser(page) == region and len(region) > 1
    assert page.is_hidden(".listing-grid")

    page.select_option("form.idea-filter select[name=sectors]", "agriculture")
    both = [i for i in region if i in expected["sectors/agriculture"]]
    page.wait_for_function(
        "n => document.querySelectorAll('#filter-results .card-link').length === n", arg=len(both)
    )
    assert shown_in_browser(page) == both and 0 < len(both) < len(region)
    count = page.text_content("#filter-results .filter-count") or ""
    assert i18n.number(len(both), lang) in count

    page.select_option("form.idea-filter select[name=investment]", "over-1m")
    page.wait_for_function("!document.querySelector('#filter-results .card-link')")
    none = page.text_content("#filter-results .filter-count") or ""
    assert none.strip() and not re.search(r"\d", none)  # "no idea matches", not a count

    page.click("form.idea-filter button[type=reset]")
    page.wait_for_selector("#filter-results", state="hidden")
    assert page.is_visible(".listing-grid")
    assert sum(url.endswith("ideas.json") for url in requests) == 1  # fetched once


def test_a_facet_page_presets_its_own_filter(
    browser: Browser, site_url: str, built: tuple[Site, Path]
) -> None:
    expected = expected_listings(built[0])
    page = browser.new_context().new_page()
    page.goto(f"{site_url}/ar/projects/groups/women/")
    assert page.input_value("form.idea-filter select[name=groups]") == "women"
    assert page.is_hidden("#filter-results")  # the pre-built listing is the preset's result
    page.select_option("form.idea-filter select[name=jobs]", "6-15")
    want = [i for i in expected["groups/women"] if i in expected["jobs/6-15"]]
    page.wait_for_selector("#filter-results:not([hidden])")
    assert shown_in_browser(page) == want and 0 < len(want) < len(expected["groups/women"])
    assert page.get_attribute("html", "dir") == "rtl"


def test_without_javascript_the_facet_links_do_the_filtering(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{site_url}/fr/projects/")
    assert page.is_hidden("form.idea-filter")
    page.locator(".facets details").nth(1).locator("summary").click()  # closed: not this facet
    page.click('.facets a[href="/fr/projects/sectors/agriculture/"]')
    assert page.url.endswith("/fr/projects/sectors/agriculture/")
    assert page.is_visible(".listing-grid .card-link")


def test_every_sample_idea_prints_on_one_a4_page(
    browser: Browser, site_url: str, built: tuple[Site, Path]
) -> None:
    page = browser.new_context().new_page()
    for lang in LANGS:
        for idea in built[0].projects:
            page.goto(f"{site_url}/{lang}/projects/{idea}/")
            pdf = page.pdf(format="A4")
            pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
            assert pages == 1, f"{lang}/{idea} prints on {pages} pages"


def test_the_print_button_prints(browser: Browser, site_url: str) -> None:
    page = browser.new_context().new_page()
    page.add_init_script("window.print = () => { window.__printed = true; };")
    page.goto(f"{site_url}/fr/projects/apiculture-collective-jeunes/")
    page.click("button[data-print]")
    assert page.evaluate("window.__printed") is True


def test_the_scripts_stay_small(built: tuple[Site, Path]) -> None:
    _, output = built
    for name, budget in (("ideas", 1_600), ("print", 300)):
        (script,) = (output / "static" / "js").glob(f"{name}.*.js")
        assert len(gzip.compress(script.read_bytes(), 9)) <= budget, name
    data = output / "fr" / "projects" / "ideas.json"
    assert len(gzip.compress(data.read_bytes(), 9)) < 2_000


# -- incremental builds and content errors -------------------------------------------------------


@pytest.fixture
def sample_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A copy of the sample content, built once (clean); returns (content, output)."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "public"
    assert build(content, output, jobs=1, search=False).mode == "clean"
    return content, output


def test_an_idea_moving_band_rebuilds_the_listings(sample_copy: tuple[Path, Path]) -> None:
    content, output = sample_copy
    source = content / "projects" / "poules-beldi-oeufs.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('amount: "25000.00"', 'amount: "1025000.00"'), encoding="utf-8")

    result = rebuild(content, output)

    rendered = set(result.rendered)
    assert {
        "fr/projects/poules-beldi-oeufs/index.html",
        "ar/projects/investment/over-1m/index.html",
        "fr/projects/ideas.json",
        "fr/regions/marrakech-safi/index.html",
    } <= rendered
    assert not (output / "fr" / "projects" / "investment" / "under-100k").exists()
    assert_same_as_clean(content, output)


def test_a_skill_naming_an_unknown_course_is_reported(
    minimal_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = minimal_site / "projects" / "sechage-dattes.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    lines.append('skills: [{ar: "التسيير", fr: "Gérer", course: gestion-de-base}]')
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = check(minimal_site, None, 1, None).report
    problems = [p for p in report.problems if p.code == "unknown-course"]
    assert len(problems) == 1
    assert problems[0].location.line == len(lines)
    assert "gestion-de-base" in problems[0].message
