"""The site search index: Pagefind over the built pages, in shards of bounded size.

Pagefind (https://pagefind.app) reads built HTML and writes a static index that its JavaScript
searches in the browser, fetching only the small chunks a query needs. The templates decide what
is searchable with ``data-pagefind-body`` (a product's name, summary, category, region, materials,
labels and maker; the whole text of a project, course or lesson), ``data-pagefind-meta`` (kind,
price, region: shown in the results) and ``data-pagefind-ignore``.

Why shards: the Pagefind binary keeps every page's words in memory until it writes the index, about
30 kB per product page at peak, so one run over a national catalogue (≈500,000 pages) would need
~15 GB. Each run here gets at most ``shard_pages`` pages of one language (default 15,000, under
500 MB), so the peak memory does not grow with the site. A language's first shard is its primary
index; the search page merges the others into it (Pagefind's ``mergeIndex``, which reuses the
primary's WebAssembly). Up to ``shard_pages`` pages per language (the sample site, 10,000 products)
there is one shard per language and nothing to merge.

A shard is named to Pagefind by a glob over the site itself (no copies, no links): small sections
whole (``fr/{products/*,cooperatives/*}/**/index.html``), a big one split by folder-name prefix (a
trie) into groups small enough to pack (``fr/products/{a*,ba*,be*}/**/index.html``). Pagefind's
file walk only visits the folders under a glob's fixed prefix.

Layout of ``<site>/pagefind/``::

    pagefind-component-ui.js/.css   the search UI (loaded by the search page only)
    taawun-search.js                written here: each language's shards; mounts the UI
    ar/  fr/                        each language's first shard: a complete Pagefind bundle
    ar-2/  fr-2/ …                  further shards (only on large sites)

The new index is assembled beside the site and swapped in with two renames, so a failed or
interrupted run leaves the previous index in place, and running it twice gives the same index.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from . import academy
from .ideas import LISTING_FOLDERS

BUNDLE = "pagefind"
SCRIPT = "taawun-search.js"
# The page folders whose pages carry data-pagefind-body (listings and the home page do not).
SECTIONS = ("products", "cooperatives", "projects", "academy")
# Folders of a section that hold listings, not entity pages: not counted (their pages carry no
# data-pagefind-body, so Pagefind reads them and indexes nothing).
LISTINGS = {"projects": LISTING_FOLDERS, "academy": academy.LISTING_FOLDERS}
DEFAULT_SHARD_PAGES = 15_000
# Pagefind runs <dt> and <dd> together ("CatégorieHuile d'olive"); the labels are boilerplate.
EXCLUDE_SELECTORS = ("dt",)
# Everything searchable is inside <main>; starting there skips the header, navigation and footer
# (same index, about a fifth less CPU at 10,000 products).
ROOT_SELECTOR = "main"
# Pagefind writes three UIs into every bundle; the search page uses the Component UI, once.
UI_FILES = ("pagefind-component-ui.js", "pagefind-component-ui.css")
OTHER_UI_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
# Folder names that need no escaping in a Pagefind (wax) glob; ids are [a-z0-9-] anyway.
_PLAIN = re.compile(r"^[A-Za-z0-9_.~-]*$")
_GLOB_SPECIAL = re.compile(r"([\\*?\[\]{}()<>,:!#$^@])")
MB = 1024 * 1024


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed; the message carries the end of its output."""


@dataclass(frozen=True)
class Shard:
    """One Pagefind run: the pages of one language that ``glob`` matches (about ``pages``)."""

    lang: str
    number: int  # 1-based within its language
    glob: str
    pages: int

    @property
    def folder(self) -> str:
        """Its bundle folder under ``pagefind/``: ``fr`` for the first, then ``fr-2``, …"""
        return self.lang if self.number == 1 else f"{self.lang}-{self.number}"


@dataclass(frozen=True)
class ShardRun:
    """What one Pagefind run indexed and cost."""

    lang: str
    folder: str
    pages: int  # pages Pagefind indexed (files with data-pagefind-body)
    seconds: float
    peak_mb: float  # the Pagefind process's peak resident memory


