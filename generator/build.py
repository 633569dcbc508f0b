"""The build, as one ordered recipe of named stages (the order listed is the order of execution):

configure + discover + load → assemble → plan URLs → render (into a staging folder) →
postbuild (catalogue.json, sitemap, robots.txt) → publish (swap the staging folder in).

Stages up to "plan" only read and collect problems; nothing is written unless the report is clean.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .assemble import assemble
from .catalogue import build_catalogue, dumps
from .errors import BuildFailed, ErrorReport
from .loader import load
from .postbuild import robots, sitemap
from .render import Renderer
from .site import Site
from .theme import Theme
from .urls import Plan, plan
from .write import Staging


@dataclass
class BuildResult:
    report: ErrorReport
    site: Site | None = None
    plan: Plan | None = None
    timings: list[tuple[str, float]] = field(default_factory=list)

    def pages_per_kind(self) -> Counter[tuple[str, str]]:
        assert self.plan is not None
        return Counter((spec.kind, spec.lang) for spec in self.plan.pages)


@contextmanager
def _timed(result: BuildResult, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    result.timings.append((stage, time.perf_counter() - start))


def check(content: Path, today: date | None = None) -> BuildResult:
    """Validate everything and plan the pages; write nothing."""
    result = BuildResult(ErrorReport())
    with _timed(result, "load"):
        loaded = load(content, result.report)
    with _timed(result, "assemble"):
        site = assemble(loaded, result.report, today or date.today())
    if site is None:
        return result
    result.site = site
    with _timed(result, "plan"):
        result.plan = plan(site, result.report)
    return result


def build(
    content: Path, output: Path, theme: Theme | None = None, today: date | None = None
) -> BuildResult:
    """Build the site into ``output``. Raises BuildFailed (and writes nothing) on content errors."""
    result = check(content, today)
    if result.report.has_errors or result.site is None or result.plan is None:
        raise BuildFailed(result.report)
    site, pages = result.site, result.plan
    theme = theme or Theme()
    renderer = Renderer(site, pages, theme)
    with Staging(output) as stage:
        with _timed(result, "render"):
            for spec in pages.pages:
                stage.write_text(spec.output, renderer.render(spec))
            stage.write_text("index.html", renderer.render_chooser())
        with _timed(result, "assets"):
            stage.copy_tree(theme.static, "static")
            stage.copy_tree(content / "media", "media")
            default_404 = stage.folder / site.config.default_language / "404.html"
            stage.write_bytes("404.html", default_404.read_bytes())
        with _timed(result, "postbuild"):
            stage.write_text("catalogue.json", dumps(build_catalogue(site, pages)))
            stage.write_text("sitemap.xml", sitemap(site, pages))
            stage.write_text("robots.txt", robots(site))
        with _timed(result, "publish"):
            stage.publish()
    return result
