"""Shared fixtures: the small test site, the embedded sample site built once per session, and a
headless Chromium for browser tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.build import BuildResult, build

from .quality.checkers import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"
SAMPLE_CONTENT = REPO / "content"

# The checkout service's fixtures (both databases, the app, a clock): tests/checkout_fixtures.py.
pytest_plugins = ["tests.checkout_fixtures"]


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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium (Debian's) through Playwright, or a skip that says what is missing."""
    if not CHROMIUM.is_file():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}; install it with: "
            "apt-get install -y --no-install-recommends chromium"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: python -m pip install -e '.[test]'")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests assert English messages: a French or Arabic locale on the machine running them must
    not switch `taawun check` to that language (generator/messages: TAAWUN_LANG comes first)."""
    monkeypatch.setenv("TAAWUN_LANG", "en")
