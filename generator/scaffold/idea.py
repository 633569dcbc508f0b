"""`taawun new idea`: a project idea for the bank of ideas (docs/projects.md)."""

from __future__ import annotations

from pathlib import Path
from typing import cast, get_args

from ..ideas import LISTING_FOLDERS
from ..models import ProjectIdea
from ..models.project import InvestmentItem, Jobs, Source, TargetGroup
from .context import Context
from .market import money, story
from .texts import text
from .yamltext import REVIEW, Doc, ident, q

# The steps every cooperative project goes through (domain.md §8), a start the author adapts.
STEPS = ("step.group", "step.study", "step.register")


def new_idea(ctx: Context) -> Path:
    ctx.asker.say(ctx.t("intro.idea"))
    folder = ctx.root / "projects"
    title = ctx.texts("q.idea.title")

    def taken(value: str) -> str:
        if value in LISTING_FOLDERS:
            return ctx.t("check.id-reserved", id=value)
        if (value,) in ctx.content.entities["project"]:
            return ctx.t("check.id-used", id=value)
        return ctx.free(folder / f"{value}.yaml")

    idea_id = ctx.new_id("q.id", title, taken)
    summary = ctx.texts("q.idea.summary")
    sector = cast(str, ctx.choose_data("q.sector", "sectors"))
    region = cast(str, ctx.choose_data("q.region", "regions"))
    group = ctx.choose_labels("q.idea.group", "target.", get_args(TargetGroup))
    chain, chain_notes = ctx.text_once("q.idea.chain")
    rationale, rationale_notes = ctx.text_once("q.idea.rationale")
    customers, customers_notes = ctx.text_once("q.idea.customers")
    item, item_notes = ctx.text_once("q.idea.item")
    amount = ctx.ask(InvestmentItem, "amount", "q.idea.amount", "hint.money")
    direct = ctx.ask(Jobs, "direct", "q.idea.jobs", "hint.count")
    women = ctx.ask(Jobs, "women_share", "q.idea.women", "hint.percent")
    youth = ctx.ask(Jobs, "youth_share", "q.idea.youth", "hint.percent")
    source_type = ctx.asker.choose(ctx.t("q.idea.source"), [(s, s) for s in _source_types()])
    reference = ctx.ask(Source, "ref", "q.idea.ref", "hint.text")

    review = f"{REVIEW}: " + ctx.t("note.steps")
    doc = Doc()
    doc.comment(ctx.t("c.idea.head", id=idea_id), ctx.t("c.check", code=ctx.lang))
    doc.field("id", ident(idea_id), ctx.t("c.id"))
    doc.comment(ctx.t("c.idea.title"))
    doc.texts("title", title)
    doc.texts("summary", summary)
    doc.comment(ctx.t("c.idea.where"))
    doc.field("sector", ident(sector))
    doc.texts("value_chain", chain, chain_notes)
    doc.field("regions", f"[{ident(region)}]")
    doc.texts("territorial_rationale", rationale, rationale_notes)
    doc.field(
        "target_groups",
        f"[{group}]",
        ctx.t("c.idea.groups", groups=", ".join(get_args(TargetGroup))),
    )
    doc.field("min_members", "5", ctx.t("c.idea.members"))
    doc.comment(ctx.t("c.idea.investment"))
    doc.lines.append("investment:")
    doc.field("as_of", ctx.today.isoformat(), indent="  ")
    doc.field("working_capital", q("0.00"), ctx.t("c.idea.working-capital"), indent="  ")
    doc.lines.append("  items:")
    doc.field("    - amount", money(amount))
    doc.texts("label", item, item_notes, indent="      ")
    doc.comment(ctx.t("c.idea.funding"))
    doc.example("funding: [indh-agr, microcredit]")
    doc.comment(ctx.t("c.idea.jobs"))
    doc.lines.append("jobs:")
    doc.field("direct", str(direct), indent="  ")
    doc.field("indirect", "0", indent="  ")
    doc.field("women_share", str(women), indent="  ")
    doc.field("youth_share", str(youth), indent="  ")
    doc.comment(ctx.t("c.idea.market"))
    doc.lines.append("market:")
    doc.texts("customers", customers, customers_notes, indent="  ")
    doc.comment(ctx.t("c.idea.more"))
    doc.example(
        "regulatory: [odco_name_certificate, statutes, register]", "courses: [vendre-en-ligne]"
    )
    doc.comment(ctx.t("c.idea.steps"))
    doc.lines.append("steps:")
    for step in STEPS:
        step_text = {lang: text(lang, step) for lang in ("ar", "fr")}
        doc.texts("- title", step_text, {ctx.lang: review}, indent="  ")
    doc.comment(ctx.t("c.idea.source"))
    doc.lines.append("source:")
    doc.field("type", cast(str, source_type), indent="  ")
    doc.field("ref", q(reference), indent="  ")
    doc.field("year", str(ctx.today.year), indent="  ")
    doc.field("last_reviewed", ctx.today.isoformat(), ctx.t("c.idea.reviewed"))
    yaml_path = folder / f"{idea_id}.yaml"
    files = {yaml_path: doc.text()}
    for lang, body in story(ctx, "body.idea", summary).items():
        files[folder / f"{idea_id}.{lang}.md"] = body
    ctx.write(files, {yaml_path: ProjectIdea})
    return yaml_path


def _source_types() -> tuple[str, ...]:
    annotation = Source.model_fields["type"].annotation
    return cast(tuple[str, ...], get_args(annotation))
