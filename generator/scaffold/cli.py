"""`taawun new KIND`: the command line (exit 0 written and valid, 1 `taawun check` found a
problem in the new files, 2 nothing written)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ..build import check
from ..errors import Severity, display_path
from ..messages import default_language
from . import NewError
from .academy import new_course, new_lesson
from .ask import Asker, Read, Write
from .context import Context
from .idea import new_idea
from .market import new_cooperative, new_product
from .texts import text

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

KINDS: dict[str, Callable[[Context], Path]] = {
    "cooperative": new_cooperative,
    "product": new_product,
    "idea": new_idea,
    "course": new_course,
    "lesson": new_lesson,
}


def add_commands(commands: Any) -> None:
    """``commands``: the ``taawun`` parser's subparsers."""
    p = commands.add_parser(
        "new",
        help="ask a few questions and write a new, valid content file",
        description="Ask a few questions (in Arabic or French), then write a commented file "
        "that passes `taawun check`. Never replaces an existing file.",
    )
    p.add_argument("kind", choices=list(KINDS), metavar="KIND", help=" | ".join(KINDS))
    p.add_argument("--content", type=Path, default=Path("content"), help="(default: content)")
    p.add_argument(
        "--lang",
        choices=["ar", "fr"],
        default=None,
        help="the language of the questions and of the comments written (default: TAAWUN_LANG, "
        "else the locale if it is Arabic or French, else French)",
    )


def questions_language(chosen: str | None) -> str:
    """``--lang``, else the language `taawun check` would speak, if it is Arabic; else French
    (the questions exist in Arabic and French only)."""
    lang = chosen or default_language()
    return "ar" if lang == "ar" else "fr"


def _read(prompt: str) -> str:
    """``input()``; when the answers are piped in, each is shown after its question, so what
    is printed reads as the conversation it was."""
    answer = input(prompt)
    if not sys.stdin.isatty():
        print(answer)
    return answer


def run(
    args: argparse.Namespace,
    read: Read = _read,
    write: Write = print,
    today: date | None = None,
) -> int:
    lang = questions_language(args.lang)
    content: Path = args.content
    if not content.is_dir():
        error = text(lang, "error.no-content", path=display_path(content))
        print(f"taawun new: {error}", file=sys.stderr)
        return EXIT_USAGE
    ctx = Context.open(content, lang, Asker(lang, read, write), today or date.today())
    try:
        KINDS[args.kind](ctx)
    except NewError as error:
        print(f"taawun new: {error}", file=sys.stderr)
        return EXIT_USAGE
    for path in ctx.written:
        write(text(lang, "done.written", path=display_path(path)))
    for path in ctx.edited:
        write(text(lang, "done.edited", path=display_path(path)))
    return _check_written(ctx, write)


def _check_written(ctx: Context, write: Write) -> int:
    """Run `taawun check` and report what it says about the files just written or edited."""
    mine = {display_path(path) for path in (*ctx.written, *ctx.edited)}
    report = check(ctx.root).report
    problems = [p for p in report.sorted() if p.location.path in mine]
    if any(p.severity is Severity.ERROR for p in problems):
        write(text(ctx.lang, "done.problems"))
        for problem in problems:
            write(problem.as_text(ctx.lang))
        return EXIT_CONTENT
    for problem in problems:  # warnings only
        write(problem.as_text(ctx.lang))
    write(text(ctx.lang, "done.checked"))
    folder = display_path(ctx.written[0].parent) if ctx.written else display_path(ctx.root)
    write(text(ctx.lang, "done.next", path=folder, code=ctx.lang))
    return EXIT_OK
