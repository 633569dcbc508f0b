"""Ids for new entries, as a person would choose them: an ASCII slug of the French name."""

from __future__ import annotations

from collections.abc import Callable

from .. import slugs
from .terminal import safe


def slugify(text: str) -> str:
    """The id :func:`generator.slugs.slugify` makes of ``text``, an escape sequence's letters
    (``\\x1b[2J``) left out: they are not part of the name."""
    return slugs.slugify(safe(text))


def cooperative_slug(name_fr: str) -> str:
    return slugs.cooperative_slug(safe(name_fr))


def unique_id(base: str, fallback: str, taken: Callable[[str], bool]) -> str:
    """``base`` if free, else ``base-2``, ``base-3``…; an empty ``base`` becomes ``fallback-1``,
    ``fallback-2``…"""
    if base and not taken(base):
        return base
    stem, number = (base, 2) if base else (fallback, 1)
    while taken(f"{stem}-{number}"):
        number += 1
    return f"{stem}-{number}"
