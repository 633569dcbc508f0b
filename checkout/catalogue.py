"""The built site's ``catalogue.json``: the only source of prices, limits and delivery terms.

Loaded from a folder (``public/``) or a URL, checked for the schema version this service speaks,
and kept as plain, read-only data. A new build is picked up without a restart: :class:`CatalogueSource`
looks at the file's modification time (or the URL's ETag) and loads the new one whole.
"""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 3


class CatalogueError(RuntimeError):
    """The catalogue is missing or not one this service can use."""


@dataclass(frozen=True)
class Sku:
    sku: str
    product: str
    cooperative: str
    names: dict[str, str]
    unit_price: int
    availability: str
    stock: int | None  # None: the cooperative does not count it (made to order, say)
    max_per_order: int
    urls: dict[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("fr") or next(iter(self.names.values()))


@dataclass(frozen=True)
class Delivery:
    zones: str | tuple[str, ...]  # "national" or the regions it delivers to
    fee: int
    free_from: int | None
    cod: bool
    cod_max: int | None

    def reaches(self, region: str) -> bool:
        return self.zones == "national" or region in self.zones

    def fee_for(self, items: int) -> int:
        return 0 if self.free_from is not None and items >= self.free_from else self.fee


@dataclass(frozen=True)
class Cooperative:
    id: str
    names: dict[str, str]
    delivery: Delivery

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get("fr") or self.id


@dataclass(frozen=True)
class Catalogue:
    hash: str
    currency: str
    base_url: str
    languages: tuple[str, ...]
    regions: dict[str, dict[str, str]]
    skus: dict[str, Sku]
    cooperatives: dict[str, Cooperative]
    # What a submission may refer to (checkout/submissions.py): each region's provinces, the
    # sectors' and the categories' names.
    provinces: dict[str, tuple[str, ...]]
    sectors: dict[str, dict[str, str]]
    categories: dict[str, dict[str, str]]

    def region_name(self, region: str, lang: str) -> str:
        names = self.regions.get(region, {})
        return names.get(lang) or names.get("fr") or region


def parse(raw: bytes, origin: str = "catalogue.json") -> Catalogue:
    try:
        data: dict[str, Any] = json.loads(raw)
    except ValueError as error:
        raise CatalogueError(
            f"{origin} is not valid JSON ({error}); build the site again"
        ) from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != SCHEMA_VERSION:
        raise CatalogueError(
            f"{origin} has schema version {version!r}; this checkout service reads version "
            f"{SCHEMA_VERSION}. Build the site with the same Taawun version as the service"
        )
    try:
        cooperatives = {
            coop_id: Cooperative(
                id=coop_id,
                names=entry["name"],
                delivery=Delivery(
                    zones=(
                        "national"
                        if entry["delivery"]["zones"] == "national"
                        else tuple(entry["delivery"]["zones"])
                    ),
                    fee=entry["delivery"]["fee"],
                    free_from=entry["delivery"]["free_from"],
                    cod=entry["delivery"]["cod"],
                    cod_max=entry["delivery"]["cod_max"],
                ),
            )
            for coop_id, entry in data["cooperatives"].items()
        }
        skus = {
            sku: Sku(
                sku=sku,
                product=entry["product"],
                cooperative=entry["cooperative"],
                names=entry["name"],
                unit_price=entry["unit_price"],
                availability=entry["availability"],
                stock=entry["stock"],
                max_per_order=entry["max_per_order"],
                urls=entry["urls"],
            )
            for sku, entry in data["skus"].items()
        }
        return Catalogue(
            hash=hashlib.sha256(raw).hexdigest()[:16],
            currency=data["currency"],
            base_url=data["base_url"].rstrip("/"),
            languages=tuple(data["languages"]),
            regions=data["regions"],
            skus=skus,
            cooperatives=cooperatives,
            provinces={region: tuple(ids) for region, ids in data["provinces"].items()},
            sectors=data["sectors"],
            categories={key: entry["name"] for key, entry in data["categories"].items()},
        )
    except (KeyError, TypeError) as error:
        raise CatalogueError(f"{origin} lacks {error}; build the site again") from None


class CatalogueSource:
    """Where the catalogue comes from, and the latest one loaded from there."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._lock = threading.Lock()
        self._stamp: object = None
        first = self._load_fresh(force=True)
        assert first is not None  # force=True raises rather than return None
        self.current: Catalogue = first

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    def _path(self) -> Path:
        path = Path(self.location)
        return path / "catalogue.json" if path.is_dir() or not path.suffix else path

    def changed(self) -> Catalogue | None:
        """The catalogue at the source if it differs from the current one, else None.
        The caller makes it current (after seeding its stock) with :meth:`install`."""
        with self._lock:
            fresh = self._load_fresh(force=False)
        if fresh is None or fresh.hash == self.current.hash:
            return None
        return fresh

    def install(self, catalogue: Catalogue) -> None:
        self.current = catalogue

    def _load_fresh(self, force: bool) -> Catalogue | None:
        if self.is_url:
            return self._fetch(force)
        path = self._path()
        try:
            stat = path.stat()
        except FileNotFoundError:
            if force:
                raise CatalogueError(
                    f"{path} does not exist: run `taawun build` first, or point --site at the "
                    "built site"
                ) from None
            return None  # a deploy in progress; keep the one we have
        stamp = (stat.st_mtime_ns, stat.st_size)
        if not force and stamp == self._stamp:
            return None
        catalogue = parse(path.read_bytes(), str(path))
        self._stamp = stamp
        return catalogue

    def _fetch(self, force: bool) -> Catalogue | None:
        request = urllib.request.Request(self.location, headers={"Accept": "application/json"})
        if not force and isinstance(self._stamp, str):
            request.add_header("If-None-Match", self._stamp)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                etag = response.headers.get("ETag")
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return None
            if force:
                raise CatalogueError(f"{self.location} answered {error.code}") from None
            return None
        except OSError as error:
            if force:
                raise CatalogueError(f"{self.location} could not be read: {error}") from None
            return None
        self._stamp = etag
        return parse(raw, self.location)
