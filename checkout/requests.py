"""What a buyer's order request must look like (DESIGN.md §6), and plain-words errors naming
the field, as ``lines[0].qty`` or ``buyer.phone``.

Fields the service does not know are ignored: a ``price`` sent with a line changes nothing,
the catalogue's price is charged.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .errors import ApiError

MAX_QTY = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_SEPARATORS = re.compile(r"[\s.\-/]")
# Moroccan numbers in E.164: +212, then 5 (landlines), 6 or 7 (mobiles), then eight digits.
_MOROCCAN_E164 = re.compile(r"^\+212[5-7]\d{8}$")


def moroccan_phone(raw: str) -> str | None:
    """``raw`` as E.164 (``+212612345678``), from the ways Moroccans write it, or None."""
    digits = _SEPARATORS.sub("", raw).replace("(0)", "").replace("(", "").replace(")", "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+212" + digits[1:]
    elif digits.startswith("212"):
        digits = "+" + digits
    return digits if _MOROCCAN_E164.match(digits) else None


def _clean(value: str) -> str:
    return " ".join(_CONTROL.sub(" ", value).split())


Text = Annotated[StrictStr, Field(min_length=1)]


class Line(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sku: Annotated[StrictStr, Field(min_length=1, max_length=120)]
    qty: Annotated[StrictInt, Field(ge=1, le=MAX_QTY)]


class Buyer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: Annotated[StrictStr, Field(max_length=100)]
    phone: StrictStr
    region: Annotated[StrictStr, Field(max_length=60)]
    city: Annotated[StrictStr, Field(max_length=80)]
    address: Annotated[StrictStr, Field(max_length=300)]
    email: Annotated[StrictStr, Field(max_length=254)] | None = None

    @field_validator("name", "city", "address", "region")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = _clean(value)
        if not value:
            raise PydanticCustomError("blank", "is empty; fill it in")
        return value

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        if len(value) < 5:
            raise PydanticCustomError(
                "short_address", "is too short for a delivery: give the street, number or place"
            )
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        phone = moroccan_phone(value)
        if phone is None:
            raise PydanticCustomError(
                "phone",
                "is not a Moroccan phone number: write it as 06 12 34 56 78 or +212 6 12 34 56 78",
            )
        return phone

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not _EMAIL.match(value):
            raise PydanticCustomError(
                "email", "is not an e-mail address; correct it or leave it out"
            )
        return value


class OrderRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    lines: Annotated[list[Line], Field(min_length=1)]
    buyer: Buyer
    payment: Literal["cod", "card"]
    lang: StrictStr | None = None
    consent: StrictBool
    # The total the buyer was shown (centimes): if the catalogue's differs, the order is
    # refused rather than charged at a price the buyer did not see.
    expected_total: Annotated[StrictInt, Field(ge=0)] | None = None


# Pydantic's error types this model can raise, and the custom ones above: a message each in
# checkout/messages.py ("invalid.<type>"); anything else reads "not valid".
_TYPES = {
    "missing",
    "int_type",
    "greater_than_equal",
    "less_than_equal",
    "string_type",
    "string_too_long",
    "bool_type",
    "list_type",
    "too_short",
    "model_type",
    "literal_error",
    "blank",
    "phone",
    "short_address",
    "email",
}
_SAME_AS = {
    "int_parsing": "int_type",
    "int_from_float": "int_type",
    "string_too_short": "blank",
    "model_attributes_type": "model_type",
    "dict_type": "model_type",
}


def field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def parse_order(data: object, max_lines: int) -> OrderRequest:
    """The request as an :class:`OrderRequest`, or an :class:`ApiError` naming the first field
    that is wrong."""
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", key="not_object")
    lines = data.get("lines")
    if isinstance(lines, list) and len(lines) > max_lines:
        raise ApiError(422, "too_many_lines", "lines", max=max_lines, count=len(lines))
    try:
        request = OrderRequest.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        kind = _SAME_AS.get(first["type"], first["type"])
        values = {
            k: v
            for k, v in (first.get("ctx") or {}).items()
            if k in ("ge", "le", "max_length", "expected")
        }
        raise ApiError(
            422,
            "invalid",
            field_path(first["loc"]) or None,
            key=f"invalid.{kind}" if kind in _TYPES else "invalid.other",
            **values,
        ) from None
    if request.consent is not True:
        raise ApiError(422, "consent_required", "consent")
    return request
