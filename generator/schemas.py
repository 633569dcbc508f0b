"""JSON Schemas of the content files, generated from the pydantic models (one source of truth).

Editors (through yaml-language-server) and the "sell with us" form read them: they complete keys
and known ids, and explain every field in plain words, in French and Arabic. `taawun check`
stays the authority: rules that span files (a label's certificate, a product's cooperative
selling in its category) cannot be written in a schema.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import yaml
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .config import SiteConfig
from .errors import ErrorReport
from .models import (
    Category,
    Cooperative,
    Course,
    Funding,
    Label,
    Lesson,
    Module,
    Page,
    Product,
    ProjectIdea,
    Region,
    Sector,
    SectorFigure,
)
from .models.common import SLUG_RE, LocalizedText
from .models.submission import CooperativeDraft, ProductDraft, Submission

if TYPE_CHECKING:
    from .site import Site

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TEXT_LANGUAGES = ("fr", "ar")
TEXT_DIR = Path(__file__).parent / "schema_text"

LocalizedName = dict[str, str]  # {"ar": "…", "fr": "…"}

# One file per entity: the schema describes a YAML mapping.
ENTITY_KINDS: dict[str, type[BaseModel]] = {
    "site": SiteConfig,
    "cooperative": Cooperative,
    "product": Product,
    "idea": ProjectIdea,
    "course": Course,
    "module": Module,
    "lesson": Lesson,
    "page": Page,
    "submission": Submission,
}
# content/data/<kind>.yaml: each file is a list of entries.
LIST_KINDS: dict[str, type[BaseModel]] = {
    "regions": Region,
    "sectors": Sector,
    "categories": Category,
    "labels": Label,
    "funding": Funding,
    "sector_figures": SectorFigure,
}
KINDS: dict[str, type[BaseModel]] = {**ENTITY_KINDS, **LIST_KINDS}

# Where the texts of a draft's fields come from when it has none of its own: a draft field is the
# content model's field, so it is explained the same way.
TEXT_ORIGINS: dict[str, type[BaseModel]] = {
    CooperativeDraft.__name__: Cooperative,
    ProductDraft.__name__: Product,
}


@dataclass(frozen=True)
class References:
    """The ids a content folder defines, with their names: a schema lists them so editors complete
    them and flag unknown ones as the author types."""

    regions: dict[str, LocalizedName] = field(default_factory=dict)
    provinces: dict[str, dict[str, LocalizedName]] = field(default_factory=dict)  # per region
    sectors: dict[str, LocalizedName] = field(default_factory=dict)
    categories: dict[str, LocalizedName] = field(default_factory=dict)
    labels: dict[str, LocalizedName] = field(default_factory=dict)
    funding: dict[str, LocalizedName] = field(default_factory=dict)
    cooperatives: dict[str, LocalizedName] = field(default_factory=dict)
    courses: dict[str, LocalizedName] = field(default_factory=dict)


# (model name, field alias) -> the References attribute listing the ids it may hold.
# Ids listed in a schema at most. A national catalogue's 65,000 cooperatives would make the
# product schema some 12 MB, fetched by editors and sent with the form; past this the field is
# a plain id (its pattern), and `taawun check` says when it names no cooperative.
MAX_ENUM = 1000

REFERENCE_FIELDS: dict[tuple[str, str], str] = {
    ("Cooperative", "sector"): "sectors",
    ("Cooperative", "region"): "regions",
    ("Cooperative", "programs"): "funding",
    ("CooperativeDraft", "sector"): "sectors",
    ("CooperativeDraft", "region"): "regions",
    ("LabelClaim", "label"): "labels",
    ("Delivery", "zones"): "regions",
    ("Product", "cooperative"): "cooperatives",
    ("Product", "category"): "categories",
    ("Product", "labels"): "labels",
    ("ProductDraft", "category"): "categories",
    ("Origin", "region"): "regions",
    ("Label", "regions"): "regions",
    ("Label", "categories"): "categories",
    ("ProjectIdea", "sector"): "sectors",
    ("ProjectIdea", "regions"): "regions",
    ("ProjectIdea", "funding"): "funding",
    ("ProjectIdea", "courses"): "courses",
    ("Skill", "course"): "courses",
    ("Submission", "cooperative_id"): "cooperatives",
}
# Models with a `region` and a `province`: the province must be one of that region's.
PROVINCE_MODELS = frozenset({"Cooperative", "CooperativeDraft", "Origin"})


def _names(items: Mapping[str, BaseModel], attr: str = "name") -> dict[str, LocalizedName]:
    found: dict[str, LocalizedName] = {}
    for ident, item in items.items():
        text = getattr(item, attr, None)
        if isinstance(text, LocalizedText):
            found[ident] = {"ar": text.ar, "fr": text.fr}
        else:
            found[ident] = {"ar": ident, "fr": ident}
    return dict(sorted(found.items()))


def _references(
    data: Mapping[str, Mapping[str, BaseModel]], entities: Mapping[str, Mapping[str, BaseModel]]
) -> References:
    regions = data.get("regions", {})
    provinces: dict[str, dict[str, LocalizedName]] = {}
    for region_id, region in sorted(regions.items()):
        # Provinces have no names of their own in the content: the id is what an author types.
        ids: list[str] = getattr(region, "provinces", [])
        provinces[region_id] = {p: {"ar": p, "fr": p} for p in sorted(ids)}
    return References(
        regions=_names(regions),
        provinces=provinces,
        sectors=_names(data.get("sectors", {})),
        categories=_names(data.get("categories", {})),
        labels=_names(data.get("labels", {})),
        funding=_names(data.get("funding", {})),
        cooperatives=_names(entities.get("cooperative", {})),
        courses=_names(entities.get("course", {}), "title"),
    )


def references_from(content: Path) -> References:
    """The ids of ``content`` as the loader reads them. Entries that fail validation are left
    out, as `taawun check` leaves them out; a folder without data gives empty references."""
    return read_content(content).references


@dataclass(frozen=True)
class ContentFacts:
    """What the schemas take from a content folder."""

    references: References
    base_url: str | None  # the site's address (site.yaml), where the schemas are published
    errors: int  # problems found reading the files (`taawun check` says which)


def read_content(content: Path) -> ContentFacts:
    from .loader import load  # only needed here: the form imports this module without it

    report = ErrorReport()
    loaded = load(content, report)
    data = {kind: {i: s.item for i, s in items.items()} for kind, items in loaded.data.items()}
    entities = {
        kind: {key[0] if kind == "course" else key[-1]: s.item for key, s in items.items()}
        for kind, items in loaded.entities.items()
    }
    base_url = loaded.config.base_url if loaded.config is not None else None
    return ContentFacts(_references(data, entities), base_url, len(report.errors))


def references_of(site: Site) -> References:
    """The ids of an assembled site (the build has them already: no second load)."""
    data = {
        "regions": site.regions,
        "sectors": site.sectors,
        "categories": site.categories,
        "labels": site.labels,
        "funding": site.funding,
    }
    entities = {
        "cooperative": site.cooperatives,
        "course": {ident: tree.course for ident, tree in site.courses.items()},
    }
    return _references(data, entities)


@functools.cache
def _texts(lang: str) -> dict[str, dict[str, str]]:
    path = TEXT_DIR / f"{lang}.yaml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data if isinstance(data, dict) else {}


def _alias(model: type[BaseModel], name: str) -> str:
    info = model.model_fields.get(name)
    if info is not None and info.alias:
        return info.alias
    return name


def _field_key(model: type[BaseModel], name: str) -> str | None:
    """The field's key as content files write it (its alias), or None if the model lacks it."""
    if name in model.model_fields:
        return _alias(model, name)
    for info in model.model_fields.values():
        if info.alias == name:
            return name
    return None


