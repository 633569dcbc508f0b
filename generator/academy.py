"""The academy's derived data: the catalogue and its pre-built filters, each lesson's content hash
(progress remembers the hash a lesson was done against), and the order quiz options are shown in.
Pure functions of the assembled Site; the views (render.py) and fingerprints (deps.py) share them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

from .models import Lesson, Question
from .models.academy import Audience, Option
from .site import CourseTree, Site

FACETS = ("audience", "level", "language", "audio")
# The catalogue's folders under academy/ (its filters and its pages), beside the courses': they
# hold listings, not entity pages (search.py leaves them out of the index).
LISTING_FOLDERS = frozenset({*FACETS, "page"})
AUDIENCES: tuple[str, ...] = get_args(Audience)
LEVELS = ("beginner", "intermediate", "advanced")
# Text languages first, then the spoken-only ones (audio in Darija and the Amazigh languages).
LANGUAGE_ORDER = ("ar", "fr", "zgh", "en", "ary", "shi", "tzm", "rif")
HASH_LENGTH = 12


@dataclass(frozen=True)
class Filter:
    """One pre-built catalogue filter: the courses with one audience, level, language, or audio."""

    key: (
        str  # the page key and its path under academy/: "audience/women", "level/beginner", "audio"
    )
    facet: str
    value: str  # the content's value ("cooperative_managers", "ary"); "" for audio
    courses: tuple[CourseTree, ...]

    @property
    def label_key(self) -> str:
        """The UI string that names the value in the page's language."""
        return {
            "audience": f"academy.audience.{self.value}",
            "level": f"level.{self.value}",
            "language": f"academy.lang.{self.value}",
            "audio": "academy.with_audio",
        }[self.facet]


def catalogue(site: Site) -> list[CourseTree]:
    """Every course, most recently updated first (then by id, so the order is stable)."""
    return sorted(site.courses.values(), key=lambda t: (-t.course.updated.toordinal(), t.course.id))


def audio_languages(tree: CourseTree) -> list[str]:
    """The languages any lesson of the course can be listened to in."""
    found = {track.lang for lesson in tree.lessons for track in lesson.audio}
    return [lang for lang in LANGUAGE_ORDER if lang in found]


def course_languages(tree: CourseTree) -> list[str]:
    """The languages a course can be followed in: its text languages and its audio languages."""
    found = set(tree.course.languages) | set(audio_languages(tree))
    return [lang for lang in LANGUAGE_ORDER if lang in found]


def filters(site: Site) -> dict[str, Filter]:
    """Every filter that has at least one course, facet by facet, in a fixed order of values."""
    ordered = catalogue(site)
    found: dict[str, Filter] = {}

    def collect(
        facet: str, values: tuple[str, ...], has: Callable[[CourseTree, str], bool]
    ) -> None:
        for value in values:
            trees = tuple(tree for tree in ordered if has(tree, value))
            if trees:
                key = facet if facet == "audio" else f"{facet}/{value.replace('_', '-')}"
                found[key] = Filter(key, facet, value, trees)

    collect("audience", AUDIENCES, lambda tree, v: v in tree.course.audience)
    collect("level", LEVELS, lambda tree, v: tree.course.level == v)
    collect("language", LANGUAGE_ORDER, lambda tree, v: v in course_languages(tree))
    collect("audio", ("",), lambda tree, _: bool(audio_languages(tree)))
    return found


def facet_groups(found: dict[str, Filter]) -> list[tuple[str, list[Filter]]]:
    """The filters grouped by facet, for the catalogue's sidebar (facets without courses left out)."""
    groups = [(facet, [f for f in found.values() if f.facet == facet]) for facet in FACETS]
    return [(facet, items) for facet, items in groups if items]


def lesson_hash(site: Site, course_id: str, lesson: Lesson) -> str:
    """Changes exactly when the lesson's content does: its facts and quiz (as parsed, so a comment
    or re-indented YAML does not count) and its text in any language. A learner's progress keeps
    the hash it was done against; a different one marks the lesson "updated" in their browser."""
    bodies = site.bodies.get(("lesson", f"{course_id}/{lesson.id}"), {})
    parts = [
        lesson.model_dump_json(),
        *(f"{lang}={bodies[lang].digest}" for lang in sorted(bodies)),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:HASH_LENGTH]


def lesson_hashes(site: Site, course_id: str) -> dict[str, str]:
    tree = site.courses[course_id]
    return {lesson.id: lesson_hash(site, course_id, lesson) for lesson in tree.lessons}


def shown_options(lesson_id: str, question: Question) -> list[Option]:
    """The options in the order the page shows them. Authors tend to write the right answer
    first, and an ordering question in its right order, so choices and ordering items are mixed,
    always the same way for a given question (a rebuild must give the same page). An ordering
    question is never shown already in order. True/false keeps its written order."""
    if question.type == "true_false":
        return list(question.options)

    def rank(option: Option) -> str:
        seed = f"{lesson_id}/{question.id}/{option.id}".encode()
        return hashlib.blake2b(seed, digest_size=8).hexdigest()

    mixed = sorted(question.options, key=rank)
    if question.type == "order" and mixed == list(question.options):
        mixed = mixed[1:] + mixed[:1]
    return mixed
