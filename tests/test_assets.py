"""Static assets: minified and fingerprinted theme files, ``asset()`` in templates, ``_headers``."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.assets import (
    HASH_LENGTH,
    IMMUTABLE,
    AssetError,
    AssetManifest,
    UnknownAsset,
    content_security_policy,
    headers_file,
    publish_assets,
)
from generator.build import build
from generator.theme import DEFAULT_THEME, Theme

FINGERPRINTED = re.compile(rf"^/static/(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})\.\w+$")
CHECKOUT = "https://pay.taawun.example.ma/api"


@pytest.fixture
def theme_copy(tmp_path: Path) -> Path:
    """A copy of the default theme that a test may edit."""
    folder = tmp_path / "theme"
    shutil.copytree(DEFAULT_THEME, folder)
    return folder


def css_rules(css: str) -> tuple[int, int]:
    """(blocks, @media rules) in a stylesheet, comments removed: what minifying must keep."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return css.count("{"), css.count("@media")


def parse_headers(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Read ``_headers`` by the Netlify/Cloudflare rules; fail on anything they would not accept."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        assert len(line) <= 2000, f"line {number} is longer than Cloudflare reads"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t":
            assert rules, f"line {number}: a header before any path"
            name, colon, value = line.strip().partition(":")
            assert colon and re.fullmatch(r"[A-Za-z0-9-]+", name), f"line {number}: {line!r}"
            assert value.strip(), f"line {number}: {name} has no value"
            rules[-1][1].append((name, value.strip()))
        else:
            assert line.startswith("/") and line == line.strip(), f"line {number}: {line!r}"
            assert line.count("*") <= 1, f"line {number}: Cloudflare allows one splat"
            rules.append((line, []))
    return rules


def matches(pattern: str, path: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path) is not None


# -- the manifest ------------------------------------------------------------------------------


def test_fingerprints_are_the_hash_of_the_served_bytes() -> None:
    manifest = Theme().assets
    assert {"css/site.css", "img/logo.svg", "js/choose.js", "favicon.svg"} <= set(manifest)
    for asset in manifest.values():
        if not asset.fingerprinted:
            continue
        found = FINGERPRINTED.match(asset.url)
        assert found, asset.url
        assert found["hash"] == hashlib.sha256(asset.data).hexdigest()[:HASH_LENGTH]
        assert found["stem"] == asset.name.rsplit(".", 1)[0]


def test_the_name_changes_with_the_css_and_only_then(theme_copy: Path) -> None:
    theme = Theme(theme_copy)
    before = theme.asset("css/site.css")
    assert AssetManifest.from_folder(theme_copy / "static")["css/site.css"].url == before
    logo = theme.asset("img/logo.svg")

    css = theme_copy / "static" / "css" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.new { color: red; }\n", encoding="utf-8")
    assert theme.asset("css/site.css") == before  # asset() never touches the disk…
    theme.refresh_assets()  # …publish_assets() does, once per build
    after = theme.asset("css/site.css")
    assert after != before
    assert FINGERPRINTED.match(after)
    assert theme.asset("img/logo.svg") == logo


def test_minified_css_is_smaller_and_keeps_every_rule() -> None:
    source = (DEFAULT_THEME / "static" / "css" / "site.css").read_text(encoding="utf-8")
    minified = Theme().assets["css/site.css"].data.decode("utf-8")
    assert len(minified) < len(source)
    assert "/*" not in minified
    assert css_rules(minified) == css_rules(source)
    assert css_rules(source)[1] > 0  # the theme does have @media rules to keep
    assert minified.count("{") == minified.count("}")


def test_js_is_minified_and_fingerprinted() -> None:
    source = (DEFAULT_THEME / "static" / "js" / "choose.js").read_text(encoding="utf-8")
    asset = Theme().assets["js/choose.js"]
    assert asset.fingerprinted and FINGERPRINTED.match(asset.url)
    assert len(asset.data) < len(source)
    assert b"/*" not in asset.data
    assert b"location.replace" in asset.data


def test_css_references_point_at_fingerprinted_files(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "fonts").mkdir(parents=True)
    (static / "css").mkdir()
    (static / "fonts" / "naskh.woff2").write_bytes(b"font bytes")
    (static / "css" / "base.css").write_text("body { margin: 0 }\n")
    (static / "css" / "site.css").write_text(
        '@import "base.css";\n'
        "/* url(gone.png) in a comment is not a reference */\n"
        '@font-face { font-family: N; src: url("../fonts/naskh.woff2?v=2") format("woff2"); }\n'
        "a { background: url(data:image/gif;base64,R0lGOD) }\n"
        "b { background: url(/media/x.png) }\n"
    )
    manifest = AssetManifest.from_folder(static)
    css = manifest["css/site.css"].data.decode()
    assert f"url({manifest.url('fonts/naskh.woff2')}?v=2)" in css
    assert f'@import "{manifest.url("css/base.css")}"' in css
    assert "url(data:image/gif;base64,R0lGOD)" in css and "url(/media/x.png)" in css

    (static / "css" / "site.css").write_text("a { background: url(../img/missing.png) }\n")
    with pytest.raises(AssetError, match=r"css/site\.css: '\.\./img/missing\.png'"):
        AssetManifest.from_folder(static)


def test_stable_files_keep_their_name_at_the_root() -> None:
    favicon = Theme().assets["favicon.svg"]
    assert favicon.url == "/favicon.svg"
    assert not favicon.fingerprinted
    assert "immutable" not in favicon.cache_control


def test_unknown_asset_fails_the_render() -> None:
    template = Theme().env.from_string("<link href=\"{{ asset('css/site.cs') }}\">")
    with pytest.raises(
        UnknownAsset, match=r"asset\('css/site\.cs'\).*did you mean 'css/site\.css'"
    ):
        template.render()


def test_templates_name_static_files_only_through_asset() -> None:
    for template in (DEFAULT_THEME / "templates").glob("*.html"):
        assert "/static/" not in template.read_text(encoding="utf-8"), template.name


# -- publishing --------------------------------------------------------------------------------


def test_publish_is_idempotent(theme_copy: Path, tmp_path: Path) -> None:
    theme = Theme(theme_copy)
    output = tmp_path / "public"
    written = publish_assets(theme, output)
    assert sorted(written) == sorted(a.output for a in theme.assets.values())
    for asset in theme.assets.values():
        assert (output / asset.output).read_bytes() == asset.data
    assert publish_assets(theme, output) == []

    css = theme_copy / "static" / "css" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.new { color: red; }\n", encoding="utf-8")
    assert publish_assets(theme, output) == [theme.assets["css/site.css"].output]
    assert not list(output.rglob(".*.partial"))


# -- _headers ----------------------------------------------------------------------------------


def test_headers_file_parses() -> None:
    text = headers_file(Theme().assets, checkout_url=CHECKOUT, languages=["ar", "fr", "zgh"])
    rules = parse_headers(text)
    assert rules and all(headers for _, headers in rules)
    everything = dict(dict(rules)["/*"])
    assert everything["X-Content-Type-Options"] == "nosniff"
    assert everything["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Permissions-Policy" in everything and "Content-Security-Policy" in everything


def test_immutable_caching_only_on_fingerprinted_paths(tmp_path: Path) -> None:
    theme = Theme()
    rules = parse_headers(headers_file(theme.assets, languages=["ar", "fr"]))
    immutable = {path for path, headers in rules if ("Cache-Control", IMMUTABLE) in headers}
    assert immutable == {"/static/*", "/media/_v/*"}
    published = publish_assets(theme, tmp_path)
    for relative in published:
        url = "/" + relative
        if url.startswith("/static/"):
            assert FINGERPRINTED.match(url), url
        else:
            assert not any(matches(p, url) for p in immutable), url


def test_every_path_gets_one_cache_control() -> None:
    """Hosts join repeated headers with commas: two Cache-Control rules on one path would clash."""
    manifest = Theme().assets
    rules = parse_headers(headers_file(manifest, languages=["ar", "fr", "zgh"]))
    cache_rules = [(p, h) for p, h in rules if any(name == "Cache-Control" for name, _ in h)]
    paths = [
        *(a.url for a in manifest.values()),
        "/",
        "/index.html",
        "/404.html",
        "/ar/",
        "/fr/products/huile-argan/",
        "/zgh/regions/souss-massa/",
        "/catalogue.json",
        "/schemas/product.schema.json",
        "/sitemap.xml",
        "/robots.txt",
        "/sw.js",
        "/media/_v/3f9a1c2b7d.webp",
    ]
    for path in paths:
        hits = [pattern for pattern, _ in cache_rules if matches(pattern, path)]
        assert len(hits) == 1, (path, hits)
    html = dict(cache_rules)["/fr/*"]
    assert ("Cache-Control", "public, max-age=0, must-revalidate") in html
    # Web editors on another origin (vscode.dev) read the schemas; nothing else is shared so.
    shared = [pattern for pattern, h in rules if ("Access-Control-Allow-Origin", "*") in h]
    assert shared == ["/schemas/*"]


def test_csp_allows_own_files_and_the_checkout_only() -> None:
    csp = dict(part.strip().split(" ", 1) for part in content_security_policy(CHECKOUT).split(";"))
    assert csp["script-src"] == "'self' 'wasm-unsafe-eval'"  # Pagefind's search, nothing more
    assert csp["connect-src"] == "'self' https://pay.taawun.example.ma"
    assert csp["form-action"] == "'self' https://pay.taawun.example.ma"
    assert "unsafe-inline" not in content_security_policy(CHECKOUT)
    assert "connect-src 'self';" in content_security_policy(None)
    assert "script-src 'self';" in content_security_policy(None, allow_wasm=False)
    with pytest.raises(ValueError, match="Content-Security-Policy"):
        content_security_policy("https://evil.example;script-src *")


def test_deploy_doc_shows_the_generated_policy() -> None:
    """docs/deploy.md's nginx snippet repeats the rules by hand; it must not drift from them."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert content_security_policy("https://pay.taawun.example.ma") in doc
    for _, headers in parse_headers(headers_file(Theme().assets, languages=["fr"])):
        for name, value in headers:
            if name != "Content-Security-Policy":
                assert f'add_header {name} "{value}"' in doc, (name, value)


# -- a whole build -----------------------------------------------------------------------------


# <script type> values a browser runs (or, for importmap, reads under script-src); any other type
# (application/ld+json, text/pagefind-template) is a data block that CSP does not govern.
EXECUTED_TYPES = {"", "module", "importmap", "text/javascript", "application/javascript"}


def test_built_pages_run_no_inline_script(minimal_site: Path) -> None:
    """The CSP has no 'unsafe-inline': every script that runs is a file."""
    output = minimal_site.parent / "public"
    build(minimal_site, output)
    for page in output.rglob("*.html"):
        for script in HTMLParser(page.read_text(encoding="utf-8")).css("script"):
            kind = (script.attributes.get("type") or "").strip().lower()
            assert script.attributes.get("src") or kind not in EXECUTED_TYPES, page


def test_built_site_links_fingerprinted_assets_and_has_headers(minimal_site: Path) -> None:
    output = minimal_site.parent / "public"
    build(minimal_site, output)
    for page in (output / "fr" / "index.html", output / "index.html"):
        tree = HTMLParser(page.read_text(encoding="utf-8"))
        stylesheet = tree.css_first('link[rel="stylesheet"]')
        assert stylesheet is not None
        href = stylesheet.attributes["href"] or ""
        assert FINGERPRINTED.match(href), href
        assert (output / href.lstrip("/")).is_file(), href
        for node in tree.css("script[src], img[src], link[rel='icon']"):
            url = node.attributes.get("src") or node.attributes.get("href") or ""
            if url.startswith("/") and not url.startswith("/media/"):
                assert (output / url.lstrip("/")).is_file(), url
    headers = parse_headers((output / "_headers").read_text(encoding="utf-8"))
    assert ("/static/*", [("Cache-Control", IMMUTABLE)]) in headers
