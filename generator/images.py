"""Responsive images: checked at `taawun check`, encoded once, served as small variants.

Buyers use cheap phones on slow networks, so a 4000 px photo from a cooperative's phone becomes a
few small variants (320/640/1024 px wide, WebP and JPEG) and pages let the browser choose with
``srcset``/``sizes``. Variants are named by a digest of the photo's bytes
(``/media/_v/ab/<digest>-640.webp``): a changed photo gets new URLs, so no cache ever serves stale
bytes, and an unchanged photo is never encoded again (the encoded files live in the build cache).
SVG drawings are served as they are.

Problems with a photo (unreadable, too big, damaged) are content errors with the YAML position of
the reference, never a crash: header-level checks run at `taawun check` (:func:`check_file`, fast);
a full decode happens only while encoding in :meth:`ImageStore.publish`.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import re
import shutil
import sqlite3
import struct
import tempfile
import threading
import warnings
import weakref
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .errors import BuildFailed, ErrorReport, Problem, Severity, SourceLocation, display_path
from .messages import N_, Msg, Value, render
from .models.common import images_in

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .models import Image as ImageRef
    from .site import Site

# Variant widths in CSS pixels of a 1x screen; a 2x phone 360 px wide picks 640 for a full-width
# photo and 320 for a card. The original's own width is added when it falls between two of them
# (an 800 px photo gets 320, 640 and 800), and nothing is ever scaled up.
WIDTHS = (320, 640, 1024)
FALLBACK_WIDTH = 640  # the JPEG in `src`, for browsers that ignore srcset
WEBP_OPTIONS: dict[str, Any] = {"quality": 75, "method": 4}
JPEG_OPTIONS: dict[str, Any] = {"quality": 80, "progressive": True, "optimize": True}
# Bump when the encoding recipe above changes: it is part of every digest, so new settings give
# new file names and URLs instead of serving old bytes from caches.
RECIPE = b"taawun-img-1"

# 40 megapixels (about 7700 × 5200): more than phones save by default (12–16 MP), while a 50 or
# 200 MP "full resolution" shot, or a scan, is refused with the advice to resize it.
MAX_PIXELS = 40_000_000
MAX_BYTES = 20 * 1024 * 1024
MIN_WIDTH = 320  # narrower photos look blurry even on a phone: a warning, not an error
# Pillow's name for a format → ours ("MPO" is how Pillow reads many camera JPEGs).
RASTER_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
URL_FOLDER = "media/_v"  # variants, sharded by the first two hex digits of the digest

# Pillow's guard against decompression bombs: it warns above this many pixels and refuses twice as
# many. We set it to our own limit on purpose and turn both into the content error "too many
# pixels" (see _open_header), so a hostile or absurd file is refused before it is decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_REDO = N_("export it again from the phone or camera as JPEG or PNG")
_PIL_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


# -- problems ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageIssue:
    """What is wrong with one image file, in plain words (the location is added by the caller).

    ``message`` and ``hint`` are English templates filled from ``values`` (see generator.messages).
    """

    code: str
    message: str
    hint: str
    severity: Severity = Severity.ERROR
    values: Mapping[str, Value] = field(default_factory=dict, hash=False)

    def at(self, location: SourceLocation) -> Problem:
        return Problem(location, self.code, self.message, self.hint, self.severity, self.values)


class ImageError(Exception):
    """An image file that cannot be used; carries the issue to report."""

    def __init__(self, issue: ImageIssue) -> None:
        super().__init__(render(issue.message, issue.values))
        self.issue = issue


def _unreadable(src: str, detail: str = "") -> ImageError:
    if detail:
        message = N_(
            "the photo `{src}` could not be read as an image ({detail}): it may be damaged or not a photo at all"
        )
    else:
        message = N_(
            "the photo `{src}` could not be read as an image: it may be damaged or not a photo at all"
        )
    return ImageError(
        ImageIssue("image-unreadable", message, _REDO, values={"src": src, "detail": detail})
    )


def _too_many_pixels(src: str, width: int | None, height: int | None, pixels: int) -> ImageError:
    values: dict[str, Value] = {
        "src": src,
        "megapixels": f"{pixels / 1e6:.0f}",
        "limit": MAX_PIXELS // 1_000_000,
    }
    if width and height:
        message = N_(
            "the photo `{src}` is too big ({width} × {height} px, {megapixels} megapixels; the limit is {limit})"
        )
        values.update(width=width, height=height)
    else:
        message = N_("the photo `{src}` is too big ({megapixels} megapixels; the limit is {limit})")
    return ImageError(
        ImageIssue(
            "image-too-many-pixels",
            message,
            N_("resize it to at most 4000 px on the long side"),
            values=values,
        )
    )


# -- reading headers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageInfo:
    """What pages need to know about an image without decoding it.

    ``width``/``height`` are as displayed (after the EXIF orientation of phone photos);
    ``format`` is "JPEG", "PNG", "WEBP" or "SVG"; ``digest`` names the bytes and the recipe.
    """

    width: int
    height: int
    format: str
    digest: str

    @property
    def raster(self) -> bool:
        return self.format != "SVG"


def _foreign_format(head: bytes) -> Value | None:
    """Name formats people send that Pillow cannot read here, for a useful message."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}:
            return Msg(N_("HEIC (the iPhone format)"))  # words: translated when shown
        if brand in {b"avif", b"avis"}:
            return "AVIF"
    if head.startswith(b"%PDF"):
        return "PDF"
    return None


