"""The one configured Markdown renderer. Raw HTML is off: content comes from many hands."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render(source: str) -> Markup:
    return Markup(_parser().render(source))
