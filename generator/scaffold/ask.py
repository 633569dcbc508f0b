"""Questions and answers on the terminal: each answer checked at once, asked again when wrong.

Answers are read with ``input()``: on a terminal the person types them, and piped on standard
input (tests, scripts) one line answers one question. The end of the input before the last
question stops the command, so a script never hangs on a question nobody will answer.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError

from . import NewError
from .texts import text

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Validator(Protocol[T_co]):
    """What checks one answer: a pydantic ``TypeAdapter``, or anything that raises ValueError."""

    def validate_python(self, answer: Any, /) -> T_co: ...


# Longer lists are not printed (a national site has thousands of cooperatives): the person types
# the id, and a wrong one gets the closest ids as suggestions.
MAX_LISTED = 40

# Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits → 0-9, for numbers, dates and phones.
LATIN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)

Read = Callable[[str], str]
Write = Callable[[str], None]


class Asker:
    def __init__(self, lang: str, read: Read = input, write: Write = print) -> None:
        self.lang = lang
        self._read = read
        self._write = write

    def say(self, message: str) -> None:
        self._write(message)

    def value(
        self,
        question: str,
        adapter: Validator[T],
        hint: str,
        *,
        default: str | None = None,
        check: Callable[[T], str | None] | None = None,
        digits: bool = False,
    ) -> T:
        """An answer that ``adapter`` accepts (and ``check``, which returns what is wrong).
        With ``digits``, Arabic-Indic digits (an Arabic keyboard's) are read as 0-9."""
        found = self._loop(question, adapter, hint, default, False, check, digits=digits)
        assert found is not None  # required: an empty answer is asked again
        return found

    def maybe(
        self,
        question: str,
        adapter: Validator[T],
        hint: str,
        *,
        check: Callable[[T], str | None] | None = None,
        digits: bool = False,
    ) -> T | None:
        """Like ``value``, but an empty answer means "none" (the field is left out)."""
        return self._loop(question, adapter, hint, None, True, check, digits=digits)

    def choose(
        self,
        question: str,
        options: Sequence[tuple[str, str]],
        *,
        optional: bool = False,
        default: str | None = None,
    ) -> str | None:
        """One id of ``options`` ((id, label) pairs), by its number in the list or by the id."""
        if not options:  # e.g. an empty data file: no answer could ever be right
            raise NewError(text(self.lang, "ask.no-options", question=question))
        ids = [option_id for option_id, _ in options]
        listed = len(options) <= MAX_LISTED
        self._write(question)
        if listed:
            width = len(str(len(options)))
            for n, (option_id, label) in enumerate(options, 1):
                shown = label if label == option_id else f"{label} ({option_id})"
                self._write(f"  {n:>{width}}. {shown}")

        def pick(answer: str) -> str:
            if listed and answer.isdigit() and 1 <= int(answer) <= len(options):
                return ids[int(answer) - 1]
            if answer in ids:
                return answer
            close = difflib.get_close_matches(answer, ids, n=3, cutoff=0.6)
            hint = text(self.lang, "ask.choose", n=len(options)) if listed else ""
            if close:
                hint = f"{hint} {text(self.lang, 'ask.close', ids=', '.join(close))}".strip()
            raise ValueError(hint or text(self.lang, "ask.unknown", answer=answer))

        prompt = text(self.lang, "ask.pick" if listed else "ask.type-id")
        return self._loop(prompt, _Picker(pick), "", default, optional, None, about=question)

    def _loop(
        self,
        question: str,
        adapter: Validator[T],
        hint: str,
        default: str | None,
        optional: bool,
        check: Callable[[T], str | None] | None,
        about: str = "",
        digits: bool = False,
    ) -> T | None:
        notes = []
        if default is not None:
            notes.append(text(self.lang, "ask.default", default=default))
        elif optional:
            notes.append(text(self.lang, "ask.skip"))
        # French puts a space before the colon; Arabic does not.
        colon = " : " if self.lang == "fr" else ": "
        prompt = question + (f" [{'; '.join(notes)}]" if notes else "") + colon
        while True:
            try:
                answer = self._read(prompt).strip()
                if digits:
                    answer = answer.translate(LATIN_DIGITS)
            except EOFError:
                no_answer = text(self.lang, "ask.no-answer", question=about or question)
                raise NewError(no_answer) from None
            if not answer:
                if default is not None:
                    answer = default
                elif optional:
                    return None
            problem = ""
            try:
                value = adapter.validate_python(answer) if answer else None
            except (ValidationError, ValueError) as error:
                problem = hint or _first_message(error)
            else:
                if value is None:
                    problem = text(self.lang, "ask.required")
                elif check is not None:
                    problem = check(value) or ""
            if not problem:
                return value
            shown = text(self.lang, "ask.wrong", answer=answer) if answer else ""
            self._write(f"  ✗ {shown}{problem}")


class _Picker:
    """A choice in a list, answering like a TypeAdapter (``validate_python`` or ValueError)."""

    def __init__(self, pick: Callable[[str], str]) -> None:
        self._pick = pick

    def validate_python(self, answer: str) -> str:
        return self._pick(answer)


def _first_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return str(error.errors()[0]["msg"])
    return str(error)
