"""The service's tables (SQLAlchemy Core). Alembic's migrations in ``checkout/migrations`` create
them; a change here needs a new migration (``tests/test_checkout_db.py`` compares the two).

Amounts are integer centimes. Times are UTC.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# A random key made once per database; order status tokens are keyed with it (see tokens.py).
service_keys = Table(
    "service_keys",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", String(128), nullable=False),
)

# Counted stock. `declared` is the number in the catalogue when it was last seeded; a new
# number there means the cooperative counted again, and becomes the available stock.
stock = Table(
    "stock",
    metadata,
    Column("sku", String(120), primary_key=True),
    Column("declared", Integer, nullable=False),
    Column("available", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("available >= 0", name="available_not_negative"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("payment", String(10), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("buyer_name", String(100), nullable=False),
    Column("buyer_phone", String(20), nullable=False),
    Column("buyer_email", String(254)),
    Column("buyer_region", String(60), nullable=False),
    Column("buyer_city", String(80), nullable=False),
    Column("buyer_address", String(300), nullable=False),
    Column("consent_at", DateTime(timezone=True), nullable=False),
    Column("items_total", BigInteger, nullable=False),
    Column("delivery_total", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("catalogue", String(16), nullable=False),
    # The client's Idempotency-Key and a digest of its request: a retried POST gets the
    # same order back instead of a second one.
    Column("client_key", String(100), unique=True),
    Column("request_digest", String(64)),
    # Card payment: the Checkout Session, its URL, and until when the stock is held.
    Column("stripe_session", String(255), unique=True),
    Column("stripe_payment_intent", String(255)),
    Column("payment_url", Text),
    Column("reserved_until", DateTime(timezone=True)),
    # True while the order holds stock: cleared when a card order expires, fails or is cancelled.
    Column("holds_stock", Boolean, nullable=False),
    Index("ix_orders_status_reserved", "status", "reserved_until"),
)

suborders = Table(
    "suborders",
    metadata,
    Column("order_id", String(20), ForeignKey("orders.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("cooperative", String(120), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("items_total", BigInteger, nullable=False),
    Column("delivery_fee", BigInteger, nullable=False),
    Column("total", BigInteger, nullable=False),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", String(20), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("suborder", Integer, nullable=False),
    Column("sku", String(120), nullable=False),
    Column("product", String(120), nullable=False),
    Column("name", String(300), nullable=False),
    Column("qty", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("line_total", BigInteger, nullable=False),
    Column("counted", Boolean, nullable=False),  # its SKU's stock is counted
    ForeignKeyConstraint(
        ["order_id", "suborder"], ["suborders.order_id", "suborders.number"], name="suborder"
    ),
)

# Every status change of an order or of one of its sub-orders, oldest first.
order_history = Table(
    "order_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(20), ForeignKey("orders.id"), nullable=False, index=True),
    Column("suborder", Integer),  # None: the whole order
    Column("at", DateTime(timezone=True), nullable=False),
    Column("from_status", String(20)),
    Column("to_status", String(20), nullable=False),
    Column("source", String(20), nullable=False),  # buyer, stripe, timer, operator
    Column("note", Text),
)

# Listings proposed through the "sell with us" form, waiting for the office's decision
# (checkout/moderation.py). `data` is the validated submission as the content files write it;
# `contact` is the person to call back, kept apart because it is never published; `client` is a
# keyed hash of the sender's address (to see a flood from one place), never the address.
submissions = Table(
    "submissions",
    metadata,
    Column("reference", String(20), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(10), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("cooperative_id", String(120)),
    Column("title", String(300), nullable=False),
    Column("data", Text, nullable=False),
    Column("contact", Text, nullable=False),
    Column("photo_count", Integer, nullable=False),
    Column("client", String(64), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
    Column("reason", Text),
    Column("content_paths", Text),
    CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status_known"),
    Index("ix_submissions_status_created", "status", "created_at"),
)

# Stripe events already processed: the primary key makes each one count once.
stripe_events = Table(
    "stripe_events",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("type", String(80), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("order_id", String(20)),
    Column("outcome", String(40), nullable=False),
)
