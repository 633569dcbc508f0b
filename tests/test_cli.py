"""The command line: exit codes, summary, usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main


def test_build_prints_timings_and_pages_per_language(
    minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert "phase timings: load" in out
    assert "product" in out and "ar" in out and "zgh" in out
    assert (minimal_site.parent / "public" / "ar" / "index.html").is_file()


def test_check_writes_nothing(minimal_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert not (minimal_site.parent / "public").exists()
    assert "no errors" in capsys.readouterr().err


def test_usage_errors_exit_2(minimal_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["build", "--bogus"])
    assert exc.value.code == 2
    assert main(["check", "--content", "missing-folder"]) == 2
    assert "does not exist" in capsys.readouterr().err
