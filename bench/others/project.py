"""A converted project: where it is, how to build it cleanly, how many pages it produced."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .source import LANGS

REDIRECT_MAX_BYTES = 1024


@dataclass(frozen=True)
class Project:
    tool: str
    root: Path
    output: Path
    commands: list[list[str]]  # run one after the other, measured as one build
    expected_pages: int  # HTML pages under the language folders
    cleanup: list[Path] = field(default_factory=list)  # caches removed before a clean build
    env: dict[str, str] = field(default_factory=dict)  # added to the environment

    def command(self) -> list[str]:
        """One command line for the whole build (``sh -c`` when there are several steps)."""
        if len(self.commands) == 1:
            return self.commands[0]
        return ["sh", "-c", " && ".join(shlex.join(c) for c in self.commands)]

    def clean(self) -> None:
        for path in [self.output, *self.cleanup]:
            shutil.rmtree(path, ignore_errors=True)

    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.env}


def _is_redirect(path: Path) -> bool:
    """A tiny page whose only job is a meta refresh (Hugo writes one per ``page/1/``)."""
    if path.stat().st_size > REDIRECT_MAX_BYTES:
        return False
    return b'http-equiv="refresh"' in path.read_bytes()


def count_html(output: Path) -> int:
    """``*.html`` files under ``output``, not counting meta-refresh redirect stubs."""
    if not output.is_dir():
        return 0
    return sum(1 for path in output.rglob("*.html") if not _is_redirect(path))


def count_language_pages(output: Path) -> int:
    """``*.html`` files under ``output/ar`` and ``output/fr`` (the pages the tools share)."""
    return sum(count_html(output / lang) for lang in LANGS)


def python_tool(name: str) -> str:
    """The console script installed beside this interpreter, not a (slow) pyenv shim."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name) or name


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
