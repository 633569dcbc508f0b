"""The storefront's budgets for a buyer on a cheap phone, measured on a built site.

    python bench/budgets.py [--site public/] [--lighthouse PATH/TO/lighthouse]

For the home, market, product and cooperative pages in Arabic and French it prints one table:
- **first render**: the HTML plus the stylesheets it links, gzip-compressed (level 9, what a
  static host or CDN sends): under 14 KB, one round trip on a slow connection;
- **JavaScript**: every script the page loads, compressed: under 10 KB in total on browsing pages;
- with ``--lighthouse``: Lighthouse 12 (mobile, the default emulation) performance,
  accessibility, best practices and SEO, each to reach 100 (0.95 is the floor while tuning).
  Install it apart (it is not a test dependency): ``npm install --prefix /tmp/lh
  lighthouse@12.2.3`` (13 needs Node 22), then pass ``/tmp/lh/node_modules/.bin/lighthouse``.
  Lighthouse drives Debian's /usr/bin/chromium (set CHROME_PATH to use another).

Exit status 1 when a size budget is exceeded (Lighthouse scores are reported, not enforced).
Without ``--site``, the embedded sample site is built into a temporary folder first.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `generator` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selectolax.lexbor import LexborHTMLParser

FIRST_RENDER_BUDGET = 14 * 1024
JS_BUDGET = 10 * 1024
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROMIUM_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


@dataclass
class PageBudget:
    path: str
    html: int
    css: int
    js: int
    scores: dict[str, float] | None = None

    @property
    def first_render(self) -> int:
        return self.html + self.css

    @property
    def ok(self) -> bool:
        return self.first_render <= FIRST_RENDER_BUDGET and self.js <= JS_BUDGET


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def measure_page(site: Path, path: str) -> PageBudget:
    page = site / path.lstrip("/") / "index.html"
    raw = page.read_bytes()
    tree = LexborHTMLParser(raw.decode("utf-8"))
    css = sum(
        compressed((site / str(link.attributes["href"]).lstrip("/")).read_bytes())
        for link in tree.css('link[rel="stylesheet"]')
    )
    js = sum(
        compressed((site / str(script.attributes["src"]).lstrip("/")).read_bytes())
        for script in tree.css("script[src]")
    )
    return PageBudget(path, compressed(raw), css, js)


def key_pages(site: Path) -> list[str]:
    """Home, market, the first product and cooperative, the first course and its first lesson,
    the first project idea, the statistics page and the "sell with us" form (each by folder
    name), in ar and fr."""
    fr = site / "fr"
    product = sorted((fr / "products").iterdir())[0].name
    coop = sorted((fr / "cooperatives").iterdir())[0].name
    # A course folder is the one with an attestation page; the idea folders are the ones
    # holding an idea page (the others are the bank's filter listings).
    course = sorted(d for d in (fr / "academy").iterdir() if (d / "attestation").is_dir())[0]
    lesson = sorted(d.name for d in course.iterdir() if d.is_dir() and d.name != "attestation")[0]
    idea = sorted(
        d.name
        for d in (fr / "projects").iterdir()
        if (d / "index.html").is_file()
        and not (d / "page").exists()
        and d.name not in {"regions", "sectors", "groups", "investment", "jobs"}
    )[0]
    paths = (
        "",
        "market/",
        f"products/{product}/",
        f"cooperatives/{coop}/",
        f"academy/{course.name}/",
        f"academy/{course.name}/{lesson}/",
        f"projects/{idea}/",
        "stats/",
        "sell/",
    )
    return [f"/{lang}/{path}" for lang in ("ar", "fr") for path in paths]


def lighthouse(binary: str, url: str) -> dict[str, float]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                binary,
                url,
                "--output=json",
                "--quiet",
                f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
                f"--chrome-flags={CHROMIUM_FLAGS} --user-data-dir={profile}",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=300,
        )
    report = json.loads(done.stdout)
    return {name: report["categories"][name]["score"] for name in LIGHTHOUSE_CATEGORIES}


@contextmanager
def served(site: Path) -> Iterator[str]:
    from tests.quality.checkers import serve_directory

    with serve_directory(site) as base:
        yield base.rstrip("/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the sample)")
    parser.add_argument("--lighthouse", help="path of a Lighthouse 12 binary")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        site = args.site
        if site is None:
            from generator.build import build

            site = Path(work) / "public"
            build(Path(__file__).resolve().parents[1] / "content", site)
        rows = [measure_page(site, path) for path in key_pages(site)]
        if args.lighthouse:
            with served(site) as base:
                for row in rows:
                    row.scores = lighthouse(args.lighthouse, base + row.path)
    print_table(rows)
    return 0 if all(row.ok for row in rows) else 1


def print_table(rows: list[PageBudget]) -> None:
    header = ["page", "HTML KB", "CSS KB", "first render KB", "JS KB", "within budget"]
    if any(row.scores for row in rows):
        header += ["perf", "a11y", "best pr.", "SEO"]
    lines = [header]
    for row in rows:
        line = [
            row.path,
            f"{row.html / 1024:.1f}",
            f"{row.css / 1024:.1f}",
            f"{row.first_render / 1024:.1f}",
            f"{row.js / 1024:.1f}",
            "yes" if row.ok else "NO",
        ]
        if row.scores:
            line += [f"{row.scores[c]:.2f}" for c in LIGHTHOUSE_CATEGORIES]
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for n, line in enumerate(lines):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(
        f"budgets: first render (HTML + CSS, gzip -9) ≤ {FIRST_RENDER_BUDGET // 1024} KB; "
        f"JavaScript ≤ {JS_BUDGET // 1024} KB compressed"
    )


if __name__ == "__main__":
    sys.exit(main())
