"""The cooperative rating: computed at build time from declared data, by a published method.

The method is domain.md §9's transparent model, explained in docs/rating.md and on the site's
rating page (both made from ``CRITERIA`` below, so they cannot drift from the code):

- every criterion is earned, missed, not declared or not applicable, and all are shown;
- a criterion that is not declared is left out of the score, never counted as zero;
- score = 100 × points earned / points of the criteria declared (and applicable);
- coverage = points declared / points applicable; below 60 % there is no grade;
- bands A ≥ 85, B ≥ 70, C ≥ 55, D ≥ 40, E below;
- "women-led" and "youth-led" are badges, not points; size earns nothing (only shares and rates).

It is never an official score: the pages say who declared the data and when.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .models import Cooperative

METHOD_VERSION = "1"
MIN_COVERAGE = 60
BANDS = (("A", 85), ("B", 70), ("C", 55), ("D", 40), ("E", 0))
RECENT = timedelta(days=365)

Status = Literal["earned", "missed", "not_declared", "not_applicable"]
# What a check gives: True (earned), False (missed), None (not declared) or "n/a".
Outcome = bool | None | Literal["n/a"]


@dataclass(frozen=True)
class Facts:
    """What a criterion can look at: the cooperative, the build date and what it sells."""

    coop: Cooperative
    today: date
    sells_food: bool


@dataclass(frozen=True)
class Criterion:
    id: str
    dimension: str
    points: int
    check: Callable[[Facts], Outcome]
    # Indicators read from marketplace orders, not declared: until the checkout service has
    # 90 days of orders they read "not measured yet" (they count as not declared).
    measured: bool = False


@dataclass(frozen=True)
class Line:
    criterion: Criterion
    status: Status

    @property
    def earned(self) -> int:
        return self.criterion.points if self.status == "earned" else 0


@dataclass(frozen=True)
class Rating:
    lines: tuple[Line, ...]
    as_of: date | None  # when the declared data was given
    version: str = METHOD_VERSION

    @property
    def applicable(self) -> int:
        return sum(line.criterion.points for line in self.lines if line.status != "not_applicable")

    @property
    def declared(self) -> int:
        return sum(
            line.criterion.points for line in self.lines if line.status in ("earned", "missed")
        )

    @property
    def earned(self) -> int:
        return sum(line.earned for line in self.lines)

    @property
    def coverage(self) -> int:
        """Percent of the applicable points that were declared (rounded down)."""
        return self.declared * 100 // self.applicable if self.applicable else 0

    @property
    def score(self) -> int | None:
        """0–100, or None when too little was declared to grade."""
        if self.coverage < MIN_COVERAGE or not self.declared:
            return None
        return round(self.earned * 100 / self.declared)

    @property
    def band(self) -> str | None:
        score = self.score
        if score is None:
            return None
        return next(band for band, floor in BANDS if score >= floor)

    def by_dimension(self) -> list[tuple[str, list[Line]]]:
        grouped: dict[str, list[Line]] = {}
        for line in self.lines:
            grouped.setdefault(line.criterion.dimension, []).append(line)
        return list(grouped.items())

    def fingerprint(self) -> str:
        """Everything a page shows of the rating, for incremental builds."""
        statuses = ",".join(f"{line.criterion.id}={line.status}" for line in self.lines)
        return f"{self.version}:{self.as_of}:{statuses}"


# -- the criteria (domain.md §9; weights per dimension: 25, 20, 20, 15, 20) ----------------------


def _recent(day: date | None, today: date) -> bool | None:
    return None if day is None else today - day <= RECENT


def _general_assembly(f: Facts) -> Outcome:
    perf = f.coop.performance
    return None if perf is None else _recent(perf.general_assembly, f.today)


def _board_renewed(f: Facts) -> Outcome:
    return None if f.coop.performance is None else f.coop.performance.board_renewed_on_schedule


def _declaration(f: Facts) -> Outcome:
    return None if f.coop.performance is None else f.coop.performance.declaration_filed_on_time


def _auditor(f: Facts) -> Outcome:
    auditor = None if f.coop.performance is None else f.coop.performance.auditor
    if auditor == "not_required":
        return "n/a"
    return None if auditor is None else auditor == "appointed"


def _accounts(f: Facts) -> Outcome:
    year = None if f.coop.performance is None else f.coop.performance.accounts_year
    return None if year is None else year >= f.today.year - 1


def _capital(f: Facts) -> Outcome:
    if f.today - f.coop.registration.date < timedelta(days=3 * 365):
        return "n/a"  # the law gives three years from registration to pay it up
    return None if f.coop.performance is None else f.coop.performance.capital_paid_up


def _results(f: Facts) -> Outcome:
    positive = None if f.coop.performance is None else f.coop.performance.positive_results
    return None if positive is None else positive >= 2


def _active(f: Facts) -> Outcome:
    years = None if f.coop.performance is None else f.coop.performance.active_years
    return None if years is None else years == 2


def _not_measured(f: Facts) -> Outcome:
    return None


def _onssa(f: Facts) -> Outcome:
    if not f.sells_food:
        return "n/a"
    onssa = f.coop.onssa
    return onssa is not None and (onssa.valid_until is None or onssa.valid_until >= f.today)


def _label(f: Facts) -> Outcome:
    if not f.sells_food:
        return "n/a"  # the recognised labels (IGP, AOP, bio, …) are for food and farm products
    return any(claim.valid_until >= f.today for claim in f.coop.labels)


def _stable_membership(f: Facts) -> Outcome:
    before = None if f.coop.performance is None else f.coop.performance.members_two_years_ago
    return None if before is None else f.coop.members.total * 5 >= before * 4  # no drop > 20 %


def _women(f: Facts) -> Outcome:
    members, board = f.coop.members, f.coop.board
    return members.women * 3 >= members.total or (
        board is not None and board.women * 3 >= board.total
    )


def _youth(f: Facts) -> Outcome:
    members, board = f.coop.members, f.coop.board
    return members.youth * 5 >= members.total or (
        board is not None and board.youth * 5 >= board.total
    )


def _training(f: Facts) -> Outcome:
    perf = f.coop.performance
    return None if perf is None else _recent(perf.board_training, f.today)


CRITERIA: tuple[Criterion, ...] = (
    Criterion("general_assembly", "governance", 8, _general_assembly),
    Criterion("board_renewed", "governance", 5, _board_renewed),
    Criterion("declaration", "governance", 8, _declaration),
    Criterion("auditor", "governance", 4, _auditor),
    Criterion("accounts", "finances", 8, _accounts),
    Criterion("capital", "finances", 4, _capital),
    Criterion("results", "finances", 8, _results),
    Criterion("active", "activity", 8, _active),
    Criterion("on_time", "activity", 6, _not_measured, measured=True),
    Criterion("reply_time", "activity", 6, _not_measured, measured=True),
    Criterion("onssa", "quality", 8, _onssa),
    Criterion("label", "quality", 4, _label),
    Criterion("complaints", "quality", 3, _not_measured, measured=True),
    Criterion("membership", "inclusion", 5, _stable_membership),
    Criterion("women", "inclusion", 5, _women),
    Criterion("youth", "inclusion", 5, _youth),
    Criterion("training", "inclusion", 5, _training),
)


def rate(coop: Cooperative, today: date, sells_food: bool) -> Rating:
    facts = Facts(coop, today, sells_food)
    lines = []
    for criterion in CRITERIA:
        outcome = criterion.check(facts)
        status: Status
        if outcome == "n/a":
            status = "not_applicable"
        elif outcome is None:
            status = "not_declared"
        else:
            status = "earned" if outcome else "missed"
        lines.append(Line(criterion, status))
    as_of = coop.performance.as_of if coop.performance else coop.members.as_of
    return Rating(tuple(lines), as_of)
