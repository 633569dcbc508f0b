"""What every `taawun new` kind needs: the content folder as loaded, the questions' language,
questions typed with the models' own field types, and writing files without overwriting any."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import yaml
from pydantic import BaseModel, TypeAdapter

from ..errors import ErrorReport, display_path
from ..i18n import Messages
from ..loader import Content, load
from ..models import Entity, LocalizedText
from ..slugs import slugify
from ..theme import DEFAULT_THEME
from . import NewError
from .ask import Asker, Validator
from .texts import text
from .yamltext import REVIEW

M = TypeVar("M", bound=BaseModel)


class IsoDate:
    """A date as content files write it, 2024-03-31: pydantic alone would also take a number
    of seconds ("0" → 1970-01-01), which nobody means when asked for a date."""

    def validate_python(self, answer: Any, /) -> date:
        if not isinstance(answer, str) or not ISO_DATE.match(answer):
            raise ValueError("not a date written YYYY-MM-DD")
        return date.fromisoformat(answer)


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@functools.cache
def field_adapter(model: type[BaseModel], name: str) -> Validator[Any]:
    """The type of ``model.name`` with its constraints (``gt=0``, the slug pattern…), to check
    one answer exactly as `taawun check` checks that key."""
    info = model.model_fields[name]
    if info.annotation in (date, date | None):
        return IsoDate()
    if info.metadata:
        return TypeAdapter(Annotated[info.annotation, *info.metadata])
    return TypeAdapter(info.annotation)


TEXT = field_adapter(LocalizedText, "fr")


@dataclass
class Context:
    root: Path
    lang: str
    asker: Asker
    content: Content
    ui: Messages
    today: date
    written: list[Path] = field(default_factory=list)  # new files
    edited: list[Path] = field(default_factory=list)  # files where an id was added to a list

    @classmethod
    def open(cls, root: Path, lang: str, asker: Asker, today: date) -> Context:
        content = load(root, ErrorReport())  # what is valid of it: lists of ids and names
        return cls(root, lang, asker, content, Messages(DEFAULT_THEME / "i18n"), today)

    def entries(self, kind: str, model: type[M]) -> dict[tuple[str, ...], M]:
        """The valid entries of one kind, by key (``(id,)``, ``(course, module)``…)."""
        return {key: cast(M, src.item) for key, src in self.content.entities[kind].items()}

    @property
    def other(self) -> str:
        return "fr" if self.lang == "ar" else "ar"

    def t(self, key: str, **values: Any) -> str:
        return text(self.lang, key, **values)

    def label(self, key: str) -> str:
        """A UI string of the theme (the names of levels, audiences, target groups, units)."""
        return self.ui.resolve(key, self.lang)[0]

    # -- questions ------------------------------------------------------------------------------

    def ask(
        self,
        model: type[BaseModel],
        name: str,
        question: str,
        hint: str,
        *,
        default: str | None = None,
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        adapter = field_adapter(model, name)
        return self.asker.value(
            self.t(question), adapter, self.t(hint), default=default, check=check, digits=True
        )

    def maybe(self, model: type[BaseModel], name: str, question: str, hint: str) -> Any:
        adapter = field_adapter(model, name)
        return self.asker.maybe(self.t(question), adapter, self.t(hint), digits=True)

    def texts(self, question: str) -> dict[str, str]:
        """A text in Arabic and in French (the questions' language first)."""
        found: dict[str, str] = {}
        for lang in (self.lang, self.other):
            language = self.t(f"language.{lang}")
            found[lang] = self.asker.value(
                self.t(question, language=language), TEXT, self.t("hint.text")
            )
        return found

    def text_once(self, question: str) -> tuple[dict[str, str], dict[str, str]]:
        """A text asked in the questions' language only and copied into the other, with a
        `REVIEW` note to translate it: both are required, and a short text can wait."""
        language = self.t(f"language.{self.lang}")
        answer = self.asker.value(self.t(question, language=language), TEXT, self.t("hint.text"))
        note = f"{REVIEW}: " + self.t("note.translate", language=self.t(f"language.{self.other}"))
        return {self.lang: answer, self.other: answer}, {self.other: note}

    def new_id(
        self,
        question: str,
        name: Mapping[str, str],
        taken: Callable[[str], str],
        suggest: Callable[[str], str] = slugify,
    ) -> str:
        """An id for a new entry, proposed from its French name (by ``suggest``); ``taken``
        says why one is not free ("" when it is)."""
        suggestion = suggest(name["fr"]) or None
        if suggestion and taken(suggestion):
            suggestion = next(
                (f"{suggestion}-{n}" for n in range(2, 100) if not taken(f"{suggestion}-{n}")),
                None,
            )
        return cast(
            str,
            self.asker.value(
                self.t(question),
                field_adapter(Entity, "id"),
                self.t("hint.id"),
                default=suggestion,
                check=lambda value: taken(value) or None,
            ),
        )

    def choose_data(self, question: str, table: str, *, optional: bool = False) -> str | None:
        """An id of ``data/<table>.yaml``, from a numbered list of their names."""
        options = [
            (item_id, src.item.name.resolve(self.lang)[0])  # type: ignore[attr-defined]
            for item_id, src in self.content.data[table].items()
        ]
        return self.asker.choose(self.t(question), options, optional=optional)

    def choose_labels(self, question: str, prefix: str, values: tuple[str, ...]) -> str:
        options = [(value, self.label(f"{prefix}{value}")) for value in values]
        found = self.asker.choose(self.t(question), options)
        assert found is not None  # not optional
        return found

    # -- files ----------------------------------------------------------------------------------

    def free(self, *paths: Path) -> str:
        """The message naming the first of ``paths`` that exists; empty when none does."""
        for path in paths:
            if path.exists():
                return self.t("check.exists", path=display_path(path))
        return ""

    def write(self, files: Mapping[Path, str], models: Mapping[Path, type[BaseModel]]) -> None:
        """Write new files, never replacing one: all of them, or none if any already exists.

        Each YAML file is validated with its model first, so what is written always reads back.
        """
        for path, model in models.items():
            model.model_validate(yaml.safe_load(files[path]))
        for path in files:
            if path.exists():
                raise NewError(self.t("error.exists", path=display_path(path)))
        for path, body in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                handle = path.open("x", encoding="utf-8")  # "x": never replace a file
            except FileExistsError:  # it appeared while the questions were answered
                raise NewError(self.t("error.exists", path=display_path(path))) from None
            with handle:
                handle.write(body)
            self.written.append(path)
