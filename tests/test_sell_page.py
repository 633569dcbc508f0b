"""The "sell with us" page as built: every field of a submission has a labelled input in Arabic
and in French, its HTML attributes are the JSON Schema's rules, the schema sell.js validates with
is published beside it, and the page says what to do without JavaScript."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from generator.build import BuildResult
from generator.models.common import LANGUAGES
from generator.schemas import schema_for
from generator.sellform import browser_schema, references

LANGS = ("ar", "fr")


def page(output: Path, lang: str) -> LexborHTMLParser:
    return LexborHTMLParser((output / lang / "sell" / "index.html").read_text(encoding="utf-8"))


def leaves(schema: dict[str, Any], node: dict[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    """Every field a seller fills in: (key path, its schema), photos by their first entry;
    the optional translations (zgh, en) are left to the editors."""
    defs = schema["$defs"]
    while "$ref" in node:
        node = {
            **defs[node["$ref"].rsplit("/", 1)[-1]],
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
    if len(options) == 1:
        yield from leaves(schema, options[0], path)
        return
    if node.get("type") == "array" and "$ref" in node.get("items", {}):
        yield from leaves(schema, node["items"], f"{path}.0")
        return
    props = node.get("properties")
    if not props:
        yield path, node
        return
    needed = set(node.get("required", []))
    localized = set(props) <= set(LANGUAGES)
    for key, sub in props.items():
        if (key == "lang" and not path) or (localized and key not in needed):
            continue
        yield from leaves(schema, sub, f"{path}.{key}" if path else key)


@pytest.fixture(scope="module")
def schema(sample_build: tuple[BuildResult, Path]) -> dict[str, Any]:
    site = sample_build[0].site
    assert site is not None
    return schema_for("submission", references(site), "fr")


def control(tree: LexborHTMLParser, path: str) -> LexborNode:
    """The input of a field, or the group (fieldset) of its boxes."""
    found = tree.css_first(f'fieldset[id="{path}"]') or tree.css_first(f'[name="{path}"]')
    assert found is not None, f"no input for {path}"
    return found


def label_of(tree: LexborHTMLParser, node: LexborNode) -> str:
    if node.tag == "fieldset":
        legend = node.css_first("legend")
        return legend.text(strip=True) if legend else ""
    label = tree.css_first(f'label[for="{node.attributes["id"]}"]')
    return label.text(strip=True) if label else ""


@pytest.mark.parametrize("lang", LANGS)
def test_every_field_of_a_submission_has_a_labelled_input(
    sample_build: tuple[BuildResult, Path], schema: dict[str, Any], lang: str
) -> None:
    tree = page(sample_build[1], lang)
    paths = [path for path, _ in leaves(schema, schema, "")]
    assert len(paths) > 50 and "cooperative.register.court.ar" in paths
    assert "product.description.fr" in paths and "photos.0.alt.ar" in paths
    for path in paths:
        node = control(tree, path)
        assert label_of(tree, node), f"{path} has no label in {lang}"
    # Texts in Arabic and French are typed in their own language and direction.
    arabic = control(tree, "product.name.ar")
    assert (arabic.attributes["lang"], arabic.attributes["dir"]) == ("ar", "rtl")
    french = control(tree, "product.description.fr")
    assert (french.attributes["lang"], french.attributes["dir"]) == ("fr", "ltr")
    # Labels are in the page's language (the schema's titles in that language).
    title = schema_for("submission", None, lang)["$defs"]["ProductDraft"]["properties"]
    assert label_of(tree, control(tree, "product.weight_g")).startswith(title["weight_g"]["title"])


def test_the_attributes_of_each_input_are_the_schemas_rules(
    sample_build: tuple[BuildResult, Path], schema: dict[str, Any]
) -> None:
    tree = page(sample_build[1], "fr")
    checked = 0
    for path, rule in leaves(schema, schema, ""):
        node = control(tree, path)
        if node.tag not in ("input", "textarea"):
            continue
        attrs = node.attributes
        text = next((o for o in rule.get("anyOf", []) if o.get("type") == "string"), rule)
        assert attrs.get("maxlength") == (
            str(text["maxLength"]) if "maxLength" in text else None
        ), path
        assert attrs.get("pattern") == text.get("pattern"), path
        # Numbers are text inputs with a digits keyboard (sell.js checks minimum and maximum):
        # min and max are not attributes of a text input.
        assert "min" not in attrs and "max" not in attrs, path
        if rule.get("format") == "date":
            assert attrs.get("type") == "date", path
        if rule.get("type") == "integer":
            assert (attrs.get("type"), attrs.get("inputmode")) == (None, "numeric"), path
        if rule.get("type") == "number":
            assert (attrs.get("type"), attrs.get("inputmode")) == (None, "decimal"), path
        checked += 1
    assert checked > 30
    required = control(tree, "product.weight_g").attributes
    assert "required" in required and "required" not in control(tree, "product.stock").attributes
    assert control(tree, "contact.phone").attributes["type"] == "tel"
    assert "required" in control(tree, "consent").attributes  # the model refuses false


def test_the_published_schema_is_the_submission_schema_without_its_texts(
    sample_build: tuple[BuildResult, Path], schema: dict[str, Any]
) -> None:
    output = sample_build[1]
    tree = page(output, "fr")
    form = tree.css_first("form#sell")
    assert form is not None and form.attributes["data-schema"] == "/fr/sell/schema.json"
    published = json.loads((output / "fr" / "sell" / "schema.json").read_text(encoding="utf-8"))
    assert published["schema"] == browser_schema(schema)
    product = published["schema"]["$defs"]["ProductDraft"]
    assert "description" in product["properties"]  # a field's name, not a text
    assert "title" not in product["properties"]["weight_g"]
    assert (
        "argan-tamanar" in published["schema"]["properties"]["cooperative_id"]["anyOf"][0]["enum"]
    )
    assert published["text"]["err.required"] == "Remplissez ce champ."


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_page_says_how_else_to_send(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    tree = page(sample_build[1], lang)
    note = tree.css_first("noscript")
    assert note is not None
    assert ("JavaScript" if lang == "fr" else "جافاسكريبت") in note.text()
    hrefs = [a.attributes.get("href") for a in note.css("a")]
    assert "mailto:contact@taawun.example.ma" in hrefs and f"/{lang}/how-to-sell/" in hrefs
    # The steps' buttons appear with the script; without it the steps are one long form.
    assert all("hidden" in n.attributes for n in tree.css(".step-nav")[:-1])
    assert [s.attributes.get("hidden") for s in tree.css("section.step")][:4] == [None] * 4
    submit = tree.css_first("#sell-submit")
    assert submit is not None and "disabled" in submit.attributes


@pytest.mark.parametrize("lang", LANGS)
def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    tree = page(sample_build[1], lang)
    trap = tree.css_first('input[name="website"]')
    assert trap is not None and trap.parent is not None
    assert trap.attributes["tabindex"] == "-1" and trap.attributes["autocomplete"] == "off"
    assert trap.parent.attributes["aria-hidden"] == "true"
    assert "hp" in (trap.parent.attributes.get("class") or "")
    css = next((sample_build[1] / "static" / "css").glob("sell.*.css")).read_text()
    assert ".hp{position:absolute;inset-inline-start:-100vw" in css


@pytest.mark.parametrize("lang", LANGS)
def test_the_how_to_sell_page_and_the_footer_lead_to_the_form(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    output = sample_build[1]
    how = LexborHTMLParser((output / lang / "how-to-sell" / "index.html").read_text("utf-8"))
    assert how.css_first(f'main a[href="/{lang}/sell/"]') is not None
    home = LexborHTMLParser((output / lang / "index.html").read_text("utf-8"))
    assert home.css_first(f'footer a[href="/{lang}/sell/"]') is not None


@pytest.mark.parametrize(("lang", "five"), [("ar", "خمس خطوات"), ("fr", "cinq étapes")])
def test_the_intro_counts_the_steps_the_page_lists(
    sample_build: tuple[BuildResult, Path], lang: str, five: str
) -> None:
    tree = page(sample_build[1], lang)
    assert len(tree.css("#step-list li")) == len(tree.css("section.step")) == 5
    intro = tree.css_first(".sell-page > p")
    assert intro is not None and five in intro.text()


@pytest.mark.parametrize("lang", LANGS)
def test_hints_speak_of_the_form_not_of_content_files(
    sample_build: tuple[BuildResult, Path], lang: str
) -> None:
    """The schema explains how to write a value in a YAML file (true, national, ids, E.164,
    a list in brackets); the form's boxes, lists and readers do that for the seller."""
    tree = page(sample_build[1], lang)
    hints = {n.attributes["id"]: n.text(strip=True) for n in tree.css(".hint[id]")}
    file_words = re.compile(r"\btrue\b|\bnational\b|\bin_stock\b|\bpiece\b|\[|\+212\d|\bzgh\b")
    assert {key: text for key, text in hints.items() if file_words.search(text)} == {}
    for key in ("cooperative.contact.phone", "contact.phone"):
        assert "06 12 34 56 78" in hints[f"{key}-hint"]
    assert "," in hints["product.tags-hint"] or "،" in hints["product.tags-hint"]
    assert "product.net_quantity.unit-hint" not in hints  # the list names the units
    # An optional field says so in its label, not a second time in its hint.
    optional = "(facultatif)" if lang == "fr" else "(اختياري)"
    assert [key for key, text in hints.items() if optional in text] == []
    label = tree.css_first('label[for="cooperative.contact.whatsapp"]')
    assert label is not None and optional in label.text()
