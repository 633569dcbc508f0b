"""`taawun import mkdocs`: an MkDocs course (tests/sites/mkdocs-course) becomes an academy course
that passes `taawun check` and builds into lesson pages with its text, image and download."""

from __future__ import annotations

import posixpath
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from generator.build import build, check
from generator.cli import main
from generator.importers.mdpage import Links, Media, convert
from generator.importers.mkdocs import import_mkdocs
from generator.importers.mkdocs_config import load_project

from .conftest import SITES

pytest.importorskip("mkdocs", reason="MkDocs is not installed: python -m pip install -e '.[test]'")

PROJECT = SITES / "mkdocs-course"
CONFIG = PROJECT / "mkdocs.yml"
COURSE = "tenir-les-comptes"
TODAY = date(2026, 3, 2)


def read_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def html(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def test_the_nav_becomes_modules_and_lessons(minimal_site: Path) -> None:
    imported = import_mkdocs(CONFIG, COURSE, minimal_site, today=TODAY)
    course_dir = minimal_site / "academy" / COURSE
    course = read_yaml(course_dir / "course.yaml")
    # Pages outside any section (the home page) form a module; each nav section is one.
    assert course["modules"] == [
        "accueil",
        "les-bases",
        "le-bilan-de-annee",
    ]  # elided articles dropped (generator/slugs.py)
    assert course["title"] == {"fr": "Tenir les comptes d'une coopérative"} | {
        "ar": "Tenir les comptes d'une coopérative"
    }
    assert course["languages"] == ["fr"]  # the theme's language
    assert course["license"] == "CC BY-SA 4.0"  # named by `copyright`
    assert course["certificate"] == {"enabled": False}
    assert course["updated"] == TODAY
    assert course["summary"]["fr"].startswith(
        "Ce cours montre aux membres d'une petite coopérative"
    )
    # The outcomes are placeholders from the nav's section titles, marked for review.
    assert [o["fr"] for o in course["outcomes"]] == ["Les bases", "Le bilan de l'année"]
    text = (course_dir / "course.yaml").read_text(encoding="utf-8")
    for key in ("audience:", "level:", "outcomes:", "certificate:"):
        line = next(line for line in text.splitlines() if line.startswith(key))
        assert "# REVIEW:" in line, line
    lessons = read_yaml(course_dir / "les-bases" / "module.yaml")
    assert lessons["lessons"] == ["le-livre-de-caisse", "les-pieces-justificatives"]
    # No nav title: the page's own level-1 heading, as in MkDocs.
    pieces = read_yaml(course_dir / "les-bases" / "les-pieces-justificatives.yaml")
    assert pieces["title"] == {"fr": "Les pièces justificatives", "ar": "Les pièces justificatives"}
    # The external link of the nav is no lesson.
    assert any("odco.gov.ma" in note for note in imported.notes)
    total = sum(lesson.minutes for lesson in imported.plan.lessons)
    assert course["duration_min"] == total


def test_lesson_text_links_and_media(minimal_site: Path) -> None:
    import_mkdocs(CONFIG, COURSE, minimal_site, today=TODAY)
    folder = minimal_site / "academy" / COURSE / "les-bases"
    body = (folder / "le-livre-de-caisse.fr.md").read_text(encoding="utf-8")
    assert not body.startswith("#")  # the title is the page's h1, not the text's
    assert "description: Le livre de caisse" not in body  # front matter left out
    image = "media/academy/tenir-les-comptes/img/livre-caisse.png"
    assert f"![Une page de livre de caisse avec ses colonnes]({image})\n" in body  # no `{ width }`
    assert "[les pièces justificatives](../les-pieces-justificatives/)" in body
    assert "> **Un conseil**\n>\n> Arrêtez le solde chaque soir" in body
    assert "!!!" not in body
    assert (minimal_site / image).read_bytes() == (
        PROJECT / "docs/img/livre-caisse.png"
    ).read_bytes()
    csv = "media/academy/tenir-les-comptes/fichiers/modele-livre-caisse.csv"
    assert f"[modèle de livre de caisse]({csv})" in body
    lesson = read_yaml(folder / "le-livre-de-caisse.yaml")
    assert lesson["downloads"] == [
        {
            "src": csv,
            "title": {"fr": "modèle de livre de caisse", "ar": "modèle de livre de caisse"},
        }
    ]
    # `## Ranger {#ranger}`: the attribute list goes, the heading stays.
    assert "## Ranger\n" in (folder / "les-pieces-justificatives.fr.md").read_text(encoding="utf-8")
    # The Arabic text is a note, in Arabic, that links to the French lesson.
    note = (folder / "le-livre-de-caisse.ar.md").read_text(encoding="utf-8")
    assert "غير مترجم" in note
    assert "(../../../../fr/academy/tenir-les-comptes/le-livre-de-caisse/)" in note


def test_the_command_checks_and_the_course_builds(
    minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "mkdocs", str(CONFIG), "--course", COURSE]) == 0
    out = capsys.readouterr().out
    assert "3 modules, 5 lessons, 2 media files" in out
    assert "Review before publishing" in out and "`audience` and `level` are defaults" in out
    assert "taawun check: content has no errors" in out
    assert check(minimal_site).report.problems == []

    output = minimal_site.parent / "public"
    build(minimal_site, output, search=False)
    fr = output / "fr" / "academy" / COURSE
    outline = html(fr / "index.html").css_first("main")
    assert outline is not None and "Le livre de caisse" in outline.text()
    page = fr / "le-livre-de-caisse" / "index.html"
    tree = html(page)
    heading = tree.css_first("h1")
    assert heading is not None and heading.text() == "Le livre de caisse"
    text = tree.css_first(".lesson-body")
    assert text is not None and "l'argent liquide qui entre dans la coopérative" in text.text()
    img = text.css_first("picture img")
    assert img is not None
    assert img.attributes["alt"] == "Une page de livre de caisse avec ses colonnes"
    assert (img.attributes["width"], img.attributes["height"]) == ("480", "270")
    sources = [img.attributes["src"] or ""]
    webp = text.css_first("picture source")
    assert webp is not None
    sources += [item.split()[0] for item in (webp.attributes["srcset"] or "").split(", ")]
    for url in sources:
        assert (output / url.lstrip("/")).is_file(), url
    links = {a.text(): a.attributes["href"] or "" for a in text.css("a")}
    download = links["modèle de livre de caisse"]
    assert (output / download.lstrip("/")).read_bytes().startswith(b"date,description")
    target = posixpath.normpath(
        posixpath.join(
            "/fr/academy/tenir-les-comptes/le-livre-de-caisse/", links["les pièces justificatives"]
        )
    )
    assert (output / target.lstrip("/") / "index.html").is_file()
    ar = html(output / "ar" / "academy" / COURSE / "le-livre-de-caisse" / "index.html")
    link = ar.css_first(".lesson-body a")
    assert link is not None
    href = posixpath.normpath(
        posixpath.join(
            "/ar/academy/tenir-les-comptes/le-livre-de-caisse/", link.attributes["href"] or ""
        )
    )
    assert href == "/fr/academy/tenir-les-comptes/le-livre-de-caisse"


