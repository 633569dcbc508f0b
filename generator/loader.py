"""Parse and validate every content file, never stopping at the first problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .config import SiteConfig
from .errors import ErrorReport, SourceLocation, display_path
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
)
from .sources import BodyFile, Discovery, discover
from .validation import problems_from_validation
from .yamlsource import KeyPath, YamlDocument, parse_yaml, read_text

M = TypeVar("M", bound=BaseModel)

ENTITY_MODELS: dict[str, type[BaseModel]] = {
    "cooperative": Cooperative,
    "product": Product,
    "project": ProjectIdea,
    "course": Course,
    "module": Module,
    "lesson": Lesson,
    "page": Page,
}
DATA_MODELS: dict[str, type[BaseModel]] = {
    "regions": Region,
    "sectors": Sector,
    "categories": Category,
    "labels": Label,
    "funding": Funding,
}
# Kinds whose long text lives in sibling `<id>.<lang>.md` files, and whether ar/fr are required.
BODY_KINDS = {"cooperative", "product", "project", "lesson", "page"}


@dataclass(frozen=True)
class Sourced(Generic[M]):
    """A validated item and where it came from, so later stages can point at its keys."""

    item: M
    doc: YamlDocument
    base: KeyPath = ()

    def at(self, *keys: str | int) -> SourceLocation:
        return self.doc.locate((*self.base, *keys))

    @property
    def path(self) -> str:
        return self.doc.display_path


@dataclass
class Body:
    text: str
    path: str


@dataclass
class Content:
    root: Path
    config: SiteConfig | None = None
    config_doc: YamlDocument | None = None
    data: dict[str, dict[str, Sourced[BaseModel]]] = field(default_factory=dict)
    entities: dict[str, dict[tuple[str, ...], Sourced[BaseModel]]] = field(default_factory=dict)
    bodies: dict[tuple[str, tuple[str, ...]], dict[str, Body]] = field(default_factory=dict)
    media: set[str] = field(default_factory=set)  # paths relative to the content root
    # Entries that exist but did not validate, as (kind, key): references to them are not reported
    # again, so the author sees the real cause instead of a cascade.
    failed: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)


def load(root: Path, report: ErrorReport) -> Content:
    content = Content(root=root)
    found = discover(root)
    _load_config(found, content, report)
    for name, path in found.data_files.items():
        content.data[name] = _load_list(path, DATA_MODELS[name], report, content.failed, name)
    for name in DATA_MODELS:
        content.data.setdefault(name, {})
    entity_paths: dict[Path, tuple[str, tuple[str, ...]]] = {}
    for entity in found.entities:
        loaded = _load_entity(entity.path, ENTITY_MODELS[entity.kind], entity.key[-1], report)
        content.entities.setdefault(entity.kind, {})
        entity_paths[entity.path] = (entity.kind, entity.key)
        if loaded is not None:
            content.entities[entity.kind][entity.key] = loaded
        else:
            content.failed.add((entity.kind, entity.key))
    for kind in ENTITY_MODELS:
        content.entities.setdefault(kind, {})
    languages = content.config.languages if content.config else ["ar", "fr", "zgh", "en"]
    for body in found.bodies:
        _load_body(body, entity_paths, languages, content, report)
    content.media = {p.relative_to(root).as_posix() for p in found.media}
    for path, what in found.misplaced:
        report.add(
            SourceLocation(display_path(path)),
            "misplaced-file",
            "this file is not where Taawun looks",
            what,
        )
    return content


def _read(path: Path, report: ErrorReport) -> YamlDocument | None:
    shown = display_path(path)
    text, problem = read_text(path, shown)
    if problem:
        report.extend([problem])
        return None
    assert text is not None
    doc, problems = parse_yaml(text, shown)
    report.extend(problems)
    return doc


def _load_config(found: Discovery, content: Content, report: ErrorReport) -> None:
    if not found.site_file.exists():
        report.add(
            SourceLocation(display_path(found.site_file)),
            "missing-site-config",
            "there is no site.yaml in the content folder",
            "create site.yaml with the site title, languages and base_url (see docs/content-format.md)",
        )
        return
    doc = _read(found.site_file, report)
    if doc is None:
        return
    content.config_doc = doc
    try:
        content.config = SiteConfig.model_validate(doc.data)
    except ValidationError as exc:
        report.extend(problems_from_validation(exc, SiteConfig, doc))


def _load_list(
    path: Path,
    model: type[M],
    report: ErrorReport,
    failed: set[tuple[str, tuple[str, ...]]],
    kind: str,
) -> dict[str, Sourced[M]]:
    doc = _read(path, report)
    items: dict[str, Sourced[M]] = {}
    if doc is None:
        return items
    if not isinstance(doc.data, list):
        report.add(
            doc.locate(()),
            "not-a-list",
            f"{path.name} must be a list of entries, each starting with `- id: …`",
            "see docs/content-format.md for an example",
        )
        return items
    for index, raw in enumerate(doc.data):
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            report.extend(problems_from_validation(exc, model, doc, (index,)))
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                failed.add((kind, (raw["id"],)))
            continue
        item_id: str = item.id  # type: ignore[attr-defined]
        if item_id in items:
            report.add(
                doc.locate((index, "id")),
                "duplicate-id",
                f"the id `{item_id}` is used twice in {path.name}",
                f"the first one is at line {items[item_id].at('id').line}; give each entry its own id",
            )
            continue
        items[item_id] = Sourced(item, doc, (index,))
    return items


def _load_entity(path: Path, model: type[M], stem: str, report: ErrorReport) -> Sourced[M] | None:
    doc = _read(path, report)
    if doc is None:
        return None
    try:
        item = model.model_validate(doc.data)
    except ValidationError as exc:
        report.extend(problems_from_validation(exc, model, doc))
        return None
    item_id: str = item.id  # type: ignore[attr-defined]
    if stem not in ("course", "module") and item_id != stem:
        report.add(
            doc.locate(("id",)),
            "id-mismatch",
            f"the id `{item_id}` does not match the file name `{path.name}`",
            f"rename the file to `{item_id}.yaml` or change the id to `{stem}`",
        )
        return None
    return Sourced(item, doc)


def _load_body(
    body: BodyFile,
    entity_paths: dict[Path, tuple[str, tuple[str, ...]]],
    languages: list[str],
    content: Content,
    report: ErrorReport,
) -> None:
    shown = display_path(body.path)
    if body.lang not in languages:
        report.add(
            SourceLocation(shown),
            "unknown-language",
            f"`{body.lang}` in the file name is not one of the site's languages",
            "name the file `<id>.<language>.md` with one of: " + ", ".join(languages),
        )
        return
    owner = entity_paths.get(body.stem_path)
    if owner is None or owner[0] not in BODY_KINDS:
        report.add(
            SourceLocation(shown),
            "orphan-body",
            f"there is no `{body.stem_path.name}` next to this text",
            f"create `{body.stem_path.name}` or rename this file after an existing one",
        )
        return
    text, problem = read_text(body.path, shown)
    if problem:
        report.extend([problem])
        return
    assert text is not None
    if not text.strip():
        report.add(
            SourceLocation(shown),
            "empty-file",
            "this text is empty",
            "write the text or delete the file",
        )
        return
    content.bodies.setdefault(owner, {})[body.lang] = Body(text, shown)
