"""`taawun cms`: the Decap CMS admin (``admin/index.html`` and ``admin/config.yml``), generated
from the content models so that the CMS, the JSON Schemas and `taawun check` share one source.

Decap validates in the browser only: what it writes is checked again by `taawun check` in CI
(docs/cms.md). What Decap cannot express is left to that check and said in docs/cms.md:
root-level YAML lists (the data files), a province that depends on the region, and every rule
that spans files.
"""

from __future__ import annotations

import os
import re
import sys
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Literal

import annotated_types
import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from .config import SiteConfig
from .models import Course, Image, LocalizedText, Page, Product, ProjectIdea
from .models.academy import Lesson, Module
from .models.common import LANGUAGES, REQUIRED_LANGUAGES, SLUG_RE, Centimes, Slug
from .models.cooperative import E164_RE, Cooperative, Delivery, Phone
from .models.figures import WEB_ADDRESS_RE, Count, WebAddress
from .schemas import REFERENCE_FIELDS, LocalizedName, References, field_text, references_from
from .sources import discover

# The Decap release the admin page loads, and the Subresource Integrity hash of its
# dist/decap-cms.js (npm's tarball of decap-cms@3.16.3; unpkg serves those exact bytes).
DECAP_VERSION = "3.16.3"
DECAP_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
DECAP_URL = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"

# Amounts as content files write them ("120.00"): JavaScript reads this pattern too.
MONEY_PATTERN = r"^\d{1,9}(\.\d{1,2})?$"
DATE_FORMAT = "YYYY-MM-DD"

LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "ar": ("Arabe", "العربية"),
    "fr": ("Français", "الفرنسية"),
    "zgh": ("Amazigh (tifinagh)", "الأمازيغية"),
    "en": ("Anglais", "الإنجليزية"),
}
# Short localized texts that are sentences rather than names: a text area, not a one-line input.
SENTENCE_FIELDS = frozenset(
    {
        "summary",
        "territorial_rationale",
        "value_chain",
        "explanation",
        "feedback",
        "detail",
        "customers",
        "competition",
        "risk",
        "mitigation",
        "prompt",
        "note",
        "onssa_exempt_reason",
    }
)
# Fields that only the Taawun office sets (a visit, the rating's declarations, sample data):
# shown folded, at the end, so cooperatives do not fill them in by mistake.
OFFICE_FIELDS = frozenset({("Cooperative", "verified"), ("Cooperative", "performance")})
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


class CmsError(Exception):
    """The content folder cannot give a CMS configuration (site.yaml missing or invalid)."""


def _validator_kinds() -> dict[Any, str]:
    """The validating function of each shared field type → what the CMS does with it."""
    kinds: dict[Any, str] = {}
    aliases: tuple[tuple[Any, str], ...] = (
        (Centimes, "money"),
        (Slug, "slug"),
        (Phone, "phone"),
        (WebAddress, "web"),
        (Count, "count"),
    )
    for alias, kind in aliases:
        for meta in typing.get_args(alias)[1:]:
            if isinstance(meta, BeforeValidator | AfterValidator):
                kinds[meta.func] = kind
    return kinds


VALIDATORS = _validator_kinds()
PATTERNS: dict[str, tuple[str, str]] = {
    "money": (MONEY_PATTERN, 'Un montant en dirhams, comme "120.00" — مبلغ بالدرهم مثل 120.00'),
    "slug": (
        SLUG_RE.pattern,
        "Lettres minuscules a-z, chiffres et tirets, comme argan-tamanar"
        " — حروف لاتينية صغيرة وأرقام وشرطات",
    ),
    "phone": (E164_RE.pattern, "Avec +212 et sans espaces, comme +212612345678 — بصيغة ‎+212"),
    "web": (WEB_ADDRESS_RE.pattern, "Une adresse complète, commençant par https:// — عنوان كامل"),
}


@dataclass(frozen=True)
class Shape:
    """A field's type with its wrappers taken off: what the widget is chosen from."""

    base: Any
    optional: bool
    metadata: tuple[Any, ...]

    @property
    def kind(self) -> str | None:
        for meta in self.metadata:
            if isinstance(meta, BeforeValidator | AfterValidator) and meta.func in VALIDATORS:
                return VALIDATORS[meta.func]
        return None

    def bound(self, kind: type[Any]) -> Any:
        for meta in self.metadata:
            if isinstance(meta, kind):
                return meta
        return None


