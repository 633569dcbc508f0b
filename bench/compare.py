"""Taawun against Hugo, Pelican and MkDocs on the same generated content: one command, one table.

    python bench/compare.py --sizes 1000 10000 [--national] [--jobs N] [--work DIR]
                            [--skip pelican,mkdocs] [--corpus 10000=/tmp/corpus-3334] [--json F]

For each size (in products) the corpus is generated with ``bench/corpus.py`` (ceil(size / 3)
cooperatives, about 3 products each) or reused, converted for each tool (not timed), then the clean
builds run one after the other: Taawun, Hugo, Pelican, MkDocs. At ``--edit-size`` (10,000) the
one-edit rebuilds follow (Taawun's ``bench/incremental.py`` and ``hugo --watch``) and the search
index; with ``--national``, Taawun's clean build and search index at 65,315 cooperatives. Wall time
and peak memory (summed PSS of the process tree, see ``bench/measure.py``) are printed as one table;
``--json`` writes the same results for the docs. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import measure
from bench.others import hugo, hugo_watch, mkdocs, pelican, source, taawun
from bench.others.project import Project, count_html, count_language_pages

REPO = Path(__file__).resolve().parents[1]
CORPUS_SCRIPT = REPO / "bench" / "corpus.py"
NATIONAL_COOPERATIVES = 65_315
PRODUCTS_PER_COOPERATIVE = 3
OTHERS: dict[str, ModuleType] = {"hugo": hugo, "pelican": pelican, "mkdocs": mkdocs}
LABELS = {"taawun": "Taawun", "hugo": "Hugo", "pelican": "Pelican", "mkdocs": "MkDocs"}


@dataclass
class Row:
    size: str  # "1,000", "10,000", "national"
    products: int
    tool: str  # "taawun", "hugo", …
    task: str  # "clean build", "one edit", "search index"
    pages: int | None = None
    seconds: float | None = None
    peak_mb: float | None = None
    max_rss_mb: float | None = None  # kernel ru_maxrss of the largest single process
    processes: int | None = None
    note: str = ""
    command: list[str] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)  # every run's seconds (with --repeat)

    @property
    def products_per_second(self) -> float | None:
        if self.task != "clean build" or not self.seconds:
            return None
        return self.products / self.seconds


# --- corpus ---------------------------------------------------------------------------------------


def cooperatives_for(products: int) -> int:
    return math.ceil(products / PRODUCTS_PER_COOPERATIVE)


def content_root(folder: Path) -> Path:
    """The content folder of a generated tree (the tree itself, or its ``content/``)."""
    return folder / "content" if (folder / "content" / "products").is_dir() else folder


def corpus_header(content: Path) -> str:
    """The first line of a generated corpus's site.yaml (it names N and the seed)."""
    site = content / "site.yaml"
    if not site.exists():
        return ""
    with site.open(encoding="utf-8") as f:
        return f.readline().strip()


def ensure_corpus(cooperatives: int, seed: int, work: Path) -> Path:
    """Generate (or reuse) the corpus of ``cooperatives`` cooperatives; return its content folder."""
    folder = work / f"corpus-{cooperatives}-s{seed}"
    marker = work / f"corpus-{cooperatives}-s{seed}.json"
    wanted = {"cooperatives": cooperatives, "seed": seed}
    if marker.exists() and folder.is_dir() and json.loads(marker.read_text()) == wanted:
        log(f"reusing the corpus {folder}")
        return content_root(folder)
    if not CORPUS_SCRIPT.exists():
        raise SystemExit(f"compare: {CORPUS_SCRIPT} does not exist yet; pass --corpus SIZE=DIR")
    shutil.rmtree(folder, ignore_errors=True)
    marker.unlink(missing_ok=True)
    log(f"generating {cooperatives} cooperatives (seed {seed}) into {folder} …")
    start = time.perf_counter()
    command = [sys.executable, str(CORPUS_SCRIPT), str(cooperatives), "--seed", str(seed)]
    subprocess.run([*command, "--out", str(folder)], check=True, stdout=sys.stderr)
    log(f"  generated in {time.perf_counter() - start:.1f} s")
    marker.write_text(json.dumps(wanted))
    return content_root(folder)


