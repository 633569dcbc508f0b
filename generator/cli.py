"""``taawun``: the front door. Exit codes: 0 success, 1 content errors, 2 usage errors."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .build import BuildResult, build, check
from .errors import BuildFailed
from .messages import LANGUAGES, N_, default_language, render

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="taawun", description="Build the cooperatives' multilingual site from content/."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", help="build the site into the output folder")
    p.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    p.add_argument(
        "--output", type=Path, default=Path("public"), help="output folder (default: public)"
    )
    _build_options(p)
    _lang_option(p)

    p = commands.add_parser("check", help="validate the content; write nothing")
    p.add_argument("--content", type=Path, default=Path("content"))
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    _lang_option(p)

    p = commands.add_parser("serve", help="build, serve on localhost and rebuild on change")
    p.add_argument("--content", type=Path, default=Path("content"))
    p.add_argument("--output", type=Path, default=Path("public"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)

    p = commands.add_parser(
        "search-index", help="(re)build the search index of an already built output folder"
    )
    p.add_argument("--output", type=Path, default=Path("public"))
    p.add_argument(
        "--shard-pages",
        type=_jobs,
        default=None,
        metavar="N",
        help="most pages one Pagefind run holds in memory (default: 15000, under 500 MB)",
    )
    p.add_argument(
        "--jobs", type=_jobs, default=1, metavar="N", help="Pagefind runs at a time (default: 1)"
    )
    from checkout.cli import add_commands

    add_commands(commands)
    from .importers.cli import add_commands as add_import_commands

    add_import_commands(commands)
    from .contribute.cli import add_commands as add_submissions_commands

    add_submissions_commands(commands)
    from .schemacli import add_command as add_schema_command

    add_schema_command(commands)
    from .cms import add_command as add_cms_command

    add_cms_command(commands)
    from .scaffold.cli import add_commands as add_new_command

    add_new_command(commands)
    return parser


def _jobs(value: str) -> int:
    jobs = int(value)
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def _lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the messages about the content: ar, fr or en (default: TAAWUN_LANG, "
        "else the locale in LC_ALL/LC_MESSAGES/LANG if it is Arabic or French, else en)",
    )


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes for parsing and rendering (default: every core)",
    )
    p.add_argument(
        "--cache",
        type=Path,
        default=None,
        metavar="DIR",
        help="cache folder for incremental builds and images (default: .taawun-cache beside "
        "the output folder); deleting it is always safe",
    )
    p.add_argument(
        "--clean",
        action="store_true",
        help="render every page instead of only those whose sources changed",
    )
    p.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="leave the search index out (build it later with `taawun search-index`)",
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in ("checkout", "orders"):
        from checkout.cli import run

        return run(args)
    if args.command == "schema":
        from .schemacli import run as run_schema

        return run_schema(args)
    if args.command == "import":
        from .importers.cli import run as run_import

        return run_import(args)
    if args.command == "submissions":
        from .contribute.cli import run as run_submissions

        return run_submissions(args)
    if args.command == "cms":
        from .cms import run as run_cms

        return run_cms(args)
    if args.command == "new":
        from .scaffold.cli import run as run_new

        return run_new(args)
    if args.command == "search-index":
        return _search_index(args.output, args.shard_pages, args.jobs)
    if not args.content.is_dir():
        print(f"taawun: the content folder {args.content} does not exist", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        return _check(args.content, args.format, args.lang or default_language())
    if args.command == "build":
        return _build(
            args.content,
            args.output,
            args.jobs,
            args.cache,
            not args.clean,
            args.search,
            args.lang or default_language(),
        )
    from .serve import serve

    return serve(args.content, args.output, args.host, args.port)


def _check(content: Path, style: str, lang: str = "en") -> int:
    result = check(content)
    text = result.report.format(style, lang)
    if style == "json":
        print(text)
    elif text:
        print(text, file=sys.stderr if style == "text" else sys.stdout)
    if style == "text" and not result.report.has_errors:
        print(
            "✓ " + render(N_("{content}: no errors"), {"content": str(content)}, lang),
            file=sys.stderr,
        )
    return EXIT_CONTENT if result.report.has_errors else EXIT_OK


def _build(
    content: Path,
    output: Path,
    jobs: int | None,
    cache: Path | None,
    incremental: bool,
    search: bool = True,
    lang: str = "en",
) -> int:
    try:
        result = build(
            content, output, jobs=jobs, cache=cache, incremental=incremental, search=search
        )
    except BuildFailed as failed:
        print(failed.report.format("text", lang), file=sys.stderr)
        unchanged = render(
            N_("nothing was written; {output} is unchanged"), {"output": str(output)}, lang
        )
        print(f"✗ {unchanged}", file=sys.stderr)
        return EXIT_CONTENT
    print(summary(result, output, lang))
    return EXIT_OK


def _search_index(output: Path, shard_pages: int | None, jobs: int) -> int:
    from .search import DEFAULT_SHARD_PAGES, SearchIndexError, build_search_index, search_languages

    languages = search_languages(output)
    if not languages:
        print(
            f"taawun: {output} has no built search page; run `taawun build` first", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        stats = build_search_index(
            output, languages, shard_pages=shard_pages or DEFAULT_SHARD_PAGES, jobs=jobs
        )
    except SearchIndexError as error:
        print(f"taawun: {error}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"✓ {stats.summary()}, in {output / 'pagefind'}")
    return EXIT_OK


def summary(result: BuildResult, output: Path, lang: str = "en") -> str:
    lines = [w.as_text(lang) for w in result.report.warnings]
    lines.append(
        "phase timings: "
        + ", ".join(f"{stage} {seconds * 1000:.0f} ms" for stage, seconds in result.timings)
    )
    per_kind = result.pages_per_kind()
    langs = sorted({lang for _, lang in per_kind})
    kinds = sorted({kind for kind, _ in per_kind})
    lines.append(f"{'pages':<14}" + "".join(f"{lang:>6}" for lang in langs))
    for kind in kinds:
        lines.append(f"{kind:<14}" + "".join(f"{per_kind[(kind, lang)]:>6}" for lang in langs))
    total: Counter[str] = Counter()
    for (_, lang), n in per_kind.items():
        total[lang] += n
    lines.append(f"{'total':<14}" + "".join(f"{total[lang]:>6}" for lang in langs))
    if result.mode == "incremental":
        lines.append(
            f"✓ {len(result.rendered)} of {sum(total.values())} pages rendered again "
            f"(the others did not change), {len(result.removed)} files removed, in {output}"
        )
    else:
        lines.append(f"✓ built {sum(total.values())} pages into {output}")
    return "\n".join(lines)


def console() -> None:
    """The console script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    console()