def test_a_project_without_nav_is_taken_in_mkdocs_order(tmp_path: Path, minimal_site: Path) -> None:
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    docs = tmp_path / "cours" / "docs"
    pages = {
        "index.md": "# مرحبا\n\nدورة قصيرة عن تسيير التعاونية.\n",
        "التسويق.md": "# التسويق\n\nكيف نبيع منتجات التعاونية في السوق.\n",
        "alpha.md": "# البداية\n\nأول خطوة هي جمع الأعضاء. [فارغ](partie-deux/vide.md)\n",
        "partie-deux/vide.md": "# فارغ\n",
        "partie-deux/b.md": "# الدرس الثاني\n\nنص الدرس الثاني.\n",
        "partie-deux/a.md": "نص بلا عنوان.\n",
    }
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    config = tmp_path / "cours" / "mkdocs.yml"
    config.write_text("site_name: تسيير التعاونية\n", encoding="utf-8")

    imported = import_mkdocs(config, "tasyir", minimal_site, today=TODAY)
    plan = imported.plan
    assert plan.lang == "ar"  # no theme language: most letters are Arabic
    # The same pages in the same order as MkDocs' own navigation without a nav.
    project = load_project(config)
    from mkdocs.config import load_config

    mk = load_config(str(config))
    mk_pages = [p.file.src_uri for p in get_navigation(get_files(mk), mk).pages]
    # … less the page with nothing but its title, which is no lesson (links to it become text).
    assert [lesson.source for lesson in plan.lessons] == [
        page for page in mk_pages if page != "partie-deux/vide.md"
    ]
    assert any("partie-deux/vide.md: no text besides its title" in n for n in imported.notes)
    alpha = next(lesson for lesson in plan.lessons if lesson.source == "alpha.md")
    assert alpha.body.endswith("الأعضاء. فارغ\n")
    assert project.nav is None
    # Each folder is one module; the pages around them, one more, named after its first page.
    assert [(m.title, len(m.lessons)) for m in plan.modules] == [("مرحبا", 3), ("Partie deux", 2)]
    assert plan.modules[0].review and not plan.modules[1].review
    ids = [lesson.id for lesson in plan.lessons]
    # Arabic titles give no ASCII id: the file name does, else `lecon`.
    assert ids[0] == "index" and "alpha" in ids and "lecon" in ids and "b" in ids
    assert plan.lessons[-2].title == "A"  # no heading: the file name, as MkDocs does
    course_dir = minimal_site / "academy" / "tasyir"
    lesson = plan.lessons[1]
    folder = course_dir / plan.modules[0].id
    assert (folder / f"{lesson.id}.ar.md").read_text(encoding="utf-8").strip() != ""
    note = (folder / f"{lesson.id}.fr.md").read_text(encoding="utf-8")
    assert "pas encore traduite en français" in note
    assert f"(../../../../ar/academy/tasyir/{lesson.id}/)" in note
    assert check(minimal_site).report.problems == []


