"""Parse and validate every content file, never stopping at the first problem."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .config import SiteConfig
from .errors import ErrorReport, Problem, SourceLocation, display_path
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
from .models.common import LANGUAGES, compact
from .sources import BodyFile, Discovery, discover
from .validation import problems_from_validation
from .yamlsource import KeyPath, YamlDocument, decode_text, parse_yaml

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
    "sector_figures": SectorFigure,
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

    @property
    def digest(self) -> str:
        return self.doc.digest


@dataclass(frozen=True, slots=True)
class Body:
    """A long text, read again when its page is rendered: holding every story and description of a
    national catalogue in memory would cost gigabytes, and each is needed by one page per language.
    """

    file: str  # absolute path
    digest: str  # of the bytes, so incremental builds know when pages showing it are stale

    @property
    def path(self) -> str:
        return display_path(Path(self.file))

    def text(self) -> str:
        with open(self.file, encoding="utf-8-sig") as handle:
            return handle.read()


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


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 2000


class ParseCache:
    """What each entity file and text gave when last read, by path and (mtime, size): a
    long-running `taawun serve` re-reads only the files that changed since the last build.

    The dev server also says which files its watcher saw change (``note_changes``): when they
    are all files the last walk found, the next load trusts the rest without walking the tree
    or looking at each file again (two thirds of a warm rebuild at 10,000 products). Any other
    change (a file added, deleted or renamed, an editor's temporary file) means a full walk.
    """

    def __init__(self) -> None:
        self._results: dict[Path, tuple[tuple[int, int], Any]] = {}
        self._discovery: tuple[str, Discovery, dict[str, Path]] | None = None
        self._noted: set[str] | None = None

    def note_changes(self, paths: Iterable[str | Path]) -> None:
        """Files seen changing since the last load (absolute or relative to the working folder)."""
        noted = self._noted if self._noted is not None else set()
        noted.update(os.path.abspath(path) for path in paths)
        self._noted = noted

    def discover(self, root: Path) -> tuple[Discovery, set[Path] | None]:
        """The content files, and the only ones that may have changed (None: any may have)."""
        noted, self._noted = self._noted, None
        where = os.path.abspath(root)
        if noted is not None and self._discovery is not None and self._discovery[0] == where:
            _, found, known = self._discovery
            inside = {p for p in noted if p.startswith(where + os.sep)}
            if all(p in known and os.path.isfile(p) for p in inside):
                return found, {known[p] for p in inside}
        found = discover(root)
        every = [*found.data_files.values(), *found.media, *(e.path for e in found.entities)]
        every += [b.path for b in found.bodies] + [path for path, _ in found.misplaced]
        self._discovery = (where, found, {os.path.abspath(p): p for p in every})
        return found, None

    def lookup(self, path: Path, changed: set[Path] | None) -> tuple[tuple[int, int], Any | None]:
        if changed is not None and path not in changed:
            found = self._results.get(path)
            if found is not None:
                return found
        try:
            stat = path.stat()
        except OSError:
            return (-1, -1), None
        key = (stat.st_mtime_ns, stat.st_size)
        found = self._results.get(path)
        return key, (found[1] if found is not None and found[0] == key else None)

    def store(self, path: Path, key: tuple[int, int], result: Any) -> None:
        self._results[path] = (key, result)


def _cached_map(
    fn: Callable[[list[Any], int], list[R]],
    items: list[Any],
    paths: list[Path],
    jobs: int,
    cache: ParseCache | None,
    changed: set[Path] | None,
) -> tuple[list[R], set[int]]:
    """``fn(items, jobs)`` over the items whose files changed since ``cache`` saw them; also the
    indices of the results that are new (the others were computed by an earlier load)."""
    if cache is None:
        return fn(items, jobs), set(range(len(items)))
    looked = [cache.lookup(path, changed) for path in paths]
    todo = [i for i, (_, found) in enumerate(looked) if found is None]
    fresh = dict(zip(todo, fn([items[i] for i in todo], jobs), strict=True))
    results: list[R] = []
    for i, (key, found) in enumerate(looked):
        if i in fresh:
            cache.store(paths[i], key, fresh[i])
            results.append(fresh[i])
        else:
            assert found is not None  # looked up in the cache: only misses were parsed again
            results.append(found)
    return results, set(fresh)


def load(
    root: Path, report: ErrorReport, jobs: int = 1, cache: ParseCache | None = None
) -> Content:
    """Read and validate every file; with ``jobs`` > 1, entity files and texts are parsed in
    worker processes (parsing YAML is the most expensive step of a check), results merged in the
    order of the files so the report reads the same however many workers ran. With ``cache``,
    files unchanged since it last saw them are not read again.
    """
    content = Content(root=root)
    found, changed = cache.discover(root) if cache is not None else (discover(root), None)
    _load_config(found, content, report)
    for name, path in found.data_files.items():
        content.data[name] = _load_list(path, DATA_MODELS[name], report, content.failed, name)
    for name in DATA_MODELS:
        content.data.setdefault(name, {})
    entity_paths: dict[Path, tuple[str, tuple[str, ...]]] = {}
    for entity in found.entities:
        content.entities.setdefault(entity.kind, {})
        entity_paths[entity.path] = (entity.kind, entity.key)
    tasks = [(e.path, e.kind, e.key[-1]) for e in found.entities]
    paths = [t[0] for t in tasks]
    parsed, fresh = _cached_map(_parse_entities, tasks, paths, jobs, cache, changed)
    for index, ((path, kind, _), (loaded, problems)) in enumerate(zip(tasks, parsed, strict=True)):
        report.extend(problems)
        key = entity_paths[path][1]
        if loaded is not None:
            if index in fresh:  # here, not in the worker: pickling would undo the sharing
                compact(loaded.item)
            content.entities[kind][key] = loaded
        else:
            content.failed.add((kind, key))
    for kind in ENTITY_MODELS:
        content.entities.setdefault(kind, {})
    languages: list[str] = list(content.config.languages if content.config else LANGUAGES)
    owned: list[tuple[BodyFile, tuple[str, tuple[str, ...]]]] = []
    for body in found.bodies:
        owner = _body_owner(body, entity_paths, languages, report)
        if owner is not None:
            owned.append((body, owner))
    body_paths = [b.path for b, _ in owned]
    read, _ = _cached_map(_read_bodies, body_paths, body_paths, jobs, cache, changed)
    for (body, owner), (loaded_body, problems) in zip(owned, read, strict=True):
        report.extend(problems)
        if loaded_body is not None:
            content.bodies.setdefault(owner, {})[body.lang] = loaded_body
    content.media = {p.relative_to(root).as_posix() for p in found.media}
    for path, what in found.misplaced:
        report.add(
            SourceLocation(display_path(path)),
            "misplaced-file",
            "this file is not where Taawun looks",
            "{what}",
            what=what,
        )
    return content


T = TypeVar("T")
R = TypeVar("R")


def _map(fn: Callable[[T], R], items: list[T], jobs: int) -> Iterator[R]:
    """``map`` in order, in ``jobs`` forked workers when there is enough to do."""
    if not _parallel(jobs, len(items)):
        yield from map(fn, items)
        return
    chunk = max(64, len(items) // (jobs * 16))
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(fn, items, chunksize=chunk)


def _parallel(jobs: int, count: int) -> bool:
    return jobs > 1 and count >= PARALLEL_THRESHOLD and "fork" in _start_methods()


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


EntityTask = tuple[Path, str, str]  # (file, kind, file stem)
Parsed = tuple["Sourced[Any] | None", list[Problem]]


def _parse_entities(tasks: list[EntityTask], jobs: int) -> list[Parsed]:
    """Read and validate entity files, in file order.

    In parallel, the workers only parse the YAML (the costly part) and send back plain data,
    which the parent validates: validated models cost more to unpickle (their nested
    ``__setstate__`` calls) than to validate again, 1.9 s against 1.0 s at 10,000 products.
    """
    if not _parallel(jobs, len(tasks)):
        return [_parse_entity(task) for task in tasks]
    read = _map(_read_file, [path for path, _, _ in tasks], jobs)
    return [_validated(task, *result) for task, result in zip(tasks, read, strict=True)]


def _parse_entity(task: EntityTask) -> Parsed:
    """Parse and validate one entity file."""
    return _validated(task, *_read_file(task[0]))


def _read_file(path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    report = ErrorReport()
    doc = _read(path, report)
    return doc, list(report.problems)


def _validated(task: EntityTask, doc: YamlDocument | None, problems: list[Problem]) -> Parsed:
    path, kind, stem = task
    report = ErrorReport()
    report.extend(problems)
    loaded = None if doc is None else _validate_entity(doc, path, ENTITY_MODELS[kind], stem, report)
    if loaded is not None:
        loaded.doc.data = None  # validated: the model holds the facts; positions are re-read
    return loaded, list(report.problems)


def _read(path: Path, report: ErrorReport) -> YamlDocument | None:
    shown = display_path(path)
    raw = path.read_bytes()
    text, problem = decode_text(raw, shown)
    if problem:
        report.extend([problem])
        return None
    assert text is not None
    doc, problems = parse_yaml(text, shown, source=path)
    report.extend(problems)
    if doc is not None:
        doc.digest = file_digest(raw)
    return doc


def file_digest(raw: bytes) -> str:
    """A short digest of a file's bytes (not a security boundary: it only detects edits)."""
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


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
            "{file} must be a list of entries, each starting with `- id: …`",
            "see docs/content-format.md for an example",
            file=path.name,
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
                "the id `{id}` is used twice in {file}",
                "the first one is at line {line}; give each entry its own id",
                id=item_id,
                file=path.name,
                line=items[item_id].at("id").line,
            )
            continue
        items[item_id] = Sourced(item, doc, (index,))
    return items


