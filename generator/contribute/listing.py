"""An accepted submission becomes content files, exactly as a person would write them.

For a new cooperative: ``cooperatives/<id>.yaml`` and its story ``<id>.ar.md``/``<id>.fr.md``.
For the product: ``products/<cooperative>/<id>.yaml`` and its description, the photos copied to
``media/products/<cooperative>/<id>-<n>.jpg``. The submitter's own contact is personal data and
is never written; the cooperative's public contact is.

Then the whole content folder is checked with the build's own validation. If it reports an
error, every file and folder written is removed again, so the content folder is exactly as it
was, and :class:`ListingRejected` carries the report.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ..build import check
from ..errors import ErrorReport, Problem
from ..models.common import SLUG_RE, dirhams, is_money
from ..models.cooperative import Cooperative
from ..models.product import Product
from ..models.submission import CooperativeDraft, PhotoDraft, ProductDraft
from .ids import cooperative_slug, slugify, unique_id
from .yamlout import dump

# The validator that reads "120.00" into centimes: it marks a money field, however nested.


class ListingRejected(Exception):
    """The submission cannot become content as it is; ``report`` holds `taawun check`'s
    problems when the check refused it. Nothing was written."""

    def __init__(self, message: str, report: ErrorReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class _Draft:
    cooperative_id: str | None
    cooperative: BaseModel | None  # a CooperativeDraft
    product: BaseModel  # a ProductDraft
    photos: list[tuple[Path, BaseModel]]  # (file, PhotoDraft)


def write_listing(
    content: Path,
    data: Mapping[str, Any],
    photos: list[Path],
    reference: str,
    *,
    today: date | None = None,
    report: ErrorReport | None = None,
) -> list[Path]:
    """Write the submission ``data`` (a Submission by alias, as the content files write it)
    and its ``photos`` into ``content``; returns the files written. Raises
    :class:`ListingRejected`, leaving ``content`` untouched, if `taawun check` finds an error.
    The check's warnings about the new files are added to ``report``."""
    with listing_written(content, data, photos, reference, today=today, report=report) as paths:
        return paths


@contextmanager
def listing_written(
    content: Path,
    data: Mapping[str, Any],
    photos: list[Path],
    reference: str,
    *,
    today: date | None = None,
    report: ErrorReport | None = None,
) -> Iterator[list[Path]]:
    """:func:`write_listing` for a caller with more to do (record the decision, commit): if
    the ``with`` body raises, the files are removed again."""
    today = today or date.today()
    draft = _parse(data, photos)
    files = _Files(content)
    try:
        written = _write(files, draft, reference, today)
        result = check(content, today=today)
        ours = {path.resolve() for path in written}

        def in_listing(problem: Problem) -> bool:
            where = problem.location.path
            return (content / where).resolve() in ours or Path(where).resolve() in ours

        if result.report.has_errors:
            problems = result.report.format("text")
            if any(in_listing(error) for error in result.report.errors):
                advice = (
                    "Either reject it with --reason saying what the cooperative must change, "
                    f"or correct {content} (for example the cooperative's file) and accept it again."
                )
                what = f"the listing of {reference} does not pass `taawun check`"
            else:  # the listing is fine; the folder was already broken
                advice = (
                    f"These errors are in files already in {content}, not in this listing: "
                    "correct them (`taawun check`), then accept it again."
                )
                what = f"{content} does not pass `taawun check`"
            raise ListingRejected(
                f"{what}, so nothing was written ({content} is as it was):\n{problems}\n{advice}",
                result.report,
            )
        if report is not None:
            report.extend(warning for warning in result.report.warnings if in_listing(warning))
        yield written
    except BaseException:
        files.undo()
        raise


def _parse(data: Mapping[str, Any], photos: list[Path]) -> _Draft:
    """The parts of the submission that become content, validated again by the same models
    the form and the service used (the queue's copy is never trusted blindly)."""
    cooperative_id = data.get("cooperative_id")
    if (cooperative_id is None) == (data.get("cooperative") is None):
        raise ListingRejected(
            "the submission must name either an existing cooperative (`cooperative_id`) or a "
            "new one (`cooperative`), not both or neither"
        )
    described = data.get("photos") or []
    if len(described) != len(photos) or not photos:
        raise ListingRejected(
            f"the submission describes {len(described)} photo(s) but {len(photos)} file(s) are "
            "in the queue: a listing needs its photos; reject it and ask for them again"
        )
    missing = [str(photo) for photo in photos if not photo.is_file()]
    if missing:
        raise ListingRejected(f"photo file(s) missing from the queue: {', '.join(missing)}")
    # The id becomes a folder name: an id, never a path (`../..`, `/srv/…`).
    if cooperative_id is not None and not (
        isinstance(cooperative_id, str) and SLUG_RE.match(cooperative_id)
    ):
        raise ListingRejected(
            "`cooperative_id` must be a cooperative's id (lowercase letters, digits and '-'): "
            "reject the submission and ask for the cooperative's id on the site"
        )
    cooperative = None
    if cooperative_id is None:
        cooperative = _validated(CooperativeDraft, data["cooperative"], "cooperative")
    product = _validated(ProductDraft, data.get("product"), "product")
    alts = [_validated(PhotoDraft, alt, f"photos.{n}") for n, alt in enumerate(described)]
    return _Draft(cooperative_id, cooperative, product, list(zip(photos, alts, strict=True)))


def _validated(model: type[BaseModel], value: Any, where: str) -> BaseModel:
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join((where, *(str(step) for step in e['loc'])))}: {e['msg']}"
            for e in error.errors(include_url=False)
        )
        raise ListingRejected(f"the submission's data is not valid: {problems}") from None


