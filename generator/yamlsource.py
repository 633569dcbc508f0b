"""Read one YAML file into data *and* a map from key paths to positions.

Positions come from the YAML parser's own marks (``yaml.compose`` nodes), never from regexes over
messages, so a schema error can point at the line of the offending key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SourceLocation

try:  # PyYAML's C loader is several times faster; fall back where libyaml is missing.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

KeyPath = tuple[str | int, ...]


@dataclass
class YamlDocument:
    display_path: str
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: KeyPath) -> SourceLocation:
        """The position of the deepest known prefix of ``key_path`` (the offending key's line)."""
        for end in range(len(key_path), 0, -1):
            pos = self.positions.get(tuple(key_path[:end]))
            if pos is not None:
                return SourceLocation(self.display_path, *pos)
        return SourceLocation(self.display_path, 1, 1)


def read_text(path: Path, display_path: str) -> tuple[str | None, Problem | None]:
    """Decode a content file as UTF-8, or say where the first bad byte is."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, Problem(
            SourceLocation(display_path, line, col),
            "encoding",
            f"this file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
            "save the file with UTF-8 encoding (in most editors: File → Save with encoding → UTF-8)",
        )


def parse_yaml(text: str, display_path: str) -> tuple[YamlDocument | None, list[Problem]]:
    if not text.strip():
        return None, [
            Problem(
                SourceLocation(display_path, 1, 1),
                "empty-file",
                "this file is empty",
                "fill it in (see docs/content-format.md) or delete it",
            )
        ]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "the YAML cannot be read"
        return None, [
            Problem(
                SourceLocation(display_path, line, col),
                "yaml-syntax",
                f"YAML syntax error: {what}",
                _yaml_hint(what),
            )
        ]
    except yaml.YAMLError as exc:
        return None, [
            Problem(SourceLocation(display_path), "yaml-syntax", f"YAML syntax error: {exc}")
        ]
    finally:
        loader.dispose()
    doc = YamlDocument(display_path, data)
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), doc, problems)
    return doc, problems


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a text that contains ': ' must be put in quotes, like \"Prix : 120 DH\""
    if "found character '\\t'" in problem:
        return "YAML does not allow tab characters for indentation; use spaces"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation of this line and the lines above it (use spaces, align keys)"
    return "check this line and the one above it: quotes, colons and indentation"


def _walk(node: yaml.Node, path: KeyPath, doc: YamlDocument, problems: list[Problem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            here = (*path, key)
            position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                problems.append(
                    Problem(
                        SourceLocation(doc.display_path, *position),
                        "duplicate-key",
                        f"the key `{key}` appears twice here; only the last one would be kept",
                        "remove or merge one of the two",
                    )
                )
            seen.add(key)
            doc.positions[here] = position
            _walk(value_node, here, doc, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            here = (*path, index)
            doc.positions[here] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _walk(item, here, doc, problems)
