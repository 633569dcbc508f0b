"""The examples in docs/writing-content.md are complete: written into the sample site, they build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import build

from .conftest import REPO, SAMPLE_CONTENT

BLOCK = re.compile(r"^```(?:yaml|markdown) (content/\S+)\n(.*?)^```$", re.S | re.M)


def examples() -> dict[str, str]:
    text = (REPO / "docs" / "writing-content.md").read_text(encoding="utf-8")
    return {path: body for path, body in BLOCK.findall(text)}


def test_docs_have_one_example_per_kind() -> None:
    paths = examples()
    for folder in ("cooperatives/", "products/", "projects/", "academy/"):
        assert any(p.startswith("content/" + folder) for p in paths), folder


def test_docs_examples_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    for path, body in examples().items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    result = build(tmp_path / "content", tmp_path / "public")
    assert result.report.problems == [], result.report.format()
    for url in (
        "fr/cooperatives/ait-baha/index.html",
        "ar/products/huile-argan-ait-baha/index.html",
        "fr/projects/sechage-figues/index.html",
        "ar/academy/premiers-pas-cooperative/role-assemblee/index.html",
    ):
        assert (tmp_path / "public" / url).is_file(), url