def _write(files: _Files, draft: _Draft, reference: str, today: date) -> list[Path]:
    content = files.root
    header = [
        f'From the "sell with us" form: submission {reference}, accepted {today.isoformat()}.',
    ]
    if draft.cooperative is not None:
        coop_id = unique_id(
            cooperative_slug(_text(draft.cooperative, "name", "fr")),
            "cooperative",
            lambda c: _any_exists(
                *(content / "cooperatives" / f"{c}.{end}" for end in _ENTRY_FILES),
                content / "products" / c,
            ),
        )
        entry = {"id": coop_id, **_fields(draft.cooperative, Cooperative, skip={"description"})}
        files.write_text(content / "cooperatives" / f"{coop_id}.yaml", dump(entry, header))
        _bodies(files, content / "cooperatives" / coop_id, draft.cooperative)
    else:
        assert draft.cooperative_id is not None
        coop_id = draft.cooperative_id
    taken = {path.stem for path in content.glob("products/*/*.yaml")}
    media = Path("media", "products", coop_id)
    product_id = unique_id(
        slugify(_text(draft.product, "name", "fr")),
        coop_id,
        lambda p: (
            p in taken
            or _any_exists(
                *(content / "products" / coop_id / f"{p}.{end}" for end in _ENTRY_FILES),
                *(content / media / f"{p}-{n}.jpg" for n in range(1, len(draft.photos) + 1)),
            )
        ),
    )
    images = []
    for number, (photo, alt) in enumerate(draft.photos, start=1):
        target = media / f"{product_id}-{number}.jpg"
        files.copy(photo, content / target)
        images.append({"src": target.as_posix(), **_fields(alt, PhotoDraft)})
    fields = _fields(draft.product, Product, skip={"description"})
    entry = {"id": product_id, "cooperative": coop_id, **fields}
    entry |= {"images": images, "published": today}
    entry = {key: entry[key] for key in _order(Product, entry)}
    folder = content / "products" / coop_id
    files.write_text(folder / f"{product_id}.yaml", dump(entry, header))
    _bodies(files, folder / product_id, draft.product)
    return list(files.written)


# The files of one entry: an id is free only if none of them is there (a text or photo left
# behind by hand would otherwise stop the acceptance).
_ENTRY_FILES = ("yaml", "ar.md", "fr.md")


def _any_exists(*paths: Path) -> bool:
    return any(path.exists() for path in paths)


def _bodies(files: _Files, stem: Path, draft: BaseModel) -> None:
    """The long description becomes the entry's Markdown body, one file per language."""
    description = getattr(draft, "description")  # noqa: B009 - a field of a created model
    for lang in ("ar", "fr"):
        text = "\n".join(line.rstrip() for line in getattr(description, lang).splitlines())
        files.write_text(stem.with_name(f"{stem.name}.{lang}.md"), text.strip() + "\n")


def _text(model: BaseModel, field: str, lang: str) -> str:
    return str(getattr(getattr(model, field), lang))


def _fields(
    model: BaseModel, content_model: type[BaseModel], skip: Collection[str] = ()
) -> dict[str, Any]:
    """The fields written in the submission, as a content file writes them (by alias, money as
    "120.00"), in the order of ``content_model``'s declaration."""
    values: dict[str, Any] = {}
    for name in _order(content_model, type(model).model_fields):
        info = type(model).model_fields[name]
        value = getattr(model, name)
        if name in skip or name not in model.model_fields_set or value in (None, []):
            continue
        values[info.alias or name] = _value(value, info)
    return values


def _order(model: type[BaseModel], names: Mapping[str, Any]) -> list[str]:
    """``names`` in the order ``model`` declares them (``id`` first), the others after."""
    declared = ["id", *(n for n in model.model_fields if n != "id")]
    return [n for n in declared if n in names] + [n for n in names if n not in declared]


def _value(value: Any, info: FieldInfo | None) -> Any:
    if isinstance(value, BaseModel):
        return _fields(value, type(value))
    if isinstance(value, list):
        return [_value(item, None) for item in value]
    if info is not None and isinstance(value, int) and is_money(info):
        return dirhams(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _Files:
    """What one acceptance wrote, in order, so that it can be removed exactly: only files and
    folders this object created, never one that existed before."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[Path] = []
        self._created: list[Path] = []  # files and folders, in creation order

    def write_text(self, path: Path, text: str) -> None:
        self._folder(path.parent)
        with self._create(path, "x", encoding="utf-8", newline="\n") as file:
            self._created.append(path)
            self.written.append(path)
            file.write(text)

    def copy(self, source: Path, path: Path) -> None:
        self._folder(path.parent)
        with source.open("rb") as read, self._create(path, "xb") as write:
            self._created.append(path)
            self.written.append(path)
            shutil.copyfileobj(read, write)

    @staticmethod
    def _create(path: Path, mode: str, **options: Any) -> IO[Any]:
        """``path`` opened as a new file, refused in words if one is there: its id was chosen
        free, so another acceptance running at the same moment wrote it."""
        try:
            return path.open(mode, **options)
        except FileExistsError:
            raise ListingRejected(
                f"{path} exists already: another acceptance may be writing into the content "
                "folder at this moment. Nothing was written; accept again in a minute."
            ) from None

    def _folder(self, folder: Path) -> None:
        missing = [parent for parent in (folder, *folder.parents) if not parent.exists()]
        for parent in reversed(missing):
            parent.mkdir()
            self._created.append(parent)

    def undo(self) -> None:
        for path in reversed(self._created):
            try:
                if path.is_dir():
                    path.rmdir()  # only if empty: never what someone else put there since
                else:
                    path.unlink(missing_ok=True)
            except OSError:
                continue
        self._created.clear()
        self.written.clear()
