"""An imported course as academy files: course.yaml, one folder per module, one YAML and two
Markdown files per lesson (docs/content-format.md).

The files are written as an author would write them, with comments. What the source could not
say is written as a clearly marked value: every such line carries `# REVIEW:` and says what to
decide, so `grep -rn REVIEW content/academy/<id>` lists what is left to do. A text needed in the
other language (`ar` and `fr` are both required) is the source text, marked to be translated; a
lesson's text in the other language is a short note, in that language, that links to the
original.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from .mdpage import STUDY_WORDS_PER_MINUTE

LANGUAGE_NAMES = {"fr": "French", "ar": "Arabic"}
AUDIENCES = "cooperative_managers, members, project_holders, job_seekers, women, youth"
# The lesson text in the language the course was not written in: a note that links to the original.
UNTRANSLATED = {
    "ar": "هذا الدرس غير مترجم إلى العربية بعد. [اقرأه بالفرنسية]({url}).",
    "fr": "Cette leçon n'est pas encore traduite en français. [La lire en arabe]({url}).",
}
LICENSE_UNKNOWN = {"fr": "REVIEW: licence à préciser", "ar": "REVIEW: الترخيص غير محدد"}


@dataclass
class LessonPlan:
    id: str
    title: str
    source: str  # its page in the MkDocs docs folder
    body: str  # the Markdown text, in the course's language
    words: int
    minutes: int
    downloads: list[tuple[str, str]] = field(default_factory=list)  # (media path, link text)


@dataclass
class ModulePlan:
    id: str
    title: str
    review: str = ""  # why its title needs a look ("" when the nav named it)
    lessons: list[LessonPlan] = field(default_factory=list)


@dataclass
class CoursePlan:
    id: str
    lang: str  # "fr" or "ar": the language the pages are written in
    title: str
    summary: str
    summary_review: str  # "" when the summary came from the project itself
    license: str | None  # None when mkdocs.yml names no licence
    outcomes: list[str]
    outcomes_from: str  # "module titles" or "lesson titles"
    modules: list[ModulePlan]
    updated: date

    @property
    def other(self) -> str:
        return "ar" if self.lang == "fr" else "fr"

    @property
    def lessons(self) -> list[LessonPlan]:
        return [lesson for module in self.modules for lesson in module.lessons]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def ident(slug: str) -> str:
    """An id as written: bare, unless YAML would read it as something else (`no`, `2024`)."""
    return slug if yaml.safe_load(slug) == slug else q(slug)


def write(plan: CoursePlan, course_dir: Path) -> list[str]:
    """Write the course into ``course_dir``; return what the author must review, in words."""
    course_dir.mkdir(parents=True)
    (course_dir / "course.yaml").write_text(course_yaml(plan), encoding="utf-8")
    for module in plan.modules:
        folder = course_dir / module.id
        folder.mkdir()
        (folder / "module.yaml").write_text(module_yaml(plan, module), encoding="utf-8")
        for lesson in module.lessons:
            (folder / f"{lesson.id}.yaml").write_text(lesson_yaml(plan, lesson), encoding="utf-8")
            (folder / f"{lesson.id}.{plan.lang}.md").write_text(lesson.body, encoding="utf-8")
            note = UNTRANSLATED[plan.other].format(
                url=f"../../../../{plan.lang}/academy/{plan.id}/{lesson.id}/"
            )
            (folder / f"{lesson.id}.{plan.other}.md").write_text(note + "\n", encoding="utf-8")
    return review(plan)


def review(plan: CoursePlan) -> list[str]:
    language, other = LANGUAGE_NAMES[plan.lang], LANGUAGE_NAMES[plan.other]
    items = [
        "course.yaml: `audience` and `level` are defaults; say who the course is for",
        f"course.yaml: `outcomes` are the {plan.outcomes_from}; say what a learner can do after it",
        "course.yaml: `certificate` is off, as no lesson has a quiz; add quizzes to turn it on",
    ]
    if plan.license is None:
        items.append("course.yaml: `license` is unknown (mkdocs.yml's `copyright` names none)")
    if plan.summary_review:
        items.append(f"course.yaml: `summary` {plan.summary_review}")
    items += [f"{m.id}/module.yaml: the title {m.review}" for m in plan.modules if m.review]
    items.append(
        f"{other}: every title is the {language} one, to translate; each lesson's "
        f"`.{plan.other}.md` is a note that links to the {language} text"
    )
    return items


def course_yaml(plan: CoursePlan) -> str:
    lines = [
        "# Imported from MkDocs by `taawun import mkdocs`. Lines marked REVIEW need a decision.",
        f"id: {ident(plan.id)}",
        *_text("title", plan.title, plan),
        *_text("summary", plan.summary, plan, plan.summary_review),
        f"audience: [members]  # REVIEW: a default; any of {AUDIENCES}",
        "level: beginner  # REVIEW: a default; beginner, intermediate or advanced",
        f"languages: [{plan.lang}]",
        f"duration_min: {sum(lesson.minutes for lesson in plan.lessons)}"
        f"  # estimated: the lessons' words at {STUDY_WORDS_PER_MINUTE} a minute",
        f"outcomes:  # REVIEW: the {plan.outcomes_from}; rewrite as what a learner can do afterwards",
    ]
    for outcome in plan.outcomes:
        first, *rest = _pair(outcome, plan)
        lines += [f"  - {first}", *(f"    {line}" for line in rest)]
    lines += [
        f"modules: [{', '.join(ident(m.id) for m in plan.modules)}]",
        "certificate: {enabled: false}  # REVIEW: no quiz was imported; add quizzes, then enable",
        f"license: {q(plan.license or LICENSE_UNKNOWN[plan.lang])}"
        + ("" if plan.license else "  # REVIEW: the licence the texts are published under"),
        "version: 1",
        f"updated: {plan.updated.isoformat()}",
    ]
    return "\n".join(lines) + "\n"


def module_yaml(plan: CoursePlan, module: ModulePlan) -> str:
    lines = [
        f"id: {ident(module.id)}",
        *_text("title", module.title, plan, module.review),
        f"lessons: [{', '.join(ident(lesson.id) for lesson in module.lessons)}]",
    ]
    return "\n".join(lines) + "\n"


def lesson_yaml(plan: CoursePlan, lesson: LessonPlan) -> str:
    lines = [
        f"# Imported from {lesson.source}. REVIEW: {lesson.id}.{plan.other}.md only links to the "
        f"{LANGUAGE_NAMES[plan.lang]} text; translate it.",
        f"id: {ident(lesson.id)}",
        *_text("title", lesson.title, plan),
        "type: text",
        f"duration_min: {lesson.minutes}  # estimated: {lesson.words} words at "
        f"{STUDY_WORDS_PER_MINUTE} a minute",
    ]
    if lesson.downloads:
        lines.append("downloads:")
        for src, title in lesson.downloads:
            lines += [f"  - src: {q(src)}", *_text("title", title, plan, indent="    ")]
    return "\n".join(lines) + "\n"


def _text(key: str, text: str, plan: CoursePlan, why: str = "", indent: str = "") -> list[str]:
    """A `{ar, fr}` map: the source text, and the same text marked to be translated."""
    first, second = _pair(text, plan)
    if why:
        first += f"  # REVIEW: {why}"
    return [f"{indent}{key}:", f"{indent}  {first}", f"{indent}  {second}"]


def _pair(text: str, plan: CoursePlan) -> tuple[str, str]:
    language = LANGUAGE_NAMES[plan.lang]
    return (
        f"{plan.lang}: {q(text)}",
        f"{plan.other}: {q(text)}  # REVIEW: the {language} text; translate it",
    )
