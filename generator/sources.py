"""Walk ``content/``: which file is which kind, and which language a Markdown body is in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .messages import N_, Msg

DATA_FILES = ("regions", "sectors", "categories", "labels", "funding", "sector_figures")
MEDIA_DIR = "media"
ENTITY_DIRS = ("cooperatives", "products", "projects", "academy", "pages")


@dataclass(frozen=True)
class EntityFile:
    kind: str  # cooperative | product | project | course | module | lesson | page
    path: Path
    key: tuple[str, ...]  # e.g. ("argan-tamanar",) or (course, module, lesson)


@dataclass(frozen=True)
class BodyFile:
    path: Path
    stem_path: Path  # the sibling YAML file this body belongs to
    lang: str


@dataclass
class Discovery:
    site_file: Path
    data_files: dict[str, Path] = field(default_factory=dict)
    entities: list[EntityFile] = field(default_factory=list)
    bodies: list[BodyFile] = field(default_factory=list)
    media: list[Path] = field(default_factory=list)
    misplaced: list[tuple[Path, Msg]] = field(default_factory=list)  # (file, what to do)


def _files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, sorted by path, hidden files and folders left out.

    ``os.walk`` with string paths: this visits every content file, and ``Path.rglob`` plus a
    ``stat`` per entry is several times slower on a site of 600,000 files.
    """
    if not folder.is_dir():
        return
    found: list[str] = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(top, f) for f in files if not f.startswith("."))
    for path in sorted(found, key=lambda p: p.split(os.sep)):  # the order Path sorting gives
        yield Path(path)


def discover(root: Path) -> Discovery:
    found = Discovery(site_file=root / "site.yaml")
    for name in DATA_FILES:
        path = root / "data" / f"{name}.yaml"
        if path.exists():
            found.data_files[name] = path
    for path in _files(root / "data"):
        if path.suffix != ".yaml" or path.stem not in DATA_FILES:
            files = ", ".join(f"{n}.yaml" for n in DATA_FILES)
            found.misplaced.append((path, Msg(N_("data/ holds only {files}"), {"files": files})))
    found.media.extend(_files(root / MEDIA_DIR))
    for top in ENTITY_DIRS:
        for path in _files(root / top):
            _classify(root, top, path, found)
    return found


def _classify(root: Path, top: str, path: Path, found: Discovery) -> None:
    rel = path.relative_to(root / top).parts
    if path.suffix == ".md":
        name = path.name[: -len(".md")]
        stem, dot, lang = name.rpartition(".")
        if not dot:
            hint = N_("name Markdown files `<id>.<language>.md`, like `{example}`")
            found.misplaced.append((path, Msg(hint, {"example": f"{name}.fr.md"})))
            return
        found.bodies.append(BodyFile(path, path.with_name(f"{stem}.yaml"), lang))
        return
    if path.suffix == ".yml":
        found.misplaced.append(
            (path, Msg(N_("rename it to `{file}`"), {"file": f"{path.stem}.yaml"}))
        )
        return
    if path.suffix != ".yaml":
        found.misplaced.append(
            (path, Msg(N_("only .yaml and .md files belong here; images go in media/")))
        )
        return
    expected = {
        "cooperatives": 1,
        "products": 2,
        "projects": 1,
        "pages": 1,
    }
    if top == "academy":
        if len(rel) == 2 and rel[1] == "course.yaml":
            found.entities.append(EntityFile("course", path, (rel[0],)))
        elif len(rel) == 3 and rel[2] == "module.yaml":
            found.entities.append(EntityFile("module", path, (rel[0], rel[1])))
        elif len(rel) == 3:
            found.entities.append(EntityFile("lesson", path, (rel[0], rel[1], path.stem)))
        else:
            found.misplaced.append(
                (
                    path,
                    Msg(
                        N_(
                            "the academy is laid out as <course>/course.yaml, "
                            "<course>/<module>/module.yaml and <course>/<module>/<lesson>.yaml"
                        )
                    ),
                )
            )
        return
    if len(rel) != expected[top]:
        where = "products/<cooperative-id>/<id>.yaml" if top == "products" else f"{top}/<id>.yaml"
        found.misplaced.append((path, Msg(N_("move it to {where}"), {"where": where})))
        return
    kind = {
        "cooperatives": "cooperative",
        "products": "product",
        "projects": "project",
        "pages": "page",
    }[top]
    key = (rel[0], path.stem) if top == "products" else (path.stem,)
    found.entities.append(EntityFile(kind, path, key))
