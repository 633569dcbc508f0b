"""The built sample site is valid HTML (Nu checker, every page) and has no axe violations on the
pages buyers and learners use most, in Arabic and in French."""

from __future__ import annotations

from pathlib import Path

from generator.build import BuildResult

from .checkers import axe_violations, format_violations, serve_directory, vnu_errors


def test_every_page_is_valid_html(sample_build: tuple[BuildResult, Path]) -> None:
    _, output = sample_build
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 100
    assert vnu_errors(pages) == []


def test_key_pages_have_no_accessibility_violations(
    sample_build: tuple[BuildResult, Path],
) -> None:
    result, output = sample_build
    site = result.site
    assert site is not None
    product = next(iter(site.products))
    coop = next(iter(site.cooperatives))
    idea = next(iter(site.projects))
    course_id, tree = next(iter(site.courses.items()))
    lesson = tree.lessons[0].id
    paths = [
        f"/{lang}/{path}"
        for lang in ("ar", "fr")
        for path in (
            "",
            "market/",
            f"products/{product}/",
            f"cooperatives/{coop}/",
            f"projects/{idea}/",
            f"academy/{course_id}/{lesson}/",
            "market/women-led/price-low/",
            "rating/",
            "cart/",
            "sell/",
        )
    ]
    with serve_directory(output) as base_url:
        violations = axe_violations(base_url, paths)
    assert not any(violations.values()), format_violations(violations)
