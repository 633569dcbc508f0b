"""The checkout service under load: cash-on-delivery orders per second and their latency.

    python bench/checkout_load.py [--databases sqlite postgresql] [--workers 1 2] [--seconds 10]
                                  [--connections 8 32] [--json FILE] [--postgres-url URL]

What it measures. For each database (SQLite, PostgreSQL) and each number of worker processes,
``taawun checkout serve`` is started as a subprocess on a free loopback port, on fresh storage
(a new SQLite file; a PostgreSQL schema ``taawun_bench`` dropped and created again), with a
synthetic site whose ``catalogue.json`` has five cooperatives delivering nationally, cash on
delivery without a cap, and 50 SKUs with a counted stock of 10⁹. Every order therefore runs the
whole path a real one runs (validation, pricing, the atomic ``UPDATE stock … WHERE available >=
qty`` of each counted line, the order, its sub-orders, lines and history in one transaction, the
order read back) and never runs out of stock. The per-client rate limit is raised to 10⁹ a
minute, since every request comes from 127.0.0.1. After a warm-up (``--warmup``, every worker
started, every connection open) a fixed number of keep-alive connections (``--connections``)
each send ``POST /api/orders`` one after the other for ``--seconds``; the bodies come from a pool
of 1,000 different orders (1 to 3 lines, 1 to 3 of each SKU, several cooperatives, regions and
languages). Reported: orders per second (201 answers divided by the time from the first request
to the last answer), the 50th and 99th percentile and the maximum latency of every answer, and
the errors: any answer that is not 201, any connect, read or write error, any answer slower than
10 s. After the measurement no new request is sent and the ones in flight are answered, so every
order the server stored was counted; the server is then stopped and the ``orders`` table is
counted: it must hold exactly as many orders as there were 201 answers (warm-up included), and
the stock taken must equal the quantities ordered.

Why this way. The machine has few cores and the server needs them, so the load generator must cost
as little CPU as possible: ``wrk`` (C, with a Lua script that sends prepared requests from the
pool, times each one and counts the answers by status) is used when it is installed (``apt-get
install -y wrk``); otherwise an asyncio generator over raw HTTP/1.1 keep-alive sockets (uvloop when
present, requests prepared beforehand, no HTTP client library) takes its place and costs more CPU.
The output says which one ran, how much CPU it used and how much the server's processes (and
PostgreSQL's) used. wrk runs one thread per connection, so that a thread's requests and answers
pair up and the script can time each request: wrk's own percentiles add synthetic samples for
"coordinated omission", which would make them differ from the Python generator's; both report
nearest-rank percentiles of the measured latencies. The load is closed-loop (each connection waits
for its answer before sending the next order): the latency is what a buyer waits while the service
is this busy, not the latency at a fixed arrival rate. The target is for PostgreSQL with 2 workers:
at least 500 orders/s with p99 under 50 ms, and no error. Closed-loop, the number of connections
decides which of the two a run can meet: by Little's law, N connections at R orders/s wait N/R on
average, so 32 connections at 500 orders/s wait 64 ms on average, above the p99 target whatever
the service does. Hence one run at 8 connections (a busy shop: 8 buyers pressing "order" at the
same instant, again and again) and one at 32 (overload, to see that nothing breaks).

Also: ``--warmup S`` (default 2), ``--generator auto|wrk|python``, ``--work DIR`` (the site, the
server logs and the SQLite files; default /tmp/taawun-checkout-bench). Progress goes to stderr;
the machine, the table, the checks and the warnings in the server's log go to stdout. Exit
status 1 when a server did not start or a database did not hold what the answers said.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.others.project import python_tool

REPO = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = os.environ.get(
    "TAAWUN_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SCHEMA = "taawun_bench"
TARGET = "target: ≥ 500 orders/s with p99 < 50 ms for PostgreSQL with 2 workers, no error"
TARGET_RATE, TARGET_P99_MS = 500.0, 50.0
HOST = "127.0.0.1"
BODY_POOL = 1000
COOPERATIVES = 5
SKUS = 50
STOCK = 10**9  # fits PostgreSQL's INTEGER; never runs out
TIMEOUT_S = 10  # an answer slower than this counts as an error (its latency is kept too)
REGIONS = {
    "tanger-tetouan-al-hoceima": "Tanger-Tétouan-Al Hoceïma",
    "oriental": "L'Oriental",
    "fes-meknes": "Fès-Meknès",
    "rabat-sale-kenitra": "Rabat-Salé-Kénitra",
    "beni-mellal-khenifra": "Béni Mellal-Khénifra",
    "casablanca-settat": "Casablanca-Settat",
    "marrakech-safi": "Marrakech-Safi",
    "draa-tafilalet": "Drâa-Tafilalet",
    "souss-massa": "Souss-Massa",
    "guelmim-oued-noun": "Guelmim-Oued Noun",
    "laayoune-sakia-el-hamra": "Laâyoune-Sakia El Hamra",
    "dakhla-oued-ed-dahab": "Dakhla-Oued Ed-Dahab",
}
CITIES = ("Casablanca", "Rabat", "Fès", "Marrakech", "Agadir", "Oujda", "Tanger", "Dakhla")

# wrk's script. wrk runs one thread per connection here, each with its own Lua state, so a
# thread's request() and response() alternate and the script times every request itself (wrk's
# own latency figures are "corrected" for coordinated omission with synthetic samples, which the
# Python generator does not do). wrk sets the threads up one after the other (init() prepares
# 1,000 requests), so delay() holds every connection back until a common start time (on the
# CLOCK_MONOTONIC the benchmark passes it); each thread then sends the pool's requests in turn
# from its own place, and `seconds` later delay() holds its connection back again and prints
# TAAWUN_DRAINED, the answer to its last request having come; the benchmark stops wrk with
# SIGINT once every thread has. done() writes every latency (µs) to a file and the totals as one
# JSON line.
WRK_SCRIPT = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } taawun_timespec;
int clock_gettime(int clock_id, taawun_timespec *tp);
]]
local ts = ffi.new("taawun_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local threads = {}
function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

local requests, position, start_at, deadline, started, stopped = {}, 0, 0, 0, 0, false
created, first, last, output = 0, 0, 0, ""
statuses, latencies = {}, {}

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for line in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("POST", "/api/orders", headers, line)
  end
  position = (number * 331) % #requests
  start_at = tonumber(args[4])
  deadline = start_at + tonumber(args[2])
  output = args[3]
end

function request()
  started = now()
  position = position % #requests + 1
  return requests[position]
end

function delay()
  local t = now()
  if t < start_at then return math.ceil((start_at - t) * 1000) end
  if not stopped and t >= deadline then
    stopped = true
    io.write("TAAWUN_DRAINED\n")
    io.flush()
  end
  if stopped then return 3600000 end
  return 0
end

function response(status, headers, body)
  last = now()
  if first == 0 then first = started end
  latencies[#latencies + 1] = (last - started) * 1e6
  if status == 201 then
    created = created + 1
  else
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
  end
end

function done(summary, latency, requests_)
  local created_, first_, last_, by_status = 0, nil, 0, {}
  local file = io.open(threads[1]:get("output"), "w")
  for _, thread in ipairs(threads) do
    created_ = created_ + thread:get("created")
    local f, l = thread:get("first"), thread:get("last")
    if f > 0 and (first_ == nil or f < first_) then first_ = f end
    if l > last_ then last_ = l end
    for key, count in pairs(thread:get("statuses")) do
      by_status[key] = (by_status[key] or 0) + count
    end
    for _, value in ipairs(thread:get("latencies")) do
      file:write(string.format("%.1f\n", value))
    end
  end
  file:close()
  local parts = {}
  for key, count in pairs(by_status) do
    parts[#parts + 1] = string.format('"%s": %d', key, count)
  end
  local e = summary.errors
  io.write(string.format(
    'TAAWUN_RESULT {"created": %d, "window_s": %.6f, "statuses": {%s}, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    created_, last_ - (first_ or last_), table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout))
end
"""