@dataclass
class SearchStats:
    """What ``build_search_index`` did, for the build summary and the benchmarks."""

    runs: list[ShardRun] = field(default_factory=list)
    seconds: float = 0.0
    folder: Path | None = None  # the pagefind/ folder written

    def pages(self, lang: str) -> int:
        return sum(run.pages for run in self.runs if run.lang == lang)

    def shards(self, lang: str) -> int:
        return sum(1 for run in self.runs if run.lang == lang)

    @property
    def languages(self) -> list[str]:
        return sorted({run.lang for run in self.runs})

    @property
    def peak_mb(self) -> float:
        return max((run.peak_mb for run in self.runs), default=0.0)

    def size_bytes(self) -> int:
        """The index's size on disk (sum of file sizes); walks every file, so only on demand."""
        if self.folder is None:
            return 0
        total = 0
        for root, _dirs, files in os.walk(self.folder):
            for name in files:
                total += os.stat(os.path.join(root, name)).st_size
        return total

    def summary(self) -> str:
        per_lang = ", ".join(
            f"{lang} {self.pages(lang):,} pages in {self.shards(lang)} shard(s)"
            for lang in self.languages
        )
        return (
            f"search index: {per_lang or 'no pages'}; {self.seconds:.1f} s, "
            f"Pagefind peak {self.peak_mb:.0f} MB, {self.size_bytes() / MB:.1f} MB on disk"
        )


def search_languages(site_folder: Path) -> list[str]:
    """The languages that have a search page in a built site (the full languages)."""
    if not site_folder.is_dir():
        return []
    return sorted(
        entry.name
        for entry in site_folder.iterdir()
        if entry.is_dir() and (entry / "search" / "index.html").is_file()
    )


