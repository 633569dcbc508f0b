"""The moderation queue of the "sell with us" form: one row per submission in ``submissions``
and its photos under ``{var_dir}/submissions/{reference}/photo-{n}.jpg``.

The row and the folder stay consistent: the photos are written to a hidden temporary folder
first, renamed to the reference's folder inside the transaction that inserts the row, and
removed again if that transaction fails, so a failure never leaves half a submission. A
rejected submission loses its photos (nothing is kept that will not be published); its row
keeps the reason.

``add`` stores what it is given: ``data`` already validated (checkout/submissions.py), photos
already re-encoded (checkout/photos.py). ``taawun submissions …`` reads and decides through
the other methods.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.engine import Row

from .database import reading, token_key, writing
from .schema import submissions
from .store import as_utc

STATUSES = ("pending", "accepted", "rejected")
# Crockford's base32: no I, L, O or U, so a reference read aloud on the phone is not misheard.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE = re.compile(r"^TW-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
_INCOMING = ".incoming-"
_STALE_SECONDS = 3600  # a temporary folder this old was left by a process that died


def new_reference() -> str:
    """``TW-XXXX-XXXX``: 40 random bits, easy to read aloud."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"TW-{chars[:4]}-{chars[4:]}"


def photo_name(number: int) -> str:
    """The name of the ``number``-th photo (from 1): ours, never the sender's file name."""
    return f"photo-{number}.jpg"


class ModerationError(Exception):
    """A decision that cannot be taken: no such submission, or it was decided already."""


@dataclass(frozen=True)
class QueuedSubmission:
    reference: str
    status: str
    created_at: datetime
    lang: str
    cooperative_id: str | None
    title: str
    data: dict[str, Any]
    contact: dict[str, Any]
    photos: list[Path]  # the files that exist now: none once rejected
    decided_at: datetime | None
    reason: str | None
    content_paths: list[str]


class ModerationQueue:
    def __init__(self, engine: Engine, var_dir: Path) -> None:
        self.engine = engine
        self.root = Path(var_dir) / "submissions"
        self._client_key: bytes | None = None

    def folder(self, reference: str) -> Path:
        if not REFERENCE.match(reference):  # the reference becomes a path: nothing else may
            raise ModerationError(f"{reference!r} is not a submission reference (TW-XXXX-XXXX)")
        return self.root / reference

    def client_hash(self, address: str) -> str:
        """A keyed hash of the sender's address: the same sender gives the same value (a flood
        shows), the address cannot be recovered without the database's key."""
        if self._client_key is None:
            self._client_key = token_key(self.engine)
        message = b"submission-client:" + address.encode()
        return hmac.new(self._client_key, message, hashlib.sha256).hexdigest()[:32]

    def add(
        self,
        data: dict[str, Any],
        contact: dict[str, Any],
        photos: builtins.list[bytes],
        client: str,
        now: datetime,
    ) -> str:
        """Store one submission (status ``pending``) and its photos; returns its reference.

        ``data`` is the submission without its contact, as the content files write it;
        ``photos`` are JPEG files in the order of ``data["photos"]``; ``client`` is the sender's
        address (only its keyed hash is stored).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        self._sweep_incoming()
        client_hash = self.client_hash(client)
        incoming = Path(tempfile.mkdtemp(prefix=_INCOMING, dir=self.root))
        final: Path | None = None
        try:
            for number, photo in enumerate(photos, start=1):
                _write_durably(incoming / photo_name(number), photo)
            with writing(self.engine) as connection:
                reference = self._free_reference(connection)
                connection.execute(
                    insert(submissions).values(
                        reference=reference,
                        created_at=now,
                        status="pending",
                        lang=str(data.get("lang") or "fr"),
                        cooperative_id=data.get("cooperative_id"),
                        title=_title(data),
                        data=json.dumps(data, ensure_ascii=False),
                        contact=json.dumps(contact, ensure_ascii=False),
                        photo_count=len(photos),
                        client=client_hash,
                    )
                )
                # Renamed before the commit: if the rename fails, the row is rolled back; if
                # the commit fails, the folder is removed below.
                final = self.root / reference
                incoming.rename(final)
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            if final is not None:
                shutil.rmtree(final, ignore_errors=True)
            raise
        return reference

    def _free_reference(self, connection: Connection) -> str:
        # 40 bits make a clash unlikely; a clash with a folder left by a crash is checked too.
        while True:
            reference = new_reference()
            taken = connection.execute(
                select(submissions.c.reference).where(submissions.c.reference == reference)
            ).first()
            if taken is None and not (self.root / reference).exists():
                return reference

    def _sweep_incoming(self) -> None:
        """Remove temporary folders a crashed process left behind (older than an hour)."""
        cutoff = time.time() - _STALE_SECONDS
        for leftover in self.root.glob(_INCOMING + "*"):
            try:
                if leftover.stat().st_mtime < cutoff:
                    shutil.rmtree(leftover, ignore_errors=True)
            except FileNotFoundError:
                continue

    def list(self, status: str | None = None) -> builtins.list[QueuedSubmission]:
        """The submissions, newest first; only those with ``status`` if given."""
        if status is not None and status not in STATUSES:
            raise ModerationError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        query = select(submissions).order_by(
            submissions.c.created_at.desc(), submissions.c.reference
        )
        if status is not None:
            query = query.where(submissions.c.status == status)
        with reading(self.engine) as connection:
            rows = connection.execute(query).all()
        return [self._queued(row) for row in rows]

    def get(self, reference: str) -> QueuedSubmission | None:
        if not REFERENCE.match(reference):
            return None
        with reading(self.engine) as connection:
            row = connection.execute(
                select(submissions).where(submissions.c.reference == reference)
            ).first()
        return None if row is None else self._queued(row)

    def accept(self, reference: str, content_paths: builtins.list[str], now: datetime) -> None:
        """``pending`` → ``accepted``, recording the content files the acceptance wrote."""
        self._decide(
            reference,
            now,
            status="accepted",
            content_paths=json.dumps(content_paths, ensure_ascii=False),
        )

    def reject(self, reference: str, reason: str, now: datetime) -> None:
        """``pending`` → ``rejected`` with its reason; the photos are deleted."""
        if not reason.strip():
            raise ModerationError("give the reason for the rejection (--reason …)")
        self._decide(reference, now, status="rejected", reason=reason.strip())
        folder = self.folder(reference)
        if folder.exists():
            shutil.rmtree(folder)

    def _decide(self, reference: str, now: datetime, **values: Any) -> None:
        self.folder(reference)  # refuses a malformed reference
        with writing(self.engine) as connection:
            changed = connection.execute(
                update(submissions)
                .where(submissions.c.reference == reference, submissions.c.status == "pending")
                .values(decided_at=now, **values)
            ).rowcount
            if changed == 1:
                return
            status = connection.execute(
                select(submissions.c.status).where(submissions.c.reference == reference)
            ).scalar_one_or_none()
        if status is None:
            raise ModerationError(f"no submission {reference}")
        raise ModerationError(f"{reference} is already {status}; only a pending one can change")

    def _queued(self, row: Row[Any]) -> QueuedSubmission:
        folder = self.root / row.reference
        photos = [folder / photo_name(n) for n in range(1, row.photo_count + 1)]
        created_at = as_utc(row.created_at)
        assert created_at is not None  # the column is NOT NULL
        return QueuedSubmission(
            reference=row.reference,
            status=row.status,
            created_at=created_at,
            lang=row.lang,
            cooperative_id=row.cooperative_id,
            title=row.title,
            data=json.loads(row.data),
            contact=json.loads(row.contact),
            photos=[photo for photo in photos if photo.is_file()],
            decided_at=as_utc(row.decided_at),
            reason=row.reason,
            content_paths=json.loads(row.content_paths) if row.content_paths else [],
        )


def _title(data: dict[str, Any]) -> str:
    """The product's French name, for listings (Arabic if a caller left French out)."""
    name = (data.get("product") or {}).get("name") or {}
    return str(name.get("fr") or name.get("ar") or "")[:300]


def _write_durably(path: Path, content: bytes) -> None:
    # On disk before the folder is renamed and the row committed: a crash then cannot leave a
    # committed submission with empty photo files.
    with path.open("xb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())
