"""The service's settings, read from environment variables (documented in docs/checkout.md).

Secrets are wrapped in :class:`Secret`, whose ``repr`` and ``str`` never show the value, so a
settings object can be logged or printed safely.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DATABASE = "sqlite:///var/checkout.sqlite3"


class Secret:
    """A value that must not be printed: ``repr`` shows asterisks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


class SettingsError(ValueError):
    """A setting has a value the service cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    # Where the built site is: a folder holding catalogue.json, or the catalogue's http(s) URL.
    site: str = "public"
    database_url: str = DEFAULT_DATABASE
    # The site's public address (success and cancel pages after a card payment); defaults to
    # the catalogue's `base_url`.
    site_url: str | None = None
    # Origins allowed to call the API from a browser; defaults to the site's origin and the
    # local `taawun serve` addresses.
    allowed_origins: tuple[str, ...] = ()
    stripe_secret_key: Secret | None = None
    stripe_webhook_secret: Secret | None = None
    stripe_api_base: str | None = None  # tests and local doubles only
    # A card order holds its stock this long; Stripe's Checkout Session expires with it
    # (Stripe accepts 30 minutes to 24 hours).
    reservation_minutes: int = 30
    # A reservation is released this long after the session expired, if no webhook came.
    release_grace_minutes: int = 5
    sweep_seconds: float = 60.0
    # Order creation per client address: `rate` requests a minute, bursts up to `burst`.
    order_rate_per_minute: float = 20.0
    order_burst: int = 10
    trust_forwarded_for: bool = False  # only behind a proxy that sets X-Forwarded-For
    max_body_bytes: int = 16_384
    max_lines: int = 50
    catalogue_check_seconds: float = 30.0
    # The "sell with us" form (POST /api/submissions): photos and the moderation queue's rows
    # point into this folder ({var_dir}/submissions/<reference>/).
    var_dir: Path = Path("var")
    # Submissions per client address: bursts of `burst`, then `rate` an hour (5 per 10 minutes).
    submission_rate_per_hour: float = 30.0
    submission_burst: int = 5
    max_submission_bytes: int = 30 * 1024 * 1024  # the whole multipart request
    max_photo_bytes: int = 8 * 1024 * 1024
    max_photo_pixels: int = 40_000_000

    @property
    def card_payments(self) -> bool:
        return bool(self.stripe_secret_key)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        text = {
            "TAAWUN_SITE": "site",
            "TAAWUN_DATABASE_URL": "database_url",
            "TAAWUN_SITE_URL": "site_url",
            "STRIPE_API_BASE": "stripe_api_base",
        }
        for name, attr in text.items():
            if env.get(name):
                values[attr] = env[name]
        if env.get("TAAWUN_VAR_DIR"):
            values["var_dir"] = Path(env["TAAWUN_VAR_DIR"])
        for name, attr in {
            "STRIPE_SECRET_KEY": "stripe_secret_key",
            "STRIPE_WEBHOOK_SECRET": "stripe_webhook_secret",
        }.items():
            if env.get(name):
                values[attr] = Secret(env[name])
        if env.get("TAAWUN_ALLOWED_ORIGINS"):
            origins = (o.strip().rstrip("/") for o in env["TAAWUN_ALLOWED_ORIGINS"].split(","))
            values["allowed_origins"] = tuple(o for o in origins if o)
        numbers: dict[str, tuple[str, type]] = {
            "TAAWUN_RESERVATION_MINUTES": ("reservation_minutes", int),
            "TAAWUN_RELEASE_GRACE_MINUTES": ("release_grace_minutes", int),
            "TAAWUN_SWEEP_SECONDS": ("sweep_seconds", float),
            "TAAWUN_ORDER_RATE_PER_MINUTE": ("order_rate_per_minute", float),
            "TAAWUN_ORDER_BURST": ("order_burst", int),
            "TAAWUN_MAX_BODY_BYTES": ("max_body_bytes", int),
            "TAAWUN_MAX_LINES": ("max_lines", int),
            "TAAWUN_CATALOGUE_CHECK_SECONDS": ("catalogue_check_seconds", float),
            "TAAWUN_SUBMISSION_RATE_PER_HOUR": ("submission_rate_per_hour", float),
            "TAAWUN_SUBMISSION_BURST": ("submission_burst", int),
            "TAAWUN_MAX_SUBMISSION_BYTES": ("max_submission_bytes", int),
            "TAAWUN_MAX_PHOTO_BYTES": ("max_photo_bytes", int),
            "TAAWUN_MAX_PHOTO_PIXELS": ("max_photo_pixels", int),
        }
        for name, (attr, kind) in numbers.items():
            if env.get(name):
                try:
                    values[attr] = kind(env[name])
                except ValueError:
                    raise SettingsError(f"{name} must be a number, not {env[name]!r}") from None
        if env.get("TAAWUN_TRUST_FORWARDED_FOR"):
            values["trust_forwarded_for"] = env["TAAWUN_TRUST_FORWARDED_FOR"].lower() in {
                "1",
                "true",
                "yes",
            }
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        if not 30 <= self.reservation_minutes <= 24 * 60:
            raise SettingsError(
                "TAAWUN_RESERVATION_MINUTES must be between 30 and 1440: "
                "Stripe keeps a Checkout Session open for 30 minutes to 24 hours"
            )
        if self.stripe_secret_key and not self.stripe_webhook_secret:
            raise SettingsError(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: card orders would "
                "never be confirmed. Set the webhook's signing secret (whsec_…)"
            )


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL (``sqlite:///var/x.sqlite3``), to create its folder."""
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url != prefix + ":memory:":
        return Path(database_url[len(prefix) :])
    return None
