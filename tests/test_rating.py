"""The cooperative rating: the method of docs/rating.md, computed from declared data only."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.build import BuildResult
from generator.models import Cooperative
from generator.rating import CRITERIA, METHOD_VERSION, MIN_COVERAGE, rate

from .conftest import SITES

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 29)
FULL = {
    "as_of": "2026-06-30",
    "general_assembly": "2026-04-18",
    "board_renewed_on_schedule": True,
    "declaration_filed_on_time": True,
    "auditor": "appointed",
    "accounts_year": 2025,
    "capital_paid_up": True,
    "positive_results": 3,
    "active_years": 2,
    "members_two_years_ago": 22,
    "board_training": "2026-02-12",
}


def coop(**changes: Any) -> Cooperative:
    path = SITES / "minimal" / "content" / "cooperatives" / "tamount.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    return Cooperative.model_validate(data)


def statuses(rating: Any) -> dict[str, str]:
    return {line.criterion.id: line.status for line in rating.lines}


def test_weights_are_those_of_the_published_method() -> None:
    weights: dict[str, int] = {}
    for criterion in CRITERIA:
        weights[criterion.dimension] = weights.get(criterion.dimension, 0) + criterion.points
    assert weights == {
        "governance": 25,
        "finances": 20,
        "activity": 20,
        "quality": 15,
        "inclusion": 20,
    }


def test_without_declared_data_there_is_no_grade_and_nothing_counts_as_zero() -> None:
    rating = rate(coop(performance=None), TODAY, sells_food=True)
    assert rating.band is None and rating.score is None
    assert rating.coverage < MIN_COVERAGE
    got = statuses(rating)
    assert got["general_assembly"] == got["accounts"] == "not_declared"
    assert got["on_time"] == got["complaints"] == "not_declared"  # measured, not declared
    assert all(line.earned == 0 for line in rating.lines if line.status == "not_declared")


def test_everything_declared_and_met_gives_a_full_score_without_the_measured_criteria() -> None:
    rating = rate(coop(performance=FULL), TODAY, sells_food=True)
    measured = sum(c.points for c in CRITERIA if c.measured)
    assert rating.declared == 100 - measured  # the order-log criteria stay out of the score
    assert rating.coverage == 100 - measured
    assert (rating.score, rating.band) == (100, "A")


def test_a_missed_criterion_lowers_the_score_by_its_share_of_the_declared_points() -> None:
    rating = rate(
        coop(performance={**FULL, "general_assembly": "2025-06-01", "positive_results": 1}),
        TODAY,
        sells_food=True,
    )
    assert statuses(rating)["general_assembly"] == statuses(rating)["results"] == "missed"
    assert rating.score == round((85 - 16) * 100 / 85)  # 81
    assert rating.band == "B"


def test_not_applicable_criteria_leave_both_counts() -> None:
    craft = rate(
        coop(performance={**FULL, "auditor": "not_required"}, onssa=None, labels=[]),
        TODAY,
        sells_food=False,
    )
    got = statuses(craft)
    assert got["onssa"] == got["label"] == got["auditor"] == "not_applicable"
    assert craft.applicable == 100 - 8 - 4 - 4
    assert craft.score == 100
    young = rate(
        coop(performance=FULL, register={**_register(), "date": "2025-01-10"}), TODAY, True
    )
    assert statuses(young)["capital"] == "not_applicable"


def _register() -> dict[str, Any]:
    path = SITES / "minimal" / "content" / "cooperatives" / "tamount.yaml"
    register: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))["register"]
    return register


@pytest.mark.parametrize(
    ("missed", "band"),
    [
        ((), "A"),  # 85 of 85
        (("results", "active"), "B"),  # 69 of 85: 81
        (("results", "active", "accounts", "declaration"), "C"),  # 53 of 85: 62
    ],
)
def test_bands(missed: tuple[str, ...], band: str) -> None:
    changes = {"results": {"positive_results": 0}, "active": {"active_years": 1}}
    changes["accounts"] = {"accounts_year": 2020}
    changes["declaration"] = {"declaration_filed_on_time": False}
    performance = dict(FULL)
    for criterion in missed:
        performance.update(changes[criterion])
    assert rate(coop(performance=performance), TODAY, sells_food=True).band == band


def test_docs_table_is_the_code() -> None:
    text = (ROOT / "docs" / "rating.md").read_text(encoding="utf-8")
    assert f"method version {METHOD_VERSION}" in text
    rows = re.findall(r"^\| (\w+) \| (\w+) \| (\d+) \|", text, re.MULTILINE)
    assert [(c.id, c.dimension, c.points) for c in CRITERIA] == [(i, d, int(p)) for i, d, p in rows]


def test_pages_show_the_rating_and_the_method(sample_build: tuple[BuildResult, Path]) -> None:
    result, output = sample_build
    assert result.site is not None
    for lang in ("ar", "fr"):
        for coop_id, rating in result.site.ratings.items():
            page = output / lang / "cooperatives" / coop_id / "index.html"
            html = HTMLParser(page.read_text(encoding="utf-8"))
            section = html.css_first("section.rating")
            assert section is not None
            band = section.css_first(".band")
            assert band is not None
            if rating.band:
                assert band.text(strip=True) == rating.band
            rows = section.css("tbody tr[class^=st-]")
            assert [row.attributes["class"] for row in rows] == [
                f"st-{line.status}" for line in rating.lines
            ]
            assert section.css_first(f"a[href='/{lang}/rating/']") is not None
        method = HTMLParser((output / lang / "rating" / "index.html").read_text(encoding="utf-8"))
        assert len(method.css("table.rating-table tbody th[scope=row]")) == len(CRITERIA)
    graded = {r.band for r in result.site.ratings.values()}
    assert None in graded and len(graded) >= 3  # the sample shows grades and "insufficient data"
