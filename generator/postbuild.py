"""Files about the site rather than pages of it: sitemap, robots.txt, the language chooser."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .site import Site
from .urls import Plan


def sitemap(site: Site, plan: Plan) -> str:
    base = site.config.base_url
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for spec in plan.pages:
        if spec.kind == "not_found":
            continue
        lines.append(f"<url><loc>{escape(base + spec.url)}</loc>")
        for lang, url in plan.languages(spec.kind, spec.key, spec.page_no).items():
            lines.append(
                f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(base + url)}/>'
            )
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(site: Site) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {site.config.base_url}/sitemap.xml\n"
