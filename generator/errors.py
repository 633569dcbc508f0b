"""Content problems as values: where, what is wrong, what to do; and the one place that formats them.

Every stage up to URL planning *collects* problems into an ``ErrorReport`` instead of raising, so a
cooperative sees every problem of its listing in one run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .messages import N_, Value, isolate, render


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
    """One problem. ``template`` and ``hint_template`` are English templates with ``{name}``
    placeholders filled from ``values``; they are translated only when shown (``text(lang)``)."""

    location: SourceLocation
    code: str
    template: str
    hint_template: str = ""
    severity: Severity = Severity.ERROR
    values: Mapping[str, Value] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """The message in English (what the tests and the developer server show)."""
        return self.message_in("en")

    @property
    def hint(self) -> str:
        return self.hint_in("en")

    def message_in(self, lang: str) -> str:
        return render(self.template, self.values, lang)

    def hint_in(self, lang: str) -> str:
        return render(self.hint_template, self.values, lang)

    def text(self, lang: str = "en") -> str:
        """Message and hint in ``lang``, as one line (without the location)."""
        message, hint = self.message_in(lang), self.hint_in(lang)
        if self.severity is Severity.WARNING:
            message = render(N_("warning: {message}"), {"message": message}, lang)
        return isolate(message, lang) + (f" — {isolate(hint, lang)}" if hint else "")

    def as_text(self, lang: str = "en") -> str:
        return f"{self.location}: {self.text(lang)}"

    def as_dict(self, lang: str = "en") -> dict[str, object]:
        # No bidi controls here: a program reading JSON shows the text in its own direction.
        return {
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message_in(lang),
            "hint": self.hint_in(lang),
        }

    def as_github(self, lang: str = "en") -> str:
        # Workflow commands need %, CR and LF escaped in the message, plus , and : in properties.
        def prop(value: str) -> str:
            return _gh_escape(value).replace(":", "%3A").replace(",", "%2C")

        message, hint = self.message_in(lang), self.hint_in(lang)
        text = isolate(message, lang) + (f" — {isolate(hint, lang)}" if hint else "")
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
        **values: Value,
    ) -> None:
        """``message`` and ``hint`` are English templates; ``values`` fill their placeholders."""
        self.problems.append(Problem(location, code, message, hint, severity, values))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def sorted(self) -> list[Problem]:
        # By the English message, so the order is the same in every language.
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

    def format(self, style: str = "text", lang: str = "en") -> str:
        problems = self.sorted()
        if style == "json":
            return json.dumps([p.as_dict(lang) for p in problems], ensure_ascii=False, indent=2)
        if style == "github":
            return "\n".join(p.as_github(lang) for p in problems)
        lines = [p.as_text(lang) for p in problems]
        n_err, n_warn = len(self.errors), len(self.warnings)
        if n_err or n_warn:
            counts = {"errors": n_err, "warnings": n_warn}
            summary = render(N_("{errors} error(s), {warnings} warning(s)"), counts, lang)
            lines.append(isolate(summary, lang))
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
