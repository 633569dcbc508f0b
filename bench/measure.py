"""Run a command and measure its wall time and the peak memory of its whole process tree.

Peak memory is the maximum, over time, of the sum of the PSS (proportional set size) of the process
and all its descendants, sampled in a thread every ``interval`` seconds. PSS divides each shared page
among the processes that map it, so the pages a forked worker shares with its parent (copy-on-write)
are counted once, not once per worker. Where PSS cannot be read (another user's process, a kernel
without ``smaps_rollup``) RSS is used instead and the result says so.

As a cross-check, the kernel's own accounting is collected with ``os.wait4``: ``ru_maxrss`` of the
reaped child is the largest RSS reached by the child or any descendant it waited for (the same figure
``resource.getrusage(RUSAGE_CHILDREN)`` reports, but for this run only). It is the peak of the
biggest *single* process, so for a tree of workers it is a lower bound of the whole tree's memory.

The command is started in a new session, so descendants are found by session id (Linux ``/proc``):
a worker that is re-parented to init (double fork) is still counted. Elsewhere ``psutil``'s
``children(recursive=True)`` is used.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

MB = 1024 * 1024
_PROC = Path("/proc")


@dataclass(frozen=True)
class Measurement:
    """What one run of one command cost."""

    command: list[str]
    returncode: int
    seconds: float
    peak_mb: float  # max over time of the sum of PSS (or RSS, see memory_source), MiB
    peak_rss_sum_mb: float  # max over time of the sum of RSS, MiB (double counts shared pages)
    max_rss_mb: float  # kernel's ru_maxrss of the largest single process in the tree, MiB
    max_processes: int  # most processes seen alive at once
    samples: int
    memory_source: str  # "pss" or "rss"
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def _session_members(sid: int) -> list[int]:
    """Pids of every process whose session id is ``sid`` (Linux)."""
    pids = []
    for entry in os.scandir(_PROC):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # Fields after the command name (which may contain spaces and parentheses).
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 3 and int(fields[3]) == sid:
            pids.append(int(entry.name))
    return pids


def _tree(root: int) -> list[int]:
    if _PROC.is_dir():
        return _session_members(root)
    try:  # pragma: no cover - non-Linux fallback
        parent = psutil.Process(root)
        return [root, *(p.pid for p in parent.children(recursive=True))]
    except psutil.Error:  # pragma: no cover
        return []


class _Sampler(threading.Thread):
    """Samples the memory of a process tree until stopped."""

    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True, name=f"memory-sampler-{root}")
        self.root = root
        self.interval = interval
        self.stop = threading.Event()
        self.peak = 0
        self.peak_rss = 0
        self.max_processes = 0
        self.samples = 0
        self.used_rss = False
        self._procs: dict[int, psutil.Process] = {}

    def _memory(self, pid: int) -> tuple[int, int] | None:
        """(PSS or RSS, RSS) of one process in bytes; None if it is gone."""
        try:
            return _smaps_rollup(pid)
        except PermissionError:
            pass  # another user's process: RSS, and the result says so
        except FileNotFoundError:
            if not os.path.isdir(f"/proc/{pid}"):
                return None  # gone; else a kernel without smaps_rollup: RSS below
        except OSError:
            return None  # gone while being read
        proc = self._procs.get(pid)
        try:
            if proc is None:
                proc = self._procs[pid] = psutil.Process(pid)
            self.used_rss = True
            rss = proc.memory_info().rss
            return rss, rss
        except (
            psutil.NoSuchProcess,
            psutil.ZombieProcess,
            psutil.AccessDenied,
            ProcessLookupError,
        ):
            self._procs.pop(pid, None)
            return None

    def sample(self) -> None:
        total = total_rss = alive = 0
        for pid in _tree(self.root):
            memory = self._memory(pid)
            if memory is None:
                continue
            alive += 1
            total += memory[0]
            total_rss += memory[1]
        self.samples += 1
        self.peak = max(self.peak, total)
        self.peak_rss = max(self.peak_rss, total_rss)
        self.max_processes = max(self.max_processes, alive)

    def run(self) -> None:
        while True:
            started = time.perf_counter()
            self.sample()
            # The kernel walks every page table to sum a PSS: for a tree of several GB that takes
            # tens of milliseconds, so the sampler waits OVERHEAD_FACTOR times as long as its last
            # sample took and never takes more than 1/OVERHEAD_FACTOR of one core from the build.
            spent = time.perf_counter() - started
            if self.stop.wait(max(self.interval, OVERHEAD_FACTOR * spent)):
                return


# The sampler's share of one core at most: 1/20 (see _Sampler.run).
OVERHEAD_FACTOR = 20


def _smaps_rollup(pid: int) -> tuple[int, int] | None:
    """(PSS, RSS) in bytes from /proc/PID/smaps_rollup: one summary the kernel computes, where
    psutil's ``memory_full_info`` parses the full smaps (every mapping, dozens of lines each) and
    took three quarters of a core on a 3 GB process tree. None for a process that is exiting
    (an empty summary); OSError if it cannot be read."""
    with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
        text = handle.read()
    pss = rss = None
    for line in text.splitlines():
        if line.startswith(b"Pss:"):
            pss = int(line.split()[1]) * 1024
        elif line.startswith(b"Rss:"):
            rss = int(line.split()[1]) * 1024
    if pss is None or rss is None:
        return None
    return pss, rss


def run(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    interval: float = 0.025,
    timeout: float | None = None,
) -> Measurement:
    """Run ``command`` to completion; return its wall time and peak memory.

    stdout and stderr are captured (to temporary files, so a chatty command cannot block on a full
    pipe) and returned. On timeout the whole process group is killed.
    """
    argv = [str(part) for part in command]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        sampler = _Sampler(proc.pid, interval)
        sampler.start()
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        # wait4 rather than Popen.wait: it also returns the child's resource usage.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if timer:
            timer.cancel()
        sampler.stop.set()
        sampler.join()
        _kill_leftovers(proc.pid)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    max_rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return Measurement(
        command=argv,
        returncode=proc.returncode,
        seconds=seconds,
        peak_mb=sampler.peak / MB,
        peak_rss_sum_mb=sampler.peak_rss / MB,
        max_rss_mb=max_rss / MB,
        max_processes=sampler.max_processes,
        samples=sampler.samples,
        memory_source="rss" if sampler.used_rss else "pss",
        stdout=stdout,
        stderr=stderr,
        timed_out=timed_out.is_set(),
    )


def _kill_leftovers(sid: int) -> None:
    """Kill processes the command left running in its session (daemons, stuck workers)."""
    if not _PROC.is_dir():
        return
    for pid in _session_members(sid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    """``python bench/measure.py CMD ARGS…``: measure one command, print the figures."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: measure.py COMMAND [ARGS…]", file=sys.stderr)
        return 2
    m = run(args)
    sys.stdout.write(m.stdout)
    sys.stderr.write(m.stderr)
    print(
        f"exit {m.returncode}; {m.seconds:.3f} s; peak {m.peak_mb:.1f} MiB ({m.memory_source} sum); "
        f"peak RSS sum {m.peak_rss_sum_mb:.1f} MiB; ru_maxrss {m.max_rss_mb:.1f} MiB; "
        f"{m.max_processes} processes at most; {m.samples} samples",
        file=sys.stderr,
    )
    return m.returncode


if __name__ == "__main__":
    sys.exit(main())
