"""The academy: courses → modules → lessons, each lesson with an optional quiz (domain.md §10)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from ..messages import N_, Msg
from .common import Entity, Image, LocalizedText, NonEmptyStr, Slug, Strict, content_error

Audience = Literal[
    "cooperative_managers", "members", "project_holders", "job_seekers", "women", "youth"
]


class Certificate(Strict):
    enabled: bool = True
    pass_mark: int = Field(default=70, ge=0, le=100)


class Course(Entity):
    title: LocalizedText
    summary: LocalizedText
    audience: list[Audience] = Field(min_length=1)
    level: Literal["beginner", "intermediate", "advanced"]
    languages: list[Literal["ar", "fr", "zgh", "en"]] = Field(min_length=1)
    duration_min: int = Field(gt=0)
    outcomes: list[LocalizedText] = Field(min_length=1)
    modules: list[Slug] = Field(min_length=1)
    certificate: Certificate = Certificate()
    license: NonEmptyStr
    version: int = Field(ge=1)
    updated: date
    image: Image | None = None


class Module(Entity):
    title: LocalizedText
    summary: LocalizedText | None = None
    lessons: list[Slug] = Field(min_length=1)


class Option(Strict):
    id: Slug
    text: LocalizedText
    correct: bool = False
    feedback: LocalizedText | None = None


class Question(Strict):
    id: Slug
    type: Literal["single", "multi", "true_false", "order"]
    prompt: LocalizedText
    options: list[Option] = Field(min_length=2)
    explanation: LocalizedText | None = None

    @model_validator(mode="after")
    def _answerable(self) -> Question:
        correct = sum(option.correct for option in self.options)
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise content_error("quiz", "two options of this question have the same `id`")
        rule: str | None = None
        if self.type in ("single", "true_false") and correct != 1:
            rule = N_("exactly one option must have `correct: true`")
        elif self.type == "true_false" and len(self.options) != 2:
            rule = N_("a true/false question has exactly two options")
        elif self.type == "multi" and correct < 1:
            rule = N_("at least one option must have `correct: true`")
        elif self.type == "order" and correct:
            rule = N_(
                "write the options of an ordering question in the right order, without `correct`"
            )
        if rule:
            raise content_error(
                "quiz",
                "question `{id}` ({type}): {rule}",
                id=self.id,
                type=self.type,
                rule=Msg(rule),
            )
        return self


class AudioTrack(Strict):
    lang: Literal["ar", "fr", "zgh", "en", "ary", "shi", "tzm", "rif"]
    src: NonEmptyStr
    bytes: int = Field(gt=0)
    transcript: Literal["ar", "fr", "zgh", "en"] | None = None


class Download(Strict):
    src: NonEmptyStr
    title: LocalizedText


class Lesson(Entity):
    title: LocalizedText
    type: Literal["text", "audio", "video", "activity"] = "text"
    duration_min: int = Field(gt=0)
    audio: list[AudioTrack] = []
    downloads: list[Download] = []
    quiz: list[Question] = []
