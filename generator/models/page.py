"""A plain page: about, privacy notice, how to sell."""

from __future__ import annotations

from typing import Literal

from .common import Entity, LocalizedText


class Page(Entity):
    title: LocalizedText
    summary: LocalizedText | None = None
    menu: Literal["header", "footer", "none"] = "footer"
    order: int = 0
