"""The one Jinja2 environment: strict undefined, autoescape, the theme's filters and UI strings."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .i18n import Messages

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"


class Theme:
    def __init__(self, folder: Path = DEFAULT_THEME) -> None:
        self.folder = folder
        self.static = folder / "static"
        self.messages = Messages(folder / "i18n")
        self.env = Environment(
            loader=FileSystemLoader(folder / "templates"),
            autoescape=select_autoescape(["html", "xml"], default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
