"""``taawun checkout serve|migrate`` and ``taawun orders list|show|export|mark|refund``.

Exit codes as the rest of ``taawun``: 0 success, 1 data errors (no such order, a status change
that is not allowed), 2 usage errors (a setting the service cannot use).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import NoResultFound

from .catalogue import CatalogueError, CatalogueSource
from .database import make_engine, migrate, token_key
from .payments import StripeCheckout, from_settings
from .refunds import refund_order, refund_suborders
from .settings import Settings, SettingsError
from .store import OrderStore

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
MARKABLE = ("shipped", "delivered", "cancelled")


def add_commands(commands: Any) -> None:
    """Add ``checkout`` and ``orders`` to the ``taawun`` command line."""
    p = commands.add_parser("checkout", help="the checkout service: serve it, migrate its database")
    sub = p.add_subparsers(dest="checkout_command", required=True, metavar="ACTION")
    serve = sub.add_parser("serve", help="start the order API (uvicorn)")
    serve.add_argument("--site", help="built site folder or catalogue URL (default: public)")
    database_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8100)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    migrate_cmd = sub.add_parser("migrate", help="create or update the database's tables")
    database_option(migrate_cmd)

    p = commands.add_parser("orders", help="the orders a cooperative has to ship")
    sub = p.add_subparsers(dest="orders_command", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="sub-orders, oldest first")
    listing.add_argument("--cooperative", help="one cooperative's id")
    listing.add_argument("--status", help="e.g. to_ship, shipped, awaiting_payment")
    database_option(listing)
    show = sub.add_parser("show", help="one order with its lines and history")
    show.add_argument("id", help="order id (TW-…)")
    database_option(show)
    export = sub.add_parser("export", help="sub-orders with buyer and lines, as CSV or JSON")
    export.add_argument("--cooperative", help="one cooperative's id")
    export.add_argument("--status")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    database_option(export)
    mark = sub.add_parser("mark", help="move an order (TW-…) or one sub-order (TW-…/2) on")
    mark.add_argument("id")
    mark.add_argument("status", choices=MARKABLE)
    mark.add_argument("--note", help="kept in the order's history")
    database_option(mark)
    refund = sub.add_parser(
        "refund", help="refund a card order paid after its products sold out (refund_due)"
    )
    refund.add_argument("id")
    database_option(refund)


def database_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database",
        help="database URL (default: $TAAWUN_DATABASE_URL or sqlite:///var/checkout.sqlite3)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(
            site=getattr(args, "site", None), database_url=getattr(args, "database", None)
        )
    except SettingsError as error:
        print(f"taawun: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "checkout":
        if args.checkout_command == "migrate":
            engine = make_engine(settings.database_url)
            try:
                migrate(engine)
            finally:
                engine.dispose()
            print(f"✓ {_shown(settings.database_url)} is at the latest schema")
            return EXIT_OK
        return _serve(settings, args.host, args.port, args.workers)
    return _orders(settings, args)


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _serve(settings: Settings, host: str, port: int, workers: int) -> int:
    import uvicorn

    try:
        catalogue = CatalogueSource(settings.site).current
    except CatalogueError as error:
        print(f"taawun: {error}", file=sys.stderr)
        return EXIT_USAGE
    # Migrate once here, not in each worker.
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    print(
        f"checkout: catalogue {catalogue.hash} ({len(catalogue.skus)} SKUs), "
        f"database {_shown(settings.database_url)}, card payments "
        f"{'on' if settings.card_payments else 'off (set STRIPE_SECRET_KEY)'}",
        file=sys.stderr,
    )
    # Workers are new processes: they read the same settings from the environment.
    os.environ["TAAWUN_SITE"] = settings.site
    os.environ["TAAWUN_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "checkout.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=settings.trust_forwarded_for,
        server_header=False,
        access_log=False,
    )
    return EXIT_OK


def _orders(settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    payments = from_settings(settings)
    try:
        migrate(engine)
        return _order_command(OrderStore(engine, token_key(engine)), payments, args)
    finally:
        engine.dispose()


def _order_command(
    store: OrderStore, payments: StripeCheckout | None, args: argparse.Namespace
) -> int:
    if args.orders_command == "show":
        order = store.load(args.id.partition("/")[0])
        if order is None:
            print(f"taawun: no order {args.id}", file=sys.stderr)
            return EXIT_DATA
        print(_format_order(order))
        return EXIT_OK
    if args.orders_command in ("mark", "refund"):
        order_id = args.id.partition("/")[0]
        try:
            before = store.payment_of(order_id)
        except NoResultFound:
            print(f"taawun: no order {args.id}", file=sys.stderr)
            return EXIT_DATA
        if args.orders_command == "refund":
            print(refund_order(store, payments, order_id))
            return EXIT_OK
        try:
            changed = store.mark(args.id, args.status, args.note)
        except KeyError:
            print(f"taawun: no order {args.id}", file=sys.stderr)
            return EXIT_DATA
        except ValueError as error:
            print(f"taawun: {error}", file=sys.stderr)
            return EXIT_DATA
        for changed_id, number in changed:
            print(f"✓ {changed_id}/{number} {args.status}")
        if args.status == "cancelled" and before.method == "card" and before.status == "paid":
            numbers = [number for _, number in changed]
            for message in refund_suborders(store, payments, order_id, numbers):
                print(message)
        return EXIT_OK
    rows = store.list_suborders(args.cooperative, args.status)
    if args.orders_command == "list":
        print(_format_list(rows))
        return EXIT_OK
    sys.stdout.write(_export(rows, args.format))
    return EXIT_OK


def _money(centimes: int) -> str:
    return f"{centimes / 100:.2f}"


def _format_list(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no orders"
    lines = [
        f"{'sub-order':<18} {'created (UTC)':<16} {'cooperative':<24} {'status':<10} "
        f"{'payment':<17} {'total MAD':>10}  buyer"
    ]
    for row in rows:
        lines.append(
            f"{row['order_id'] + '/' + str(row['number']):<18} "
            f"{row['created_at']:%Y-%m-%d %H:%M} {row['cooperative']:<24} {row['status']:<10} "
            f"{row['payment'] + ' ' + row['order_status']:<17} {_money(row['total']):>10}  "
            f"{row['buyer_name']}, {row['buyer_city']}"
        )
    return "\n".join(lines)


def _format_order(order: dict[str, Any]) -> str:
    out = [
        f"order {order['id']}  {order['status']}  ({order['payment']}, {order['lang']})",
        f"created {order['created_at']:%Y-%m-%d %H:%M} UTC",
        f"buyer   {order['buyer_name']}, {order['buyer_phone']}"
        + (f", {order['buyer_email']}" if order["buyer_email"] else ""),
        f"address {order['buyer_address']}, {order['buyer_city']} ({order['buyer_region']})",
    ]
    for sub in order["suborders"]:
        out.append(
            f"\n  {order['id']}/{sub['number']}  {sub['cooperative']}  {sub['status']}  "
            f"items {_money(sub['items_total'])} + delivery {_money(sub['delivery_fee'])} "
            f"= {_money(sub['total'])} {order['currency']}"
        )
        for line in order["lines"]:
            if line["suborder"] == sub["number"]:
                out.append(
                    f"    {line['qty']:>3} × {line['name']} ({line['sku']}) "
                    f"@ {_money(line['unit_price'])} = {_money(line['line_total'])}"
                )
    out.append(f"\n  total {_money(order['total'])} {order['currency']}\n\nhistory")
    for entry in order["history"]:
        which = f"/{entry['suborder']}" if entry["suborder"] else ""
        note = f"  ({entry['note']})" if entry["note"] else ""
        out.append(
            f"  {entry['at']:%Y-%m-%d %H:%M:%S}  {order['id']}{which}  "
            f"{entry['from_status'] or '—'} → {entry['to_status']}  by {entry['source']}{note}"
        )
    return "\n".join(out)


EXPORT_FIELDS = (
    "suborder",
    "created_at",
    "cooperative",
    "status",
    "payment",
    "payment_status",
    "buyer_name",
    "buyer_phone",
    "buyer_region",
    "buyer_city",
    "buyer_address",
    "items",
    "delivery_fee",
    "total",
    "currency",
    "lines",
)


def _export_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "suborder": f"{row['order_id']}/{row['number']}",
            "created_at": row["created_at"].isoformat(),
            "cooperative": row["cooperative"],
            "status": row["status"],
            "payment": row["payment"],
            "payment_status": row["order_status"],
            "buyer_name": row["buyer_name"],
            "buyer_phone": row["buyer_phone"],
            "buyer_region": row["buyer_region"],
            "buyer_city": row["buyer_city"],
            "buyer_address": row["buyer_address"],
            "items": row["items_total"],
            "delivery_fee": row["delivery_fee"],
            "total": row["total"],
            "currency": row["currency"],
            "lines": [
                {
                    "sku": line["sku"],
                    "name": line["name"],
                    "qty": line["qty"],
                    "unit_price": line["unit_price"],
                }
                for line in row["lines"]
            ],
        }
        for row in rows
    ]


def _cell(value: Any) -> Any:
    """A text cell a spreadsheet will not run as a formula (a buyer typed it): "=…", "+212…"
    and the like get a leading apostrophe, which spreadsheets show as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _export(rows: list[dict[str, Any]], style: str) -> str:
    data = _export_rows(rows)
    if style == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in data:
        # One cell for the lines, readable in a spreadsheet: "2 × amlou-tamanar; 1 × …".
        row["lines"] = "; ".join(f"{line['qty']} × {line['sku']}" for line in row["lines"])
        # Amounts in dirhams for people; JSON keeps the API's centimes.
        for amount in ("items", "delivery_fee", "total"):
            row[amount] = _money(row[amount])
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()
