"""Tests of the quality checkers themselves, on tiny hand-made pages.

They run the real tools (java + vnu.jar, Chromium + axe-core) and never skip: a machine
without them fails with a RuntimeError that says what to install.
"""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from . import checkers
from .checkers import axe_violations, format_violations, serve_directory, vnu_errors

CLEAN_PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Clean page</title>
</head>
<body>
<main>
<h1>Argan oil cooperative</h1>
<p>Hand-pressed in Tiznit.</p>
</main>
</body>
</html>
"""

# Line 9 holds a <div> inside a <span>: a content-model error.
DIV_IN_SPAN_PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Broken page</title>
</head>
<body>
<main>
<div><span><div>block in inline</div></span></div>
</main>
</body>
</html>
"""

PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
IMG_WITHOUT_ALT_PAGE = CLEAN_PAGE.replace(
    "<p>Hand-pressed in Tiznit.</p>", f'<p>Hand-pressed in Tiznit.</p>\n<img src="{PIXEL}">'
)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- vnu


def test_vnu_valid_page_has_no_errors(tmp_path: Path) -> None:
    page = _write(tmp_path / "index.html", CLEAN_PAGE)
    assert vnu_errors([page]) == []


def test_vnu_reports_div_in_span_with_file_and_line(tmp_path: Path) -> None:
    page = _write(tmp_path / "broken.html", DIV_IN_SPAN_PAGE)
    errors = vnu_errors([page])
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{page}:9: "), errors
    assert "div" in errors[0] and "span" in errors[0], errors


def test_vnu_reports_duplicate_id(tmp_path: Path) -> None:
    text = CLEAN_PAGE.replace("<h1>", '<h1 id="x">').replace("<p>", '<p id="x">')
    page = _write(tmp_path / "dup.html", text)
    errors = vnu_errors([page])
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{page}:10: ") and "Duplicate ID" in errors[0], errors


def test_vnu_checks_many_files_in_one_java_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arabic and Tifinagh directory names with spaces: vnu reports percent-encoded file: URLs.
    pages = [
        _write(tmp_path / "ar" / "تعاونية ١" / f"p{i:03}.html", CLEAN_PAGE) for i in range(150)
    ]
    pages += [
        _write(tmp_path / "zgh" / "ⵜⴰⵎⵙⵙⵓⴷⵙⵜ" / f"p{i:03}.html", CLEAN_PAGE) for i in range(150)
    ]
    bad = [pages[7], pages[222]]
    for p in bad:
        p.write_text(DIV_IN_SPAN_PAGE, encoding="utf-8")

    calls: list[list[str]] = []
    real_run = subprocess.run

    def spy(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        return real_run(cmd, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(subprocess, "run", spy)
    errors = vnu_errors(pages)

    assert len(calls) == 1, "expected one java invocation for all files"
    assert [e.split(":", 1)[0] for e in errors] == [str(p) for p in bad], errors
    assert all(e.split(":")[1] == "9" for e in errors), errors


def test_vnu_refuses_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.html"):
        vnu_errors([tmp_path / "nope.html"])


def test_vnu_without_java_names_the_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _write(tmp_path / "index.html", CLEAN_PAGE)
    monkeypatch.setattr(checkers, "JAVA", "no-such-java-for-taawun")
    with pytest.raises(RuntimeError, match=r"java.*default-jre-headless"):
        vnu_errors([page])


def test_vnu_without_jar_names_the_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _write(tmp_path / "index.html", CLEAN_PAGE)
    monkeypatch.setattr(checkers, "VNU_JAR", tmp_path / "missing" / "vnu.jar")
    with pytest.raises(RuntimeError, match=r"vnu\.jar.*npm ci --ignore-scripts --prefix tools"):
        vnu_errors([page])


# --------------------------------------------------------------------------- server


def test_serve_directory_serves_index_html(tmp_path: Path) -> None:
    _write(tmp_path / "index.html", CLEAN_PAGE)
    _write(tmp_path / "ar" / "index.html", DIV_IN_SPAN_PAGE)
    with serve_directory(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        with urllib.request.urlopen(base) as resp:
            assert resp.read().decode() == CLEAN_PAGE
        with urllib.request.urlopen(base + "ar/") as resp:
            assert resp.read().decode() == DIV_IN_SPAN_PAGE
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(base + "missing/")
        assert info.value.code == 404
        info.value.close()


# --------------------------------------------------------------------------- axe


@pytest.fixture
def site(tmp_path: Path) -> Path:
    _write(tmp_path / "index.html", CLEAN_PAGE)
    _write(tmp_path / "img" / "index.html", IMG_WITHOUT_ALT_PAGE)
    return tmp_path


def test_axe_clean_page_and_img_without_alt(site: Path) -> None:
    with serve_directory(site) as base:
        found = axe_violations(base, ["/", "/img/"])

    assert set(found) == {"/", "/img/"}
    assert found["/"] == [], format_violations(found)
    ids = {v["id"] for v in found["/img/"]}
    assert ids == {"image-alt"}, format_violations(found)
    (violation,) = found["/img/"]
    assert violation["impact"] == "critical"
    assert violation["targets"] == ["img"]
    assert violation["node_count"] == 1


def test_axe_refuses_a_missing_page(site: Path) -> None:
    with serve_directory(site) as base, pytest.raises(RuntimeError, match="404"):
        axe_violations(base, ["/missing/"])


def test_axe_without_chromium_names_the_tool(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkers, "CHROMIUM", site / "no-chromium")
    with pytest.raises(RuntimeError, match=r"chromium.*apt-get install"):
        axe_violations("http://127.0.0.1:9/", ["/"])


def test_axe_without_axe_core_names_the_tool(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkers, "AXE_JS", site / "no-axe.min.js")
    with pytest.raises(RuntimeError, match=r"axe.*npm ci --ignore-scripts --prefix tools"):
        axe_violations("http://127.0.0.1:9/", ["/"])
