"""The search index (generator/search.py) and the search page: one Pagefind index per full
language, entity pages only, shards that merge in the browser, a real search in Chromium."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.build import BuildResult, build
from generator.cli import main
from generator.models import LocalizedText
from generator.search import (
    SCRIPT,
    SearchIndexError,
    SearchStats,
    _split,
    build_search_index,
    plan_shards,
    search_languages,
)
from generator.searchwords import search_aliases

from .quality.checkers import AXE_JS, AXE_OPTIONS, serve_directory

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SITES = Path(__file__).resolve().parent / "sites"
INDEXED_KINDS = {"product", "cooperative", "project", "course", "lesson"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuildResult, Path]]:
    """The minimal site, built once for this module, with its search index (re)built here."""
    root = tmp_path_factory.mktemp("search")
    shutil.copytree(SITES / "minimal" / "content", root / "content")
    output = root / "public"
    result = build(root / "content", output)
    build_search_index(output, ["ar", "fr"])
    yield result, output


@pytest.fixture(scope="module")
def sharded(
    built: tuple[BuildResult, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, SearchStats]]:
    """A copy of the built site indexed two pages per Pagefind run, so every language is split."""
    _, output = built
    copy = tmp_path_factory.mktemp("sharded") / "public"
    shutil.copytree(output, copy, ignore=shutil.ignore_patterns("pagefind"))
    stats = build_search_index(copy, ["ar", "fr"], shard_pages=2)
    yield copy, stats


def entity_urls(result: BuildResult, lang: str) -> set[str]:
    assert result.plan is not None
    return {s.url for s in result.plan.pages if s.kind in INDEXED_KINDS and s.lang == lang}


def indexed_urls(bundle: Path) -> set[str]:
    """The URLs of the pages in one Pagefind bundle, read from its (gzipped JSON) fragments."""
    urls = set()
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        urls.add(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return urls


def bundles_of(script: Path) -> dict[str, list[str]]:
    text = script.read_text(encoding="utf-8")
    start = text.index("var bundles = ") + len("var bundles = ")
    bundles: dict[str, list[str]] = json.loads(text[start : text.index(";\n", start)])
    return bundles


# -- the index ---------------------------------------------------------------------------------


def test_one_index_per_full_language_with_only_entity_pages(
    built: tuple[BuildResult, Path],
) -> None:
    result, output = built
    bundle = output / "pagefind"
    for lang in ("ar", "fr"):
        entry = json.loads((bundle / lang / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert set(entry["languages"]) == {lang}  # split by <html lang>: each page in its own
        assert entry["languages"][lang]["page_count"] == len(entity_urls(result, lang))
        assert indexed_urls(bundle / lang) == entity_urls(result, lang)  # no listing, no home
        assert (bundle / lang / "pagefind.js").is_file()
        assert (bundle / lang / f"wasm.{lang}.pagefind").is_file()
    assert (bundle / "pagefind-component-ui.js").is_file()
    assert (bundle / "pagefind-component-ui.css").is_file()
    assert bundles_of(bundle / SCRIPT) == {"ar": ["/pagefind/ar/"], "fr": ["/pagefind/fr/"]}
    assert not (bundle / "zgh").exists()  # partial language: no search page, no index
    assert not (bundle / "pagefind-ui.js").exists()  # only the Component UI is shipped


def test_fragments_carry_the_result_metadata_and_no_boilerplate(
    built: tuple[BuildResult, Path],
) -> None:
    _, output = built
    fragments = {}
    for fragment in (output / "pagefind" / "fr" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])
        fragments[data["url"]] = data
    rug = fragments["/fr/products/tapis-laine/"]
    assert rug["meta"]["title"] == "Tapis en laine"
    assert rug["meta"]["kind"] == "Produit"
    assert rug["meta"]["price"].replace("\u202f", " ").replace("\xa0", " ") == "1 500,00 MAD"
    assert rug["meta"]["region"]
    assert not rug["meta"].get("image")  # a related product's photo would be picked otherwise
    assert "Tapis tissé à la main" in rug["content"]  # the summary is searchable
    assert "Livraison" not in rug["content"]  # delivery terms are not
    assert fragments["/fr/cooperatives/tamount/"]["meta"]["kind"] == "Coopérative"


def test_sections_split_by_name_prefix_only_as_far_as_needed() -> None:
    folders = [("ab", 1), ("abc", 1), ("abd", 1), ("b1", 1), ("b2", 1)]
    assert _split(folders, "", 5) == [("*", 5)]
    assert _split(folders, "", 3) == [("a*", 3), ("b*", 2)]
    assert _split(folders, "", 1) == [
        ("ab", 1),  # the folder named exactly like the prefix: no star
        ("abc*", 1),
        ("abd*", 1),
        ("b1*", 1),
        ("b2*", 1),
    ]
    # a course with more lessons than a shard holds is kept whole
    assert _split([("big", 9), ("small", 1)], "", 5) == [("big", 9), ("s*", 1)]


def test_shards_are_globs_of_bounded_size(built: tuple[BuildResult, Path]) -> None:
    result, output = built
    (whole,) = plan_shards(output, "fr", 1000)
    assert whole.glob == "fr/{products/*,cooperatives/*,projects/*,academy/*}/**/index.html"
    # Pagefind also reads each course's attestation page (no data-pagefind-body: not indexed).
    assert result.plan is not None
    # Module pages too (data-pagefind-ignore: read, not indexed).
    attestations = sum(
        1
        for s in result.plan.pages
        if (s.kind, s.lang) in {("attestation", "fr"), ("module", "fr")}
    )
    assert whole.pages == len(entity_urls(result, "fr")) + attestations
    shards = plan_shards(output, "fr", 2)
    assert [(s.folder, s.glob, s.pages) for s in shards] == [
        # a section bigger than a shard is split, in shards that keep it in the fixed prefix
        ("fr", "fr/academy/{bases}/**/index.html", 5),  # one course (5 pages): kept whole
        ("fr-2", "fr/{products/*}/**/index.html", 2),
        ("fr-3", "fr/{cooperatives/*,projects/*}/**/index.html", 2),
    ]


def test_search_languages_are_those_with_a_search_page(built: tuple[BuildResult, Path]) -> None:
    _, output = built
    assert search_languages(output) == ["ar", "fr"]
    assert search_languages(output / "missing") == []


def test_shards_cover_every_page_once_and_are_listed_in_order(
    built: tuple[BuildResult, Path], sharded: tuple[Path, SearchStats]
) -> None:
    result, _ = built
    copy, stats = sharded
    bundles = bundles_of(copy / "pagefind" / SCRIPT)
    for lang in ("ar", "fr"):
        expected = entity_urls(result, lang)
        count = len(plan_shards(copy, lang, 2))
        assert count > 1
        assert stats.shards(lang) == count
        assert bundles[lang] == [f"/pagefind/{lang}/"] + [
            f"/pagefind/{lang}-{n}/" for n in range(2, count + 1)
        ]
        seen: list[str] = []
        for path in bundles[lang]:
            seen += indexed_urls(copy / path.strip("/"))
        assert sorted(seen) == sorted(expected)
        assert stats.pages(lang) == len(expected)
    assert 0 < stats.peak_mb < 500
    assert "shard(s)" in stats.summary()


def test_running_twice_replaces_the_index_and_leaves_no_work_folder(
    built: tuple[BuildResult, Path], tmp_path: Path
) -> None:
    _, output = built
    copy = tmp_path / "public"
    shutil.copytree(output, copy)
    first = build_search_index(copy, ["ar", "fr"])
    second = build_search_index(copy, ["ar", "fr"])
    assert first.pages("fr") == second.pages("fr") > 0
    assert indexed_urls(copy / "pagefind" / "fr") == indexed_urls(output / "pagefind" / "fr")
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_a_failed_run_keeps_the_previous_index(
    built: tuple[BuildResult, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, output = built
    copy = tmp_path / "public"
    shutil.copytree(output, copy)
    before = sorted(p.relative_to(copy).as_posix() for p in (copy / "pagefind").rglob("*"))
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'simulated failure' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    with pytest.raises(SearchIndexError, match="simulated failure"):
        build_search_index(copy, ["ar", "fr"])
    after = sorted(p.relative_to(copy).as_posix() for p in (copy / "pagefind").rglob("*"))
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind", "public"]


def test_cli_search_index(
    built: tuple[BuildResult, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, output = built
    copy = tmp_path / "public"
    shutil.copytree(output, copy, ignore=shutil.ignore_patterns("pagefind"))
    assert main(["search-index", "--output", str(copy)]) == 0
    assert "search index: ar" in capsys.readouterr().out
    assert (copy / "pagefind" / "fr" / "pagefind-entry.json").is_file()
    assert main(["search-index", "--output", str(tmp_path / "nothing")]) == 2
    assert "run `taawun build` first" in capsys.readouterr().err


# -- the search page ---------------------------------------------------------------------------


def test_search_page_language_direction_and_fallback(built: tuple[BuildResult, Path]) -> None:
    _, output = built
    for lang, direction in (("ar", "rtl"), ("fr", "ltr")):
        tree = HTMLParser((output / lang / "search" / "index.html").read_text(encoding="utf-8"))
        html = tree.css_first("html")
        assert html is not None and html.attributes == {"lang": lang, "dir": direction}
        fallback = tree.css_first("#search-fallback")
        assert fallback is not None and fallback.text().strip()
        links = {a.attributes.get("href") for a in tree.css(".search-browse a")}
        assert f"/{lang}/market/" in links
        assert any(str(h).startswith(f"/{lang}/market/categories/") for h in links)
        scripts = [s.attributes.get("src") for s in tree.css("head script[src]")]
        assert scripts[:2] == ["/pagefind/pagefind-component-ui.js", f"/pagefind/{SCRIPT}"]
        assert [str(s).split(".")[0] for s in scripts[2:]] == ["/static/js/cart"]
        assert tree.css_first("template#search-ui-template") is not None
        nav = tree.css_first(".main-nav a[aria-current='page']")
        assert nav is not None and nav.attributes["href"] == f"/{lang}/search/"
    product = (output / "fr" / "products" / "tapis-laine" / "index.html").read_text("utf-8")
    assert "pagefind-component-ui" not in product  # only the search page loads Pagefind
    assert 'href="/fr/search/"' in product  # but every page links to it


def test_search_pages_are_valid_html(built: tuple[BuildResult, Path]) -> None:
    from .quality.checkers import vnu_errors

    _, output = built
    try:
        errors = vnu_errors([output / lang / "search" / "index.html" for lang in ("ar", "fr")])
    except RuntimeError as missing:
        pytest.skip(f"the Nu HTML Checker is not installed: {missing}")
    assert errors == []


# -- in the browser ----------------------------------------------------------------------------


def search(browser: Browser, base: str, lang: str, term: str, expected: str) -> list[str]:
    """Type ``term`` on the search page of ``lang``; the result links once ``expected`` shows."""
    page = browser.new_page()
    try:
        page.goto(f"{base}{lang}/search/")
        page.fill("pagefind-input input", term)
        page.wait_for_selector(f'a.pf-result-link[href="{expected}"]', timeout=20_000)
        assert page.is_hidden("#search-fallback")
        return [
            str(a)
            for a in page.eval_on_selector_all(
                "a.pf-result-link", "l => l.map(a => a.getAttribute('href'))"
            )
        ]
    finally:
        page.close()


@pytest.mark.parametrize(("lang", "term"), [("fr", "tapis"), ("ar", "زربية")])
def test_search_finds_the_page_in_the_page_language(
    browser: Browser, built: tuple[BuildResult, Path], lang: str, term: str
) -> None:
    _, output = built
    with serve_directory(output) as base:
        links = search(browser, base, lang, term, f"/{lang}/products/tapis-laine/")
    assert all(link.startswith(f"/{lang}/") for link in links)


def test_search_reaches_pages_in_merged_shards(
    browser: Browser, sharded: tuple[Path, SearchStats]
) -> None:
    copy, _ = sharded
    with serve_directory(copy) as base:
        # neither is in the primary shard (the course is): both come from merged shards
        search(browser, base, "fr", "séchage", "/fr/projects/sechage-dattes/")
        search(browser, base, "fr", "tapis", "/fr/products/tapis-laine/")


def test_search_page_with_results_has_no_axe_violations(
    browser: Browser, built: tuple[BuildResult, Path]
) -> None:
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core not found at {AXE_JS}: npm ci --ignore-scripts --prefix tools")
    _, output = built
    found: list[str] = []
    with serve_directory(output) as base:
        for lang, term in (("fr", "tapis"), ("ar", "زربية")):
            page = browser.new_page()
            try:
                page.goto(f"{base}{lang}/search/")
                page.fill("pagefind-input input", term)
                page.wait_for_selector("a.pf-result-link", timeout=20_000)
                page.add_script_tag(path=str(AXE_JS))
                raw = page.evaluate(
                    "async (o) => (await axe.run(document, o)).violations", AXE_OPTIONS
                )
            finally:
                page.close()
            found += [
                f"/{lang}/search/: [{v.get('impact')}] {v['id']}: {v.get('help')} "
                f"({', '.join(str(n['target']) for n in v['nodes'][:5])})"
                for v in raw
            ]
    assert found == []


def test_without_javascript_the_page_explains_and_links(
    browser: Browser, built: tuple[BuildResult, Path]
) -> None:
    _, output = built
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        with serve_directory(output) as base:
            page.goto(f"{base}fr/search/")
            assert page.is_visible("#search-fallback")
            assert page.locator("pagefind-input").count() == 0  # still inert in its template
            assert page.is_visible('.search-browse a[href="/fr/market/"]')
    finally:
        context.close()


def test_index_build_does_not_need_the_working_directory(
    built: tuple[BuildResult, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, output = built
    copy = tmp_path / "site" / "public"
    shutil.copytree(output, copy, ignore=shutil.ignore_patterns("pagefind"))
    monkeypatch.chdir(tmp_path)
    os.makedirs("elsewhere")
    monkeypatch.chdir("elsewhere")
    stats = build_search_index(Path("../site/public"))
    assert stats.languages == ["ar", "fr"]


# -- how buyers spell things (issue: Arabic and French search) ----------------------------------

SPELLINGS = [
    ("ar", "زيت الاركان", "/ar/products/huile-argan-alimentaire/"),  # hamza dropped
    ("ar", "زَيْت الأَرْكان", "/ar/products/huile-argan-alimentaire/"),  # tashkeel
    ("ar", "زيـــت الأركان", "/ar/products/huile-argan-alimentaire/"),  # tatweel
    ("ar", "ماء الورده", "/ar/products/eau-rose-mgouna/"),  # ta marbuta written as ha
    ("ar", "تجميلى", "/ar/products/huile-argan-cosmetique/"),  # alef maqsura for ya
    ("ar", "argan", "/ar/products/huile-argan-alimentaire/"),  # the French name, in Latin script
    ("fr", "أركان", "/fr/products/huile-argan-alimentaire/"),  # the Arabic name
    ("fr", "Miel", "/fr/products/miel-thym-bouhachem/"),  # case
    ("fr", "miel", "/fr/products/miel-thym-bouhachem/"),
    ("fr", "thé", "/fr/projects/plantes-aromatiques-sechage/"),
    ("fr", "torrefiee", "/fr/products/huile-argan-alimentaire/"),  # accents
    ("fr", "the", "/fr/projects/plantes-aromatiques-sechage/"),  # "thé"
]


@pytest.mark.parametrize(("lang", "term", "expected"), SPELLINGS)
def test_search_finds_pages_however_the_buyer_spells_them(
    browser: Browser, sample_build: tuple[BuildResult, Path], lang: str, term: str, expected: str
) -> None:
    _, output = sample_build
    with serve_directory(output) as base:
        links = search(browser, base, lang, term, expected)
    assert all(link.startswith(f"/{lang}/") for link in links)


def test_search_aliases_are_the_other_names_and_the_other_spelling() -> None:
    name = LocalizedText(ar="زيت أركان تجميلي", fr="Huile d'argan")
    assert search_aliases([name], "ar").split() == ["تجميلى", "Huile", "d", "argan"]
    assert search_aliases([name], "fr").split() == ["زيت", "أركان", "تجميلي", "تجميلى"]
    assert search_aliases([None, LocalizedText(ar="حلوى", fr="x")], "fr").split() == [
        "حلوى",
        "حلوي",
    ]


def test_search_filters_by_kind_region_and_category(
    browser: Browser, sample_build: tuple[BuildResult, Path]
) -> None:
    _, output = sample_build
    with serve_directory(output) as base:
        page = browser.new_page()
        try:
            page.goto(f"{base}fr/search/")
            page.fill("pagefind-input input", "argan")
            page.wait_for_selector('a.pf-result-link[href="/fr/cooperatives/argan-tamanar/"]')
            filters = page.eval_on_selector_all(
                "pagefind-filter-dropdown", "ds => ds.map(d => d.getAttribute('filter'))"
            )
            assert filters == ["kind", "region", "category"]
            page.click("pagefind-filter-dropdown[filter=kind] .pf-dropdown-trigger")
            page.click(
                "pagefind-filter-dropdown[filter=kind] .pf-dropdown-option[data-value=Produit]"
            )
            page.wait_for_function(
                "() => { const links = [...document.querySelectorAll('a.pf-result-link')];"
                " return links.length > 0 && links.every("
                "a => a.getAttribute('href').startsWith('/fr/products/')) }"
            )
            links = page.eval_on_selector_all(
                "a.pf-result-link", "l => l.map(a => a.getAttribute('href'))"
            )
            assert "/fr/products/huile-argan-alimentaire/" in links
        finally:
            page.close()
