"""`taawun new cooperative` and `taawun new product`: the market's two kinds."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, cast, get_args

from ..models import Cooperative, Image, Product
from ..models.common import dirhams
from ..models.cooperative import Contact, Delivery, Members, Register
from ..models.data import Category
from ..models.product import NetQuantity, Unit
from ..slugs import cooperative_slug
from . import NewError
from .context import Context
from .texts import text
from .yamltext import REVIEW, Doc, ident, q

IMAGE_SUFFIXES = {".svg", ".jpg", ".jpeg", ".png", ".webp"}  # those `taawun check` accepts


def money(centimes: int) -> str:
    """Centimes → the quoted dirhams content files write ("120.00")."""
    return q(dirhams(centimes))


def story(ctx: Context, heading: str, summary: dict[str, str]) -> dict[str, str]:
    """The first Markdown text of an entry: a heading and its summary, to write on from."""
    return {lang: f"## {text(lang, heading)}\n\n{summary[lang]}\n" for lang in summary}


def new_cooperative(ctx: Context) -> Path:
    ctx.asker.say(ctx.t("intro.cooperative"))
    folder = ctx.root / "cooperatives"
    name = ctx.texts("q.coop.name")

    def taken(value: str) -> str:
        if (value,) in ctx.content.entities["cooperative"]:
            return ctx.t("check.id-used", id=value)
        return ctx.free(folder / f"{value}.yaml")

    coop_id = ctx.new_id("q.id", name, taken, cooperative_slug)
    summary = ctx.texts("q.coop.summary")
    sector = ctx.choose_data("q.sector", "sectors")
    region = cast(str, ctx.choose_data("q.region", "regions"))
    provinces = ctx.content.data["regions"][region].item.provinces  # type: ignore[attr-defined]
    province = None
    if provinces:
        options = [(p, p) for p in provinces]
        province = ctx.asker.choose(ctx.t("q.province"), options, optional=True)
    number = ctx.ask(Register, "number", "q.coop.register", "hint.text")
    court, court_notes = ctx.text_once("q.coop.court")
    registered = ctx.ask(Register, "date", "q.coop.registered", "hint.date")
    founded = ctx.ask(Cooperative, "founded", "q.coop.founded", "hint.date")
    total = ctx.ask(Members, "total", "q.coop.members", "hint.positive")

    def at_most_total(value: int) -> str | None:
        return ctx.t("check.more-than-total", total=total) if value > total else None

    women = ctx.ask(Members, "women", "q.coop.women", "hint.count", check=at_most_total)
    youth = ctx.ask(Members, "youth", "q.coop.youth", "hint.count", check=at_most_total)
    phone = ctx.ask(Contact, "phone", "q.coop.phone", "hint.phone")
    fee = ctx.ask(Delivery, "fee", "q.coop.fee", "hint.money", default="35.00")
    days = ctx.ask(Delivery, "lead_time_days", "q.coop.days", "hint.days", default="3")

    doc = Doc()
    doc.comment(ctx.t("c.coop.head", id=coop_id), ctx.t("c.check", code=ctx.lang))
    doc.field("id", ident(coop_id), ctx.t("c.id"))
    doc.comment(ctx.t("c.coop.name"))
    doc.texts("name", name)
    doc.comment(ctx.t("c.coop.summary"))
    doc.texts("summary", summary)
    doc.comment(ctx.t("c.coop.register"))
    doc.lines.append("register:")
    doc.field("number", q(number), indent="  ")
    doc.texts("court", court, court_notes, indent="  ")
    doc.field("date", registered.isoformat(), indent="  ")
    doc.comment(ctx.t("c.coop.place"))
    doc.field("sector", ident(cast(str, sector)))
    doc.field("region", ident(region))
    if province:
        doc.field("province", ident(province))
    doc.example('commune: {ar: "…", fr: "…"}')
    doc.field("founded", founded.isoformat(), ctx.t("c.coop.founded"))
    doc.comment(ctx.t("c.coop.members"))
    doc.lines.append("members:")
    for key, value in (("total", total), ("women", women), ("youth", youth)):
        doc.field(key, str(value), indent="  ")
    doc.field("as_of", ctx.today.isoformat(), indent="  ")
    doc.example("board: {total: 5, women: 3, youth: 1, chair: woman}")
    doc.comment(ctx.t("c.coop.contact"))
    doc.lines.append("contact:")
    doc.field("phone", q(phone), indent="  ")
    doc.comment('whatsapp: "+212661000000"', 'email: "cooperative@example.ma"', indent="  ")
    doc.comment("languages: [ar, fr, zgh]", indent="  ")
    doc.comment(ctx.t("c.coop.onssa"))
    doc.example('onssa: {kind: autorisation, number: "AS.00.0000.00", valid_until: 2030-12-31}')
    doc.comment(ctx.t("c.coop.labels"))
    doc.example(
        "labels:",
        '  - {label: igp-argane, certificate_no: "…", certifier: "…", valid_until: 2030-12-31}',
    )
    doc.comment(ctx.t("c.coop.delivery"))
    doc.lines.append("delivery:")
    doc.field("zones", "national", ctx.t("c.coop.zones"), indent="  ")
    doc.field("fee", money(fee), ctx.t("c.coop.fee"), indent="  ")
    doc.comment('free_from: "600.00"  ' + ctx.t("c.coop.free-from"), indent="  ")
    doc.field("cod", "true", ctx.t("c.coop.cod"), indent="  ")
    doc.field("lead_time_days", str(days), ctx.t("c.coop.days"), indent="  ")
    doc.comment(ctx.t("c.coop.photos"))
    doc.example(
        "photos:",
        f"  - src: media/cooperatives/{coop_id}.jpg",
        '    alt: {ar: "…", fr: "…"}',
    )
    yaml_path = folder / f"{coop_id}.yaml"
    files = {yaml_path: doc.text()}
    for lang, body in story(ctx, "body.coop", summary).items():
        files[folder / f"{coop_id}.{lang}.md"] = body
    ctx.write(files, {yaml_path: Cooperative})
    return yaml_path


def new_product(ctx: Context) -> Path:
    ctx.asker.say(ctx.t("intro.product"))
    coops = ctx.entries("cooperative", Cooperative)
    options = [(key[0], coop.name.resolve(ctx.lang)[0]) for key, coop in coops.items()]
    if not options:
        raise NewError(ctx.t("error.no-cooperative"))
    coop_id = cast(str, ctx.asker.choose(ctx.t("q.product.cooperative"), options))
    coop = coops[(coop_id,)]
    folder = ctx.root / "products" / coop_id
    name = ctx.texts("q.product.name")
    skus = {sku for product in ctx.entries("product", Product).values() for sku in product.skus}

    def taken(value: str) -> str:
        if value in skus:
            return ctx.t("check.id-used", id=value)
        return ctx.free(folder / f"{value}.yaml")

    product_id = ctx.new_id("q.id", name, taken)
    summary = ctx.texts("q.product.summary")
    category_id = cast(str, ctx.choose_data("q.category", "categories"))
    category = cast(Category, ctx.content.data["categories"][category_id].item)
    price = ctx.ask(Product, "price", "q.product.price", "hint.money")
    quantity: tuple[float, str] | None = None
    value = (ctx.ask if category.is_food else ctx.maybe)(
        NetQuantity, "value", "q.product.quantity", "hint.number"
    )
    if value is not None:
        units = [(u, ctx.label(f"unit.{u}")) for u in get_args(Unit)]
        quantity = (value, cast(str, ctx.asker.choose(ctx.t("q.product.unit"), units)))
    weight = ctx.ask(Product, "weight_g", "q.product.weight", "hint.positive")
    stock = ctx.maybe(Product, "stock", "q.product.stock", "hint.count")
    onssa = None
    if category.is_food and coop.onssa is None:
        onssa = ctx.ask(Product, "onssa_number", "q.product.onssa", "hint.text")
    image, image_notes = _image(ctx, coop, category, product_id)

    doc = Doc()
    doc.comment(ctx.t("c.product.head", id=product_id), ctx.t("c.check", code=ctx.lang))
    doc.field("id", ident(product_id), ctx.t("c.id"))
    doc.field("cooperative", ident(coop_id), ctx.t("c.product.cooperative"))
    doc.comment(ctx.t("c.product.name"))
    doc.texts("name", name)
    doc.comment(ctx.t("c.product.summary"))
    doc.texts("summary", summary)
    doc.field("category", ident(category_id), ctx.t("c.product.category"))
    doc.field("price", money(price), ctx.t("c.product.price"))
    if quantity is not None:
        amount = f"{quantity[0]:g}"
        doc.field(
            "net_quantity", f"{{value: {amount}, unit: {quantity[1]}}}", ctx.t("c.product.quantity")
        )
    doc.comment(ctx.t("c.product.variants"))
    doc.example(
        "variants:",
        f'  - {{sku: {product_id}-500g, name: {{ar: "500 غ", fr: "500 g"}}, '
        'net_quantity: {value: 500, unit: g}, price: "150.00", stock: 20}',
    )
    doc.field("availability", "in_stock", ctx.t("c.product.availability"))
    if stock is not None:
        doc.field("stock", str(stock), ctx.t("c.product.stock"))
    doc.field("weight_g", str(weight), ctx.t("c.product.weight"))
    if onssa is not None:
        doc.field("onssa_number", q(onssa), ctx.t("c.product.onssa"))
    doc.comment(ctx.t("c.product.more"))
    doc.example('ingredients: [{ar: "…", fr: "…"}]', 'allergens: [{ar: "…", fr: "…"}]')
    doc.example("shelf_life_days: 365", "labels: [igp-argane]")
    doc.comment(ctx.t("c.product.images", coop=coop_id))
    doc.lines.append("images:")
    src_note = f"{REVIEW}: " + ctx.t("note.photo", coop=coop_id, id=product_id)
    doc.field("  - src", q(image.src), src_note)
    doc.texts("alt", _texts(image.alt), image_notes, indent="    ")
    doc.field("published", ctx.today.isoformat(), ctx.t("c.product.published"))
    yaml_path = folder / f"{product_id}.yaml"
    files = {yaml_path: doc.text()}
    for lang, body in summary.items():
        files[folder / f"{product_id}.{lang}.md"] = body + "\n"
    ctx.write(files, {yaml_path: Product})
    return yaml_path


def _texts(text: Any) -> dict[str, str]:
    return {lang: text.get(lang) for lang in ("ar", "fr")}


def _image(
    ctx: Context, coop: Cooperative, category: Category, product_id: str
) -> tuple[Image, dict[str, str]]:
    """The product's first image until its photo comes: what the sample site does (the
    category's drawing), else the cooperative's photo, else one the person names."""
    drawing = f"media/categories/{category.id}.svg"
    if drawing in ctx.content.media:
        alt = {
            lang: text(lang, "product.alt", category=category.name.resolve(lang)[0])
            for lang in ("ar", "fr")
        }
        return Image.model_validate({"src": drawing, "alt": alt}), {}
    if coop.photos:
        return coop.photos[0], {}
    src = ctx.asker.value(
        ctx.t("q.product.image"),
        _ImagePath(ctx),
        ctx.t("hint.image"),
    )
    alt, notes = ctx.text_once("q.product.alt")
    return Image.model_validate({"src": src, "alt": alt}), notes


class _ImagePath:
    """An image file of the content folder, as `taawun check` accepts it."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def validate_python(self, answer: str) -> str:
        path = PurePosixPath(answer)
        if path.suffix.lower() not in IMAGE_SUFFIXES or answer not in self._ctx.content.media:
            raise ValueError(self._ctx.t("hint.image"))
        return answer
