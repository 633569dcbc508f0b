"""The code bar, in CI: ruff's lint rules and formatting, and mypy --strict on the packages
(configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "command", [("check", "."), ("format", "--check", ".")], ids=["lint", "format"]
)
def test_ruff(command: tuple[str, ...]) -> None:
    pytest.importorskip("ruff", reason="ruff is not installed: python -m pip install -e '.[test]'")
    done = run(sys.executable, "-m", "ruff", *command)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed: python -m pip install -e '.[test]'")
    done = run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr
