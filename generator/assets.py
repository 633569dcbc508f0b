"""The theme's static files as they are published: minified, fingerprinted, with cache headers.

Why fingerprints: a file whose name contains the hash of its bytes can never change under that
name, so browsers and CDNs may keep it for a year (``immutable``) and a new deploy is still seen at
once, because the HTML (always revalidated) points at the new name. Only the HTML needs a short
cache; everything it references can be cached forever.

* ``AssetManifest.from_folder(static)`` reads ``themes/<name>/static/`` once: CSS is minified with
  rcssmin, JS with rjsmin, and every file gets ``name.<hash>.ext`` under ``/static/`` (the hash of
  the bytes actually served). ``url()`` and ``@import`` references between theme files are rewritten
  to the fingerprinted names, so a font or icon used from CSS is cached forever too.
* A few files must keep a name known in advance (``favicon.ico`` is fetched by browsers on their
  own): they are published at the site root under their own name, with a short cache
  (``STABLE``). Keeping them out of ``/static/`` lets one ``/static/*`` rule say "immutable"
  without exceptions (see ``headers_file``). The service worker, whose URL is its identity, is
  not a theme file: the build renders ``/sw.js`` with its version (offline.py).
* ``publish_assets`` writes the files; ``headers_file`` writes the ``_headers`` rules that Netlify
  and Cloudflare Pages read (docs/deploy.md has the same rules for nginx).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import rcssmin  # type: ignore[import-untyped]
import rjsmin  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from .theme import Theme

STATIC_PREFIX = "/static/"
HASH_LENGTH = 10

IMMUTABLE = "public, max-age=31536000, immutable"
# HTML is revalidated on every visit (a cheap 304 with the host's ETag). A stale page could point
# at fingerprinted files that the next deploy removed (Netlify and Cloudflare serve only the current
# deploy), so no stale-while-revalidate here.
REVALIDATE = "public, max-age=0, must-revalidate"
# The cart reads prices from catalogue.json; the checkout service reprices every line anyway, so a
# few minutes of staleness in the browser are harmless and save a request per page view.
CATALOGUE = "public, max-age=300, must-revalidate"
MODERATE = "public, max-age=3600"
DAY = "public, max-age=86400"

# Files published at the site root under their own name (top level of static/ only), with their
# Cache-Control. Everything else in static/ is fingerprinted.
STABLE: Mapping[str, str] = {
    "favicon.ico": DAY,
    "favicon.svg": DAY,
    "apple-touch-icon.png": DAY,
    "manifest.webmanifest": DAY,
}
# The service worker: browsers look for a new one at each visit, and must get it from the
# server, never from a cache (its bytes carry the build's version).
SERVICE_WORKER = "no-cache"

# Root files the build writes itself; a stable theme file must never take one of these names.
RESERVED = frozenset(
    {"index.html", "404.html", "catalogue.json", "sitemap.xml", "robots.txt", "_headers", "sw.js"}
)

_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<ref>[^'")\s]+)(?P=q)\s*\)""")
_IMPORT = re.compile(r"""@import\s+(?P<q>['"])(?P<ref>[^'"]+)(?P=q)""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Characters that would end or escape a CSP source expression or a _headers line.
_UNSAFE_ORIGIN = re.compile(r"""[\s;,'"]""")


class AssetError(ValueError):
    """The theme's static folder cannot be published as is (a broken reference, a name clash)."""


class UnknownAsset(LookupError):
    """``asset(name)`` for a file that is not in the theme's static folder.

    Raised at render time, like StrictUndefined for variables: a typo must fail the build, not
    publish a page that links to nothing.
    """


@dataclass(frozen=True)
class Asset:
    """One published file: where it came from, where it goes, and how long it may be cached."""

    name: str  # path under static/, with "/" separators: "css/site.css"
    url: str  # public URL: "/static/css/site.3f9a1c2b7d.css"
    data: bytes  # the bytes served (minified for CSS and JS)
    cache_control: str
    fingerprinted: bool  # the URL carries the hash of ``data``: safe to cache forever

    @property
    def output(self) -> str:
        """Path of the file relative to the output folder."""
        return self.url.lstrip("/")


class AssetManifest(Mapping[str, Asset]):
    """Name under ``static/`` → published ``Asset``. Deterministic: same files, same URLs."""

    def __init__(self, assets: Mapping[str, Asset], folder: Path | None = None) -> None:
        self._assets = dict(sorted(assets.items()))
        self.folder = folder

    def __getitem__(self, name: str) -> Asset:
        return self._assets[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._assets)

    def __len__(self) -> int:
        return len(self._assets)

    def url(self, name: str) -> str:
        """The public URL of ``name`` (a path under static/); UnknownAsset names the near misses."""
        asset = self._assets.get(name.lstrip("/"))
        if asset is None:
            where = f" in {self.folder}" if self.folder else ""
            close = difflib.get_close_matches(name, list(self._assets), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise UnknownAsset(f"asset({name!r}): no such file{where}{hint}")
        return asset.url

    @classmethod
    def from_folder(
        cls, static: Path, stable: Mapping[str, str] = STABLE, hash_length: int = HASH_LENGTH
    ) -> AssetManifest:
        """Read, minify and fingerprint every file under ``static`` (dot-files are skipped)."""
        sources = {
            path.relative_to(static).as_posix(): path
            for path in sorted(static.rglob("*"))
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(static).parts)
        }
        assets: dict[str, Asset] = {}
        in_progress: set[str] = set()

        def publish(name: str) -> Asset:
            if name in assets:
                return assets[name]
            if name in in_progress:
                raise AssetError(f"{name}: CSS files import each other in a cycle")
            in_progress.add(name)
            data = sources[name].read_bytes()
            suffix = posixpath.splitext(name)[1].lower()
            if suffix == ".css":
                # Minify first: references inside comments are gone before they are resolved.
                text: str = rcssmin.cssmin(data.decode("utf-8"), keep_bang_comments=True)
                data = _rewrite_css(name, text, sources, publish).encode("utf-8")
            elif suffix in (".js", ".mjs"):
                script: str = rjsmin.jsmin(data.decode("utf-8"), keep_bang_comments=True)
                data = script.encode("utf-8")
            if name in stable:
                if name in RESERVED:
                    raise AssetError(f"{name}: the build writes a file of that name itself")
                asset = Asset(name, "/" + name, data, stable[name], fingerprinted=False)
            else:
                digest = hashlib.sha256(data).hexdigest()[:hash_length]
                stem, ext = posixpath.splitext(name)
                url = f"{STATIC_PREFIX}{stem}.{digest}{ext}"
                asset = Asset(name, url, data, IMMUTABLE, fingerprinted=True)
            in_progress.discard(name)
            assets[name] = asset
            return asset

        for name in sources:
            publish(name)
        return cls(assets, static)


def _rewrite_css(
    name: str,
    text: str,
    sources: Mapping[str, Path],
    publish: Callable[[str], Asset],
) -> str:
    """Point ``url(...)`` and ``@import "..."`` at the fingerprinted names of theme files.

    References to other sites, ``data:`` URIs, fragments and root paths outside ``/static/`` (such
    as ``/media/…``) are left alone; a reference into the theme that names no file is an error.
    """
    base = posixpath.dirname(name)

    def resolve(ref: str) -> str | None:
        if _SCHEME.match(ref) or ref.startswith(("//", "#")):
            return None
        path, sep, rest = _split(ref)
        if path.startswith(STATIC_PREFIX):
            target = path[len(STATIC_PREFIX) :]
        elif path.startswith("/"):
            return None
        else:
            target = posixpath.normpath(posixpath.join(base, path))
        if target not in sources:
            raise AssetError(f"{name}: {ref!r} refers to no file under static/")
        return publish(target).url + sep + rest

    def url(match: re.Match[str]) -> str:
        new = resolve(match["ref"])
        return match[0] if new is None else f"url({new})"

    def imported(match: re.Match[str]) -> str:
        new = resolve(match["ref"])
        return match[0] if new is None else f'@import "{new}"'

    return _IMPORT.sub(imported, _URL.sub(url, text))


def _split(ref: str) -> tuple[str, str, str]:
    """``font.woff2?v=2#x`` → (``font.woff2``, ``?``, ``v=2#x``): the file, then what follows."""
    for i, char in enumerate(ref):
        if char in "?#":
            return ref[:i], char, ref[i + 1 :]
    return ref, "", ""


def publish_assets(theme: Theme, folder: Path) -> list[str]:
    """Write the theme's assets into ``folder`` (the output root); return the paths written.

    Call it before rendering: it first refreshes ``theme.assets`` if a static file changed (a Theme
    kept across rebuilds), so the pages rendered next link the files written here.

    Files already present with the same bytes are left untouched (and not listed), so running it
    on an existing output — an incremental build, the dev server — rewrites nothing. Each file is
    written beside its target and renamed into place, so a server never sends half a file. Older
    fingerprinted files are not deleted: a page cached before this deploy may still ask for them.
    """
    written: list[str] = []
    for asset in theme.refresh_assets().values():
        target = folder / asset.output
        same_size = target.is_file() and target.stat().st_size == len(asset.data)
        if same_size and target.read_bytes() == asset.data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(asset.data)
        os.replace(partial, target)
        written.append(asset.output)
    return written


def origin(url: str | None) -> str | None:
    """``https://pay.example.ma/api`` → ``https://pay.example.ma`` (a CSP source); None if local.

    A relative or missing checkout URL is same-origin, already covered by ``'self'``.
    """
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    found = f"{parts.scheme}://{parts.netloc}"
    if _UNSAFE_ORIGIN.search(found) or parts.scheme not in ("http", "https"):
        raise ValueError(f"checkout_url {url!r} cannot be used in a Content-Security-Policy")
    return found


def content_security_policy(checkout_url: str | None = None, allow_wasm: bool = True) -> str:
    """The site's CSP: only its own files, plus the checkout service for the cart's requests.

    No 'unsafe-inline': the templates have no inline script or style (JSON-LD and Pagefind's
    result template are data blocks, never executed, so script-src does not apply to them; the
    chooser's script is a file). The search page's Pagefind compiles WebAssembly, which needs
    'wasm-unsafe-eval' (WebAssembly only, not JavaScript eval); ``allow_wasm=False`` for a theme
    without search. Checked in Chromium with the sample site: no violation on the chooser, a
    product page, or a search.
    """
    checkout = origin(checkout_url)
    extra = f" {checkout}" if checkout else ""
    wasm = " 'wasm-unsafe-eval'" if allow_wasm else ""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{wasm}",
            "style-src 'self'",
            # data: for the small SVG icons that Pagefind's stylesheet embeds (search, chevron).
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self'{extra}",
            f"form-action 'self'{extra}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


SECURITY_HEADERS: Sequence[tuple[str, str]] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ("X-Frame-Options", "DENY"),
)

# Cloudflare Pages' documented limits for _headers.
MAX_RULES = 100
MAX_LINE = 2000


def header_rules(
    manifest: AssetManifest,
    *,
    checkout_url: str | None = None,
    languages: Sequence[str] = (),
    allow_wasm: bool = True,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of ``_headers`` as data: (path pattern, [(header, value), …]), in file order.

    Both Netlify and Cloudflare Pages apply *every* matching rule and join repeated headers with a
    comma, so ``Cache-Control`` is set by rules whose paths never overlap: the security headers go
    on ``/*`` (no Cache-Control there), HTML is named by its language folders, and the stable
    theme files live at the root, outside ``/static/*``.
    """
    security = [
        *SECURITY_HEADERS,
        ("Content-Security-Policy", content_security_policy(checkout_url, allow_wasm)),
    ]
    rules: list[tuple[str, list[tuple[str, str]]]] = [("/*", security)]
    rules.append(("/static/*", [("Cache-Control", IMMUTABLE)]))
    rules.append(("/media/_v/*", [("Cache-Control", IMMUTABLE)]))
    for path in ("/", "/index.html", "/404.html", *(f"/{lang}/*" for lang in languages)):
        rules.append((path, [("Cache-Control", REVALIDATE)]))
    rules.append(("/catalogue.json", [("Cache-Control", CATALOGUE)]))
    # The content files' JSON Schemas: editors fetch them by URL (docs/editors.md), web editors
    # (vscode.dev, github.dev) from another origin; they hold ids and field texts, nothing private.
    rules.append(
        ("/schemas/*", [("Cache-Control", MODERATE), ("Access-Control-Allow-Origin", "*")])
    )
    rules.append(("/sitemap.xml", [("Cache-Control", MODERATE)]))
    rules.append(("/robots.txt", [("Cache-Control", MODERATE)]))
    # At the root, its scope is the whole site (the default): no Service-Worker-Allowed needed.
    rules.append(("/sw.js", [("Cache-Control", SERVICE_WORKER)]))
    for asset in manifest.values():
        if not asset.url.startswith(STATIC_PREFIX):
            rules.append((asset.url, [("Cache-Control", asset.cache_control)]))
        elif not asset.fingerprinted:  # would be covered by the immutable /static/* rule
            raise AssetError(f"{asset.name}: a file under /static/ must be fingerprinted")
    return rules


def headers_file(
    manifest: AssetManifest,
    *,
    checkout_url: str | None = None,
    languages: Sequence[str] = (),
    allow_wasm: bool = True,
) -> str:
    """The ``_headers`` file for the output root (Netlify, Cloudflare Pages and compatible hosts).

    ``checkout_url`` (site.yaml) is allowed in connect-src and form-action; ``languages`` names the
    folders whose pages get the HTML cache rule; ``allow_wasm`` lets Pagefind's search run.
    """
    rules = header_rules(
        manifest, checkout_url=checkout_url, languages=languages, allow_wasm=allow_wasm
    )
    if len(rules) > MAX_RULES:
        raise AssetError(
            f"_headers: {len(rules)} rules; Cloudflare Pages reads at most {MAX_RULES}"
        )
    lines = [
        "# Written by `taawun build`; edit generator/assets.py, not this file. See docs/deploy.md.",
    ]
    for path, headers in rules:
        lines.append("")
        lines.append(path)
        lines.extend(f"  {name}: {value}" for name, value in headers)
    for line in lines:
        if len(line) > MAX_LINE:
            raise AssetError(f"_headers: a line is longer than {MAX_LINE} characters: {line[:60]}…")
    return "\n".join(lines) + "\n"
