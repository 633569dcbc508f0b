"""`taawun import …`: the command line of the importers (exit 0 ok, 1 content errors, 2 usage)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..build import check
from ..errors import display_path
from . import UsageError
from .mkdocs import Imported, import_mkdocs

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def add_commands(commands: Any) -> None:
    """``commands``: the ``taawun`` parser's subparsers."""
    p = commands.add_parser("import", help="turn content written for another tool into Taawun's")
    sources = p.add_subparsers(dest="source", required=True, metavar="SOURCE")
    m = sources.add_parser(
        "mkdocs",
        help="an MkDocs course (its nav, pages and titles) → an academy course",
        description="Write the MkDocs project as an academy course, then run `taawun check`.",
    )
    m.add_argument("config", type=Path, metavar="PATH/mkdocs.yml", help="the course's mkdocs.yml")
    m.add_argument("--course", required=True, metavar="ID", help="the new course's id (a slug)")
    m.add_argument("--content", type=Path, default=Path("content"), help="(default: content)")
    m.add_argument(
        "--lang",
        choices=["fr", "ar"],
        default=None,
        help="the language the pages are written in (default: mkdocs.yml's theme language, "
        "else the script most of the text is in)",
    )
    m.add_argument("--force", action="store_true", help="replace a course with the same id")


def run(args: argparse.Namespace) -> int:
    try:
        imported = import_mkdocs(args.config, args.course, args.content, args.lang, args.force)
    except UsageError as error:
        print(f"taawun import: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(report(imported))
    result = check(args.content)
    text = result.report.format("text")
    if text:
        print(text, file=sys.stderr)
    if result.report.has_errors:
        print(f"✗ taawun check found errors in {display_path(args.content)}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"✓ taawun check: {display_path(args.content)} has no errors")
    return EXIT_OK


def report(imported: Imported) -> str:
    plan = imported.plan
    where = display_path(imported.course_dir)
    lines = [
        f"✓ imported `{plan.id}` into {where}: {len(plan.modules)} modules, "
        f"{len(plan.lessons)} lessons, {len(imported.media)} media files (pages in "
        f"{'French' if plan.lang == 'fr' else 'Arabic'})"
    ]
    if imported.notes:
        lines.append("What could not be carried over exactly:")
        lines += [f"  - {note}" for note in imported.notes]
    lines.append(f"Review before publishing (`grep -rn REVIEW {where}` shows each line):")
    lines += [f"  - {item}" for item in imported.review]
    return "\n".join(lines)
