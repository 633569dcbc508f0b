"""Rules that span files, where the date of the build matters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.build import check
from generator.errors import Severity


def test_label_expiring_within_60_days_is_a_warning_not_an_error(minimal_site: Path) -> None:
    report = check(minimal_site, today=date(2099, 11, 15)).report
    assert not report.has_errors
    (warning,) = report.warnings
    assert warning.severity is Severity.WARNING and warning.code == "expires-soon"
    assert str(warning.location) == "content/cooperatives/tamount.yaml:15:77"


def test_label_past_its_date_is_an_error_on_the_cooperative_and_the_product(
    minimal_site: Path,
) -> None:
    report = check(minimal_site, today=date(2100, 1, 1)).report
    assert [(p.code, p.location.path) for p in report.errors] == [
        ("expired", "content/cooperatives/tamount.yaml"),
        ("expired", "content/products/tamount/huile-argan.yaml"),
    ]


def test_one_bad_cooperative_file_does_not_cascade_into_its_products(minimal_site: Path) -> None:
    coop = minimal_site / "cooperatives" / "tamount.yaml"
    coop.write_text(coop.read_text(encoding="utf-8").replace("sector: argane", "sectr: argane"))
    codes = [p.code for p in check(minimal_site).report.errors]
    assert "unknown-key" in codes
    assert "unknown-cooperative" not in codes


def test_one_bad_data_entry_does_not_cascade_into_references(minimal_site: Path) -> None:
    regions = minimal_site / "data" / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8").replace("order: 9", "order: neuf"))
    errors = check(minimal_site).report.errors
    assert [(p.code, str(p.location)) for p in errors] == [
        ("wrong-type", "content/data/regions.yaml:6:3")
    ]
