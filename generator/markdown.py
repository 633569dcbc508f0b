"""The one configured Markdown renderer. Raw HTML is off: content comes from many hands."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

MEDIA_PREFIX = "media/"  # a path from the content folder, as in YAML `src:` values


class Media(Protocol):
    """What a text's `media/…` images and links become on the page (see bodymedia.py)."""

    def image(self, src: str, alt: str, title: str | None) -> str | None: ...

    def href(self, src: str) -> str | None: ...


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.add_render_rule("image", _image)
    md.add_render_rule("link_open", _link_open)
    return md


def render(source: str, media: Media | None = None) -> Markup:
    return Markup(_parser().render(source, {"media": media} if media is not None else None))


def tokens(source: str) -> list[Token]:
    """The parsed block tokens (inline ones are their ``children``)."""
    return _parser().parse(source)


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    media: Media | None = env.get("media")
    if media is not None and src.startswith(MEDIA_PREFIX):
        alt = self.renderInlineAsText(token.children or [], options, env)
        title = token.attrGet("title")
        html = media.image(src, alt, str(title) if title else None)
        if html is not None:
            return html
    return self.image(tokens, idx, options, env)


def _link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    media: Media | None = env.get("media")
    if media is not None and href.startswith(MEDIA_PREFIX):
        url = media.href(href)
        if url is not None:
            token.attrSet("href", url)
    return self.renderToken(tokens, idx, options, env)