# -- the synthetic site ------------------------------------------------------------------------
def catalogue() -> dict[str, Any]:
    """A schema-2 catalogue: cooperatives delivering nationally with cash on delivery and no
    cap, SKUs with a counted stock that never runs out."""
    cooperatives = {
        f"bench-coop-{c}": {
            "name": {"ar": f"تعاونية {c}", "fr": f"Coopérative {c}"},
            "region": list(REGIONS)[c % len(REGIONS)],
            "delivery": {
                "zones": "national",
                "fee": 3000,
                "free_from": 50000,
                "cod": True,
                "cod_max": None,
                "pickup": False,
                "lead_time_days": 3,
            },
            "contact": {"phone": "+212528000000", "whatsapp": None, "email": None},
        }
        for c in range(COOPERATIVES)
    }
    skus = {
        f"bench-sku-{i:02d}": {
            "product": f"bench-product-{i:02d}",
            "cooperative": f"bench-coop-{i % COOPERATIVES}",
            "kind": "food",
            "currency": "MAD",
            "max_per_order": 10,
            "urls": {lang: f"/{lang}/products/bench-product-{i:02d}/" for lang in ("ar", "fr")},
            "variant": None,
            "name": {"ar": f"منتج {i}", "fr": f"Produit {i}"},
            "unit_price": 2000 + 150 * i,
            "availability": "in_stock",
            "stock": STOCK,
            "weight_g": 500,
        }
        for i in range(SKUS)
    }
    return {
        "schema_version": 3,
        "currency": "MAD",
        "amounts": "integer centimes, tax included",
        "languages": ["ar", "fr"],
        "base_url": "https://bench.taawun.example",
        "regions": {key: {"fr": name, "ar": name} for key, name in REGIONS.items()},
        "provinces": {key: [] for key in REGIONS},
        "sectors": {},
        "categories": {},
        "skus": skus,
        "cooperatives": cooperatives,
    }


