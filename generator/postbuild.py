"""Files about the site rather than pages of it: sitemap, robots.txt, the language chooser."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .site import Site
from .urls import PageSpec, Plan

# The sitemap protocol allows 50,000 URLs a file; a national catalogue has ten times more pages.
URLS_PER_SITEMAP = 40_000


# Pages that are not for search engines: the 404 page, the buyer's own cart and order, and the
# cart's JSON view of the catalogue, and a learner's attestation (filled in their browser).
UNLISTED = {"not_found", "cart", "order", "catalogue_shard", "facets", "facet_cells", "attestation"}
# Offline use: the page shown offline, the course manifests and the service worker.
UNLISTED |= {"offline", "course_offline", "service_worker"}


def _listed(plan: Plan) -> list[PageSpec]:
    return [spec for spec in plan.pages if spec.kind not in UNLISTED]


def sitemap_names(plan: Plan) -> list[str]:
    """sitemap.xml, plus sitemap-N.xml files when it has to be an index of several."""
    count = len(_listed(plan))
    if count <= URLS_PER_SITEMAP:
        return ["sitemap.xml"]
    parts = -(-count // URLS_PER_SITEMAP)
    return ["sitemap.xml", *(f"sitemap-{n}.xml" for n in range(1, parts + 1))]


def sitemaps(site: Site, plan: Plan) -> dict[str, str]:
    """File name → XML: one sitemap, or an index and its parts for big sites."""
    specs = _listed(plan)
    if len(specs) <= URLS_PER_SITEMAP:
        return {"sitemap.xml": _urlset(site, plan, specs)}
    base = site.config.base_url
    files: dict[str, str] = {}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for n, start in enumerate(range(0, len(specs), URLS_PER_SITEMAP), start=1):
        name = f"sitemap-{n}.xml"
        files[name] = _urlset(site, plan, specs[start : start + URLS_PER_SITEMAP])
        lines.append(f"<sitemap><loc>{escape(f'{base}/{name}')}</loc></sitemap>")
    lines.append("</sitemapindex>")
    files["sitemap.xml"] = "\n".join(lines) + "\n"
    return files


def _urlset(site: Site, plan: Plan, specs: list[PageSpec]) -> str:
    base = site.config.base_url
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for spec in specs:
        lines.append(f"<url><loc>{escape(base + spec.url)}</loc>")
        for lang, url in plan.languages(spec.kind, spec.key, spec.page_no, spec.order).items():
            lines.append(
                f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(base + url)}/>'
            )
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(site: Site) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {site.config.base_url}/sitemap.xml\n"
