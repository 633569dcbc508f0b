"""``taawun submissions list|show|accept|reject``: the office's moderation of the form's listings.

The queue is the checkout service's (checkout/moderation.py), found from the same settings as
``taawun orders`` (``--database`` or ``$TAAWUN_DATABASE_URL``; ``--var-dir`` or
``$TAAWUN_VAR_DIR`` for the photos). Everything a submission holds was typed by a stranger: it
is printed through :mod:`.terminal`, never as it is.

Exit codes as the rest of ``taawun``: 0 success, 1 the listing or the decision is refused (no such
submission, already decided, `taawun check` finds a problem), 2 usage errors (a setting, a git
repository not ready for ``--git-branch``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checkout.cli import database_option
from checkout.database import make_engine, migrate
from checkout.moderation import STATUSES, ModerationError, ModerationQueue, QueuedSubmission
from checkout.settings import Settings, SettingsError, sqlite_path

from ..errors import ErrorReport
from .gitbranch import GitRefused, Repository
from .listing import ListingRejected, listing_written
from .terminal import one_line, safe

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def add_commands(commands: Any) -> None:
    """Add ``submissions`` to the ``taawun`` command line."""
    p = commands.add_parser(
        "submissions", help="listings sent through the site's form: review, accept, reject"
    )
    sub = p.add_subparsers(dest="submissions_command", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="the submissions, newest first")
    listing.add_argument("--status", choices=STATUSES, help="only those with this status")
    _queue_options(listing)
    show = sub.add_parser("show", help="everything one submission holds, contact included")
    show.add_argument("reference", metavar="ID", help="its reference, TW-XXXX-XXXX")
    _queue_options(show)
    accept = sub.add_parser(
        "accept", help="write the listing into the content folder (checked like `taawun check`)"
    )
    accept.add_argument("reference", metavar="ID")
    accept.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    accept.add_argument(
        "--git-branch",
        metavar="NAME",
        help="commit the new files on this new branch (from HEAD), for a pull request",
    )
    _queue_options(accept)
    reject = sub.add_parser("reject", help="refuse it, saying why; its photos are deleted")
    reject.add_argument("reference", metavar="ID")
    reject.add_argument("--reason", required=True, help="kept with the submission")
    _queue_options(reject)


def _queue_options(p: argparse.ArgumentParser) -> None:
    database_option(p)  # the same database as the checkout service and `taawun orders`
    p.add_argument(
        "--var-dir",
        type=Path,
        help="folder of the submitted photos (default: $TAAWUN_VAR_DIR or var)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(database_url=args.database, var_dir=args.var_dir)
    except SettingsError as error:
        print(f"taawun: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.submissions_command == "accept" and not args.content.is_dir():
        print(f"taawun: the content folder {args.content} does not exist", file=sys.stderr)
        return EXIT_USAGE
    database_file = sqlite_path(settings.database_url)
    if database_file is not None and not database_file.is_file():
        # Run from the wrong folder, the default relative path would quietly make a new, empty
        # database and report "no submissions" while the service's queue is full.
        print(
            f"taawun: there is no checkout database at {database_file}; run this where the "
            "checkout service runs, or give --database (or $TAAWUN_DATABASE_URL) and --var-dir",
            file=sys.stderr,
        )
        return EXIT_USAGE
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        queue = ModerationQueue(engine, settings.var_dir)
        return _command(queue, args)
    finally:
        engine.dispose()


def _command(queue: ModerationQueue, args: argparse.Namespace) -> int:
    if args.submissions_command == "list":
        print(format_list(queue.list(args.status)))
        return EXIT_OK
    submission = queue.get(args.reference)
    if submission is None:
        print(
            f"taawun: no submission {one_line(args.reference)}: "
            "`taawun submissions list` shows the references",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    if args.submissions_command == "show":
        print(format_submission(submission))
        return EXIT_OK
    now = datetime.now(UTC)
    try:
        if args.submissions_command == "reject":
            queue.reject(submission.reference, args.reason, now)
            print(f"✓ {submission.reference} rejected; its photos are deleted")
            return EXIT_OK
        if submission.status != "pending":
            raise ModerationError(
                f"{submission.reference} is already {submission.status}; only a pending "
                "submission can be accepted"
            )
        if args.git_branch:
            return _accept_on_branch(queue, submission, args.content, args.git_branch, now)
        return _accept(queue, submission, args.content, now)
    except ModerationError as error:
        print(f"taawun: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except ListingRejected as error:
        # The check's messages quote values from the submission: printed as harmless text.
        print(f"taawun: {safe(str(error))}", file=sys.stderr)
        return EXIT_REFUSED


def _accept(
    queue: ModerationQueue, submission: QueuedSubmission, content: Path, now: datetime
) -> int:
    report = ErrorReport()
    with listing_written(
        content, submission.data, submission.photos, submission.reference, report=report
    ) as paths:
        # Recorded before the files are kept: if another moderator decided first, the files
        # are removed again by the context manager.
        queue.accept(submission.reference, _relative(content, paths), now)
    _warnings(report)
    print(f"✓ {submission.reference} accepted; written into {content}:")
    print("\n".join(f"  {path}" for path in _relative(content, paths)))
    print(
        "Next: `taawun build` to see the pages, then commit these files "
        "(or use --git-branch next time to get a branch ready for a pull request)."
    )
    return EXIT_OK


def _accept_on_branch(
    queue: ModerationQueue, submission: QueuedSubmission, content: Path, branch: str, now: datetime
) -> int:
    try:
        repository = Repository.around(content)
        original = repository.current()
        repository.start_branch(branch)
    except GitRefused as error:
        print(f"taawun: {error}", file=sys.stderr)
        return EXIT_USAGE
    report = ErrorReport()
    try:
        with listing_written(
            content, submission.data, submission.photos, submission.reference, report=report
        ) as paths:
            commit = repository.commit(paths, _commit_message(submission, content, paths))
    except BaseException as error:
        repository.leave(original, branch, delete=True)
        if isinstance(error, GitRefused):
            print(f"taawun: {error}; nothing was written or committed", file=sys.stderr)
            return EXIT_USAGE
        raise
    repository.leave(original, branch, delete=False)
    try:
        queue.accept(submission.reference, _relative(content, paths), now)
    except ModerationError:
        repository.leave(original, branch, delete=True)
        raise
    _warnings(report)
    print(
        f"✓ {submission.reference} accepted: commit {commit} on the new branch {branch} adds\n"
        + "\n".join(f"  {path}" for path in _relative(content, paths))
        + f"\nYou are back on {original}; the files are on {branch} only. Next:\n"
        f"  git push origin {branch}\n"
        "then open a pull request from it; the content check runs on it, and merging it "
        "publishes the listing with the next build."
    )
    return EXIT_OK


def _commit_message(submission: QueuedSubmission, content: Path, paths: list[Path]) -> str:
    product = next(
        (p for p in paths if p.suffix == ".yaml" and p.parent.parent.name == "products"), None
    )
    name = one_line(str((submission.data.get("product") or {}).get("name", {}).get("fr", "")))
    what = f"{name} ({product.parent.name}/{product.stem})" if product else name
    files = "\n".join(f"- {path}" for path in _relative(content, paths))
    return (
        f"Add {what} from submission {submission.reference}\n\n"
        f"Accepted with `taawun submissions accept --git-branch`. Files:\n{files}\n"
    )


def _relative(content: Path, paths: list[Path]) -> list[str]:
    return [path.relative_to(content).as_posix() for path in paths]


def _warnings(report: ErrorReport) -> None:
    for warning in report.warnings:
        print(safe(warning.as_text()), file=sys.stderr)


def format_list(submissions: list[QueuedSubmission]) -> str:
    if not submissions:
        return "no submissions"
    lines = [
        f"{'reference':<13} {'received (UTC)':<16} {'status':<9} {'cooperative':<28} "
        f"{'photos':>6}  title"
    ]
    for s in submissions:
        lines.append(
            f"{s.reference:<13} {s.created_at:%Y-%m-%d %H:%M} {s.status:<9} "
            f"{_cooperative(s):<28} {len(s.photos):>6}  {one_line(s.title, 60)}"
        )
    return "\n".join(lines)


def _cooperative(submission: QueuedSubmission) -> str:
    if submission.cooperative_id:
        return one_line(submission.cooperative_id, 28)
    name = (submission.data.get("cooperative") or {}).get("name") or {}
    return one_line(f"new: {name.get('fr') or name.get('ar') or '?'}", 28)


def format_submission(submission: QueuedSubmission) -> str:
    s = submission
    out = [f"submission {s.reference}  {s.status}"]
    out.append(f"received  {s.created_at:%Y-%m-%d %H:%M} UTC, form in {one_line(s.lang)}")
    if s.decided_at is not None:
        out.append(f"decided   {s.decided_at:%Y-%m-%d %H:%M} UTC")
    if s.reason:
        out.append(f"reason    {one_line(s.reason)}")
    if s.content_paths:
        out.append("content files written:")
        out.extend(f"  {one_line(path)}" for path in s.content_paths)
    out.append("\ncontact (personal: never published)")
    out.extend(_outline(s.contact, 1))
    data = s.data
    if data.get("cooperative_id"):
        out.append(f"\ncooperative: {one_line(str(data['cooperative_id']))} (already on the site)")
    else:
        out.append("\nnew cooperative")
        out.extend(_outline(data.get("cooperative") or {}, 1))
    out.append("\nproduct")
    out.extend(_outline(data.get("product") or {}, 1))
    out.append("\nphotos")
    alts = data.get("photos") or []
    for number, alt in enumerate(alts, start=1):
        path = next((p for p in s.photos if p.name == f"photo-{number}.jpg"), None)
        out.append(f"  {number}. {path if path is not None else '(deleted)'}")
        out.extend(_outline(alt, 2))
    return "\n".join(out)


def _outline(value: Any, depth: int) -> Iterator[str]:
    """Nested data as indented ``key: value`` lines; long texts as indented paragraphs."""
    pad = "  " * depth
    if isinstance(value, dict):
        for key, item in value.items():
            label = one_line(str(key))
            if isinstance(item, dict | list) or (isinstance(item, str) and "\n" in item):
                yield f"{pad}{label}:"
                yield from _outline(item, depth + 1)
            else:
                yield f"{pad}{label}: {_scalar(item)}"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                yield f"{pad}-"
                yield from _outline(item, depth + 1)
            else:
                yield f"{pad}- {_scalar(item)}"
    elif isinstance(value, str):
        for line in safe(value).splitlines():
            yield f"{pad}{line}".rstrip()
    else:
        yield f"{pad}{_scalar(value)}"


def _scalar(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return one_line(str(value))
