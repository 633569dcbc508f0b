"""Languages: UI strings with fallback, direction, and Babel formatting for ar-MA / fr-MA."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, parse_pattern
from markupsafe import Markup, escape

from .models.common import FALLBACKS, LocalizedText, direction

# Babel locales per site language: Moroccan conventions (ar-MA keeps Latin digits).
LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "zgh": "zgh_MA", "en": "en"}
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ", "en": "English"}


def fallback_chain(lang: str) -> tuple[str, ...]:
    return FALLBACKS.get(lang, (lang, "ar", "fr"))


def wrap(text: str, actual: str, wanted: str) -> Markup:
    """Escaped text; marked with its own lang/dir when it is a fallback in another language."""
    if actual == wanted:
        return escape(text)
    return Markup('<span lang="{}" dir="{}">{}</span>').format(actual, direction(actual), text)


def localized(text: LocalizedText | None, lang: str) -> Markup:
    if text is None:
        return Markup("")
    value, actual = text.resolve(lang)
    return wrap(value, actual, lang)


def plain(text: LocalizedText | None, lang: str) -> str:
    """For attributes (alt, title, meta) where no markup can go."""
    return "" if text is None else text.resolve(lang)[0]


class Messages:
    """UI strings from ``themes/<theme>/i18n/<lang>.yaml`` (flat key → text)."""

    def __init__(self, folder: Path) -> None:
        self.by_lang: dict[str, dict[str, str]] = {}
        for path in sorted(folder.glob("*.yaml")):
            with path.open(encoding="utf-8") as handle:
                data = yaml.load(handle, Loader=yaml.CSafeLoader) or {}
            self.by_lang[path.stem] = {str(k): str(v) for k, v in data.items()}

    def resolve(self, key: str, lang: str) -> tuple[str, str]:
        for candidate in fallback_chain(lang):
            value = self.by_lang.get(candidate, {}).get(key)
            if value is not None:
                return value, candidate
        raise KeyError(f"UI string `{key}` is missing in every language of the theme")

    def has_language(self, lang: str) -> bool:
        return lang in self.by_lang

    def keys_with_prefix(self, prefix: str) -> list[str]:
        """Every key starting with ``prefix`` in any language (sorted), e.g. the strings a
        script needs, handed to it in a JSON data block."""
        return sorted(
            {key for strings in self.by_lang.values() for key in strings if key.startswith(prefix)}
        )


@cache
# Formatting with Babel costs tens of microseconds and a listing page shows about a hundred
# numbers (its facet counts): the same few thousand values, formatted once each.
@lru_cache(maxsize=65_536)
def money(centimes: int, lang: str) -> str:
    """Integer centimes → the locale's currency format, through Decimal (never a float)."""
    return format_currency(Decimal(centimes) / 100, "MAD", locale=LOCALES[lang])


def whole_money(centimes: int, lang: str) -> str:
    """Whole dirhams in the locale's currency format, for round figures such as the bounds of
    a range ("100 000 MAD"): the locale's pattern without its decimals."""
    locale = Locale.parse(LOCALES[lang])
    pattern = parse_pattern(locale.currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return str(
        pattern.apply(Decimal(centimes) // 100, locale, currency="MAD", currency_digits=False)
    )


@lru_cache(maxsize=65_536)
def number(value: int | float, lang: str) -> str:
    return format_decimal(value, locale=LOCALES[lang])


def percent(share: float, lang: str) -> str:
    return format_percent(share, locale=LOCALES[lang])


def long_date(value: date, lang: str) -> str:
    return format_date(value, "long", locale=LOCALES[lang])


def month_name(month: int, lang: str) -> str:
    return format_date(date(2000, month, 1), "MMMM", locale=LOCALES[lang])
