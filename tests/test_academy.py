"""The academy's built pages, read as HTML: every course, module and lesson in each language, the
catalogue's pre-built filters, quizzes that work without JavaScript, audio with transcripts,
downloads, lesson content hashes, and the checks on lesson files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

from generator import academy
from generator.build import BuildResult, build, check
from generator.models import Question
from generator.site import CourseTree, Site
from generator.urls import entity_languages

from .conftest import SAMPLE_CONTENT

LessonCheck = Callable[[CourseTree], bool]


def read(output: Path, url: str) -> HTMLParser:
    return HTMLParser((output / url.strip("/") / "index.html").read_text(encoding="utf-8"))


def site_of(sample_build: tuple[BuildResult, Path]) -> tuple[Site, Path]:
    result, output = sample_build
    assert result.site is not None
    return result.site, output


def test_the_sample_academy_has_every_quiz_type_audio_and_a_download(
    sample_build: tuple[BuildResult, Path],
) -> None:
    site, _ = site_of(sample_build)
    lessons = [lesson for tree in site.courses.values() for lesson in tree.lessons]
    types = {question.type for lesson in lessons for question in lesson.quiz}
    assert types == {"single", "multi", "true_false", "order"}
    tracks = [track for lesson in lessons for track in lesson.audio]
    assert any(track.transcript for track in tracks)
    assert any(not track.transcript for track in tracks)
    assert any(lesson.downloads for lesson in lessons)
    assert any(not lesson.quiz for lesson in lessons)  # done by a button, not a quiz


def test_every_course_module_and_lesson_page_exists_in_each_language(
    sample_build: tuple[BuildResult, Path],
) -> None:
    site, output = site_of(sample_build)
    for course_id, tree in site.courses.items():
        for lang in entity_languages(site, tree.course.title):
            page = read(output, f"{lang}/academy/{course_id}/")
            assert page.css_first("html").attributes["lang"] == lang
            for n, module in enumerate(tree.modules, start=1):
                heading = page.css_first(f"#h-m-{module.module.id}")
                assert heading is not None, (lang, course_id, module.module.id)
                assert module.module.title.resolve(lang)[0] in heading.text()
                outline = [li.attributes["data-lesson"] for li in heading.parent.css("li")]  # type: ignore[union-attr]
                assert outline == [lesson.id for lesson in module.lessons]
                assert str(n) in heading.text()
            assert (output / lang / "academy" / course_id / "attestation" / "index.html").is_file()
        for lesson in tree.lessons:
            for lang in entity_languages(site, lesson.title):
                page = read(output, f"{lang}/academy/{course_id}/{lesson.id}/")
                assert page.css_first("h1").text() == lesson.title.resolve(lang)[0]
                article = page.css_first("article.lesson")
                assert article.attributes["data-lesson"] == lesson.id
                assert article.attributes["data-version"] == str(tree.course.version)


def test_lesson_hashes_match_between_the_course_and_its_lessons(
    sample_build: tuple[BuildResult, Path],
) -> None:
    site, output = site_of(sample_build)
    for course_id, tree in site.courses.items():
        hashes = academy.lesson_hashes(site, course_id)
        for lang in ("ar", "fr"):
            outline = read(output, f"{lang}/academy/{course_id}/")
            shown = {
                li.attributes["data-lesson"]: li.attributes["data-hash"]
                for li in outline.css("li[data-lesson]")
            }
            assert shown == hashes
            for lesson in tree.lessons:
                page = read(output, f"{lang}/academy/{course_id}/{lesson.id}/")
                assert page.css_first("article.lesson").attributes["data-hash"] == hashes[lesson.id]
    assert len({h for c in site.courses for h in academy.lesson_hashes(site, c).values()}) == sum(
        len(tree.lessons) for tree in site.courses.values()
    )


def test_a_lesson_hash_changes_with_its_content_only(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    folder = content / "academy" / "tenir-la-caisse" / "cahier-de-caisse"

    def hashes() -> dict[str, str]:
        result = check(content)
        assert result.site is not None and not result.report.has_errors
        return academy.lesson_hashes(result.site, "tenir-la-caisse")

    before = hashes()
    quiz = folder / "solde-du-mois.yaml"
    quiz.write_text("# a comment changes nothing\n" + quiz.read_text(encoding="utf-8"), "utf-8")
    assert hashes() == before
    text = folder / "ranger-les-pieces.ar.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nسطر جديد.\n", "utf-8")
    after = hashes()
    assert after["ranger-les-pieces"] != before["ranger-les-pieces"]
    assert {k: v for k, v in after.items() if k != "ranger-les-pieces"} == {
        k: v for k, v in before.items() if k != "ranger-les-pieces"
    }
    edited = quiz.read_text(encoding="utf-8").replace("Le total des entrées du mois", "Les entrées")
    quiz.write_text(edited, "utf-8")
    assert hashes()["solde-du-mois"] != before["solde-du-mois"]


# -- quizzes without JavaScript ------------------------------------------------------------------


def test_every_quiz_reveals_its_right_answers_without_javascript(
    sample_build: tuple[BuildResult, Path],
) -> None:
    site, output = site_of(sample_build)
    questions = 0
    for course_id, tree in site.courses.items():
        for lesson in tree.lessons:
            for lang in ("ar", "fr"):
                page = read(output, f"{lang}/academy/{course_id}/{lesson.id}/")
                if not lesson.quiz:
                    assert page.css_first(".quiz") is None
                    assert "hidden" in page.css_first(".mark-done").attributes
                    continue
                for question in lesson.quiz:
                    questions += 1
                    fs = page.css_first(f"fieldset#q-{question.id}")
                    assert fs.attributes["data-type"] == question.type
                    # the check button is for JavaScript only: hidden in the markup
                    assert "hidden" in fs.css_first(".check-row").attributes
                    answer = fs.css_first("details.answer")
                    assert answer is not None and answer.css_first("summary") is not None
                    written = [option.id for option in question.options]
                    if question.type == "order":
                        revealed = [li.attributes["data-o"] for li in answer.css("ol > li")]
                        assert revealed == written
                        shown = [li.attributes["data-o"] for li in fs.css(".order-options > li")]
                        assert sorted(shown) == sorted(written) and shown != written
                        assert all("hidden" in m.attributes for m in fs.css(".moves"))
                        continue
                    right = {o.id for o in question.options if o.correct}
                    assert {li.attributes["data-o"] for li in answer.css("li.right")} == right
                    assert {li.attributes["data-o"] for li in answer.css("li.wrong")} == set(
                        written
                    ) - right
                    inputs = fs.css(".options input")
                    kind = "checkbox" if question.type == "multi" else "radio"
                    assert [i.attributes["type"] for i in inputs] == [kind] * len(written)
                    assert sorted(i.attributes["value"] for i in inputs) == sorted(written)
                    for option in question.options:
                        if option.feedback:
                            item = answer.css_first(f'li[data-o="{option.id}"] .fb')
                            assert (
                                item is not None and option.feedback.resolve(lang)[0] in item.text()
                            )
                    if question.type == "true_false":
                        assert [i.attributes["value"] for i in inputs] == written
    assert questions > 20


def test_options_are_mixed_the_same_way_every_time(sample_build: tuple[BuildResult, Path]) -> None:
    site, _ = site_of(sample_build)
    firsts = []
    for tree in site.courses.values():
        for lesson in tree.lessons:
            for question in lesson.quiz:
                shown = academy.shown_options(lesson.id, question)
                assert shown == academy.shown_options(lesson.id, question)
                if question.type == "single":
                    firsts.append(next(o.correct for o in shown[:1]))
    assert not all(firsts)  # the right answer is not always first


# -- the catalogue and its filters ---------------------------------------------------------------

FILTER_RULES: dict[str, Callable[[CourseTree, str], bool]] = {
    "audience": lambda tree, v: v in tree.course.audience,
    "level": lambda tree, v: tree.course.level == v,
    "language": lambda tree, v: (
        v in tree.course.languages
        or any(track.lang == v for lesson in tree.lessons for track in lesson.audio)
    ),
    "audio": lambda tree, _: any(lesson.audio for lesson in tree.lessons),
}


def expected_filters(site: Site) -> dict[str, set[str]]:
    """Every filter page that must exist and its courses, computed from the content alone."""
    values = {
        "audience": {a for tree in site.courses.values() for a in tree.course.audience},
        "level": {tree.course.level for tree in site.courses.values()},
        "language": {"ar", "fr", "zgh", "en", "ary", "shi", "tzm", "rif"},
        "audio": {""},
    }
    found = {}
    for facet, candidates in values.items():
        for value in candidates:
            courses = {c for c, tree in site.courses.items() if FILTER_RULES[facet](tree, value)}
            if courses:
                key = facet if facet == "audio" else f"{facet}/{value.replace('_', '-')}"
                found[key] = courses
    return found


def listed_courses(page: HTMLParser) -> list[str]:
    return [
        a.attributes["href"].strip("/").rsplit("/", 1)[-1]
        for a in page.css(".grid.courses .card-link")
    ]


def test_filter_pages_list_exactly_the_matching_courses(
    sample_build: tuple[BuildResult, Path],
) -> None:
    site, output = site_of(sample_build)
    wanted = expected_filters(site)
    assert {"audio", "level/intermediate", "language/ary", "language/shi"} <= set(wanted)
    assert wanted["audio"] != set(site.courses)  # a real filter, not everything
    for lang in site.config.full_languages:
        catalogue = read(output, f"{lang}/academy/")
        assert sorted(listed_courses(catalogue)) == sorted(site.courses)
        sidebar = {
            li.css_first("a").attributes["href"]: int(li.css_first(".count").text())
            for li in catalogue.css("aside.facets li")
        }
        assert sidebar == {
            f"/{lang}/academy/{key}/": len(courses) for key, courses in wanted.items()
        }
        for key, courses in wanted.items():
            page = read(output, f"{lang}/academy/{key}/")
            assert sorted(listed_courses(page)) == sorted(courses), (lang, key)
            current = page.css_first("aside.facets a[aria-current=page]")
            assert current.attributes["href"] == f"/{lang}/academy/{key}/"
        # only filters that have courses are built
        made = {
            p.relative_to(output / lang / "academy").parent.as_posix()
            for p in (output / lang / "academy").glob("*/*/index.html")
        }
        facets = {m for m in made if m.split("/")[0] in academy.FACETS}
        assert facets == {k for k in wanted if "/" in k}
        assert not (output / lang / "academy" / "level" / "advanced").exists()


def test_the_catalogue_is_newest_first_and_paginated(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    config = content / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("items_per_page: 24", "items_per_page: 2"), "utf-8")
    assert "items_per_page: 2\n" in config.read_text(encoding="utf-8")
    result = check(content)
    assert result.site is not None and result.plan is not None
    specs = [s for s in result.plan.pages if (s.kind, s.lang) == ("academy", "fr")]
    assert [s.url for s in specs] == ["/fr/academy/", "/fr/academy/page/2/"]
    order = [tree.course.id for tree in academy.catalogue(result.site)]
    updated = [result.site.courses[c].course.updated for c in order]
    assert updated == sorted(updated, reverse=True)


# -- audio, transcripts and downloads -----------------------------------------------------------


def test_audio_with_its_transcript_and_downloads(sample_build: tuple[BuildResult, Path]) -> None:
    site, output = site_of(sample_build)
    lesson = next(
        lesson
        for lesson in site.courses["tenir-la-caisse"].lessons
        if lesson.id == "noter-chaque-mouvement"
    )
    for lang in ("ar", "fr"):
        page = read(output, f"{lang}/academy/tenir-la-caisse/{lesson.id}/")
        figures = page.css(".listen figure.track")
        assert len(figures) == len(lesson.audio)
        for figure, track in zip(figures, lesson.audio, strict=True):
            source = figure.css_first("audio source")
            assert source.attributes == {"src": "/" + track.src, "type": "audio/mpeg"}
            assert (output / track.src).stat().st_size == track.bytes  # published as it is
            assert figure.css_first("audio").attributes["preload"] == "none"
            caption = figure.css_first("figcaption").text()
            assert str(-(-track.bytes // 1024)) in caption  # the size, before anyone taps
            transcript: LexborNode | None = figure.css_first("details.transcript")
            if track.transcript is None:
                assert transcript is None and figure.css_first("a[href='#lesson-text']") is None
            elif track.transcript == lang:  # the page's own text is the transcript
                assert figure.css_first("a[href='#lesson-text']") is not None
                assert page.css_first("#lesson-text") is not None
            else:  # the text in the transcript's language, marked as such
                assert transcript is not None
                body = transcript.css_first("div[lang]")
                assert body.attributes["lang"] == track.transcript
                assert body.attributes["dir"] == "rtl"
                assert "دفتر الصندوق" in body.text()
        links = page.css(".downloads a[download]")
        assert [a.attributes["href"] for a in links] == ["/" + d.src for d in lesson.downloads]
        assert "PDF" in page.css_first(".downloads li").text()
        assert (output / lesson.downloads[0].src).read_bytes().startswith(b"%PDF-")


def test_the_attestation_page_is_not_for_search_engines(
    sample_build: tuple[BuildResult, Path],
) -> None:
    _, output = sample_build
    page = read(output, "fr/academy/tenir-la-caisse/attestation/")
    assert page.css_first('meta[name="robots"]').attributes["content"] == "noindex"
    assert page.css_first(".needs-js") is not None
    assert "/attestation/" not in (output / "sitemap.xml").read_text(encoding="utf-8")


# -- checks on the files a lesson names ----------------------------------------------------------


def lesson_file(minimal_site: Path) -> Path:
    return minimal_site / "academy" / "bases" / "premiers-pas" / "lecon-un.yaml"


def add_lines(path: Path, after: str, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + lines, 1), encoding="utf-8")


def test_audio_and_downloads_are_checked(minimal_site: Path) -> None:
    media = minimal_site / "media" / "academy"
    media.mkdir(parents=True)
    (media / "voix.ary.mp3").write_bytes(b"\xff\xfb\x18\xc4" + bytes(140))
    target = lesson_file(minimal_site)
    first = target.read_text(encoding="utf-8").splitlines()[1]
    add_lines(
        target,
        first + "\n",
        "audio:\n"
        "  - {lang: ary, src: media/academy/voix.ary.mp3, bytes: 100, transcript: zgh}\n"
        "  - {lang: shi, src: media/academy/absent.mp3, bytes: 10}\n"
        "  - {lang: rif, src: media/academy/voix.flac, bytes: 10}\n"
        "downloads:\n"
        "  - {src: ../outside.pdf, title: {ar: 'ملف', fr: 'Fichier'}}\n",
    )
    report = check(minimal_site).report
    found = {(p.code, p.location.line) for p in report.problems}
    assert ("audio-bytes", 4) in found  # a warning: the size the page would show is wrong
    assert ("transcript-missing", 4) in found  # there is no Tifinagh text to be its transcript
    assert ("file-missing", 5) in found
    assert ("audio-type", 6) in found
    assert ("file-outside-content", 8) in found
    hints = {p.code: p.hint for p in report.problems}
    assert hints["audio-bytes"] == "write `bytes: 144` (the page shows it before anyone downloads)"


def test_lesson_files_are_published_and_tracked_by_incremental_builds(
    minimal_site: Path,
) -> None:
    media = minimal_site / "media" / "academy"
    media.mkdir(parents=True)
    (media / "fiche.pdf").write_bytes(b"%PDF-1.4\n" + bytes(5000))
    text = lesson_file(minimal_site).read_text(encoding="utf-8")
    lesson_file(minimal_site).write_text(
        text
        + "downloads:\n  - {src: media/academy/fiche.pdf, title: {ar: 'بطاقة', fr: 'Fiche'}}\n",
        encoding="utf-8",
    )
    output = minimal_site.parent / "public"
    build(minimal_site, output, search=False)
    assert (output / "media/academy/fiche.pdf").stat().st_size == 5009
    page = read(output, "fr/academy/bases/lecon-un/")
    assert "5 Ko" in page.css_first(".downloads li").text()
    (media / "fiche.pdf").write_bytes(b"%PDF-1.4\n" + bytes(50_000))
    result = build(minimal_site, output, search=False)
    assert result.mode == "incremental"
    assert {"ar/academy/bases/lecon-un/index.html", "fr/academy/bases/lecon-un/index.html"} <= set(
        result.rendered
    )
    assert "49 Ko" in read(output, "fr/academy/bases/lecon-un/").css_first(".downloads li").text()


def test_an_ordering_question_is_never_shown_in_its_right_order() -> None:
    question = Question.model_validate(
        {
            "id": "q1",
            "type": "order",
            "prompt": {"ar": "رتب", "fr": "Ordonnez"},
            "options": [
                {"id": "a", "text": {"ar": "أولا", "fr": "D'abord"}},
                {"id": "b", "text": {"ar": "ثانيا", "fr": "Ensuite"}},
            ],
        }
    )
    # two items: the mixing alone would leave about half of these lessons in the right order
    shown = [[o.id for o in academy.shown_options(f"lesson-{n}", question)] for n in range(20)]
    assert all(order == ["b", "a"] for order in shown)


def snapshot(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*")
        if p.is_file() and not p.relative_to(output).as_posix().startswith("pagefind/")
    }


def test_a_changed_lesson_text_renders_the_pages_that_carry_its_hash(minimal_site: Path) -> None:
    output = minimal_site.parent / "public"
    build(minimal_site, output, search=False)
    text = minimal_site / "academy" / "bases" / "premiers-pas" / "lecon-un.fr.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", "utf-8")
    result = build(minimal_site, output, search=False)
    assert result.mode == "incremental"
    course = "academy/bases"
    # the lesson (its text, and its hash in every language), the outline and the attestation
    assert {page for page in result.rendered if page.endswith(".html")} == {
        f"{lang}/{course}/{page}index.html"
        for lang in ("ar", "fr")
        for page in ("lecon-un/", "", "attestation/")
    }
    fresh = minimal_site.parent / "fresh"
    build(minimal_site, fresh, search=False, incremental=False)
    assert snapshot(output) == snapshot(fresh)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_module_has_a_page_with_its_lessons_in_order(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    result, output = sample_build
    site = result.site
    assert site is not None
    for course_id, tree in site.courses.items():
        course_url = f"/{lang}/academy/{course_id}/"
        for n, branch in enumerate(tree.modules):
            url = f"{course_url}modules/{branch.module.id}/"
            page = HTMLParser((output / url.strip("/") / "index.html").read_text("utf-8"))
            assert branch.module.title.resolve(lang)[0] in page.css_first("h1").text()
            lessons = [a.attributes["href"] for a in page.css("ol.lessons a")]
            assert lessons == [f"{course_url}{lesson.id}/" for lesson in branch.lessons]
            following = page.css_first("a[rel=next]")
            if n + 1 < len(tree.modules):
                assert following is not None
                assert following.attributes["href"] == (
                    f"{course_url}modules/{tree.modules[n + 1].module.id}/"
                )
            # Each of its lessons leads back to it in the breadcrumbs.
            lesson = HTMLParser((output / lessons[0].strip("/") / "index.html").read_text("utf-8"))
            assert url in [a.attributes.get("href") for a in lesson.css("a")]
