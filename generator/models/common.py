"""Shared field types: localized text, money, slugs, images, and the strict base model."""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from ..messages import N_, Msg, Value, render

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


# Keys of a content error's ctx that hold its English templates (see generator/validation.py).
MESSAGE_KEY, HINT_KEY = "taawun_message", "taawun_hint"


def content_error(code: str, message: str, hint: str = "", **values: Value) -> PydanticCustomError:
    """A validation error whose message and hint stay templates, translated when shown.

    pydantic formats ``message`` with the values at once (its ``msg``, in English); the templates
    ride along in the ctx so that ``taawun check --lang ar`` can show them in Arabic. ``hint`` is
    also kept rendered in English, under ``hint``, for code that reads the ctx directly.
    """
    context: dict[str, Any] = {**values, MESSAGE_KEY: message, HINT_KEY: hint}
    if hint:
        context["hint"] = render(hint, values)
    return PydanticCustomError(code, message, context)


def _check_slug(value: Any) -> Any:
    if isinstance(value, str) and not SLUG_RE.match(value):
        raise content_error(
            "slug",
            "`{value}` is not a valid id",
            "use lower-case letters a-z, digits and single hyphens, like `argan-tamanar`",
            value=value,
        )
    return value


# The JSON Schema states the rule the validator checks (editors flag a bad id as it is typed).
Slug = Annotated[
    str,
    BeforeValidator(_check_slug),
    Field(min_length=1),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": SLUG_RE.pattern}),
]


def _to_centimes(value: Any) -> Any:
    """Money is a decimal string in dirhams ("120.00") → integer centimes. Floats are refused."""
    if isinstance(value, bool):
        raise content_error("money", "this amount is not a number")
    if isinstance(value, float):
        raise content_error(
            "money",
            "write amounts in quotes, not as a bare decimal number",
            'write "{amount}" (with the quotes) so no cent is lost',
            amount=f"{value:.2f}",
        )
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not MONEY_RE.match(value.strip()):
        raise content_error(
            "money",
            "`{value}` is not an amount in dirhams",
            'write it like "120.00" (digits, a dot, two decimals)',
            value=str(value),
        )
    try:
        amount = Decimal(value.strip())
    except InvalidOperation as exc:  # pragma: no cover - the regex already rules this out
        raise content_error("money", "`{value}` is not a number", value=value) from exc
    if amount < 0:
        raise content_error(
            "money",
            "an amount cannot be negative (`{value}`)",
            'write a positive amount like "120.00"',
            value=value,
        )
    return int(amount * 100)


# Files write "120.00" (or a whole number of dirhams); the model holds centimes.
MONEY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": r"^\d{1,9}(?:\.\d{1,2})?$"},
        {"type": "integer", "minimum": 0, "maximum": 999_999_999},
    ]
}
Centimes = Annotated[
    int, BeforeValidator(_to_centimes), WithJsonSchema(MONEY_SCHEMA, mode="validation")
]
"""An amount of money in integer centimes (MAD), written in content as "120.00"."""


def dirhams(centimes: int) -> str:
    """Centimes → the amount as content files write it: ``12050`` → ``"120.50"``."""
    return f"{centimes // 100}.{centimes % 100:02d}"


def is_money(info: FieldInfo) -> bool:
    """Whether a model field holds :data:`Centimes` (alone, optional, or in a list)."""

    def marked(metadata: typing.Iterable[Any]) -> bool:
        return any(isinstance(m, BeforeValidator) and m.func is _to_centimes for m in metadata)

    def inside(annotation: Any) -> bool:
        return marked(getattr(annotation, "__metadata__", ())) or any(
            inside(arg) for arg in typing.get_args(annotation)
        )

    return marked(info.metadata) or inside(info.annotation)


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
            raise content_error(
                "duplicate",
                "`{value}` is listed twice in {what}",
                "remove one of them",
                value=value,
                what=what,
            )
        seen.add(value)


# What YAML read instead of a mapping, by Python's name for it (the English shown is unchanged).
_TYPE_NAMES = {
    "list": N_("list"),
    "str": N_("str"),
    "int": N_("int"),
    "float": N_("float"),
    "bool": N_("bool"),
    "NoneType": N_("NoneType"),
    "date": N_("date"),
    "datetime": N_("datetime"),
}


def _type_name(data: Any) -> Value:
    name = type(data).__name__
    return Msg(_TYPE_NAMES[name]) if name in _TYPE_NAMES else name


class Entity(Strict):
    """Fields shared by every kind stored one per file."""

    id: Slug
    sample: bool = False

    @model_validator(mode="before")
    @classmethod
    def _must_be_mapping(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise content_error(
                "not-a-mapping",
                "this file must contain keys and values (a YAML mapping), not {kind}",
                "start with `id: …` on the first line",
                kind=_type_name(data),
            )
        return data
