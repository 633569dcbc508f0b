"""What each page is made of, as one digest per page: an incremental build re-renders a page only
when its digest changed since the last build.

A page's digest covers (1) the site-wide inputs every page shows (site.yaml, the data files, the
menu pages, the UI strings, the asset URLs, the generator's own code), (2) its template and every
template that one includes, imports or extends, (3) its place in the plan (URL, pager position,
the languages it exists in) and (4) the entries it shows, each by the digest of its YAML file,
its Markdown texts and its images. (4) is declared per page kind below, next to nothing else, and
must name everything the kind's view in render.py reads: tests/test_incremental.py edits entries
of every kind and compares the incremental output with a clean build byte for byte.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from jinja2 import Environment, meta

from . import (
    academy,
    academy_files,
    bodymedia,
    i18n,
    ideas,
    offline,
    regionfigures,
    sellform,
    stats,
)
from .images import ImageStore
from .models import Cooperative, Product
from .render import REGION_PREVIEW
from .site import Site
from .theme import Theme
from .urls import PageSpec, Plan

GENERATOR = Path(__file__).resolve().parent
T = TypeVar("T")
Tokens = Iterator[str]
Declared = Callable[["Fingerprints", PageSpec], Iterable[str]]
DEPENDS: dict[str, Declared] = {}


def depends(*kinds: str) -> Callable[[Declared], Declared]:
    def register(fn: Declared) -> Declared:
        for kind in kinds:
            DEPENDS[kind] = fn
        return fn

    return register


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=12).hexdigest()


def code_digest() -> str:
    """The generator's own source: a new Taawun version never reuses pages of the old one."""
    return _digest(*(_file_digest(p) for p in sorted(GENERATOR.rglob("*.py"))))


# Template source digest → the templates it names. Parsing a template costs milliseconds and the
# dev server fingerprints every page on each rebuild, so each version of a template is parsed once.
_REFERENCED: dict[str, tuple[str, ...]] = {}


def _references(env: Environment, source: str, digest: str) -> tuple[str, ...]:
    found = _REFERENCED.get(digest)
    if found is None:
        names = meta.find_referenced_templates(env.parse(source))
        found = _REFERENCED[digest] = tuple(n for n in names if n)
    return found


