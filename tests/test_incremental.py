"""Incremental builds: after an edit, only the pages made from what changed are rendered again, and
the output is byte for byte what a clean build (no cache) gives."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import BuildResult, build
from generator.theme import DEFAULT_THEME, Theme

from .conftest import SAMPLE_CONTENT

PRODUCT = "amlou-tamanar"  # a product of argan-tamanar, with labels and related products
PRODUCT_FILE = Path("products/argan-tamanar/amlou-tamanar.yaml")


def snapshot(output: Path) -> dict[str, bytes]:
    """Every file of a built site (the search index is rebuilt as a whole and checked elsewhere)."""
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*")
        if p.is_file() and not p.relative_to(output).as_posix().startswith("pagefind/")
    }


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A copy of the sample content, built once (clean); returns (content, output)."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "public"
    first = build(content, output, jobs=1, search=False)
    assert first.mode == "clean"
    return content, output


def rebuild(content: Path, output: Path, theme: Theme | None = None) -> BuildResult:
    result = build(content, output, theme, jobs=1, search=False)
    assert result.mode == "incremental"
    return result


def assert_same_as_clean(content: Path, output: Path, theme: Theme | None = None) -> None:
    fresh = output.with_name("fresh")
    build(content, fresh, theme, jobs=1, search=False, incremental=False)
    assert snapshot(output) == snapshot(fresh)


def pages_showing(output: Path, product: str) -> set[str]:
    """Pages whose HTML links to the product: its own pages and every page that shows its card."""
    link = re.compile(rf'href="/[a-z]+/products/{product}/"'.encode())
    return {
        rel for rel, data in snapshot(output).items() if rel.endswith(".html") and link.search(data)
    } - {"404.html"}


def test_nothing_changed_renders_nothing(site: tuple[Path, Path]) -> None:
    content, output = site
    before = snapshot(output)
    result = rebuild(content, output)
    assert result.rendered == []
    assert result.removed == []
    assert snapshot(output) == before


def test_a_price_change_renders_exactly_the_pages_that_show_the_product(
    site: tuple[Path, Path],
) -> None:
    content, output = site
    showing = pages_showing(output, PRODUCT)
    # The product, its cooperative, related products, listings: a real set, not everything.
    assert {
        f"ar/products/{PRODUCT}/index.html",
        "fr/cooperatives/argan-tamanar/index.html",
    } < showing
    assert len(showing) < 60
    before = snapshot(output)
    source = content / PRODUCT_FILE
    text = source.read_text(encoding="utf-8")
    assert 'price: "80.00"' in text
    source.write_text(text.replace('price: "80.00"', 'price: "85.00"'), encoding="utf-8")

    result = rebuild(content, output)

    # Data files that carry prices: the cooperative's part of the catalogue (for the cart) and
    # the market's facets (for facets.js), per language.
    cell = "market/facets/amlou-spreads/marrakech-safi.json"  # the product's category × region
    data = {"catalogue/argan-tamanar.json", f"ar/{cell}", f"fr/{cell}"}
    assert set(result.rendered) == showing | data
    # Every page rendered again shows the new price, so its bytes changed; nothing else did
    # (but the catalogue, which carries prices).
    assert changed(before, snapshot(output)) == showing | {"catalogue.json"} | data
    assert_same_as_clean(content, output)


def test_a_french_description_renders_one_page(site: tuple[Path, Path]) -> None:
    content, output = site
    body = content / PRODUCT_FILE.with_name(f"{PRODUCT}.fr.md")
    body.write_text(
        body.read_text(encoding="utf-8") + "\nRécolte de cette année.\n", encoding="utf-8"
    )

    result = rebuild(content, output)

    assert result.rendered == [f"fr/products/{PRODUCT}/index.html"]
    assert_same_as_clean(content, output)


def test_a_template_change_renders_every_page_that_uses_it(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    content, output = site
    folder = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, folder)
    theme = Theme(folder)
    rebuild(content, output, theme)  # the copy is the same theme: nothing to do
    template = folder / "templates" / "product.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "{% block main %}", "{% block main %}<!-- v2 -->"
        ),
        encoding="utf-8",
    )

    result = rebuild(content, output, Theme(folder))

    product_pages = {
        p for p in snapshot(output) if re.fullmatch(r"[a-z]+/products/[^/]+/index\.html", p)
    }
    assert set(result.rendered) == product_pages
    assert all(b"<!-- v2 -->" in (output / p).read_bytes() for p in product_pages)
    assert_same_as_clean(content, output, Theme(folder))


def test_a_shared_template_change_renders_every_page(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    content, output = site
    folder = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, folder)
    rebuild(content, output, Theme(folder))
    base = folder / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("</body>", "<!-- v2 --></body>"), encoding="utf-8"
    )

    result = rebuild(content, output, Theme(folder))

    every_page = {p for p in snapshot(output) if p.endswith(".html") and "/" in p}
    # The offline files list pages with their sizes and hashes (offline.py): they follow them.
    offline = {p for p in snapshot(output) if p.endswith("/offline.json")} | {"sw.js"}
    assert set(result.rendered) == every_page | offline
    assert_same_as_clean(content, output, Theme(folder))


def test_a_deleted_product_disappears(site: tuple[Path, Path]) -> None:
    content, output = site
    for path in (content / PRODUCT_FILE.parent).glob(f"{PRODUCT}.*"):
        path.unlink()

    result = rebuild(content, output)

    assert f"ar/products/{PRODUCT}/index.html" in result.removed
    assert not (output / "ar" / "products" / PRODUCT).exists()
    assert_same_as_clean(content, output)


def test_a_new_product_appears(site: tuple[Path, Path]) -> None:
    content, output = site
    folder = content / PRODUCT_FILE.parent
    for path in folder.glob(f"{PRODUCT}.*"):
        text = path.read_text(encoding="utf-8").replace(PRODUCT, "amlou-tamanar-bio")
        text = re.sub(r"sku: ([a-z0-9-]+)", r"sku: \1-bio", text)
        (folder / path.name.replace(PRODUCT, "amlou-tamanar-bio")).write_text(
            text, encoding="utf-8"
        )

    result = rebuild(content, output)

    assert "fr/products/amlou-tamanar-bio/index.html" in result.rendered
    assert_same_as_clean(content, output)


def test_cooperative_and_site_config_edits(site: tuple[Path, Path]) -> None:
    content, output = site
    coop = content / "cooperatives" / "argan-tamanar.yaml"
    text = coop.read_text(encoding="utf-8")
    coop.write_text(
        re.sub(r"total: (\d+)", lambda m: f"total: {int(m.group(1)) + 1}", text, count=1),
        encoding="utf-8",
    )
    result = rebuild(content, output)
    assert "ar/cooperatives/argan-tamanar/index.html" in result.rendered
    assert f"fr/products/{PRODUCT}/index.html" in result.rendered  # shows the cooperative's card
    assert_same_as_clean(content, output)

    config = content / "site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("contact_email:", "contact_email: ", 1),
        encoding="utf-8",
    )
    site_yaml = config.read_text(encoding="utf-8")
    config.write_text(site_yaml + "\n# edited\n", encoding="utf-8")
    result = rebuild(content, output)
    assert len(result.rendered) == len(  # every page, and every part of the cart's catalogue
        [
            p
            for p in snapshot(output)
            if (p.endswith(".html") and "/" in p)
            or p.startswith("catalogue/")
            or "/market/facets/" in p
            or p.endswith("/projects/ideas.json")
            or p.endswith("/offline.json")  # a course's offline files (they list its pages)
            or p == "sw.js"  # it precaches the offline pages
            or p.endswith("/sell/schema.json")  # the sell form's schema and messages
        ]
    )
    assert_same_as_clean(content, output)


def test_deleting_the_cache_gives_the_same_output(site: tuple[Path, Path]) -> None:
    content, output = site
    before = snapshot(output)
    shutil.rmtree(output.parent / ".taawun-cache")
    result = build(content, output, jobs=1, search=False)
    assert result.mode == "clean"
    assert snapshot(output) == before


def test_a_broken_edit_writes_nothing(site: tuple[Path, Path]) -> None:
    from generator.errors import BuildFailed

    content, output = site
    before = snapshot(output)
    source = content / PRODUCT_FILE
    source.write_text(
        source.read_text(encoding="utf-8").replace("category:", "categroy:"), encoding="utf-8"
    )
    with pytest.raises(BuildFailed):
        build(content, output, jobs=1, search=False)
    assert snapshot(output) == before
