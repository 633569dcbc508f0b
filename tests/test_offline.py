"""Offline use of the academy (docs/academy.md, "Offline"): the course manifests and the service
worker as the build writes them, then, in headless Chromium, "Download this course" and every
lesson opened without a connection, and a new build's worker dropping the old caches.

The browser's HTTP cache is emptied before going offline, so whatever opens offline comes from
the service worker's caches, not from what the browser happened to keep."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PIL import Image
from selectolax.lexbor import LexborHTMLParser

from generator import i18n, offline
from generator.build import BuildResult, build
from generator.site import Site
from generator.theme import DEFAULT_THEME, Theme
from generator.urls import Plan

from .conftest import SAMPLE_CONTENT
from .quality.checkers import AXE_JS, AXE_OPTIONS, serve_directory

try:
    from playwright.sync_api import Browser, BrowserContext, Page
except ImportError:  # pragma: no cover
    Browser = BrowserContext = Page = Any  # type: ignore[misc, assignment]

COURSE = "tenir-la-caisse"  # two languages, audio in two spoken languages and a PDF to download
PAPER = "rgb(255, 253, 249)"  # the page background of site.css: the stylesheet was loaded
TEXT = {
    "fr": {"download": "Télécharger ce cours", "ready": "Disponible sans connexion"},
    "ar": {"download": "حمّل هذه الدورة", "ready": "متاحة دون اتصال"},
}
OFFLINE_TITLE = {"fr": "Sans connexion", "ar": "دون اتصال"}
T = TypeVar("T")


def read(output: Path, url: str) -> bytes:
    return (output / url.lstrip("/") / ("index.html" if url.endswith("/") else "")).read_bytes()


def manifest(output: Path, lang: str, course: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read(output, f"/{lang}/academy/{course}/offline.json"))
    return data


def service_worker(output: Path) -> dict[str, Any]:
    """The constants the build wrote into sw.js."""
    text = (output / "sw.js").read_text(encoding="utf-8")
    found = dict(re.findall(r"^const ([A-Z]+) = (.+);$", text, re.M))
    return {
        name: json.loads(found[name]) for name in ("VERSION", "OFFLINE", "FALLBACK", "PRECACHE")
    }


def built(sample_build: tuple[BuildResult, Path]) -> tuple[Site, Plan, Path]:
    result, output = sample_build
    assert result.site is not None and result.plan is not None
    return result.site, result.plan, output


# -- what the build writes ------------------------------------------------------------------------


def test_each_course_lists_its_pages_and_every_file_they_load(
    sample_build: tuple[BuildResult, Path],
) -> None:
    site, plan, output = built(sample_build)
    kinds: set[str] = set()
    for course_id, tree in site.courses.items():
        for lang, page_url in plan.languages("course", course_id).items():
            m = manifest(output, lang, course_id)
            urls = [f[0] for f in m["files"]]
            assert urls[0] == page_url and m["page"] == page_url
            assert len(urls) == len(set(urls))
            lessons = [plan.url("lesson", f"{course_id}/{x.id}", lang) for x in tree.lessons]
            assert set(lessons) <= set(urls)
            if plan.has("attestation", course_id):
                assert plan.url("attestation", course_id, lang) in urls
            # Every file is the one served, with its size and hash; text is counted compressed.
            for url, size, digest, transfer in m["files"]:
                data = read(output, url)
                assert (size, digest) == (
                    len(data),
                    hashlib.blake2b(data, digest_size=6).hexdigest(),
                )
                assert transfer <= size
                if url.endswith((".css", ".js", "/")):
                    assert transfer == len(gzip.compress(data, compresslevel=6, mtime=0)) < size
            assert m["bytes"] == sum(f[1] for f in m["files"])
            assert m["transfer"] == sum(f[3] for f in m["files"])
            # What each page loads or offers is in it: stylesheets, scripts, audio, downloads.
            for url in [page_url, *lessons]:
                tree_html = LexborHTMLParser(read(output, url).decode("utf-8"))
                needed = {
                    str(n.attributes["href"]) for n in tree_html.css('link[rel="stylesheet"]')
                }
                needed |= {
                    str(n.attributes["src"]) for n in tree_html.css("script[src], audio source")
                }
                needed |= {str(n.attributes["href"]) for n in tree_html.css('a[href^="/media/"]')}
                assert needed <= set(urls), (url, needed - set(urls))
            for lesson in tree.lessons:
                declared = [*(a.src for a in lesson.audio), *(d.src for d in lesson.downloads)]
                assert {"/" + src for src in declared} <= set(urls)
            kinds |= {Path(u).suffix for u in urls}
            assert m["languages"] == [
                [code, i18n.LANGUAGE_NAMES[code], f"/{code}/academy/{course_id}/offline.json"]
                for code in plan.languages("course", course_id)
            ]
    assert {".css", ".js", ".mp3", ".pdf"} <= kinds  # the sample exercises every kind of file


def test_a_page_needs_one_small_variant_per_image() -> None:
    html = """<link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/static/a.css">
    <script src="/static/a.js" defer></script>
    <picture><source type="image/webp" srcset="/v/p-640.webp 640w, /v/p-320.webp 320w">
    <img src="/v/p-640.jpg" srcset="/v/p-320.jpg 320w, /v/p-640.jpg 640w" alt=""></picture>
    <img srcset="/v/q-1024.webp 1024w, /v/q-320.webp 320w" src="/v/q.jpg" alt="">
    <img src="/media/r.svg" alt=""><audio><source src="/media/s.mp3"></audio>
    <a href="/media/t.pdf">PDF</a><a href="/fr/academy/">…</a>"""
    assert offline.references(html) == [
        "/static/a.css",
        "/static/a.js",
        "/v/p-320.webp",
        "/v/q-320.webp",
        "/media/r.svg",
        "/media/s.mp3",
        "/media/t.pdf",
        "/fr/academy/",  # kept here; only URLs that are files of the site get into a manifest
    ]


def test_the_service_worker_precaches_the_offline_pages(
    sample_build: tuple[BuildResult, Path],
) -> None:
    site, _, output = built(sample_build)
    sw = service_worker(output)
    assert re.fullmatch(r"[0-9a-f]{12}", sw["VERSION"])
    assert sw["OFFLINE"] == {"ar": "/ar/offline/", "fr": "/fr/offline/", "zgh": "/ar/offline/"}
    assert sw["FALLBACK"] == f"/{site.config.default_language}/offline/"
    for lang in ("ar", "fr"):
        page = LexborHTMLParser(read(output, f"/{lang}/offline/").decode("utf-8"))
        assert page.css_first("h1").text() == OFFLINE_TITLE[lang]
        assert page.css_first('meta[name="robots"]').attributes["content"] == "noindex"
        loads = [str(n.attributes["href"]) for n in page.css('link[rel="stylesheet"]')]
        loads += [str(n.attributes["src"]) for n in page.css("script[src]")]
        assert {f"/{lang}/offline/", *loads} <= set(sw["PRECACHE"])
    assert all(read(output, url) for url in sw["PRECACHE"])
    # Browsers must always ask the server for the worker; search engines never see these files.
    assert "\n/sw.js\n  Cache-Control: no-cache\n" in (output / "_headers").read_text()
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/offline/" not in sitemap and "offline.json" not in sitemap and "sw.js" not in sitemap


def test_only_the_academy_and_the_offline_page_install_the_worker(
    sample_build: tuple[BuildResult, Path],
) -> None:
    _, plan, output = built(sample_build)

    def registers(url: str) -> bool:
        html = LexborHTMLParser(read(output, url).decode("utf-8"))
        return any("/sw-register." in str(n.attributes["src"]) for n in html.css("script[src]"))

    for lang in ("ar", "fr"):
        academy = [plan.url(kind, key, lang) for kind, key in (("academy", ""), ("offline", ""))]
        academy += [plan.url("course", COURSE, lang), f"/{lang}/academy/{COURSE}/attestation/"]
        academy += [plan.url("lesson", f"{COURSE}/noter-chaque-mouvement", lang)]
        assert all(registers(url) for url in academy)
        market = [plan.url(kind, "", lang) for kind in ("home", "market", "cooperatives")]
        market.append(plan.url("product", "amlou-tamanar", lang))
        assert not any(registers(url) for url in market)


def test_scripts_stay_small(sample_build: tuple[BuildResult, Path]) -> None:
    _, _, output = built(sample_build)
    sizes = {
        path.name.split(".")[0]: len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        for path in [output / "sw.js", *(output / "static" / "js").glob("*.js")]
        if path.name.startswith(("sw", "offline"))
    }
    print("gzip sizes:", sizes)
    assert sizes["sw-register"] < 200 and sizes["sw"] < 2000 and sizes["offline"] < 3500


# -- in the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(sample_build: tuple[BuildResult, Path]) -> Iterator[str]:
    with serve_directory(sample_build[1]) as base:
        yield base.rstrip("/")


def open_course(page: Page, base: str, lang: str, course: str = COURSE) -> None:
    page.goto(f"{base}/{lang}/academy/{course}/")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_selector("[data-offline-course]:not([hidden]) [data-get]")


def state(page: Page, code: str) -> str:
    return page.inner_text(f"#offline-state-{code}")


def download(page: Page, name: str, code: str, ready: str) -> list[str]:
    """Press a download button; return every text its row's state showed, until ``ready``."""
    page.evaluate(
        """(code) => {
          const el = document.getElementById("offline-state-" + code);
          window.seen = [];
          new MutationObserver(() => window.seen.push(el.textContent))
            .observe(el, { childList: true, characterData: true, subtree: true });
        }""",
        code,
    )
    page.get_by_role("button", name=name).click()
    page.wait_for_function(
        "([code, ready]) => document.getElementById('offline-state-' + code).textContent"
        ".includes(ready)",
        arg=[code, ready],
    )
    seen: list[str] = page.evaluate("window.seen")
    return seen