class Fingerprints:
    def __init__(self, site: Site, plan: Plan, theme: Theme, images: ImageStore) -> None:
        self.site = site
        self.plan = plan
        self.theme = theme
        self.images = images
        self._entities: dict[tuple[str, str], str] = {}
        self._templates: dict[str, str] = {}
        self._products: dict[str, str] = {}
        self.listings: dict[tuple[str, str, str, int], str] = {}  # listing page → its products
        # Cards are rendered from card.html by Renderer.card, whichever page shows them.
        self.site_wide = _digest(self._site_wide(), self.template("card.html"))
        self.counts = self._counts()

    # -- the parts -------------------------------------------------------------------------------

    def _site_wide(self) -> str:
        root = self.site.content_root
        files = [root / "site.yaml", *sorted((root / "data").glob("*.yaml"))]
        files += sorted((self.theme.folder / "i18n").glob("*.yaml"))
        pages = [self.entity("page", key) for key in self.site.pages]  # the menu and footer
        assets = [f"{name}={asset.url}" for name, asset in sorted(self.theme.assets.items())]
        return _digest(
            code_digest(),
            *(_file_digest(f) for f in files if f.is_file()),
            *pages,
            *assets,
            self.site.today.isoformat(),  # label validity is shown relative to the build date
        )

    def _counts(self) -> str:
        """The facet and statistics numbers that listings and the home page show."""
        site = self.site
        return _digest(
            *(f"c:{k}:{len(v)}" for k, v in sorted(site.products_by_category.items())),
            *(f"r:{k}:{len(v)}" for k, v in sorted(site.products_by_region.items())),
            *(f"l:{k}:{len(v)}" for k, v in sorted(site.products_by_label.items())),
            *(f"cr:{k}:{len(v)}" for k, v in sorted(site.cooperatives_by_region.items())),
            *(f"pr:{k}:{len(v)}" for k, v in sorted(site.projects_by_region.items())),
            f"w:{len(site.products_women_led)}:y:{len(site.products_youth_led)}",
            f"{len(site.cooperatives)}:{len(site.products)}:{len(site.projects)}:{len(site.courses)}",
        )

    def entity(self, kind: str, key: str) -> str:
        """An entry's facts: its YAML file and its images (memoised). Not its long texts: those
        are shown on its own page only (see ``text``), so a new description re-renders one page.
        """
        found = self._entities.get((kind, key))
        if found is None:
            parts = [kind, key, self.site.digests.get((kind, key), "-")]
            parts.extend(self.images.digest(src) for src in self._image_sources(kind, key))
            if kind == "cooperative":  # its rating also depends on the date and what it sells
                parts.append(self.site.ratings[key].fingerprint())
            found = self._entities[(kind, key)] = _digest(*parts)
        return found

    def text(self, kind: str, key: str, lang: str) -> str:
        """The long text a page in ``lang`` shows: its own, or the fallback it falls back to."""
        bodies = self.site.bodies.get((kind, key), {})
        for candidate in i18n.fallback_chain(lang):
            if candidate in bodies:
                return f"{candidate}={bodies[candidate].digest}"
        return "-"

    def _image_sources(self, kind: str, key: str) -> list[str]:
        site = self.site
        if kind == "product":
            return [img.src for img in site.products[key].images]
        if kind == "cooperative":
            return [img.src for img in site.cooperatives[key].photos]
        if kind == "project":
            image = site.projects[key].image
            return [image.src] if image else []
        if kind == "course":
            image = site.courses[key].course.image
            return [image.src] if image else []
        return []

    def product(self, product: Product) -> str:
        """A product as a card shows it: with its cooperative's name and region (memoised)."""
        found = self._products.get(product.id)
        if found is None:
            found = self._products[product.id] = _digest(
                self.entity("product", product.id), self.entity("cooperative", product.cooperative)
            )
        return found

    def course(self, course_id: str) -> str:
        """A course with every module and lesson in it (course and lesson pages show the outline)."""
        tree = self.site.courses[course_id]
        parts = [self.entity("course", course_id)]
        for module in tree.modules:
            parts.append(self.entity("module", f"{course_id}/{module.module.id}"))
            parts.extend(
                self.entity("lesson", f"{course_id}/{lesson.id}") for lesson in module.lessons
            )
        return _digest(*parts)

    def template(self, name: str) -> str:
        """The template and, recursively, every template it extends, includes or imports."""
        found = self._templates.get(name)
        if found is None:
            env = self.theme.env
            assert env.loader is not None
            seen: dict[str, str] = {}
            todo = [name]
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                source = env.loader.get_source(env, current)[0]
                seen[current] = _digest(source)
                todo.extend(_references(env, source, seen[current]))
            found = self._templates[name] = _digest(*(f"{n}:{d}" for n, d in sorted(seen.items())))
        return found

    # -- the page --------------------------------------------------------------------------------

    def page(self, spec: PageSpec) -> str:
        languages = self.plan.languages(spec.kind, spec.key, spec.page_no, spec.order)
        return _digest(
            self.site_wide,
            self.template(spec.template),
            spec.kind,
            spec.key,
            spec.lang,
            spec.url,
            f"{spec.page_no}/{spec.page_count}",
            *(f"{lang}={url}" for lang, url in sorted(languages.items())),
            *DEPENDS[spec.kind](self, spec),
        )

    def chooser(self) -> str:
        return _digest(self.site_wide, self.template("choose.html"))


# -- what each kind of page shows (keep in step with the views in render.py) ----------------------


def _on_page(fp: Fingerprints, spec: PageSpec, items: list[T]) -> list[T]:
    """The entries a listing page shows (the slice its view takes)."""
    per = fp.site.config.items_per_page
    return items[(spec.page_no - 1) * per : spec.page_no * per]


