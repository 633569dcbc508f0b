"""The academy in headless Chromium (academy.js): quizzes with feedback per option, progress kept
in localStorage, "updated" lessons, "continue where you left off", and the attestation with its
verification code (crypto.subtle and the fallback give the code Python computes)."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import BuildResult
from generator.site import CourseTree
from generator.theme import Theme

from .quality.checkers import AXE_JS, AXE_OPTIONS, serve_directory

try:
    from playwright.sync_api import Browser, Page
except ImportError:  # pragma: no cover
    Browser = Page = Any  # type: ignore[misc, assignment]

COURSE = "tenir-la-caisse"  # short: three lessons (single + order, multi + true/false, no quiz)
NOW = "2026-03-02T10:00:00Z"
MESSAGES = Theme().messages


def say(key: str, lang: str = "fr") -> str:
    return MESSAGES.resolve(f"academy.js.{key}", lang)[0]


def norm(text: str) -> str:
    """Intl's output with plain spaces and without direction marks, to compare with a literal."""
    for mark in ("\u200e", "\u200f"):
        text = text.replace(mark, "")
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def text(page: Page, selector: str) -> str:
    return norm(page.inner_text(selector))


def verification_code(course: str, version: int, name: str, day: str, score: int | None) -> str:
    """The recipe docs/academy.md gives, written again in Python."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    line = "|".join(["taawun-attestation", "v1", course, str(version), name, day, str(score)])
    if score is None:
        line = line[: -len("None")]
    digest = hashlib.sha256(line.encode()).hexdigest()[:10].upper()
    return f"{digest[:5]}-{digest[5:]}"


@pytest.fixture(scope="module")
def site_url(sample_build: tuple[BuildResult, Path]) -> Iterator[str]:
    with serve_directory(sample_build[1]) as base:
        yield base.rstrip("/")


@pytest.fixture(scope="module")
def course(sample_build: tuple[BuildResult, Path]) -> CourseTree:
    site = sample_build[0].site
    assert site is not None
    return site.courses[COURSE]


def new_page(browser: Browser, **options: Any) -> Page:
    page = browser.new_context(timezone_id="Africa/Casablanca", **options).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("close", lambda _: _no_errors(errors))
    page.clock.set_fixed_time(NOW)
    return page


def _no_errors(errors: list[str]) -> None:
    assert errors == [], errors


def right_answer(page: Page, question: str) -> list[str]:
    """What the page's <details> gives as the answer (the same markup works without JavaScript)."""
    fs = f"#q-{question}"
    if page.get_attribute(fs, "data-type") == "order":
        return page.eval_on_selector_all(
            f"{fs} details.answer li", "lis => lis.map(li => li.dataset.o)"
        )
    return page.eval_on_selector_all(
        f"{fs} details.answer li.right", "lis => lis.map(li => li.dataset.o)"
    )


def shown_order(page: Page, question: str) -> list[str]:
    return page.eval_on_selector_all(
        f"#q-{question} .order-options > li", "lis => lis.map(li => li.dataset.o)"
    )


def put_in_order(page: Page, question: str, wanted: list[str]) -> None:
    """Reorder with the move buttons only (what a keyboard or screen-reader user does)."""
    for target, option in enumerate(wanted):
        while (at := shown_order(page, question).index(option)) > target:
            page.click(f'#q-{question} li[data-o="{option}"] [data-move="-1"]')
            assert shown_order(page, question).index(option) == at - 1


def choose(page: Page, question: str, options: list[str]) -> None:
    for box in page.query_selector_all(f"#q-{question} .options input"):
        if (box.get_attribute("value") in options) != box.is_checked():
            box.click()


def answer(page: Page, question: str, options: list[str] | None = None) -> str:
    """Answer (rightly unless ``options`` says otherwise), check, and return the verdict."""
    wanted = right_answer(page, question) if options is None else options
    if page.get_attribute(f"#q-{question}", "data-type") == "order":
        put_in_order(page, question, wanted)
    else:
        choose(page, question, wanted)
    page.click(f"#q-{question} [data-check]")
    return page.inner_text(f"#q-{question} [data-verdict]")


def progress(page: Page, lesson: str, version: int = 1) -> dict[str, Any]:
    raw = page.evaluate(
        "k => localStorage.getItem(k)", f"taawun:v1:progress:{COURSE}@{version}:{lesson}"
    )
    return json.loads(raw) if raw else {}


def lesson_url(site_url: str, lesson: str, lang: str = "fr") -> str:
    return f"{site_url}/{lang}/academy/{COURSE}/{lesson}/"


