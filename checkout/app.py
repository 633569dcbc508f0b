"""The HTTP face of the service (Starlette): the order API of DESIGN.md §6.

``create_app(settings, …)`` takes its collaborators (database engine, Stripe client, clock,
catalogue) ready-made, so tests hand in a SQLite file or a PostgreSQL schema, a Stripe client
pointed at a local double and a clock they move.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import anyio
import anyio.to_thread
import stripe
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .catalogue import CatalogueSource
from .database import DATABASE_THREADS, make_engine, migrate
from .errors import ApiError
from .intake import SubmissionEndpoint
from .messages import from_accept_language
from .moderation import ModerationQueue
from .payments import from_settings
from .ratelimit import RateLimiter
from .service import CheckoutService
from .settings import Settings
from .store import Clock, utc_now

log = logging.getLogger("taawun.checkout")
T = TypeVar("T")
DEV_ORIGINS = ("http://127.0.0.1:8000", "http://localhost:8000")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _error(error: ApiError, request: Request) -> JSONResponse:
    # The order's own language once its body is read, else what the browser asks for.
    lang = getattr(request.state, "lang", None) or from_accept_language(
        request.headers.get("accept-language")
    )
    return JSONResponse(error.body(lang), status_code=error.status, headers=error.headers)


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"Cache-Control": "no-store"})


async def _read_body(request: Request, limit: int) -> bytes:
    """The raw body, refusing more than ``limit`` bytes before reading them all."""
    too_big = ApiError(413, "too_large", limit=limit)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_big
    return bytes(body)


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    stripe_client: stripe.StripeClient | None = None,
    clock: Clock = utc_now,
    catalogue: CatalogueSource | None = None,
    run_migrations: bool = True,
    background: bool = True,
) -> Starlette:
    engine = engine or make_engine(settings.database_url)
    if run_migrations:
        migrate(engine)
    catalogue = catalogue or CatalogueSource(settings.site)
    payments = from_settings(settings, stripe_client)
    service = CheckoutService(settings, engine, catalogue, payments, clock)
    limiter = RateLimiter(settings.order_rate_per_minute, settings.order_burst)
    site_origin = _origin(settings.site_url or catalogue.current.base_url)
    allowed = set(settings.allowed_origins or (site_origin, *DEV_ORIGINS))

    turns: list[anyio.CapacityLimiter] = []

    async def in_turn(function: Callable[..., T], *args: Any) -> T:
        """Run ``function`` in a thread, at most DATABASE_THREADS at a time in this worker.

        More at once would not go faster on a few cores: the extra threads would fight for the
        interpreter lock while holding row locks that other buyers wait for.
        """
        if not turns:  # made on first use, inside the event loop
            turns.append(anyio.CapacityLimiter(DATABASE_THREADS))
        return await anyio.to_thread.run_sync(functools.partial(function, *args), limiter=turns[0])

    def client_address(request: Request) -> str:
        # Every X-Forwarded-For line, in order: a proxy may add its own line after the client's.
        forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
        if settings.trust_forwarded_for and forwarded:
            # The last address is the one our proxy saw; those before it the client can forge.
            return forwarded.split(",")[-1].strip()
        return request.client.host if request.client else "unknown"

    queue = ModerationQueue(engine, settings.var_dir)
    take_submission = SubmissionEndpoint(
        settings, catalogue, queue, in_turn, client_address, allowed, clock
    )

    def guarded(
        handler: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        """Every refusal as the one JSON error shape; a database that went away as a 503."""

        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as error:
                return _error(error, request)
            except ClientDisconnect:
                return Response(status_code=400)
            except (OperationalError, DBAPIError) as error:
                log.warning("database unavailable: %s", error.__class__.__name__)
                unavailable = ApiError(503, "unavailable", headers={"Retry-After": "30"})
                return _error(unavailable, request)

        return endpoint

    async def create_order(request: Request) -> Response:
        origin = request.headers.get("origin")
        if origin is not None and origin not in allowed:
            raise ApiError(403, "origin_not_allowed")
        wait = limiter.allow(client_address(request))
        if wait:
            retry = str(max(1, round(wait)))
            raise ApiError(429, "too_many_requests", headers={"Retry-After": retry})
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise ApiError(415, "unsupported_media_type")
        body = await _read_body(request, settings.max_body_bytes)
        try:
            data = json.loads(body)
        except ValueError:
            raise ApiError(400, "malformed_json") from None
        if isinstance(data, dict) and isinstance(data.get("lang"), str):
            request.state.lang = data["lang"][:8]
        # Card payments come back to the page the buyer ordered from (the site, or a preview).
        return_to = origin if origin in allowed else None
        taken = await in_turn(
            service.take_order, data, request.headers.get("idempotency-key"), return_to
        )
        # Stripe may take seconds: its call waits outside the database's turns.
        order = (
            await run_in_threadpool(service.open_payment, taken)
            if taken.needs_payment
            else taken.view
        )
        return _json(order, 201)

    async def order_status(request: Request) -> Response:
        order = await in_turn(
            service.order_status,
            request.path_params["order_id"],
            request.query_params.get("token", ""),
        )
        return _json(order)

    async def stripe_webhook(request: Request) -> Response:
        body = await _read_body(request, 512 * 1024)
        result = await in_turn(service.stripe_event, body, request.headers.get("stripe-signature"))
        return _json(result)

    async def stock(request: Request) -> Response:
        skus = request.query_params.getlist("sku")
        if not skus or len(skus) > 100:
            raise ApiError(400, "invalid", "sku", key="bad_sku_query")
        available = await in_turn(service.stock, skus)
        return JSONResponse(available, headers={"Cache-Control": "public, max-age=30"})

    async def health(request: Request) -> Response:
        def probe() -> str:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return "ok"

        try:
            database = await run_in_threadpool(probe)
        except (OperationalError, DBAPIError):
            database = "unavailable"
        body = {
            "status": "ok" if database == "ok" else "degraded",
            "catalogue": catalogue.current.hash,
            "database": database,
            "card_payments": payments is not None,
        }
        return _json(body, 200 if database == "ok" else 503)

    async def upkeep(every: float, job: Callable[[], Any]) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await run_in_threadpool(job)
            except Exception:  # keep the loop alive; the next round tries again
                log.exception("background job failed")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        tasks = []
        if background:
            tasks = [
                asyncio.create_task(upkeep(settings.sweep_seconds, service.release_lapsed)),
                asyncio.create_task(
                    upkeep(settings.catalogue_check_seconds, service.refresh_catalogue)
                ),
            ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()

    routes = [
        Route("/api/orders", guarded(create_order), methods=["POST"]),
        Route("/api/orders/{order_id}", guarded(order_status), methods=["GET"]),
        Route("/api/stripe/webhook", guarded(stripe_webhook), methods=["POST"]),
        Route("/api/stock", guarded(stock), methods=["GET"]),
        Route("/api/submissions", guarded(take_submission), methods=["POST"]),
        Route("/api/health", health, methods=["GET"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=sorted(allowed),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Idempotency-Key"],
            max_age=3600,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.service = service
    app.state.engine = engine
    app.state.queue = queue
    return app


def app_from_env() -> Starlette:
    """uvicorn's factory for ``taawun checkout serve``: settings from the environment; the
    command has applied the migrations already."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    return create_app(Settings.from_env(), run_migrations=False)
