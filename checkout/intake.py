"""``POST /api/submissions``: the "sell with us" form's multipart request, taken in with limits
at every step, and stored in the moderation queue (checkout/moderation.py).

In order: the origin, two rate limits, the declared size, the multipart parsing (the bytes
counted as they arrive, text parts held to 64 KB, files spooled to disk past 1 MB by Starlette),
the honeypot, the ``submission`` JSON (checkout/submissions.py), the photo files (count, size,
then Pillow off the event loop: checkout/photos.py), and only then the queue.

Answers are JSON with ``<``, ``>`` and ``&`` escaped (``\\u003c``…): whatever a sender typed,
an error that names it can never be read as HTML, even by a careless page.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
import anyio.to_thread
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message

from generator.models.submission import MAX_PHOTOS

from .catalogue import CatalogueSource
from .errors import ApiError
from .messages import from_accept_language
from .moderation import ModerationQueue, new_reference
from .photos import PhotoRefused, reencode
from .ratelimit import RateLimiter
from .settings import Settings
from .store import Clock
from .submissions import (
    MAX_JSON_BYTES,
    check_references,
    contact_data,
    content_data,
    load_json,
    parse_submission,
    photo_count_problem,
)

log = logging.getLogger("taawun.checkout")
InTurn = Callable[..., Awaitable[Any]]
HONEYPOT = "website"
# Photos decoded at once per worker: a 40-megapixel PNG takes about 160 MB while it is decoded.
PHOTO_THREADS = 2
# Parts beyond these are refused by the parser itself, before they are read.
MAX_FILES = MAX_PHOTOS * 2
MAX_FIELDS = 8
# Statuses the sender can fix by correcting the form: those requests give back their
# submission budget (they still count against the plain request rate).
_FIXABLE = {400, 413, 415, 422}


class SafeJSONResponse(JSONResponse):
    """JSON whose text holds no ``<``, ``>`` or ``&``: the same data, never markup (and the
    browser told not to guess another type)."""

    def __init__(self, content: Any, status_code: int, headers: dict[str, str]) -> None:
        super().__init__(
            content,
            status_code=status_code,
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", **headers},
        )

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return (
            text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        ).encode("utf-8")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g}"


class SubmissionEndpoint:
    """The handler of ``POST /api/submissions``, with what it needs from the app."""

    def __init__(
        self,
        settings: Settings,
        catalogue: CatalogueSource,
        queue: ModerationQueue,
        in_turn: InTurn,
        client_address: Callable[[Request], str],
        allowed_origins: set[str],
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.catalogue = catalogue
        self.queue = queue
        self.in_turn = in_turn
        self.client_address = client_address
        self.allowed = allowed_origins
        self.clock = clock
        # Every request counts here (it bounds the work spent on refused ones)…
        self.attempts = RateLimiter(settings.order_rate_per_minute, settings.order_burst)
        # …and only stored submissions here: a few an hour from one address.
        self.budget = RateLimiter(settings.submission_rate_per_hour / 60, settings.submission_burst)
        self._photo_turns: list[anyio.CapacityLimiter] = []

    async def __call__(self, request: Request) -> Response:
        try:
            reference = await self._take(request)
        except ApiError as error:
            lang = getattr(request.state, "lang", None) or from_accept_language(
                request.headers.get("accept-language")
            )
            return SafeJSONResponse(error.body(lang), error.status, error.headers)
        return SafeJSONResponse({"reference": reference, "status": "pending"}, 201, {})

    async def _take(self, request: Request) -> str:
        origin = request.headers.get("origin")
        if origin is not None and origin not in self.allowed:
            raise ApiError(403, "origin_not_allowed", key="submission.origin_not_allowed")
        client = self.client_address(request)
        # The budget first: once it is spent, every request is turned away at once, with the
        # time until the next submission can be stored.
        wait = self.budget.allow(client)
        if not wait:
            wait = self.attempts.allow(client)
            if wait:
                self.budget.refund(client)
        if wait:
            raise ApiError(
                429,
                "too_many_requests",
                key="submission.too_many_requests",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
                minutes=max(1, math.ceil(wait / 60)),
            )
        try:
            return await self._checked(request, client)
        except ApiError as error:
            if error.status in _FIXABLE:
                self.budget.refund(client)
            raise

    async def _checked(self, request: Request, client: str) -> str:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "multipart/form-data":
            raise ApiError(415, "unsupported_media_type", key="submission.unsupported_media_type")
        limit = self.settings.max_submission_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise self._too_large()  # refused before a byte of the body is read
        async with _form(request, limit, self._too_large()) as form:
            return await self._from_form(request, form, client)

    def _too_large(self) -> ApiError:
        return ApiError(
            413,
            "too_large",
            key="submission.too_large",
            megabytes=_megabytes(self.settings.max_submission_bytes),
        )

    async def _from_form(self, request: Request, form: FormData, client: str) -> str:
        trap = form.get(HONEYPOT)
        if isinstance(trap, str) and trap.strip():
            # A person never sees this field: a program filled it. It gets the answer of a
            # success and learns nothing; nothing is stored.
            log.info("submission honeypot filled; nothing stored")
            return new_reference()
        data = load_json(await _text_part(form, "submission"))
        if isinstance(data.get("lang"), str):  # the language of any refusal from here on
            request.state.lang = data["lang"][:8]
        submission = parse_submission(data)
        files = [part for part in form.getlist("photo") if isinstance(part, UploadFile)]
        problem = photo_count_problem(len(submission.photos), len(files))
        if problem is not None:
            raise problem
        check_references(submission, self.catalogue.current)
        for number, upload in enumerate(files):
            if upload.size is None or upload.size > self.settings.max_photo_bytes:
                raise ApiError(
                    413,
                    "photo_too_large",
                    f"photos.{number}",
                    key="submission.photo_too_large",
                    megabytes=_megabytes(self.settings.max_photo_bytes),
                )
        # The client's file name is never read: the stored files are named by their position.
        photos = [await self._photo(number, upload) for number, upload in enumerate(files)]
        reference: str = await self.in_turn(
            self.queue.add,
            content_data(submission),
            contact_data(submission),
            photos,
            client,
            self.clock(),
        )
        log.info("submission %s stored (%d photos)", reference, len(photos))
        return reference

    async def _photo(self, number: int, upload: UploadFile) -> bytes:
        raw = await upload.read()
        if not self._photo_turns:  # made on first use, inside the event loop
            self._photo_turns.append(anyio.CapacityLimiter(PHOTO_THREADS))
        try:
            return await anyio.to_thread.run_sync(
                reencode, raw, self.settings.max_photo_pixels, limiter=self._photo_turns[0]
            )
        except PhotoRefused as refused:
            if refused.reason == "pixels":
                raise ApiError(
                    413,
                    "photo_too_many_pixels",
                    f"photos.{number}",
                    key="submission.photo_too_many_pixels",
                    megapixels=self.settings.max_photo_pixels // 1_000_000,
                ) from None
            raise ApiError(
                415, "unsupported_photo", f"photos.{number}", key="submission.photo_type"
            ) from None


async def _text_part(form: FormData, name: str) -> str:
    part = form.get(name)
    if isinstance(part, UploadFile):  # sent as a Blob: the same text, as a file part
        if part.size is None or part.size > MAX_JSON_BYTES:
            raise ApiError(
                413,
                "too_large",
                name,
                key="submission.text_too_large",
                kilobytes=MAX_JSON_BYTES // 1024,
            )
        try:
            return (await part.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "malformed_json", name, key="submission.malformed_json") from None
    if part is None:
        raise ApiError(400, "missing_part", name, key="submission.missing_part")
    return part


@contextlib.asynccontextmanager
async def _form(request: Request, limit: int, too_large: ApiError) -> AsyncIterator[FormData]:
    """The request's form, parsed by Starlette with our limits; 413 as soon as more than
    ``limit`` bytes of body have arrived (a chunked body declares no length). The spooled
    files are closed (and their temporary files removed) on the way out."""
    received = 0
    upstream = request.receive

    async def receive() -> Message:
        nonlocal received
        message = await upstream()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise too_large
        return message

    counted = Request(request.scope, receive)
    try:
        form = await counted.form(
            max_files=MAX_FILES, max_fields=MAX_FIELDS, max_part_size=MAX_JSON_BYTES
        )
    except HTTPException as error:  # Starlette's MultiPartException, as a 400
        raise _parser_refusal(str(error.detail)) from None
    try:
        yield form
    finally:
        await form.close()


def _parser_refusal(detail: str) -> ApiError:
    # Starlette says which limit was hit only in words; an unknown wording is a plain 400.
    if detail.startswith("Too many files"):
        return ApiError(
            422, "too_many_photos", "photos", key="submission.too_many_photos", max=MAX_PHOTOS
        )
    if detail.startswith(("Part exceeded", "Field exceeded")):
        return ApiError(
            413,
            "too_large",
            "submission",
            key="submission.text_too_large",
            kilobytes=MAX_JSON_BYTES // 1024,
        )
    return ApiError(400, "bad_form", key="submission.bad_form")