def _open_header(path: Path, src: str) -> tuple[int, int, str, int]:
    """(width, height, format, EXIF orientation) from the file's header; nothing is decoded."""
    try:
        with warnings.catch_warnings():
            # Pillow's warning (between 1× and 2× MAX_IMAGE_PIXELS) is replaced by our own check
            # below, which can name the size; "corrupt EXIF" and such are harmless here.
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                width, height = im.size
                fmt = im.format or ""
                orientation = 1
                if fmt in RASTER_FORMATS:
                    try:
                        orientation = int(im.getexif().get(0x0112, 1) or 1)
                    except _PIL_DECODE_ERRORS:
                        orientation = 1  # broken EXIF: show the photo as stored
    except Image.DecompressionBombError as exc:  # more than twice our limit: refused unopened
        raise _too_many_pixels(src, None, None, _pixels_in(str(exc))) from None
    except UnidentifiedImageError:
        with path.open("rb") as f:
            foreign = _foreign_format(f.read(16))
        if foreign:
            raise _wrong_type(src, foreign) from None
        raise _unreadable(src) from None
    except _PIL_DECODE_ERRORS as exc:
        raise _unreadable(src, str(exc)) from None
    if fmt not in RASTER_FORMATS:
        raise _wrong_type(src, fmt)
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(src, width, height, width * height)
    if orientation in (5, 6, 7, 8):  # rotated a quarter turn: the page shows it upright
        width, height = height, width
    return width, height, RASTER_FORMATS[fmt], orientation


def _wrong_type(src: str, what: Value) -> ImageError:
    return ImageError(
        ImageIssue(
            "image-type",
            N_("`{src}` is a {what} file; photos are published from JPEG, PNG or WebP"),
            N_("save it as JPEG (photos), PNG (drawings) or WebP"),
            values={"src": src, "what": what},
        )
    )


def _pixels_in(message: str) -> int:
    found = re.search(r"\((\d+) pixels\)", message)
    return int(found.group(1)) if found else 2 * MAX_PIXELS


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.S)


def _svg_size(path: Path, src: str) -> tuple[int, int]:
    """Size of a drawing from its width/height attributes, else its viewBox (else 800 × 800)."""
    with path.open("rb") as f:
        head = f.read(16384)
    tag = _SVG_TAG.search(head)
    if tag is None:
        raise ImageError(
            ImageIssue(
                "image-type",
                N_("`{src}` is not an SVG drawing"),
                N_("export the drawing again as SVG, or rename the file if it is a photo"),
                values={"src": src},
            )
        )
    attrs = tag.group(0).decode("utf-8", "replace")
    w = re.search(r'\swidth="(\d+(?:\.\d+)?)(?:px)?"', attrs)
    h = re.search(r'\sheight="(\d+(?:\.\d+)?)(?:px)?"', attrs)
    box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"', attrs)
    if w and h:
        return round(float(w.group(1))), round(float(h.group(1)))
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    return 800, 800


def _digest(path: Path) -> str:
    """16 hex characters naming the bytes and the encoding recipe (collisions: never in practice)."""
    with path.open("rb") as f:
        h = hashlib.file_digest(f, lambda: hashlib.blake2b(digest_size=8, person=RECIPE))
    return h.hexdigest()


def _probe(path: Path, src: str) -> tuple[int, int, str]:
    if path.suffix.lower() == ".svg":
        return (*_svg_size(path, src), "SVG")
    width, height, fmt, _ = _open_header(path, src)
    return width, height, fmt