def test_an_existing_course_is_kept_unless_forced(
    minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["import", "mkdocs", str(CONFIG), "--course", COURSE]
    assert main(command) == 0
    course_yaml = minimal_site / "academy" / COURSE / "course.yaml"
    course_yaml.write_text(course_yaml.read_text(encoding="utf-8") + "# edited\n", "utf-8")
    capsys.readouterr()
    assert main(command) == 2
    err = capsys.readouterr().err
    assert f"academy/{COURSE} already exists" in err and "--force" in err
    assert course_yaml.read_text(encoding="utf-8").endswith("# edited\n")
    stray = minimal_site / "media" / "academy" / COURSE / "old.png"
    stray.write_bytes(b"old")
    assert main([*command, "--force"]) == 0
    assert not course_yaml.read_text(encoding="utf-8").endswith("# edited\n")
    assert not stray.exists()  # the course's media were replaced too
    assert not list((minimal_site / "academy").glob(".*"))  # no staging folder left


def test_errors_elsewhere_in_the_site_exit_1_and_keep_the_course(
    minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (minimal_site / "pages" / "about.fr.md").write_text("", encoding="utf-8")
    assert main(["import", "mkdocs", str(CONFIG), "--course", COURSE]) == 1
    err = capsys.readouterr().err
    assert "about.fr.md:1:1: this text is empty" in err
    assert "taawun check found errors" in err
    assert (minimal_site / "academy" / COURSE / "course.yaml").is_file()


def test_an_existing_course_id_of_the_site_is_refused(
    minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "mkdocs", str(CONFIG), "--course", "bases"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (minimal_site / "academy" / "bases" / "premiers-pas" / "module.yaml").is_file()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing/mkdocs.yml", "--course", COURSE], "missing/mkdocs.yml does not exist"),
        ([str(CONFIG), "--course", "Tenir Comptes"], "`Tenir Comptes` is not a valid course id"),
        ([str(CONFIG), "--course", COURSE, "--content", "nowhere"], "nowhere is not a content"),
    ],
    ids=["missing-mkdocs-yml", "bad-id", "no-content-folder"],
)
def test_usage_errors_exit_2(
    minimal_site: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert main(["import", "mkdocs", *arguments]) == 2
    assert message in capsys.readouterr().err
    assert not (minimal_site / "academy" / COURSE).exists()


def test_without_mkdocs_the_command_says_how_to_install_it(
    minimal_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mkdocs.structure.files", None)  # makes the import fail
    assert main(["import", "mkdocs", str(CONFIG), "--course", COURSE]) == 2
    assert "pip install 'taawun[import]'" in capsys.readouterr().err


def test_a_language_other_than_french_or_arabic_needs_lang(
    tmp_path: Path, minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "en"
    shutil.copytree(PROJECT, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("language: fr", "language: en"), "utf-8")
    assert main(["import", "mkdocs", str(config), "--course", COURSE]) == 2
    assert "pass --lang fr or --lang ar" in capsys.readouterr().err
    assert main(["import", "mkdocs", str(config), "--course", COURSE, "--lang", "fr"]) == 0


def test_an_invalid_mkdocs_yml_is_a_usage_error(
    tmp_path: Path, minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Cours\nnav: 12\n", encoding="utf-8")
    assert main(["import", "mkdocs", str(config), "--course", COURSE]) == 2
    assert "`nav`" in capsys.readouterr().err


def test_ids_that_yaml_would_misread_are_quoted(tmp_path: Path, minimal_site: Path) -> None:
    docs = tmp_path / "cours" / "docs"
    docs.mkdir(parents=True)
    (docs / "a.md").write_text("# No\n\nUne leçon.\n", encoding="utf-8")
    (docs / "b.md").write_text("# Module\n\nUne autre leçon.\n", encoding="utf-8")
    config = tmp_path / "cours" / "mkdocs.yml"
    config.write_text('site_name: Cours\nnav:\n  - "2024":\n      - a.md\n      - b.md\n', "utf-8")
    import_mkdocs(config, "cours", minimal_site, today=TODAY)
    module = read_yaml(minimal_site / "academy" / "cours" / "2024" / "module.yaml")
    # `no` would be false and 2024 a number; `module` is the module's own file name.
    assert module["id"] == "2024" and module["lessons"] == ["no", "module-2"]
    assert check(minimal_site).report.problems == []


# -- the page conversion ---------------------------------------------------------------------------


def converted(tmp_path: Path, text: str, files: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    links = Links(
        "partie/page.md",
        {"partie/autre.md": "autre", "index.md": "accueil"},
        {"partie/autre.md", "index.md", "partie/hors-nav.md"},
        Media(tmp_path, "media/academy/c"),
    )
    page = convert(text, links, "fr")
    return page.body, page.notes


def test_code_is_left_as_written(tmp_path: Path) -> None:
    text = "Voir [autre](autre.md).\n\n```md\n[autre](autre.md) {: .x }\n!!! note\n```\n\nEt `[a](autre.md)`.\n"
    body, _ = converted(tmp_path, text)
    assert body == (
        "Voir [autre](../autre/).\n\n```md\n[autre](autre.md) {: .x }\n!!! note\n```\n\n"
        "Et `[a](autre.md)`.\n"
    )


def test_links_that_cannot_be_kept_become_text_with_a_note(tmp_path: Path) -> None:
    text = (
        "[Accueil](../index.md), [ailleurs](hors-nav.md), [perdu](perdu.pdf), "
        "[ici](#section), [site](https://example.org/a.md) et ![anim](anim.gif).\n"
    )
    body, notes = converted(tmp_path, text, ("partie/anim.gif",))
    assert body == (
        "[Accueil](../accueil/), ailleurs, perdu, ici, [site](https://example.org/a.md) et anim.\n"
    )
    assert len(notes) == 4
    assert any("is not a lesson" in n for n in notes) and any("no such file" in n for n in notes)
    assert any("not JPEG, PNG, WebP or SVG" in n for n in notes)


def test_headings_html_and_front_matter(tmp_path: Path) -> None:
    text = "---\ntitle: Titre écrit\n---\n\nIntro.\n\n# Partie\n\n## Détail\n\n<b>gras</b>\n"
    page = convert(text, Links("p.md", {}, set(), Media(tmp_path, "media/academy/c")), "fr")
    assert page.title == "Titre écrit"
    assert page.body == "Intro.\n\n## Partie\n\n### Détail\n\n<b>gras</b>\n"  # one h1 per page
    assert any("HTML tag(s), like `<b>`" in note for note in page.notes)


def test_admonitions_become_block_quotes(tmp_path: Path) -> None:
    text = '- point\n\n    !!! warning ""\n        Sans titre.\n\n??? example\n    Un exemple.\nSuite.\n'
    body, _ = converted(tmp_path, text)
    assert body == ("- point\n\n    > Sans titre.\n\n> **Exemple**\n>\n> Un exemple.\n\nSuite.\n")