def write_site(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.json").write_text(
        json.dumps(catalogue(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return folder


def order_bodies(count: int = BODY_POOL, seed: int = 1) -> list[bytes]:
    """``count`` different cash-on-delivery orders, as compact JSON (ASCII, one line each)."""
    rng = random.Random(seed)
    skus = list(catalogue()["skus"])
    bodies = []
    for n in range(count):
        lines = [
            {"sku": sku, "qty": rng.randint(1, 3)} for sku in rng.sample(skus, rng.randint(1, 3))
        ]
        order = {
            "lines": lines,
            "buyer": {
                "name": f"Client {n}",
                "phone": f"+2126{rng.randrange(10**8):08d}",
                "region": rng.choice(list(REGIONS)),
                "city": rng.choice(CITIES),
                "address": f"{rng.randint(1, 200)} rue des Oliviers",
            },
            "payment": "cod",
            "lang": rng.choice(("ar", "fr")),
            "consent": True,
        }
        bodies.append(json.dumps(order, separators=(",", ":")).encode())
    return bodies


# -- databases --------------------------------------------------------------------------------
class Unavailable(Exception):
    """A database the benchmark cannot use; the message says why."""


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as a libpq URI for psycopg (no ``+psycopg``, no ``options``)."""
    plain = make_url(url).set(drivername="postgresql")
    plain = plain.difference_update_query(["options"])
    return plain.render_as_string(hide_password=False)


def postgres_reset(url: str) -> str:
    """A fresh, empty ``taawun_bench`` schema; returns the service's URL, which selects it.
    Checks that SQLAlchemy hands the ``options`` on to psycopg (the tables would land in
    ``public`` otherwise)."""
    try:
        import psycopg
    except ImportError as error:
        raise Unavailable(f"psycopg is not installed ({error})") from None
    try:
        with psycopg.connect(_libpq(url), autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
            admin.execute(f'CREATE SCHEMA "{SCHEMA}"')
    except psycopg.Error as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise Unavailable(f"cannot connect to {_shown(url)}: {message}") from None
    service_url = (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={SCHEMA}"})
        .render_as_string(hide_password=False)
    )
    engine = create_engine(service_url)
    try:
        with engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar()
    finally:
        engine.dispose()
    if schema != SCHEMA:
        raise Unavailable(f"the URL's options did not reach PostgreSQL (schema {schema!r})")
    return service_url


def postgres_drop(url: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(url), autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')


def postgres_sessions(url: str) -> int | None:
    """Sessions ever opened on the URL's database (``pg_stat_database.sessions``); the difference
    over a run shows connections opened and closed under load (every client of the database
    counts, not only this server)."""
    import psycopg

    try:
        with psycopg.connect(_libpq(url), autocommit=True, connect_timeout=3) as admin:
            row = admin.execute(
                "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            ).fetchone()
    except psycopg.Error:
        return None
    return int(row[0]) if row and row[0] is not None else None


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class Stored:
    orders: int
    qty_ordered: int  # of counted SKUs, from order_lines
    stock_taken: int  # declared - available, summed over the stock table


def stored(url: str) -> Stored:
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            orders = db.execute(text("SELECT count(*) FROM orders")).scalar_one()
            qty = db.execute(
                text("SELECT coalesce(sum(qty), 0) FROM order_lines WHERE counted")
            ).scalar_one()
            taken = db.execute(
                text("SELECT coalesce(sum(declared - available), 0) FROM stock")
            ).scalar_one()
    finally:
        engine.dispose()
    return Stored(int(orders), int(qty), int(taken))


# -- the server -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def server_command(site: Path, database_url: str, port: int, workers: int) -> list[str]:
    return [
        python_tool("taawun"),
        "checkout",
        "serve",
        "--site",
        str(site),
        "--database",
        database_url,
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


def server_environment() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TAAWUN_", "STRIPE_"))
    }
    # Every request comes from 127.0.0.1: the per-client limit must not be what is measured.
    env["TAAWUN_ORDER_RATE_PER_MINUTE"] = "1e9"
    env["TAAWUN_ORDER_BURST"] = str(10**9)
    return env


def _processes() -> Iterator[tuple[str, list[str]]]:
    """(command name, the fields of /proc/PID/stat after it) of every process."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            yield stat[stat.find("(") + 1 : stat.rfind(")")], stat[stat.rfind(")") + 2 :].split()


# Indexes in those fields (proc(5) numbers them from 3, state): session, utime, stime, cutime,
# cstime.
_SESSION, _UTIME, _STIME, _CUTIME, _CSTIME = 3, 11, 12, 13, 14


def _cpu_seconds(session: int) -> float:
    """User + system CPU seconds of every live process in ``session`` (the server's tree)."""
    ticks = sum(
        int(fields[_UTIME]) + int(fields[_STIME])
        for _, fields in _processes()
        if int(fields[_SESSION]) == session
    )
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU seconds of the local PostgreSQL's processes, including the backends that have
    exited (counted in their parent's cutime/cstime). Every client of the server counts."""
    ticks = sum(
        sum(int(fields[i]) for i in (_UTIME, _STIME, _CUTIME, _CSTIME))
        for name, fields in _processes()
        if name == "postgres"
    )
    return ticks / os.sysconf("SC_CLK_TCK")


PROBLEM = re.compile(
    r"\b(WARNING|ERROR|CRITICAL)\b|^[A-Za-z_][\w.]*(Error|Exception|Violation)\b"
    r"|Child process \[\d+\] died"
)
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[ T][\d:,.]+ ")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def cpu_seconds(self) -> float:
        return _cpu_seconds(self.process.pid)

    def log_problems(self) -> list[str]:
        """The server log's warnings, errors, exceptions and dead workers, the same message
        counted once (timestamps, process ids and addresses left out)."""
        seen: Counter[str] = Counter()
        for line in self.log.read_text(errors="replace").splitlines():
            if PROBLEM.search(line):
                message = TIMESTAMP.sub("", line)
                message = re.sub(r"\[\d+\]|0x[0-9a-f]+", "…", message).strip()
                seen[message[:160]] += 1
        return [f"{count} × {message}" for message, count in seen.most_common(8)]


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


@contextlib.contextmanager
def serving(site: Path, database_url: str, workers: int, log: Path) -> Iterator[Server]:
    """``taawun checkout serve`` on a free port, once every worker has started; stopped (SIGTERM,
    then SIGKILL to its process group after 20 s) on the way out."""
    port = free_port()
    command = server_command(site, database_url, port, workers)
    print(f"  $ {' '.join(command)}", file=sys.stderr)
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=server_environment(),
            start_new_session=True,
        )
    server = Server(process, port, log)
    try:
        _wait_ready(server, workers)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Workers left behind by a parent that died.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def _wait_ready(server: Server, workers: int, limit: float = 90.0) -> None:
    end = time.monotonic() + limit
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the server exited with status {server.process.returncode}:\n"
                + server.log.read_text(errors="replace")[-3000:]
            )
        started = server.log.read_text(errors="replace").count("Application startup complete")
        if started >= workers:
            with contextlib.suppress(OSError):
                if _get(server.url + "/api/health") == 200:
                    return
        if time.monotonic() > end:
            raise RuntimeError(
                f"the server did not answer /api/health within {limit:.0f} s:\n"
                + server.log.read_text(errors="replace")[-3000:]
            )
        time.sleep(0.1)


# -- load generators --------------------------------------------------------------------------
@dataclass
class Load:
    """What one load run saw."""

    created: int = 0  # 201 answers
    window_s: float = 0.0  # from the first request to the last answer
    latencies_ms: list[float] = field(default_factory=list)  # every answer's, sorted
    statuses: dict[str, int] = field(default_factory=dict)  # answers other than 201
    socket_errors: dict[str, int] = field(default_factory=dict)  # connect, read, write, timeout
    unanswered: int = 0  # requests still in flight when the generator was stopped
    cpu_seconds: float = 0.0  # the generator's own

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) + sum(self.socket_errors.values()) + self.unanswered

    def percentile(self, q: float) -> float:
        """The nearest-rank percentile, in ms (0 without answers)."""
        if not self.latencies_ms:
            return 0.0
        return self.latencies_ms[max(0, math.ceil(q * len(self.latencies_ms)) - 1)]


