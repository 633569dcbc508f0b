"""Taawun's rebuild after one product edit, on a site already built into ``--output``.

    python bench/incremental.py --content DIR --output DIR [--jobs N] [--repeat 3]

Measures what `taawun serve` does when a cooperative saves one product file: the process is warm
(it has parsed the site and compiled the templates once, as the dev server has), the product's
price changes, and the timed rebuild re-reads the changed file, checks the whole site again,
re-renders only the pages that show that product and rewrites the catalogue and sitemap. It
runs through the dev server's own ``DevState``, told of the edited file as its file watcher would
tell it. What the server does after the page has reloaded (collecting garbage, rebuilding the
search index in the background) is not timed; the search index is measured by
`taawun search-index`. Also measured once: the same edit picked up by a fresh `taawun build`
process (cold: it parses every file again). Every edit is undone afterwards and the site rebuilt,
so the corpus and the output are left as they were.

Prints one JSON line: {"seconds", "pages_rendered", "cli_seconds", "cli_pages_rendered",
"stages"} (``seconds`` is the median of the warm rebuilds).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `generator` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.build import BuildResult
from generator.serve import DevState

PRICE = re.compile(r'^price: "(\d+)\.(\d\d)"$', re.MULTILINE)


def edited(text: str, step: int) -> str:
    """The product with its price raised by ``step`` dirhams (a change every listing shows)."""
    match = PRICE.search(text)
    if match is None:
        raise SystemExit("the product file has no top-level `price:` line to edit")
    price = f'price: "{int(match.group(1)) + step}.{match.group(2)}"'
    return text[: match.start()] + price + text[match.end() :]


def first_product(content: Path) -> Path:
    for path in sorted((content / "products").glob("*/*.yaml")):
        if PRICE.search(path.read_text(encoding="utf-8")):
            return path
    raise SystemExit(f"no product with a price in {content}/products")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    product = first_product(args.content)
    original = product.read_text(encoding="utf-8")
    state = DevState(jobs=args.jobs)

    def rebuild(changed: Path | None = None) -> BuildResult:
        """One rebuild as the dev server does it, its messages kept off the JSON output; what
        the server does after reloading the page (collect garbage) is not timed."""
        with contextlib.redirect_stdout(sys.stderr):
            built = state.rebuild_result(
                args.content, args.output, None if changed is None else [str(changed)]
            )
        if built is None:
            raise SystemExit("the rebuild failed (see above)")
        return built

    warm = rebuild()  # parses everything once, as the dev server did at start
    state.settle(search=False)
    if warm.mode != "incremental":
        print(
            "note: no cache from a previous build; the warm-up was a clean build", file=sys.stderr
        )
    runs: list[float] = []
    result = warm
    try:
        for step in range(1, args.repeat + 1):
            product.write_text(edited(original, step), encoding="utf-8")
            start = time.perf_counter()
            result = rebuild(product)  # the file the dev server's watcher reports
            runs.append(time.perf_counter() - start)
            state.settle(search=False)
        product.write_text(edited(original, args.repeat + 1), encoding="utf-8")
        cli = [sys.executable, "-m", "generator.cli", "build", "--content", str(args.content)]
        cli += ["--output", str(args.output)] + (["--jobs", str(args.jobs)] if args.jobs else [])
        start = time.perf_counter()
        done = subprocess.run(cli, capture_output=True, text=True, check=True)
        cli_seconds = time.perf_counter() - start
        found = re.search(r"(\d+) of \d+ pages rendered again", done.stdout)
    finally:
        product.write_text(original, encoding="utf-8")
        rebuild()
    print(
        json.dumps(
            {
                "seconds": round(statistics.median(runs), 3),
                "runs": [round(r, 3) for r in runs],
                "pages_rendered": len(result.rendered),
                "cli_seconds": round(cli_seconds, 3),
                "cli_pages_rendered": int(found.group(1)) if found else None,
                "stages": {stage: round(s, 3) for stage, s in result.timings},
                "edited": str(product),
            }
        )
    )


if __name__ == "__main__":
    main()
