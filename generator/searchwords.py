"""Extra words for the search index, so that a buyer finds a page however they spell it.

Pagefind already folds case, accents, tashkeel, tatweel, hamza forms and ta marbuta (measured in
tests/test_search.py). Two things it does not do, which buyers need (domain.md §2):
- alef maqsura and ya at the end of a word are one letter to most writers ("حلوى" / "حلوي");
- a product is searched in the other language's script ("argan" on the Arabic site finds
  "أركان"): a name's translations are its aliases.
Each page gets these words in an attribute Pagefind indexes (``data-pagefind-index-attrs``):
nothing is shown, nothing is read out by a screen reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import LocalizedText

WORD = re.compile(r"\w+")
LANGUAGES = ("ar", "fr", "zgh", "en")


def _swapped_endings(word: str) -> str | None:
    if word.endswith("ى"):
        return word[:-1] + "ي"
    if word.endswith("ي"):
        return word[:-1] + "ى"
    return None


def search_aliases(texts: Iterable[LocalizedText | None], lang: str) -> str:
    """The names in the other languages, and the other spelling of Arabic words ending in
    alef maqsura or ya, as one line of unique words (empty when there is nothing to add)."""
    words: dict[str, None] = {}
    for text in texts:
        if text is None:
            continue
        for code in LANGUAGES:
            value = text.get(code)
            if not value:
                continue
            for word in WORD.findall(value):
                if code != lang:
                    words[word] = None
                other = _swapped_endings(word)
                if other is not None:
                    words[other] = None
    return " ".join(words)
