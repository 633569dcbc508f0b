"""Cross-check references and rules between files, then assemble the immutable Site."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import Any, cast

from . import academy_files, bodymedia, images
from .errors import ErrorReport, Severity, SourceLocation
from .ideas import LISTING_FOLDERS
from .images import ImageIssue
from .loader import Body, Content, Sourced
from .messages import N_, Msg, Value
from .models import (
    Category,
    Cooperative,
    Course,
    Funding,
    Image,
    Label,
    Lesson,
    Module,
    Page,
    Product,
    ProjectIdea,
    Region,
    Sector,
    SectorFigure,
)
from .models.common import images_in
from .rating import rate
from .site import CourseTree, ModuleTree, Site
from .stats import FIGURES, check_figures
from .yamlsource import KeyPath

IMAGE_SUFFIXES = {".svg", ".jpg", ".jpeg", ".png", ".webp"}
EXPIRY_WARNING_DAYS = 60
# What a reference names (in messages) → where such entries are loaded from.
REFERENCE_KINDS = {
    "region": "regions",
    "sector": "sectors",
    "category": "categories",
    "label": "labels",
    "funding source": "funding",
    "cooperative": "cooperative",
    "course": "course",
}
# Per kind of reference, whole sentences (the words agree in gender in Arabic and French).
UNKNOWN_REFERENCE = {
    "region": (N_("unknown region `{value}`"), N_("use the id of an existing region")),
    "sector": (N_("unknown sector `{value}`"), N_("use the id of an existing sector")),
    "category": (N_("unknown category `{value}`"), N_("use the id of an existing category")),
    "label": (N_("unknown label `{value}`"), N_("use the id of an existing label")),
    "funding source": (
        N_("unknown funding source `{value}`"),
        N_("use the id of an existing funding source"),
    ),
    "cooperative": (
        N_("unknown cooperative `{value}`"),
        N_("use the id of an existing cooperative"),
    ),
    "course": (N_("unknown course `{value}`"), N_("use the id of an existing course")),
}


def _items(content: Content, kind: str) -> dict[str, Sourced[Any]]:
    return cast(dict[str, Sourced[Any]], content.data.get(kind, {}))


def assemble(content: Content, report: ErrorReport, today: date) -> Site | None:
    """Check everything that spans files. Returns None when the config itself is unusable."""
    checker = _Checker(content, report, today)
    checker.run()
    if content.config is None:
        return None
    return checker.site()


class _Checker:
    def __init__(self, content: Content, report: ErrorReport, today: date) -> None:
        self.c = content
        self.report = report
        self.today = today
        self.regions = cast(dict[str, Sourced[Region]], _items(content, "regions"))
        self.sectors = cast(dict[str, Sourced[Sector]], _items(content, "sectors"))
        self.categories = cast(dict[str, Sourced[Category]], _items(content, "categories"))
        self.labels = cast(dict[str, Sourced[Label]], _items(content, "labels"))
        self.funding = cast(dict[str, Sourced[Funding]], _items(content, "funding"))
        self.figures = cast(dict[str, Sourced[SectorFigure]], _items(content, FIGURES))
        ents = content.entities
        self.coops = {k[0]: cast(Sourced[Cooperative], v) for k, v in ents["cooperative"].items()}
        self.products = self._unique_products(ents["product"])
        self.projects = {k[0]: cast(Sourced[ProjectIdea], v) for k, v in ents["project"].items()}
        self.pages = {k[0]: cast(Sourced[Page], v) for k, v in ents["page"].items()}
        self.courses = {k[0]: cast(Sourced[Course], v) for k, v in ents["course"].items()}
        self.modules = {k: cast(Sourced[Module], v) for k, v in ents["module"].items()}
        self.lessons = {k: cast(Sourced[Lesson], v) for k, v in ents["lesson"].items()}
        self.trees: dict[str, CourseTree] = {}
        self._image_issues: dict[str, list[ImageIssue]] = {}

    # -- helpers -------------------------------------------------------------------------------

    def error(
        self, where: SourceLocation, code: str, message: str, hint: str = "", **values: Value
    ) -> None:
        self.report.add(where, code, message, hint, Severity.ERROR, **values)

    def ref(
        self, src: Sourced[Any], keys: KeyPath, value: str, table: dict[str, Any], what: str
    ) -> bool:
        if value in table:
            return True
        if (REFERENCE_KINDS[what], (value,)) in self.c.failed:
            return False  # its own file already reported why it could not be read
        close = difflib.get_close_matches(value, list(table), n=1, cutoff=0.6)
        message, hint = UNKNOWN_REFERENCE[what]
        if close:
            hint = N_("did you mean `{close}`?")
        code = f"unknown-{what.replace(' ', '-')}"
        self.error(src.at(*keys), code, message, hint, value=value, close=close[0] if close else "")
        return False

    def _unique_products(
        self, raw: dict[tuple[str, ...], Sourced[Any]]
    ) -> dict[str, Sourced[Product]]:
        products: dict[str, Sourced[Product]] = {}
        for (folder, _), src in sorted(raw.items()):
            product = cast(Product, src.item)
            if product.cooperative != folder:
                self.error(
                    src.at("cooperative"),
                    "wrong-folder",
                    "this product says `cooperative: {cooperative}` but sits in the folder `{folder}`",
                    "move it to products/{cooperative}/ or correct `cooperative`",
                    cooperative=product.cooperative,
                    folder=folder,
                )
            if product.id in products:
                first = products[product.id]
                self.error(
                    src.at("id"),
                    "duplicate-id",
                    "the product id `{id}` is already used by {path}",
                    "product ids are unique across the whole site: choose another id and file name",
                    id=product.id,
                    path=first.path,
                )
                continue
            products[product.id] = cast(Sourced[Product], src)
        return products

    # -- checks --------------------------------------------------------------------------------

    def run(self) -> None:
        self._check_data()
        check_figures(self.figures, self.c.failed, self.report, self.today)
        self._check_cooperatives()
        self._check_products()
        self._check_skus()
        self._check_projects()
        self._check_academy()
        academy_files.check(self.c.root, self.lessons, self.c.bodies, self.report)
        bodymedia.check(self.c.root, self.c.bodies, self.report)
        self._check_bodies()
        self._check_images()

    def _check_data(self) -> None:
        for src in self.labels.values():
            for i, region in enumerate(src.item.regions):
                self.ref(src, ("regions", i), region, self.regions, "region")
            for i, category in enumerate(src.item.categories):
                self.ref(src, ("categories", i), category, self.categories, "category")

    def _check_cooperatives(self) -> None:
        for src in self.coops.values():
            coop = src.item
            self.ref(src, ("sector",), coop.sector, self.sectors, "sector")
            if self.ref(src, ("region",), coop.region, self.regions, "region") and coop.province:
                provinces = self.regions[coop.region].item.provinces
                if provinces and coop.province not in provinces:
                    self.error(
                        src.at("province"),
                        "unknown-province",
                        "`{province}` is not a province of the region `{region}`",
                        "use one of: {expected}",
                        province=coop.province,
                        region=coop.region,
                        expected=", ".join(provinces),
                    )
            if isinstance(coop.delivery.zones, list):
                for i, zone in enumerate(coop.delivery.zones):
                    self.ref(src, ("delivery", "zones", i), zone, self.regions, "region")
            for i, claim in enumerate(coop.labels):
                self.ref(src, ("labels", i, "label"), claim.label, self.labels, "label")
                self._check_validity(
                    src, ("labels", i, "valid_until"), claim.valid_until, claim.label
                )
            if coop.onssa and coop.onssa.valid_until:
                onssa = Msg(N_("ONSSA"))
                self._check_validity(src, ("onssa", "valid_until"), coop.onssa.valid_until, onssa)
            for i, program in enumerate(coop.programs):
                self.ref(src, ("programs", i), program, self.funding, "funding source")

    def _check_validity(self, src: Sourced[Any], keys: KeyPath, until: date, what: Value) -> None:
        if until < self.today:
            self.error(
                src.at(*keys),
                "expired",
                "the {what} certificate expired on {date}",
                "renew it and write the new certificate number and date, or remove the claim",
                what=what,
                date=until.isoformat(),
            )
        elif until - self.today <= timedelta(days=EXPIRY_WARNING_DAYS):
            self.report.add(
                src.at(*keys),
                "expires-soon",
                "the {what} certificate expires on {date}",
                "ask the certifier for the renewal now so the label stays on the site",
                Severity.WARNING,
                what=what,
                date=until.isoformat(),
            )

    def _check_products(self) -> None:
        for src in self.products.values():
            product = src.item
            coop_src = self.coops.get(product.cooperative)
            if coop_src is None:
                self.ref(src, ("cooperative",), product.cooperative, self.coops, "cooperative")
            if self.ref(src, ("category",), product.category, self.categories, "category"):
                category = self.categories[product.category].item
                if category.is_food and coop_src is not None:
                    self._check_food(src, coop_src)
            if product.origin:
                self.ref(src, ("origin", "region"), product.origin.region, self.regions, "region")
            claims = {c.label: c for c in coop_src.item.labels} if coop_src else {}
            for i, label in enumerate(product.labels):
                if not self.ref(src, ("labels", i), label, self.labels, "label"):
                    continue
                covered = self.labels[label].item.categories
                if covered and product.category not in covered:
                    self.error(
                        src.at("labels", i),
                        "label-category",
                        "the label `{label}` does not cover the category `{category}`",
                        "a label applies only to the products in its specification; remove it here "
                        "or, if the specification covers it, add the category to the label in "
                        "data/labels.yaml",
                        label=label,
                        category=product.category,
                    )
                claim = claims.get(label)
                if claim is None and coop_src is not None:
                    self.error(
                        src.at("labels", i),
                        "unverified-label",
                        "the label `{label}` is not among the cooperative's certified labels",
                        "add it with its certificate number and validity under `labels` in "
                        "{path}, or remove it here",
                        label=label,
                        path=coop_src.path,
                    )
                elif claim is not None and claim.valid_until < self.today:
                    self.error(
                        src.at("labels", i),
                        "expired",
                        "the certificate for `{label}` expired on {date}",
                        "renew it in {path} or remove the label",
                        label=label,
                        date=claim.valid_until.isoformat(),
                        path=coop_src.path if coop_src else Msg(N_("the cooperative file")),
                    )

    def _check_food(self, src: Sourced[Product], coop_src: Sourced[Cooperative] | None) -> None:
        product = src.item
        has_number = bool(product.onssa_number or (coop_src and coop_src.item.onssa))
        if not has_number and product.onssa_exempt_reason is None:
            self.error(
                src.at("category"),
                "missing-onssa",
                "a food product needs an ONSSA number before it can be published",
                "add `onssa` (kind, number) to the cooperative, or `onssa_number` to this product, "
                "or explain the exemption in `onssa_exempt_reason`",
            )
        if product.net_quantity is None and not product.variants:
            self.error(
                src.at("id"),
                "missing-net-quantity",
                "a food product needs `net_quantity` (it must be on the label)",
                "add for example `net_quantity: {value: 250, unit: g}`",
            )

    def _check_skus(self) -> None:
        owners: dict[str, str] = {}
        for src in self.products.values():
            for i, sku in enumerate(src.item.skus):
                if sku in owners and owners[sku] != src.item.id:
                    keys: KeyPath = ("variants", i - 1, "sku") if i else ("id",)
                    self.error(
                        src.at(*keys),
                        "duplicate-sku",
                        "the SKU `{sku}` is already used by the product `{owner}`",
                        "every SKU must be unique across the site",
                        sku=sku,
                        owner=owners[sku],
                    )
                owners.setdefault(sku, src.item.id)

    def _check_projects(self) -> None:
        for src in self.projects.values():
            idea = src.item
            if idea.id in LISTING_FOLDERS:  # /<lang>/projects/<id>/ holds a listing
                self.error(
                    src.at("id"),
                    "reserved-id",
                    "`{id}` is taken by the idea bank's listings",
                    "choose another id (and file name) for this idea",
                    id=idea.id,
                )
            self.ref(src, ("sector",), idea.sector, self.sectors, "sector")
            for i, region in enumerate(idea.regions):
                self.ref(src, ("regions", i), region, self.regions, "region")
            for i, fund in enumerate(idea.funding):
                self.ref(src, ("funding", i), fund, self.funding, "funding source")
            for i, course in enumerate(idea.courses):
                self.ref(src, ("courses", i), course, self.courses, "course")
            for i, skill in enumerate(idea.skills):
                if skill.course is not None:
                    self.ref(src, ("skills", i, "course"), skill.course, self.courses, "course")

    def _check_academy(self) -> None:
        for course_id, src in self.courses.items():
            modules: list[ModuleTree] = []
            seen_lessons: dict[str, str] = {}
            for i, module_id in enumerate(src.item.modules):
                module_src = self.modules.get((course_id, module_id))
                if module_src is None:
                    self.error(
                        src.at("modules", i),
                        "unknown-module",
                        "there is no module `{module}` in this course",
                        "create academy/{course}/{module}/module.yaml or remove it from `modules`",
                        module=module_id,
                        course=course_id,
                    )
                    continue
                if module_src.item.id != module_id:
                    self.error(
                        module_src.at("id"),
                        "id-mismatch",
                        "the id `{id}` does not match the folder `{folder}`",
                        "change the id to `{folder}`",
                        id=module_src.item.id,
                        folder=module_id,
                    )
                lessons: list[Lesson] = []
                for j, lesson_id in enumerate(module_src.item.lessons):
                    lesson_key = (course_id, module_id, lesson_id)
                    lesson_src = self.lessons.get(lesson_key)
                    if lesson_src is None and ("lesson", lesson_key) in self.c.failed:
                        continue  # its own file already reported why it could not be read
                    if lesson_src is None:
                        self.error(
                            module_src.at("lessons", j),
                            "unknown-lesson",
                            "there is no lesson `{lesson}` in this module",
                            "create academy/{course}/{module}/{lesson}.yaml or remove it",
                            lesson=lesson_id,
                            course=course_id,
                            module=module_id,
                        )
                        continue
                    if lesson_id in seen_lessons:
                        self.error(
                            module_src.at("lessons", j),
                            "duplicate-id",
                            "the lesson id `{lesson}` is already used in module `{module}`",
                            "lesson ids are unique within a course",
                            lesson=lesson_id,
                            module=seen_lessons[lesson_id],
                        )
                        continue
                    seen_lessons[lesson_id] = module_id
                    lessons.append(lesson_src.item)
                modules.append(ModuleTree(module_src.item, lessons))
            self.trees[course_id] = CourseTree(src.item, modules)
        listed = {
            (course_id, tree.module.id, lesson.id)
            for course_id, course in self.trees.items()
            for tree in course.modules
            for lesson in tree.lessons
        }
        for key, lesson_src in self.lessons.items():
            if key not in listed and (key[0], key[1]) in self.modules:
                self.error(
                    lesson_src.at("id"),
                    "unlisted-lesson",
                    "this lesson is not listed in its module.yaml, so nobody could reach it",
                    "add `{lesson}` to `lessons` in academy/{course}/{module}/module.yaml",
                    lesson=key[2],
                    course=key[0],
                    module=key[1],
                )

    def _check_bodies(self) -> None:
        required = ("ar", "fr")
        kinds: dict[str, Mapping[Any, Sourced[Any]]] = {
            "cooperative": self.coops,
            "product": self.c.entities["product"],
            "project": self.projects,
            "page": self.pages,
            "lesson": self.lessons,
        }
        for kind, table in kinds.items():
            for key, src in table.items():
                full_key = key if isinstance(key, tuple) else (key,)
                bodies = self.c.bodies.get((kind, full_key), {})
                for lang in required:
                    if lang not in bodies:
                        stem = src.path.rsplit("/", 1)[-1].removesuffix(".yaml")
                        self.error(
                            SourceLocation(src.path, 1, 1),
                            "missing-body",
                            N_("the Arabic text is missing")
                            if lang == "ar"
                            else N_("the French text is missing"),
                            "create `{file}` next to this file",
                            file=f"{stem}.{lang}.md",
                        )

    def _check_images(self) -> None:
        root = self.c.root.resolve()
        every: list[Sourced[Any]] = [
            *self.coops.values(),
            *self.products.values(),
            *self.projects.values(),
            *self.courses.values(),
        ]
        for src in every:
            for keys, image in images_in(src.item):
                self._check_image(src, (*keys, "src"), image, root)

    def _check_image(self, src: Sourced[Any], keys: KeyPath, image: Image, root: Any) -> None:
        # Thousands of entries share a few photos: each file is looked at once.
        found = self._image_issues.get(image.src)
        if found is None:
            found = self._image_issues[image.src] = self._image_file_issues(image, root)
        self.report.extend(issue.at(src.at(*keys)) for issue in found)

    def _image_file_issues(self, image: Image, root: Any) -> list[ImageIssue]:
        rel = PurePosixPath(image.src)
        target = (root / rel).resolve()
        values = {"src": image.src}
        if rel.is_absolute() or not target.is_relative_to(root):
            return [
                ImageIssue(
                    "image-outside-content",
                    N_("the image `{src}` is outside the content folder"),
                    N_(
                        "put the image under content/media/ and write its path from there, like `media/products/x.jpg`"
                    ),
                    values=values,
                )
            ]
        if rel.suffix.lower() not in IMAGE_SUFFIXES:
            return [
                ImageIssue(
                    "image-type",
                    N_("`{src}` is not a supported image type"),
                    N_("use a .jpg, .png, .webp or .svg file"),
                    values=values,
                )
            ]
        if not target.is_file():
            return [
                ImageIssue(
                    "image-missing",
                    N_("the image `{src}` does not exist"),
                    N_(
                        "check the spelling of the path; it starts from the content folder, like `media/…`"
                    ),
                    values=values,
                )
            ]
        # What the file really is (not what its name says), its size and pixel count: header
        # only, so `taawun check` stays fast; damaged pixel data is found when encoding.
        return images.check_file(target, image.src)

    # -- result --------------------------------------------------------------------------------

    def site(self) -> Site:
        assert self.c.config is not None
        products = {k: v.item for k, v in sorted(self.products.items())}
        coops = {k: v.item for k, v in sorted(self.coops.items())}
        regions = dict(
            sorted(((k, v.item) for k, v in self.regions.items()), key=lambda kv: kv[1].order)
        )
        by_coop: dict[str, list[Product]] = defaultdict(list)
        by_category: dict[str, list[Product]] = defaultdict(list)
        by_region: dict[str, list[Product]] = defaultdict(list)
        by_label: dict[str, list[Product]] = defaultdict(list)
        newest = sorted(products.values(), key=lambda p: (p.published, p.id), reverse=True)
        women_led: list[Product] = []
        youth_led: list[Product] = []
        for product in newest:
            if product.cooperative not in coops:
                continue
            maker = coops[product.cooperative]
            if maker.women_led:
                women_led.append(product)
            if maker.youth_led:
                youth_led.append(product)
            by_coop[product.cooperative].append(product)
            by_category[product.category].append(product)
            region = product.origin.region if product.origin else coops[product.cooperative].region
            by_region[region].append(product)
            for label in product.labels:
                by_label[label].append(product)
        coops_by_region: dict[str, list[Cooperative]] = defaultdict(list)
        for coop in coops.values():
            coops_by_region[coop.region].append(coop)
        categories = {k: v.item for k, v in self.categories.items()}
        ratings = {
            coop.id: rate(
                coop,
                self.today,
                sells_food=coop.onssa is not None
                or any(
                    categories[p.category].is_food
                    for p in by_coop.get(coop.id, [])
                    if p.category in categories
                ),
            )
            for coop in coops.values()
        }
        projects = {k: v.item for k, v in sorted(self.projects.items())}
        projects_by_region: dict[str, list[ProjectIdea]] = defaultdict(list)
        for idea in projects.values():
            for region in idea.regions:
                projects_by_region[region].append(idea)
        bodies: dict[tuple[str, str], dict[str, Body]] = {}
        for (kind, key), langs in self.c.bodies.items():
            ident = f"{key[0]}/{key[2]}" if kind == "lesson" else key[-1]
            bodies[(kind, ident)] = langs
        digests: dict[tuple[str, str], str] = {}
        for kind, table in self.c.entities.items():
            for key, src in table.items():
                nested = kind in ("module", "lesson")  # ids unique within their course only
                digests[(kind, f"{key[0]}/{key[-1]}" if nested else key[-1])] = src.digest
        return Site(
            config=self.c.config,
            content_root=self.c.root,
            today=self.today,
            regions=regions,
            sectors={k: v.item for k, v in self.sectors.items()},
            categories=dict(
                sorted(
                    ((k, v.item) for k, v in self.categories.items()),
                    key=lambda kv: (kv[1].order, kv[0]),
                )
            ),
            labels={k: v.item for k, v in self.labels.items()},
            funding={k: v.item for k, v in self.funding.items()},
            sector_figures={k: v.item for k, v in self.figures.items()},
            cooperatives=coops,
            ratings=ratings,
            products=products,
            products_women_led=women_led,
            products_youth_led=youth_led,
            projects=projects,
            courses=dict(sorted(self.trees.items())),
            pages=dict(
                sorted(
                    ((k, v.item) for k, v in self.pages.items()),
                    key=lambda kv: (kv[1].order, kv[0]),
                )
            ),
            bodies=bodies,
            digests=digests,
            media=frozenset(self.c.media),
            products_newest_first=newest,
            products_by_cooperative=dict(by_coop),
            products_by_category=dict(by_category),
            products_by_region=dict(by_region),
            products_by_label=dict(by_label),
            cooperatives_by_region=dict(coops_by_region),
            cooperatives_by_region_order=sorted(
                coops.values(),
                key=lambda c: (regions[c.region].order if c.region in regions else 99, c.id),
            ),
            projects_by_region=dict(projects_by_region),
        )
