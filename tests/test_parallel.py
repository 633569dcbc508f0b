"""Parallel builds: the output does not depend on the number of worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import loader, parallel
from generator.build import build
from generator.render import pager_window

from .conftest import SAMPLE_CONTENT
from .test_incremental import snapshot


def test_two_workers_write_the_same_bytes_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sample site is small: make both the loader and the renderer use their workers anyway.
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(loader, "PARALLEL_THRESHOLD", 0)
    one = build(SAMPLE_CONTENT, tmp_path / "one" / "public", jobs=1, search=False)
    two = build(SAMPLE_CONTENT, tmp_path / "two" / "public", jobs=2, search=False)
    assert one.mode == two.mode == "clean"
    first, second = snapshot(tmp_path / "one" / "public"), snapshot(tmp_path / "two" / "public")
    assert len(first) > 300
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    assert one.report.problems == two.report.problems


def test_a_failing_page_stops_a_parallel_build_and_keeps_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "public"
    build(SAMPLE_CONTENT, output, jobs=1, search=False)
    before = snapshot(output)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)

    def broken(self: object, spec: object) -> str:
        raise RuntimeError("template exploded")

    monkeypatch.setattr("generator.render.Renderer.render", broken)
    with pytest.raises(RuntimeError, match="template exploded"):
        build(SAMPLE_CONTENT, output, jobs=2, search=False, incremental=False)
    assert snapshot(output) == before


@pytest.mark.parametrize(
    ("page", "count", "expected"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 100, [1, 2, 3, None, 100]),
        (50, 100, [1, None, 48, 49, 50, 51, 52, None, 100]),
        (100, 100, [1, None, 98, 99, 100]),
        (4, 8, [1, 2, 3, 4, 5, 6, 7, 8]),
        (5, 12, [1, 2, 3, 4, 5, 6, 7, None, 12]),
    ],
)
def test_the_pager_shows_a_window_not_every_page(
    page: int, count: int, expected: list[int | None]
) -> None:
    assert pager_window(page, count) == expected