# -- the check at `taawun check` -----------------------------------------------------------------


def check_file(path: Path, src: str) -> list[ImageIssue]:
    """Header-level checks of one existing image file (fast: no pixel is decoded)."""
    st = path.stat()
    return list(_check_cached(str(path), src, st.st_size, st.st_mtime_ns))


@lru_cache(maxsize=4096)
def _check_cached(path: str, src: str, size: int, mtime_ns: int) -> tuple[ImageIssue, ...]:
    """One look per file version, however many entries show the same photo."""
    if size > MAX_BYTES:
        return (
            ImageIssue(
                "image-too-large",
                N_("the image `{src}` is {size} MB; the limit is {limit} MB"),
                N_("export it again as JPEG, at most 4000 px on the long side (a few MB at most)"),
                values={
                    "src": src,
                    "size": f"{size / 1024 / 1024:.0f}",
                    "limit": MAX_BYTES // 1024 // 1024,
                },
            ),
        )
    try:
        width, _, fmt = _probe(Path(path), src)
    except ImageError as exc:
        return (exc.issue,)
    if fmt != "SVG" and width < MIN_WIDTH:
        return (
            ImageIssue(
                "image-small",
                N_("the photo `{src}` is only {width} px wide and will look blurry"),
                N_("use a photo at least {least} px wide ({best} px or more is best)"),
                Severity.WARNING,
                values={"src": src, "width": width, "least": FALLBACK_WIDTH, "best": WIDTHS[-1]},
            ),
        )
    return ()


# -- variants ------------------------------------------------------------------------------------


def variant_widths(width: int) -> list[int]:
    """The widths to encode for an image ``width`` px wide: never larger than it, at least one."""
    widths = [w for w in WIDTHS if w < width]
    top = min(width, WIDTHS[-1])
    return widths if top in widths else [*widths, top]


def _height_for(info: ImageInfo, width: int) -> int:
    return max(1, round(info.height * width / info.width))


def variant_path(digest: str, width: int, ext: str) -> str:
    """Output path (relative to the site root) of one variant; its URL is "/" + this."""
    return f"{URL_FOLDER}/{digest[:2]}/{digest}-{width}.{ext}"


# -- encoding (runs in worker processes) ---------------------------------------------------------

# (source file, [(width, height, webp cache file, jpeg cache file), ...]) for one image.
_Job = tuple[str, list[tuple[int, int, str, str]]]


def _to_srgb(im: Image.Image) -> Image.Image:
    """Pixels in sRGB without alpha: what every browser shows the same way."""
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK"):
        try:
            src_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if im.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(im, src_profile, _srgb(), outputMode=mode)
            if converted is not None:
                im = converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an odd profile: the plain conversion below is close enough
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))  # JPEG has no transparency
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        im = im.convert("I").point(lambda v: v / 256).convert("L")
    return im.convert("RGB") if im.mode != "RGB" else im


