"""Content problems as values: where, what is wrong, what to do; and the one place that formats them.

Every stage up to URL planning *collects* problems into an ``ErrorReport`` instead of raising, so a
cooperative sees every problem of its listing in one run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a content file. ``path`` is relative to the content root; line/col are 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    location: SourceLocation
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def as_text(self) -> str:
        label = "" if self.severity is Severity.ERROR else "warning: "
        tail = f" — {self.hint}" if self.hint else ""
        return f"{self.location}: {label}{self.message}{tail}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    def as_github(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message, plus , and : in properties.
        def prop(value: str) -> str:
            return _gh_escape(value).replace(":", "%3A").replace(",", "%2C")

        text = self.message + (f" — {self.hint}" if self.hint else "")
        loc = self.location
        return (
            f"::{'error' if self.severity is Severity.ERROR else 'warning'} "
            f"file={prop(loc.path)},line={loc.line},col={loc.col},title={prop(self.code)}"
            f"::{_gh_escape(text)}"
        )


def _gh_escape(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class ErrorReport:
    """Problems collected across stages. Errors stop the build; warnings are only shown."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        location: SourceLocation,
        code: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(Problem(location, code, message, hint, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.location, p.code, p.message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def format(self, style: str = "text") -> str:
        problems = self.sorted()
        if style == "json":
            return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
        if style == "github":
            return "\n".join(p.as_github() for p in problems)
        lines = [p.as_text() for p in problems]
        n_err, n_warn = len(self.errors), len(self.warnings)
        if n_err or n_warn:
            lines.append(f"{n_err} error(s), {n_warn} warning(s)")
        return "\n".join(lines)


class BuildFailed(Exception):
    """Raised once, at the end of validation, when the report holds errors."""

    def __init__(self, report: ErrorReport) -> None:
        super().__init__(f"{len(report.errors)} content error(s)")
        self.report = report


def display_path(path: Path) -> str:
    """The path as shown to people and CI annotations: relative to the working directory if inside.

    String work on absolute paths, not ``Path.resolve()``: this runs for every content file, and
    resolving symlinks costs several system calls per path component.
    """
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd + os.sep):
        absolute = absolute[len(cwd) + 1 :]
    return absolute.replace(os.sep, "/")
