"""The files lessons link to: audio tracks and downloads. Checked when the content is assembled,
published as they are (next to the images, at their path under the content folder), and described
on the lesson page by type and size so a learner on a phone knows what a tap will cost."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ErrorReport, Severity
from .loader import Body, Sourced
from .messages import N_
from .models import Lesson
from .site import Site
from .yamlsource import KeyPath

# What a browser plays, by file name; the page names the type so the browser can skip what it
# cannot play without downloading it.
AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".webm": "audio/webm",
    ".wav": "audio/wav",
}
DOWNLOAD_SUFFIXES = frozenset(
    {".pdf", ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx", ".csv", ".txt", ".epub", ".zip"}
)
# A learner may pay for every megabyte: past this, `taawun check` suggests a smaller file.
LARGE_FILE = 8 * 1024 * 1024


@dataclass(frozen=True)
class FileLink:
    """A file as a lesson page links to it."""

    url: str
    suffix: str  # "MP3", "PDF": what the learner sees
    size: int  # bytes
    mime: str = ""


def sources(site: Site) -> set[str]:
    """Every audio track and download the lesson pages link to (the build publishes them)."""
    return {
        src
        for tree in site.courses.values()
        for lesson in tree.lessons
        for src in (*(a.src for a in lesson.audio), *(d.src for d in lesson.downloads))
    }


def link(site: Site, src: str) -> FileLink:
    suffix = PurePosixPath(src).suffix.lower()
    size = os.stat(site.content_root / src).st_size
    return FileLink("/" + src, suffix.lstrip(".").upper(), size, AUDIO_TYPES.get(suffix, ""))


_DIGESTS: dict[tuple[str, int, int], str] = {}


def digest(site: Site, src: str) -> str:
    """The file's bytes (its size is shown), memoised by path, size and modification time."""
    path = site.content_root / src
    info = os.stat(path)
    memo = (str(path), info.st_size, info.st_mtime_ns)
    found = _DIGESTS.get(memo)
    if found is None:
        found = _DIGESTS[memo] = hashlib.blake2b(path.read_bytes(), digest_size=12).hexdigest()
    return found


def check(
    root: Path,
    lessons: Mapping[tuple[str, ...], Sourced[Lesson]],
    bodies: Mapping[tuple[str, tuple[str, ...]], Mapping[str, Body]],
    report: ErrorReport,
) -> None:
    """Every audio track and download exists inside the content folder and has a usable type;
    an audio track's `bytes` is its real size; a transcript names a text the lesson has."""
    base = root.resolve()
    for key, src in lessons.items():
        lesson = src.item
        for i, track in enumerate(lesson.audio):
            where: KeyPath = ("audio", i)
            if _check_file(base, src, (*where, "src"), track.src, AUDIO_TYPES, "audio", report):
                actual = os.stat(base / track.src).st_size
                if actual != track.bytes:
                    report.add(
                        src.at(*where, "bytes"),
                        "audio-bytes",
                        "`bytes` says {said} but `{src}` has {actual} bytes",
                        "write `bytes: {actual}` (the page shows it before anyone downloads)",
                        Severity.WARNING,
                        said=track.bytes,
                        src=track.src,
                        actual=actual,
                    )
            if track.transcript and track.transcript not in bodies.get(("lesson", key), {}):
                report.add(
                    src.at(*where, "transcript"),
                    "transcript-missing",
                    "the transcript is the lesson's text in `{lang}`, but `{file}` does not exist",
                    "write `{file}` or remove `transcript`",
                    lang=track.transcript,
                    file=f"{key[-1]}.{track.transcript}.md",
                )
        for j, download in enumerate(lesson.downloads):
            keys = ("downloads", j, "src")
            _check_file(base, src, keys, download.src, DOWNLOAD_SUFFIXES, "download", report)


def _check_file(
    base: Path,
    src: Sourced[Lesson],
    keys: KeyPath,
    path: str,
    allowed: Mapping[str, str] | frozenset[str],
    what: str,
    report: ErrorReport,
) -> bool:
    rel = PurePosixPath(path)
    target = (base / rel).resolve()
    if rel.is_absolute() or not target.is_relative_to(base):
        report.add(
            src.at(*keys),
            "file-outside-content",
            N_("the audio file `{path}` is outside the content folder")
            if what == "audio"
            else N_("the download `{path}` is outside the content folder"),
            "put it under content/media/ and write its path from there, like `media/academy/x.mp3`",
            path=path,
        )
        return False
    if rel.suffix.lower() not in allowed:
        report.add(
            src.at(*keys),
            f"{what}-type",
            N_("`{path}` is not a supported audio type")
            if what == "audio"
            else N_("`{path}` is not a supported download type"),
            "use one of {expected}",
            path=path,
            expected=", ".join(sorted(allowed)),
        )
        return False
    if not target.is_file():
        report.add(
            src.at(*keys),
            "file-missing",
            N_("the audio file `{path}` does not exist")
            if what == "audio"
            else N_("the download `{path}` does not exist"),
            "check the spelling of the path; it starts from the content folder, like `media/…`",
            path=path,
        )
        return False
    if target.stat().st_size > LARGE_FILE:
        report.add(
            src.at(*keys),
            "file-large",
            "`{path}` is {size} MB: heavy for a phone plan",
            "make it smaller (audio: mono, 32–48 kbit/s is enough for speech)",
            Severity.WARNING,
            path=path,
            size=target.stat().st_size // (1024 * 1024),
        )
    return True
