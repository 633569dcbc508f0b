"""Fixtures for the checkout service's tests: a small catalogue, both databases, a clock the
test moves, the app in-process (TestClient) and on a real socket (uvicorn in a thread).

Every test that takes ``database_url`` runs twice: against a SQLite file and against a fresh
PostgreSQL schema (``TAAWUN_TEST_POSTGRES``, default the machine's 127.0.0.1:5432 ``test``
database). Where PostgreSQL cannot be reached, that variant is skipped, saying why.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine, func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from checkout.app import create_app
from checkout.database import make_engine
from checkout.schema import orders, stock
from checkout.settings import Secret, Settings

POSTGRES_URL = os.environ.get(
    "TAAWUN_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SITE_ORIGIN = "https://taawun.example.ma"
WEBHOOK_SECRET = "whsec_test_secret"

CATALOGUE: dict[str, Any] = {
    "schema_version": 3,
    "currency": "MAD",
    "amounts": "integer centimes, tax included",
    "languages": ["ar", "fr", "zgh"],
    "base_url": SITE_ORIGIN,
    "regions": {
        "casablanca-settat": {"ar": "الدار البيضاء سطات", "fr": "Casablanca-Settat"},
        "souss-massa": {"ar": "سوس ماسة", "fr": "Souss-Massa"},
        "dakhla-oued-ed-dahab": {"ar": "الداخلة وادي الذهب", "fr": "Dakhla-Oued Ed-Dahab"},
    },
    # What a submission of the "sell with us" form may refer to.
    "provinces": {
        "casablanca-settat": ["casablanca", "settat"],
        "souss-massa": ["agadir-ida-ou-tanane", "taroudant", "tiznit"],
        "dakhla-oued-ed-dahab": ["oued-ed-dahab"],
    },
    "sectors": {"agriculture": {"ar": "الفلاحة", "fr": "Agriculture"}},
    "categories": {
        "amlou-spreads": {
            "name": {"ar": "أملو", "fr": "Amlou et pâtes à tartiner"},
            "kind": "food",
        },
        "carpets": {"name": {"ar": "زرابي", "fr": "Tapis"}, "kind": "craft"},
    },
    "skus": {},
    "cooperatives": {},
}


def _coop(zones: Any, fee: int, free_from: int | None, cod: bool, cod_max: int | None) -> Any:
    return {
        "name": {"fr": "", "ar": ""},
        "region": "souss-massa",
        "delivery": {
            "zones": zones,
            "fee": fee,
            "free_from": free_from,
            "cod": cod,
            "cod_max": cod_max,
            "pickup": False,
            "lead_time_days": 3,
        },
        "contact": {"phone": "+212528000000", "whatsapp": None, "email": None},
    }


def _sku(coop: str, price: int, stock: int | None, max_qty: int = 10, **extra: Any) -> Any:
    return {
        "product": extra.pop("product", None),
        "cooperative": coop,
        "kind": "food",
        "currency": "MAD",
        "max_per_order": max_qty,
        "urls": {},
        "variant": None,
        "name": {},
        "unit_price": price,
        "availability": extra.pop("availability", "in_stock"),
        "stock": stock,
        "weight_g": 500,
    }


CATALOGUE["cooperatives"] = {
    # National delivery, 35 MAD, free from 600 MAD, cash on delivery up to 1,000 MAD.
    "tamount": _coop("national", 3500, 60000, True, 100000),
    # Two regions only, no cash on delivery.
    "bahr": _coop(["dakhla-oued-ed-dahab", "souss-massa"], 6000, None, False, None),
    "oulja": _coop("national", 6000, None, True, None),
}
for coop_id, fr, ar in (
    ("tamount", "Coopérative Tamount", "تعاونية تامونت"),
    ("bahr", "Coopérative Bahr", "تعاونية بحر"),
    ("oulja", "Coopérative Oulja", "تعاونية الولجة"),
):
    CATALOGUE["cooperatives"][coop_id]["name"] = {"fr": fr, "ar": ar}
for sku_id, entry, fr, ar in (
    ("amlou", _sku("tamount", 8000, 10), "Amlou", "أملو"),
    ("huile", _sku("tamount", 25000, None, max_qty=5), "Huile d'argan", "زيت أركان"),
    ("tapis", _sku("oulja", 39000, 3, max_qty=2), "Tapis", "زربية"),
    ("poulpe", _sku("bahr", 12000, 20), "Poulpe séché", "أخطبوط مجفف"),
    ("safran", _sku("oulja", 5000, 0, availability="sold_out"), "Safran", "زعفران"),
):
    entry["product"] = sku_id
    entry["name"] = {"fr": fr, "ar": ar}
    CATALOGUE["skus"][sku_id] = entry


def write_catalogue(folder: Path, catalogue: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "catalogue.json"
    path.write_text(json.dumps(catalogue or CATALOGUE, ensure_ascii=False), encoding="utf-8")
    return path


def order_body(**changes: Any) -> dict[str, Any]:
    """A valid cash-on-delivery order for 2 jars of amlou; keyword arguments replace parts."""
    body: dict[str, Any] = {
        "lines": [{"sku": "amlou", "qty": 2}],
        "buyer": {
            "name": "Fatima Zahra Alaoui",
            "phone": "+212612345678",
            "region": "casablanca-settat",
            "city": "Casablanca",
            "address": "12 rue des Oliviers, Maârif",
        },
        "payment": "cod",
        "lang": "fr",
        "consent": True,
    }
    for key, value in changes.items():
        if key == "buyer":
            body["buyer"] = {**body["buyer"], **value}
        else:
            body[key] = value
    return deepcopy(body)


class Clock:
    """The service's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _postgres_schema() -> Iterator[str]:
    import psycopg

    plain = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        pytest.skip(f"PostgreSQL is not reachable at {plain} ({error}); set TAAWUN_TEST_POSTGRES")
    schema = "taawun_test_" + uuid.uuid4().hex[:12]
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        separator = "&" if "?" in POSTGRES_URL else "?"
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND query LIKE %s",
            (f"%{schema}%",),
        )
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'checkout.sqlite3'}"
    else:
        yield from _postgres_schema()


