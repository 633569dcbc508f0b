"""A project idea for the bank of cooperative projects (domain.md §8, §10)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .common import Centimes, Entity, Image, LocalizedText, NonEmptyStr, Slug, Strict

TargetGroup = Literal["neet_youth", "women", "graduates", "persons_with_disabilities", "rural"]
RegulatoryStep = Literal[
    "odco_name_certificate",
    "statutes",
    "register",
    "onssa",
    "sdoq",
    "tax_id",
    "cnss",
    "commune_permit",
]


class InvestmentItem(Strict):
    label: LocalizedText
    amount: Centimes


class Investment(Strict):
    as_of: date
    working_capital: Centimes = 0
    items: list[InvestmentItem] = Field(min_length=1)

    @property
    def total(self) -> int:
        return self.working_capital + sum(item.amount for item in self.items)


class Jobs(Strict):
    direct: int = Field(ge=0)
    indirect: int = Field(default=0, ge=0)
    women_share: int = Field(ge=0, le=100)
    youth_share: int = Field(ge=0, le=100)


class Economics(Strict):
    revenue_year1: Centimes
    margin_pct: float = Field(ge=-100, le=100)
    breakeven_months: int = Field(ge=1, le=240)


class Market(Strict):
    customers: LocalizedText
    competition: LocalizedText | None = None
    channels: list[LocalizedText] = []
    price_range: LocalizedText | None = None


class Risk(Strict):
    risk: LocalizedText
    mitigation: LocalizedText


class Step(Strict):
    title: LocalizedText
    detail: LocalizedText | None = None


class Skill(LocalizedText):
    """A skill the idea needs, in every language, with the academy course that teaches it."""

    course: Slug | None = None


class Source(Strict):
    type: Literal["ideathon", "cri", "indh", "odco", "taawun"]
    ref: NonEmptyStr
    year: int = Field(ge=2000, le=2100)


class ProjectIdea(Entity):
    title: LocalizedText
    summary: LocalizedText
    sector: Slug
    value_chain: LocalizedText
    regions: list[Slug] = Field(min_length=1)
    territorial_rationale: LocalizedText
    target_groups: list[TargetGroup] = Field(min_length=1)
    legal_form: Literal["cooperative", "union", "gie"] = "cooperative"
    min_members: int = Field(default=5, ge=1)
    investment: Investment
    funding: list[Slug] = []
    jobs: Jobs
    economics: Economics | None = None
    skills: list[Skill] = []
    courses: list[Slug] = []
    equipment: list[LocalizedText] = []
    inputs: list[LocalizedText] = []
    market: Market
    regulatory: list[RegulatoryStep] = []
    risks: list[Risk] = []
    steps: list[Step] = Field(min_length=1)
    source: Source
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    last_reviewed: date
    image: Image | None = None
