"""Read one YAML file into data and, when a problem needs pointing at, the position of its keys.

Positions come from the YAML parser's own marks (``yaml.compose`` nodes), never from regexes over
messages, so a schema error can point at the line of the offending key. They are found only when
asked: composing with marks costs as much as parsing, and a clean build of 200,000 files never
needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SourceLocation
from .messages import N_, Msg, Value

try:  # PyYAML's C loader is several times faster; fall back where libyaml is missing.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

KeyPath = tuple[str | int, ...]


class YamlDocument:
    """One parsed YAML file: its data, and the position of every key, computed only when asked.

    Positions are needed only to point at a problem, so a clean build never pays for them (nor
    keeps them in memory): the first ``locate`` parses the file again with marks. ``text`` is kept
    only for documents that have no file to read back.
    """

    __slots__ = ("_positions", "_source", "_text", "data", "digest", "display_path")

    def __init__(
        self,
        display_path: str,
        data: Any,
        *,
        source: Path | None = None,
        text: str | None = None,
        positions: dict[KeyPath, tuple[int, int]] | None = None,
        digest: str = "",
    ) -> None:
        self.display_path = display_path
        self.data = data
        self.digest = digest  # of the file's bytes: incremental builds compare it
        self._source = source
        self._text = None if source is not None else text
        self._positions = positions

    @property
    def positions(self) -> dict[KeyPath, tuple[int, int]]:
        if self._positions is None:
            text = self._text
            if text is None and self._source is not None:
                text, _ = read_text(self._source, self.display_path)
            self._positions = _positions_of(text or "", self.display_path)
        return self._positions

    def locate(self, key_path: KeyPath) -> SourceLocation:
        """The position of the deepest known prefix of ``key_path`` (the offending key's line)."""
        positions = self.positions
        for end in range(len(key_path), 0, -1):
            pos = positions.get(tuple(key_path[:end]))
            if pos is not None:
                return SourceLocation(self.display_path, *pos)
        return SourceLocation(self.display_path, 1, 1)


def read_text(path: Path, display_path: str) -> tuple[str | None, Problem | None]:
    """Decode a content file as UTF-8, or say where the first bad byte is."""
    return decode_text(path.read_bytes(), display_path)


def decode_text(raw: bytes, display_path: str) -> tuple[str | None, Problem | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, Problem(
            SourceLocation(display_path, line, col),
            "encoding",
            "this file is not UTF-8 text (byte 0x{byte} cannot be read)",
            "save the file with UTF-8 encoding (in most editors: File → Save with encoding → UTF-8)",
            values={"byte": f"{raw[exc.start]:02x}"},
        )


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]  # the C loader, if PyYAML has it
    """The C loader with a leaner constructor, noting keys written twice in one mapping (YAML
    would silently keep the last).

    libyaml parses and composes in C, but PyYAML builds the Python objects in Python, one
    generator per mapping: two thirds of the time of loading a catalogue. Content files are plain
    mappings, lists and strings, so those are built here directly from the composed nodes, and
    anything else (numbers, dates, booleans, merge keys, explicit tags) by PyYAML's own safe
    constructors, with the same results and errors.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[object, yaml.Mark]] = []
        self._built: dict[int, Any] = {}  # aliased nodes are built once and shared, as in PyYAML

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        return None if node is None else self._build(node)

    def _build(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        built = self._built.get(id(node))
        if built is not None:
            return built
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            if any(key.tag == _MERGE for key, _ in node.value):
                return self.construct_object(node, deep=True)
            mapping: dict[Any, Any] = {}
            self._built[id(node)] = mapping
            for key_node, value_node in node.value:
                key = self._build(key_node)
                try:
                    duplicate = key in mapping
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        "found unhashable key",
                        key_node.start_mark,
                    ) from None
                if duplicate:
                    self.duplicates.append((key, key_node.start_mark))
                mapping[key] = self._build(value_node)
            return mapping
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            sequence: list[Any] = []
            self._built[id(node)] = sequence
            sequence.extend(self._build(item) for item in node.value)
            return sequence
        return self.construct_object(node, deep=True)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # PyYAML's own path (merge keys, explicit tags): duplicates are noted here.
        if isinstance(node, yaml.MappingNode):
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = key_node.value
                if key in seen:
                    self.duplicates.append((key, key_node.start_mark))
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def parse_yaml(
    text: str, display_path: str, source: Path | None = None
) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse ``text`` (read from ``source``, if given, so positions can be found again later)."""
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
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or N_("the YAML cannot be read")
        return None, [
            Problem(
                SourceLocation(display_path, line, col),
                "yaml-syntax",
                "YAML syntax error: {what}",
                _yaml_hint(what),
                values={"what": _parser_words(what)},
            )
        ]
    except yaml.YAMLError as exc:
        return None, [
            Problem(
                SourceLocation(display_path),
                "yaml-syntax",
                "YAML syntax error: {what}",
                values={"what": _parser_words(str(exc))},
            )
        ]
    finally:
        loader.dispose()
    problems = [
        Problem(
            SourceLocation(display_path, mark.line + 1, mark.column + 1),
            "duplicate-key",
            "the key `{key}` appears twice here; only the last one would be kept",
            "remove or merge one of the two",
            values={"key": str(key)},
        )
        for key, mark in loader.duplicates
    ]
    problems.sort(key=lambda p: (p.location.line, p.location.col))
    return YamlDocument(display_path, data, source=source, text=text), problems


def _positions_of(text: str, display_path: str) -> dict[KeyPath, tuple[int, int]]:
    """Every key path's (line, column), from the parser's own node marks."""
    positions: dict[KeyPath, tuple[int, int]] = {}
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return positions
    finally:
        loader.dispose()
    if node is not None:
        _walk(node, (), positions)
    return positions


# PyYAML's own words for its commonest problems, translated when shown; others stay as PyYAML
# wrote them (quoted, after a translated lead), since their wording is PyYAML's to change.
_PARSER_WORDS = frozenset(
    {
        N_("the YAML cannot be read"),
        N_("found unhashable key"),
        # libyaml (the C loader)
        N_("mapping values are not allowed in this context"),
        N_("block sequence entries are not allowed in this context"),
        N_("found character that cannot start any token"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("did not find expected key"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected node content"),
        N_("did not find expected <document start>"),
        N_("could not find expected ':'"),
        N_("found unexpected end of stream"),
        N_("found unknown escape character"),
        N_("found unknown directive name"),
        N_("found undefined alias"),
        # PyYAML's pure-Python loader, where libyaml is missing
        N_("mapping values are not allowed here"),
        N_("found character '\\t' that cannot start any token"),
        N_("expected <block end>, but found '-'"),
        N_("expected <block end>, but found '<block mapping start>'"),
        N_("expected <block end>, but found '<scalar>'"),
    }
)


def _parser_words(problem: str) -> Value:
    return Msg(problem) if problem in _PARSER_WORDS else problem


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return N_("a text that contains ': ' must be put in quotes, like \"Prix : 120 DH\"")
    if "found character '\\t'" in problem:
        return N_("YAML does not allow tab characters for indentation; use spaces")
    if "expected <block end>" in problem or "did not find expected" in problem:
        return N_(
            "check the indentation of this line and the lines above it (use spaces, align keys)"
        )
    return N_("check this line and the one above it: quotes, colons and indentation")


def _walk(node: yaml.Node, path: KeyPath, positions: dict[KeyPath, tuple[int, int]]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            here = (*path, key_node.value)
            positions[here] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, here, positions)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            here = (*path, index)
            positions[here] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _walk(item, here, positions)
