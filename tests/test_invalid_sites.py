"""Each tests/sites/invalid/<case>/ breaks the minimal site one way; `taawun check` must say exactly
where and what (expected.txt), and `taawun build` must leave the previous output untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import SITES

CASES = sorted(p.name for p in (SITES / "invalid").iterdir() if p.is_dir())


def apply_case(case: str, content: Path) -> None:
    folder = SITES / "invalid" / case
    if (folder / "content").is_dir():
        shutil.copytree(folder / "content", content, dirs_exist_ok=True)
    deletions = folder / "delete.txt"
    if deletions.exists():
        for relative in deletions.read_text().split():
            (content / relative).unlink()


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_check_reports_exact_position_and_message(
    case: str, minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    apply_case(case, minimal_site)
    assert main(["check"]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if "error(s)" not in line]
    expected = (SITES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines == expected


@pytest.mark.parametrize("case", CASES)
def test_failed_build_leaves_previous_output_untouched(
    case: str, minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = minimal_site.parent / "public"
    assert main(["build", "--output", str(output)]) == 0
    before = tree_digest(output)
    apply_case(case, minimal_site)
    assert main(["build", "--output", str(output)]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert tree_digest(output) == before
    assert not list(minimal_site.parent.glob(".public.*")), "no staging folder may be left behind"


def test_json_and_github_formats(minimal_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    apply_case("unknown-key", minimal_site)
    assert main(["check", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    unknown = next(p for p in problems if p["code"] == "unknown-key")
    assert unknown == {
        "path": "content/products/tamount/huile-argan.yaml",
        "line": 7,
        "col": 1,
        "severity": "error",
        "code": "unknown-key",
        "message": "unknown key `prise`",
        "hint": "did you mean `price`?",
    }
    assert main(["check", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        "::error file=content/products/tamount/huile-argan.yaml,line=7,col=1,title=unknown-key"
        "::unknown key `prise` — did you mean `price`?"
    ) in out
