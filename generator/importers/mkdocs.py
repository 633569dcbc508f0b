"""`taawun import mkdocs PATH/mkdocs.yml --course ID`: an MkDocs course → an academy course.

mkdocs.yml is read by MkDocs itself (mkdocs_config.py). Top-level nav sections become modules;
their pages, at any depth, become lessons. Each run of pages outside any section forms a module
of its own. Without a nav, the docs folder's pages are taken in MkDocs' order, one module per
folder.

The course is written into a hidden staging folder and moved into place when complete, so a
failed import leaves nothing behind (the command, importers/cli.py, then runs `taawun check`).
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..academy_files import DOWNLOAD_SUFFIXES
from ..models.common import SLUG_RE
from . import UsageError, coursefiles
from .coursefiles import CoursePlan, LessonPlan, ModulePlan
from .mdpage import SCHEME, Links, Media, convert, detect_language, first_paragraph
from .mkdocs_config import Project, load_project
from .naming import Ids, slugify

MAX_OUTCOMES = 6
LICENSES = re.compile(
    r"\b(CC[ -]BY(?:[ -](?:NC|SA|ND))*(?:[ -]\d\.\d)?|CC0(?:[ -]1\.0)?|Licence Ouverte(?: \d\.\d)?|"
    r"GFDL(?:[ -]\d\.\d)?|MIT)\b",
    re.I,
)


@dataclass
class Imported:
    course_dir: Path
    plan: CoursePlan
    media: dict[str, str]  # docs path → path under content/
    notes: list[str]  # what the conversion could not carry over exactly
    review: list[str]  # what the author must decide (marked REVIEW in the files)


def import_mkdocs(
    config_file: Path,
    course_id: str,
    content: Path,
    lang: str | None = None,
    force: bool = False,
    today: date | None = None,
) -> Imported:
    """Write the MkDocs project as the academy course ``course_id`` of ``content``."""
    if not SLUG_RE.match(course_id):
        raise UsageError(
            f"`{course_id}` is not a valid course id: use lower-case letters a-z, digits and "
            "single hyphens, like `tenir-les-comptes`"
        )
    if not (content / "site.yaml").is_file():
        raise UsageError(f"{content} is not a content folder (it has no site.yaml)")
    course_dir = content / "academy" / course_id
    media_dir = content / "media" / "academy" / course_id
    existing = [path for path in (course_dir, media_dir) if path.exists()]
    if existing and not force:
        raise UsageError(
            f"{existing[0]} already exists: choose another --course id, or pass --force to "
            "replace that course"
        )
    project = load_project(config_file)
    plan, media, notes = _plan(project, course_id, lang, today or date.today())
    staging = [course_dir.with_name(f".{course_id}.importing")]
    staging.append(media_dir.with_name(f".{course_id}.importing"))
    for folder in staging:
        shutil.rmtree(folder, ignore_errors=True)
    try:
        review = coursefiles.write(plan, staging[0])
        for uri, target in media.items():
            copy = staging[1] / target.removeprefix(f"media/academy/{course_id}/")
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(project.docs_dir / uri, copy)
        for final, ready in zip((course_dir, media_dir), staging, strict=True):
            shutil.rmtree(final, ignore_errors=True)
            if ready.exists():
                ready.parent.mkdir(parents=True, exist_ok=True)
                ready.rename(final)
    finally:
        for folder in staging:
            shutil.rmtree(folder, ignore_errors=True)
    return Imported(course_dir, plan, media, project.notes + notes, review)


# -- the outline: nav sections → modules, pages → lessons -----------------------------------------


@dataclass
class _Section:
    title: str | None  # None: pages outside any section
    pages: list[tuple[str | None, str]] = field(default_factory=list)  # (nav title, docs path)


def _outline(project: Project, notes: list[str]) -> list[_Section]:
    from mkdocs.utils import dirname_to_title

    if project.nav is None:
        return _walk(_nest(project.nav_pages, dirname_to_title), notes)
    return _walk(project.nav, notes)


def _nest(paths: list[str], title: Callable[[str], str]) -> list[Any]:
    """MkDocs' nav when mkdocs.yml has none: one section per folder (``mkdocs.utils.nest_paths``,
    which is untyped)."""
    nested: list[Any] = []
    for path in paths:
        branch = nested
        for part in posixpath.dirname(path).split("/") if "/" in path else []:
            name = title(part)
            found = next((b for b in branch if isinstance(b, dict) and name in b), None)
            if found is None:
                found = {name: []}
                branch.append(found)
            branch = found[name]
        branch.append(path)
    return nested


def _walk(items: list[Any], notes: list[str]) -> list[_Section]:
    sections: list[_Section] = []
    loose: _Section | None = None
    for item in items:
        title, value = _entry(item)
        if isinstance(value, list):
            sections.append(_Section(title, list(_pages(value, title or "", notes))))
            loose = None
        elif isinstance(value, str) and not SCHEME.match(value):
            if loose is None:
                loose = _Section(None)
                sections.append(loose)
            loose.pages.append((title, value))
        else:
            notes.append(f"nav: `{title or value}` ({value}) is not a page of the course: left out")
    return sections


def _pages(items: list[Any], section: str, notes: list[str]) -> Iterator[tuple[str | None, str]]:
    for item in items:
        title, value = _entry(item)
        if isinstance(value, list):
            notes.append(
                f"nav: the subsection `{title}` of `{section}` is part of that module "
                "(modules have no subsections)"
            )
            yield from _pages(value, section, notes)
        elif isinstance(value, str) and not SCHEME.match(value):
            yield title, value
        else:
            notes.append(f"nav: `{title or value}` ({value}) is not a page of the course: left out")


def _entry(item: Any) -> tuple[str | None, Any]:
    if isinstance(item, dict) and len(item) == 1:
        ((title, value),) = item.items()
        return str(title), value
    return None, item


# -- the plan -------------------------------------------------------------------------------------


def _plan(
    project: Project, course_id: str, lang: str | None, today: date
) -> tuple[CoursePlan, dict[str, str], list[str]]:
    notes: list[str] = []
    sections = _outline(project, notes)
    texts = _read(project, sections, notes)
    language = _language(project, lang, texts)
    lessons = _name_lessons(project, sections, texts, language, notes)
    known = set(project.pages)
    media = Media(project.docs_dir, f"media/academy/{course_id}")
    ids = {uri: lesson_id for uri, (_, lesson_id) in lessons.items()}
    module_ids = Ids()
    modules: list[ModulePlan] = []
    only_loose = all(section.title is None for section in sections)
    for section in sections:
        if not section.pages:
            continue
        planned = []
        for _, uri in section.pages:
            links = Links(uri, ids, known, media)
            page = convert(texts[uri], links, language)
            notes += links.notes
            name, lesson_id = lessons[uri]
            downloads = _downloads(page.body, media)
            planned.append(
                LessonPlan(lesson_id, name, uri, page.body, page.words, page.minutes, downloads)
            )
        title, why = section.title or planned[0].title, ""
        if section.title is None:
            why = "is its first lesson's (pages outside any nav section)"
            if only_loose:
                title, why = project.site_name, "is the course's (its pages are in no nav section)"
        module_id = module_ids.make(slugify(title), fallback=f"module-{len(modules) + 1}")
        modules.append(ModulePlan(module_id, title, why, planned))
    if not modules:
        raise UsageError(f"{project.config_file}: no page with text to import")
    summary, summary_review = _summary(project, texts, modules, language)
    # Placeholders for what a learner can do afterwards: the titles of the nav's sections.
    outcomes = [module.title for module in modules if not module.review]
    outcomes_from = "module titles"
    if not outcomes:
        outcomes = [lesson.title for module in modules for lesson in module.lessons][:MAX_OUTCOMES]
        outcomes_from = "lesson titles"
    plan = CoursePlan(
        id=course_id,
        lang=language,
        title=project.site_name,
        summary=summary,
        summary_review=summary_review,
        license=_license(project.copyright),
        outcomes=outcomes[:MAX_OUTCOMES],
        outcomes_from=outcomes_from,
        modules=modules,
        updated=today,
    )
    return plan, media.copies, notes


def _read(project: Project, sections: list[_Section], notes: list[str]) -> dict[str, str]:
    """The text of every page the nav lists, once each; pages that do not exist are left out."""
    known = set(project.pages)
    texts: dict[str, str] = {}
    for section in sections:
        kept = []
        for nav_title, path in section.pages:
            uri = posixpath.normpath(path.lstrip("/"))
            if uri not in known:
                notes.append(f"nav: `{path}` is not a page in {project.docs_dir}: left out")
            elif uri in texts:
                notes.append(f"nav: `{path}` is listed twice: imported once")
            else:
                texts[uri] = (project.docs_dir / uri).read_text(encoding="utf-8-sig")
                kept.append((nav_title, uri))
        section.pages = kept
    return texts


def _name_lessons(
    project: Project,
    sections: list[_Section],
    texts: dict[str, str],
    language: str,
    notes: list[str],
) -> dict[str, tuple[str, str]]:
    """Each page's lesson title and id (before any text is converted: a page links to lessons
    that come after it). A page with nothing but its title is left out."""
    ids = Ids(reserved={"module"})  # `module.yaml` is the module's own file
    named: dict[str, tuple[str, str]] = {}
    for section in sections:
        kept = []
        for nav_title, uri in section.pages:
            page = convert(texts[uri], Links(uri, {}, set(), Media(project.docs_dir, "")), language)
            if not page.body:
                notes.append(f"{uri}: no text besides its title: left out")
                continue
            title = nav_title or page.title or _file_title(uri, project)
            stem = posixpath.splitext(posixpath.basename(uri))[0]
            named[uri] = (title, ids.make(slugify(title), slugify(stem), fallback="lecon"))
            kept.append((nav_title, uri))
        section.pages = kept
    return named


def _language(project: Project, lang: str | None, texts: dict[str, str]) -> str:
    if lang:
        return lang
    written = re.split(r"[-_]", project.language)[0].lower()
    if written in ("fr", "ar"):
        return written
    if written:
        raise UsageError(
            f"mkdocs.yml says the pages are in `{project.language}`; academy courses are in "
            "French or Arabic: pass --lang fr or --lang ar to say which the pages are in"
        )
    return detect_language(list(texts.values()))


def _file_title(uri: str, project: Project) -> str:
    """A title from the file name, as MkDocs makes one (`livre-caisse.md` → `Livre caisse`)."""
    from mkdocs.utils import dirname_to_title

    folder, name = posixpath.split(uri)
    stem = posixpath.splitext(name)[0]
    if stem.lower() in ("index", "readme"):
        return dirname_to_title(posixpath.basename(folder)) if folder else project.site_name
    return dirname_to_title(stem)


def _summary(
    project: Project, texts: dict[str, str], modules: list[ModulePlan], language: str
) -> tuple[str, str]:
    """mkdocs.yml's `site_description`, else the first paragraph of the home page."""
    if project.description.strip():
        return " ".join(project.description.split()), ""
    for home in ("index.md", "README.md"):
        path = project.docs_dir / home
        if home in project.pages and path.is_file():
            text = texts.get(home) or path.read_text(encoding="utf-8-sig")
            page = convert(text, Links(home, {}, set(), Media(project.docs_dir, "")), language)
            found = first_paragraph(page.body)
            if found:
                return found, ""
    first = first_paragraph(modules[0].lessons[0].body)
    if first:
        return first, "is the first paragraph of the first lesson; write one sentence"
    return project.site_name, "is the course's title; write one sentence that sums it up"


def _license(copyright: str) -> str | None:
    """The licence mkdocs.yml's `copyright` names, written the usual way (`CC BY-SA 4.0`)."""
    match = LICENSES.search(copyright)
    if match is None:
        return None
    words = re.split(r"[ -]+", match.group(1))
    if words[0].upper() != "CC" or len(words) < 2:
        return " ".join(words)
    version = [w for w in words[2:] if w[0].isdigit()]
    terms = "".join(f"-{w.upper()}" for w in words[2:] if not w[0].isdigit())
    return f"CC BY{terms}" + (f" {version[0]}" if version else "")


def _downloads(body: str, media: Media) -> list[tuple[str, str]]:
    """The files a lesson links to that a learner can download, with their link text."""
    found: list[tuple[str, str]] = []
    for target in dict.fromkeys(media.copies.values()):
        if posixpath.splitext(target)[1].lower() not in DOWNLOAD_SUFFIXES:
            continue
        match = re.search(rf"(?<!!)\[([^\]]+)\]\({re.escape(target)}", body)
        if match:
            found.append((target, re.sub(r"[*_`]", "", match.group(1)).strip() or target))
    return found
