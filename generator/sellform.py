"""The "sell with us" form (/<lang>/sell/), generated from the JSON Schema of a submission.

One source of truth: every input, its label and hint (the schema's title and description in the
page's language), and its HTML attributes (required, pattern, maxlength, min, max, type=date…)
come from ``generator.schemas.schema_for("submission", …)``, itself made from the pydantic models
that the checkout service validates with. The browser gets the same schema, stripped of its
texts, and sell.js validates the whole submission against it: no second copy of the rules.

The form knows only what a schema cannot say: which widget suits a field (a province chosen
within its region, the months of a season, the delivery zones), the names of enum values, and
the file part of each photo (it travels beside the JSON, not in it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import i18n
from .models import direction
from .models.common import LANGUAGES
from .models.submission import MAX_PHOTOS, SHORT_LIMIT
from .schemas import References, schema_for

if TYPE_CHECKING:
    from .render import Renderer
    from .site import Site
    from .urls import PageSpec

# What the browser refuses before sending (the checkout service checks the bytes again).
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
PHOTO_MAX_BYTES = 8 * 1024 * 1024
# Above this many cooperatives a select would weigh more than the page's budget (a national
# catalogue has 65,000): the seller types their cooperative's id instead, checked on arrival.
COOPERATIVE_SELECT_LIMIT = 300

# The steps of the form and the top-level keys of a submission each one fills.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cooperative", ("cooperative_id", "cooperative")),
    ("product", ("product",)),
    ("photos", ("photos",)),
    ("contact", ("contact", "consent")),
)
# Enum values named by the theme's UI strings (key prefix per field key).
ENUM_TEXTS = {"kind": "coop.kind.", "unit": "unit.", "availability": "availability."}
# The names of the references a field's enum lists (by field key).
REFERENCE_NAMES = {"region": "regions", "sector": "sectors", "category": "categories"}
# Where the person filling the form types their own details, the browser may offer them.
AUTOCOMPLETE = {
    "contact.name": "name",
    "contact.phone": "tel",
    "contact.email": "email",
    "contact.role": "organization-title",
}
# Consent is a boolean in the schema; the model refuses `false` (a rule a JSON Schema of the
# model does not state), so the box is marked required here, and sell.js reads that attribute.
REQUIRED_BOXES = frozenset({"consent"})
TEXT_KEYS = ("title", "description", "enumDescriptions", "default", "examples", "$id", "$schema")


@dataclass(frozen=True)
class Option:
    value: str
    text: str
    lang: str  # the language the text is in (a fallback is marked with its own lang and dir)


@dataclass
class Field:
    """One input (or one group of boxes) of the form."""

    path: str  # the key path in the submission: "product.name.ar"
    widget: str  # text, textarea, number, date, tel, email, money, select, checkbox, checks, zones
    read: str  # how sell.js turns the input into JSON: str, int, num, bool, strs, ints, csv, zones
    label: str
    hint: str
    required: bool
    attrs: dict[str, str | bool] = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)
    lang: str = ""  # a text typed in Arabic or in French: the input gets lang and dir

    @property
    def id(self) -> str:
        return self.path  # the same as its name: one string for the browser to match errors

    @property
    def dir(self) -> str:
        return direction(self.lang) if self.lang else ""

    @property
    def is_group(self) -> bool:
        return False


@dataclass
class Group:
    """An object of the submission (a fieldset) or a text in both languages."""

    path: str
    legend: str
    hint: str
    required: bool
    children: list[Field | Group]

    @property
    def id(self) -> str:
        return self.path

    @property
    def is_group(self) -> bool:
        return True

    def leaves(self) -> list[Field]:
        found: list[Field] = []
        for child in self.children:
            found.extend(child.leaves() if isinstance(child, Group) else [child])
        return found


def references(site: Site) -> References:
    """The ids a submission may name, read from the built site (no second load of content/)."""

    def names(items: Any) -> dict[str, dict[str, str]]:
        return {key: {"ar": item.name.ar, "fr": item.name.fr} for key, item in items.items()}

    regions = dict(sorted(site.regions.items(), key=lambda kv: kv[1].order))
    coops = site.cooperatives if len(site.cooperatives) <= COOPERATIVE_SELECT_LIMIT else {}
    return References(
        regions=names(regions),
        provinces={
            rid: {p: {"ar": p, "fr": p} for p in region.provinces}
            for rid, region in regions.items()
        },
        sectors=names(site.sectors),
        categories=names(dict(sorted(site.categories.items(), key=lambda kv: kv[1].order))),
        cooperatives=dict(sorted(names(coops).items(), key=lambda kv: kv[1]["fr"].casefold())),
    )


def browser_schema(schema: Any) -> Any:
    """The schema without its texts (the page shows them already): what sell.js validates with.
    Keys of `properties` and `$defs` are names, not keywords: a field may be called
    `description`."""
    if isinstance(schema, list):
        return [browser_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kept: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            kept[key] = {name: browser_schema(sub) for name, sub in value.items()}
        elif key not in TEXT_KEYS and not key.startswith("x-"):
            kept[key] = browser_schema(value)
    return kept


class FormBuilder:
    """Walks the submission's schema and makes the form's fields, in one language."""

    def __init__(self, site: Site, lang: str, ui: Callable[..., tuple[str, str]]) -> None:
        self.site = site
        self.lang = lang
        self.ui = ui  # (key, default=None) -> (text, its language): the theme's UI strings
        self.refs = references(site)
        self.schema = schema_for("submission", self.refs, lang)
        self.defs: dict[str, Any] = self.schema.get("$defs", {})

    # -- the schema -------------------------------------------------------------------------------

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow a $ref, keeping the texts written beside it (and the name of the model)."""
        while "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            target = {**self.defs[name], "x-model": name}
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    def unwrap(self, node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """An optional value (``anyOf: [X, null]``) → (X with the outer texts, True)."""
        node = self.resolve(node)
        options = node.get("anyOf")
        if not options:
            return node, False
        rest = [o for o in options if o.get("type") != "null"]
        nullable = len(rest) < len(options)
        outer = {k: v for k, v in node.items() if k != "anyOf"}
        if len(rest) == 1:
            return {**self.resolve(rest[0]), **outer}, nullable
        return {**outer, "anyOf": [self.resolve(o) for o in rest]}, nullable

    # -- fields -----------------------------------------------------------------------------------

    def build(
        self, node: dict[str, Any], path: str, required: bool, model: str = "Submission"
    ) -> Field | Group:
        node, nullable = self.unwrap(node)
        required = required and not nullable
        key = path.rsplit(".", 1)[-1]
        title = str(node.get("title", key))
        hint = self.hint(model, key, str(node.get("description", "")))
        props: dict[str, Any] = node.get("properties", {})
        if props:
            needed = set(node.get("required", []))
            localized = set(props) <= set(LANGUAGES)
            inner = str(node.get("x-model", model))
            children: list[Field | Group] = []
            for name, sub in props.items():
                if localized and name not in needed:
                    continue  # zgh and en: added later by the editors, never asked here
                child = self.build(sub, f"{path}.{name}", name in needed, inner)
                if localized and isinstance(child, Field):
                    child.label, child.hint, child.lang = i18n.LANGUAGE_NAMES[name], "", name
                    child.attrs.update(lang=name, dir=direction(name))
                children.append(child)
            return Group(path, title, hint, required, children)
        return self.leaf(node, path, title, hint, required)

    def hint(self, model: str, key: str, described: str) -> str:
        """The schema's description, or the theme's `sell.hint.<Model>.<key>` where the schema
        explains how to *write* a value in a file (an id of data/…, a date as YYYY-MM-DD, an
        amount in quotes), which the form's widget does for the seller."""
        text, _ = self.ui(f"sell.hint.{model}.{key}", described)
        # The label already says "(optional)": the schema's "… (optional)." would say it twice.
        optional, _ = self.ui("sell.optional", "")
        return text.replace(f" {optional}.", ".") if optional else text

    def leaf(self, node: dict[str, Any], path: str, title: str, hint: str, required: bool) -> Field:
        key = path.rsplit(".", 1)[-1]
        made = Field(path, "text", "str", title, hint, required)
        attrs = made.attrs
        if required or path in REQUIRED_BOXES:
            attrs["required"] = True
        branches = node.get("anyOf", [])
        kind = node.get("type")
        if branches and any("const" in b for b in branches):
            made.widget, made.read = "zones", "zones"
            made.options = self.named(self.refs.regions, key)
            return made
        if branches:  # money: a decimal string, or a whole number of dirhams
            text = next(b for b in branches if b.get("type") == "string")
            made.widget = made.read = "money"
            attrs.update(inputmode="decimal", pattern=text["pattern"], dir="ltr")
            return made
        if kind == "boolean":
            made.widget, made.read = "checkbox", "bool"
            if node.get("default") is True:
                attrs["checked"] = True
            return made
        if kind in ("integer", "number"):
            # A text input with a digits keyboard, not type=number: Chromium empties a number
            # input typed with Arabic digits (٣) and drops the comma of "12,5" (it sends 125).
            # sell.js reads both and checks the schema's minimum and maximum.
            made.widget = "number"
            made.read = "int" if kind == "integer" else "num"
            attrs.update(inputmode="numeric" if kind == "integer" else "decimal")
            return made
        if kind == "array":
            return self.array(made, node, key)
        self.text(made, node, key)
        return made

    def array(self, made: Field, node: dict[str, Any], key: str) -> Field:
        items = self.resolve(node.get("items", {}))
        made.widget = "checks"
        if "enum" in items:
            made.read = "strs"
            made.options = self.named_values(items["enum"], key)
        elif items.get("type") == "integer":  # the months of a season
            made.read = "ints"
            made.options = [
                Option(str(m), i18n.month_name(m, self.lang), self.lang) for m in range(1, 13)
            ]
        else:  # free words (tags): one input, separated by commas
            made.widget, made.read = "text", "csv"
        return made

    def text(self, made: Field, node: dict[str, Any], key: str) -> None:
        attrs = made.attrs
        if "enum" in node:
            made.widget = "select"
            made.options = self.named_values(node["enum"], key)
            return
        if key == "province":
            # Chosen within the region: sell.js lists the region's provinces from the schema's
            # allOf/if/then rules (all of them in the page would weigh 1 KB compressed).
            made.widget = "select"
            return
        if int(node.get("minLength", 0)) > 1:  # a length of 1 is what `required` says
            attrs["minlength"] = str(node["minLength"])
        if "maxLength" in node:
            attrs["maxlength"] = str(node["maxLength"])
        pattern = node.get("pattern")
        if node.get("format") == "date":
            made.widget = "date"
            attrs["type"] = "date"
        elif pattern and pattern.startswith("^\\+"):  # E.164: sell.js accepts 06… too
            made.widget, made.read = "tel", "tel"
            attrs.update(type="tel", inputmode="tel", dir="ltr")
        elif pattern and "@" in pattern:
            made.widget = "email"
            attrs.update(type="email", inputmode="email", dir="ltr")
        elif int(node.get("maxLength", 0)) > SHORT_LIMIT:
            made.widget = "textarea"
        if pattern:
            attrs["pattern"] = pattern
        if made.path in AUTOCOMPLETE:
            attrs["autocomplete"] = AUTOCOMPLETE[made.path]

    def named(self, known: dict[str, dict[str, str]], key: str) -> list[Option]:
        return self.named_values(list(known), key)

    def named_values(self, values: list[Any], key: str) -> list[Option]:
        """Each enum value with its name in the page's language."""
        site, lang = self.site, self.lang
        if key == "cooperative_id":
            items: Any = site.cooperatives
        elif key in REFERENCE_NAMES or key == "zones":
            items = getattr(site, REFERENCE_NAMES.get(key, "regions"))
        else:
            items = None
        options = []
        for value in values:
            if items is not None and value in items:
                text, actual = items[value].name.resolve(lang)
            elif key in ENUM_TEXTS:
                text, actual = self.ui(ENUM_TEXTS[key] + value)
            elif value in i18n.LANGUAGE_NAMES:
                text, actual = i18n.LANGUAGE_NAMES[value], value
            else:
                text, actual = self.ui(f"sell.value.{value}")
            options.append(Option(str(value), text, actual))
        return options

    # -- the page ---------------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, list[Field | Group]]]:
        props = self.schema["properties"]
        needed = set(self.schema.get("required", []))
        made = []
        for step, keys in STEPS:
            if step == "photos":
                items = props["photos"]["items"]
                made.append((step, [self.build(items, "photos.0", True)]))
                continue
            fields = [self.build(props[k], k, k in needed) for k in keys]
            if step == "cooperative":  # one of the two is required: the one the seller chooses
                for item in fields:
                    item.required = True
                    if isinstance(item, Field):
                        item.attrs["required"] = True
            made.append((step, fields))
        return made


def view(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """The context of sell.html: the steps' fields, the schema for sell.js and its strings."""
    lang = spec.lang
    messages = r.theme.messages

    def ui(key: str, default: str | None = None) -> tuple[str, str]:
        try:
            return messages.resolve(key, lang)
        except KeyError:  # no override of the schema's text
            if default is None:
                raise
            return default, lang

    builder = FormBuilder(r.site, lang, ui)
    steps = builder.steps()
    photos_schema = builder.schema["properties"]["photos"]
    config = r.site.config
    privacy = "privacy" in r.site.pages
    return {
        "steps": steps,
        "cooperatives_listed": bool(builder.refs.cooperatives),
        "photo_limits": {
            "max": photos_schema.get("maxItems", MAX_PHOTOS),
            "types": ",".join(PHOTO_TYPES),
            "bytes": PHOTO_MAX_BYTES,
        },
        "schema_url": r.plan.url("sell_schema", "", lang),
        "checkout_url": config.checkout_url or "",
        "privacy_url": r.plan.url("page", "privacy", lang) if privacy else "",
        "how_to_url": r.plan.url("page", "how-to-sell", lang)
        if "how-to-sell" in r.site.pages
        else "",
        "breadcrumbs": r.crumb(spec, (r.msg("sell.title", lang), spec.url)),
    }


def schema_file(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """``/<lang>/sell/schema.json``: the schema sell.js validates with and its messages, fetched
    once the page is shown (in the page they would weigh 3.4 KB compressed on its first
    render, a quarter of the budget)."""
    lang, messages = spec.lang, r.theme.messages
    builder = FormBuilder(r.site, lang, lambda key, default=None: (default or key, lang))
    strings = {
        key[len("sell.js.") :]: messages.resolve(key, lang)[0]
        for key in messages.keys_with_prefix("sell.js.")
    }
    data = {"schema": browser_schema(builder.schema), "text": strings}
    return {"json_text": json.dumps(data, ensure_ascii=False, separators=(",", ":"))}


def fingerprint_parts(site: Site) -> list[str]:
    """What the page shows besides the site-wide inputs: the cooperatives it lists by name."""
    if len(site.cooperatives) > COOPERATIVE_SELECT_LIMIT:
        return [str(len(site.cooperatives))]
    return [f"{cid}={site.digests.get(('cooperative', cid), '-')}" for cid in site.cooperatives]
