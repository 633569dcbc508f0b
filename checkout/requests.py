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


_PLAIN: dict[str, str] = {
    "missing": "is required",
    "int_type": "must be a whole number, like 2",
    "int_parsing": "must be a whole number, like 2",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "string_type": "must be text",
    "string_too_short": "is empty; fill it in",
    "string_too_long": "is too long: at most {max_length} characters",
    "bool_type": "must be true or false",
    "list_type": "must be a list of lines",
    "too_short": "must hold at least one line",
    "model_type": "must be an object with named fields",
    "model_attributes_type": "must be an object with named fields",
    "dict_type": "must be an object with named fields",
    "literal_error": "must be one of: {expected}",
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
        raise ApiError(422, "invalid", "The order must be a JSON object.", None)
    lines = data.get("lines")
    if isinstance(lines, list) and len(lines) > max_lines:
        raise ApiError(
            422,
            "too_many_lines",
            f"lines: an order holds at most {max_lines} different products; this one has "
            f"{len(lines)}. Split it into two orders.",
            "lines",
        )
    try:
        request = OrderRequest.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        path = field_path(first["loc"]) or None
        template = _PLAIN.get(first["type"])
        if template is None:
            message = first["msg"]
        else:
            context = first.get("ctx") or {}
            message = template.format(**{k: v for k, v in context.items()})
        raise ApiError(422, "invalid", f"{path or 'The order'}: {message}.", path) from None
    if request.consent is not True:
        raise ApiError(
            422,
            "consent_required",
            "consent: tick the box that agrees to the use of your details for this order "
            "(law 09-08).",
            "consent",
        )
    return request
