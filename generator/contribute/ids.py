"""Ids for new entries, as a person would choose them: an ASCII slug of the French name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .terminal import safe

MAX_LENGTH = 48  # ids are in every URL of the entry: short, cut between words
# Letters that Unicode does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o"})
# French elision (l'huile, d'argan): the article would become a lone letter in the id.
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu)['’ʼ]", re.IGNORECASE)
# A cooperative's name starts with its legal form; its id leaves that out (`argan-tamanar`).
_LEGAL_FORM = re.compile(r"^(?:cooperative|union|cooperatives)(?:-(?:de|des|du|la|le|les))*-")


def slugify(text: str) -> str:
    """``"Huile d'argan pressée à froid"`` → ``"huile-argan-pressee-a-froid"``; ``""`` when
    nothing in ``text`` is a Latin letter or a digit (an Arabic-only name)."""
    # An escape sequence's letters (`\x1b[2J`) are not part of the name.
    text = _ELISION.sub("", safe(text).translate(_LIGATURES))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_LENGTH:
        cut = slug[: MAX_LENGTH + 1].rfind("-")
        slug = slug[: cut if cut > 0 else MAX_LENGTH].strip("-")
    return slug


def cooperative_slug(name_fr: str) -> str:
    """``"Coopérative Argan Tamanar"`` → ``"argan-tamanar"``."""
    slug = slugify(name_fr)
    shorter = _LEGAL_FORM.sub("", slug)
    return shorter if shorter != slug and shorter else slug


def unique_id(base: str, fallback: str, taken: Callable[[str], bool]) -> str:
    """``base`` if free, else ``base-2``, ``base-3``…; an empty ``base`` becomes ``fallback-1``,
    ``fallback-2``…"""
    if base and not taken(base):
        return base
    stem, number = (base, 2) if base else (fallback, 1)
    while taken(f"{stem}-{number}"):
        number += 1
    return f"{stem}-{number}"
