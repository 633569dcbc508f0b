"""schema.org JSON-LD for the types that fit: Product/Offer, Organization, Course, BreadcrumbList."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from .i18n import plain
from .models import Cooperative, Course, Product
from .models.common import dirhams
from .site import Site

AVAILABILITY = {
    "in_stock": "https://schema.org/InStock",
    "made_to_order": "https://schema.org/MadeToOrder",
    "seasonal": "https://schema.org/PreOrder",
    "sold_out": "https://schema.org/SoldOut",
}


def script(data: dict[str, Any]) -> Markup:
    # "</" inside a JSON string would close the script element early.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def breadcrumbs(items: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(items, start=1)
        ],
    }


def product(site: Site, item: Product, lang: str, url: str, image_url: str) -> dict[str, Any]:
    coop = site.cooperatives[item.cooperative]
    offers = [
        {
            "@type": "Offer",
            "sku": sku,
            "price": dirhams(price),
            "priceCurrency": "MAD",
            "availability": AVAILABILITY[availability],
            "url": url,
            "seller": {"@type": "Organization", "name": plain(coop.name, lang)},
        }
        for sku, price, availability in [
            (item.id, item.price, item.availability),
            *((v.sku, v.price, v.availability or item.availability) for v in item.variants),
        ]
    ]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": plain(item.name, lang),
        "description": plain(item.summary, lang),
        "sku": item.id,
        "image": image_url,
        "category": plain(site.categories[item.category].name, lang),
        "brand": {"@type": "Brand", "name": plain(coop.name, lang)},
        "offers": offers[0]
        if len(offers) == 1
        else {
            "@type": "AggregateOffer",
            "priceCurrency": "MAD",
            "lowPrice": dirhams(item.min_price),
            "highPrice": dirhams(max([item.price, *(v.price for v in item.variants)])),
            "offerCount": len(offers),
            "offers": offers,
        },
    }
    return data


def organization(site: Site, coop: Cooperative, lang: str, url: str) -> dict[str, Any]:
    region = site.regions[coop.region]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": plain(coop.name, lang),
        "description": plain(coop.summary, lang),
        "url": url,
        "foundingDate": coop.founded.isoformat(),
        "telephone": coop.contact.phone,
        "address": {
            "@type": "PostalAddress",
            "addressRegion": plain(region.name, lang),
            "addressCountry": "MA",
        },
    }
    if coop.jobs is not None:  # members own the cooperative; jobs are its employees
        data["numberOfEmployees"] = {"@type": "QuantitativeValue", "value": coop.jobs.count}
    if coop.contact.email:
        data["email"] = coop.contact.email
    return data


def course(site: Site, item: Course, lang: str, url: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": plain(item.title, lang),
        "description": plain(item.summary, lang),
        "url": url,
        "inLanguage": item.languages,
        "license": item.license,
        "isAccessibleForFree": True,
        "educationalLevel": item.level,
        "timeRequired": f"PT{item.duration_min}M",
        "provider": {"@type": "Organization", "name": plain(site.config.title, lang)},
        "hasCourseInstance": {
            "@type": "CourseInstance",
            "courseMode": "online",
            "courseWorkload": f"PT{item.duration_min}M",
        },
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "MAD", "category": "Free"},
    }
