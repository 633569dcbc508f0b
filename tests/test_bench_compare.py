"""The benchmark against other generators (bench/): converters, real builds, memory measurement."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("psutil", reason="the benchmark needs psutil (pip install -e '.[bench]')")

from bench import compare, measure
from bench.others import hugo, hugo_watch, mkdocs, pelican, source, taawun
from bench.others.project import count_html, count_language_pages

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content"
TOOLS = {"hugo": hugo, "pelican": pelican, "mkdocs": mkdocs}


def _need(module: ModuleType) -> None:
    if not module.available():
        pytest.skip(f"{module.NAME} is not installed (pip install -e '.[bench]')")


@pytest.fixture(scope="module")
def sample() -> source.Site:
    return source.load(SAMPLE)


def _synthetic() -> source.Site:
    """50 products: 30 honey (2 listing pages), 20 dates; plus a category with no product."""
    products = [
        source.Product(
            id=f"p-{i:02d}",
            cooperative="coop-a" if i % 2 else "coop-b",
            category="honey" if i < 30 else "dates",
            price=f"{10 + i}.00",
            published=date(2025, 1, 1 + i % 28),
            name={"ar": f"منتج {i}", "fr": f"Produit {i}"},
            body={"ar": f"وصف المنتج {i}.\n", "fr": f"Description du *produit* {i}.\n"},
        )
        for i in range(50)
    ]
    return source.Site(
        root=Path("synthetic"),
        products=products,
        cooperatives={
            "coop-a": {"ar": "تعاونية أ", "fr": "Coopérative A"},
            "coop-b": {"ar": "تعاونية ب", "fr": "Coopérative B"},
        },
        categories={
            "honey": {"ar": "العسل", "fr": "Miel"},
            "dates": {"ar": "التمور", "fr": "Dattes"},
            "unused": {"ar": "؟", "fr": "Inutilisée"},
        },
    )


def test_synthetic_expected_pages() -> None:
    # per language: 50 products + market 3 pages + honey 2 + dates 1 (no page for "unused")
    assert _synthetic().expected_pages() == 2 * (50 + 3 + 2 + 1)


@pytest.fixture(scope="module")
def mixed(sample: source.Site) -> source.Site:
    """The sample plus the synthetic products, so that both markets and categories paginate."""
    extra = _synthetic()
    return source.Site(
        root=SAMPLE,
        products=[*sample.products, *extra.products],
        cooperatives={**sample.cooperatives, **extra.cooperatives},
        categories={**extra.categories, **sample.categories},
    )


@pytest.fixture(scope="module", params=sorted(TOOLS))
def built(
    request: pytest.FixtureRequest, mixed: source.Site, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """Each tool's build of ``mixed``, once per module; checks the page count on the way."""
    name: str = request.param
    module = TOOLS[name]
    _need(module)
    project = module.convert(mixed, tmp_path_factory.mktemp(name) / "project")
    m = measure.run(project.command(), cwd=project.root, env=project.environment(), timeout=120)
    assert m.ok, m.stderr[-3000:]
    assert m.peak_mb > 0
    return name, project.output


def test_tool_builds_products_and_listings_per_language(
    built: tuple[str, Path], mixed: source.Site
) -> None:
    name, output = built
    assert count_language_pages(output) == mixed.expected_pages()
    assert count_html(output) >= mixed.expected_pages()
    product = mixed.products[0]
    pages = [p for p in output.rglob("*.html") if product.id in p.parts]
    assert len(pages) == 2, pages  # one per language
    for page in pages:
        lang = next(part for part in page.relative_to(output).parts if part in source.LANGS)
        html = page.read_text(encoding="utf-8").replace("&#39;", "'")
        assert product.price in html
        assert mixed.categories[product.category][lang] in html
        assert mixed.cooperatives[product.cooperative][lang] in html
        if name != "mkdocs":  # the MkDocs theme has one direction for the whole site
            assert f'dir="{source.DIRECTION[lang]}"' in html


