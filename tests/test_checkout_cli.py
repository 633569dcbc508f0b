"""``taawun checkout migrate`` and ``taawun orders list|show|export|mark``: what a cooperative
and the operator see, and every status change kept in the history."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from checkout.database import make_engine
from checkout.schema import metadata, order_history
from checkout.settings import Secret, Settings
from generator.cli import main

from .checkout_fixtures import Shop, order_body


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_migrations_build_exactly_the_schema_the_code_uses(database_url: str) -> None:
    assert main(["checkout", "migrate", "--database", database_url]) == 0
    assert main(["checkout", "migrate", "--database", database_url]) == 0  # again: a no-op
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []


@pytest.fixture
def two_orders(shop: Shop) -> tuple[Shop, str, str]:
    first = shop.post(order_body(lines=[{"sku": "amlou", "qty": 2}, {"sku": "tapis", "qty": 1}]))
    shop.clock.advance(minutes=5)
    second = shop.post(
        order_body(lines=[{"sku": "tapis", "qty": 1}], buyer={"name": "=HYPERLINK()"})
    )
    return shop, first.json()["id"], second.json()["id"]


def test_a_cooperative_lists_and_exports_its_orders(
    two_orders: tuple[Shop, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    shop, first, second = two_orders
    db = shop.settings.database_url
    code, out, _ = _run(capsys, "orders", "list", "--cooperative", "oulja", "--database", db)
    assert code == 0
    assert f"{first}/1" in out and f"{second}/1" in out and "tamount" not in out
    code, out, _ = _run(capsys, "orders", "export", "--cooperative", "oulja", "--database", db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["suborder"] for row in rows] == [f"{first}/1", f"{second}/1"]
    assert rows[0]["total"] == "450.00" and rows[0]["lines"] == "1 × tapis"
    # A spreadsheet must not run what a buyer typed, nor read a phone number as a sum.
    assert rows[1]["buyer_name"] == "'=HYPERLINK()"
    assert rows[0]["buyer_phone"] == "'+212612345678"
    code, out, _ = _run(
        capsys, "orders", "export", "--cooperative", "tamount", "--format", "json", "--database", db
    )
    exported = json.loads(out)
    assert len(exported) == 1 and exported[0]["total"] == 19500
    assert exported[0]["lines"] == [{"sku": "amlou", "name": "Amlou", "qty": 2, "unit_price": 8000}]


def test_marking_moves_a_suborder_on_and_cancelling_returns_its_stock(
    two_orders: tuple[Shop, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    shop, first, _ = two_orders
    db = shop.settings.database_url
    assert shop.available("tapis") == 1 and shop.available("amlou") == 8
    code, out, _ = _run(capsys, "orders", "mark", f"{first}/2", "shipped", "--database", db)
    assert code == 0 and f"{first}/2 shipped" in out
    code, _, err = _run(capsys, "orders", "mark", f"{first}/2", "cancelled", "--database", db)
    assert code == 0
    assert shop.available("amlou") == 10  # the shipped-then-cancelled jars are back
    code, _, err = _run(capsys, "orders", "mark", f"{first}/2", "delivered", "--database", db)
    assert code == 1 and "cancelled; it cannot become delivered" in err
    code, _, _ = _run(capsys, "orders", "mark", first, "cancelled", "--database", db)
    assert code == 0 and shop.available("tapis") == 2
    status = shop.client.get(
        f"/api/orders/{first}", params={"token": shop.service.store.token(first)}
    )
    assert status.json()["status"] == "cancelled"
    with shop.engine.connect() as connection:
        history = connection.execute(
            select(order_history.c.suborder, order_history.c.to_status, order_history.c.source)
            .where(order_history.c.order_id == first)
            .order_by(order_history.c.id)
        ).all()
    assert [tuple(h) for h in history] == [
        (None, "confirmed", "buyer"),
        (2, "shipped", "operator"),
        (2, "cancelled", "operator"),
        (1, "cancelled", "operator"),
        (None, "cancelled", "operator"),
    ]
    code, out, _ = _run(capsys, "orders", "show", first, "--database", db)
    assert code == 0 and "to_ship → shipped  by operator" in out and "+212612345678" in out


def test_unknown_orders_and_bad_settings_are_reported(
    shop: Shop, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = shop.settings.database_url
    code, _, err = _run(capsys, "orders", "show", "TW-NOPE", "--database", db)
    assert code == 1 and "no order TW-NOPE" in err
    code, _, err = _run(capsys, "orders", "mark", "TW-NOPE/1", "shipped", "--database", db)
    assert code == 1
    monkeypatch.setenv("TAAWUN_RESERVATION_MINUTES", "5")
    code, _, err = _run(capsys, "orders", "list", "--database", db)
    assert code == 2 and "TAAWUN_RESERVATION_MINUTES" in err


def test_secrets_never_show(monkeypatch: pytest.MonkeyPatch) -> None:
    env: dict[str, Any] = {
        "STRIPE_SECRET_KEY": "sk_live_very_secret",
        "STRIPE_WEBHOOK_SECRET": "whsec_very_secret",
    }
    settings = Settings.from_env(env)
    assert isinstance(settings.stripe_secret_key, Secret)
    assert "very_secret" not in repr(settings) and "very_secret" not in str(settings)
    assert settings.stripe_secret_key.reveal() == "sk_live_very_secret"