def build_search_index(
    site_folder: Path,
    languages: Sequence[str] | None = None,
    *,
    shard_pages: int = DEFAULT_SHARD_PAGES,
    jobs: int = 1,
) -> SearchStats:
    """(Re)build ``<site_folder>/pagefind/`` from the pages already written in ``site_folder``.

    ``languages``: the languages to index (default: those with a search page; pass the site's
    full languages). ``shard_pages``: the most pages one Pagefind run holds in memory.
    ``jobs``: Pagefind runs at a time (a run is partly multi-threaded already: on two cores, two
    at a time saved a quarter of the time at 10,000 products, and doubled the peak memory).
    """
    if shard_pages < 1 or jobs < 1:
        raise ValueError("shard_pages and jobs must be at least 1")
    started = time.perf_counter()
    site = Path(site_folder).resolve()
    langs = list(languages) if languages is not None else search_languages(site)
    binary = pagefind_binary()
    shards = [shard for lang in langs for shard in plan_shards(site, lang, shard_pages)]
    work = Path(tempfile.mkdtemp(prefix=f".{site.name}.search-", dir=site.parent))
    try:
        runs = _run_all(binary, site, shards, work, jobs)
        bundle = _assemble(work, shards)
        target = site / BUNDLE
        if target.exists():
            os.replace(target, work / "retired")
        os.replace(bundle, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SearchStats(runs=runs, seconds=time.perf_counter() - started, folder=target)


# -- planning the shards -------------------------------------------------------------------------


def plan_shards(site: Path, lang: str, shard_pages: int) -> list[Shard]:
    """Split the entity pages of ``lang`` into globs of at most ``shard_pages`` pages each.

    A section that fits in a shard is one alternative (``products/*``), and such sections share
    shards. A bigger section is split by folder-name prefix into groups of at most an eighth of a
    shard, packed in order into shards of its own (so each shard is at least 7/8 full), whose glob
    keeps the section in its fixed prefix (``fr/products/{a*,b*}/…``): Pagefind walks only the
    folders under a glob's fixed prefix, and walking all of ``fr/`` for every shard would cost more
    than indexing it. A folder bigger than a shard (a course with very many lessons) gets its own.
    """
    shards: list[Shard] = []

    def pack(groups: list[tuple[str, int]], prefix: str) -> None:
        batch: list[str] = []
        size = 0
        for alternative, pages in [*groups, ("", 0)]:
            if batch and (not alternative or size + pages > shard_pages):
                glob = f"{prefix}{{{','.join(batch)}}}/**/index.html"
                shards.append(Shard(lang, len(shards) + 1, glob, size))
                batch, size = [], 0
            if alternative:
                batch.append(alternative)
                size += pages

    whole: list[tuple[str, int]] = []
    for section in SECTIONS:
        listings = LISTINGS.get(section, frozenset())
        folders = _page_folders(site / lang / section, counted=section == "academy", skip=listings)
        total = sum(pages for _, pages in folders)
        if not folders:
            continue
        if total <= shard_pages:
            whole.append((f"{section}/*", total))
        else:
            groups = _split(folders, "", max(1, shard_pages // 8))
            pack(groups, f"{_glob_part(lang)}/{section}/")
    pack(whole, f"{_glob_part(lang)}/")
    return shards


def _page_folders(
    section: Path, *, counted: bool, skip: frozenset[str] = frozenset()
) -> list[tuple[str, int]]:
    """The sorted page folders of a section but those in ``skip``, each with its number of
    pages (1, or a course's own page plus its lessons when ``counted``)."""
    if not section.is_dir():
        return []
    folders = []
    with os.scandir(section) as entries:
        for entry in entries:
            if not entry.is_dir() or entry.name in skip:
                continue
            pages = 1
            if counted:
                pages = sum("index.html" in files for _root, _dirs, files in os.walk(entry.path))
            if pages:
                folders.append((entry.name, pages))
    folders.sort()
    return folders


def _split(folders: list[tuple[str, int]], prefix: str, limit: int) -> list[tuple[str, int]]:
    """Glob alternatives (``ab*``) that together match ``folders`` (all starting with ``prefix``),
    each matching at most ``limit`` pages unless one folder alone is bigger."""
    total = sum(pages for _, pages in folders)
    if not folders:
        return []
    if total <= limit:
        return [(f"{_glob_part(prefix)}*", total)]
    depth = len(prefix)
    out = [(_glob_part(name), pages) for name, pages in folders if name == prefix]
    longer = [(name, pages) for name, pages in folders if len(name) > depth]
    for char, group in groupby(longer, key=lambda folder: folder[0][depth]):
        out += _split(list(group), prefix + char, limit)
    return out


def _glob_part(name: str) -> str:
    return name if _PLAIN.match(name) else _GLOB_SPECIAL.sub(r"\\\1", name)


# -- running Pagefind ----------------------------------------------------------------------------


def _run_all(
    binary: Path, site: Path, shards: list[Shard], work: Path, jobs: int
) -> list[ShardRun]:
    """Run Pagefind once per shard, at most ``jobs`` at a time.

    Each run gets a ``pagefind.json`` in its own folder (the glob can be long, a command line
    cannot). Runs are polled (not ``wait(-1)``: the build may have children of its own); their
    peak memory is Pagefind's own high-water mark, read while it runs, because ``ru_maxrss``
    would also count the Python process it was forked from.
    """
    queue = list(shards)
    running: dict[int, tuple[Shard, subprocess.Popen[bytes], Path, float]] = {}
    peaks: dict[int, int] = {}  # pid → highest VmHWM seen, kB
    runs: list[ShardRun] = []
    try:
        while queue or running:
            while queue and len(running) < jobs:
                shard = queue.pop(0)
                folder = work / f"run-{shard.folder}"
                folder.mkdir()
                config = {
                    "site": str(site),
                    "glob": shard.glob,
                    "output_path": str(work / f"out-{shard.folder}"),
                    "exclude_selectors": list(EXCLUDE_SELECTORS),
                    "root_selector": ROOT_SELECTOR,
                    "silent": True,
                }
                (folder / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
                with (folder / "log.txt").open("wb") as log:
                    process = subprocess.Popen(
                        [str(binary)],
                        cwd=folder,
                        stdin=subprocess.DEVNULL,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                running[process.pid] = (shard, process, folder, time.perf_counter())
            finished = False
            for pid, (shard, process, folder, start) in list(running.items()):
                peaks[pid] = max(peaks.get(pid, 0), _high_water_kb(pid))
                done, status, usage = os.wait4(pid, os.WNOHANG)
                if done == 0:
                    continue
                finished = True
                del running[pid]
                process.returncode = os.waitstatus_to_exitcode(status)
                if process.returncode != 0:
                    tail = (folder / "log.txt").read_text(encoding="utf-8", errors="replace")
                    raise SearchIndexError(
                        f"pagefind failed (exit {process.returncode}) on {shard.glob[:200]}:\n"
                        f"{tail[-2000:]}"
                    )
                entry = _entry(work / f"out-{shard.folder}")
                indexed = entry.get("languages", {}).get(shard.lang, {}).get("page_count", 0)
                runs.append(
                    ShardRun(
                        lang=shard.lang,
                        folder=shard.folder,
                        pages=int(indexed),
                        seconds=time.perf_counter() - start,
                        peak_mb=(peaks.pop(pid, 0) or usage.ru_maxrss) / 1024,
                    )
                )
            if not finished and running:
                time.sleep(0.05)
    finally:
        for _shard, process, _folder, _start in running.values():
            process.kill()
            process.wait()
    return sorted(runs, key=lambda run: (run.lang, len(run.folder), run.folder))


def _high_water_kb(pid: int) -> int:
    """The peak resident memory of a running process (Linux ``VmHWM``), 0 where unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def pagefind_binary() -> Path:
    """The Pagefind executable: from the ``pagefind[bin]`` package (or PAGEFIND_BINARY_PATH)."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        which = shutil.which("pagefind")
        found = Path(which) if which else None
    if found is None or not found.is_file():
        raise SearchIndexError(
            "the Pagefind binary was not found; "
            "install it with: python -m pip install 'pagefind[bin]'"
        )
    return found


# -- the bundle ----------------------------------------------------------------------------------


def _assemble(work: Path, shards: list[Shard]) -> Path:
    """``pagefind/``: the Component UI once, each shard's bundle in its folder, the script."""
    bundle = work / "bundle"
    bundle.mkdir()
    folders: dict[str, list[str]] = {}
    for shard in shards:
        out = work / f"out-{shard.folder}"
        if not out.is_dir():
            continue
        if not (bundle / UI_FILES[0]).exists():
            for name in UI_FILES:
                shutil.copyfile(out / name, bundle / name)
        for name in (*UI_FILES, *OTHER_UI_FILES):
            (out / name).unlink(missing_ok=True)
        os.replace(out, bundle / shard.folder)
        if _entry(bundle / shard.folder).get("languages", {}).get(shard.lang):
            folders.setdefault(shard.lang, []).append(f"/{BUNDLE}/{shard.folder}/")
    (bundle / SCRIPT).write_text(mount_script(folders), encoding="utf-8")
    return bundle


def mount_script(bundles: dict[str, list[str]]) -> str:
    """The search page's script: give Pagefind the page language's shards, then mount the UI.

    Pagefind reads ``mergeIndex`` only when an instance is created, which happens as soon as a
    UI element appears; so the elements wait in an (inert) <template> and are inserted here, after
    ``configureInstance``. Without JavaScript, or before an index exists, the template stays
    inert and the page's fallback text and links remain.
    """
    data = json.dumps(bundles, ensure_ascii=False, sort_keys=True)
    return (
        "// Written by `taawun build` / `taawun search-index` (generator/search.py).\n"
        "(function () {\n"
        '  "use strict";\n'
        f"  var bundles = {data};\n"
        "  var mine = bundles[document.documentElement.lang];\n"
        '  var template = document.getElementById("search-ui-template");\n'
        "  var ui = window.PagefindComponents;\n"
        "  if (!mine || !template || !ui) return;\n"
        '  ui.configureInstance("default", {\n'
        "    bundlePath: mine[0],\n"
        "    mergeIndex: mine.slice(1).map(function (path) { return { bundlePath: path }; })\n"
        "  });\n"
        "  template.replaceWith(template.content.cloneNode(true));\n"
        '  var fallback = document.getElementById("search-fallback");\n'
        "  if (fallback) fallback.hidden = true;\n"
        "  // Pagefind's filter dropdowns are buttons with role=combobox, whose text does not\n"
        "  // name them: name each by its visible label, as soon as it is drawn.\n"
        "  var name = function () {\n"
        '    document.querySelectorAll(".pf-dropdown-trigger").forEach(function (button) {\n'
        '      var label = button.querySelector(".pf-dropdown-trigger-label");\n'
        '      if (!label || button.hasAttribute("aria-labelledby")) return;\n'
        '      label.id = label.id || button.id + "-label";\n'
        '      button.setAttribute("aria-labelledby", label.id);\n'
        "    });\n"
        "  };\n"
        '  var filters = document.querySelector(".search-filters") || document.body;\n'
        "  new MutationObserver(name).observe(filters, { childList: true, subtree: true });\n"
        "  name();\n"
        "})();\n"
    )


def _entry(bundle: Path) -> dict[str, Any]:
    """Pagefind's ``pagefind-entry.json``: ``{"languages": {"fr": {"page_count": …}}, …}``."""
    path = bundle / "pagefind-entry.json"
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
