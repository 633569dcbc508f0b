"""Alembic's entry point: run the migrations on the connection the service hands over.

The service calls Alembic through :func:`checkout.database.migrate`, which puts an open
connection in ``config.attributes["connection"]``; there is no alembic.ini to keep in sync.
"""

from __future__ import annotations

from alembic import context

from checkout.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