def go_offline(context: BrowserContext, page: Page) -> None:
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    context.set_offline(True)


def cached(page: Page) -> dict[str, list[str]]:
    """Cache name → the paths it holds."""
    found: dict[str, list[str]] = page.evaluate(
        """async () => {
          const out = {};
          for (const name of await caches.keys()) {
            const keys = await (await caches.open(name)).keys();
            out[name] = keys.map((k) => { const u = new URL(k.url); return u.pathname + u.search; });
          }
          return out;
        }"""
    )
    return found


def until(get: Callable[[], T], done: Callable[[T], bool], timeout: float = 10) -> T:
    """Poll ``get`` until ``done`` says yes (the browser works in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def size_text(page: Page, lang: str, size: int) -> str:
    """A size as offline.js writes it (Intl.NumberFormat in the page's language)."""
    unit = "short" if lang == "fr" else "long"
    text: str = page.evaluate(
        """([lang, b, unit]) => new Intl.NumberFormat(lang + "-MA", { style: "unit",
          unit: b >= 1e6 ? "megabyte" : "kilobyte", unitDisplay: unit,
          maximumFractionDigits: b >= 1e6 ? 1 : 0 }).format(Math.max(1, b / (b >= 1e6 ? 1e6 : 1e3)))""",
        [lang, size, unit],
    )
    return text


def test_a_downloaded_course_opens_offline_in_both_languages(
    browser: Browser, site_url: str, sample_build: tuple[BuildResult, Path]
) -> None:
    site, plan, output = built(sample_build)
    manifests = {lang: manifest(output, lang, COURSE) for lang in ("fr", "ar")}
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_course(page, site_url, "fr")

    # The size comes first, in the page's language; then the progress, file by file.
    fr = manifests["fr"]
    assert state(page, "fr") == f"{size_text(page, 'fr', fr['transfer'])} à télécharger."
    seen = download(page, TEXT["fr"]["download"], "fr", TEXT["fr"]["ready"])
    total = len(fr["files"])
    assert f"Téléchargement : {total} fichiers sur {total}, " in "".join(seen)
    assert state(page, "fr") == f"Disponible sans connexion ({size_text(page, 'fr', fr['bytes'])})."
    # The other language from the same page.
    download(page, "Télécharger aussi en العربية", "ar", "Disponible sans connexion")
    for lang, m in manifests.items():
        held = cached(page)[f"taawun-course-1:{lang}:{COURSE}"]
        stored = f"/{lang}/academy/{COURSE}/offline.json?stored"
        assert sorted(held) == sorted([f[0] for f in m["files"]] + [stored])
    page.goto(f"{site_url}/fr/projects/")  # a page visited before going offline
    visited_heading = page.inner_text("h1")

    go_offline(context, page)
    for lang in ("fr", "ar"):
        for lesson in site.courses[COURSE].lessons:
            response = page.goto(site_url + plan.url("lesson", f"{COURSE}/{lesson.id}", lang))
            assert response is not None and response.from_service_worker
            assert page.inner_text("h1") == i18n.plain(lesson.title, lang)
            assert len(page.inner_text(".lesson-body")) > 200
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") == PAPER
    # The lesson with audio and a document: both work offline.
    page.goto(f"{site_url}/fr/academy/{COURSE}/noter-chaque-mouvement/")
    played = page.evaluate(
        """() => new Promise((done) => {
          const audio = document.querySelector("audio");
          audio.addEventListener("loadedmetadata", () => done(audio.duration));
          audio.addEventListener("error", () => done(-1));
          audio.preload = "auto";
          audio.load();
        })"""
    )
    assert played > 0
    with page.expect_download() as caught:
        page.click("a[href$='.pdf']")
    pdf = caught.value
    assert pdf.failure() is None
    assert Path(pdf.path()).read_bytes() == read(output, pdf.url.split(site_url, 1)[1])

    page.goto(f"{site_url}/fr/projects/")
    assert page.inner_text("h1") == visited_heading != OFFLINE_TITLE["fr"]

    # A page never visited: the offline page, which lists what is there.
    for lang in ("fr", "ar"):
        page.goto(f"{site_url}/{lang}/market/")
        assert page.inner_text("h1") == OFFLINE_TITLE[lang]
        page.wait_for_selector("[data-courses]:not([hidden])")
        listed = page.eval_on_selector_all("[data-courses] li a", "as => as.map(a => a.pathname)")
        assert sorted(listed) == [f"/ar/academy/{COURSE}/", f"/fr/academy/{COURSE}/"]
    visited = page.eval_on_selector_all("[data-visited] li a", "as => as.map(a => a.pathname)")
    assert visited == []  # in Arabic: only French pages were visited
    page.goto(f"{site_url}/fr/regions/")
    page.wait_for_selector("[data-visited]:not([hidden])")
    visited = page.eval_on_selector_all("[data-visited] li a", "as => as.map(a => a.textContent)")
    assert visited[0] == visited_heading

    # Offline, the course page says what is stored; removing a language frees it.
    page.goto(f"{site_url}/ar/academy/{COURSE}/")
    page.wait_for_selector("#offline-state-ar")
    assert state(page, "ar").startswith(TEXT["ar"]["ready"])
    page.get_by_role("button", name="احذفها من الهاتف").first.click()
    page.wait_for_function(
        "document.getElementById('offline-state-ar').textContent.includes('حُذفت')"
    )
    assert f"taawun-course-1:ar:{COURSE}" not in cached(page)
    page.goto(site_url + plan.url("lesson", f"{COURSE}/{lesson.id}", "ar"))
    assert page.inner_text("h1") == OFFLINE_TITLE["ar"]
    assert errors == []
    context.close()


def axe(page: Page) -> list[str]:
    """The page's axe violations (WCAG 2.0/2.1 A and AA, best practices), as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("async (o) => (await axe.run(document, o)).violations", AXE_OPTIONS)
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:5]}" for v in found]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_download_rows_and_the_offline_page_pass_axe(
    browser: Browser, site_url: str, lang: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    open_course(page, site_url, lang)
    assert axe(page) == []  # a row per language, nothing downloaded
    download(page, TEXT[lang]["download"], lang, TEXT[lang]["ready"])
    assert axe(page) == []  # downloaded: "remove"
    go_offline(context, page)
    page.goto(f"{site_url}/{lang}/market/")
    page.wait_for_selector("[data-courses]:not([hidden]) li")
    assert page.inner_text("h1") == OFFLINE_TITLE[lang]
    assert axe(page) == []
    context.close()


def test_a_new_build_drops_the_old_caches_and_marks_the_course(
    browser: Browser, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    # A photo in a lesson: the course stores its smallest variant only (checked at the end).
    Image.new("RGB", (800, 600), (200, 120, 60)).save(content / "media" / "academy" / "photo.jpg")
    text = next(content.glob(f"academy/{COURSE}/*/noter-chaque-mouvement.fr.md"))
    text.write_text(text.read_text(encoding="utf-8") + "\n![Un cahier](media/academy/photo.jpg)\n")
    output = tmp_path / "public"
    first = build(content, output, jobs=1, search=False)
    assert first.plan is not None
    old = service_worker(output)["VERSION"]
    old_css = manifest(output, "fr", COURSE)["files"][1][0]
    assert old_css.startswith("/static/css/site.")
    with serve_directory(output) as base:
        site_url = base.rstrip("/")
        context = browser.new_context()
        page = context.new_page()
        open_course(page, site_url, "fr")
        download(page, TEXT["fr"]["download"], "fr", TEXT["fr"]["ready"])
        page.goto(f"{site_url}/fr/projects/")
        names = set(cached(page))
        assert {
            f"taawun-{old}-offline",
            f"taawun-{old}-pages",
            f"taawun-course-1:fr:{COURSE}",
        } <= names

        theme = tmp_path / "theme"
        shutil.copytree(DEFAULT_THEME, theme)
        css = theme / "static" / "css" / "site.css"
        css.write_text(css.read_text(encoding="utf-8") + "\nbody { --build: 2; }\n")
        build(content, output, Theme(theme), jobs=1, search=False)
        new = service_worker(output)["VERSION"]
        assert new != old

        # The next visit finds the new worker (the browser checks at each visit; asked here too,
        # so a busy machine does not make the test wait for it); it deletes every cache of the
        # old version, and keeps the downloaded course, which now says that it changed.
        open_course(page, site_url, "fr")
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        names = until(
            lambda: set(cached(page)),
            lambda found: f"taawun-{new}-offline" in found and not any(old in n for n in found),
            timeout=30,
        )
        assert f"taawun-{new}-offline" in names and f"taawun-course-1:fr:{COURSE}" in names
        assert not any(old in name for name in names), names
        page.wait_for_function(
            "document.getElementById('offline-state-fr').textContent.includes('a changé')"
        )
        download(page, "Mettre à jour", "fr", TEXT["fr"]["ready"])
        held = cached(page)[f"taawun-course-1:fr:{COURSE}"]
        new_css = manifest(output, "fr", COURSE)["files"][1][0]
        assert new_css != old_css and new_css in held and old_css not in held

        variants = [u for u in held if u.startswith("/media/_v/")]
        assert len(variants) == 1 and variants[0].endswith("-320.webp")

        go_offline(context, page)
        page.goto(f"{site_url}/fr/academy/{COURSE}/noter-chaque-mouvement/")
        assert page.evaluate("getComputedStyle(document.body).getPropertyValue('--build')") == "2"
        # This wide window asks for the 800 px variant; the worker answers with the stored one.
        photo = page.locator(".lesson-body picture img")
        photo.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('.lesson-body picture img').complete")
        assert photo.evaluate("img => img.currentSrc").endswith("-800.webp")
        assert photo.evaluate("async (img) => (await createImageBitmap(img)).width") == 320
        context.close()
