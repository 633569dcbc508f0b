"""The one Jinja2 environment: strict undefined, autoescape, the theme's filters and UI strings."""

from __future__ import annotations

from pathlib import Path
from stat import S_ISREG

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .assets import AssetManifest
from .i18n import Messages

# In the source tree the theme sits beside the package (themes/default); an installed package
# carries it inside, as generator/themes/default (pyproject.toml, package-dir).
_HERE = Path(__file__).resolve().parent
DEFAULT_THEME = next(
    (
        folder
        for folder in (_HERE / "themes" / "default", _HERE.parent / "themes" / "default")
        if folder.is_dir()
    ),
    _HERE.parent / "themes" / "default",
)


class Theme:
    def __init__(self, folder: Path = DEFAULT_THEME) -> None:
        self.folder = folder
        self.static = folder / "static"
        self.messages = Messages(folder / "i18n")
        self.env = Environment(
            loader=FileSystemLoader(folder / "templates"),
            autoescape=select_autoescape(["html", "xml"], default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # A global, not a render() argument: every template (and the chooser) sees the same one.
        self.env.globals["asset"] = self.asset
        self._assets: AssetManifest | None = None
        self._assets_key: tuple[tuple[str, int, int], ...] = ()

    @property
    def assets(self) -> AssetManifest:
        """The minified, fingerprinted static files, computed on first use and then kept.

        ``asset()`` runs several times per page, so it must not touch the disk: it reads this
        memo. ``refresh_assets()`` (called by ``publish_assets``, once per build) notices edits.
        """
        if self._assets is None:
            return self.refresh_assets()
        return self._assets

    def refresh_assets(self) -> AssetManifest:
        """Recompute the manifest if a file under static/ changed since it was computed.

        The check is a stat per file, so a Theme kept across rebuilds (the dev server, incremental
        builds) picks up an edited stylesheet without re-reading anything that did not change.
        """
        key = self._static_key()
        if self._assets is None or key != self._assets_key:
            self._assets = AssetManifest.from_folder(self.static)
            self._assets_key = key
        return self._assets

    def asset(self, name: str) -> str:
        """``{{ asset('css/site.css') }}`` → ``/static/css/site.<hash>.css``; unknown names raise."""
        return self.assets.url(name)

    def _static_key(self) -> tuple[tuple[str, int, int], ...]:
        key: list[tuple[str, int, int]] = []
        for path in sorted(self.static.rglob("*")):
            info = path.stat()
            if S_ISREG(info.st_mode):
                key.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(key)
