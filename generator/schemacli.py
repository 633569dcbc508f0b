"""``taawun schema``: write the JSON Schemas of the content files, for editors and tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .schemas import KINDS, read_content, write_schemas

EXIT_OK, EXIT_USAGE = 0, 2
DEFAULT_CONTENT = Path("content")


def add_command(commands: Any) -> None:
    """Add `schema` to the CLI's subcommands (``commands`` is argparse's subparsers action)."""
    p: argparse.ArgumentParser = commands.add_parser(
        "schema", help="write the JSON Schemas of the content files (for editors)"
    )
    p.add_argument(
        "--output",
        type=Path,
        default=Path("schemas"),
        help="folder to write <kind>.schema.json into (default: schemas)",
    )
    p.add_argument(
        "--content",
        type=Path,
        default=None,
        help="content folder whose ids (regions, categories…) the schemas list "
        "(default: content, when it exists)",
    )
    p.add_argument(
        "--lang",
        choices=["ar", "fr"],
        default=None,
        help="the language of titles and descriptions (default: French and Arabic together)",
    )


def run(args: argparse.Namespace) -> int:
    content: Path | None = args.content
    if content is not None and not content.is_dir():
        print(f"taawun: the content folder {content} does not exist", file=sys.stderr)
        return EXIT_USAGE
    if content is None and DEFAULT_CONTENT.is_dir():
        content = DEFAULT_CONTENT
    references, base_url = None, None
    if content is not None:
        facts = read_content(content)
        references, base_url = facts.references, facts.base_url
        if facts.errors:
            # The schemas are still useful; the ids of the files in error are left out of them.
            print(
                f"taawun: {content} has {facts.errors} error(s); the ids of the files in error "
                "are not listed (run `taawun check` to see them)",
                file=sys.stderr,
            )
    written = write_schemas(args.output, references, args.lang, base_url)
    where = f"with the ids of {content}" if content is not None else "without a content folder"
    print(f"✓ wrote {len(written)} schemas ({', '.join(KINDS)}) into {args.output}, {where}")
    return EXIT_OK
