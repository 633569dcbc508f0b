"""The content files' JSON Schemas (generator/schemas.py): every sample file passes, the broken
sites that a schema can see fail at the right key, every field is explained in French and
Arabic, `taawun schema` writes them and the built site serves them."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, ValidationError
from pydantic import BaseModel

from generator.build import BuildResult, build
from generator.cli import main
from generator.models.common import Entity
from generator.schemas import (
    KINDS,
    MAX_ENUM,
    TEXT_LANGUAGES,
    References,
    _field_key,
    _texts,
    field_text,
    reachable_models,
    references_from,
    schema_for,
    schema_json,
)
from generator.sources import discover

from .conftest import SAMPLE_CONTENT
from .test_invalid_sites import CASES, apply_case

# The loader's kind names → the schemas' (a project file is an "idea").
SCHEMA_KIND = {"project": "idea"}
ARABIC = re.compile(r"[\u0600-\u06ff]")


def plain(value: Any) -> Any:
    """YAML as an editor's language server sees it: dates are the strings written."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def read_yaml(path: Path) -> Any:
    return plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def content_files(root: Path) -> list[tuple[str, Path]]:
    """Every YAML file of a content folder with the kind of its schema."""
    found = discover(root)
    files = [("site", found.site_file)]
    files += [(kind, path) for kind, path in found.data_files.items()]
    files += [(SCHEMA_KIND.get(e.kind, e.kind), e.path) for e in found.entities]
    return files


def validator(kind: str, references: References | None) -> Draft202012Validator:
    schema = schema_for(kind, references)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(kind: str, path: Path, references: References | None) -> list[ValidationError]:
    return list(validator(kind, references).iter_errors(read_yaml(path)))


@pytest.fixture(scope="module")
def sample_references() -> References:
    return references_from(SAMPLE_CONTENT)


# -- the sample content passes ------------------------------------------------------------------


def test_every_sample_file_validates(sample_references: References) -> None:
    files = content_files(SAMPLE_CONTENT)
    assert {kind for kind, _ in files} >= {"site", "cooperative", "product", "idea", "regions"}
    assert len(files) > 90
    found = [
        f"{path}: {list(error.absolute_path)}: {error.message}"
        for kind, path in files
        for error in errors(kind, path, sample_references)
    ]
    assert found == []


def test_sample_references_are_the_content_ids(sample_references: References) -> None:
    assert "souss-massa" in sample_references.regions
    assert sample_references.regions["souss-massa"]["fr"] == "Souss-Massa"
    assert "argan-tamanar" in sample_references.cooperatives
    assert set(sample_references.courses) == {
        p.name for p in (SAMPLE_CONTENT / "academy").iterdir() if p.is_dir()
    }
    assert "essaouira" in sample_references.provinces["marrakech-safi"]


# -- the broken sites ---------------------------------------------------------------------------

# case → (file, kind, the key path of an error the schema must report there)
SCHEMA_CASES: dict[str, tuple[str, str, list[str | int]]] = {
    "bad-phone": ("cooperatives/tamount.yaml", "cooperative", ["contact", "phone"]),
    "empty-file": ("pages/privacy.yaml", "page", []),
    "float-price": ("products/tamount/huile-argan.yaml", "product", ["price"]),
    "malformed-price": ("products/tamount/huile-argan.yaml", "product", ["price"]),
    "missing-translation": ("products/tamount/huile-argan.yaml", "product", ["summary"]),
    "negative-price": ("products/tamount/huile-argan.yaml", "product", ["price"]),
    "unknown-category": ("products/tamount/huile-argan.yaml", "product", ["category"]),
    "unknown-cooperative": ("products/ghost/savon.yaml", "product", ["cooperative"]),
    "unknown-key": ("products/tamount/huile-argan.yaml", "product", []),
    "unknown-label": ("products/tamount/huile-argan.yaml", "product", ["labels", 0]),
    "unknown-program": ("cooperatives/tamount.yaml", "cooperative", ["programs", 0]),
    "unknown-region": ("cooperatives/tamount.yaml", "cooperative", ["region"]),
    "wrong-type": ("products/tamount/huile-argan.yaml", "product", ["weight_g"]),
}
# Problems a schema cannot see: they span files or folders (labels and their certificates,
# categories, images on disk, URLs, bodies), depend on the file name or today's date, are below
# the YAML data (encoding, syntax, a repeated key) or are rules between values of one list
# (unique ids, one correct answer). `taawun check` reports them.
NOT_SCHEMA_CASES = {
    "duplicate-id",
    "duplicate-key",
    "expired-label",
    "food-without-onssa",
    "id-mismatch",
    "image-missing",
    "image-outside-content",
    "label-wrong-category",
    "missing-body",
    "non-utf8",
    "quiz-two-correct",
    "unknown-language-suffix",
    "unverified-label",
    "url-collision",
    "yaml-syntax",
}


def test_every_broken_site_is_classified() -> None:
    assert set(SCHEMA_CASES) | NOT_SCHEMA_CASES == set(CASES)
    assert not set(SCHEMA_CASES) & NOT_SCHEMA_CASES


