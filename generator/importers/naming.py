"""Ids for imported content: slugs made from titles (ASCII, as every Taawun id), kept unique."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_LENGTH = 60
# Letters NFKD does not split into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o"})


def slugify(text: str) -> str:
    """`Préparer le bilan` → `preparer-le-bilan`; "" when nothing ASCII is left (Arabic titles)."""
    plain = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = plain.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > MAX_LENGTH:
        slug = slug[: MAX_LENGTH + 1].rsplit("-", 1)[0] or slug[:MAX_LENGTH]
    return slug


class Ids:
    """Hands out ids that were not handed out before (`bases`, then `bases-2`)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken = set(reserved)

    def make(self, *candidates: str, fallback: str) -> str:
        base = next((c for c in candidates if c), fallback)
        unique, n = base, 2
        while unique in self._taken:
            unique, n = f"{base}-{n}", n + 1
        self._taken.add(unique)
        return unique