def test_each_question_type_gives_feedback_per_option(browser: Browser, site_url: str) -> None:
    page = new_page(browser)
    page.goto(lesson_url(site_url, "noter-chaque-mouvement"))
    assert page.is_visible("#q-q1 [data-check]")  # shown by the script only

    # single choice: a wrong option is marked with its own feedback, then the right one
    wrong = next(o for o in ("a", "b", "c") if o not in right_answer(page, "q1"))
    assert answer(page, "q1", [wrong]) == say("wrong")
    marked = f'#q-q1 .options li[data-o="{wrong}"]'
    assert page.get_attribute(marked, "class") == "is-wrong"
    note = page.inner_text(f"{marked} .note")
    assert say("picked_wrong") in note
    assert page.inner_text(f'#q-q1 details.answer li[data-o="{wrong}"] .fb') in note
    assert answer(page, "q1") == say("right")
    assert page.query_selector_all("#q-q1 .options li.is-wrong") == []

    # ordering: shown mixed, each item told whether it is in place, then put right with buttons
    correct = right_answer(page, "q2")
    assert shown_order(page, "q2") != correct
    verdict = answer(page, "q2", shown_order(page, "q2"))
    placed = sum(a == b for a, b in zip(shown_order(page, "q2"), correct, strict=True))
    assert verdict == say("order_wrong").format(n=placed, total=len(correct))
    assert len(page.query_selector_all("#q-q2 .order-options li.is-wrong")) == len(correct) - placed
    assert answer(page, "q2") == say("order_right")
    assert shown_order(page, "q2") == correct
    assert len(page.query_selector_all("#q-q2 .order-options li.is-right")) == len(correct)

    # both answered: the lesson is done, scored, with the answers kept
    assert text(page, "[data-score]") == say("score").format(right=2, total=2, pct="100 %")
    record = progress(page, "noter-chaque-mouvement")
    assert record["done"] is True and record["score"] == 100
    assert record["hash"] == page.get_attribute("article.lesson", "data-hash")
    assert record["answers"] == {"q1": right_answer(page, "q1"), "q2": correct}
    assert record["at"] == "2026-03-02T10:00:00.000Z"

    page.goto(lesson_url(site_url, "solde-du-mois"))
    # multiple choice: a right option left out is flagged "missed"
    right = right_answer(page, "q1")
    assert len(right) > 1
    assert answer(page, "q1", right[:1]) == say("wrong")
    for missed in right[1:]:
        assert page.get_attribute(f'#q-q1 .options li[data-o="{missed}"]', "class") == "is-missed"
        assert say("missed") in page.inner_text(f'#q-q1 .options li[data-o="{missed}"] .note')
    # true/false: kept in its written order (true, then false)
    assert page.eval_on_selector_all(
        "#q-q2 .options input", "inputs => inputs.map(i => i.value)"
    ) == ["a", "b"]
    assert answer(page, "q2") == say("right")
    assert text(page, "[data-score]") == say("score").format(right=1, total=2, pct="50 %")
    assert progress(page, "solde-du-mois")["score"] == 50
    page.close()


def test_nothing_chosen_asks_for_an_answer(browser: Browser, site_url: str) -> None:
    page = new_page(browser)
    page.goto(lesson_url(site_url, "solde-du-mois"))
    page.click("#q-q1 [data-check]")
    assert page.inner_text("#q-q1 [data-verdict]") == say("choose")
    assert progress(page, "solde-du-mois") == {}
    page.close()


def test_progress_and_answers_are_kept_after_a_reload(browser: Browser, site_url: str) -> None:
    page = new_page(browser)
    page.goto(lesson_url(site_url, "noter-chaque-mouvement"))
    answer(page, "q1")
    wrong_order = shown_order(page, "q2")
    answer(page, "q2", wrong_order)
    page.reload()
    # the learner's own answers, shown again with their feedback
    assert page.eval_on_selector_all(
        "#q-q1 .options input:checked", "inputs => inputs.map(i => i.value)"
    ) == right_answer(page, "q1")
    assert page.inner_text("#q-q1 [data-verdict]") == say("right")
    assert shown_order(page, "q2") == wrong_order
    assert page.query_selector("#q-q2 .order-options li.is-wrong") is not None
    assert "1 sur 2" in text(page, "[data-score]")
    assert text(page, "[data-status]") == say("done_score").format(date="2 mars 2026", pct="50 %")

    # the course page shows it, and offers to continue after the last lesson opened
    page.goto(f"{site_url}/fr/academy/{COURSE}/")
    state = '[data-lesson="noter-chaque-mouvement"] [data-state]'
    assert text(page, state) == f"{say('state_done')} · 50 %"
    assert page.inner_text('[data-lesson="solde-du-mois"] [data-state]') == say("state_todo")
    assert page.is_visible("[data-progress]")
    assert say("progress").format(done=1, total=3) in text(page, "[data-progress-text]")
    link = page.query_selector("[data-continue]")
    assert link is not None and link.is_visible() and page.is_hidden("[data-start]")
    assert link.get_attribute("href") == f"/fr/academy/{COURSE}/solde-du-mois/"

    page.goto(lesson_url(site_url, "ranger-les-pieces"))  # opened, not done: continue there
    page.goto(f"{site_url}/ar/academy/{COURSE}/")  # progress is shared by every language
    assert (
        page.get_attribute("[data-continue]", "href") == f"/ar/academy/{COURSE}/ranger-les-pieces/"
    )
    assert text(page, state) == f"{say('state_done', 'ar')} · 50%"
    page.close()


