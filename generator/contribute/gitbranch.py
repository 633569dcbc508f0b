"""``--git-branch``: the accepted listing committed on a new branch, ready for a pull request.

The branch starts at HEAD. Only the files the acceptance wrote are committed, whatever else is
staged; then the moderator's original branch (or detached commit) is checked out again, so the
new files live on the new branch only. Nothing starts unless the content folder is inside a git
repository and has no uncommitted change (a commit must not sweep up someone's unfinished work,
and undoing a failed acceptance must not touch it either).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path


class GitRefused(Exception):
    """The repository is not in a state to take the commit; the message says what to do."""


class Repository:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def around(cls, content: Path) -> Repository:
        """The repository that holds ``content``, refusing anything but a clean one."""
        try:
            found = _git(content, "rev-parse", "--show-toplevel")
        except GitRefused:
            raise GitRefused(
                f"{content} is not inside a git repository: clone the content repository and "
                "accept there, or leave out --git-branch"
            ) from None
        repository = cls(Path(found))
        try:
            repository.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except GitRefused:
            raise GitRefused(
                f"the repository {repository.root} has no commit yet, so there is nothing to "
                "start a branch from: make a first commit, then accept again"
            ) from None
        changes = repository.git(
            "status", "--porcelain", "--untracked-files=all", "--", str(content.resolve())
        )
        if changes:
            shown = "\n  ".join(changes.splitlines()[:20])
            raise GitRefused(
                f"{content} has uncommitted changes:\n  {shown}\ncommit or stash them first "
                "(so that the new branch holds only this listing), then accept again"
            )
        return repository

    def git(self, *args: str) -> str:
        return _git(self.root, *args)

    def current(self) -> str:
        """The branch checked out, or the commit if HEAD is detached."""
        branch = self.git("rev-parse", "--abbrev-ref", "HEAD")
        return self.git("rev-parse", "HEAD") if branch == "HEAD" else branch

    def start_branch(self, name: str) -> None:
        try:
            self.git("check-ref-format", "--branch", name)
        except GitRefused:
            raise GitRefused(
                f"{name!r} cannot be a branch name: use letters, digits, '-' and '/', like "
                "submission/tw-abcd-efgh"
            ) from None
        if self._exists(name):
            raise GitRefused(
                f"the branch {name} exists already: choose another name with --git-branch"
            )
        self.git("checkout", "--quiet", "-b", name)

    def commit(self, paths: Sequence[Path], message: str) -> str:
        """Commit exactly ``paths`` (``--only``: anything else staged stays staged, uncommitted);
        returns the commit's short id."""
        files = [str(path.resolve()) for path in paths]
        self.git("add", "--", *files)
        try:
            self.git("commit", "--quiet", "--only", "--message", message, "--", *files)
        except GitRefused:
            self.git("reset", "--quiet", "--", *files)  # unstage what this commit added
            raise
        return self.git("rev-parse", "--short", "HEAD")

    def leave(self, original: str, branch: str, *, delete: bool) -> None:
        """Back to ``original``; with ``delete``, the new branch is removed (a failure)."""
        self.git("checkout", "--quiet", original, "--")
        if delete and self._exists(branch):
            self.git("branch", "--quiet", "-D", branch)

    def _exists(self, name: str) -> bool:
        try:
            self.git("rev-parse", "--verify", "--quiet", f"refs/heads/{name}")
        except GitRefused:
            return False
        return True


def _git(where: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise GitRefused("git is not installed: install it, or leave out --git-branch") from None
    if done.returncode != 0:
        raise GitRefused(
            f"`git {' '.join(args[:2])}` failed: {done.stderr.strip() or done.stdout.strip()}"
        )
    return done.stdout.strip()
