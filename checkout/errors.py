"""The one error shape every endpoint answers with:
``{"error": {"code": "…", "message": "…", "field": "lines[0].qty" | null}}``.

``code`` and ``field`` are for programs; ``message`` is for the buyer, written when the answer
is sent, in the order's language (checkout/messages.py).
"""

from __future__ import annotations

from typing import Any

from .messages import say


class ApiError(Exception):
    """A request the service refuses; nothing was stored."""

    def __init__(
        self,
        status: int,
        code: str,
        field: str | None = None,
        *,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        **values: Any,  # a value may depend on the language: a function of it (a name, an amount)
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.field = field
        self.key = key or code
        self.headers = headers or {}
        self.values = values

    def message(self, lang: str = "en") -> str:
        values = {k: v(lang) if callable(v) else v for k, v in self.values.items()}
        return say(self.key, lang, self.field, **values)

    def body(self, lang: str = "en") -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message(lang), "field": self.field}}
