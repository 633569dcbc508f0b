"""The benchmark corpus generator (bench/corpus.py): valid, deterministic, realistic in shape."""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.corpus import REGIONS, generate, main
from generator.build import check

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` → the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)


def words(path: Path) -> int:
    """Words of a Markdown body, not counting heading and list markers."""
    return sum(1 for token in path.read_text(encoding="utf-8").split() if token not in ("##", "-"))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "content"
    generate(15, 7, out, jobs=1)
    return out


@pytest.fixture(scope="module")
def sixty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus60") / "content"
    generate(60, 3, out, jobs=1)
    return out


def test_small_corpus_passes_check_without_warnings(small: Path) -> None:
    result = check(small)
    report = result.report.format()
    assert not result.report.has_errors, report
    assert not result.report.warnings, report
    assert result.site is not None
    assert len(result.site.cooperatives) == 15
    assert all(c.sample for c in result.site.cooperatives.values())
    assert all(p.sample for p in result.site.products.values())


def test_same_seed_same_bytes_other_seed_other_content(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(6, 11, first, jobs=1)
    generate(6, 11, again, jobs=2)  # the number of workers does not change the output
    generate(6, 12, other, jobs=1)
    assert tree(first) == tree(again)
    differing = {name for name, digest in tree(other).items() if tree(first).get(name) != digest}
    assert any(name.startswith(("cooperatives/", "products/")) for name in differing)


def test_regenerating_replaces_the_previous_corpus(tmp_path: Path) -> None:
    out = tmp_path / "content"
    generate(8, 1, out, jobs=1)
    generate(3, 1, out, jobs=1)
    assert len(list((out / "cooperatives").glob("*.yaml"))) == 3


def test_refuses_to_overwrite_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SystemExit):
        generate(2, 1, tmp_path, jobs=1)
    assert (tmp_path / "notes.txt").exists()


def test_products_per_cooperative_and_regions(sixty: Path) -> None:
    counts = [len(list(folder.glob("*.yaml"))) for folder in (sixty / "products").iterdir()]
    assert len(counts) == 60
    assert min(counts) >= 1 and max(counts) <= 5
    assert 2 <= statistics.mean(counts) <= 4
    coops = [load(path) for path in sorted((sixty / "cooperatives").glob("*.yaml"))]
    assert {c["region"] for c in coops} == set(REGIONS)
    women_led = sum(1 for c in coops if c["board"]["chair"] == "woman")
    assert 0.15 <= women_led / len(coops) <= 0.6
    for c in coops:
        assert c["contact"]["phone"].startswith(("+2126", "+2127"))
        assert len(c["contact"]["phone"]) == 13


def test_categories_follow_the_sector(sixty: Path) -> None:
    coops = (load(path) for path in (sixty / "cooperatives").glob("*.yaml"))
    sectors = {c["id"]: c["sector"] for c in coops}
    pairs: Counter[tuple[str, str]] = Counter()
    for path in (sixty / "products").glob("*/*.yaml"):
        product = load(path)
        pairs[(sectors[product["cooperative"]], product["category"])] += 1
        assert isinstance(product["price"], str)
    assert ("artisanat", "honey") not in pairs
    assert ("peche", "rugs-carpets") not in pairs


def test_long_texts_are_about_250_words(small: Path) -> None:
    bodies = sorted(small.glob("products/*/*.md")) + sorted(small.glob("cooperatives/*.md"))
    assert len(bodies) == 2 * (15 + len(list(small.glob("products/*/*.yaml"))))
    counts = {path.name: words(path) for path in bodies}
    assert all(200 <= n <= 320 for n in counts.values()), counts
    for lang in ("ar", "fr"):
        mean = statistics.mean(n for name, n in counts.items() if name.endswith(f".{lang}.md"))
        assert 230 <= mean <= 280, (lang, mean)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["4", "--seed", "5", "--out", str(tmp_path / "c"), "--jobs", "1"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("4 cooperatives, ") and " files in " in line
    assert len(list((tmp_path / "c" / "media" / "corpus").glob("*.jpg"))) == 12