@dataclass
class Shop:
    """One service under test: its app, client, engine, clock and catalogue folder."""

    app: Starlette
    client: TestClient
    engine: Engine
    clock: Clock
    site: Path
    settings: Settings

    def post(self, body: Any, **headers: str) -> Any:
        return self.client.post(
            "/api/orders", json=body, headers={"Origin": SITE_ORIGIN, **headers}
        )

    def order_count(self) -> int:
        with self.engine.connect() as db:
            return int(db.execute(select(func.count()).select_from(orders)).scalar_one())

    def available(self, sku: str) -> int:
        with self.engine.connect() as db:
            return int(db.execute(select(stock.c.available).where(stock.c.sku == sku)).scalar_one())

    @property
    def service(self) -> Any:
        return self.app.state.service


def make_settings(site: Path, database_url: str, **changes: Any) -> Settings:
    return Settings(site=str(site), database_url=database_url, sweep_seconds=3600, **changes)


@pytest.fixture
def shop_factory(tmp_path: Path, database_url: str) -> Iterator[Any]:
    """Makes shops on one database (a second one plays a restarted service)."""
    engines: list[Engine] = []
    clients: list[TestClient] = []

    def make(stripe_client: Any = None, clock: Clock | None = None, **changes: Any) -> Shop:
        site = tmp_path / "site"
        if not (site / "catalogue.json").exists():
            write_catalogue(site)
        settings = make_settings(site, database_url, **changes)
        engine = make_engine(database_url)
        engines.append(engine)
        clock = clock or Clock()
        app = create_app(
            settings, engine=engine, stripe_client=stripe_client, clock=clock, background=False
        )
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return Shop(app, client, engine, clock, site, settings)

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    for engine in engines:
        engine.dispose()


@pytest.fixture
def shop(shop_factory: Any) -> Shop:
    return shop_factory()


def card_settings() -> dict[str, Any]:
    return {
        "stripe_secret_key": Secret("sk_test_taawun"),
        "stripe_webhook_secret": Secret(WEBHOOK_SECRET),
    }


class LiveServer:
    """The app on a real loopback socket (uvicorn in a thread), for concurrent clients."""

    def __init__(self, app: Starlette) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