# --- running --------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def size_label(products: int | str) -> str:
    return products if isinstance(products, str) else f"{products:,}"


def _failure(m: measure.Measurement) -> str:
    if m.timed_out:
        return "timed out"
    last = [line for line in (m.stderr or m.stdout).splitlines() if line.strip()]
    return f"failed (exit {m.returncode}): {last[-1][:120] if last else ''}".rstrip(": ")


def measured(
    row: Row,
    command: list[str],
    before: Callable[[], None],
    repeat: int,
    timeout: float,
    cwd: Path,
    env: dict[str, str] | None = None,
) -> measure.Measurement | None:
    """Run ``command`` ``repeat`` times (``before`` each time); fill ``row`` with the median run."""
    row.command = command
    log(f"  {row.size:>9} {row.tool:<8} {row.task}: {' '.join(command)}")
    runs = []
    for _ in range(repeat):
        before()
        m = measure.run(command, cwd=cwd, env=env, timeout=timeout)
        if not m.ok:
            row.note = _failure(m)
            log(f"    {row.note}\n{m.stderr[-2000:]}")
            return None
        runs.append(m)
        log(f"    {m.seconds:.2f} s, peak {m.peak_mb:.0f} MB ({m.memory_source})")
    runs.sort(key=lambda m: m.seconds)
    median = runs[len(runs) // 2]
    row.runs = [m.seconds for m in runs]
    row.seconds = median.seconds
    row.peak_mb = median.peak_mb
    row.max_rss_mb = median.max_rss_mb
    row.processes = median.max_processes
    if median.memory_source != "pss":
        row.note = "memory: RSS (PSS unreadable)"
    return median


@dataclass
class Options:
    work: Path
    jobs: int | None
    repeat: int
    timeout: float
    skip: set[str]
    edit_repeats: int


def taawun_build(size: str, content: Path, products: int, opts: Options) -> tuple[Row, Path]:
    output = opts.work / f"taawun-{size.replace(',', '')}" / "public"
    cache = output.parent / "cache"
    output.parent.mkdir(parents=True, exist_ok=True)
    row = Row(size, products, "taawun", "clean build")
    command = taawun.build_command(content, output, opts.jobs, cache)
    if opts.jobs is not None and not taawun.supports_jobs():
        row.note = "--jobs ignored (taawun build has no --jobs yet)"
    m = measured(
        row,
        command,
        lambda: taawun.clean(content, output, cache),
        opts.repeat,
        opts.timeout,
        output.parent,
    )
    if m is not None:
        row.pages = count_html(output)
    return row, output


def other_build(project: Project, products: int, size: str, opts: Options) -> Row:
    row = Row(size, products, project.tool, "clean build")
    m = measured(
        row,
        project.command(),
        project.clean,
        opts.repeat,
        opts.timeout,
        project.root,
        project.environment(),
    )
    if m is not None:
        row.pages = count_html(project.output)
        shared = count_language_pages(project.output)
        if shared != project.expected_pages:
            row.note = f"expected {project.expected_pages} product+listing pages, got {shared}"
    return row


def taawun_incremental(size: str, content: Path, output: Path, products: int, opts: Options) -> Row:
    row = Row(size, products, "taawun", "one edit")
    command = taawun.incremental_command(content, output, opts.jobs)
    if command is None:
        row.note = "not available (bench/incremental.py does not exist yet)"
        return row
    row.command = command
    log(f"  {size:>9} taawun   one edit: {' '.join(command)}")
    m = measure.run(command, cwd=output.parent, timeout=opts.timeout)
    if not m.ok:
        row.note = _failure(m)
        log(m.stderr[-2000:])
        return row
    try:
        result = json.loads(m.stdout.strip().splitlines()[-1])
        row.seconds = float(result["seconds"])
        row.pages = int(result["pages_rendered"])
    except (IndexError, KeyError, ValueError) as error:
        row.note = f"unreadable output ({error}): {m.stdout[-200:]!r}"
        return row
    row.peak_mb = m.peak_mb
    row.max_rss_mb = m.max_rss_mb
    row.runs = [float(r) for r in result.get("runs", [])]
    row.note = "warm rebuild as in taawun serve (median); pages = pages re-rendered"
    if result.get("cli_seconds") is not None:
        row.note += f"; a new taawun build process: {float(result['cli_seconds']):.2f} s"
    row.note += "; MB: the driver's peak, warm-up included"
    return row


def hugo_incremental(project: Project, site: source.Site, size: str, opts: Options) -> Row:
    row = Row(size, len(site.products), "hugo", "one edit")
    row.command = hugo.watch_command(project)
    product = site.products[len(site.products) // 2].id
    log(f"  {size:>9} hugo     one edit ({product}): {' '.join(row.command)}")
    project.clean()
    try:
        result = hugo_watch.measure(project, product, repeats=opts.edit_repeats)
    except (TimeoutError, OSError) as error:
        row.note = f"failed: {error}"
        return row
    row.seconds = result.wall_median
    row.runs = result.wall_seconds
    reported = ", ".join(f"{s * 1000:.0f}" for s in result.reported_seconds)
    row.note = f"hugo --watch, write → log line; Hugo reports {reported} ms (median of {opts.edit_repeats})"
    return row


def taawun_search_index(
    size: str, content: Path, output: Path, products: int, opts: Options
) -> Row:
    row = Row(size, products, "taawun", "search index")
    command = taawun.search_index_command(content, output)
    if command is None:
        row.note = "not available (taawun search-index does not exist yet)"
        return row
    if not output.is_dir():
        row.note = "not run: the Taawun build failed"
        return row
    measured(row, command, lambda: None, 1, opts.timeout, output.parent)
    return row


def run_size(products_wanted: int, content: Path, opts: Options, edit_size: int) -> list[Row]:
    label = size_label(products_wanted)
    log(f"\n== {label} products: {content}")
    start = time.perf_counter()
    site = source.load(content)
    products = len(site.products)
    log(f"  read {products} products in {time.perf_counter() - start:.1f} s")
    projects = []
    for name, module in OTHERS.items():
        if name in opts.skip:
            continue
        if not module.available():
            log(f"  {name} is not installed: skipped")
            continue
        start = time.perf_counter()
        dest = opts.work / f"{name}-{label.replace(',', '')}"
        projects.append(module.convert(site, dest))
        log(f"  converted for {name} in {time.perf_counter() - start:.1f} s → {dest}")
    rows = []
    row, output = taawun_build(label, content, products, opts)
    rows.append(row)
    rows += [other_build(project, products, label, opts) for project in projects]
    if products_wanted == edit_size:
        rows.append(taawun_incremental(label, content, output, products, opts))
        for project in projects:
            if project.tool == "hugo":
                rows.append(hugo_incremental(project, site, label, opts))
        rows.append(taawun_search_index(label, content, output, products, opts))
    return rows


def run_national(content: Path, opts: Options) -> list[Row]:
    log(f"\n== national scale: {content}")
    products = source.count_products(content)
    row, output = taawun_build("national", content, products, opts)
    return [row, taawun_search_index("national", content, output, products, opts)]


# --- report ---------------------------------------------------------------------------------------


def _first_line(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if done.stdout or done.stderr else ""
    )


def machine() -> dict[str, object]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    commit = _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "memory": memory,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            "taawun": f"{taawun.version()} ({commit})",
            "hugo": hugo.version(),
            "pelican": pelican.version(),
            "mkdocs": mkdocs.version(),
        },
    }


