"""Images and files that lesson texts show from the content folder.

A lesson's Markdown may show `![alt](media/academy/…/photo.png)` and link to
`[the form](media/academy/…/form.csv)`: paths from the content folder, as YAML `src:` values are.
`taawun check` checks each one at its Markdown file and line; the build publishes them (photos as
responsive variants, other files as they are); the page shows a photo's variants with its size.

This is for lesson texts only. The academy is small, so reading its texts once more per build costs
little. A national catalogue's descriptions would be read twice.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from markupsafe import escape

from .errors import ErrorReport, SourceLocation
from .images import RASTER_SUFFIXES, ImageError, ImageIssue, ImageStore, check_file
from .loader import Body
from .markdown import MEDIA_PREFIX, tokens
from .messages import N_
from .site import Site

IMAGE_SUFFIXES = frozenset({*RASTER_SUFFIXES, ".svg"})
# How wide a lesson's photo is drawn: the text column (`.prose`, 44rem) or the screen's width.
SIZES = "(min-width: 48rem) 44rem, calc(100vw - 2rem)"


@dataclass(frozen=True)
class MediaRef:
    src: str  # from the content folder, percent-decoded: `media/academy/x/photo.png`
    line: int  # 1-based, the line where the paragraph (or table, list item…) holding it starts
    image: bool  # `![…](…)`; otherwise a link `[…](…)`


def refs(text: str) -> list[MediaRef]:
    """The `media/…` images and links of a Markdown text, in order."""
    found: list[MediaRef] = []
    for block in tokens(text):
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0] + 1 if block.map else 1
        for child in block.children:
            if child.type not in ("image", "link_open"):
                continue
            value = str(child.attrGet("src" if child.type == "image" else "href") or "")
            if value.startswith(MEDIA_PREFIX):
                found.append(MediaRef(unquote(value), line, child.type == "image"))
    return found


def _lesson_bodies(
    bodies: Iterable[tuple[tuple[str, object], Mapping[str, Body]]],
) -> Iterator[Body]:
    for (kind, _), texts in bodies:
        if kind == "lesson":
            yield from texts.values()


def sources(site: Site) -> set[str]:
    """Every file the lesson texts show or link to (the build publishes them)."""
    return {ref.src for body in _lesson_bodies(site.bodies.items()) for ref in refs(body.text())}


def digests(site: Site, images: ImageStore, key: str) -> list[str]:
    """What a lesson page shows of its texts' photos: their digests name the variants' URLs."""
    found: list[str] = []
    for body in site.bodies.get(("lesson", key), {}).values():
        for ref in refs(body.text()):
            if ref.image:
                try:
                    found.append(images.digest(ref.src))
                except ImageError:
                    found.append(f"{ref.src}:unreadable")  # the build stops on it anyway
    return found


class LessonMedia:
    """The `markdown.Media` of lesson pages: photos as their variants, files at their URL."""

    def __init__(self, images: ImageStore) -> None:
        self.images = images

    def image(self, src: str, alt: str, title: str | None) -> str | None:
        path = unquote(src)
        if PurePosixPath(path).suffix.lower() not in IMAGE_SUFFIXES:
            return None
        pic = self.images.variants(path)
        extra = f' title="{escape(title)}"' if title else ""
        size = f'width="{pic["width"]}" height="{pic["height"]}"'
        tail = f'{size} alt="{escape(alt)}"{extra} loading="lazy" decoding="async"'
        if not pic["raster"]:
            return f'<img src="{escape(pic["src"])}" {tail}>'
        return (
            f'<picture><source type="image/webp" srcset="{pic["srcset_webp"]}" sizes="{SIZES}">'
            f'<img src="{pic["src"]}" srcset="{pic["srcset_jpeg"]}" sizes="{SIZES}" {tail}>'
            "</picture>"
        )

    def href(self, src: str) -> str | None:
        path = unquote(src)
        if PurePosixPath(path).suffix.lower() in RASTER_SUFFIXES:
            return str(self.images.variants(path)["share"])  # the largest variant
        return "/" + quote(path)


def check(
    root: Path,
    bodies: Mapping[tuple[str, tuple[str, ...]], Mapping[str, Body]],
    report: ErrorReport,
) -> None:
    """Every `media/…` image and file of the lesson texts exists and can be published."""
    base = root.resolve()
    for body in _lesson_bodies(bodies.items()):
        for ref in refs(body.text()):
            where = SourceLocation(body.path, ref.line, 1)
            report.extend(issue.at(where) for issue in _issues(base, ref))


def _issues(base: Path, ref: MediaRef) -> list[ImageIssue]:
    what = "image" if ref.image else "file"
    values = {"src": ref.src}
    normal = posixpath.normpath(ref.src)
    if not normal.startswith(MEDIA_PREFIX):
        outside = (
            N_("the image `{src}` is outside content/media/")
            if ref.image
            else N_("the file `{src}` is outside content/media/")
        )
        hint = N_(
            "put it under content/media/ and write its path from there, like `media/academy/x.png`"
        )
        return [ImageIssue(f"{what}-outside-media", outside, hint, values=values)]
    if ref.image and PurePosixPath(normal).suffix.lower() not in IMAGE_SUFFIXES:
        return [
            ImageIssue(
                "image-type",
                N_("`{src}` is not a supported image type"),
                N_("use a .jpg, .png, .webp or .svg file"),
                values=values,
            )
        ]
    target = base / normal
    if not target.is_file():
        missing = (
            N_("the image `{src}` does not exist")
            if ref.image
            else N_("the file `{src}` does not exist")
        )
        hint = N_(
            "check the spelling of the path; it starts from the content folder, like `media/…`"
        )
        return [ImageIssue(f"{what}-missing", missing, hint, values=values)]
    if PurePosixPath(normal).suffix.lower() not in IMAGE_SUFFIXES:
        return []
    return check_file(target, ref.src)
