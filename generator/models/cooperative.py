"""A cooperative (or union) under law 112-12: who they are, where, their figures and their terms."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator

from .common import Centimes, Entity, Image, LocalizedText, NonEmptyStr, Slug, Strict, content_error

E164_RE = re.compile(r"^\+[1-9]\d{7,14}$")


def _check_phone(value: str) -> str:
    if not E164_RE.match(value):
        raise content_error(
            "phone",
            "`{value}` is not a phone number in international form",
            'write it with +212 and no spaces, like "+212612345678"',
            value=value,
        )
    return value


Phone = Annotated[
    str,
    AfterValidator(_check_phone),
    WithJsonSchema({"type": "string", "pattern": E164_RE.pattern}),
]


class Register(Strict):
    number: NonEmptyStr  # the format is not published; kept as written (domain.md §5)
    court: LocalizedText
    date: date


class Members(Strict):
    total: int = Field(ge=1)
    women: int = Field(ge=0)
    youth: int = Field(ge=0)
    as_of: date

    @model_validator(mode="after")
    def _parts_fit(self) -> Members:
        for part in ("women", "youth"):
            if getattr(self, part) > self.total:
                raise content_error(
                    "members",
                    "`{part}` ({n}) is larger than `total` ({total})",
                    part=part,
                    n=getattr(self, part),
                    total=self.total,
                )
        return self


class Board(Strict):
    total: int = Field(ge=1)
    women: int = Field(ge=0)
    youth: int = Field(ge=0)
    chair: Literal["woman", "man"] | None = None


class Jobs(Strict):
    count: int = Field(ge=0)
    as_of: date


class Contact(Strict):
    phone: Phone
    whatsapp: Phone | None = None
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    languages: list[Literal["ar", "fr", "zgh", "en", "ary"]] = []


class Onssa(Strict):
    kind: Literal["autorisation", "agrement"]
    number: NonEmptyStr
    valid_until: date | None = None


class LabelClaim(Strict):
    label: Slug
    certificate_no: NonEmptyStr
    certifier: NonEmptyStr
    valid_until: date


def _national_alone(value: Any) -> Any:
    """`[national]` (what a form's multiple choice writes) means `national`."""
    return "national" if value == ["national"] else value


class Delivery(Strict):
    zones: Annotated[Literal["national"] | list[Slug], BeforeValidator(_national_alone)]
    fee: Centimes
    free_from: Centimes | None = None
    cod: bool = True
    cod_max: Centimes | None = None
    pickup: bool = False
    lead_time_days: int = Field(ge=0, le=365)


class Geo(Strict):
    lat: float = Field(ge=20, le=36.5)
    lon: float = Field(ge=-17.5, le=-0.9)


class Verified(Strict):
    by: NonEmptyStr
    date: date


class Performance(Strict):
    """What the cooperative declares for the rating (docs/rating.md), each with evidence it can
    show. Leave out what it cannot show: the rating reads "not declared", never zero."""

    as_of: date  # when these answers were given
    general_assembly: date | None = None  # the last ordinary general assembly (its minutes)
    board_renewed_on_schedule: bool | None = None
    declaration_filed_on_time: bool | None = None  # the last annual declaration
    auditor: Literal["appointed", "not_required", "missing"] | None = None
    accounts_year: int | None = Field(default=None, ge=1990, le=2100)  # last year with accounts
    capital_paid_up: bool | None = None
    positive_results: int | None = Field(default=None, ge=0, le=3)  # of the last three years
    active_years: int | None = Field(default=None, ge=0, le=2)  # of the last two: member trade
    members_two_years_ago: int | None = Field(default=None, ge=1)
    board_training: date | None = None  # a board member's last finished academy course


class Cooperative(Entity):
    name: LocalizedText
    summary: LocalizedText
    kind: Literal["cooperative", "union"] = "cooperative"
    registration: Register = Field(alias="register")  # `register` would shadow BaseModel.register
    sector: Slug
    region: Slug
    province: Slug | None = None
    commune: LocalizedText | None = None
    geo: Geo | None = None
    founded: date
    members: Members
    board: Board | None = None
    jobs: Jobs | None = None
    contact: Contact
    onssa: Onssa | None = None
    labels: list[LabelClaim] = []
    programs: list[Slug] = []
    delivery: Delivery
    photos: list[Image] = Field(default=[], max_length=12)
    verified: Verified | None = None
    performance: Performance | None = None

    @property
    def women_led(self) -> bool:
        """Board majority of women, or a woman in the chair (domain.md §9: a badge, not points)."""
        if self.board is None:
            return False
        return self.board.women * 2 > self.board.total or self.board.chair == "woman"

    @property
    def youth_led(self) -> bool:
        return self.board is not None and self.board.youth * 2 > self.board.total
