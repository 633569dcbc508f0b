"""`taawun new course` and `taawun new lesson`: the academy's folders (docs/academy.md).

A course needs a module and a module needs a lesson, so a new course comes with its first module
and lesson. A new lesson goes into an existing module or a new one; it is added to the module's
`lessons` (and a new module to the course's `modules`) by editing only that list.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast, get_args

from pydantic import BaseModel

from ..academy import LISTING_FOLDERS
from ..models import Course, Lesson, Module
from ..models.academy import Audience
from . import NewError
from .context import Context
from .texts import text
from .yamltext import Doc, append_to_list, ident, q

LEVELS = ("beginner", "intermediate", "advanced")
NEW_MODULE = "+"  # the answer that makes a new module instead of choosing one
# Folders of a course's own pages (docs/academy.md): a lesson may not take their names.
COURSE_PAGES = frozenset({"modules", "attestation"})
LICENSE = "CC BY-SA 4.0"


def new_course(ctx: Context) -> Path:
    ctx.asker.say(ctx.t("intro.course"))
    academy = ctx.root / "academy"
    title = ctx.texts("q.course.title")

    def taken(value: str) -> str:
        if value in LISTING_FOLDERS:
            return ctx.t("check.id-reserved", id=value)
        if (value,) in ctx.content.entities["course"]:
            return ctx.t("check.id-used", id=value)
        return ctx.free(academy / value)

    course_id = ctx.new_id("q.id", title, taken)
    summary = ctx.texts("q.course.summary")
    audience = ctx.choose_labels("q.course.audience", "academy.audience.", get_args(Audience))
    level = ctx.choose_labels("q.course.level", "level.", LEVELS)
    outcome, outcome_notes = ctx.text_once("q.course.outcome")
    folder = academy / course_id
    module_id, module_yaml = _module(ctx, folder, set())
    lesson = _lesson(ctx, folder / module_id, set())

    doc = Doc()
    doc.comment(ctx.t("c.course.head", id=course_id), ctx.t("c.check", code=ctx.lang))
    doc.field("id", ident(course_id), ctx.t("c.id"))
    doc.texts("title", title)
    doc.texts("summary", summary)
    doc.field(
        "audience",
        f"[{audience}]",
        ctx.t("c.course.audience", values=", ".join(get_args(Audience))),
    )
    doc.field("level", level, ctx.t("c.course.level"))
    doc.field("languages", "[ar, fr]", ctx.t("c.course.languages"))
    doc.field("duration_min", str(lesson.minutes), ctx.t("c.course.duration"))
    doc.comment(ctx.t("c.course.outcomes"))
    doc.lines.append("outcomes:")
    for n, lang in enumerate(sorted(outcome, key=lambda lang: lang != "ar")):
        note = outcome_notes.get(lang, "")
        lead = "  - " if n == 0 else "    "  # one entry: a text in each language
        doc.lines.append(f"{lead}{lang}: {q(outcome[lang])}" + (f"  # {note}" if note else ""))
    doc.field("modules", f"[{ident(module_id)}]", ctx.t("c.course.modules"))
    doc.field("certificate", "{enabled: false}", ctx.t("c.course.certificate"))
    doc.field("license", q(LICENSE), ctx.t("c.course.license"))
    doc.field("version", "1", ctx.t("c.course.version"))
    doc.field("updated", ctx.today.isoformat(), ctx.t("c.course.updated"))
    doc.comment(ctx.t("c.course.image"))
    doc.example(f'image: {{src: media/academy/{course_id}.jpg, alt: {{ar: "…", fr: "…"}}}}')
    course_yaml = folder / "course.yaml"
    files = {course_yaml: doc.text(), **module_yaml(lesson.id), **lesson.files}
    ctx.write(files, {course_yaml: Course, module_yaml.path: Module, **lesson.models})
    return course_yaml


def new_lesson(ctx: Context) -> Path:
    ctx.asker.say(ctx.t("intro.lesson"))
    courses = ctx.entries("course", Course)
    if not courses:
        raise NewError(ctx.t("error.no-course"))
    options = [(key[0], course.title.resolve(ctx.lang)[0]) for key, course in courses.items()]
    course_id = cast(str, ctx.asker.choose(ctx.t("q.lesson.course"), options))
    course = courses[(course_id,)]
    folder = ctx.root / "academy" / course_id
    modules = ctx.entries("module", Module)
    choices = [
        (m, modules[(course_id, m)].title.resolve(ctx.lang)[0])
        for m in course.modules
        if (course_id, m) in modules
    ]
    choices.append((NEW_MODULE, ctx.t("q.lesson.new-module")))
    module_id = cast(str, ctx.asker.choose(ctx.t("q.lesson.module"), choices))
    new_module = None
    if module_id == NEW_MODULE:
        module_id, new_module = _module(ctx, folder, set(course.modules))
    used = {key[2] for key in ctx.content.entities["lesson"] if key[0] == course_id}
    used |= {
        lesson
        for key, module in modules.items()
        if key[0] == course_id
        for lesson in module.lessons
    }
    lesson = _lesson(ctx, folder / module_id, used)
    files = dict(lesson.files)
    models = dict(lesson.models)
    if new_module is not None:
        files.update(new_module(lesson.id))
        models[new_module.path] = Module
    ctx.write(files, models)
    if new_module is not None:
        append_to_list(folder / "course.yaml", "modules", module_id)
        ctx.edited.append(folder / "course.yaml")
    else:
        append_to_list(folder / module_id / "module.yaml", "lessons", lesson.id)
        ctx.edited.append(folder / module_id / "module.yaml")
    return lesson.path


class _Module:
    """A new module.yaml, once its first lesson's id is known."""

    def __init__(self, ctx: Context, folder: Path, title: dict[str, str], module_id: str) -> None:
        self.ctx, self.title, self.id = ctx, title, module_id
        self.path = folder / module_id / "module.yaml"

    def __call__(self, lesson_id: str) -> dict[Path, str]:
        doc = Doc()
        doc.comment(self.ctx.t("c.module.head", id=self.id))
        doc.field("id", ident(self.id), self.ctx.t("c.module.id"))
        doc.texts("title", self.title)
        doc.comment(self.ctx.t("c.module.summary"))
        doc.example('summary: {ar: "…", fr: "…"}')
        doc.field("lessons", f"[{ident(lesson_id)}]", self.ctx.t("c.module.lessons"))
        return {self.path: doc.text()}


