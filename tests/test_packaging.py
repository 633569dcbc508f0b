"""The package as `pip install` gives it (not the editable source tree): the theme, the message
catalogues and the schema texts travel inside it, and `taawun build` works from the wheel.

The content repositories' CI (docs/ci/content-check.yml) installs Taawun this way, so a file
left out of the wheel breaks every cooperative's pull request while the editable install used
for development works.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "sites" / "minimal" / "content"


def test_every_python_package_of_the_source_is_listed() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("generator", "checkout")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert listed - found == {"generator.themes"}  # the theme, mapped from themes/


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the build writes build/ and *.egg-info)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("generator", "checkout", "themes"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = source / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(dist)],
        cwd=source,
        capture_output=True,
        text=True,
    )
    if built.returncode and "No matching distribution found for setuptools" in built.stderr:
        pytest.skip("pip cannot fetch setuptools>=69 for the isolated build: no package index")
    assert built.returncode == 0, built.stderr
    [found] = dist.glob("taawun-*.whl")
    return found


def test_the_wheel_carries_the_theme_and_the_catalogues(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = ROOT / "themes" / "default"
    for path in theme.rglob("*"):
        if path.is_file():
            assert f"generator/themes/default/{path.relative_to(theme).as_posix()}" in names
    for catalogue in ("messages/ar.yaml", "messages/fr.yaml", "schema_text/ar.yaml"):
        assert f"generator/{catalogue}" in names


def test_taawun_builds_and_checks_in_arabic_from_the_installed_wheel(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target, wheel],
        check=True,
    )
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    # `-S`: no site-packages, so no .pth file puts the editable source tree back on the path;
    # the dependencies' folder is added after the installed wheel.
    script = (
        "import sys; sys.path[:0] = sys.argv[1:3]; del sys.argv[1:3]\n"
        "import generator; assert generator.__file__.startswith(sys.path[0]), generator.__file__\n"
        "from generator.cli import main; sys.exit(main())\n"
    )
    dependencies = site.getsitepackages()[0]

    def taawun(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-S", "-c", script, str(target), dependencies, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "TAAWUN_LANG": "en"},
        )

    built = taawun("build", "--content", "content", "--output", "out", "--no-search", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    page = HTMLParser((tmp_path / "out" / "fr" / "sell" / "index.html").read_text())
    assert page.css_first("form") is not None and page.css_first("html").attributes["lang"] == "fr"
    assert list((tmp_path / "out" / "static" / "css").glob("site.*.css"))

    (content / "site.yaml").write_text(
        (content / "site.yaml").read_text() + "unknown_setting: 1\n", encoding="utf-8"
    )
    checked = taawun("check", "--content", "content", "--lang", "ar")
    assert checked.returncode == 1
    assert "unknown_setting" in checked.stderr and "مفتاح" in checked.stderr, checked.stderr
