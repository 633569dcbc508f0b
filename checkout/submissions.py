"""A submission of the "sell with us" form, checked: the same pydantic models as the content
files (generator/models/submission.py), then its references (cooperative, category, sector,
region, province) against the built catalogue. Every refusal is an :class:`ApiError` naming the
field as a dotted path (``product.name.fr``, ``photos.1``) with a message in words.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

# The checkout service imports `generator.models` and nothing else from `generator`: those
# models are plain pydantic, the one source of truth for what content may say, so the form,
# `taawun check` and this service apply the same rules. The rest of the generator (loading,
# rendering, building) is not needed to take a submission and is kept out of the service.
from generator.models.common import dirhams, is_money
from generator.models.submission import MAX_PHOTOS, Submission

from .catalogue import Catalogue
from .errors import ApiError

MAX_JSON_BYTES = 64 * 1024  # the `submission` part: texts only, the photos travel apart
_FIELD_LIMIT = 200  # characters of a field path echoed back (an unknown key can be long)

# Pydantic's error types, and the content models' own, → a message of checkout/messages.py.
_KEYS = {
    "missing": "invalid.missing",
    "extra_forbidden": "submission.unknown_field",
    "string_type": "invalid.string_type",
    "string_too_short": "invalid.blank",
    "string_too_long": "invalid.string_too_long",
    "int_type": "invalid.int_type",
    "int_parsing": "invalid.int_type",
    "int_from_float": "invalid.int_type",
    "float_type": "submission.number",
    "float_parsing": "submission.number",
    "greater_than": "submission.greater_than",
    "greater_than_equal": "invalid.greater_than_equal",
    "less_than": "submission.less_than",
    "less_than_equal": "invalid.less_than_equal",
    "bool_type": "invalid.bool_type",
    "bool_parsing": "invalid.bool_type",
    "literal_error": "invalid.literal_error",
    "list_type": "submission.list_type",
    "too_short": "submission.too_short",
    "too_long": "submission.too_long",
    "model_type": "invalid.model_type",
    "model_attributes_type": "invalid.model_type",
    "dict_type": "invalid.model_type",
    "date_type": "submission.date",
    "date_parsing": "submission.date",
    "date_from_datetime_parsing": "submission.date",
    "date_from_datetime_inexact": "submission.date",
    "slug": "submission.slug",
    "money": "submission.money",
    "phone": "submission.phone",
    "members": "submission.members",
    "duplicate": "submission.duplicate",
    "consent": "submission.consent",
    "cooperative-choice": "submission.cooperative_choice",
}
# Errors of the submission as a whole (no location of their own): the field they are about.
_WHOLE = {"consent": "consent", "cooperative-choice": "cooperative"}
_VALUES = ("ge", "le", "gt", "lt", "max_length", "min_length", "expected")
_BRANCH = re.compile(r"^[a-z][a-z-]*\[.*\]$")


def load_json(text: str) -> dict[str, Any]:
    """The ``submission`` part's JSON object, or a 400/422 naming the part."""
    try:
        data = json.loads(text)
        # JSON may escape half of a UTF-16 pair ("\\ud800"): not a character, it could be neither
        # stored nor named in an answer. UnicodeEncodeError is a ValueError.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested thousands deep
        raise ApiError(
            400, "malformed_json", "submission", key="submission.malformed_json"
        ) from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", "submission", key="submission.not_object")
    return data


# Control characters (a line break or a tab excepted) and bidirectional overrides have no place
# in a listing: they would reach the built pages and the moderator's terminal as they are.
_HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]")


