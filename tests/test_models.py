"""Field rules of the content models: money, slugs, translations, quizzes, members."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from generator.models import LocalizedText, Question
from generator.models.common import Centimes
from generator.models.cooperative import Members

money = TypeAdapter(Centimes)


@pytest.mark.parametrize(
    ("written", "centimes"),
    [("120.00", 12000), ("0.5", 50), ("3000", 300000), (45, 4500), ("19.99", 1999)],
)
def test_money_becomes_integer_centimes(written: Any, centimes: int) -> None:
    assert money.validate_python(written) == centimes


@pytest.mark.parametrize("written", ["12,50", "-5.00", 12.5, "1.234", "abc", True, ""])
def test_bad_money_is_refused(written: Any) -> None:
    with pytest.raises(ValidationError):
        money.validate_python(written)


def test_localized_text_requires_arabic_and_french_and_falls_back() -> None:
    with pytest.raises(ValidationError):
        LocalizedText.model_validate({"ar": "نص"})
    text = LocalizedText.model_validate({"ar": "نص", "fr": "texte"})
    assert text.resolve("zgh") == ("نص", "ar")
    assert text.resolve("en") == ("texte", "fr")
    assert text.resolve("fr") == ("texte", "fr")


def question(kind: str, correct: list[bool]) -> dict[str, Any]:
    return {
        "id": "q",
        "type": kind,
        "prompt": {"ar": "س", "fr": "q"},
        "options": [
            {"id": f"o{i}", "text": {"ar": "ج", "fr": "r"}, "correct": c}
            for i, c in enumerate(correct)
        ],
    }


@pytest.mark.parametrize(
    ("kind", "correct", "ok"),
    [
        ("single", [True, False, False], True),
        ("single", [True, True], False),
        ("true_false", [True, False], True),
        ("true_false", [True, False, False], False),
        ("multi", [True, True, False], True),
        ("multi", [False, False], False),
        ("order", [False, False, False], True),
        ("order", [True, False], False),
    ],
)
def test_quiz_rules(kind: str, correct: list[bool], ok: bool) -> None:
    if ok:
        Question.model_validate(question(kind, correct))
    else:
        with pytest.raises(ValidationError):
            Question.model_validate(question(kind, correct))


def test_members_parts_cannot_exceed_total() -> None:
    with pytest.raises(ValidationError, match="larger than `total`"):
        Members.model_validate({"total": 10, "women": 12, "youth": 0, "as_of": "2025-12-31"})


def test_money_is_found_and_written_back_as_content_files_write_it() -> None:
    """The form service and `submissions accept` write amounts back with these."""
    from generator.models.common import dirhams, is_money
    from generator.models.cooperative import Delivery
    from generator.models.product import Product

    fields = Delivery.model_fields
    assert is_money(fields["fee"]) and is_money(fields["cod_max"])  # plain, and optional
    assert not is_money(fields["lead_time_days"]) and not is_money(Product.model_fields["stock"])
    assert [dirhams(c) for c in (12050, 5, 0)] == ["120.50", "0.05", "0.00"]
    assert TypeAdapter(Centimes).validate_python(dirhams(98765)) == 98765