def _fmt(value: float | None, pattern: str) -> str:
    return "–" if value is None else format(value, pattern)


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "–"
    return f"{value / base:.2f}×"


def table(rows: list[Row]) -> str:
    """The aligned plain-text table. Ratios are against Taawun's clean build at the same size."""
    base = {r.size: r for r in rows if r.tool == "taawun" and r.task == "clean build"}
    headers = [
        "size",
        "tool",
        "task",
        "pages",
        "seconds",
        "products/s",
        "peak MB",
        "time vs Taawun",
    ]
    headers += ["memory vs Taawun", "note"]
    body = []
    for r in rows:
        ref = base.get(r.size) if r.task == "clean build" else None
        body.append(
            [
                r.size,
                LABELS.get(r.tool, r.tool),
                r.task,
                _fmt(r.pages, ","),
                _fmt(r.seconds, ".2f"),
                _fmt(r.products_per_second, ",.0f"),
                _fmt(r.peak_mb, ",.0f"),
                _ratio(r.seconds, ref.seconds if ref else None),
                _ratio(r.peak_mb, ref.peak_mb if ref else None),
                r.note,
            ]
        )
    widths = [max(len(str(line[i])) for line in [headers, *body]) for i in range(len(headers))]
    right = {3, 4, 5, 6, 7, 8}

    def line(cells: list[str]) -> str:
        out = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(cells) for cells in body)])


