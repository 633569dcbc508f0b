"""Ids for imported content: slugs made from titles (ASCII, as every Taawun id), kept unique."""

from __future__ import annotations

from collections.abc import Iterable

from .. import slugs

MAX_LENGTH = 60


def slugify(text: str) -> str:
    """`Préparer le bilan` → `preparer-le-bilan`; "" when nothing ASCII is left (Arabic titles)."""
    return slugs.slugify(text, MAX_LENGTH)


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
