"""Offline use of the academy: what "Download this course" stores, and what the service worker
keeps ready (docs/academy.md, "Offline").

Both are worked out from the pages as they are rendered, not from a list kept by hand: a course's
manifest (``/<lang>/academy/<course>/offline.json``) renders the course page and its lessons and
lists them with every file they load or offer (stylesheets, scripts, images, audio, downloads),
each with its size in bytes and a hash of its bytes; ``/sw.js`` precaches the offline pages and
what they load, and carries a version made from every theme file and precached page, so a build
that changes any of them gets new cache names and the old caches are dropped.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from . import i18n
from .assets import STATIC_PREFIX
from .urls import PageSpec, Plan

if TYPE_CHECKING:
    from .models import Lesson
    from .render import Renderer
    from .site import Site

MANIFEST_SCHEMA = 1
# What hosts compress (docs/deploy.md, gzip_types); pages are the URLs that end with "/".
COMPRESSED = {".css", ".js", ".json", ".svg", ".txt", ".csv", ".xml", ".html"}
VARIANTS_PREFIX = "/media/_v/"
# Files that are sources, never published as they are (a link to one is not a download).
_SOURCE_SUFFIXES = {".yaml", ".yml", ".md"}
# The pages of a course keyed by its id: its own page and, where it has one, its attestation.
COURSE_KINDS = ("course", "attestation")
# Kinds whose specs the offline views look up (see ``spec``).
_LOOKED_UP = {*COURSE_KINDS, "lesson", "offline"}


def file_hash(data: bytes) -> str:
    """Short and stable: tells the browser whether its stored copy is the current one."""
    return hashlib.blake2b(data, digest_size=6).hexdigest()


def transfer_size(url: str, data: bytes) -> int:
    """About what ``data`` costs over the network: text as a host compresses it (gzip -6)."""
    path = urlsplit(url).path
    if path.endswith("/") or PurePosixPath(path).suffix.lower() in COMPRESSED:
        return len(gzip.compress(data, compresslevel=6, mtime=0))
    return len(data)


# -- which pages -------------------------------------------------------------------------------

_specs: tuple[Plan, dict[tuple[str, str, str], PageSpec]] | None = None


def spec(plan: Plan, kind: str, key: str, lang: str) -> PageSpec:
    """The planned page ``kind``/``key`` in ``lang``. The plan is scanned once per plan (and
    process) for the few kinds needed: a national plan holds 550,000 specs."""
    global _specs
    if _specs is None or _specs[0] is not plan:
        found = {(s.kind, s.key, s.lang): s for s in plan.pages if s.kind in _LOOKED_UP}
        _specs = (plan, found)
    return _specs[1][(kind, key, lang)]


def _language_of(plan: Plan, kind: str, key: str, lang: str) -> str:
    """The language of the page ``plan.url`` links to: ``lang`` or its fallback."""
    url = plan.url(kind, key, lang)
    return next(code for code, u in plan.languages(kind, key).items() if u == url)


def course_pages(site: Site, plan: Plan, course_id: str, lang: str) -> list[PageSpec]:
    """The course page (and attestation) and every lesson page, as the course page in ``lang``
    links to them (a lesson not translated into a partial language is its fallback's page)."""
    pages = [
        spec(plan, kind, course_id, _language_of(plan, kind, course_id, lang))
        for kind in COURSE_KINDS
        if plan.has(kind, course_id)
    ]
    for lesson in site.courses[course_id].lessons:
        key = f"{course_id}/{lesson.id}"
        pages.append(spec(plan, "lesson", key, _language_of(plan, "lesson", key, lang)))
    return pages


def offline_pages(plan: Plan, languages: Iterable[str]) -> dict[str, str]:
    """Language → the offline page shown for it (a partial language gets its fallback's)."""
    return {lang: plan.url("offline", "", lang) for lang in languages}


def content_files(site: Site, course_id: str) -> list[str]:
    """The audio and downloads the course's lessons declare (paths under the content folder)."""
    lessons = site.courses[course_id].lessons
    return [src for lesson in lessons for src in lesson_files(lesson)]


def lesson_files(lesson: Lesson) -> list[str]:
    return [*(track.src for track in lesson.audio), *(item.src for item in lesson.downloads)]


# -- what a page loads -----------------------------------------------------------------------------


class _References(HTMLParser):
    """The URLs of the files a page loads or offers.

    Stylesheets, scripts, audio, video and tracks, links (downloads; pages are filtered out later
    because they are no file), and one variant per image: the smallest WebP of a ``<picture>``, or
    the smallest of an ``<img srcset>``. The service worker answers any other width of a stored
    image with the stored one, so a phone keeps one small copy per image.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_picture = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "picture":
            self._in_picture = True
        elif tag == "a" or (tag == "link" and "stylesheet" in a.get("rel", "").split()):
            self._add(a.get("href"))
        elif tag in ("script", "audio", "video", "track"):
            self._add(a.get("src"))
        elif tag == "source":
            if a.get("srcset"):
                if a.get("type", "image/webp") == "image/webp":
                    self._add(_smallest(a["srcset"]))
            else:
                self._add(a.get("src"))
        elif tag == "img" and not self._in_picture:
            self._add(_smallest(a["srcset"]) if a.get("srcset") else a.get("src"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self._in_picture = False

    def _add(self, url: str | None) -> None:
        if url and url not in self.urls:
            self.urls.append(url)


def _smallest(srcset: str) -> str:
    """The candidate of a ``srcset`` with the smallest width descriptor."""
    candidates = []
    for part in srcset.split(","):
        words = part.split()
        if words:
            width = words[1][:-1] if len(words) > 1 and words[1].endswith("w") else "0"
            candidates.append((int(width) if width.isdigit() else 0, words[0]))
    return min(candidates)[1]


def references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    parser.close()
    return parser.urls


def _published_file(r: Renderer, url: str) -> bytes | None:
    """The bytes the site serves at ``url`` when it is one of its files (a theme file, an image
    variant, a content file such as an SVG, an audio track or a document); else None."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.endswith("/"):
        return None
    if path.startswith(STATIC_PREFIX):
        for asset in r.theme.assets.values():
            if asset.url == path:
                return asset.data
        return None
    if path.startswith(VARIANTS_PREFIX):
        variant = r.images.variant_file(path)
        return Path(variant).read_bytes() if os.path.isfile(variant) else None
    root = r.site.content_root.resolve()
    target = (root / path.lstrip("/")).resolve()
    if target.suffix.lower() in _SOURCE_SUFFIXES or not target.is_relative_to(root):
        return None
    return target.read_bytes() if target.is_file() else None


def _entries(r: Renderer, pages: Iterable[PageSpec]) -> Iterator[tuple[str, bytes]]:
    """Each page's URL and bytes, then each file they load, once, in order of first use."""
    seen: set[str] = set()
    for page in pages:
        html = r.render(page)
        yield page.url, html.encode("utf-8")
        for url in references(html):
            path = urlsplit(url).path
            if path in seen:
                continue
            seen.add(path)
            data = _published_file(r, url)
            if data is not None:
                yield path, data


# -- the files ---------------------------------------------------------------------------------------


def course_manifest(r: Renderer, page: PageSpec) -> dict[str, Any]:
    """``/<lang>/academy/<course>/offline.json``: what "Download this course" stores.

    ``files``: [URL, bytes stored, hash, bytes over the network], pages first. The last is what
    the learner's data plan pays: hosts compress text (HTML, CSS, JS, SVG), so it is estimated
    with gzip. ``version`` changes whenever a file does, so a course downloaded before a change is
    shown as "update available", and only the files whose hash changed are downloaded again.
    ``languages``: the course's manifest in each language it exists in, for "download in
    another language too".
    """
    site, plan, lang = r.site, r.plan, page.lang
    course_id = page.key
    tree = site.courses[course_id]
    files = [
        [url, len(data), file_hash(data), transfer_size(url, data)]
        for url, data in _entries(r, course_pages(site, plan, course_id, lang))
    ]
    return {
        "v": MANIFEST_SCHEMA,
        "course": course_id,
        "lang": lang,
        "title": i18n.plain(tree.course.title, lang),
        "page": plan.url("course", course_id, lang),
        "lessons": len(tree.lessons),
        "version": file_hash("\n".join(f"{f[0]} {f[2]}" for f in files).encode()),
        "bytes": sum(f[1] for f in files),
        "transfer": sum(f[3] for f in files),
        "files": files,
        "languages": [
            [code, i18n.LANGUAGE_NAMES[code], url]
            for code, url in plan.languages("course_offline", course_id).items()
        ],
    }


def service_worker(r: Renderer, page: PageSpec) -> dict[str, Any]:
    """What ``sw.js`` is rendered with: the offline page for each language, the files to precache
    (those pages and what they load), and the build's version."""
    config = r.site.config
    offline = offline_pages(r.plan, config.languages)
    shown = [spec(r.plan, "offline", "", lang) for lang in config.full_languages]
    precache = {url: file_hash(data) for url, data in _entries(r, shown)}
    env = r.theme.env
    assert env.loader is not None
    source = env.loader.get_source(env, page.template)[0]
    version = file_hash(
        "\n".join(
            [
                source,
                *(f"{name}={asset.url}" for name, asset in sorted(r.theme.assets.items())),
                *(f"{url} {digest}" for url, digest in precache.items()),
            ]
        ).encode()
    )
    return {
        "version": version,
        "offline_pages": offline,
        "default_offline": offline[config.default_language],
        "precache": list(precache),
    }
