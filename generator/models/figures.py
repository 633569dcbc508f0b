"""Published figures about the cooperative sector, kept in ``content/data/sector_figures.yaml``:
each with its date and its source, because a number without them cannot be checked."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from .common import Entity, LocalizedText, NonEmptyStr, Slug, Strict, content_error

WEB_ADDRESS_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
# "65,315", "65 315" or "65.315": a count written the way people read it.
GROUPED_RE = re.compile(r"^\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+$")


def _check_address(value: str) -> str:
    if not WEB_ADDRESS_RE.match(value):
        raise content_error(
            "web-address",
            "`{value}` is not a web address",
            "write the full address of the source, starting with https://",
            value=value,
        )
    return value


def _check_count(value: Any) -> Any:
    if isinstance(value, str) and GROUPED_RE.match(value.strip()):
        digits = re.sub(r"\D", "", value)
        raise content_error(
            "count",
            "`{value}` is written with thousands separators",
            "write the digits only, like {digits}",
            value=value,
            digits=digits,
        )
    if isinstance(value, float):
        raise content_error(
            "count",
            "a figure here is a count: `{value}` is not a whole number",
            "write a whole number; shares are computed with `part_of`",
            value=value,
        )
    return value


WebAddress = Annotated[str, AfterValidator(_check_address)]
Count = Annotated[int, BeforeValidator(_check_count), Field(ge=0)]


class FigureSource(Strict):
    name: NonEmptyStr  # the publisher, as it names itself (not translated)
    title: NonEmptyStr | None = None  # the article or report
    url: WebAddress
    lang: Literal["ar", "fr", "zgh", "en"] | None = None  # the language the source is written in
    published: date | None = None


class SectorFigure(Entity):
    label: LocalizedText  # what is counted, as a heading: "Registered cooperatives"
    value: Count
    unit: LocalizedText  # the word after the number: "cooperatives"
    as_of: date  # the date the count refers to (not the date it was published)
    source: FigureSource
    note: LocalizedText | None = None
    # The id of the figure this one is a part of (women among members): the page shows the share.
    part_of: Slug | None = None
