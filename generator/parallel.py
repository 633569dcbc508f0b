"""Render pages in worker processes, each writing its pages straight to disk.

Workers are forked after the site is assembled, so they share it with the parent instead of
receiving a copy; only page indices go to them and only counts come back, never HTML. A page is
written as soon as it is rendered, so memory does not grow with the number of pages. The output
does not depend on the number of workers (tests/test_parallel.py compares the bytes).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

from .render import Renderer
from .urls import PageSpec

# Below this many pages, starting workers costs more than it saves.
PARALLEL_THRESHOLD = 400


@dataclass
class PageWriter:
    """Writes pages under ``folder``. ``in_place`` (incremental builds into the live output):
    each file is replaced atomically, and a page whose bytes did not change is not touched.
    """

    folder: Path
    in_place: bool = False
    _made: set[str] = field(default_factory=set)

    def write(self, relative: str, text: str) -> bool:
        target = os.path.join(self.folder, relative)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        data = text.encode("utf-8")
        if not self.in_place:
            with open(target, "wb") as handle:
                handle.write(data)
            return True
        try:
            with open(target, "rb") as handle:
                if handle.read() == data:
                    return False
        except FileNotFoundError:
            pass
        temporary = f"{target}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
        return True


# Set in the parent just before forking; the workers inherit it (nothing is pickled).
_JOB: tuple[Renderer, list[PageSpec], PageWriter] | None = None


def render_pages(renderer: Renderer, specs: list[PageSpec], writer: PageWriter, jobs: int) -> int:
    """Render and write every page of ``specs``; return how many files changed on disk."""
    if jobs <= 1 or len(specs) < PARALLEL_THRESHOLD or "fork" not in _start_methods():
        return _render_range(renderer, specs, writer, 0, len(specs))
    global _JOB
    _JOB = (renderer, specs, writer)
    # Objects that exist now are never collected in the workers: the collector would otherwise
    # write to every object's header and turn the shared pages into private copies.
    gc.collect()
    gc.freeze()
    try:
        size = max(16, min(256, len(specs) // (jobs * 8)))
        chunks = [(start, min(start + size, len(specs))) for start in range(0, len(specs), size)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return sum(pool.imap_unordered(_render_chunk, chunks))
    finally:
        _JOB = None
        gc.unfreeze()


def _render_chunk(bounds: tuple[int, int]) -> int:
    assert _JOB is not None, "render workers are forked from render_pages"
    renderer, specs, writer = _JOB
    return _render_range(renderer, specs, writer, *bounds)


def _render_range(
    renderer: Renderer, specs: list[PageSpec], writer: PageWriter, start: int, stop: int
) -> int:
    changed = 0
    for spec in specs[start:stop]:
        changed += writer.write(spec.output, renderer.render(spec))
    return changed


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
