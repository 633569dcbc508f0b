"""Turn pydantic's validation errors into plain-words problems at the offending key's line."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .messages import N_, Msg, Value
from .models.common import HINT_KEY, LANGUAGES, MESSAGE_KEY
from .yamlsource import KeyPath, YamlDocument

# pydantic's error kinds for a wrong type → what the key needs, in words (translated when shown).
_KIND_WORDS = {
    "string_type": N_("a text"),
    "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "bool_type": N_("true or false"),
    "bool_parsing": N_("true or false"),
    "list_type": N_("a list"),
    "dict_type": N_("a group of keys (a mapping)"),
    "model_type": N_("a group of keys (a mapping)"),
    "model_attributes_type": N_("a group of keys (a mapping)"),
    "date_type": N_("a date like 2025-12-31"),
    "date_parsing": N_("a date like 2025-12-31"),
    "date_from_datetime_parsing": N_("a date like 2025-12-31"),
    "date_from_datetime_inexact": N_("a date like 2025-12-31"),
}
# pydantic's range errors ("Input should be greater than 0"), as templates of their ctx values.
_RANGES = {
    "greater_than": N_(
        "`{where}` is out of range: input should be greater than {gt}, not `{value}`"
    ),
    "greater_than_equal": N_(
        "`{where}` is out of range: input should be greater than or equal to {ge}, not `{value}`"
    ),
    "less_than": N_("`{where}` is out of range: input should be less than {lt}, not `{value}`"),
    "less_than_equal": N_(
        "`{where}` is out of range: input should be less than or equal to {le}, not `{value}`"
    ),
}
# What models.common.content_error puts in an error's ctx besides the values.
_TEMPLATE_KEYS = (MESSAGE_KEY, HINT_KEY, "hint")


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
    where: Value = dotted(path) if path else Msg(N_("(file)"))
    value = error.get("input")
    values: dict[str, Value] = {"where": where, "key": str(key), "value": _short(value)}
    hint = ""
    location = doc.locate((*base, *path))
    code = kind

    if kind == "missing":
        location = doc.locate((*base, *path[:-1]))
        values["parent"] = dotted(path[:-1])
        if key in LANGUAGES and path[:-1]:
            message = N_("missing translation `{key}` in `{parent}`")
            hint = N_('add `{key}: "…"` under `{parent}`')
            code = "missing-translation"
        else:
            message = N_("`{where}` is missing")
            hint = N_("add `{key}: …` (see docs/content-format.md)")
    elif kind == "extra_forbidden":
        allowed = _allowed_keys(model, path[:-1])
        message = N_("unknown key `{key}`")
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        if close:
            hint, values["close"] = N_("did you mean `{close}`?"), close[0]
        elif allowed:
            hint = N_("the keys allowed here are: {allowed}")
            values["allowed"] = ", ".join(f"`{k}`" for k in sorted(allowed))
        code = "unknown-key"
    elif kind == "literal_error":
        message = N_("`{where}` cannot be `{value}`")
        hint, values["expected"] = N_("use one of: {expected}"), str(ctx.get("expected", ""))
        values["value"] = str(value)
    elif kind in _KIND_WORDS:
        message = N_("`{where}` must be {kind}, not `{value}`")
        values["kind"] = Msg(_KIND_WORDS[kind])
        code = "wrong-type"
    elif kind == "string_too_short":
        message = N_("`{where}` is empty")
        hint = N_("write the text, or remove the key if it is optional")
    elif kind == "string_too_long":
        message = N_("`{where}` is too long (at most {max_length} characters)")
        hint = N_("shorten it; the page's body text is the place for details")
        values["max_length"] = str(ctx.get("max_length"))
    elif kind == "too_short":
        message = N_("`{where}` needs at least {min_length} item(s)")
        values["min_length"] = ctx.get("min_length", 1)
    elif kind == "too_long":
        message = N_("`{where}` has too many items (at most {max_length})")
        values["max_length"] = str(ctx.get("max_length"))
    elif kind in _RANGES:
        message = _RANGES[kind]
        values.update({name: str(limit) for name, limit in ctx.items()})
        values["value"] = str(value)
    elif kind == "string_pattern_mismatch":
        message = N_("`{where}` has the wrong form (`{value}`)")
    elif MESSAGE_KEY in ctx:  # ours (models.common.content_error): its templates are kept
        detail = Msg(ctx[MESSAGE_KEY], _plain_values(ctx))
        hint = str(ctx.get(HINT_KEY, ""))
        values.update(_plain_values(ctx))
        message = N_("`{where}`: {detail}") if path else N_("{detail}")
        values["detail"] = detail
    else:
        # A pydantic kind no model of ours is expected to raise: its English message is all
        # there is, shown as a quoted detail after a translated lead.
        values["detail"] = error["msg"]
        message = N_("`{where}`: {detail}") if path else N_("{detail}")
    return Problem(location, code, message, hint, values=values)


def _plain_values(ctx: dict[str, Any]) -> dict[str, Value]:
    return {
        name: value if isinstance(value, int | float | Msg) else str(value)
        for name, value in ctx.items()
        if name not in _TEMPLATE_KEYS
    }


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
