"""Shared field types: localized text, money, slugs, images, and the strict base model."""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

LANGUAGES: tuple[str, ...] = ("ar", "fr", "zgh", "en")
REQUIRED_LANGUAGES: tuple[str, ...] = ("ar", "fr")
RTL_LANGUAGES: frozenset[str] = frozenset({"ar"})

# A missing translation falls back along these chains (domain.md §2).
FALLBACKS: dict[str, tuple[str, ...]] = {
    "ar": ("ar", "fr"),
    "fr": ("fr", "ar"),
    "zgh": ("zgh", "ar", "fr"),
    "en": ("en", "fr", "ar"),
}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MONEY_RE = re.compile(r"^-?\d{1,9}(?:\.\d{1,2})?$")


def direction(lang: str) -> Literal["rtl", "ltr"]:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


class Strict(BaseModel):
    """Every content model forbids unknown keys: a misspelt key is an error, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_slug(value: Any) -> Any:
    if isinstance(value, str) and not SLUG_RE.match(value):
        raise PydanticCustomError(
            "slug",
            "`{value}` is not a valid id",
            {
                "value": value,
                "hint": "use lower-case letters a-z, digits and single hyphens, like `argan-tamanar`",
            },
        )
    return value


Slug = Annotated[str, BeforeValidator(_check_slug), Field(min_length=1)]


def _to_centimes(value: Any) -> Any:
    """Money is a decimal string in dirhams ("120.00") → integer centimes. Floats are refused."""
    if isinstance(value, bool):
        raise PydanticCustomError("money", "this amount is not a number", {})
    if isinstance(value, float):
        raise PydanticCustomError(
            "money",
            "write amounts in quotes, not as a bare decimal number",
            {"hint": f'write "{value:.2f}" (with the quotes) so no cent is lost'},
        )
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not MONEY_RE.match(value.strip()):
        raise PydanticCustomError(
            "money",
            "`{value}` is not an amount in dirhams",
            {"value": value, "hint": 'write it like "120.00" (digits, a dot, two decimals)'},
        )
    try:
        amount = Decimal(value.strip())
    except InvalidOperation as exc:  # pragma: no cover - the regex already rules this out
        raise PydanticCustomError("money", "`{value}` is not a number", {"value": value}) from exc
    if amount < 0:
        raise PydanticCustomError(
            "money",
            "an amount cannot be negative (`{value}`)",
            {"value": value, "hint": 'write a positive amount like "120.00"'},
        )
    return int(amount * 100)


Centimes = Annotated[int, BeforeValidator(_to_centimes)]
"""An amount of money in integer centimes (MAD), written in content as "120.00"."""

NonEmptyStr = Annotated[str, Field(min_length=1)]


class LocalizedText(Strict):
    """Short translatable text: ``ar`` and ``fr`` required, ``zgh`` and ``en`` optional."""

    ar: NonEmptyStr
    fr: NonEmptyStr
    zgh: NonEmptyStr | None = None
    en: NonEmptyStr | None = None

    def get(self, lang: str) -> str | None:
        value = getattr(self, lang, None)
        return value if isinstance(value, str) else None

    def resolve(self, lang: str) -> tuple[str, str]:
        """The text for ``lang`` and the language it is really in (after fallback)."""
        for candidate in FALLBACKS.get(lang, (lang, "ar", "fr")):
            text = self.get(candidate)
            if text:
                return text, candidate
        return self.fr, "fr"  # pragma: no cover - fr is required

    def languages(self) -> set[str]:
        return {lang for lang in LANGUAGES if self.get(lang)}


class Image(Strict):
    src: NonEmptyStr
    alt: LocalizedText


ImagePath = tuple[str | int, ...]

# One frozenset per distinct set of keys written (a few hundred in a national catalogue).
_FIELD_SETS: dict[frozenset[str], frozenset[str]] = {}


def compact(value: Any) -> None:
    """Shrink a validated model in place, by about a third: pydantic gives every instance its
    own set of the field names that were written (216–728 bytes, a product holds a dozen
    instances), where one shared frozenset per distinct set of names does. Models are frozen,
    so nothing ever adds to that set; what reads it (``model_fields_set``) still works.
    """
    if isinstance(value, BaseModel):
        names = frozenset(value.__pydantic_fields_set__)
        object.__setattr__(value, "__pydantic_fields_set__", _FIELD_SETS.setdefault(names, names))
        for item in value.__dict__.values():
            if isinstance(item, BaseModel | list):
                compact(item)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, BaseModel | list):
                compact(item)


def images_in(model: BaseModel, path: ImagePath = ()) -> Iterator[tuple[ImagePath, Image]]:
    """Every Image inside a model, with its key path (for error positions).

    Only the fields whose type can hold an image are visited (found once per model class), not
    every field of every entry: this runs over each entry of a national catalogue on each build.
    """
    if isinstance(model, Image):
        yield path, model
        return
    for name in _image_fields(type(model)):
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from images_in(value, (*path, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from images_in(item, (*path, name, i))


@functools.cache
def _image_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(
        name for name, info in cls.model_fields.items() if _can_hold_image(info.annotation)
    )


def _can_hold_image(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation is Image or bool(_image_fields(annotation))
    return any(_can_hold_image(arg) for arg in typing.get_args(annotation))


def require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                "duplicate",
                "`{value}` is listed twice in {what}",
                {"value": value, "what": what, "hint": "remove one of them"},
            )
        seen.add(value)


class Entity(Strict):
    """Fields shared by every kind stored one per file."""

    id: Slug
    sample: bool = False

    @model_validator(mode="before")
    @classmethod
    def _must_be_mapping(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise PydanticCustomError(
                "not-a-mapping",
                "this file must contain keys and values (a YAML mapping), not {kind}",
                {"kind": type(data).__name__, "hint": "start with `id: …` on the first line"},
            )
        return data
