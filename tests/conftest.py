"""Shared fixtures: the small test site, the embedded sample site built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import BuildResult, build

REPO = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"
SAMPLE_CONTENT = REPO / "content"


@pytest.fixture
def minimal_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/sites/minimal in a temporary working directory; returns the content folder."""
    shutil.copytree(SITES / "minimal" / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuildResult, Path]]:
    """The embedded sample site (content/), built once for the whole session."""
    output = tmp_path_factory.mktemp("sample") / "public"
    result = build(SAMPLE_CONTENT, output)
    yield result, output
