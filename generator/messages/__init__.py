"""Content problems in the reader's language, gettext-style.

A message is written once, in English, as a *template* with ``{name}`` placeholders, and kept
with its values until it is shown: the language is chosen when the report is formatted
(``taawun check --lang ar``), long after the problem was found. ``ar.yaml`` and ``fr.yaml`` beside
this file map each English template to its translation; ``tests/test_messages.py`` checks that
every template written in the generator has both, with the same placeholders.

A value that is itself a word ("region", "Arabic") is passed as a ``Msg`` so that it is
translated too; ids, keys, paths and file names are plain strings and are never translated
(they are what the user types).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

LANGUAGES: tuple[str, ...] = ("ar", "fr", "en")
TRANSLATED: tuple[str, ...] = ("ar", "fr")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_FOLDER = Path(__file__).parent

# Bidi isolates (Unicode 6.3): an Arabic sentence shown inside a left-to-right line (after
# `path:line:col:` in a terminal, or in a left-to-right annotation box on GitHub) keeps its
# right-to-left word order only if it is isolated as right-to-left; code inside it (`x.yaml`) is
# isolated as left-to-right so its slashes and dots stay with it. See docs/writing-content.md.
# A quoted example ("+212612345678", "120.00") is isolated by its first strong letter (FSI): a
# leading + or a bare number would otherwise be drawn on the wrong side in a right-to-left line.
RLI, LRI, FSI, PDI = "\u2067", "\u2066", "\u2068", "\u2069"
_CODE = re.compile(r"`[^`\n]+`|\"[^\"\n]+\"")


@dataclass(frozen=True)
class Msg:
    """A translatable text and its values, rendered in a language only when shown."""

    template: str
    values: Mapping[str, Value] = field(default_factory=dict, hash=False)

    def render(self, lang: str = "en") -> str:
        return render(self.template, self.values, lang)

    def __str__(self) -> str:
        return self.render("en")


Value = str | int | float | Msg


def N_(template: str) -> str:
    """Mark a literal as a message template (for tests/test_messages.py); returns it unchanged."""
    return template


@cache
def catalogue(lang: str) -> dict[str, str]:
    """English template → translation, for ``lang`` (empty for English)."""
    if lang not in TRANSLATED:
        return {}
    with (_FOLDER / f"{lang}.yaml").open(encoding="utf-8") as stream:
        loaded = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {str(k): str(v) for k, v in (loaded or {}).items()}


def translate(template: str, lang: str) -> str:
    """The template in ``lang``; the English one if the catalogue has no entry (never empty)."""
    if not template:
        return ""
    return catalogue(lang).get(template, template)


def render(template: str, values: Mapping[str, Value], lang: str = "en") -> str:
    """Translate ``template`` and fill its placeholders; ``Msg`` values are rendered in ``lang``.

    Only ``{name}`` with a value is replaced, as pydantic does: a literal brace (``{value: 250,
    unit: g}`` in an example) needs no escaping.
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name]
        return value.render(lang) if isinstance(value, Msg) else str(value)

    return PLACEHOLDER.sub(fill, translate(template, lang))


def isolate(text: str, lang: str) -> str:
    """``text`` ready to sit inside a left-to-right line: for Arabic, the sentence isolated as
    right-to-left, each `code` span as left-to-right and each "quoted" example by its own
    first letter. Other languages are returned as is."""
    if lang != "ar" or not text:
        return text

    def code(match: re.Match[str]) -> str:
        return (LRI if match.group(0).startswith("`") else FSI) + match.group(0) + PDI

    return RLI + _CODE.sub(code, text) + PDI


def normalize(name: str | None) -> str | None:
    """``ar``, ``ar_MA.UTF-8``, ``fr-FR`` → ``ar``/``fr``/``en``; None for anything else."""
    if not name:
        return None
    code = re.split(r"[_.@-]", name.strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGES else None


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of messages when ``--lang`` is not given: ``TAAWUN_LANG``, else the locale
    (``LC_ALL``, ``LC_MESSAGES``, then ``LANG``, as POSIX orders them) if it is Arabic or
    French, else English."""
    env = os.environ if environ is None else environ
    chosen = normalize(env.get("TAAWUN_LANG"))
    if chosen:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale = env.get(variable)
        if locale:  # the first one set decides, even if it is English or "C"
            found = normalize(locale)
            return found if found in TRANSLATED else "en"
    return "en"