@lru_cache(maxsize=1)
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _decode(source: str, largest: tuple[int, int]) -> Image.Image:
    """Decode, turn upright (EXIF orientation), convert to sRGB RGB, drop all metadata."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        warnings.simplefilter("ignore", UserWarning)
        with Image.open(source) as im:
            orientation = int(im.getexif().get(0x0112, 1) or 1)
            want = largest[::-1] if orientation in (5, 6, 7, 8) else largest
            im.draft("RGB", want)  # JPEG: decode at 1/2, 1/4, 1/8 scale when that is enough
            im.load()
            upright = ImageOps.exif_transpose(im)
            base = _to_srgb(upright)
    base.info = {}  # no EXIF (GPS position of the farm!), no ICC, no XMP in the variants
    return base


def _encode(job: _Job) -> tuple[str, str | None]:
    """Encode every variant of one image. Returns (source, None) or (source, why it failed)."""
    source, targets = job
    largest = max(targets)[:2]
    try:
        base = _decode(source, largest)
    except (*_PIL_DECODE_ERRORS, Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        return source, str(e) or type(e).__name__
    im = base
    for width, height, webp, jpeg in sorted(targets, reverse=True):
        if im.size != (width, height):
            # Largest first, each from the previous one: the small variants cost little, and
            # Lanczos at each step keeps them sharp.
            im = im.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        _save_atomic(im, webp, "WEBP", WEBP_OPTIONS)
        _save_atomic(im, jpeg, "JPEG", JPEG_OPTIONS)
    return source, None


def _save_atomic(im: Image.Image, target: str, fmt: str, options: dict[str, Any]) -> None:
    """Write next to the target, then rename: a killed build never leaves half a file in the cache."""
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            im.save(f, fmt, **options)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


# -- the store -----------------------------------------------------------------------------------


class ImageStore:
    """Image facts for templates and the encoded variants for the output folder.

    ``cache_dir`` (e.g. ``.taawun-cache/images``) keeps the variants and an index of
    (path, size, mtime) → size/format/digest across builds, so a site with 200,000 photos neither
    re-encodes nor re-hashes unchanged files. ``None`` keeps both in a temporary folder for the
    life of the store.
    """

    def __init__(self, content_root: Path, cache_dir: Path | None = None) -> None:
        self.root = content_root.resolve()
        self._tmp: str | None = None
        if cache_dir is None:
            self._tmp = tempfile.mkdtemp(prefix="taawun-images-")
            cache_dir = Path(self._tmp)
        self.cache_dir = cache_dir
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._root, self._cache = str(self.root), str(self.cache_dir.resolve())
        self.encoded = 0  # variant files encoded by this store (the build reports it; tests count)
        self._memo: dict[str, tuple[tuple[int, int], ImageInfo]] = {}
        self._pictures: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.cache_dir / "index.sqlite3", check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS images (path TEXT PRIMARY KEY, size INTEGER, "
            "mtime_ns INTEGER, width INTEGER, height INTEGER, format TEXT, digest TEXT)"
        )
        # Read now, in the parent: render workers forked later must never touch the connection.
        self._known = self._load_index()
        self._pid = os.getpid()
        self._pending: list[tuple[str, int, int, int, int, str, str]] = []
        self._finalizer = weakref.finalize(self, _close, self._db, self._tmp)

    # -- lifecycle

    def close(self) -> None:
        """Save the index and release the database (and the temporary cache, if any)."""
        self.flush()
        self._finalizer()

    def __enter__(self) -> ImageStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        """Write the facts learned since the last flush into the persistent index."""
        with self._lock:
            if self._pending and self._finalizer.alive and os.getpid() == self._pid:
                with self._db:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO images VALUES (?, ?, ?, ?, ?, ?, ?)", self._pending
                    )
            self._pending.clear()

    # -- facts

    def inspect(self, src: str) -> ImageInfo:
        """Size, format and digest of ``src`` (relative to the content root); raises ImageError.

        Known (path, size, mtime) are answered from memory or the index; otherwise the header is
        read (Pillow opens lazily) and the bytes are hashed once.
        """
        key = os.path.join(self._root, src)  # a str: called for every image of every page
        try:
            st = os.stat(key)
        except OSError:
            raise ImageError(
                ImageIssue(
                    "image-missing",
                    N_("the image `{src}` does not exist"),
                    N_("check the spelling of the path; it starts from the content folder"),
                    values={"src": src},
                )
            ) from None
        stamp = (st.st_size, st.st_mtime_ns)
        hit = self._memo.get(key) or self._known.get(key)
        if hit is not None and hit[0] == stamp:
            self._memo[key] = hit
            return hit[1]
        if st.st_size > MAX_BYTES:
            raise ImageError(_check_cached(key, src, st.st_size, st.st_mtime_ns)[0])
        path = Path(key)
        width, height, fmt = _probe(path, src)
        info = ImageInfo(width, height, fmt, _digest(path))
        self._memo[key] = (stamp, info)
        with self._lock:
            self._pending.append((key, *stamp, width, height, fmt, info.digest))
        return info

    def digest(self, src: str) -> str:
        """Changes exactly when the image's bytes (or the encoding recipe) change."""
        return self.inspect(src).digest

    def _load_index(self) -> dict[str, tuple[tuple[int, int], ImageInfo]]:
        rows = self._db.execute("SELECT * FROM images").fetchall()
        return {
            path: ((size, mtime), ImageInfo(w, h, fmt, digest))
            for path, size, mtime, w, h, fmt, digest in rows
        }

    def picture(self, img: ImageRef) -> dict[str, Any]:
        """What the `picture` macro writes: src, srcset_webp, srcset_jpeg, width, height, alt.

        ``raster`` is False for SVG (served as is, no srcset); ``share`` is one absolute-path URL
        fit for og:image and JSON-LD (the largest JPEG variant, or the SVG itself); ``thumb`` the
        smallest variant (WebP), for lists drawn by scripts.
        """
        return {**self.variants(img.src), "alt": img.alt}

    def variants(self, src: str) -> dict[str, Any]:
        """:meth:`picture` without the alt text (a Markdown image brings its own)."""
        try:
            info = self.inspect(src)  # one stat: a long-lived store still sees an edited photo
        except ImageError as exc:
            raise BuildFailed(self._report({src: exc.issue})) from None
        base = self._pictures.get((src, info.digest))
        if base is None:
            base = self._pictures[(src, info.digest)] = _picture(src, info)
        return base

    # -- publishing

    def publish(self, srcs: Iterable[str], folder: Path, jobs: int = 1) -> list[str]:
        """Put every file the pages need for ``srcs`` into ``folder``; return their paths in it.

        Rasters: encode the variants missing from the cache (in ``jobs`` processes), then hard-link
        them (or copy, across file systems) to ``folder``/media/_v/…, skipping files already there
        with the same size (content-addressed names: same name and size is the same file). SVG and
        any other file: copied as is to ``folder``/<src>. Raises BuildFailed naming the YAML entry
        that shows an image which cannot be read, before anything of it is placed.
        """
        sources = sorted(set(srcs))
        issues: dict[str, ImageIssue] = {}
        rasters: dict[str, tuple[str, ImageInfo]] = {}  # digest → (src, info): same bytes once
        plain: list[str] = []
        for src in sources:
            if PurePosixPath(src).suffix.lower() not in RASTER_SUFFIXES:
                if not os.path.isfile(os.path.join(self._root, src)):
                    issues[src] = self._missing(src)
                plain.append(src)
                continue
            try:
                info = self.inspect(src)
            except ImageError as exc:
                issues[src] = exc.issue
                continue
            rasters.setdefault(info.digest, (src, info))
        jobs_todo = [job for job in (self._job(src, info) for src, info in rasters.values()) if job]
        by_source = {os.path.join(self._root, src): src for src, _ in rasters.values()}
        for source, failure in self._run(jobs_todo, jobs):
            if failure is not None:
                src = by_source[source]
                issues[src] = ImageIssue(
                    "image-broken",
                    N_("the photo `{src}` could not be read: it may be damaged ({failure})"),
                    _REDO,
                    values={"src": src, "failure": failure},
                )
        self.flush()
        if issues:
            raise BuildFailed(self._report(issues))
        placed: list[str] = []
        # Plain strings, not Path objects, from here on: this loop runs six times per photo.
        placer = _Placer(str(folder))
        for _, info in rasters.values():
            for width in variant_widths(info.width):
                for ext in ("webp", "jpg"):
                    rel = variant_path(info.digest, width, ext)
                    placer.place(self._cached(info.digest, width, ext), rel, link=True)
                    placed.append(rel)
        for src in plain:
            placer.place(os.path.join(self._root, src), src, link=False)
            placed.append(src)
        return sorted(placed)

    def _cached(self, digest: str, width: int, ext: str) -> str:
        return f"{self._cache}/v/{digest[:2]}/{digest}-{width}.{ext}"

    def variant_file(self, url: str) -> str:
        """The encoded file behind a variant's URL (``/media/_v/ab/<digest>-640.webp``), once
        :meth:`publish` has encoded it: the course manifests (offline.py) list its size."""
        return f"{self._cache}/v/{url.removeprefix('/' + URL_FOLDER + '/')}"

    def _job(self, src: str, info: ImageInfo) -> _Job | None:
        """The encoding work for one image, or None when every variant is in the cache."""
        targets = []
        missing = False
        for width in variant_widths(info.width):
            webp = self._cached(info.digest, width, "webp")
            jpeg = self._cached(info.digest, width, "jpg")
            missing = missing or not (os.path.isfile(webp) and os.path.isfile(jpeg))
            targets.append((width, _height_for(info, width), webp, jpeg))
        return (os.path.join(self._root, src), targets) if missing else None

    def _run(self, todo: list[_Job], jobs: int) -> Iterator[tuple[str, str | None]]:
        if not todo:
            return
        count = sum(len(targets) * 2 for _, targets in todo)
        if jobs <= 1 or len(todo) == 1:
            results: Iterable[tuple[str, str | None]] = map(_encode, todo)
            yield from results
        else:
            # fork, like the loader: workers start at once and need no `if __name__ == "__main__"`
            # guard in scripts that call the build. They touch nothing of the parent's but _encode.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            workers = min(jobs, len(todo))
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                yield from pool.map(
                    _encode, todo, chunksize=max(1, min(8, len(todo) // workers // 4))
                )
        self.encoded += count  # failed images count too: their work was attempted

    def _missing(self, src: str) -> ImageIssue:
        return ImageIssue(
            "image-missing",
            N_("the image `{src}` does not exist"),
            N_("check the spelling of the path; it starts from the content folder, like `media/…`"),
            values={"src": src},
        )

    def _report(self, issues: dict[str, ImageIssue]) -> ErrorReport:
        """Issues at the YAML lines that show each image (found again only now: errors are rare)."""
        report = ErrorReport()
        where = locate_references(self.root, set(issues))
        for src, issue in issues.items():
            places = where.get(src) or [SourceLocation(display_path(self.root / src))]
            for location in places:
                report.extend([issue.at(location)])
        return report


def _picture(src: str, info: ImageInfo) -> dict[str, Any]:
    if not info.raster:
        url = "/" + src
        return {
            "raster": False,
            "src": url,
            "srcset_webp": "",
            "srcset_jpeg": "",
            "width": info.width,
            "height": info.height,
            "share": url,
            "thumb": url,
        }
    widths = variant_widths(info.width)
    fallback = max((w for w in widths if w <= FALLBACK_WIDTH), default=widths[0])
    largest = widths[-1]
    return {
        "raster": True,
        "src": "/" + variant_path(info.digest, fallback, "jpg"),
        "srcset_webp": ", ".join(f"/{variant_path(info.digest, w, 'webp')} {w}w" for w in widths),
        "srcset_jpeg": ", ".join(f"/{variant_path(info.digest, w, 'jpg')} {w}w" for w in widths),
        "width": largest,
        "height": _height_for(info, largest),
        "share": "/" + variant_path(info.digest, largest, "jpg"),
        "thumb": "/" + variant_path(info.digest, widths[0], "webp"),  # the smallest, for lists
    }


class _Placer:
    """Puts files into the output folder: hard links from the cache, copies of content files."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.made: set[str] = set()
        self.can_link = True  # until the first failure (another file system): then copy

    def place(self, source: str, rel: str, *, link: bool) -> None:
        """Make ``folder/rel`` hold ``source``'s bytes, doing nothing when it already does.

        Variants (``link``) have content-addressed names, so the same size means the same file;
        content files (SVG…) keep their names, so their modification time must match too.
        """
        target = os.path.join(self.folder, rel)
        try:
            have = os.stat(target)
        except FileNotFoundError:
            have = None
        if have is not None:
            st = os.stat(source)
            if have.st_ino == st.st_ino and have.st_dev == st.st_dev:
                return
            if have.st_size == st.st_size and (link or have.st_mtime_ns == st.st_mtime_ns):
                return
            os.unlink(target)
        parent = os.path.dirname(target)
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        if link and self.can_link:
            try:
                os.link(source, target)
                return
            except OSError:
                self.can_link = False
        shutil.copy2(source, target)


def _close(db: sqlite3.Connection, tmp: str | None) -> None:
    db.close()
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)


# -- which images a site shows, and where it says so ---------------------------------------------


def site_image_sources(site: Site) -> set[str]:
    """Every image ``src`` that pages show (what the build passes to :meth:`ImageStore.publish`)."""
    every: list[BaseModel] = [
        *site.cooperatives.values(),
        *site.products.values(),
        *site.projects.values(),
        *(tree.course for tree in site.courses.values()),
    ]
    return {image.src for model in every for _, image in images_in(model)}


def locate_references(root: Path, srcs: set[str]) -> dict[str, list[SourceLocation]]:
    """Where YAML files name each of ``srcs`` (the `src:` key), by reading only the files that do."""
    from .sources import discover
    from .yamlsource import parse_yaml

    found: dict[str, list[SourceLocation]] = {}
    for entity in discover(root).entities:
        try:
            text = entity.path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if not any(src in text for src in srcs):
            continue
        doc, _ = parse_yaml(text, display_path(entity.path))
        if doc is None:
            continue
        for keys, value in _src_values(doc.data, ()):
            if value in srcs:
                found.setdefault(value, []).append(doc.locate(keys))
    return found


def _src_values(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[Any, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "src" and isinstance(value, str):
                yield (*path, key), value
            else:
                yield from _src_values(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _src_values(item, (*path, i))