def _validate_entity(
    doc: YamlDocument, path: Path, model: type[M], stem: str, report: ErrorReport
) -> Sourced[M] | None:
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
            "the id `{id}` does not match the file name `{file}`",
            "rename the file to `{id}.yaml` or change the id to `{stem}`",
            id=item_id,
            file=path.name,
            stem=stem,
        )
        return None
    return Sourced(item, doc)


def _body_owner(
    body: BodyFile,
    entity_paths: dict[Path, tuple[str, tuple[str, ...]]],
    languages: list[str],
    report: ErrorReport,
) -> tuple[str, tuple[str, ...]] | None:
    """The entity a Markdown text belongs to, or None (and a problem) if it belongs to none."""
    if body.lang not in languages:
        report.add(
            SourceLocation(display_path(body.path)),
            "unknown-language",
            "`{lang}` in the file name is not one of the site's languages",
            "name the file `<id>.<language>.md` with one of: {expected}",
            lang=body.lang,
            expected=", ".join(languages),
        )
        return None
    owner = entity_paths.get(body.stem_path)
    if owner is None or owner[0] not in BODY_KINDS:
        report.add(
            SourceLocation(display_path(body.path)),
            "orphan-body",
            "there is no `{file}` next to this text",
            "create `{file}` or rename this file after an existing one",
            file=body.stem_path.name,
        )
        return None
    return owner


def _read_bodies(paths: list[Path], jobs: int) -> list[tuple[Body | None, list[Problem]]]:
    return list(_map(_read_body, paths, jobs))


def _read_body(path: Path) -> tuple[Body | None, list[Problem]]:
    """Check that a text is readable UTF-8 and not empty; keep where it is and its digest."""
    shown = display_path(path)
    raw = path.read_bytes()
    text, problem = decode_text(raw, shown)
    if problem:
        return None, [problem]
    assert text is not None
    if not text.strip():
        return None, [
            Problem(
                SourceLocation(shown),
                "empty-file",
                "this text is empty",
                "write the text or delete the file",
            )
        ]
    return Body(os.path.abspath(path), file_digest(raw)), []