def test_a_changed_lesson_is_marked_updated_not_wiped(browser: Browser, site_url: str) -> None:
    page = new_page(browser)
    page.goto(lesson_url(site_url, "noter-chaque-mouvement"))
    old = {
        "done": True,
        "score": 100,
        "at": "2026-02-20T09:00:00.000Z",
        "hash": "0" * 12,
        "answers": {"q1": right_answer(page, "q1"), "q2": right_answer(page, "q2")},
    }
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [f"taawun:v1:progress:{COURSE}@1:noter-chaque-mouvement", json.dumps(old)],
    )
    page.reload()
    assert page.inner_text("[data-status]") == say("updated").format(date="20 février 2026")
    assert "is-updated" in (page.get_attribute("[data-status]", "class") or "")
    assert page.inner_text("#q-q1 [data-verdict]") == say("right")  # answers still shown
    page.goto(f"{site_url}/fr/academy/{COURSE}/")
    state = '[data-lesson="noter-chaque-mouvement"] [data-state]'
    assert page.inner_text(state) == say("state_updated")
    # checking again records the lesson against its new content
    page.goto(lesson_url(site_url, "noter-chaque-mouvement"))
    answer(page, "q1")
    record = progress(page, "noter-chaque-mouvement")
    assert record["hash"] == page.get_attribute("article.lesson", "data-hash")
    assert record["at"] == "2026-03-02T10:00:00.000Z"
    page.goto(f"{site_url}/fr/academy/{COURSE}/")
    assert text(page, state) == f"{say('state_done')} · 100 %"
    page.close()


def complete(page: Page, site_url: str, course: CourseTree, lang: str = "fr") -> None:
    """Do every lesson of the course, answering every question rightly."""
    for lesson in course.lessons:
        page.goto(lesson_url(site_url, lesson.id, lang))
        if lesson.quiz:
            for question in lesson.quiz:
                answer(page, question.id)
        else:
            page.click("[data-done]")
            assert page.is_hidden("[data-done]")
        assert progress(page, lesson.id)["done"] is True


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_completing_a_course_gives_a_printable_attestation(
    browser: Browser, site_url: str, course: CourseTree, lang: str
) -> None:
    page = new_page(browser)
    page.goto(f"{site_url}/{lang}/academy/{COURSE}/attestation/")
    assert page.is_hidden(".needs-js") and page.is_hidden("[data-att-form]")
    status = page.inner_text("[data-att-status]")
    assert status == say("att_missing", lang).format(n=len(course.lessons))

    complete(page, site_url, course, lang)
    page.goto(f"{site_url}/{lang}/academy/{COURSE}/attestation/")
    assert page.is_visible("[data-att-form]") and page.is_hidden("[data-att-sheet]")
    name = "  Fatima   Zahra  Aït\u00a0Lahcen " if lang == "fr" else "فاطمة الزهراء"
    page.fill("#att-name", name)
    page.click("[data-att-form] button[type=submit]")
    page.wait_for_selector("[data-att-sheet]:not([hidden])")
    expected = verification_code(COURSE, course.course.version, name, "2026-03-02", 100)
    assert page.inner_text("[data-att-code]") == expected
    clean = " ".join(name.split())
    assert page.inner_text("[data-att-text] strong") == clean
    assert course.course.title.resolve(lang)[0] in page.inner_text("[data-att-text]")
    assert page.inner_text("[data-att-date]") == "2026-03-02"
    assert page.inner_text("[data-att-score]") == "100"
    assert json.loads(page.evaluate("localStorage.getItem('taawun:v1:learner')")) == clean

    # printed: the sheet alone, on A4
    sizes = page.evaluate(
        """() => [...document.styleSheets].flatMap(s => [...s.cssRules])
            .filter(r => r instanceof CSSPageRule).map(r => r.style.size)"""
    )
    assert [size.lower() for size in sizes] == ["a4"]
    page.emulate_media(media="print")
    assert page.is_visible("[data-att-sheet]")
    for hidden in (".site-header", ".site-footer", "h1", "[data-att-form]", ".att-about"):
        assert page.is_hidden(hidden), hidden
    page.emulate_media(media="screen")

    # the name is remembered: coming back shows the attestation again
    page.reload()
    page.wait_for_selector("[data-att-sheet]:not([hidden])")
    assert page.inner_text("[data-att-code]") == expected
    assert axe(page) == []
    page.close()


