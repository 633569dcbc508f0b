"""The size budgets of a buyer on a cheap phone (bench/budgets.py), on the built sample site.

Sizes are deterministic, so they are checked here; Lighthouse scores are measured by the
benchmark only (they need a browser run per page and depend on the machine)."""

from __future__ import annotations

from pathlib import Path

from bench import budgets
from generator.build import BuildResult


def test_key_pages_fit_in_one_round_trip_with_little_javascript(
    sample_build: tuple[BuildResult, Path],
) -> None:
    _, output = sample_build
    rows = [budgets.measure_page(output, path) for path in budgets.key_pages(output)]
    assert len(rows) == 18  # 9 pages × 2 languages
    for row in rows:
        assert row.html > 1000 and row.css > 1000, row  # measured the real files
        assert row.first_render <= budgets.FIRST_RENDER_BUDGET, row
        assert row.js <= budgets.JS_BUDGET, row
    assert all(row.ok for row in rows)