def _hidden_character(node: Any, path: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first text holding a control character, if any."""
    if isinstance(node, str):
        return ".".join(path) or "submission" if _HIDDEN.search(node) else None
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        found = _hidden_character(value, (*path, str(key)))
        if found:
            return found
    return None


def parse_submission(data: dict[str, Any]) -> Submission:
    """The submission as a validated :class:`Submission`, or the first problem."""
    hidden = _hidden_character(data)
    if hidden:
        raise ApiError(422, "invalid", hidden[:_FIELD_LIMIT], key="submission.control_character")
    try:
        return Submission.model_validate(data)
    except ValidationError as error:
        raise _api_error(error.errors(include_url=False)[0], data) from None


def _path(loc: tuple[int | str, ...], data: Any) -> tuple[list[str], bool]:
    """The keys of an error's location, and whether it passed a union's branch.

    Pydantic puts a union's branch in the location ("literal['national']", "list[…]"): a
    part that is not in the data sent and looks like one is that, and is left out. A key the
    sender wrote is always kept, whatever it looks like.
    """
    keys: list[str] = []
    node: Any = data
    in_union = False
    for part in loc:
        sent = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if sent:
            node = node[part]
        elif isinstance(part, str) and _BRANCH.match(part):
            in_union = True
            continue
        else:
            node = None
        keys.append(str(part))
    return keys, in_union


def _api_error(first: Any, data: Any) -> ApiError:
    kind: str = first["type"]
    keys, in_union = _path(first["loc"], data)
    field = ".".join(keys)[:_FIELD_LIMIT] or _WHOLE.get(kind)
    key = _KEYS.get(kind, "invalid.other")
    if keys == ["consent"] and kind in ("missing", "bool_type", "bool_parsing"):
        key = "submission.consent"  # no consent at all reads as the missing consent
    elif in_union and keys and keys[-1] == "zones":
        key = "submission.zones"
    elif kind == "string_pattern_mismatch" and keys and keys[-1] == "email":
        key = "invalid.email"
    context = first.get("ctx") or {}
    values = {name: context[name] for name in _VALUES if name in context}
    return ApiError(422, "invalid", field, key=key, **values)


def check_references(submission: Submission, catalogue: Catalogue) -> None:
    """The ids the submission names exist on the built site (the catalogue it last loaded)."""
    coop_id = submission.cooperative_id
    if coop_id is not None and coop_id not in catalogue.cooperatives:
        raise ApiError(
            422, "unknown_cooperative", "cooperative_id", key="submission.unknown_cooperative"
        )
    # The draft models are made from the content models at import time (create_model): typed
    # Any here, their fields are those of Product and Cooperative.
    product: Any = submission.product
    if product.category not in catalogue.categories:
        raise ApiError(422, "unknown_category", "product.category", key="submission.unknown_choice")
    coop: Any = submission.cooperative
    if coop is None:
        return
    if coop.sector not in catalogue.sectors:
        raise ApiError(422, "unknown_sector", "cooperative.sector", key="submission.unknown_choice")
    if coop.region not in catalogue.regions:
        raise ApiError(422, "unknown_region", "cooperative.region", key="submission.unknown_choice")
    provinces = catalogue.provinces.get(coop.region, ())
    if coop.province is not None and provinces and coop.province not in provinces:
        raise ApiError(
            422, "unknown_province", "cooperative.province", key="submission.unknown_province"
        )
    if coop.delivery.zones != "national":
        for i, zone in enumerate(coop.delivery.zones):
            if zone not in catalogue.regions:
                raise ApiError(
                    422,
                    "unknown_region",
                    f"cooperative.delivery.zones.{i}",
                    key="submission.unknown_choice",
                )


def content_data(submission: Submission) -> dict[str, Any]:
    """What the moderation queue keeps as ``data``: the submission without its contact, keys
    and values as a content file writes them (``register``, money as "80.00", dates
    "2024-03-15"), only what the sender gave."""
    data = _as_written(submission)
    data.pop("contact", None)
    data["lang"] = submission.lang
    return data


def contact_data(submission: Submission) -> dict[str, Any]:
    """The person to call back: kept apart from ``data``, never published."""
    return submission.contact.model_dump(mode="json", exclude_none=True)


def photo_count_problem(described: int, sent: int) -> ApiError | None:
    """The photo files do not match the descriptions in ``photos``: more than allowed, or
    not one file per description."""
    if sent > MAX_PHOTOS:
        return ApiError(
            422, "too_many_photos", "photos", key="submission.too_many_photos", max=MAX_PHOTOS
        )
    if sent != described:
        return ApiError(
            422,
            "photo_count",
            "photos",
            key="submission.photo_count",
            described=described,
            sent=sent,
        )
    return None


def _as_written(model: BaseModel) -> dict[str, Any]:
    dumped = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    _rewrite(model, dumped)
    return dumped


def _rewrite(model: BaseModel, dumped: dict[str, Any]) -> None:
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        if key not in dumped:
            continue
        value = getattr(model, name)
        if isinstance(value, int) and not isinstance(value, bool) and is_money(info):
            dumped[key] = dirhams(value)
        elif isinstance(value, float) and value.is_integer():
            dumped[key] = int(value)  # 250, not 250.0, as people write it
        elif isinstance(value, BaseModel):
            _rewrite(value, dumped[key])
        elif isinstance(value, list):
            for item, item_dumped in zip(value, dumped[key], strict=True):
                if isinstance(item, BaseModel):
                    _rewrite(item, item_dumped)
