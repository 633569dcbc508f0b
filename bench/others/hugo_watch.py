"""``hugo --watch``: how long Hugo takes to rebuild after one product file is edited.

Hugo is started in watch mode on an already converted project; once its first build is done, a
sentence is appended to one product's content file and the time is measured from the write to the
``Total in … ms`` line Hugo logs for that rebuild. Both figures are kept: Hugo's own (the rebuild)
and the wall time to the log line (which adds the file watcher's batching delay). The file is
restored afterwards.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass

from .hugo import product_file, watch_command
from .project import Project

READY = re.compile(r"Press Ctrl\+C to stop|Watching for changes")
TOTAL = re.compile(r"Total in ([0-9.]+)\s*(ms|s|µs|us)\b")
UNIT = {"ms": 1e-3, "s": 1.0, "µs": 1e-6, "us": 1e-6}
EDIT = "\n\nCette phrase a été ajoutée pour mesurer la reconstruction ({n}).\n"


@dataclass(frozen=True)
class WatchRebuild:
    reported_seconds: list[float]  # Hugo's "Total in …" for each edit
    wall_seconds: list[float]  # file write → that log line

    @property
    def reported_median(self) -> float:
        return statistics.median(self.reported_seconds)

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall_seconds)


class _Lines(threading.Thread):
    """Reads a process's output into a queue of (time, line)."""

    def __init__(self, stream: object) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def run(self) -> None:
        for line in self.stream:  # type: ignore[attr-defined]
            self.lines.put((time.perf_counter(), line))

    def wait_for(self, pattern: re.Pattern[str], timeout: float) -> tuple[float, re.Match[str]]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"hugo --watch: no line matching {pattern.pattern!r}")
            try:
                at, line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            match = pattern.search(line)
            if match:
                return at, match

    def drain(self) -> None:
        while not self.lines.empty():
            self.lines.get_nowait()


def measure(
    project: Project,
    product_id: str,
    repeats: int = 3,
    first_build_timeout: float = 1800,
    rebuild_timeout: float = 300,
    settle: float = 1.0,
) -> WatchRebuild:
    """Edit ``product_id``'s French file ``repeats`` times under ``hugo --watch``."""
    path = product_file(project, product_id)
    original = path.read_bytes()
    proc = subprocess.Popen(
        watch_command(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    reader = _Lines(proc.stdout)
    reader.start()
    reported, wall = [], []
    try:
        reader.wait_for(READY, first_build_timeout)
        for n in range(1, repeats + 1):
            time.sleep(settle)
            reader.drain()
            start = time.perf_counter()
            with path.open("a", encoding="utf-8") as f:
                f.write(EDIT.format(n=n))
            at, match = reader.wait_for(TOTAL, rebuild_timeout)
            wall.append(at - start)
            reported.append(float(match.group(1)) * UNIT[match.group(2)])
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(timeout=10)
        if proc.stdout:
            proc.stdout.close()
        path.write_bytes(original)
    return WatchRebuild(reported, wall)