def run_wrk(url: str, bodies: list[bytes], seconds: float, connections: int, work: Path) -> Load:
    script = work / "orders.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    pool = work / "bodies.jsonl"
    pool.write_bytes(b"\n".join(bodies) + b"\n")
    latencies = work / "latencies.txt"
    latencies.unlink(missing_ok=True)
    command = [
        "wrk",
        f"-t{connections}",  # one connection per thread: the script pairs request and answer
        f"-c{connections}",
        f"-d{math.ceil(seconds) + 120}s",  # a cap: the run ends with SIGINT once drained
        f"--timeout={TIMEOUT_S}s",
        "-s",
        str(script),
        url + "/api/orders",
        "--",
        str(pool),
        repr(float(seconds)),
        str(latencies),
        # When every thread starts sending: after all of them have read the pool (about 5 ms
        # each on an idle machine).
        repr(time.monotonic() + 0.3 + 0.02 * connections),
    ]
    # wrk's own report and any Lua error go to a file (a pipe nobody reads could fill and stall
    # wrk); the script's lines come through stdout.
    with (work / "wrk.log").open("a", encoding="utf-8") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=log, text=True, bufsize=1
        )
    lines: list[str] = []
    drained = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        count = 0
        for line in process.stdout:
            lines.append(line)
            count += line.startswith("TAAWUN_DRAINED")
            if count >= connections:
                drained.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    drained.wait(seconds + TIMEOUT_S + 20)
    stragglers = connections - sum(1 for line in lines if line.startswith("TAAWUN_DRAINED"))
    # os.kill, not Popen.send_signal, which would reap a wrk that has exited and lose its usage.
    os.kill(process.pid, signal.SIGINT)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join(10)
    assert process.stdout is not None
    process.stdout.close()
    report = [line for line in lines if not line.startswith("TAAWUN_DRAINED")]
    with (work / "wrk.log").open("a", encoding="utf-8") as log:
        log.write("".join(report) + f"(exit status {process.returncode})\n")
    result = next((line for line in report if line.startswith("TAAWUN_RESULT ")), None)
    if result is None or not latencies.exists():
        raise RuntimeError(
            f"wrk printed no result (exit status {process.returncode}); see {work / 'wrk.log'}"
        )
    data = json.loads(result.removeprefix("TAAWUN_RESULT "))
    return Load(
        created=data["created"],
        window_s=data["window_s"],
        latencies_ms=sorted(float(v) / 1000 for v in latencies.read_text().split()),
        statuses=data["statuses"],
        socket_errors={
            kind: data[kind] for kind in ("connect", "read", "write", "timeout") if data[kind]
        },
        unanswered=max(0, stragglers),
        cpu_seconds=usage.ru_utime + usage.ru_stime,
    )


