"""Content YAML as the sample files are written by hand: one key per line, short mappings and
lists on one line in flow style (``name: {ar: "…", fr: "…"}``), text in double quotes, money
quoted (``price: "80.00"``), ids and dates bare.

Every string came from a stranger's form: text is quoted by PyYAML's own emitter (which escapes
quotes, newlines and control characters), a string is left bare only when it reads back as the
same string, and the whole document is read back and compared before it is returned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import yaml

FLOW_WIDTH = 200  # longest one-line mapping or list, indentation included
FLOW_KEYS = 5  # a mapping with more keys is written one key per line (`delivery:`)
_BARE = re.compile(r"^[a-z][a-z0-9_./-]*$")  # ids, units, `in_stock`, media/x.jpg


class YamlWriteError(RuntimeError):
    """The written YAML would not read back as the given data (a bug, never a user's error)."""


def dump(entry: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    """``entry`` as a YAML document, after a comment line per item of ``header``."""
    lines = [_comment(line) for line in header]
    for key, value in entry.items():
        lines.extend(_block(key, value, 0))
    text = "\n".join(lines) + "\n"
    if yaml.load(text, Loader=yaml.CSafeLoader) != dict(entry):
        raise YamlWriteError("the YAML written does not read back as the data given")
    return text


def _comment(text: str) -> str:
    return "# " + " ".join(text.split()) if text.strip() else "#"


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        if _BARE.match(value) and yaml.load(value, Loader=yaml.CSafeLoader) == value:
            return value
        quoted: str = yaml.dump(
            value, Dumper=yaml.CSafeDumper, default_style='"', allow_unicode=True, width=1 << 30
        )
        return quoted.rstrip("\n")
    raise TypeError(f"no YAML form for {type(value).__name__}")


def flow(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    return scalar(value)


def _block(key: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, Mapping):
        one_line = f"{pad}{key}: {flow(value)}"
        if value and len(value) <= FLOW_KEYS and len(one_line) <= FLOW_WIDTH:
            return [one_line]
        lines = [f"{pad}{key}:"]
        for sub_key, item in value.items():
            lines.extend(_block(sub_key, item, indent + 2))
        return lines
    if isinstance(value, list):
        one_line = f"{pad}{key}: {flow(value)}"
        nested = any(isinstance(item, Mapping | list) for item in value)
        if not value or (not nested and len(one_line) <= FLOW_WIDTH):
            return [one_line]
        return [f"{pad}{key}:", *(line for item in value for line in _item(item, indent + 2))]
    return [f"{pad}{key}: {scalar(value)}"]


def _item(value: Any, indent: int) -> list[str]:
    """One ``- …`` entry of a block list: on one line if it fits, else a block mapping."""
    pad = " " * indent
    one_line = f"{pad}- {flow(value)}"
    if len(one_line) <= FLOW_WIDTH or not isinstance(value, Mapping) or not value:
        return [one_line]
    lines = [line for key, item in value.items() for line in _block(key, item, indent + 2)]
    lines[0] = f"{pad}- {lines[0][indent + 2 :]}"
    return lines
