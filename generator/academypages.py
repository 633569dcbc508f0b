"""What the academy's pages show: the catalogue and its filters, a course, a lesson (text, audio
with transcripts, downloads, quiz) and the attestation page (docs/academy.md). academy.js reads
the data these pages carry (course, version, lesson hashes) and the strings under `academy.js.`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from . import academy, academy_files, i18n, jsonld
from .academy import Filter
from .site import CourseTree
from .urls import PageSpec

if TYPE_CHECKING:
    from .render import Renderer


def catalogue(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """The whole catalogue (kind "academy") or one filter of it ("academy_filter"), a page of
    `items_per_page` courses, with every filter and its count in the sidebar."""
    lang = spec.lang
    found = academy.filters(r.site)
    chosen = found[spec.key] if spec.kind == "academy_filter" else None
    trees = list(chosen.courses) if chosen else academy.catalogue(r.site)
    per = r.site.config.items_per_page
    start = (spec.page_no - 1) * per
    name = r.msg("nav.academy", lang)
    trail: list[tuple[str, str]] = [(name, r.plan.url("academy", "", lang))]
    heading = name
    if chosen is not None:
        heading = filter_heading(r, chosen, lang)
        trail.append((heading, spec.url))
    return {
        "courses": trees[start : start + per],
        "total": len(trees),
        "chosen": chosen,
        "groups": academy.facet_groups(found),
        "heading": heading,
        "page_no": spec.page_no,
        "page_count": spec.page_count,
        "audio_languages": academy.audio_languages,
        "breadcrumbs": r.crumb(spec, *trail),
    }


def filter_heading(r: Renderer, chosen: Filter, lang: str) -> str:
    if chosen.facet == "audio":
        return r.msg("academy.audio_heading", lang)
    facet = r.msg(f"academy.facet.{chosen.facet}", lang)
    return r.msg("academy.filter_heading", lang).format(
        facet=facet, value=r.msg(chosen.label_key, lang)
    )


def course(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    tree = r.site.courses[spec.key]
    lang = spec.lang
    return {
        "tree": tree,
        "course": tree.course,
        "first_lesson": tree.lessons[0] if tree.lessons else None,
        "hashes": academy.lesson_hashes(r.site, tree.course.id),
        "audio_langs": academy.audio_languages(tree),
        "attestation_url": _attestation_url(r, tree, lang),
        "strings": strings(r, lang),
        "breadcrumbs": r.crumb(
            spec,
            (r.msg("nav.academy", lang), r.plan.url("academy", "", lang)),
            (tree.course.title, spec.url),
        ),
        "jsonld": [jsonld.course(r.site, tree.course, lang, r.absolute(spec.url))],
    }


def lesson(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    site, lang = r.site, spec.lang
    course_id, lesson_id = spec.key.split("/")
    tree = site.courses[course_id]
    lessons = tree.lessons
    index = next(i for i, item in enumerate(lessons) if item.id == lesson_id)
    current = lessons[index]
    module_of = tree.module_of(lesson_id)
    tracks = []
    for track in current.audio:
        found = academy_files.link(site, track.src)
        tracks.append({"track": track, "link": found, "size": file_size(r, found.size, lang)})
    # A transcript in another language than the page's is that language's text of the lesson.
    transcripts = {
        track.transcript: r.body("lesson", spec.key, track.transcript)
        for track in current.audio
        if track.transcript and track.transcript != lang
    }
    downloads = []
    for download in current.downloads:
        found = academy_files.link(site, download.src)
        downloads.append({"item": download, "link": found, "size": file_size(r, found.size, lang)})
    return {
        "tree": tree,
        "course": tree.course,
        "module": tree.module_of(lesson_id),
        "lesson": current,
        "hash": academy.lesson_hash(site, course_id, current),
        "position": index + 1,
        "body": r.body("lesson", spec.key, lang),
        "tracks": tracks,
        "transcripts": transcripts,
        "downloads": downloads,
        "shown": {q.id: academy.shown_options(current.id, q) for q in current.quiz},
        "previous": lessons[index - 1] if index > 0 else None,
        "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        "attestation_url": _attestation_url(r, tree, lang),
        "strings": strings(r, lang),
        "breadcrumbs": r.crumb(
            spec,
            (r.msg("nav.academy", lang), r.plan.url("academy", "", lang)),
            (tree.course.title, r.plan.url("course", course_id, lang)),
            (module_of.title, r.plan.url("module", f"{course_id}/{module_of.id}", lang)),
            (current.title, spec.url),
        ),
    }


def module(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    """A module of a course: its lessons, and the modules before and after it."""
    course_id, module_id = spec.key.split("/")
    tree = r.site.courses[course_id]
    index = next(i for i, m in enumerate(tree.modules) if m.module.id == module_id)
    branch = tree.modules[index]
    return {
        "tree": tree,
        "course": tree.course,
        "branch": branch,
        "position": index + 1,
        "previous": tree.modules[index - 1] if index > 0 else None,
        "next": tree.modules[index + 1] if index + 1 < len(tree.modules) else None,
        "breadcrumbs": r.crumb(
            spec,
            (r.msg("nav.academy", spec.lang), r.plan.url("academy", "", spec.lang)),
            (tree.course.title, r.plan.url("course", course_id, spec.lang)),
            (branch.module.title, spec.url),
        ),
    }


def attestation(r: Renderer, spec: PageSpec) -> dict[str, Any]:
    tree = r.site.courses[spec.key]
    lang = spec.lang
    name = r.msg("attestation.title", lang)
    return {
        "tree": tree,
        "course": tree.course,
        "hashes": academy.lesson_hashes(r.site, tree.course.id),
        "course_url": r.absolute(r.plan.url("course", tree.course.id, lang)),
        "strings": strings(r, lang),
        "breadcrumbs": r.crumb(
            spec,
            (r.msg("nav.academy", lang), r.plan.url("academy", "", lang)),
            (tree.course.title, r.plan.url("course", tree.course.id, lang)),
            (name, spec.url),
        ),
    }


def strings(r: Renderer, lang: str) -> dict[str, str]:
    """The words academy.js writes (feedback, scores, progress), in the page's language."""
    messages = r.theme.messages
    prefix = "academy.js."
    return {
        key[len(prefix) :]: messages.resolve(key, lang)[0]
        for key in messages.keys_with_prefix(prefix)
    }


def file_size(r: Renderer, size: int, lang: str) -> str:
    """Kilobytes, rounded up (never "0 KB"), or megabytes with one decimal."""
    if size < 1024 * 1024:
        return r.msg("academy.kb", lang).format(n=i18n.number(math.ceil(size / 1024), lang))
    return r.msg("academy.mb", lang).format(n=i18n.number(round(size / 1024 / 1024, 1), lang))


def _attestation_url(r: Renderer, tree: CourseTree, lang: str) -> str:
    if not r.plan.has("attestation", tree.course.id):
        return ""
    return r.plan.url("attestation", tree.course.id, lang)
