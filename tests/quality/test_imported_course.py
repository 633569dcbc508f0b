"""A course imported from MkDocs (tests/sites/mkdocs-course) builds into valid HTML without axe
violations: its lessons carry converted admonitions, a photo, a download, and in Arabic the note
that links to the French text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.build import build
from generator.importers.mkdocs import import_mkdocs

from ..conftest import SITES
from .checkers import axe_violations, format_violations, serve_directory, vnu_errors

COURSE = "tenir-les-comptes"


def test_imported_course_pages_are_valid_and_accessible(minimal_site: Path) -> None:
    pytest.importorskip(
        "mkdocs", reason="MkDocs is not installed: python -m pip install -e '.[test]'"
    )
    import_mkdocs(
        SITES / "mkdocs-course" / "mkdocs.yml", COURSE, minimal_site, today=date(2026, 3, 2)
    )
    output = minimal_site.parent / "public"
    build(minimal_site, output, search=False)
    pages = sorted(
        page
        for lang in ("ar", "fr")
        for page in (output / lang / "academy" / COURSE).rglob("*.html")
    )
    assert len(pages) == 18  # the course page, its 3 modules and 5 lessons, in two languages
    assert vnu_errors(pages) == []
    paths = [
        f"/{lang}/academy/{COURSE}/{lesson}"
        for lang in ("ar", "fr")
        for lesson in ("", "le-livre-de-caisse/", "les-pieces-justificatives/")
    ]
    with serve_directory(output) as base_url:
        violations = axe_violations(base_url, paths)
    assert not any(violations.values()), format_violations(violations)
