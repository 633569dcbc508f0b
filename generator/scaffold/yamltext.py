"""YAML written as a person would write it (comments above the keys), and small edits of lists
in existing files that keep every other character, comments included."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

REVIEW = "REVIEW"  # marks a value to look at again; `grep -rn REVIEW content/` lists them


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def ident(slug: str) -> str:
    """An id as written: bare, unless YAML would read it as something else (`no`, `2024`)."""
    return slug if yaml.safe_load(slug) == slug else q(slug)


class Doc:
    """A YAML file built line by line: comments, scalars, text maps and commented examples."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def comment(self, *texts: str, indent: str = "") -> None:
        for block in texts:
            self.lines += [f"{indent}# {line}".rstrip() for line in block.splitlines()]

    def blank(self) -> None:
        self.lines.append("")

    def field(self, key: str, value: str, note: str = "", indent: str = "") -> None:
        """``key: value`` with ``value`` already in YAML (use ``q`` or ``ident`` for strings)."""
        self.lines.append(f"{indent}{key}: {value}" + (f"  # {note}" if note else ""))

    def texts(
        self,
        key: str,
        values: Mapping[str, str],
        notes: Mapping[str, str] | None = None,
        indent: str = "",
    ) -> None:
        """A text map, one language a line (``ar`` first), each with an optional end comment.
        A ``key`` like ``- title`` starts an entry of a list."""
        self.lines.append(f"{indent}{key}:")
        inner = indent + ("    " if key.startswith("- ") else "  ")
        for lang in sorted(values, key=lambda lang: (lang != "ar", lang)):
            note = (notes or {}).get(lang, "")
            self.lines.append(f"{inner}{lang}: {q(values[lang])}" + (f"  # {note}" if note else ""))

    def example(self, *lines: str) -> None:
        """Lines of YAML left commented out: an optional key, ready to uncomment."""
        self.lines += [f"# {line}" for line in lines]

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


class ListEditError(Exception):
    """The key is not a list this module can extend without rewriting the file."""


def append_to_list(path: Path, key: str, item: str) -> None:
    """Add ``item`` at the end of the top-level list ``key`` of the YAML file, in place.

    Only the list changes, so the author's comments and layout stay: a flow list
    (``lessons: [a, b]``) gets ``, item`` before its ``]``; a block list gets one more
    ``- item`` line, indented as its last entry.
    """
    source = path.read_text(encoding="utf-8")
    root = yaml.compose(source, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise ListEditError(f"{path} is not a YAML mapping")
    node = next((v for k, v in root.value if getattr(k, "value", None) == key), None)
    if not isinstance(node, yaml.SequenceNode):
        raise ListEditError(f"`{key}` in {path} is not a list")
    written = ident(item)
    if node.flow_style:
        close = node.end_mark.index - 1  # the `]`
        if source[close] != "]":
            raise ListEditError(f"`{key}` in {path} does not end with `]`")
        before = source[node.start_mark.index + 1 : close]
        gap = ", " if before.strip() else ""
        spaced = before.rstrip()
        source = source[: node.start_mark.index + 1] + spaced + gap + written + source[close:]
    else:
        last = node.value[-1]
        line_start = source.rfind("\n", 0, last.start_mark.index) + 1
        dash = re.match(r"\s*-\s+", source[line_start:])
        if dash is None:
            raise ListEditError(f"`{key}` in {path} has an entry this command cannot follow")
        line_end = source.find("\n", last.end_mark.index)
        line_end = len(source) if line_end == -1 else line_end
        new_line = "\n" + dash.group(0) + written
        source = source[:line_end] + new_line + source[line_end:]
    path.write_text(source if source.endswith("\n") else source + "\n", encoding="utf-8")
