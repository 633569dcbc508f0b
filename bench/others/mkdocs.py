"""MkDocs: one Markdown page per product and language, plus generated listing pages of 24 links.

MkDocs has no pagination, taxonomies or per-page data, so the converter writes what the other tools
compute: each product page carries its price, cooperative and category link in its Markdown, and
every listing page (the market and each category, per language, 24 products a page, with
previous/next links) is generated as a Markdown file::

    mkdocs.yml                                     theme "mkdocs", no plugins, a 3-entry nav
    docs/index.md                                  language chooser
    docs/<lang>/products/<product>.md
    docs/<lang>/market/index.md, page/<n>.md
    docs/<lang>/market/categories/<category>/index.md, page/<n>.md

The search plugin is disabled (search is measured separately). ``nav`` lists only the two market
pages: an automatic nav would list every page on every page, making the output quadratic.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .project import Project, python_tool, write
from .source import LANGS, MARKET_TITLE, PER_PAGE, SITE_TITLE, Product, Site

NAME = "mkdocs"

CONFIG = f"""\
site_name: "{SITE_TITLE["fr"]}"
site_url: https://bench.example.ma/
docs_dir: docs
site_dir: site
theme:
  name: mkdocs
plugins: []
nav:
  - index.md
  - "{MARKET_TITLE["ar"]}": ar/market/index.md
  - "{MARKET_TITLE["fr"]}": fr/market/index.md
"""


def available() -> bool:
    try:
        importlib.metadata.version("mkdocs")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def version() -> str:
    try:
        return importlib.metadata.version("mkdocs")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _link(source: PurePosixPath, target: PurePosixPath) -> str:
    """The relative Markdown link from one docs page to another."""
    return os.path.relpath(target, source.parent).replace(os.sep, "/")


def _product_path(lang: str, product: Product) -> PurePosixPath:
    return PurePosixPath(lang, "products", f"{product.id}.md")


def _listing_path(base: PurePosixPath, number: int) -> PurePosixPath:
    return base / ("index.md" if number == 1 else f"page/{number}.md")


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("[", "\\[").replace("]", "\\]")


def _listing(
    docs: Path, site: Site, lang: str, base: PurePosixPath, title: str, products: Sequence[Product]
) -> None:
    """Write the paginated listing of ``products`` under ``base`` (…/index.md, …/page/N.md)."""
    pages = [products[i : i + PER_PAGE] for i in range(0, len(products), PER_PAGE)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        here = _listing_path(base, number)
        lines = [f"# {_one_line(title)}", ""]
        for p in chunk:
            coop = site.cooperatives.get(p.cooperative, {}).get(lang, p.cooperative)
            link = _link(here, _product_path(lang, p))
            lines.append(
                f"- [{_one_line(p.name[lang])}]({link}) · {p.price} MAD · {_one_line(coop)}"
            )
        nav = []
        if number > 1:
            nav.append(f"[‹]({_link(here, _listing_path(base, number - 1))})")
        nav.append(f"{number} / {len(pages)}")
        if number < len(pages):
            nav.append(f"[›]({_link(here, _listing_path(base, number + 1))})")
        lines += ["", " ".join(nav), ""]
        write(docs / here, "\n".join(lines))


def convert(site: Site, dest: Path) -> Project:
    """Write the MkDocs project for ``site`` into ``dest`` (replacing it)."""
    shutil.rmtree(dest, ignore_errors=True)
    write(dest / "mkdocs.yml", CONFIG)
    docs = dest / "docs"
    chooser = [f"# {SITE_TITLE['fr']}", ""]
    chooser += [f"- [{MARKET_TITLE[lang]}]({lang}/market/index.md)" for lang in LANGS]
    write(docs / "index.md", "\n".join(chooser) + "\n")
    groups = site.by_category()
    for lang in LANGS:
        (docs / lang / "products").mkdir(parents=True)
        _listing(docs, site, lang, PurePosixPath(lang, "market"), MARKET_TITLE[lang], site.products)
        for cid, products in groups.items():
            base = PurePosixPath(lang, "market", "categories", cid)
            _listing(docs, site, lang, base, site.categories.get(cid, {}).get(lang, cid), products)
        for p in site.products:
            here = _product_path(lang, p)
            coop = site.cooperatives.get(p.cooperative, {}).get(lang, p.cooperative)
            category = site.categories.get(p.category, {}).get(lang, p.category)
            category_link = _link(
                here, _listing_path(PurePosixPath(lang, "market", "categories", p.category), 1)
            )
            text = (
                f"# {_one_line(p.name[lang])}\n\n"
                f"{p.price} MAD\n\n{_one_line(coop)}\n\n"
                f"[{_one_line(category)}]({category_link})\n\n{p.body[lang]}"
            )
            (docs / here).write_text(text, encoding="utf-8")
    output = dest / "site"
    command = [python_tool("mkdocs"), "build", "--quiet", "--config-file", str(dest / "mkdocs.yml")]
    return Project(
        tool=NAME,
        root=dest,
        output=output,
        commands=[command],
        expected_pages=site.expected_pages(),
    )
