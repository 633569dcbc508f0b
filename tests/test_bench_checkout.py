"""The checkout load benchmark (bench/checkout_load.py), briefly: SQLite, one worker, 2 seconds.

``auto`` takes wrk where it is installed and the Python generator elsewhere; ``python`` makes sure
the fallback works on a machine that has wrk too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import checkout_load


@pytest.mark.parametrize("generator", ["auto", "python"])
def test_sqlite_one_worker(generator: str, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    status = checkout_load.main(
        [
            "--databases",
            "sqlite",
            "--workers",
            "1",
            "--seconds",
            "2",
            "--warmup",
            "0.5",
            "--connections",
            "4",
            "--generator",
            generator,
            "--json",
            str(results),
            "--work",
            str(tmp_path / "work"),
        ]
    )
    data = json.loads(results.read_text(encoding="utf-8"))
    [row] = data["results"]
    assert row["skipped"] is None
    expected = {"wrk", "python"} if generator == "auto" else {generator}
    assert data["generator"] in expected
    assert row["created"] > 0
    assert row["orders_per_second"] > 0
    assert 0 < row["p50_ms"] <= row["p99_ms"] <= row["max_ms"]
    assert row["errors"] == 0, row["error_detail"]
    assert row["stored"] == row["created_total"] == row["created"] + row["warmup_created"]
    assert row["stock_taken"] == row["qty_ordered"] > 0
    assert status == 0