@pytest.mark.parametrize("case", sorted(SCHEMA_CASES))
def test_schema_rejects_the_broken_file(case: str, minimal_site: Path) -> None:
    relative, kind, where = SCHEMA_CASES[case]
    path = minimal_site / relative
    if path.exists():  # before the case is applied, the file is valid
        assert errors(kind, path, references_from(minimal_site)) == []
    apply_case(case, minimal_site)
    found = errors(kind, path, references_from(minimal_site))
    assert [list(error.absolute_path) for error in found if list(error.absolute_path) == where]


def test_unknown_key_is_named(minimal_site: Path) -> None:
    apply_case("unknown-key", minimal_site)
    path = minimal_site / "products/tamount/huile-argan.yaml"
    messages = [e.message for e in errors("product", path, references_from(minimal_site))]
    assert any("'prise'" in m for m in messages)
    assert any("'price' is a required property" in m for m in messages)


# A second problem of a case that a schema does see: the unknown region `oriental`.
SCHEMA_VISIBLE_TOO = {"duplicate-id": Path("projects/sechage-dattes.yaml")}


@pytest.mark.parametrize("case", sorted(NOT_SCHEMA_CASES - {"non-utf8", "yaml-syntax"}))
def test_cross_file_cases_pass_the_schema(case: str, minimal_site: Path) -> None:
    """What only `taawun check` sees: every file of these sites passes its schema."""
    apply_case(case, minimal_site)
    references = references_from(minimal_site)
    found = [
        f"{path}: {list(error.absolute_path)}: {error.message}"
        for kind, path in content_files(minimal_site)
        if path.relative_to(minimal_site) != SCHEMA_VISIBLE_TOO.get(case)
        for error in errors(kind, path, references)
    ]
    assert found == []


def test_unknown_region_of_the_duplicate_id_case(minimal_site: Path) -> None:
    apply_case("duplicate-id", minimal_site)
    path = minimal_site / SCHEMA_VISIBLE_TOO["duplicate-id"]
    found = errors("idea", path, references_from(minimal_site))
    assert ["regions", 0] in [list(error.absolute_path) for error in found]


# -- money, ids and phones as files write them --------------------------------------------------


