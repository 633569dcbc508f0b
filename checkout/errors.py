"""The one error shape every endpoint answers with:
``{"error": {"code": "…", "message": "…", "field": "lines[0].qty" | null}}``."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A request the service refuses; nothing was stored."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}
