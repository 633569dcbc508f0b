"""Images and files in lesson texts (`![…](media/…)`, `[…](media/…)`): checked at their Markdown
line, published, shown as responsive variants, and re-rendered when the photo changes."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from selectolax.lexbor import LexborHTMLParser

from generator.bodymedia import refs
from generator.build import build, check

LESSON = "academy/bases/premiers-pas/lecon-un"
PAGE = "fr/academy/bases/lecon-un/index.html"


def photo(path: Path, size: tuple[int, int], colour: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


def lesson_text(content: Path, text: str) -> None:
    (content / f"{LESSON}.fr.md").write_text(text, encoding="utf-8")


def body(output: Path) -> LexborHTMLParser:
    page = LexborHTMLParser((output / PAGE).read_text(encoding="utf-8"))
    found = page.css_first(".lesson-body")
    assert found is not None
    return LexborHTMLParser(found.html or "")


def test_refs_are_the_media_paths_with_their_lines() -> None:
    text = "Un.\n\n![a](media/x%20y.png) [f](media/f.pdf)\n\n[web](https://e.org) ![b](img.png)\n\n| t |\n|---|\n| ![c](media/c.svg) |\n"
    found = [(r.src, r.line, r.image) for r in refs(text)]
    assert found == [
        ("media/x y.png", 3, True),
        ("media/f.pdf", 3, False),
        ("media/c.svg", 9, True),
    ]


def test_check_reports_each_problem_at_its_markdown_line(minimal_site: Path) -> None:
    (minimal_site / "media" / "anim.gif").write_bytes(b"GIF89a")
    lesson_text(
        minimal_site,
        "Texte.\n\n![absente](media/absente.png)\n\n[fiche](media/fiche.pdf)\n\n"
        "![anim](media/anim.gif)\n\n[config](media/../site.yaml)\n",
    )
    problems = {(str(p.location), p.code) for p in check(minimal_site).report.errors}
    where = f"content/{LESSON}.fr.md"
    assert problems == {
        (f"{where}:3:1", "image-missing"),
        (f"{where}:5:1", "file-missing"),
        (f"{where}:7:1", "image-type"),
        (f"{where}:9:1", "file-outside-media"),
    }


def test_photos_files_and_drawings_are_published_and_shown(minimal_site: Path) -> None:
    photo(minimal_site / "media" / "academy" / "caisse.jpg", (900, 600), "navy")
    (minimal_site / "media" / "academy" / "fiche.csv").write_text("a,b\n", encoding="utf-8")
    lesson_text(
        minimal_site,
        "![Une caisse](media/academy/caisse.jpg)\n\n[la fiche](media/academy/fiche.csv), "
        "[la photo](media/academy/caisse.jpg)\n\n![Le logo](media/tamount.svg)\n",
    )
    output = minimal_site.parent / "public"
    build(minimal_site, output, search=False)
    html = body(output)
    img = html.css_first("picture img")
    assert img is not None and img.attributes["alt"] == "Une caisse"
    assert (img.attributes["width"], img.attributes["height"]) == ("900", "600")
    assert img.attributes["loading"] == "lazy"
    assert (output / (img.attributes["src"] or "").lstrip("/")).is_file()
    links = {a.text(): a.attributes["href"] or "" for a in html.css("a")}
    assert links["la fiche"] == "/media/academy/fiche.csv"
    assert (output / "media/academy/fiche.csv").read_text(encoding="utf-8") == "a,b\n"
    assert links["la photo"].endswith("-900.jpg")  # the largest variant
    assert (output / links["la photo"].lstrip("/")).is_file()
    svg = [i for i in html.css("img") if i.attributes["alt"] == "Le logo"]
    assert svg and svg[0].attributes["src"] == "/media/tamount.svg"
    assert (output / "media/tamount.svg").is_file()


def test_a_changed_photo_renders_the_lesson_again(minimal_site: Path) -> None:
    picture = minimal_site / "media" / "academy" / "caisse.jpg"
    photo(picture, (640, 400), "navy")
    lesson_text(minimal_site, "![Une caisse](media/academy/caisse.jpg)\n")
    output = minimal_site.parent / "public"
    build(minimal_site, output, search=False)
    first = body(output).css_first("img")
    photo(picture, (640, 400), "olive")  # same size and text: only the bytes differ
    result = build(minimal_site, output, search=False)
    assert result.mode == "incremental"
    second = body(output).css_first("img")
    assert first is not None and second is not None
    assert first.attributes["src"] != second.attributes["src"]
    assert (output / (second.attributes["src"] or "").lstrip("/")).is_file()


def test_other_texts_are_left_alone(minimal_site: Path) -> None:
    # Only lesson texts are read for media; elsewhere a `media/…` path is written out as is.
    (minimal_site / "pages" / "about.fr.md").write_text("![Logo](media/absent.png)\n", "utf-8")
    assert check(minimal_site).report.problems == []
