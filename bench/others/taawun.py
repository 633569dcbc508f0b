"""The Taawun commands the benchmark runs — the one place to adjust them.

Options that Taawun may or may not have yet (``--jobs``, a cache folder option) are passed only when
``taawun build --help`` lists them, so the benchmark keeps working while the CLI evolves.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .project import python_tool

REPO = Path(__file__).resolve().parents[2]
# Where an incremental-rebuild driver is expected (prints one JSON line: seconds, pages_rendered).
INCREMENTAL_SCRIPT = REPO / "bench" / "incremental.py"
# Taawun keeps its incremental/image cache in `.taawun-cache` beside the output folder by default.
# The benchmark leaves that default alone (so `bench/incremental.py`, given the same --output,
# finds the cache of the clean build) and deletes every folder with these names in the
# content folder and beside the output before a clean build. PASS_CACHE gives the folder explicitly.
CACHE_OPTIONS = ("--cache-dir", "--cache")
CACHE_NAMES = (".taawun-cache",)
PASS_CACHE = False


def exe() -> str:
    return python_tool("taawun")


def version() -> str:
    try:
        return importlib.metadata.version("taawun")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


@functools.cache
def _help_options(*command: str) -> frozenset[str] | None:
    """The long options ``COMMAND --help`` lists; None if it fails (no such command)."""
    try:
        done = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return frozenset(re.findall(r"(--[a-z][a-z0-9-]*)", done.stdout))


def options(command: str) -> frozenset[str] | None:
    """The long options of ``taawun COMMAND``; None if the command does not exist."""
    return _help_options(exe(), command)


def cache_option() -> str | None:
    found = options("build") or frozenset()
    return next((option for option in CACHE_OPTIONS if option in found), None)


def supports_jobs() -> bool:
    return "--jobs" in (options("build") or frozenset())


def build_command(content: Path, output: Path, jobs: int | None, cache: Path) -> list[str]:
    """``taawun build`` for a clean build of ``content`` into ``output``."""
    command = [exe(), "build", "--content", str(content), "--output", str(output)]
    if jobs is not None and supports_jobs():
        command += ["--jobs", str(jobs)]
    if "--no-search" in (options("build") or frozenset()):
        # The other tools build no search index; Taawun's is timed on its own row
        # (`taawun search-index`), so the clean-build rows compare pages with pages.
        command += ["--no-search"]
    option = cache_option()
    if option and PASS_CACHE:
        command += [option, str(cache)]
    return command


def clean(content: Path, output: Path, cache: Path) -> None:
    """Remove the output and every cache a previous build may have left."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    for folder in {content, output.parent}:
        for name in CACHE_NAMES:
            shutil.rmtree(folder / name, ignore_errors=True)


def search_index_command(content: Path, output: Path) -> list[str] | None:
    """``taawun search-index`` on a built ``output``; None while the command does not exist."""
    found = options("search-index")
    if found is None:
        return None
    command = [exe(), "search-index", "--output", str(output)]
    if "--content" in found:
        command += ["--content", str(content)]
    return command


def incremental_command(content: Path, output: Path, jobs: int | None) -> list[str] | None:
    """The one-edit rebuild driver; None while ``bench/incremental.py`` does not exist."""
    if not INCREMENTAL_SCRIPT.exists():
        return None
    command = [sys.executable, str(INCREMENTAL_SCRIPT), "--content", str(content)]
    command += ["--output", str(output)]
    found = _help_options(sys.executable, str(INCREMENTAL_SCRIPT)) or frozenset()
    if jobs is not None and "--jobs" in found:
        command += ["--jobs", str(jobs)]
    return command
