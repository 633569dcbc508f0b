"""One MkDocs page → the Markdown text of a lesson.

MkDocs pages are Python-Markdown with extensions; Taawun renders CommonMark with raw HTML off
(generator/markdown.py). What has a CommonMark equivalent is converted: admonitions become block
quotes with a bold title, attribute lists are dropped. Links to other pages of the course become
links to their lessons; files a page shows or links to are copied into the course's media. The
rest stays as written, with a note, so the author knows where to look.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import yaml

from ..markdown import tokens
from .naming import Ids, slugify

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".svg")  # what the build can publish
STUDY_WORDS_PER_MINUTE = 50  # a learner's pace: the sample lessons, 375 words, take 10 minutes

# The same pattern as MkDocs' own (mkdocs/utils/meta.py).
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*(?:\n|$)", re.S)
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:.|\n(?![ \t]*\n))*?(?<!`)\1(?!`)")
ADMONITION = re.compile(
    r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<type>[\w-]+)(?:[ \t]+[\w-]+)*"
    r'(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$'
)
LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
    r"\([ \t]*(?P<dest><[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)"
    r"(?:\s+(?P<title>\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*\)"
)
REFERENCE = re.compile(
    r"^(?P<lead> {0,3}\[(?P<label>[^\]^][^\]]*)\]:[ \t]*)(?P<dest><[^<>\n]*>|\S+)", re.M
)
_ATTR = r"(?:[#.][\w-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}\"']+))"
ATTR_LIST = re.compile(rf"[ \t]*\{{:?[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}")
HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
TABS = re.compile(r'^[ \t]*===[ \t]+"', re.M)
SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
WORD = re.compile(r"\w+")

# Python-Markdown titles an admonition after its type; in the course's language here.
ADMONITION_TITLES: dict[str, dict[str, str]] = {
    "fr": {
        "note": "Note", "abstract": "Résumé", "summary": "Résumé", "info": "Info",
        "tip": "Astuce", "hint": "Astuce", "important": "Important", "success": "Réussite",
        "question": "Question", "warning": "Attention", "caution": "Attention",
        "attention": "Attention", "failure": "Échec", "danger": "Danger", "error": "Erreur",
        "bug": "Bogue", "example": "Exemple", "quote": "Citation",
    },
    "ar": {
        "note": "ملاحظة", "abstract": "ملخص", "summary": "ملخص", "info": "معلومة",
        "tip": "نصيحة", "hint": "نصيحة", "important": "مهم", "success": "نجاح",
        "question": "سؤال", "warning": "تنبيه", "caution": "تنبيه", "attention": "تنبيه",
        "failure": "إخفاق", "danger": "خطر", "error": "خطأ", "bug": "خلل",
        "example": "مثال", "quote": "اقتباس",
    },
}  # fmt: skip


@dataclass
class Media:
    """The files the course's pages show or link to: docs path → path under content/."""

    docs_dir: Path
    folder: str  # "media/academy/<course>"
    copies: dict[str, str] = field(default_factory=dict)
    _names: Ids = field(default_factory=Ids)

    def add(self, uri: str) -> str:
        found = self.copies.get(uri)
        if found is None:
            *folders, name = uri.split("/")
            stem, dot, suffix = name.rpartition(".")
            if not dot:
                stem, suffix = name, ""
            parts = [slugify(part) or "dossier" for part in folders]
            base = "/".join([*parts, slugify(stem) or "fichier"])
            unique = self._names.make(base, fallback=base)
            found = self.copies[uri] = (
                f"{self.folder}/{unique}{'.' + suffix.lower() if dot else ''}"
            )
        return found