class _Broken(Exception):
    """The connection cannot carry another request (closed, or an answer we cannot frame)."""


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 answer; returns its status and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = None
    keep = True
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep = False
        elif name == b"transfer-encoding":
            raise _Broken("chunked answer")
    if length is None:
        raise _Broken("answer without Content-Length")
    await reader.readexactly(length)
    return status, keep


async def _python_load(
    host: str, port: int, bodies: list[bytes], seconds: float, connections: int
) -> Load:
    """``connections`` coroutines, each on its own keep-alive connection, sending the pool's
    bodies in turn until ``seconds`` have passed; the request in flight then is waited for."""
    requests = [
        b"POST /api/orders HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (host.encode(), port, len(body), body)
        for body in bodies
    ]
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    latencies: list[float] = []
    created = 0
    first = last = 0.0
    clock = time.perf_counter
    deadline = clock() + seconds

    async def connection(number: int) -> None:
        nonlocal created, first, last
        position = number * 331 % len(requests)
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        while clock() < deadline:
            if writer is None or reader is None:
                try:
                    reader, writer = await asyncio.open_connection(host, port)
                except OSError:
                    errors["connect"] += 1
                    await asyncio.sleep(0.05)
                    continue
            position = (position + 1) % len(requests)
            start = clock()
            first = first or start
            try:
                writer.write(requests[position])
                status, keep = await _answer(reader)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, _Broken):
                errors["read"] += 1
                writer.close()
                reader = writer = None
                continue
            last = clock()
            latencies.append(last - start)
            if last - start > TIMEOUT_S:
                errors["timeout"] += 1
            if status == 201:
                created += 1
            else:
                statuses[str(status)] += 1
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    tasks = [asyncio.ensure_future(connection(n)) for n in range(connections)]
    _, pending = await asyncio.wait(tasks, timeout=seconds + 3 * TIMEOUT_S)
    for task in pending:  # its request never got an answer
        task.cancel()
    return Load(
        created=created,
        window_s=last - first if first and last else 0.0,
        latencies_ms=sorted(x * 1000 for x in latencies),
        statuses=dict(statuses),
        socket_errors=dict(errors),
        unanswered=len(pending),
    )