def test_a_score_below_the_pass_mark_gives_no_attestation(
    browser: Browser, site_url: str, course: CourseTree
) -> None:
    page = new_page(browser)
    complete(page, site_url, course)
    page.goto(lesson_url(site_url, "solde-du-mois"))
    answer(page, "q1", ["d"])
    answer(page, "q2", ["a"])  # now 0 % on that lesson: 3 of 4 questions right in the course
    page.goto(f"{site_url}/fr/academy/{COURSE}/attestation/")
    status = text(page, "[data-att-status]")
    assert status == say("att_low").format(**{"pct": "50 %", "pass": "70 %"})
    assert page.is_hidden("[data-att-form]")
    page.close()


@pytest.mark.parametrize(
    "name", ["Fatima Zahra", "فاطمة الزهراء", "ⵜⴰⵎⴰⵣⵉⵖⵜ Aïcha", "Nouhaila Ait Baha"]
)
def test_the_fallback_hash_gives_the_same_code_as_crypto_subtle(
    browser: Browser, site_url: str, name: str
) -> None:
    """On plain http (not localhost) crypto.subtle is missing: the script's own SHA-256 is used."""
    codes = []
    for insecure in (False, True):
        page = new_page(browser)
        if insecure:
            page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
        page.goto(f"{site_url}/fr/academy/{COURSE}/attestation/")
        page.click("[data-att-verify] summary")
        page.fill("#verify-name", name)
        page.fill("#verify-date", "2026-03-02")
        page.fill("#verify-score", "85")
        page.click("[data-verify-form] button[type=submit]")
        page.wait_for_function("document.querySelector('[data-verify-code]').textContent !== ''")
        codes.append(page.inner_text("[data-verify-code]"))
        page.close()
    assert codes == [verification_code(COURSE, 1, name, "2026-03-02", 85)] * 2


def test_without_javascript_the_quiz_reads_and_reveals_its_answers(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(lesson_url(site_url, "noter-chaque-mouvement"))
    assert page.is_hidden("#q-q1 [data-check]") and page.is_hidden("#q-q2 .moves")
    assert page.is_visible("#q-q2 .order-options")
    assert page.is_hidden("#q-q1 details.answer li.right")
    page.click("#q-q1 details.answer summary")
    assert page.is_visible("#q-q1 details.answer li.right")
    page.goto(f"{site_url}/fr/academy/{COURSE}/attestation/")
    assert page.is_visible(".needs-js")
    page.close()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_checked_quiz_and_progress_have_no_accessibility_violations(
    browser: Browser, site_url: str, lang: str
) -> None:
    page = new_page(browser)
    page.goto(lesson_url(site_url, "noter-chaque-mouvement", lang))
    answer(page, "q1", ["b"])
    answer(page, "q2")
    assert axe(page) == []
    page.goto(f"{site_url}/{lang}/academy/{COURSE}/")
    assert page.is_visible("[data-progress]")
    assert axe(page) == []
    page.close()


def axe(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS
    )
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found]


def test_the_academy_pages_have_no_accessibility_violations(
    browser: Browser, site_url: str
) -> None:
    page = new_page(browser)
    for lang in ("ar", "fr"):
        for path in ("", "audio/", "level/intermediate/", f"{COURSE}/", f"{COURSE}/attestation/"):
            page.goto(f"{site_url}/{lang}/academy/{path}")
            assert axe(page) == [], (lang, path)
    page.close()


def test_the_sample_audio_plays_in_the_browser(browser: Browser, site_url: str) -> None:
    page = new_page(browser)
    page.goto(lesson_url(site_url, "noter-chaque-mouvement"))
    durations = page.evaluate(
        """() => Promise.all([...document.querySelectorAll(".listen audio")].map(audio =>
            new Promise((resolve, reject) => {
                audio.addEventListener("loadedmetadata", () => resolve(audio.duration));
                audio.addEventListener("error", () => reject(new Error(audio.currentSrc)));
                audio.preload = "metadata";
                audio.load();
            })))"""
    )
    assert [round(d) for d in durations] == [4, 5]  # the tiny sample files are real MP3s
    page.close()
