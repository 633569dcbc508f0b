"""The database: one engine for SQLite (the embedded default) and PostgreSQL, its migrations, and
the stock seeded from the catalogue.

SQLite runs in WAL mode, and every transaction that writes starts with ``BEGIN IMMEDIATE``: it
takes the write lock first and waits for it (``busy_timeout``), instead of failing with
"database is locked" when it later tries to upgrade a read lock. PostgreSQL runs at READ
COMMITTED, where ``UPDATE … WHERE available >= :qty`` re-reads the row after waiting for its
lock, so two buyers of the last jar cannot both get it.
"""

from __future__ import annotations

import secrets
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry

from .catalogue import Catalogue
from .schema import service_keys, stock
from .settings import sqlite_path

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 10_000
# Requests one worker serves at once (checkout/app.py), and the connections pooled for them.
# More would not go faster on a few cores: the extra threads would fight for the interpreter
# lock while holding row locks that other buyers wait for (bench/checkout_load.py: 4 did
# better than 10, and better than 4 connections shared by 40 threads).
DATABASE_THREADS = 4
# Migrations and stock seeding take turns under this PostgreSQL advisory lock (any constant,
# the same in every process).
SCHEMA_LOCK = 0x7461_6177


def make_engine(url: str, *, pool_size: int = DATABASE_THREADS) -> Engine:
    """An engine for ``url``; SQLite files get their folder, WAL mode and a busy timeout."""
    if make_url(url).get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            pool_size=pool_size,
            pool_pre_ping=True,
        )

        @event.listens_for(engine, "connect")
        def _configure(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
            # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own
            # transaction handling would delay it to the first write).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.close()

        _sqlite_writers[engine] = threading.Lock()

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            immediate = connection.get_execution_options().get("write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=4, pool_pre_ping=True)


# SQLite lets one writer in at a time, and a writer that finds the lock taken sleeps and polls
# (up to 100 ms between tries), so under load newcomers overtake it and some wait seconds. The
# threads of one process therefore queue on a lock of their own first, and wake in turn.
_sqlite_writers: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_seats: weakref.WeakKeyDictionary[Engine, threading.BoundedSemaphore] = weakref.WeakKeyDictionary()


def _seat(engine: Engine) -> threading.BoundedSemaphore:
    seat = _seats.get(engine)
    if seat is None:
        seat = _seats.setdefault(engine, threading.BoundedSemaphore(DATABASE_THREADS))
    return seat


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One transaction that writes: committed at the end, rolled back on any error."""
    turn = _sqlite_writers.get(engine)
    with turn or nullcontext(), engine.connect() as connection:
        connection = connection.execution_options(write=True)
        with connection.begin():
            yield connection


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection, connection.begin():
        yield connection


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration (a no-op when it is there already).

    Several services starting at once take turns: PostgreSQL through an advisory lock held
    for the transaction, SQLite through BEGIN IMMEDIATE.
    """
    with writing(engine) as connection:
        _take_turns(connection)
        command.upgrade(alembic_config(connection), "head")
        _ensure_token_key(connection)


def _take_turns(connection: Connection) -> None:
    """Hold a lock for the rest of the transaction that every process asks for."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    # SQLite: the transaction's BEGIN IMMEDIATE already holds the database's write lock.


def _ensure_token_key(connection: Connection) -> None:
    exists = connection.execute(
        select(service_keys.c.name).where(service_keys.c.name == "order_tokens")
    ).first()
    if exists is None:
        connection.execute(
            insert(service_keys).values(name="order_tokens", value=secrets.token_hex(32))
        )


def token_key(engine: Engine) -> bytes:
    with reading(engine) as connection:
        value = connection.execute(
            select(service_keys.c.value).where(service_keys.c.name == "order_tokens")
        ).scalar_one()
    return bytes.fromhex(value)


def seed_stock(engine: Engine, catalogue: Catalogue, now: datetime) -> int:
    """Make the stock table agree with the catalogue's counted SKUs; returns the rows changed.

    A SKU seen for the first time starts with its declared stock. A SKU whose declared number
    changed since the last seeding takes the new number as available (the cooperative counted
    again). An unchanged number leaves the live count alone, so restarts lose no sale.
    """
    declared = {sku.sku: sku.stock for sku in catalogue.skus.values() if sku.stock is not None}
    changed = 0
    with writing(engine) as connection:
        # Workers starting together seed one after the other: the second sees the first's rows.
        _take_turns(connection)
        known = dict(connection.execute(select(stock.c.sku, stock.c.declared)).all())
        new = [
            {"sku": sku, "declared": count, "available": count, "updated_at": now}
            for sku, count in declared.items()
            if sku not in known
        ]
        if new:
            connection.execute(insert(stock), new)
        recounted = [
            {
                "key": sku,
                "old": known[sku],
                "declared": count,
                "available": count,
                "updated_at": now,
            }
            for sku, count in declared.items()
            if sku in known and known[sku] != count
        ]
        if recounted:
            connection.execute(
                update(stock)
                .where(stock.c.sku == bindparam("key"), stock.c.declared == bindparam("old"))
                .values(
                    declared=bindparam("declared"),
                    available=bindparam("available"),
                    updated_at=bindparam("updated_at"),
                ),
                recounted,
            )
        changed = len(new) + len(recounted)
    return changed