@dataclass
class Page:
    title: str | None  # from the front matter's `title` or the page's first level-1 heading
    body: str
    words: int
    notes: list[str]

    @property
    def minutes(self) -> int:
        return max(1, -(-self.words // STUDY_WORDS_PER_MINUTE))


@dataclass
class Links:
    """What a page's links can point to."""

    uri: str  # the page's path in docs_dir, like "bases/caisse.md"
    lessons: Mapping[str, str]  # docs path of each imported page → its lesson id
    pages: set[str]  # every Markdown page in docs_dir, imported or not
    media: Media
    notes: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        self.notes.append(f"{self.uri}: {message}")


def convert(text: str, links: Links, lang: str) -> Page:
    """The lesson text of one page (``links.notes`` collects what the author should look at)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    meta, text = _front_matter(text, links)
    lines = _admonitions(text.split("\n"), lang)
    text = _rewrite("\n".join(lines), links)
    title, lines = _title(text.split("\n"))
    written = meta.get("title")
    if isinstance(written, str) and written.strip():
        title = written.strip()
    body = "\n".join(_demote(lines)).strip()
    counted = re.sub(r"\]\([^)]*\)", "]", body)
    return Page(title, body + "\n" if body else "", len(WORD.findall(counted)), links.notes)


def first_paragraph(body: str, limit: int = 240) -> str | None:
    """The first paragraph's words, cut after a sentence (or a word) within ``limit`` characters."""
    found = tokens(body)
    for i, token in enumerate(found):
        if token.type == "paragraph_open" and i + 1 < len(found):
            words = "".join(
                child.content if child.type in ("text", "code_inline") else " "
                for child in found[i + 1].children or []
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            text = " ".join(words.split())
            if not text:
                continue
            if len(text) <= limit:
                return text
            cut = text[:limit]
            end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
            return cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + " …"
    return None


# -- steps ---------------------------------------------------------------------------------------


def _front_matter(text: str, links: Links) -> tuple[dict[str, object], str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        links.note(f"its front matter is not valid YAML{where}: it was kept as text")
        return {}, text
    if not isinstance(meta, dict):
        links.note("its front matter is not a YAML mapping: it was kept as text")
        return {}, text
    return meta, text[match.end() :]


def _code_lines(lines: list[str]) -> list[bool]:
    """Which lines are inside fenced code (left exactly as written)."""
    inside: list[bool] = []
    fence = ""
    for line in lines:
        match = FENCE.match(line)
        if fence:
            inside.append(True)
            closing = match.group(1) if match else ""
            # A closing fence: the same character, at least as long, nothing after it.
            if closing[:1] == fence[0] and len(closing) >= len(fence):
                fence = "" if not line.strip()[len(closing) :].strip() else fence
        elif match:
            fence = match.group(1)
            inside.append(True)
        else:
            inside.append(False)
    return inside


def _admonitions(lines: list[str], lang: str) -> list[str]:
    """`!!! tip "Title"` + an indented body → a block quote whose first line is the bold title."""
    out: list[str] = []
    code = _code_lines(lines)
    i = 0
    while i < len(lines):
        match = None if code[i] else ADMONITION.match(lines[i])
        if match is None:
            out.append(lines[i])
            i += 1
            continue
        indent = match["indent"]
        inner: list[str] = []
        j = i + 1
        while j < len(lines) and (
            not lines[j].strip() or lines[j].startswith((indent + "    ", indent + "\t"))
        ):
            inner.append(lines[j])
            j += 1
        while inner and not inner[-1].strip():
            inner.pop()
            j -= 1
        inner = [line[len(indent) :].removeprefix("\t").removeprefix("    ") for line in inner]
        kind = match["type"].lower()
        title = match["title"]
        if title is None:
            title = ADMONITION_TITLES.get(lang, {}).get(kind, kind.capitalize())
        quoted = ([f"**{title}**", ""] if title else []) + _admonitions(inner, lang)
        if out and out[-1].strip():
            out.append("")
        out.extend(f"{indent}> {line}".rstrip() for line in quoted)
        if j < len(lines) and lines[j].strip():
            out.append("")  # or CommonMark would continue the quote lazily
        i = j
    return out


def _rewrite(text: str, links: Links) -> str:
    """Links, images and attribute lists, outside code (masked while the patterns run)."""
    held: list[str] = []

    def hold(chunk: str) -> str:
        held.append(chunk)
        return f"\x00{len(held) - 1}\x00"

    lines = text.split("\n")
    code = _code_lines(lines)
    masked: list[str] = []
    block: list[str] = []
    for line, inside in zip([*lines, ""], [*code, False], strict=True):
        if inside:
            block.append(line)
            continue
        if block:
            masked.append(hold("\n".join(block)))
            block = []
        masked.append(line)
    text = CODE_SPAN.sub(lambda m: hold(m.group(0)), "\n".join(masked[:-1]))

    stripped = len(ATTR_LIST.findall(text))
    text = ATTR_LIST.sub("", text)
    if stripped:
        links.note(f"{stripped} attribute list(s) like `{{: .class }}` were removed")
    text = LINK.sub(lambda m: _link(m, links), text)
    text = REFERENCE.sub(lambda m: _reference(m, links), text)
    tags = HTML_TAG.findall(text)
    if tags:
        links.note(
            f"{len(tags)} HTML tag(s), like `{tags[0]}`, will show as text "
            "(lesson texts are Markdown only): rewrite them in Markdown"
        )
    if FOOTNOTE.search(text):
        links.note("its footnotes (`[^1]`) will show as written: turn them into sentences")
    if TABS.search(text):
        links.note('its content tabs (`=== "…"`) will show as written: turn them into sections')
    return re.sub("\x00(\\d+)\x00", lambda m: held[int(m.group(1))], text)


def _link(match: re.Match[str], links: Links) -> str:
    image = bool(match["bang"])
    text = match["text"] if image else LINK.sub(lambda m: _link(m, links), match["text"])
    dest = match["dest"].removeprefix("<").removesuffix(">")
    title = f" {match['title']}" if match["title"] else ""
    target = _resolve(dest, image, links)
    if target is None:
        return match.group(0) if image is False and SCHEME.match(dest) else text
    if target == dest:
        return f"{match['bang']}[{text}]({match['dest']}{title})"
    return f"{match['bang']}[{text}]({target}{title})"


def _reference(match: re.Match[str], links: Links) -> str:
    dest = match["dest"].removeprefix("<").removesuffix(">")
    target = _resolve(dest, False, links)
    return match["lead"] + (target if target is not None else dest)


def _resolve(dest: str, image: bool, links: Links) -> str | None:
    """Where a link or image should point in the lesson, or None to keep only its text."""
    if SCHEME.match(dest):
        return dest
    what = "image" if image else "link"
    if dest.startswith("#"):
        links.note(f"the {what} to `{dest}` was turned into text: lesson pages have no anchors")
        return None
    path, _, fragment = dest.partition("#")
    path = unquote(path.partition("?")[0])
    docs = links.media.docs_dir
    if path.startswith("/"):
        uri = posixpath.normpath(path.lstrip("/"))
    else:
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(links.uri), path))
    if uri == ".." or uri.startswith("../"):
        links.note(f"the {what} to `{dest}` leaves the docs folder: it was turned into text")
        return None
    if not image:
        candidates = [uri] if uri.endswith(".md") else []
        candidates += [f"{uri}/index.md", f"{uri}/README.md", f"{uri.rstrip('/')}.md"]
        for page in candidates:
            lesson = links.lessons.get(page.removeprefix("./"))
            if lesson is not None:
                if fragment:
                    links.note(
                        f"the link to `{dest}` now opens the lesson `{lesson}` at its top "
                        "(lesson pages have no anchors)"
                    )
                return f"../{lesson}/"
            if page.removeprefix("./") in links.pages:
                links.note(
                    f"the link to `{dest}`: that page is not a lesson (not in the nav, or "
                    "empty); it became text"
                )
                return None
    if not (docs / uri).is_file():
        links.note(f"the {what} to `{dest}`: no such file in the docs folder; it became text")
        return None
    if image and posixpath.splitext(uri)[1].lower() not in IMAGE_SUFFIXES:
        links.note(
            f"the image `{dest}` is not JPEG, PNG, WebP or SVG: it became its alt text; "
            "convert it and show it again"
        )
        return None
    return links.media.add(uri)


def _title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The page's title as MkDocs finds it (its first level-1 heading), taken out of the text when
    it opens the page: the lesson page shows the title itself."""
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return None, lines
    match = ATX_H1.match(lines[start])
    if match:
        return match.group(1).strip() or None, lines[:start] + lines[start + 1 :]
    if start + 1 < len(lines) and SETEXT_H1.match(lines[start + 1]):
        return lines[start].strip(), lines[:start] + lines[start + 2 :]
    code = _code_lines(lines)
    for line, inside in zip(lines, code, strict=True):
        match = None if inside else ATX_H1.match(line)
        if match and match.group(1).strip():
            return match.group(1).strip(), lines
    return None, lines


def _demote(lines: list[str]) -> list[str]:
    """One level down for every heading if a level-1 heading is left: the page has its own h1."""
    code = _code_lines(lines)
    headings = [
        ATX.match(line) if not inside else None for line, inside in zip(lines, code, strict=True)
    ]
    if not any(m and len(m.group(2)) == 1 for m in headings):
        return lines
    out = []
    for line, match in zip(lines, headings, strict=True):
        if match and len(match.group(2)) < 6:
            line = f"{match.group(1)}#{line[len(match.group(1)) :]}"
        out.append(line)
    return out


def detect_language(texts: Iterable[str]) -> str:
    """`ar` when most letters of the pages are Arabic, otherwise `fr`."""
    arabic = latin = 0
    for text in texts:
        arabic += len(re.findall(r"[\u0600-\u06ff]", text))
        latin += len(re.findall(r"[A-Za-zÀ-ÿ]", text))
    return "ar" if arabic > latin else "fr"