def run_python(url: str, bodies: list[bytes], seconds: float, connections: int) -> Load:
    port = int(url.rsplit(":", 1)[1])
    loop_factory = None
    with contextlib.suppress(ImportError):
        import uvloop

        loop_factory = uvloop.new_event_loop
    before = resource.getrusage(resource.RUSAGE_SELF)
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        load = runner.run(_python_load(HOST, port, bodies, seconds, connections))
    after = resource.getrusage(resource.RUSAGE_SELF)
    load.cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return load


def pick_generator(choice: str) -> tuple[str, str]:
    """(generator, why)."""
    wrk = shutil.which("wrk")
    if choice == "wrk" and wrk is None:
        raise SystemExit("--generator wrk: wrk is not installed (apt-get install -y wrk)")
    loop = "asyncio with uvloop" if _has("uvloop") else "asyncio"
    if choice == "python":
        return "python", f"{loop}, asked for with --generator python"
    if wrk is not None:
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        name = (version.splitlines() or ["wrk"])[0].split(" Copyright")[0].strip()
        return "wrk", f"{name}, one thread per connection"
    return "python", f"{loop}; wrk is not installed: apt-get install -y wrk"


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def drive(
    generator: str, url: str, bodies: list[bytes], seconds: float, connections: int, work: Path
) -> Load:
    if generator == "wrk":
        return run_wrk(url, bodies, seconds, connections, work)
    return run_python(url, bodies, seconds, connections)


# -- one configuration ------------------------------------------------------------------------
@dataclass
class Result:
    database: str
    workers: int
    generator: str = ""
    connections: int = 0
    seconds: float = 0.0
    orders_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    errors: int = 0
    error_detail: dict[str, int] = field(default_factory=dict)
    created: int = 0  # 201s of the measured run
    warmup_created: int = 0
    warmup_errors: int = 0  # not in `errors`: workers may still be warming their caches
    unanswered: int = 0
    stored: int = 0
    qty_ordered: int = 0
    stock_taken: int = 0
    consistent: bool = False
    generator_cpu: float = 0.0  # cores the generator used during the measured run
    postgres_sessions: int | None = None  # sessions opened on the database during the run
    postgres_cpu: float | None = None  # cores PostgreSQL's processes used during the run
    server_cpu: float = 0.0  # cores the server's processes used during the measured run
    server_problems: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def created_total(self) -> int:
        return self.created + self.warmup_created