def _flatten(metadata: typing.Iterable[Any]) -> Iterator[Any]:
    for meta in metadata:
        if isinstance(meta, FieldInfo):
            yield from _flatten(meta.metadata)
        else:
            yield meta


def shape(annotation: Any, metadata: typing.Iterable[Any] = ()) -> Shape:
    """Take ``Annotated`` and ``X | None`` off ``annotation``, keeping their constraints."""
    collected = list(_flatten(metadata))
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            collected.extend(_flatten(annotation.__metadata__))
            annotation = typing.get_args(annotation)[0]
            continue
        args = typing.get_args(annotation)
        if type(None) in args and origin is not Literal:
            rest = [a for a in args if a is not type(None)]
            optional = True
            if len(rest) == 1:
                annotation = rest[0]
                continue
        return Shape(annotation, optional, tuple(collected))


@dataclass
class Builder:
    """Turns models into Decap fields, with the content's ids as select options."""

    references: References
    languages: tuple[str, ...]

    # ---------------------------------------------------------------- labels
    def labelled(self, model: type[BaseModel], name: str, key: str) -> dict[str, Any]:
        fr_title, fr_text = field_text(model, name, "fr")
        ar_title, ar_text = field_text(model, name, "ar")
        # Decap's interface is left-to-right only (decap-cms#1769): French leads, Arabic follows.
        label = fr_title if ar_title in (fr_title, key) else f"{fr_title} — {ar_title}"
        field: dict[str, Any] = {"name": key, "label": label}
        hint = "\n".join(t for t in (fr_text, ar_text) if t)
        if hint:
            field["hint"] = hint
        return field

    # ---------------------------------------------------------------- models
    def fields(self, model: type[BaseModel], leading: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """One Decap field per model field, in the model's order; the office's fields last."""
        ordinary: list[dict[str, Any]] = []
        office: list[dict[str, Any]] = []
        for name, info in model.model_fields.items():
            made = self.field(model, name, info)
            (office if (model.__name__, name) in OFFICE_FIELDS else ordinary).append(made)
        # Stable sort: the `leading` fields first (the id names the file), the rest in order.
        ordinary.sort(key=lambda f: leading.index(f["name"]) if f["name"] in leading else 99)
        return ordinary + office

    def field(self, model: type[BaseModel], name: str, info: FieldInfo) -> dict[str, Any]:
        key = info.alias or name
        field = self.labelled(model, name, key)
        found = shape(info.annotation, info.metadata)
        field.update(self.widget(model, key, found))
        field["required"] = info.is_required()
        if not info.is_required() and not found.optional:
            default = info.get_default(call_default_factory=True)
            if isinstance(default, bool | int | str) and field["widget"] in (
                "boolean",
                "number",
                "select",
            ):
                field["default"] = default
        if (model.__name__, name) in OFFICE_FIELDS:
            field["collapsed"] = True
            field["label"] = "Réservé à l'équipe Taawun — خاص بفريق تعاون : " + field["label"]
        if name == "sample":
            # Sample entries are the demo data; a cooperative's own entry is never one.
            field.update(widget="hidden", default=False)
        return field

    def widget(self, model: type[BaseModel], key: str, found: Shape) -> dict[str, Any]:
        base = found.base
        reference = REFERENCE_FIELDS.get((model.__name__, key))
        if model is Delivery and key == "zones":
            return self.select(self.zone_options(), multiple=True)
        if model is Product and key == "season":
            months = [{"label": f"{i} — {m}", "value": i} for i, m in enumerate(MONTHS, 1)]
            return self.select(months, multiple=True)
        if typing.get_origin(base) is list:
            return self.list_widget(model, key, found)
        if isinstance(base, type) and issubclass(base, BaseModel):
            return self.object_widget(base, key)
        if typing.get_origin(base) is Literal:
            return self.select([{"label": str(v), "value": v} for v in typing.get_args(base)])
        if base is bool:
            return {"widget": "boolean"}
        if base is date:
            return {
                "widget": "datetime",
                "format": DATE_FORMAT,
                "date_format": DATE_FORMAT,
                "time_format": False,
                "picker_utc": True,
            }
        kind = found.kind
        if kind == "money":
            return self.string(found)
        if base is int or base is float:
            return self.number(found, "int" if base is int else "float")
        if kind == "slug":
            if reference is not None:
                return self.reference(reference, multiple=False)
            if key == "province":
                return self.select(self.province_options())
        if model is Image and key == "src":
            return {"widget": "image"}
        if key == "src":
            return {"widget": "file"}
        return self.string(found)

    def string(self, found: Shape) -> dict[str, Any]:
        made: dict[str, Any] = {"widget": "string"}
        kind = found.kind
        if kind in PATTERNS:
            made["pattern"] = list(PATTERNS[kind])
        else:
            for meta in found.metadata:
                pattern = getattr(meta, "pattern", None)
                if isinstance(pattern, str):
                    made["pattern"] = [pattern, "Format invalide — صيغة غير صحيحة"]
        return made

    def number(self, found: Shape, value_type: str) -> dict[str, Any]:
        made: dict[str, Any] = {"widget": "number", "value_type": value_type}
        step = 1 if value_type == "int" else 0.01
        made["step"] = step
        for kind, attr, option, shift in (
            (annotated_types.Ge, "ge", "min", 0),
            (annotated_types.Gt, "gt", "min", step),
            (annotated_types.Le, "le", "max", 0),
            (annotated_types.Lt, "lt", "max", -step),
        ):
            meta = found.bound(kind)
            if meta is not None:
                bound = getattr(meta, attr)
                # Decap's bounds are inclusive: a whole number "more than 0" starts at 1.
                made[option] = bound + shift if value_type == "int" else bound
        return made

    def select(self, options: list[dict[str, Any]], multiple: bool = False) -> dict[str, Any]:
        made: dict[str, Any] = {"widget": "select", "options": options}
        if multiple:
            made["multiple"] = True
        return made

    def reference(self, attr: str, multiple: bool) -> dict[str, Any]:
        if attr in ("cooperatives", "courses"):
            # Entries the CMS itself creates: a relation sees new ones without a new config.
            collection = "cooperatives" if attr == "cooperatives" else "courses"
            name = "name" if attr == "cooperatives" else "title"
            made: dict[str, Any] = {
                "widget": "relation",
                "collection": collection,
                "value_field": "id",
                "search_fields": ["id", f"{name}.fr", f"{name}.ar"],
                "display_fields": [f"{name}.fr", f"{name}.ar"],
            }
            if multiple:
                made["multiple"] = True
            return made
        known: dict[str, LocalizedName] = getattr(self.references, attr)
        return self.select(_options(known), multiple=multiple)

    def zone_options(self) -> list[dict[str, Any]]:
        national = {"label": "Tout le Maroc — كل المغرب", "value": "national"}
        return [national, *_options(self.references.regions)]

    def province_options(self) -> list[dict[str, Any]]:
        options: list[dict[str, Any]] = []
        for region, provinces in self.references.provinces.items():
            region_name = self.references.regions.get(region, {}).get("fr", region)
            options.extend({"label": f"{p} ({region_name})", "value": p} for p in provinces)
        return options

    def list_widget(self, model: type[BaseModel], key: str, found: Shape) -> dict[str, Any]:
        (item,) = typing.get_args(found.base)
        inner = shape(item)
        made: dict[str, Any]
        reference = REFERENCE_FIELDS.get((model.__name__, key))
        if inner.kind == "slug" and reference is not None:
            made = self.reference(reference, multiple=True)
        elif typing.get_origin(inner.base) is Literal:
            options = [{"label": str(v), "value": v} for v in typing.get_args(inner.base)]
            made = self.select(options, multiple=True)
        elif isinstance(inner.base, type) and issubclass(inner.base, BaseModel):
            made = {"widget": "list", "fields": self.fields(inner.base)}
            if issubclass(inner.base, LocalizedText):
                made["fields"] = self.localized(inner.base, key)
            made["summary"] = _summary(inner.base)
        else:
            single = {"name": "item", "label": key}
            single.update(self.widget(model, "item", inner))
            made = {"widget": "list", "field": single}
        for kind, attr, option in (
            (annotated_types.MinLen, "min_length", "min"),
            (annotated_types.MaxLen, "max_length", "max"),
        ):
            meta = found.bound(kind)
            if meta is not None:
                made[option] = getattr(meta, attr)
        return made

    def object_widget(self, model: type[BaseModel], key: str) -> dict[str, Any]:
        if issubclass(model, LocalizedText):
            return {"widget": "object", "fields": self.localized(model, key)}
        return {"widget": "object", "fields": self.fields(model), "summary": _summary(model)}

    def localized(self, model: type[BaseModel], key: str) -> list[dict[str, Any]]:
        """ar and fr (required), then the other languages; a subclass's own fields after them."""
        widget = "text" if key in SENTENCE_FIELDS else "string"
        ordered = [*self.languages, *(lang for lang in LANGUAGES if lang not in self.languages)]
        made = []
        for lang in ordered:
            fr_name, ar_name = LANGUAGE_NAMES[lang]
            made.append(
                {
                    "name": lang,
                    "label": f"{fr_name} — {ar_name}",
                    "widget": widget,
                    "required": lang in REQUIRED_LANGUAGES,
                }
            )
        extra = [n for n in model.model_fields if n not in LANGUAGES]
        made.extend(self.field(model, n, model.model_fields[n]) for n in extra)
        return made


def _options(known: dict[str, LocalizedName]) -> list[dict[str, Any]]:
    return [{"label": f"{n['fr']} — {n['ar']}", "value": ident} for ident, n in known.items()]


def _summary(model: type[BaseModel]) -> str:
    """What a folded item shows: its id, name or title (in French), else its first field."""
    names = model.model_fields
    for candidate in ("sku", "id", "label", "title", "name", "risk", "text", "prompt"):
        if candidate in names:
            inner = shape(names[candidate].annotation).base
            is_text = isinstance(inner, type) and issubclass(inner, LocalizedText)
            return "{{fields." + candidate + (".fr" if is_text else "") + "}}"
    return "{{fields." + next(iter(names)) + "}}"


# ---------------------------------------------------------------- collections

MEDIA = "media"  # images are written `media/…`, relative to the content folder


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    folder: str  # under the content folder
    model: type[BaseModel]
    media: str | None  # the sub-folder of media/ its uploads go to
    path: str | None = None  # Decap's path template, for files below the folder's top
    title: str = "name"
    bodies: bool = True  # has <id>.<lang>.md texts


KINDS: tuple[Kind, ...] = (
    Kind("cooperatives", "Coopératives — التعاونيات", "cooperatives", Cooperative, "cooperatives"),
    Kind(
        "products",
        "Produits — المنتجات",
        "products",
        Product,
        "products",
        path="{{fields.cooperative}}/{{slug}}",
    ),
    Kind(
        "projects",
        "Idées de projets — أفكار المشاريع",
        "projects",
        ProjectIdea,
        "projects",
        title="title",
    ),
    Kind("pages", "Pages — الصفحات", "pages", Page, None, title="title"),
    Kind(
        "courses",
        "Cours de l'académie — دروس الأكاديمية",
        "academy",
        Course,
        "academy",
        path="{{slug}}/course",
        title="title",
        bodies=False,
    ),
)


def _repo_path(path: Path, root: Path) -> str:
    """``path`` as Decap names it: relative to the repository, with forward slashes."""
    relative = os.path.relpath(path.resolve(), root.resolve())
    return Path(relative).as_posix()


def repository_root(content: Path) -> Path:
    """The git repository holding ``content``: Decap's paths are relative to it."""
    here = content.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here.parent


def site_config(content: Path) -> SiteConfig:
    path = content / "site.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return SiteConfig.model_validate(data)
    except (OSError, yaml.YAMLError, ValueError) as error:
        raise CmsError(
            f"{path}: cannot be read as the site's settings ({error.__class__.__name__}) — "
            "run `taawun check` and fix site.yaml first"
        ) from error


REPO_RE = re.compile(r"^[\w.-]+/[\w.-]+$")
NO_EDITORIAL_WORKFLOW = frozenset({"gitea"})
PLACEHOLDER_BACKEND: dict[str, Any] = {"name": "github", "repo": "OWNER/REPO", "branch": "main"}


def cms_config(
    content: Path, root: Path | None = None, backend: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The Decap configuration (as a dict) for the content folder ``content``."""
    root = root or repository_root(content)
    site = site_config(content)
    builder = Builder(references_from(content), tuple(site.languages))
    base = _repo_path(content, root)
    collections: list[dict[str, Any]] = []
    for kind in KINDS:
        collections.append(_entity_collection(kind, builder, base))
        if kind.bodies:
            collections.append(_body_collection(kind, base, site.languages))
    collections.extend(_academy_collections(content, builder, base))
    backend = backend or dict(PLACEHOLDER_BACKEND)
    # A branch and a pull request per entry, where the backend can (Decap's Gitea backend cannot).
    workflow = (
        {} if backend["name"] in NO_EDITORIAL_WORKFLOW else {"publish_mode": "editorial_workflow"}
    )
    return {
        "backend": backend,
        "local_backend": True,
        **workflow,
        "site_url": site.base_url,
        "locale": "fr",
        "media_folder": f"{base}/{MEDIA}",
        "public_folder": MEDIA,
        "i18n": {
            "structure": "multiple_files",
            "locales": list(site.languages),
            "default_locale": "fr",
        },
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": collections,
    }


def _entity_collection(kind: Kind, builder: Builder, base: str) -> dict[str, Any]:
    made: dict[str, Any] = {
        "name": kind.name,
        "label": kind.label,
        "folder": f"{base}/{kind.folder}",
        "create": True,
        "extension": "yaml",
        "format": "yaml",
        "identifier_field": "id",
        "summary": "{{" + kind.title + ".fr}} ({{id}})",
    }
    if kind.path:
        made["path"] = kind.path
    if kind.media:
        # A leading slash: from the repository's root, not from the entry's folder.
        made["media_folder"] = f"/{base}/{MEDIA}/{kind.media}"
        made["public_folder"] = f"{MEDIA}/{kind.media}"
    made["fields"] = builder.fields(kind.model, leading=("id",))
    return made


def _body_collection(kind: Kind, base: str, languages: Sequence[str]) -> dict[str, Any]:
    """The `<id>.<lang>.md` texts: Decap's `multiple_files` i18n is exactly that layout."""
    made: dict[str, Any] = {
        "name": f"{kind.name}_texts",
        "label": f"{kind.label} : textes — النصوص",
        "description": (
            "Le texte long de chaque fiche, une langue par fichier. Les nouvelles fiches reçoivent "
            "leurs textes par `taawun new` ou par un fichier <id>.<langue>.md. — "
            "النص الطويل لكل بطاقة، لكل لغة ملف."
        ),
        "folder": f"{base}/{kind.folder}",
        # Decap names a new entry from a field it would write into the file: our texts have
        # none, so texts are edited here and created with their entry's file.
        "create": False,
        "delete": False,
        "extension": "md",
        "format": "yaml-frontmatter",
        # Decap wants a field to name entries by; the list shows the file name instead.
        "identifier_field": "body",
        "summary": "{{filename}}",
        "i18n": {
            "structure": "multiple_files",
            "locales": list(languages),
            "default_locale": "fr",
        },
        "fields": [
            {
                "name": "body",
                "label": "Texte — النص",
                "widget": "markdown",
                "i18n": True,
                "required": True,
            }
        ],
    }
    if kind.path:
        # Texts one folder down (products/<cooperative>/): a nested collection lists them; a
        # `path` template fails to open i18n entries in Decap 3.16 (tests/test_cms.py).
        made["nested"] = {"depth": kind.path.count("/") + 1}
    return made


def _academy_collections(content: Path, builder: Builder, base: str) -> list[dict[str, Any]]:
    """One `files` collection per course: its modules, lessons and lesson texts, as they are.

    Modules and lessons sit at the same depth below the course (module.yaml beside the
    lessons' files), which a Decap folder collection cannot tell apart; new ones are made with
    `taawun new lesson`, then `taawun cms` lists them here.
    """
    found = discover(content)
    by_course: dict[str, list[dict[str, Any]]] = {}
    bodies = {(b.stem_path, b.lang): b.path for b in found.bodies}
    for entity in found.entities:
        if entity.kind not in ("module", "lesson"):
            continue
        model: type[BaseModel] = Module if entity.kind == "module" else Lesson
        ident = "/".join(entity.key[1:])
        files = by_course.setdefault(entity.key[0], [])
        files.append(
            {
                "name": ident.replace("/", "__"),
                "label": ("Module" if model is Module else "Leçon") + f" {ident}",
                "file": f"{base}/{entity.path.relative_to(content).as_posix()}",
                "fields": builder.fields(model, leading=("id",)),
            }
        )
        for lang in sorted(lang for (stem, lang) in bodies if stem == entity.path):
            files.append(
                {
                    "name": f"{ident.replace('/', '__')}__{lang}",
                    "label": f"Leçon {ident} : texte ({lang})",
                    "file": f"{base}/"
                    + bodies[(entity.path, lang)].relative_to(content).as_posix(),
                    "fields": [{"name": "body", "label": "Texte — النص", "widget": "markdown"}],
                }
            )
    made: list[dict[str, Any]] = []
    for course, files in sorted(by_course.items()):
        name = f"academy_{course.replace('-', '_')}"
        # A `files` collection has one format: the YAML files and the Markdown texts part.
        yaml_files = [f for f in files if f["file"].endswith(".yaml")]
        texts = [f for f in files if f["file"].endswith(".md")]
        label = f"Académie : {course}"
        made.append(
            {
                "name": name,
                "label": f"{label} — modules et leçons",
                "format": "yaml",
                "files": yaml_files,
            }
        )
        if texts:
            made.append(
                {
                    "name": f"{name}_texts",
                    "label": f"{label} — textes des leçons",
                    "format": "yaml-frontmatter",
                    "files": texts,
                }
            )
    return made


# ---------------------------------------------------------------- files


def admin_html(config_file: str = "config.yml") -> str:
    return f"""<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Taawun — administration (Decap CMS)</title>
  <link href="{escape(config_file)}" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <script src="{DECAP_URL}" integrity="{DECAP_INTEGRITY}" crossorigin="anonymous"></script>
</body>
</html>
"""


HEADER = """\
# Decap CMS configuration, generated by `taawun cms` from the content models and content/data.
# Do not edit by hand: run `taawun cms` again after changing the models or the data files; it
# keeps the `backend` written here (or give it: --backend github --repo OWNER/NAME, docs/cms.md).
# Decap checks only in the browser: CI runs `taawun check` on every change it makes.
"""


class _Dumper(yaml.SafeDumper):
    """Writes repeated values out in full: no `&anchor`/`*alias` for people to puzzle over."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_cms(
    content: Path, output: Path, root: Path | None = None, backend: dict[str, Any] | None = None
) -> list[Path]:
    """Write ``output``/index.html and config.yml. Without ``backend``, the one already in
    ``output``/config.yml is kept: regenerating after a data change must not lose it."""
    config_path = output / "config.yml"
    config = cms_config(content, root, backend or _backend_in(config_path))
    output.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    config_path.write_text(HEADER + text, encoding="utf-8")
    index = output / "index.html"
    index.write_text(admin_html(), encoding="utf-8")
    return [index, config_path]


def _backend_in(config_path: Path) -> dict[str, Any] | None:
    try:
        existing = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    backend = existing.get("backend") if isinstance(existing, dict) else None
    return backend if isinstance(backend, dict) and backend.get("name") else None


def backend_from(name: str | None, repo: str | None, branch: str | None) -> dict[str, Any] | None:
    """The ``backend`` section the command-line options describe, or None when they are absent."""
    if not (name or repo or branch):
        return None
    backend: dict[str, Any] = {"name": name or "github"}
    if backend["name"] != "git-gateway":
        if not repo or not REPO_RE.match(repo):
            raise CmsError(f"--repo must name the repository as OWNER/NAME, not {repo!r}")
        backend["repo"] = repo
    backend["branch"] = branch or "main"
    return backend


# ---------------------------------------------------------------- command line


def add_command(commands: Any) -> None:
    """`taawun cms`, added to the main parser's subcommands."""
    p = commands.add_parser(
        "cms", help="write the Decap CMS admin (index.html and config.yml) for the content"
    )
    p.add_argument("--content", type=Path, default=Path("content"))
    p.add_argument(
        "--output",
        type=Path,
        default=Path("admin"),
        help="folder that receives index.html and config.yml (default: admin)",
    )
    p.add_argument(
        "--backend",
        choices=["github", "gitlab", "git-gateway"],
        help="where Decap commits (default: the backend already in config.yml, else github; "
        "for Gitea/Forgejo write the backend in config.yml once, it is kept)",
    )
    p.add_argument("--repo", metavar="OWNER/NAME", help="the content repository")
    p.add_argument("--branch", help="the branch Decap commits to (default: main)")


def run(args: Any) -> int:
    content: Path = args.content
    if not content.is_dir():
        print(f"taawun: the content folder {content} does not exist", file=sys.stderr)
        return 2
    try:
        backend = backend_from(args.backend, args.repo, args.branch)
    except CmsError as error:
        print(f"taawun: {error}", file=sys.stderr)
        return 2
    try:
        written = write_cms(content, args.output, backend=backend)
    except CmsError as error:
        print(f"taawun: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"✓ wrote {path}")
    if yaml.safe_load(written[1].read_text(encoding="utf-8"))["backend"] == PLACEHOLDER_BACKEND:
        print("  next: give your repository: taawun cms --repo OWNER/NAME (docs/cms.md)")
    return 0