def test_tool_paginates_listings_by_24(built: tuple[str, Path], mixed: source.Site) -> None:
    _, output = built
    last = math.ceil(len(mixed.products) / 24)
    honey = math.ceil(len(mixed.by_category()["honey"]) / 24)
    assert honey >= 2
    for lang in source.LANGS:
        market = next(output.glob(f"{lang}/*/page/{last}/index.html"))
        items = market.read_text(encoding="utf-8").count(" MAD")
        assert items == len(mixed.products) - 24 * (last - 1)
        assert not list(output.glob(f"{lang}/*/page/{last + 1}/index.html"))
        assert list(output.glob(f"{lang}/**/honey/page/{honey}/index.html"))
        assert not list(output.glob(f"{lang}/**/honey/page/{honey + 1}/index.html"))


def test_hugo_watch_rebuild_is_measured(tmp_path: Path) -> None:
    _need(hugo)
    site = _synthetic()
    project = hugo.convert(site, tmp_path / "hugo")
    edited = hugo.product_file(project, "p-07")
    before = edited.read_bytes()
    result = hugo_watch.measure(project, "p-07", repeats=1, settle=0.2, rebuild_timeout=30)
    assert len(result.reported_seconds) == len(result.wall_seconds) == 1
    assert 0 < result.reported_median <= result.wall_median < 30
    assert edited.read_bytes() == before  # restored


CHILD_ALLOCATES = """
import os, time
pid = os.fork()
if pid == 0:
    block = b"x" * (100 * 2**20)
    time.sleep(0.6)
    os._exit(0)
os.waitpid(pid, 0)
"""


def test_measure_sees_a_forked_childs_memory() -> None:
    m = measure.run([sys.executable, "-c", CHILD_ALLOCATES], interval=0.02)
    assert m.ok
    assert m.peak_mb >= 100
    assert m.max_rss_mb >= 100  # the kernel's figure for the child, via wait4
    assert m.max_processes >= 2
    assert m.memory_source == "pss"
    assert 0.6 <= m.seconds < 10


def test_measure_reports_exit_code_output_and_timeout() -> None:
    m = measure.run(
        [sys.executable, "-c", "import sys, time; time.sleep(0.1); print('hi'); sys.exit(3)"]
    )
    assert (m.returncode, m.ok, m.stdout.strip()) == (3, False, "hi")
    assert m.peak_mb > 0
    m = measure.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert m.timed_out and not m.ok and m.seconds < 10


def test_taawun_build_command_has_content_and_output(tmp_path: Path) -> None:
    command = taawun.build_command(tmp_path / "c", tmp_path / "o", None, tmp_path / "cache")
    assert command[1:6] == [
        "build",
        "--content",
        str(tmp_path / "c"),
        "--output",
        str(tmp_path / "o"),
    ]
    assert "--jobs" not in command


def test_table_is_aligned_with_ratios_against_taawun() -> None:
    rows = [
        compare.Row("1,000", 1000, "taawun", "clean build", 2000, 10.0, 200.0),
        compare.Row("1,000", 1000, "hugo", "clean build", 1900, 2.5, 100.0),
        compare.Row("1,000", 1000, "taawun", "one edit", note="not available"),
    ]
    text = compare.table(rows).splitlines()
    for column, value in (("pages", "2,000"), ("seconds", "10.00"), ("peak MB", "200")):
        end = text[0].index(column) + len(column)  # numbers are right-aligned under their header
        assert text[2][end - len(value) : end] == value
    assert "0.25×" in text[3] and "0.50×" in text[3] and "400" in text[3]  # 1000 / 2.5 s
    assert text[4].endswith("not available")


@pytest.mark.skipif(not compare.CORPUS_SCRIPT.exists(), reason="bench/corpus.py does not exist yet")
def test_generated_corpus_converts_and_builds_with_hugo(tmp_path: Path) -> None:
    _need(hugo)
    subprocess.run(
        [
            sys.executable,
            str(compare.CORPUS_SCRIPT),
            "1",
            "--seed",
            "1",
            "--out",
            str(tmp_path / "c"),
            "--jobs",
            "1",
        ],
        check=True,
        capture_output=True,
    )
    site = source.load(compare.content_root(tmp_path / "c"))
    assert site.products and all(p.body["ar"] and p.body["fr"] for p in site.products)
    project = hugo.convert(site, tmp_path / "hugo")
    assert measure.run(project.command(), timeout=60).ok
    assert count_language_pages(project.output) == site.expected_pages()
