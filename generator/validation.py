"""Turn pydantic's validation errors into plain-words problems at the offending key's line."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .models.common import LANGUAGES
from .yamlsource import KeyPath, YamlDocument

_KIND_WORDS = {
    "string_type": "a text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a group of keys (a mapping)",
    "model_type": "a group of keys (a mapping)",
    "model_attributes_type": "a group of keys (a mapping)",
    "date_type": "a date like 2025-12-31",
    "date_parsing": "a date like 2025-12-31",
    "date_from_datetime_parsing": "a date like 2025-12-31",
    "date_from_datetime_inexact": "a date like 2025-12-31",
}


def dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def problems_from_validation(
    exc: ValidationError, model: type[BaseModel], doc: YamlDocument, base: KeyPath = ()
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[KeyPath] = set()
    for error in exc.errors(include_url=False):
        path = _yaml_path(doc, base, error["loc"])
        if path in seen:  # one message per key: union types report once per alternative
            continue
        seen.add(path)
        problems.append(_problem(error, model, doc, base, path))
    return problems


def _yaml_path(doc: YamlDocument, base: KeyPath, loc: tuple[int | str, ...]) -> KeyPath:
    """Pydantic's loc with the union/type-name steps dropped, so it matches keys in the file."""
    path: list[str | int] = []
    for step in loc:
        if isinstance(step, int) or (*base, *path, step) in doc.positions:
            path.append(step)
        elif isinstance(step, str) and ("[" in step or step[:1].isupper() or "-" in step):
            continue  # a union branch such as "list[str]" or "function-after[…]"
        else:
            path.append(step)  # a missing key: it has no position, but it is the key's name
    return tuple(path)


def _problem(
    error: Any, model: type[BaseModel], doc: YamlDocument, base: KeyPath, path: KeyPath
) -> Problem:
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    key = path[-1] if path else ""
    where = dotted(path)
    value = error.get("input")
    hint = str(ctx.get("hint", ""))
    location = doc.locate((*base, *path))
    code = kind

    if kind == "missing":
        location = doc.locate((*base, *path[:-1]))
        parent = dotted(path[:-1])
        if key in LANGUAGES and path[:-1]:
            message = f"missing translation `{key}` in `{parent}`"
            hint = f'add `{key}: "…"` under `{parent}`'
            code = "missing-translation"
        else:
            message = f"`{where}` is missing"
            hint = f"add `{key}: …` (see docs/content-format.md)"
    elif kind == "extra_forbidden":
        allowed = _allowed_keys(model, path[:-1])
        message = f"unknown key `{key}`"
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean `{close[0]}`?"
        elif allowed:
            hint = "the keys allowed here are: " + ", ".join(f"`{k}`" for k in sorted(allowed))
        code = "unknown-key"
    elif kind == "literal_error":
        expected = ctx.get("expected", "")
        message = f"`{where}` cannot be `{value}`"
        hint = f"use one of: {expected}"
    elif kind in _KIND_WORDS:
        message = f"`{where}` must be {_KIND_WORDS[kind]}, not `{_short(value)}`"
        code = "wrong-type"
    elif kind == "string_too_short":
        message = f"`{where}` is empty"
        hint = hint or "write the text, or remove the key if it is optional"
    elif kind == "too_short":
        message = f"`{where}` needs at least {ctx.get('min_length', 1)} item(s)"
    elif kind == "too_long":
        message = f"`{where}` has too many items (at most {ctx.get('max_length')})"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        message = f"`{where}` is out of range: {error['msg'].lower()}, not `{value}`"
    elif kind == "string_pattern_mismatch":
        message = f"`{where}` has the wrong form (`{_short(value)}`)"
    else:
        message = f"`{where}`: {error['msg']}" if path else error["msg"]
        if kind not in ("value_error", "assertion_error"):
            code = kind
    return Problem(location, code, message, hint)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _allowed_keys(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The field names of the model found at ``path`` inside ``model`` (for "did you mean")."""
    current: Any = model
    for step in path:
        if isinstance(step, int):
            continue
        cls = _model_in(current)
        fields = _keys(cls) if cls else {}
        if step not in fields:
            return []
        current = fields[step]
    cls = _model_in(current)
    return list(_keys(cls)) if cls else []


def _keys(cls: type[BaseModel]) -> dict[str, Any]:
    """The keys as written in content files (the alias where a field has one) → annotation."""
    return {info.alias or name: info.annotation for name, info in cls.model_fields.items()}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None
