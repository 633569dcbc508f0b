"""``content/site.yaml`` → a typed, validated SiteConfig."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from .models.common import LANGUAGES, LocalizedText, Strict, content_error

Language = Literal["ar", "fr", "zgh", "en"]


class SiteConfig(Strict):
    title: LocalizedText
    tagline: LocalizedText
    base_url: str = Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    languages: list[Language] = Field(min_length=1)
    # Languages whose pages exist only where the content is translated (e.g. zgh): the site chrome
    # and the listings stay in the other languages.
    partial_languages: list[Language] = []
    checkout_url: str | None = None
    # Card payment (Stripe Checkout through the checkout service) is offered only where this is
    # true; cash on delivery always is.
    card_payments: bool = False
    contact_email: str | None = None
    items_per_page: int = Field(default=24, ge=1, le=500)

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _languages_consistent(self) -> SiteConfig:
        for lang in ("ar", "fr"):
            if lang not in self.languages:
                raise content_error(
                    "languages",
                    "`languages` must include `{lang}`",
                    "Arabic and French are required on every site",
                    lang=lang,
                )
        for lang in self.partial_languages:
            if lang not in self.languages:
                raise content_error(
                    "languages",
                    "`partial_languages` lists `{lang}`, which is not in `languages`",
                    lang=lang,
                )
        return self

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def full_languages(self) -> list[str]:
        return [lang for lang in self.languages if lang not in self.partial_languages]


__all__ = ["LANGUAGES", "SiteConfig"]