def run_one(
    database: str,
    workers: int,
    *,
    site: Path,
    work: Path,
    generator: str,
    seconds: float,
    warmup: float,
    connections: int,
    postgres_url: str,
    bodies: list[bytes],
) -> Result:
    result = Result(database, workers, generator, connections)
    folder = work / f"{database}-{workers}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if database == "sqlite":
        url = f"sqlite:///{folder / 'checkout.sqlite3'}"
    else:
        try:
            url = postgres_reset(postgres_url)
        except Unavailable as why:
            result.skipped = str(why)
            return result
    try:
        with serving(site, url, workers, folder / "server.log") as server:
            if warmup > 0:
                warm = drive(generator, server.url, bodies, warmup, connections, folder)
                result.warmup_created = warm.created
                result.warmup_errors = warm.errors
                result.unanswered += warm.unanswered
            sessions = postgres_sessions(postgres_url) if database == "postgresql" else None
            pg_before = postgres_cpu_seconds() if database == "postgresql" else 0.0
            cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
            load = drive(generator, server.url, bodies, seconds, connections, folder)
            cpu_after, wall = server.cpu_seconds(), time.perf_counter() - wall_before
            if database == "postgresql":
                result.postgres_cpu = (postgres_cpu_seconds() - pg_before) / wall
        if sessions is not None and (after := postgres_sessions(postgres_url)) is not None:
            result.postgres_sessions = after - sessions
        result.server_problems = server.log_problems()
        window = load.window_s or seconds
        result.seconds = round(window, 3)
        result.orders_per_second = load.created / window if window else 0.0
        result.p50_ms, result.p99_ms = load.percentile(0.50), load.percentile(0.99)
        result.max_ms = load.percentile(1.0)
        result.errors = load.errors
        result.error_detail = {**load.statuses, **load.socket_errors}
        if load.unanswered:
            result.error_detail["unanswered"] = load.unanswered
        result.created = load.created
        result.unanswered += load.unanswered
        result.generator_cpu = load.cpu_seconds / wall
        result.server_cpu = (cpu_after - cpu_before) / wall
        found = stored(url)
        result.stored, result.qty_ordered = found.orders, found.qty_ordered
        result.stock_taken = found.stock_taken
        result.consistent = (
            found.orders == result.created_total and found.stock_taken == found.qty_ordered
        )
    finally:
        if database == "postgresql":
            with contextlib.suppress(Exception):
                postgres_drop(postgres_url)
    return result


# -- output -----------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(),
        "python": platform.python_version(),
        "taawun_commit": commit or "unknown",
    }


COLUMNS = (
    "database",
    "workers",
    "connections",
    "orders/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "errors",
)