def _text_owners(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """The model, the content model a draft takes its fields from, then the model's bases."""
    yield model
    origin = TEXT_ORIGINS.get(model.__name__)
    if origin is not None:
        yield origin
    for base in model.__mro__[1:]:
        if isinstance(base, type) and issubclass(base, BaseModel) and base is not BaseModel:
            yield base


def text_key(model: type[BaseModel], field_name: str) -> str | None:
    """The key of the entry explaining ``field_name`` ("Product.name"), the first found along
    ``_text_owners``, or None if no file has one."""
    for owner in _text_owners(model):
        key = _field_key(owner, field_name)
        if key is None:
            continue
        entry = f"{owner.__name__}.{key}"
        if entry in _texts("fr") or entry in _texts("ar"):
            return entry
    return None


def field_text(model: type[BaseModel], field: str, lang: str) -> tuple[str, str]:
    """(title, description) of a field in ``lang`` ("ar" or "fr"; any other falls back to
    French). A field without a text gets its key as title and an empty description."""
    lang = lang if lang in TEXT_LANGUAGES else "fr"
    for owner in _text_owners(model):
        key = _field_key(owner, field)
        if key is None:
            continue
        entry = _texts(lang).get(f"{owner.__name__}.{key}")
        if isinstance(entry, dict) and entry.get("title"):
            return str(entry["title"]), str(entry.get("description", ""))
    return _field_key(model, field) or field, ""


def reachable_models() -> list[type[BaseModel]]:
    """Every model a kind's schema describes, nested ones included, in a stable order."""
    seen: dict[type[BaseModel], None] = {}

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen[model] = None
        for info in model.model_fields.values():
            for inner in _models_in(info.annotation):
                visit(inner)

    for model in KINDS.values():
        visit(model)
    return list(seen)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


class _ContentSchema(GenerateJsonSchema):
    """pydantic's generator, with each model's properties explained and references listed.

    Subclassed per call (``_generator``): pydantic instantiates the class itself.
    """

    references: ClassVar[References | None] = None
    lang: ClassVar[str | None] = None

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        value = super().model_schema(schema)
        model = schema["cls"]
        # The docstring is written for programmers; authors get the model's own text, if any.
        value.pop("description", None)
        self._describe_model(model, value)
        properties = value.get("properties")
        if isinstance(properties, dict):
            for key, prop in properties.items():
                self._describe(model, key, prop)
                self._restrict(model.__name__, key, prop)
            self._provinces(model.__name__, value)
        return value

    def _describe_model(self, model: type[BaseModel], value: dict[str, Any]) -> None:
        texts = {lang: _texts(lang).get(model.__name__) for lang in TEXT_LANGUAGES}
        if not all(isinstance(t, dict) and t.get("title") for t in texts.values()):
            return
        self._describe(model, "", value, texts)

    def _describe(
        self,
        model: type[BaseModel],
        key: str,
        prop: dict[str, Any],
        given: dict[str, Any] | None = None,
    ) -> None:
        def text(lang: str) -> tuple[str, str]:
            if given is not None:
                return str(given[lang]["title"]), str(given[lang].get("description", ""))
            return field_text(model, key, lang)

        if self.lang in TEXT_LANGUAGES:
            prop["title"], prop["description"] = text(self.lang or "fr")
            return
        fr_title, fr_text = text("fr")
        ar_title, ar_text = text("ar")
        prop["title"] = fr_title
        prop["description"] = "\n\n".join(t for t in (fr_text, ar_text) if t)
        prop["x-taawun-labels"] = {
            "ar": {"title": ar_title, "description": ar_text},
            "fr": {"title": fr_title, "description": fr_text},
        }

    def _restrict(self, model: str, key: str, prop: dict[str, Any]) -> None:
        attr = REFERENCE_FIELDS.get((model, key))
        if attr is None or self.references is None:
            return
        known: dict[str, LocalizedName] = getattr(self.references, attr)
        if 0 < len(known) <= MAX_ENUM:
            _add_enum(prop, known, self.lang)

    def _provinces(self, model: str, value: dict[str, Any]) -> None:
        if model not in PROVINCE_MODELS or self.references is None:
            return
        rules = [
            {
                "if": {"properties": {"region": {"const": region}}, "required": ["region"]},
                "then": {"properties": {"province": {"enum": sorted(known)}}},
            }
            for region, known in self.references.provinces.items()
            if known
        ]
        if rules:
            value.setdefault("allOf", []).extend(rules)


def _add_enum(prop: dict[str, Any], known: dict[str, LocalizedName], lang: str | None) -> None:
    """Add the known ids to every slug inside ``prop`` (a slug, an optional slug, a list of
    slugs, or `national` or a list of slugs), with their names for the completion list
    (``enumDescriptions``, which VS Code's and yaml-language-server's completion show)."""
    if prop.get("pattern") == SLUG_RE.pattern:
        prop["enum"] = list(known)
        prop["enumDescriptions"] = [
            n[lang] if lang in TEXT_LANGUAGES else f"{n['fr']} — {n['ar']}" for n in known.values()
        ]
        return
    for keyword in ("anyOf", "oneOf"):
        for option in prop.get(keyword, []):
            _add_enum(option, known, lang)
    items = prop.get("items")
    if isinstance(items, dict):
        _add_enum(items, known, lang)


def _generator(references: References | None, lang: str | None) -> type[GenerateJsonSchema]:
    return type("ContentSchema", (_ContentSchema,), {"references": references, "lang": lang})


def schema_id(kind: str, base_url: str | None = None) -> str:
    """Where the schema is published: under the site when its address is known."""
    if base_url:
        return f"{base_url.rstrip('/')}/schemas/{kind}.schema.json"
    return f"urn:taawun:schema:{kind}"


def schema_for(
    kind: str,
    references: References | None = None,
    lang: str | None = None,
    base_url: str | None = None,
) -> dict[str, Any]:
    """The JSON Schema (2020-12) of one kind's files, as content files write them."""
    model = KINDS[kind]
    generated = model.model_json_schema(
        by_alias=True, mode="validation", schema_generator=_generator(references, lang)
    )
    if kind in LIST_KINDS:
        defs = generated.pop("$defs", {})
        defs[model.__name__] = generated
        body: dict[str, Any] = {
            "type": "array",
            "items": {"$ref": f"#/$defs/{model.__name__}"},
            "$defs": defs,
        }
        body["title"] = f"{kind}.yaml"
    else:
        body = generated
    return {"$schema": SCHEMA_DIALECT, "$id": schema_id(kind, base_url), **body}


SCHEMA_FOLDER = "schemas"  # in the built site: /schemas/<kind>.schema.json


def schema_json(
    kind: str,
    references: References | None = None,
    lang: str | None = None,
    base_url: str | None = None,
) -> str:
    """``schema_for`` as the text of a file (UTF-8, Arabic kept readable)."""
    schema = schema_for(kind, references, lang, base_url)
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schema_files(
    references: References | None, lang: str | None = None, base_url: str | None = None
) -> dict[str, str]:
    """``<kind>.schema.json`` → its text, for every kind. Kept for the last few distinct inputs:
    `taawun serve` rebuilds often and the ids rarely change (generating takes ~0.2 s)."""
    key = json.dumps([dataclasses.asdict(references) if references else None, lang, base_url])
    files = _FILES.get(key)
    if files is None:
        files = {
            f"{kind}.schema.json": schema_json(kind, references, lang, base_url) for kind in KINDS
        }
        if len(_FILES) >= 4:
            _FILES.pop(next(iter(_FILES)))
        _FILES[key] = files
    return dict(files)


_FILES: dict[str, dict[str, str]] = {}


def write_schemas(
    output: Path,
    references: References | None,
    lang: str | None = None,
    base_url: str | None = None,
) -> list[Path]:
    """Write ``<output>/<kind>.schema.json`` for every kind; return the files written."""
    output.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in schema_files(references, lang, base_url).items():
        path = output / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
