"""Untrusted text made safe to print on a terminal.

A submission's texts come from strangers. Printed as they are, an escape sequence in a product
name could move the cursor, clear the screen, rewrite what the moderator reads above it, or set
the terminal's title; a bidirectional override could show a text in another order than it is
stored. Both are removed; the text itself (Arabic included) is kept.
"""

from __future__ import annotations

import re
import unicodedata

# ESC followed by a CSI (`ESC [ … final`), an OSC (`ESC ] … BEL` or `ESC ] … ESC \`), a
# DCS/SOS/PM/APC string, or a two-character sequence (`ESC c`, `ESC 7`…).
_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~]?)"
)
# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). The marks people type in
# Arabic text (U+200E, U+200F, U+061C) stay: they only nudge neutral characters.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def safe(text: str) -> str:
    """``text`` without escape sequences and control characters, except newline and tab."""
    text = _ESCAPE.sub("", text)
    return "".join(
        char
        for char in text
        if char in "\n\t" or (unicodedata.category(char) != "Cc" and char not in _BIDI_CONTROLS)
    )


def one_line(text: str, width: int | None = None) -> str:
    """:func:`safe`, on one line (for a table cell or a commit subject), cut at ``width``."""
    flat = " ".join(safe(text).split())
    if width is not None and len(flat) > width:
        return flat[: width - 1] + "…"
    return flat