def table(results: list[Result]) -> str:
    rows = [[*COLUMNS, "stored = 201s"]]
    for r in results:
        if r.skipped:
            rows.append([r.database, str(r.workers), str(r.connections), "skipped", *[""] * 5])
            continue
        check = "✓" if r.consistent else "✗"
        rows.append(
            [
                r.database,
                str(r.workers),
                str(r.connections),
                f"{r.orders_per_second:.0f}",
                f"{r.p50_ms:.1f}",
                f"{r.p99_ms:.1f}",
                f"{r.max_ms:.1f}",
                str(r.errors),
                f"{r.stored} = {r.created_total} {check}",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(width) if i == 0 or n == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def meets_target(r: Result) -> bool:
    return (
        not r.skipped
        and r.orders_per_second >= TARGET_RATE
        and r.p99_ms < TARGET_P99_MS
        and r.errors == 0
    )


def notes(results: list[Result]) -> list[str]:
    out = []
    for r in results:
        name = (
            f"{r.database}, {r.workers} worker{'s' if r.workers > 1 else ''}, "
            f"{r.connections} connections"
        )
        if r.skipped:
            out.append(f"- {name}: skipped: {r.skipped}")
            continue
        line = (
            f"- {name}: {r.created} orders in {r.seconds:.2f} s (+{r.warmup_created} in the "
            f"warm-up, {r.warmup_errors} errors there); server {r.server_cpu:.2f} cores, "
            f"generator {r.generator_cpu:.2f} cores"
        )
        if r.postgres_cpu is not None:
            line += f", PostgreSQL {r.postgres_cpu:.2f} cores"
        if r.postgres_sessions is not None:
            line += f"; {r.postgres_sessions} PostgreSQL sessions opened"
        if r.error_detail:
            line += "; errors: " + ", ".join(f"{k}: {v}" for k, v in sorted(r.error_detail.items()))
        out.append(line)
        if not r.consistent:
            out.append(
                f"  ✗ stored orders {r.stored}, 201 answers {r.created_total}"
                + (f" ({r.unanswered} requests unanswered at the end)" if r.unanswered else "")
                + f"; stock taken {r.stock_taken}, quantities ordered {r.qty_ordered}"
            )
        else:
            out.append(
                f"  ✓ {r.stored} orders stored = {r.created_total} answered 201; stock taken "
                f"{r.stock_taken} = quantities ordered {r.qty_ordered}"
            )
        for problem in r.server_problems:
            out.append(f"  server log: {problem}")
        if r.database == "postgresql" and r.workers == 2:
            verdict = "✓ target met" if meets_target(r) else "✗ target missed"
            out.append(
                f"  {verdict}: ≥ {TARGET_RATE:.0f} orders/s, p99 < {TARGET_P99_MS:.0f} ms, no error"
            )
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before (default 2)")
    parser.add_argument(
        "--connections",
        nargs="+",
        type=int,
        default=[8, 32],
        help="keep-alive connections, one run each (default 8 32)",
    )
    parser.add_argument(
        "--generator",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="auto: wrk when installed, else the Python generator",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="SQLAlchemy URL")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/taawun-checkout-bench"), help="site, logs, SQLite"
    )
    args = parser.parse_args(argv)
    if min(args.connections) < 1 or args.seconds <= 0 or min(args.workers) < 1:
        parser.error("--connections, --seconds and --workers must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    generator, why = pick_generator(args.generator)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    site = write_site(work / "site")
    bodies = order_bodies()
    info = machine()
    results: list[Result] = []
    failed = False
    runs = [(d, w, c) for d in args.databases for w in args.workers for c in args.connections]
    for database, workers, connections in runs:
        print(
            f"{database}, {workers} worker(s), {connections} connections: {args.seconds:g} s…",
            file=sys.stderr,
        )
        try:
            result = run_one(
                database,
                workers,
                site=site,
                work=work,
                generator=generator,
                seconds=args.seconds,
                warmup=args.warmup,
                connections=connections,
                postgres_url=args.postgres_url,
                bodies=bodies,
            )
        except RuntimeError as error:
            print(f"  {error}", file=sys.stderr)
            result = Result(
                database, workers, generator, connections, skipped=f"failed: {error}"[:300]
            )
            failed = True
        if result.skipped:
            print(f"  skipped: {result.skipped}", file=sys.stderr)
        elif not result.consistent:
            failed = True
        results.append(result)

    print(
        f"Checkout load: {info['cpus']} CPUs ({info['cpu_model']}), load average "
        f"{' '.join(map(str, info['load_average']))} at the start, Python {info['python']}, "
        f"Taawun {info['taawun_commit']}"
    )
    print(
        f"Load generator: {generator} ({why}); {'/'.join(map(str, args.connections))} "
        "connections, "
        f"{args.seconds:g} s after a {args.warmup:g} s warm-up; cash-on-delivery orders of "
        f"1-3 lines from {SKUS} SKUs, {COOPERATIVES} cooperatives"
    )
    print(TARGET)
    print()
    print(table(results))
    print()
    print("\n".join(notes(results)))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "generator": generator,
                    "generator_detail": why,
                    "connections": args.connections,
                    "seconds": args.seconds,
                    "warmup": args.warmup,
                    "target": TARGET,
                    "results": [
                        {
                            **asdict(r),
                            "created_total": r.created_total,
                            "meets_target": meets_target(r),
                        }
                        for r in results
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