def _module(ctx: Context, folder: Path, listed: set[str]) -> tuple[str, _Module]:
    title = ctx.texts("q.module.title")

    def taken(value: str) -> str:
        if value in listed:
            return ctx.t("check.id-used", id=value)
        return ctx.free(folder / value)

    module_id = ctx.new_id("q.module.id", title, taken)
    return module_id, _Module(ctx, folder, title, module_id)


class _Lesson:
    """A new lesson's files: its YAML file and its two texts."""

    def __init__(self, path: Path, minutes: int, files: dict[Path, str]) -> None:
        self.path, self.id, self.minutes, self.files = path, path.stem, minutes, files
        self.models: dict[Path, type[BaseModel]] = {path: Lesson}


def _lesson(ctx: Context, module_folder: Path, used: set[str]) -> _Lesson:
    title = ctx.texts("q.lesson.title")

    def taken(value: str) -> str:
        if value in COURSE_PAGES:
            return ctx.t("check.id-reserved", id=value)
        if value in used:
            return ctx.t("check.id-used", id=value)
        return ctx.free(module_folder / f"{value}.yaml")

    lesson_id = ctx.new_id("q.lesson.id", title, taken)
    minutes = ctx.ask(Lesson, "duration_min", "q.lesson.minutes", "hint.positive", default="10")
    doc = Doc()
    doc.comment(ctx.t("c.lesson.head", id=lesson_id), ctx.t("c.check", code=ctx.lang))
    doc.field("id", ident(lesson_id), ctx.t("c.lesson.id"))
    doc.texts("title", title)
    doc.field("type", "text", ctx.t("c.lesson.type"))
    doc.field("duration_min", str(minutes), ctx.t("c.lesson.minutes"))
    doc.comment(ctx.t("c.lesson.quiz"))
    doc.example(
        "quiz:",
        "  - id: q1",
        "    type: true_false",
        '    prompt: {ar: "…", fr: "…"}',
        "    options:",
        '      - {id: vrai, text: {ar: "صحيح", fr: "Vrai"}, correct: true}',
        '      - {id: faux, text: {ar: "خطأ", fr: "Faux"}}',
    )
    path = module_folder / f"{lesson_id}.yaml"
    files = {path: doc.text()}
    for lang in ("ar", "fr"):
        files[module_folder / f"{lesson_id}.{lang}.md"] = text(lang, "body.lesson") + "\n"
    return _Lesson(path, minutes, files)