@depends("market", "category", "label", "region_market", "women_led", "youth_led")
def _listed(fp: Fingerprints, spec: PageSpec) -> Tokens:
    # Every language shows the same products on a listing page: their digest is made once.
    place = (spec.kind, spec.key, spec.order, spec.page_no)
    found = fp.listings.get(place)
    if found is None:
        products = fp.site.listing(spec.kind, spec.key, spec.order)
        found = fp.listings[place] = _digest(
            fp.counts,  # the facets and their counts
            str(len(products)),
            *(fp.product(p) for p in _on_page(fp, spec, products)),
        )
    yield found


@depends("home")
def _home(fp: Fingerprints, spec: PageSpec) -> Tokens:
    site = fp.site
    yield fp.counts
    yield from (fp.product(p) for p in site.products_newest_first[:8])
    yield from (fp.entity("project", key) for key in list(site.projects)[:3])
    yield from (fp.entity("course", key) for key in site.courses)


@depends("regions")
def _regions(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield fp.counts


@depends("region")
def _region(fp: Fingerprints, spec: PageSpec) -> Tokens:
    site = fp.site
    shown = REGION_PREVIEW
    yield fp.counts
    coops = site.cooperatives_by_region.get(spec.key, [])
    yield from (fp.entity("cooperative", c.id) for c in coops[:shown])
    yield from (fp.product(p) for p in site.products_by_region.get(spec.key, [])[:shown])
    yield from (fp.entity("project", i.id) for i in site.projects_by_region.get(spec.key, []))
    yield repr(regionfigures.figures(site, spec.key))  # counted from every entry of the region


def _coops_listed(fp: Fingerprints, spec: PageSpec, coops: list[Cooperative]) -> Tokens:
    yield str(len(coops))
    yield from (fp.entity("cooperative", c.id) for c in _on_page(fp, spec, coops))


@depends("cooperatives")
def _cooperatives(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield from _coops_listed(fp, spec, fp.site.cooperatives_by_region_order)


@depends("region_cooperatives")
def _region_cooperatives(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield from _coops_listed(fp, spec, fp.site.cooperatives_by_region[spec.key])


@depends("cooperative")
def _cooperative(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield fp.entity("cooperative", spec.key)
    yield fp.text("cooperative", spec.key, spec.lang)
    yield from (fp.product(p) for p in fp.site.products_by_cooperative.get(spec.key, []))


@depends("product")
def _product(fp: Fingerprints, spec: PageSpec) -> Tokens:
    site = fp.site
    product = site.products[spec.key]
    yield fp.product(product)
    yield fp.text("product", spec.key, spec.lang)
    related = [
        p for p in site.products_by_cooperative.get(product.cooperative, []) if p.id != product.id
    ]
    yield from (fp.product(p) for p in related[:4])


def _idea_counts(fp: Fingerprints) -> str:
    """The facet values and their counts that every idea listing shows in its sidebar."""
    bank = ideas.index(fp.site)
    return ",".join(f"{key}:{len(bank.listing(key))}" for key in bank.listings())


@depends("projects", "projects_facet")
def _projects(fp: Fingerprints, spec: PageSpec) -> Tokens:
    listed = ideas.index(fp.site).listing(spec.key)
    yield _idea_counts(fp)
    yield str(len(listed))
    yield from (fp.entity("project", idea.id) for idea in _on_page(fp, spec, listed))


@depends("projects_data")
def _projects_data(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield _idea_counts(fp)
    yield from (fp.entity("project", key) for key in fp.site.projects)


@depends("project")
def _project(fp: Fingerprints, spec: PageSpec) -> Tokens:
    idea = fp.site.projects[spec.key]
    yield fp.entity("project", spec.key)
    yield fp.text("project", spec.key, spec.lang)
    named = [*idea.courses, *(s.course for s in idea.skills if s.course)]
    yield from (fp.entity("course", c) for c in named if c in fp.site.courses)


@depends("academy", "academy_filter")
def _academy(fp: Fingerprints, spec: PageSpec) -> Tokens:
    # Every page of the catalogue shows every filter with its count, so every course.
    yield from (fp.course(key) for key in fp.site.courses)


@depends("course", "attestation")
def _course(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield fp.course(spec.key)
    # Each lesson's content hash (its text in every language) is in the outline, for academy.js.
    yield from academy.lesson_hashes(fp.site, spec.key).values()


@depends("module")
def _module(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield fp.course(spec.key.split("/")[0])  # the course's outline: its modules and lessons


@depends("lesson")
def _lesson(fp: Fingerprints, spec: PageSpec) -> Tokens:
    site = fp.site
    course_id, lesson_id = spec.key.split("/")
    yield fp.course(course_id)
    lesson = next(item for item in site.courses[course_id].lessons if item.id == lesson_id)
    yield academy.lesson_hash(site, course_id, lesson)  # covers its texts, transcripts included
    files = [*(a.src for a in lesson.audio), *(d.src for d in lesson.downloads)]
    yield from (academy_files.digest(site, src) for src in files)  # their sizes are shown
    yield from bodymedia.digests(site, fp.images, spec.key)  # photos in its texts


@depends("page")
def _page(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield fp.entity("page", spec.key)
    yield fp.text("page", spec.key, spec.lang)


@depends("search")
def _search(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield fp.counts  # the category links shown without JavaScript, with their counts


@depends("stats")
def _stats(fp: Fingerprints, spec: PageSpec) -> Tokens:
    # The published figures are a data file (site-wide); the rest is counted from the catalogue.
    yield stats.catalogue_figures(fp.site).fingerprint()


@depends("rating")
def _rating_page(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield from ()  # the method is code (in the site-wide digest) and UI strings


@depends("catalogue_shard")
def _catalogue_shard(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield fp.entity("cooperative", spec.key)
    yield from (fp.product(p) for p in fp.site.products_by_cooperative.get(spec.key, []))


@depends("facet_cells")
def _facet_cells(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield fp.counts
    yield ",".join(f"{c}/{g}:{len(ps)}" for (c, g), ps in sorted(fp.site.cells().items()))


@depends("facets")
def _facet_cell(fp: Fingerprints, spec: PageSpec) -> Tokens:
    category, region = spec.key.split("/")
    cell = fp.site.cells()[(category, region)]
    yield from (f"{fp.site.newest_rank(p.id)}={fp.product(p)}" for p in cell)


@depends("cart", "order")
def _cart(fp: Fingerprints, spec: PageSpec) -> Tokens:
    # site.yaml (the checkout URL), the data files (the regions of the order form) and the
    # pages (privacy) are site-wide inputs
    yield from ()


@depends("sell", "sell_schema")
def _sell(fp: Fingerprints, spec: PageSpec) -> Tokens:
    # The form's labels and hints are the schema's texts (YAML beside the code, which the code
    # digest leaves out) and its first step lists the cooperatives by name.
    yield from (_file_digest(p) for p in sorted((GENERATOR / "schema_text").glob("*.yaml")))
    yield from sellform.fingerprint_parts(fp.site)


@depends("not_found")
def _nothing_more(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield from ()


@depends("offline")
def _offline(fp: Fingerprints, spec: PageSpec) -> Tokens:
    yield from ()  # UI strings and the theme: site-wide; the lists are filled in the browser


@depends("course_offline")
def _course_offline(fp: Fingerprints, spec: PageSpec) -> Tokens:
    # The manifest lists each page's bytes and the files they load: the pages' own digests cover
    # what they are made of; the audio and downloads, by size and time (they are read when it
    # is rendered, to hash them).
    site = fp.site
    yield from (fp.page(page) for page in offline.course_pages(site, fp.plan, spec.key, spec.lang))
    for src in offline.content_files(site, spec.key):
        info = os.stat(site.content_root / src)
        yield f"{src}:{info.st_size}:{info.st_mtime_ns}"


@depends("service_worker")
def _service_worker(fp: Fingerprints, spec: PageSpec) -> Tokens:
    # Its version covers the theme files (site-wide) and the offline pages it precaches.
    for lang in fp.site.config.full_languages:
        yield fp.page(offline.spec(fp.plan, "offline", "", lang))
