"""The build, as one ordered recipe of named stages (the order listed is the order of execution):

configure + discover + load → assemble → plan URLs → images → assets → render pages (in
parallel) → postbuild (chooser, 404, catalogue.json, sitemap, robots.txt, _headers) → search
index → publish.

Stages up to "plan" only read and collect problems; nothing is written unless the report is clean.

Two ways to write, chosen by what the cache (outside the output) says:
- **clean**: everything is written into a staging folder that replaces the output at the end by
  two renames, so a failed build leaves the previous site exactly as it was;
- **incremental**: the cache knows the digest of everything each page was made from (deps.py);
  only pages whose digest changed are rendered, each replaced atomically in the live output, and
  files the new plan no longer has are deleted. Deleting the cache gives the same output.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import academy_files, bodymedia
from .assemble import assemble
from .assets import headers_file, publish_assets
from .catalogue import build_catalogue, dumps
from .deps import Fingerprints
from .errors import BuildFailed, ErrorReport
from .images import ImageStore, site_image_sources
from .loader import ParseCache, load
from .parallel import PageWriter, default_jobs, render_pages
from .postbuild import robots, sitemap_names, sitemaps
from .render import Renderer
from .schemas import KINDS, SCHEMA_FOLDER, references_of, schema_files
from .search import build_search_index
from .site import Site
from .theme import Theme
from .urls import Plan, plan
from .write import Staging

CACHE_VERSION = 1
# Pages the search index reads: when none of them changed, the index is left as it is.
INDEXED_KINDS = {"product", "cooperative", "project", "course", "lesson"}


@dataclass
class BuildResult:
    report: ErrorReport
    site: Site | None = None
    plan: Plan | None = None
    timings: list[tuple[str, float]] = field(default_factory=list)
    mode: str = "check"  # "clean" or "incremental" once built
    rendered: list[str] = field(default_factory=list)  # output paths of the pages rendered
    removed: list[str] = field(default_factory=list)  # output files deleted (incremental)
    rendered_kinds: set[str] = field(default_factory=set)  # the kinds of the pages rendered

    def pages_per_kind(self) -> Counter[tuple[str, str]]:
        assert self.plan is not None
        return Counter((spec.kind, spec.lang) for spec in self.plan.pages)


@contextmanager
def _timed(result: BuildResult, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    result.timings.append((stage, time.perf_counter() - start))


def check(
    content: Path, today: date | None = None, jobs: int = 1, parsed: ParseCache | None = None
) -> BuildResult:
    """Validate everything and plan the pages; write nothing. ``parsed`` keeps parsed files
    between calls (`taawun serve`)."""
    result = BuildResult(ErrorReport())
    with _timed(result, "load"):
        loaded = load(content, result.report, jobs, parsed)
    with _timed(result, "assemble"):
        site = assemble(loaded, result.report, today or date.today())
    if site is None:
        return result
    result.site = site
    with _timed(result, "plan"):
        result.plan = plan(site, result.report)
    return result


def default_cache(output: Path) -> Path:
    """The cache sits next to the output, never in it (it must not be deployed)."""
    return output.resolve().parent / ".taawun-cache"


def build(
    content: Path,
    output: Path,
    theme: Theme | None = None,
    today: date | None = None,
    *,
    jobs: int | None = None,
    cache: Path | None = None,
    incremental: bool = True,
    search: bool = True,
    parsed: ParseCache | None = None,
) -> BuildResult:
    """Build the site into ``output``. Raises BuildFailed (and writes nothing) on content errors.

    ``jobs``: worker processes (default: every core). ``cache``: the folder for the page
    manifest and encoded images (default: `.taawun-cache` beside the output).
    ``incremental=False`` ignores what the cache says about pages and writes a clean build.
    ``parsed``: files parsed by an earlier build of this process (`taawun serve`).
    """
    jobs = jobs or default_jobs()
    cache = cache or default_cache(output)
    result = check(content, today, jobs, parsed)
    if result.report.has_errors or result.site is None or result.plan is None:
        raise BuildFailed(result.report)
    site, pages = result.site, result.plan
    theme = theme or Theme()
    theme.refresh_assets()
    images = ImageStore(site.content_root, cache / "images")
    try:
        renderer = Renderer(site, pages, theme, images=images)
        with _timed(result, "fingerprint"):
            prints = Fingerprints(site, pages, theme, images)
            digests = {spec.output: prints.page(spec) for spec in pages.pages}
            digests["index.html"] = prints.chooser()
        manifest_file = cache / f"pages-{_name(output)}.pickle"
        previous = _read_manifest(manifest_file, output) if incremental else None
        job = _Job(result, site, pages, theme, images, renderer, output, jobs, search)
        media = _clean(job) if previous is None else _incremental(job, previous, digests)
        _write_manifest(manifest_file, output, digests, _files(digests, media, theme, pages))
    finally:
        images.close()
    return result


# -- the two ways to write ---------------------------------------------------------------------


@dataclass
class _Job:
    """What both ways of writing need."""

    result: BuildResult
    site: Site
    pages: Plan
    theme: Theme
    images: ImageStore
    renderer: Renderer
    output: Path
    jobs: int
    search: bool


def _clean(job: _Job) -> list[str]:
    result, site, pages = job.result, job.site, job.pages
    result.mode = "clean"
    with Staging(job.output) as stage:
        folder = stage.folder
        with _timed(result, "images"):
            media = job.images.publish(_media(site), folder, job.jobs)
        with _timed(result, "assets"):
            publish_assets(job.theme, folder)
        with _timed(result, "render"):
            render_pages(job.renderer, pages.pages, PageWriter(folder), job.jobs)
            result.rendered = [spec.output for spec in pages.pages]
        with _timed(result, "postbuild"):
            _extras(site, pages, job.theme, job.renderer, PageWriter(folder))
        if job.search:
            with _timed(result, "search"):
                _search_index(folder, site)
        with _timed(result, "publish"):
            stage.publish()
    return media


def _incremental(job: _Job, previous: dict[str, Any], digests: dict[str, str]) -> list[str]:
    result, site, pages, output = job.result, job.site, job.pages, job.output
    result.mode = "incremental"
    old: dict[str, str] = previous["digests"]
    writer = PageWriter(output, in_place=True)
    with _timed(result, "images"):
        media = job.images.publish(_media(site), output, job.jobs)
    with _timed(result, "assets"):
        publish_assets(job.theme, output)
    folder = str(output)  # os.path, not pathlib: this looks at every page of the site
    todo = [
        spec
        for spec in pages.pages
        if old.get(spec.output) != digests[spec.output]
        or not os.path.isfile(os.path.join(folder, spec.output))
    ]
    with _timed(result, "render"):
        render_pages(job.renderer, todo, writer, job.jobs)
        result.rendered = [spec.output for spec in todo]
        result.rendered_kinds = {spec.kind for spec in todo}
    with _timed(result, "postbuild"):
        _extras(site, pages, job.theme, job.renderer, writer)
    with _timed(result, "prune"):
        result.removed = sorted(set(previous["files"]) - _files(digests, media, job.theme, pages))
        for relative in result.removed:
            _remove(output, relative)
    if job.search and needs_search_index(result):
        with _timed(result, "search"):
            _search_index(output, site)
    return media


def _media(site: Site) -> set[str]:
    """The content files pages show or link to: images, and the lessons' audio and downloads
    (published as they are, like SVG images), and what lesson texts show from media/."""
    return site_image_sources(site) | academy_files.sources(site) | bodymedia.sources(site)


def needs_search_index(result: BuildResult) -> bool:
    """Whether the build changed what the search index reads (indexed pages, or pages gone)."""
    if result.mode == "clean":
        return True
    return bool(result.rendered_kinds & INDEXED_KINDS) or any(
        removed.endswith(".html") for removed in result.removed
    )


def _search_index(folder: Path, site: Site) -> None:
    # One Pagefind run at a time: two at once saved a quarter of the time at 10,000 products
    # but doubled the index step's memory (about 1 GB at national scale) on top of the build.
    build_search_index(folder, site.config.full_languages, jobs=1)


# -- files beside the pages ----------------------------------------------------------------------

EXTRA_FILES = ("index.html", "404.html", "catalogue.json", "robots.txt", "_headers")


def _extras(site: Site, pages: Plan, theme: Theme, renderer: Renderer, writer: PageWriter) -> None:
    writer.write("index.html", renderer.render_chooser())
    default_404 = writer.folder / site.config.default_language / "404.html"
    writer.write("404.html", default_404.read_text(encoding="utf-8"))
    writer.write("catalogue.json", dumps(build_catalogue(site, pages)))
    for name, text in sitemaps(site, pages).items():
        writer.write(name, text)
    writer.write("robots.txt", robots(site))
    # The content files' JSON Schemas, for editors (yaml-language-server) and the sell form; not
    # pages, so not in the sitemap. Rewritten only when their bytes change (the ids did).
    for name, text in schema_files(references_of(site), base_url=site.config.base_url).items():
        writer.write(f"{SCHEMA_FOLDER}/{name}", text)
    writer.write(
        "_headers",
        headers_file(
            theme.assets, checkout_url=site.config.checkout_url, languages=site.config.languages
        ),
    )


def _files(digests: dict[str, str], media: list[str], theme: Theme, pages: Plan) -> set[str]:
    """Every file a build writes (but the search index, which is rebuilt as a whole)."""
    files = set(digests) | set(media) | set(EXTRA_FILES) | set(sitemap_names(pages))
    files |= {f"{SCHEMA_FOLDER}/{kind}.schema.json" for kind in KINDS}
    files |= {asset.output for asset in theme.assets.values()}
    return files


def _remove(output: Path, relative: str) -> None:
    target = output / relative
    if relative.startswith("pagefind/") or not target.exists():
        return
    target.unlink()
    # Drop folders left empty (a deleted product's page folder), up to the output root.
    parent = target.parent
    while parent != output and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


# -- the manifest: what the last build wrote and from what ----------------------------------------


def _name(output: Path) -> str:
    where = str(output.resolve())
    return f"{output.name}-{hashlib.blake2b(where.encode(), digest_size=4).hexdigest()}"


def _read_manifest(path: Path, output: Path) -> dict[str, Any] | None:
    """The last build's manifest, if it describes the output as it is now; else None (clean)."""
    if not output.is_dir():
        return None
    try:
        with path.open("rb") as handle:
            manifest: dict[str, Any] = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    if manifest.get("version") != CACHE_VERSION or manifest.get("output") != str(output.resolve()):
        return None
    return manifest


def _write_manifest(path: Path, output: Path, digests: dict[str, str], files: set[str]) -> None:
    """Written last, atomically: a build that stops half-way leaves the old manifest, whose
    digests no longer match the pages it did write, so the next build redoes them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "version": CACHE_VERSION,
        "output": str(output.resolve()),
        "digests": digests,
        "files": sorted(files),
    }
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump(manifest, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def clear_cache(output: Path, cache: Path | None = None) -> None:
    shutil.rmtree(cache or default_cache(output), ignore_errors=True)
