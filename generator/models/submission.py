"""What the "sell with us" form sends: a product, a new or existing cooperative, photos, a contact.

Every field that also exists in content files is *taken from* the content model (the same type,
constraints and validators), never re-declared: the form, the checkout service and `taawun check`
apply one set of rules. Only what a content file does not have is declared here: the long texts
that become the Markdown bodies, the photos' descriptions, the person to call back and consent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model, model_validator

from .common import NonEmptyStr, Slug, Strict, content_error
from .cooperative import Cooperative, Phone
from .product import Product

TEXT_LIMIT = 5000  # characters in one long text (a description of a product or cooperative)
SHORT_LIMIT = 200  # characters in one short text (a name, a photo description)
MAX_PHOTOS = 6

LongText = Annotated[str, Field(min_length=1, max_length=TEXT_LIMIT)]
ShortText = Annotated[str, Field(min_length=1, max_length=SHORT_LIMIT)]


class LongLocalizedText(Strict):
    """A long text (it becomes the page's Markdown body), required in Arabic and French."""

    ar: LongText
    fr: LongText


class ShortLocalizedText(Strict):
    ar: ShortText
    fr: ShortText


def _subset(model: type[BaseModel], name: str, fields: tuple[str, ...], **extra: Any) -> Any:
    """A form model made of some of ``model``'s fields, exactly as the content model declares them."""
    taken: dict[str, Any] = {
        field: (model.model_fields[field].annotation, model.model_fields[field]) for field in fields
    }
    return create_model(name, __base__=Strict, __module__=__name__, **taken, **extra)


# The cooperative's fields a first-time seller fills in; the rest (labels, rating answers,
# verification) is added by the office after moderation.
COOPERATIVE_FIELDS: tuple[str, ...] = (
    "name",
    "summary",
    "kind",
    "registration",  # written `register` (its alias)
    "sector",
    "region",
    "province",
    "commune",
    "founded",
    "members",
    "contact",
    "delivery",
)

PRODUCT_FIELDS: tuple[str, ...] = (
    "name",
    "summary",
    "category",
    "price",
    "net_quantity",
    "availability",
    "stock",
    "season",
    "lead_time_days",
    "weight_g",
    "shelf_life_days",
    "onssa_number",
    "tags",
)

if TYPE_CHECKING:  # built at run time from the content models; to the type checker, models
    CooperativeDraft = Strict
    ProductDraft = Strict
else:
    CooperativeDraft = _subset(
        Cooperative, "CooperativeDraft", COOPERATIVE_FIELDS, description=(LongLocalizedText, ...)
    )
    ProductDraft = _subset(
        Product, "ProductDraft", PRODUCT_FIELDS, description=(LongLocalizedText, ...)
    )


class PhotoDraft(Strict):
    """One photo's text; its file travels in a multipart part ``photo``, one per entry of
    ``photos`` and in the same order (docs/checkout.md, "Submissions")."""

    alt: ShortLocalizedText


class Submitter(Strict):
    """The person the office calls back. Never published."""

    name: ShortText
    phone: Phone
    email: str | None = Field(
        default=None, max_length=SHORT_LIMIT, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    )
    role: ShortText | None = None  # "présidente", "secrétaire"…


class Submission(Strict):
    """One listing proposed through the form, before moderation."""

    lang: Literal["ar", "fr", "zgh", "en"] = "fr"
    cooperative_id: Slug | None = None  # an existing cooperative of the site…
    cooperative: CooperativeDraft | None = None  # …or a new one, in full
    product: ProductDraft
    photos: list[PhotoDraft] = Field(min_length=1, max_length=MAX_PHOTOS)
    contact: Submitter
    consent: bool

    @model_validator(mode="after")
    def _complete(self) -> Submission:
        if not self.consent:
            raise content_error(
                "consent",
                "the submission needs your consent to store and publish it",
                "tick the consent box",
            )
        if (self.cooperative_id is None) == (self.cooperative is None):
            raise content_error(
                "cooperative-choice",
                "give either the id of your cooperative already on the site, or its details",
                "choose one of the two in the first step",
            )
        return self


__all__ = [
    "MAX_PHOTOS",
    "CooperativeDraft",
    "NonEmptyStr",
    "PhotoDraft",
    "ProductDraft",
    "Submission",
    "Submitter",
]
