"""Babel formatting for Moroccan locales, and fallback marking."""

from __future__ import annotations

from datetime import date

from generator import i18n
from generator.models import LocalizedText


def normalise(text: str) -> str:
    """Drop invisible direction marks and unify no-break spaces (they vary by CLDR release)."""
    for mark in ("\u200f", "\u200e", "\u061c"):
        text = text.replace(mark, "")
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_money_in_arabic_uses_latin_digits() -> None:
    assert normalise(i18n.money(123456750, "ar")) == "1.234.567,50 د.م."


def test_money_in_french() -> None:
    assert normalise(i18n.money(12000, "fr")) == "120,00 MAD"


def test_maghrebi_month_names_in_arabic() -> None:
    assert normalise(i18n.long_date(date(2025, 11, 30), "ar")) == "30 نونبر 2025"
    assert i18n.long_date(date(2025, 11, 30), "fr") == "30 novembre 2025"


def test_fallback_is_wrapped_with_its_language() -> None:
    text = LocalizedText.model_validate({"ar": "زيت", "fr": "huile"})
    assert str(i18n.localized(text, "fr")) == "huile"
    assert str(i18n.localized(text, "zgh")) == '<span lang="ar" dir="rtl">زيت</span>'
    escaped = LocalizedText.model_validate({"ar": "<b>", "fr": "<b>"})
    assert str(i18n.localized(escaped, "fr")) == "&lt;b&gt;"