def test_money_slug_phone_and_dates_are_described() -> None:
    schema = schema_for("cooperative")
    coop = schema["properties"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert coop["region"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert "enum" not in coop["region"]  # no references: a plain slug
    assert coop["founded"]["format"] == "date"
    contact = schema["$defs"]["Contact"]["properties"]
    assert contact["phone"]["pattern"] == r"^\+[1-9]\d{7,14}$"
    assert "register" in coop and "registration" not in coop  # as files write it
    check = Draft202012Validator(schema["$defs"]["Delivery"]["properties"]["fee"])
    assert check.is_valid("35.00") and check.is_valid("35") and check.is_valid(35)
    assert not check.is_valid("35,00") and not check.is_valid(-3) and not check.is_valid(35.5)
    assert not check.is_valid("-5.00") and not check.is_valid(True)


def test_references_become_enums_and_provinces_follow_the_region(
    sample_references: References,
) -> None:
    schema = schema_for("cooperative", sample_references)
    assert "souss-massa" in schema["properties"]["region"]["enum"]
    labels = schema["$defs"]["LabelClaim"]["properties"]["label"]
    assert "igp-argane" in labels["enum"]
    zones = schema["$defs"]["Delivery"]["properties"]["zones"]
    assert any("souss-massa" in o.get("items", {}).get("enum", []) for o in zones["anyOf"])
    check = Draft202012Validator(schema)
    data = read_yaml(SAMPLE_CONTENT / "cooperatives/argan-tamanar.yaml")
    assert check.is_valid(data)
    assert not check.is_valid({**data, "province": "nador"})  # a province of another region
    product = schema_for("product", sample_references)["properties"]
    assert "argan-tamanar" in product["cooperative"]["enum"]
    assert len(product["category"]["enum"]) == len(product["category"]["enumDescriptions"])
    submission = schema_for("submission", sample_references)["properties"]
    assert "argan-tamanar" in submission["cooperative_id"]["anyOf"][0]["enum"]


def test_empty_references_leave_plain_slugs() -> None:
    partial = References(regions={"souss-massa": {"ar": "سوس ماسة", "fr": "Souss-Massa"}})
    schema = schema_for("cooperative", partial)
    assert schema["properties"]["region"]["enum"] == ["souss-massa"]
    assert "enum" not in schema["properties"]["sector"]
    assert Draft202012Validator(schema["properties"]["sector"]).is_valid("any-sector")


def test_a_national_list_of_ids_stays_a_pattern_not_a_12_mb_enum() -> None:
    many = {f"coop-{n}": {"ar": "تعاونية", "fr": "Coopérative"} for n in range(MAX_ENUM + 1)}
    few = dict(list(many.items())[:MAX_ENUM])
    assert (
        "enum" in schema_for("product", References(cooperatives=few))["properties"]["cooperative"]
    )
    cooperative = schema_for("product", References(cooperatives=many))["properties"]["cooperative"]
    assert "enum" not in cooperative and cooperative["pattern"]
    assert len(schema_json("submission", References(cooperatives=many))) < 100_000


# -- texts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", TEXT_LANGUAGES)
def test_every_field_has_a_text(lang: str) -> None:
    missing = []
    for model in reachable_models():
        for name in model.model_fields:
            title, description = field_text(model, name, lang)
            if not description or not title:
                missing.append(f"{model.__name__}.{_field_key(model, name)}")
            elif lang == "ar" and not ARABIC.search(title + description):
                missing.append(f"{model.__name__}.{name} (not Arabic)")
            elif lang == "fr" and ARABIC.search(title + description):
                missing.append(f"{model.__name__}.{name} (not French)")
    assert missing == []


def test_text_files_name_only_real_fields() -> None:
    # Two models may share a name (a cooperative's Jobs and a project's): their fields differ.
    models: dict[str, list[type[BaseModel]]] = {}
    for model in [*reachable_models(), Entity]:
        models.setdefault(model.__name__, []).append(model)
    assert set(_texts("fr")) == set(_texts("ar"))
    for key in _texts("fr"):
        name, _, field = key.partition(".")
        assert name in models, key
        if field:
            assert any(_field_key(model, field) == field for model in models[name]), key


def test_drafts_take_the_content_models_texts() -> None:
    from generator.models.product import Product
    from generator.models.submission import ProductDraft

    assert field_text(ProductDraft, "price", "ar") == field_text(Product, "price", "ar")
    assert field_text(ProductDraft, "description", "fr")[0] == "Description"


def test_languages_of_the_schema() -> None:
    arabic = schema_for("product", lang="ar")["properties"]["price"]
    french = schema_for("product", lang="fr")["properties"]["price"]
    both = schema_for("product")["properties"]["price"]
    assert arabic["title"] == "الثمن" and french["title"] == "Prix"
    assert "x-taawun-labels" not in arabic
    assert both["title"] == "Prix"
    assert both["description"].startswith(french["description"])
    assert both["description"].endswith(arabic["description"])
    assert both["x-taawun-labels"]["ar"] == {
        "title": arabic["title"],
        "description": arabic["description"],
    }
    assert schema_for("product", lang="ar")["title"] == "منتج"


# -- the command and the built site -------------------------------------------------------------


def test_schema_command_writes_every_kind(
    minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = minimal_site.parent / "out"
    assert main(["schema", "--output", str(output), "--content", str(minimal_site)]) == 0
    assert "wrote" in capsys.readouterr().out
    written = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in output.iterdir()}
    assert set(written) == {f"{kind}.schema.json" for kind in KINDS}
    for schema in written.values():
        Draft202012Validator.check_schema(schema)
    product = written["product.schema.json"]
    assert product["properties"]["category"]["enum"] == ["argan-oil-culinary", "rugs-carpets"]
    assert product["$id"].endswith("/schemas/product.schema.json")
    assert written["regions.schema.json"]["type"] == "array"
    assert main(["schema", "--output", str(output), "--lang", "ar"]) == 0  # content/ by default
    product = json.loads((output / "product.schema.json").read_text(encoding="utf-8"))
    assert product["properties"]["price"]["title"] == "الثمن"


def test_schema_command_refuses_a_missing_content_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--output", str(tmp_path), "--content", str(tmp_path / "x")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_built_site_serves_the_schemas(sample_build: tuple[BuildResult, Path]) -> None:
    result, output = sample_build
    served = output / "schemas" / "product.schema.json"
    schema = json.loads(served.read_text(encoding="utf-8"))
    assert result.site is not None
    assert schema["$id"] == f"{result.site.config.base_url}/schemas/product.schema.json"
    assert "argan-tamanar" in schema["properties"]["cooperative"]["enum"]
    assert (output / "schemas" / "submission.schema.json").is_file()
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/schemas/product" not in sitemap and ".schema.json" not in sitemap


def test_incremental_build_follows_new_ids(minimal_site: Path) -> None:
    output = minimal_site.parent / "public"
    build(minimal_site, output)
    served = output / "schemas" / "product.schema.json"
    assert (
        "dried-figs"
        not in json.loads(served.read_text(encoding="utf-8"))["properties"]["category"]["enum"]
    )
    categories = minimal_site / "data" / "categories.yaml"
    categories.write_text(
        categories.read_text(encoding="utf-8")
        + '- id: dried-figs\n  kind: food\n  name: {ar: "تين مجفف", fr: "Figues sèches"}\n',
        encoding="utf-8",
    )
    again = build(minimal_site, output)
    assert again.mode == "incremental"
    category = json.loads(served.read_text(encoding="utf-8"))["properties"]["category"]
    assert "dried-figs" in category["enum"]
    # A later build keeps them (they are among the files a build writes, never pruned).
    assert build(minimal_site, output).removed == []
    assert served.is_file()