def header(info: dict[str, object]) -> str:
    versions = info["versions"]
    assert isinstance(versions, dict)
    tools = ", ".join(f"{LABELS[name]} {v}" for name, v in versions.items())
    return (
        f"machine: {info['cpus']} CPUs ({info['cpu_model']}), {info['memory']} RAM, "
        f"load {info['load_average']}; {info['os']}\n"
        f"Python {info['python']}; {tools}\n"
        "seconds: wall time of the build command only (conversion not included); "
        "peak MB: max over time of the summed PSS of the process tree"
    )


# --- command line ---------------------------------------------------------------------------------


def _corpus_overrides(values: list[str]) -> dict[int, Path]:
    overrides = {}
    for value in values:
        size, _, folder = value.partition("=")
        if not folder:
            raise SystemExit(f"compare: --corpus wants SIZE=DIR, not {value!r}")
        key = NATIONAL_COOPERATIVES if size == "national" else int(size)
        overrides[key] = Path(folder).resolve()
    return overrides


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="sizes in products")
    p.add_argument("--national", action="store_true", help="also Taawun at 65,315 cooperatives")
    p.add_argument("--jobs", type=int, help="passed to taawun build (when it has --jobs)")
    p.add_argument("--work", type=Path, default=Path("/tmp/taawun-bench"), help="work folder")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    p.add_argument("--skip", default="", help="tools to leave out, e.g. pelican,mkdocs")
    p.add_argument(
        "--corpus",
        action="append",
        default=[],
        metavar="SIZE=DIR",
        help="use an existing content tree for SIZE products (or national=DIR)",
    )
    p.add_argument("--edit-size", type=int, default=10000, help="size of the one-edit rows")
    p.add_argument("--edit-repeats", type=int, default=3, help="hugo --watch edits (median)")
    p.add_argument("--repeat", type=int, default=1, help="clean builds per tool (median)")
    p.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per build")
    p.add_argument("--json", type=Path, help="also write the results as JSON")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    skip = {name.strip().lower() for name in args.skip.split(",") if name.strip()}
    unknown = skip - set(OTHERS)
    if unknown:
        raise SystemExit(f"compare: --skip: unknown tools {sorted(unknown)}; use {sorted(OTHERS)}")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    opts = Options(work, args.jobs, max(1, args.repeat), args.timeout, skip, args.edit_repeats)
    overrides = _corpus_overrides(args.corpus)
    info = machine()
    log(header(info))
    rows: list[Row] = []
    for size in args.sizes:
        content = overrides.get(size) or ensure_corpus(cooperatives_for(size), args.seed, work)
        if size in overrides:
            log(f"using {content} for {size:,} products: {corpus_header(content_root(content))}")
        rows += run_size(size, content_root(content), opts, args.edit_size)
    if args.national:
        content = overrides.get(NATIONAL_COOPERATIVES) or ensure_corpus(
            NATIONAL_COOPERATIVES, args.seed, work
        )
        rows += run_national(content_root(content), opts)
    print(header(info))
    print()
    print(table(rows))
    if args.json:
        results = {
            "machine": info,
            "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "rows": [
                {**asdict(r), "products_per_second": r.products_per_second, "label": LABELS[r.tool]}
                for r in rows
            ],
            "medians_of": opts.repeat,
        }
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        log(f"results written to {args.json}")
    failed = [r for r in rows if r.note.startswith(("failed", "timed out"))]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
