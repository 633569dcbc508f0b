"""Ids made from names, as a person would choose them: an ASCII slug of the French name.

One rule for every tool that proposes an id (`taawun new`, `taawun import`, accepting a form
submission), so the same name gives the same id whichever way it arrives.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 48  # ids are in every URL of the entry: short, cut between words
# Letters that Unicode does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o"})
# French elision (l'huile, d'argan): the article would become a lone letter in the id.
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu)['’ʼ]", re.IGNORECASE)
# A cooperative's name starts with its legal form; its id leaves that out (`argan-tamanar`).
_LEGAL_FORM = re.compile(r"^(?:cooperative|union|cooperatives)(?:-(?:de|des|du|la|le|les))*-")


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """``"Huile d'argan pressée à froid"`` → ``"huile-argan-pressee-a-froid"``; ``""`` when
    nothing in ``text`` is a Latin letter or a digit (an Arabic-only name)."""
    text = _ELISION.sub("", text.translate(_LIGATURES))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1].rfind("-")
        slug = slug[: cut if cut > 0 else max_length].strip("-")
    return slug


def cooperative_slug(name_fr: str) -> str:
    """``"Coopérative Argan Tamanar"`` → ``"argan-tamanar"``."""
    slug = slugify(name_fr)
    shorter = _LEGAL_FORM.sub("", slug)
    return shorter if shorter != slug and shorter else slug
