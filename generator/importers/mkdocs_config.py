"""Reading mkdocs.yml with MkDocs' own configuration loader (its defaults, `INHERIT`, `!ENV`,
validation), so `nav`, `docs_dir` and `site_name` mean here exactly what they mean to MkDocs.

MkDocs is imported only here, and only when a command needs it: it is an optional dependency
(`pip install 'taawun[import]'`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import UsageError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

INSTALL = "python -m pip install 'taawun[import]'"
# Options that may name packages not installed here (the Material theme, plugins, Markdown
# extensions): read without them, each with what that means for the import.
REPLACEABLE: dict[str, tuple[object, str]] = {
    "theme": ({"name": "mkdocs"}, "a theme changes how pages look, not what they say"),
    "plugins": ([], "a plugin that changes the nav or the pages is not applied"),
    "markdown_extensions": ([], "the pages are read as CommonMark; what differs is noted below"),
}


@dataclass
class Project:
    """What mkdocs.yml says, as MkDocs understands it."""

    config_file: Path
    site_name: str
    description: str
    copyright: str
    docs_dir: Path
    nav: list[Any] | None
    language: str  # the theme's `language` (or `locale`), "" when not set
    pages: list[str]  # every Markdown page in docs_dir, in MkDocs' order
    nav_pages: list[str]  # the pages MkDocs would list when there is no nav
    notes: list[str] = field(default_factory=list)


def load_project(config_file: Path) -> Project:
    if not config_file.is_file():
        raise UsageError(f"{config_file} does not exist: give the path of the course's mkdocs.yml")
    try:
        from mkdocs.exceptions import ConfigurationError
        from mkdocs.structure.files import InclusionLevel, get_files
    except ImportError:
        raise UsageError(f"importing from MkDocs needs the `mkdocs` package: {INSTALL}") from None
    notes: list[str] = []
    with _mkdocs_log(notes):
        try:
            config, raw_theme = _load_config(config_file, notes)
        except ConfigurationError as error:
            raise UsageError(f"{config_file}: {error}") from None
        files = get_files(config)
    theme = raw_theme if isinstance(raw_theme, dict) else {}
    pages = [f.src_uri for f in files.documentation_pages()]
    in_nav = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_nav)]
    return Project(
        config_file=config_file,
        site_name=config.site_name,
        description=config.site_description or "",
        copyright=config.copyright or "",
        docs_dir=Path(config.docs_dir),
        nav=config.nav,
        language=str(theme.get("language") or theme.get("locale") or ""),
        pages=pages,
        nav_pages=in_nav,
        notes=notes,
    )


def _load_config(config_file: Path, notes: list[str]) -> tuple[MkDocsConfig, object]:
    """mkdocs.yml validated by MkDocs; a theme or plugins not installed here are replaced by
    MkDocs' defaults, with a note (``mkdocs.config.load_config`` would stop there)."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError

    overrides: dict[str, Any] = {}
    while True:
        config = MkDocsConfig(config_file_path=str(config_file))
        with config_file.open("rb") as handle:
            config.load_file(handle)
        raw_theme = config.get("theme")
        config.load_dict(overrides)
        errors, _ = config.validate()
        replaceable = [(key, e) for key, e in errors if key in REPLACEABLE and key not in overrides]
        if not errors:
            return config, raw_theme
        if not replaceable or len(replaceable) < len(errors):
            raise ConfigurationError(
                "; ".join(
                    f"`{key}`: {' '.join(str(error).split())}"
                    for key, error in errors
                    if key not in overrides
                )
            )
        for key, error in replaceable:
            overrides[key], meaning = REPLACEABLE[key]
            notes.append(
                f"mkdocs.yml: `{key}`: {' '.join(str(error).split())} — left out: {meaning}"
            )


@contextmanager
def _mkdocs_log(notes: list[str]) -> Iterator[None]:
    """MkDocs' warnings become notes of the import instead of lines on the terminal."""

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notes.append(f"MkDocs: {record.getMessage()}")

    logger = logging.getLogger("mkdocs")
    handler = Collect(logging.WARNING)
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved
