"""`taawun cms`: the Decap CMS admin generated from the models.

The configuration is checked against the structure Decap documents (decapcms.org/docs:
configuration options, collections, i18n, widgets), written below as a JSON Schema of the part
of it we use, stricter than Decap's own (unknown options are errors here); against the models
(no field dropped, `required` as the model says); and against the content (select options are
its ids, folders exist). When tools/ holds decap-cms, the real Decap loads it in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from generator.cli import main
from generator.cms import DECAP_INTEGRITY, DECAP_VERSION, KINDS, admin_html, cms_config, shape
from generator.models import LocalizedText
from generator.models.academy import Lesson, Module
from generator.models.cooperative import Delivery

from .conftest import REPO, SAMPLE_CONTENT

DECAP_DIST = REPO / "tools" / "node_modules" / "decap-cms" / "dist"

# ------------------------------------------------------------------ Decap's documented structure

_STRING_LIST = {"type": "array", "items": {"type": "string"}, "minItems": 1}
_NUMBER = {"type": "number"}
# The image and file widgets take the same options (decapcms.org/docs/widgets/image, …/file).
_MEDIA_OPTIONS = {
    "default": {"type": "string"},
    "media_library": {"type": "object"},
    "allow_multiple": {"type": "boolean"},
    "choose_url": {"type": "boolean"},
    "media_folder": {"type": "string"},
    "public_folder": {"type": "string"},
}
_WIDGET_OPTIONS: dict[str, dict[str, Any]] = {
    # decapcms.org/docs/widgets/<name>: the options each widget documents.
    "string": {"default": {"type": "string"}},
    "text": {"default": {"type": "string"}},
    "markdown": {
        "default": {"type": "string"},
        "minimal": {"type": "boolean"},
        "buttons": _STRING_LIST,
        "editor_components": {"type": "array", "items": {"type": "string"}},
        "modes": {"type": "array", "items": {"enum": ["raw", "rich_text"]}, "minItems": 1},
    },
    "number": {
        "default": _NUMBER,
        "value_type": {"enum": ["int", "float"]},
        "min": _NUMBER,
        "max": _NUMBER,
        "step": _NUMBER,
    },
    "boolean": {"default": {"type": "boolean"}},
    "datetime": {
        "default": {"type": "string"},
        "format": {"type": "string"},
        "date_format": {"type": ["string", "boolean"]},
        "time_format": {"type": ["string", "boolean"]},
        "picker_utc": {"type": "boolean"},
    },
    "select": {
        "default": {},
        "options": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "label": {"type": "string"},
                    "value": {"type": ["string", "integer"]},
                },
                "required": ["label", "value"],
                "additionalProperties": False,
            },
        },
        "multiple": {"type": "boolean"},
        "min": {"type": "integer"},
        "max": {"type": "integer"},
    },
    "relation": {
        "default": {},
        "collection": {"type": "string"},
        "value_field": {"type": "string"},
        "search_fields": _STRING_LIST,
        "display_fields": _STRING_LIST,
        "file": {"type": "string"},
        "multiple": {"type": "boolean"},
        "min": {"type": "integer"},
        "max": {"type": "integer"},
        "options_length": {"type": "integer"},
    },
    "list": {
        "default": {"type": "array"},
        "allow_add": {"type": "boolean"},
        "collapsed": {"type": "boolean"},
        "summary": {"type": "string"},
        "minimize_collapsed": {"type": "boolean"},
        "label_singular": {"type": "string"},
        "field": {"$ref": "#/$defs/field"},
        "fields": {"$ref": "#/$defs/fields"},
        "min": {"type": "integer"},
        "max": {"type": "integer"},
        "add_to_top": {"type": "boolean"},
    },
    "object": {
        "default": {"type": "object"},
        "collapsed": {"type": "boolean"},
        "summary": {"type": "string"},
        "fields": {"$ref": "#/$defs/fields"},
    },
    "image": _MEDIA_OPTIONS,
    "file": _MEDIA_OPTIONS,
    "hidden": {"default": {}},
}
_REQUIRED_OPTIONS = {
    "select": ["options"],
    "relation": ["collection", "value_field", "search_fields"],
    "object": ["fields"],
}
_I18N = {
    "type": "object",
    "properties": {
        "structure": {"enum": ["multiple_folders", "multiple_files", "single_file"]},
        "locales": {"type": "array", "items": {"type": "string", "pattern": "^[a-zA-Z-_]+$"}},
        "default_locale": {"type": "string"},
    },
    "additionalProperties": False,
}
_COMMON_COLLECTION = {
    "name": {"type": "string", "pattern": "^[a-z0-9_]+$"},
    "label": {"type": "string"},
    "label_singular": {"type": "string"},
    "description": {"type": "string"},
    "extension": {"enum": ["yml", "yaml", "toml", "json", "md", "markdown", "html"]},
    "format": {"enum": ["yml", "yaml", "toml", "json", "frontmatter", "yaml-frontmatter"]},
    "i18n": {"oneOf": [{"type": "boolean"}, _I18N]},
    "editor": {"type": "object"},
    "delete": {"type": "boolean"},
}
DECAP_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["backend", "media_folder", "collections"],
    "additionalProperties": False,
    "properties": {
        "backend": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"enum": ["github", "gitlab", "gitea", "git-gateway", "test-repo"]},
                "repo": {"type": "string", "pattern": "^[^/]+/[^/]+$"},
                "branch": {"type": "string"},
                "base_url": {"type": "string"},
                "api_root": {"type": "string"},
                "auth_endpoint": {"type": "string"},
                "open_authoring": {"type": "boolean"},
            },
            "additionalProperties": False,
        },
        "local_backend": {"type": "boolean"},
        "publish_mode": {"enum": ["simple", "editorial_workflow"]},
        "site_url": {"type": "string", "format": "uri"},
        "locale": {"type": "string"},
        "media_folder": {"type": "string"},
        "public_folder": {"type": "string"},
        "i18n": {**_I18N, "required": ["structure", "locales"]},
        "slug": {
            "type": "object",
            "properties": {
                "encoding": {"enum": ["unicode", "ascii"]},
                "clean_accents": {"type": "boolean"},
            },
            "additionalProperties": False,
        },
        "collections": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/collection"}},
    },
    "$defs": {
        "collection": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["name", "label", "folder", "fields"],
                    "properties": {
                        **_COMMON_COLLECTION,
                        "folder": {"type": "string"},
                        "path": {"type": "string"},
                        "create": {"type": "boolean"},
                        "nested": {
                            "type": "object",
                            "required": ["depth"],
                            "properties": {
                                "depth": {"type": "integer", "minimum": 1},
                                "summary": {"type": "string"},
                                "subfolders": {"type": "boolean"},
                            },
                            "additionalProperties": False,
                        },
                        "identifier_field": {"type": "string"},
                        "summary": {"type": "string"},
                        "slug": {"type": "string"},
                        "media_folder": {"type": "string"},
                        "public_folder": {"type": "string"},
                        "fields": {"$ref": "#/$defs/fields"},
                    },
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "required": ["name", "label", "files"],
                    "properties": {
                        **_COMMON_COLLECTION,
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "required": ["name", "label", "file", "fields"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "label": {"type": "string"},
                                    "file": {"type": "string"},
                                    "fields": {"$ref": "#/$defs/fields"},
                                },
                                "additionalProperties": False,
                            },
                        },
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/field"}},
        "field": {
            "type": "object",
            "required": ["name", "widget"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "label": {"type": "string"},
                "widget": {"enum": sorted(_WIDGET_OPTIONS)},
                "required": {"type": "boolean"},
                "hint": {"type": "string"},
                "pattern": {
                    "type": "array",
                    "prefixItems": [{"type": "string", "format": "regex"}, {"type": "string"}],
                    "minItems": 2,
                    "maxItems": 2,
                },
                "i18n": {
                    "oneOf": [{"type": "boolean"}, {"enum": ["translate", "duplicate", "none"]}]
                },
            },
            "allOf": [
                {
                    "if": {"properties": {"widget": {"const": widget}}},
                    "then": {"properties": options, "required": _REQUIRED_OPTIONS.get(widget, [])},
                }
                for widget, options in _WIDGET_OPTIONS.items()
            ],
            "unevaluatedProperties": False,
        },
    },
}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return cms_config(SAMPLE_CONTENT, REPO)


def _data_ids(name: str) -> list[str]:
    entries = yaml.safe_load((SAMPLE_CONTENT / "data" / f"{name}.yaml").read_text("utf-8"))
    return [entry["id"] for entry in entries]


def _collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [c for c in config["collections"] if c["name"] == name]
    return found


def _by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in fields}


# ------------------------------------------------------------------ structure


def test_the_written_config_parses_and_has_decaps_documented_structure(tmp_path: Path) -> None:
    assert main(["cms", "--content", str(SAMPLE_CONTENT), "--output", str(tmp_path)]) == 0
    written = yaml.safe_load((tmp_path / "config.yml").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(
        DECAP_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(written)]
    assert errors == []


def test_the_structure_schema_rejects_what_decap_does_not_document(config: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(config))
    broken["collections"][0]["fields"][0]["widget"] = "color-picker"
    broken["collections"][1]["fields"][0]["placeholder"] = "?"
    errors = list(jsonschema.Draft202012Validator(DECAP_SCHEMA).iter_errors(broken))
    assert len(errors) == 2


def test_i18n_uses_the_sites_languages_and_the_texts_layout(config: dict[str, Any]) -> None:
    site = yaml.safe_load((SAMPLE_CONTENT / "site.yaml").read_text("utf-8"))
    assert config["i18n"]["locales"] == site["languages"]
    texts = _collection(config, "cooperatives_texts")
    # <id>.<lang>.md beside <id>.yaml: Decap's multiple_files layout.
    assert texts["i18n"]["structure"] == "multiple_files"
    assert texts["extension"] == "md"
    assert texts["fields"] == [
        {
            "name": "body",
            "label": "Texte — النص",
            "widget": "markdown",
            "i18n": True,
            "required": True,
        }
    ]


# ------------------------------------------------------------------ faithful to the models


def _check_fields(model: type[BaseModel], fields: list[dict[str, Any]], where: str) -> int:
    """Every model field is there, `required` as the model says; returns the fields checked."""
    named = _by_name(fields)
    keys = {info.alias or name: info for name, info in model.model_fields.items()}
    assert set(named) >= set(keys), f"{where}: missing {sorted(set(keys) - set(named))}"
    checked = 0
    for key, info in keys.items():
        field = named[key]
        assert field.get("required", True) is info.is_required(), f"{where}.{key}"
        checked += 1
        found = shape(info.annotation, info.metadata)
        inner = found.base
        if typing.get_origin(inner) is list:
            inner = shape(typing.get_args(inner)[0]).base
        if isinstance(inner, type) and issubclass(inner, BaseModel) and "fields" in field:
            if issubclass(inner, LocalizedText):
                langs = _by_name(field["fields"])
                assert langs["ar"]["required"] and langs["fr"]["required"], f"{where}.{key}"
                assert not langs["en"]["required"], f"{where}.{key}"
            checked += _check_fields(inner, field["fields"], f"{where}.{key}")
    return checked


def test_every_model_field_is_in_its_collection_with_its_requiredness(
    config: dict[str, Any],
) -> None:
    checked = 0
    for kind in KINDS:
        checked += _check_fields(kind.model, _collection(config, kind.name)["fields"], kind.name)
    for collection in config["collections"]:
        for entry in collection.get("files", []):
            if entry["file"].endswith(".yaml"):
                model = Module if entry["file"].endswith("/module.yaml") else Lesson
                checked += _check_fields(model, entry["fields"], entry["name"])
    assert checked > 300


def test_widgets_match_the_field_types(config: dict[str, Any]) -> None:
    products = _by_name(_collection(config, "products")["fields"])
    assert products["price"]["widget"] == "string"
    assert products["price"]["pattern"][0] == r"^\d{1,9}(\.\d{1,2})?$"
    assert re.match(products["price"]["pattern"][0], "120.00")
    assert not re.match(products["price"]["pattern"][0], "120,00")
    assert products["weight_g"] | {"hint": None} == products["weight_g"] | {
        "widget": "number",
        "value_type": "int",
        "min": 1,
        "step": 1,
        "hint": None,
    }
    assert products["published"]["widget"] == "datetime"
    assert products["published"]["format"] == "YYYY-MM-DD"
    assert products["published"]["time_format"] is False
    assert products["availability"]["options"][0] == {"label": "in_stock", "value": "in_stock"}
    assert products["availability"]["default"] == "in_stock"
    assert products["images"]["min"] == 1 and products["images"]["max"] == 12
    image = _by_name(products["images"]["fields"])
    assert image["src"]["widget"] == "image"
    assert set(_by_name(image["alt"]["fields"])) == {"ar", "fr", "zgh", "en"}
    assert products["cooperative"]["widget"] == "relation"
    assert products["cooperative"]["collection"] == "cooperatives"
    coops = _by_name(_collection(config, "cooperatives")["fields"])
    contact = _by_name(coops["contact"]["fields"])
    assert re.match(contact["phone"]["pattern"][0], "+212612345678")
    assert coops["id"]["pattern"][0] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    # What the office sets comes last, folded, and sample data is hidden.
    assert [f["name"] for f in _collection(config, "cooperatives")["fields"][-2:]] == [
        "verified",
        "performance",
    ]
    assert coops["performance"]["collapsed"] is True
    assert coops["sample"]["widget"] == "hidden"


def test_select_options_are_the_contents_ids(config: dict[str, Any]) -> None:
    coops = _by_name(_collection(config, "cooperatives")["fields"])
    products = _by_name(_collection(config, "products")["fields"])
    ideas = _by_name(_collection(config, "projects")["fields"])

    def values(field: dict[str, Any]) -> list[Any]:
        return [option["value"] for option in field["options"]]

    assert values(coops["region"]) == sorted(_data_ids("regions"))
    assert values(coops["sector"]) == sorted(_data_ids("sectors"))
    assert values(coops["programs"]) == sorted(_data_ids("funding"))
    assert coops["programs"]["multiple"] is True
    assert values(_by_name(coops["delivery"]["fields"])["zones"]) == [
        "national",
        *sorted(_data_ids("regions")),
    ]
    assert values(_by_name(coops["labels"]["fields"])["label"]) == sorted(_data_ids("labels"))
    assert values(products["category"]) == sorted(_data_ids("categories"))
    assert values(products["labels"]) == sorted(_data_ids("labels"))
    assert values(products["season"]) == list(range(1, 13))
    assert values(ideas["regions"]) == sorted(_data_ids("regions"))
    regions = yaml.safe_load((SAMPLE_CONTENT / "data" / "regions.yaml").read_text("utf-8"))
    provinces = sorted(p for region in regions for p in region["provinces"])
    assert sorted(values(coops["province"])) == provinces


def test_national_delivery_can_be_written_as_a_one_item_list() -> None:
    # A multiple select writes a list: [national] means national.
    delivery = Delivery.model_validate({"zones": ["national"], "fee": "35.00", "lead_time_days": 2})
    assert delivery.zones == "national"


def test_folders_and_files_exist_in_the_content(config: dict[str, Any]) -> None:
    assert (REPO / config["media_folder"]).is_dir()
    for collection in config["collections"]:
        if "folder" in collection:
            assert (REPO / collection["folder"]).is_dir(), collection["folder"]
            assert collection["folder"].startswith("content/")
            media = collection.get("media_folder")
            if media:
                assert media.startswith("/content/media/")
                assert collection["public_folder"] == media.removeprefix("/content/")
        for entry in collection.get("files", []):
            assert (REPO / entry["file"]).is_file(), entry["file"]
    lessons = [
        entry["file"]
        for collection in config["collections"]
        for entry in collection.get("files", [])
        if not entry["file"].endswith("module.yaml") and entry["file"].endswith(".yaml")
    ]
    on_disk = [
        p for p in (SAMPLE_CONTENT / "academy").glob("*/*/*.yaml") if p.name != "module.yaml"
    ]
    assert len(lessons) == len(on_disk) > 0


# ------------------------------------------------------------------ admin page and command


def test_admin_page_loads_a_pinned_decap_with_its_integrity(tmp_path: Path) -> None:
    assert main(["cms", "--content", str(SAMPLE_CONTENT), "--output", str(tmp_path)]) == 0
    tree = HTMLParser((tmp_path / "index.html").read_text("utf-8"))
    (script,) = tree.css("script[src]")
    src = script.attributes["src"] or ""
    assert re.fullmatch(r"https://unpkg\.com/decap-cms@\d+\.\d+\.\d+/dist/decap-cms\.js", src)
    assert f"@{DECAP_VERSION}/" in src
    assert script.attributes["integrity"] == DECAP_INTEGRITY
    assert script.attributes["crossorigin"] == "anonymous"
    link = tree.css_first('link[rel="cms-config-url"]')
    assert link is not None and link.attributes["href"] == "config.yml"
    if (DECAP_DIST / "decap-cms.js").is_file():
        digest = hashlib.sha384((DECAP_DIST / "decap-cms.js").read_bytes()).digest()
        assert "sha384-" + base64.b64encode(digest).decode() == DECAP_INTEGRITY


def test_the_backend_is_given_once_and_kept_when_regenerating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def backend() -> Any:
        return yaml.safe_load((tmp_path / "config.yml").read_text(encoding="utf-8"))["backend"]

    cms = ["cms", "--content", str(SAMPLE_CONTENT), "--output", str(tmp_path)]
    assert main(cms) == 0
    assert backend()["repo"] == "OWNER/REPO" and "--repo OWNER/NAME" in capsys.readouterr().out
    assert main([*cms, "--repo", "coop-office/content", "--branch", "live"]) == 0
    assert backend() == {"name": "github", "repo": "coop-office/content", "branch": "live"}
    assert main(cms) == 0  # after a data change, say: the backend stays
    assert backend() == {"name": "github", "repo": "coop-office/content", "branch": "live"}
    assert "next:" not in capsys.readouterr().out
    assert main([*cms, "--backend", "git-gateway"]) == 0
    assert backend() == {"name": "git-gateway", "branch": "main"}
    assert main([*cms, "--repo", "not a repository"]) == 2
    assert "OWNER/NAME" in capsys.readouterr().err
    config = yaml.safe_load((tmp_path / "config.yml").read_text(encoding="utf-8"))
    assert config["publish_mode"] == "editorial_workflow"
    # A Gitea backend written by hand is kept, without the workflow Decap has not for it.
    gitea = {"name": "gitea", "repo": "office/content", "base_url": "https://git.example.ma"}
    config["backend"] = gitea
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert main(cms) == 0
    config = yaml.safe_load((tmp_path / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == gitea and "publish_mode" not in config


def test_cms_command_says_what_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cms", "--content", str(tmp_path / "missing"), "--output", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: [", encoding="utf-8")
    assert main(["cms", "--content", str(tmp_path / "content"), "--output", str(tmp_path)]) == 1
    assert "site.yaml" in capsys.readouterr().err
    assert admin_html().count("<script") == 1


# ------------------------------------------------------------------ the real Decap, in Chromium

# A secure context (Decap needs crypto.randomUUID): localhost, answered by Playwright itself.
ORIGIN = "http://localhost:9"


def _repo_files(root: Path, folder: Path) -> dict[str, Any]:
    """The test-repo backend's in-memory repository (`window.repoFiles`): nested by folder."""
    tree: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".md"):
            node = tree
            parts = path.relative_to(root).parts
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = {"content": path.read_text("utf-8")}
    return tree


def _admin_page(config: dict[str, Any]) -> str:
    """The generated admin page, with Decap served locally and the sample content in memory.

    test-repo looks a folder up by its whole path as one key, so each collection's folder is
    also linked at the top (the same objects: edits show in both)."""
    folders = sorted({c["folder"] for c in config["collections"] if "folder" in c})
    links = "".join(
        f"window.repoFiles[{json.dumps(f)}] = {json.dumps(f.split('/'))}.reduce("
        "(node, part) => node[part], window.repoFiles);"
        for f in folders
    )
    files = json.dumps(_repo_files(REPO, SAMPLE_CONTENT), ensure_ascii=False)
    page = admin_html().replace(
        f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js",
        f"{ORIGIN}/decap/decap-cms.js",
    )
    return page.replace("<body>", f"<body>\n<script>window.repoFiles = {files};{links}</script>")


@pytest.fixture
def decap_page(browser: Any, config: dict[str, Any]) -> Any:
    if not (DECAP_DIST / "decap-cms.js").is_file():
        pytest.skip(
            f"decap-cms {DECAP_VERSION} not found in {DECAP_DIST.parent}: "
            f"cd tools && npm pack decap-cms@{DECAP_VERSION} && mkdir -p node_modules/decap-cms "
            f"&& tar xzf decap-cms-{DECAP_VERSION}.tgz -C node_modules/decap-cms --strip-components 1"
        )
    local = json.loads(json.dumps(config))
    local["backend"] = {"name": "test-repo"}
    local.pop("local_backend")
    served = {
        "/admin/": (_admin_page(local), "text/html"),
        "/admin/config.yml": (yaml.safe_dump(local, allow_unicode=True), "text/yaml"),
    }
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    # Leaving a changed entry asks "leave this page?": say yes (nothing is saved); the test
    # counts these prompts itself.
    page.on("dialog", lambda dialog: dialog.accept())
    page.on(
        "console",
        # The editor previews images from the site's address, which this page does not serve.
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" and "404" not in message.text
            else None
        ),
    )

    def serve(route: Any) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path.startswith("/decap/"):
            file = DECAP_DIST / path.removeprefix("/decap/")
            if file.is_file():
                route.fulfill(body=file.read_bytes(), content_type="application/javascript")
                return
        if path in served:
            body, kind = served[path]
            route.fulfill(body=body, content_type=f"{kind}; charset=utf-8")
            return
        route.fulfill(status=404, body="not found")

    context.route(f"{ORIGIN}/**", serve)
    # Nothing leaves the machine: Decap's other requests (fonts, telemetry) are refused.
    context.route(re.compile(r"^https?://(?!localhost:9/).*"), lambda route: route.abort())
    page.goto(f"{ORIGIN}/admin/")
    page.get_by_role("button", name=re.compile("Login|Se connecter", re.I)).click(timeout=30_000)
    page.wait_for_selector("text=Coopératives — التعاونيات", timeout=30_000)
    yield page, problems
    context.close()


# Decap's state is a Redux store with no public handle: it is found through React's internals,
# as the `store` prop of the root's provider. Returns the entry being edited as the editor
# holds it (`draft`), as it was read from the repository (`stored`), and Decap's changed flag.
_EDITED_ENTRY_JS = """() => {
  const root = document.querySelector('#nc-root');
  const key = Object.keys(root).find(k => k.startsWith('__reactContainer$'));
  const fibers = [root[key]];
  let store = null;
  while (fibers.length && !store) {
    const fiber = fibers.pop();
    const props = fiber.memoizedProps;
    if (props && props.store && typeof props.store.getState === 'function') store = props.store;
    if (fiber.sibling) fibers.push(fiber.sibling);
    if (fiber.child) fibers.push(fiber.child);
  }
  const state = store.getState();
  const entry = state.entryDraft.get('entry');
  const id = `${entry.get('collection')}.${entry.get('slug')}`;
  return {
    changed: state.entryDraft.get('hasChanged'),
    draft: entry.get('data').toJS(),
    stored: state.entries.getIn(['entities', id, 'data']).toJS(),
  };
}"""


def _changes(before: Any, after: Any, path: str = "") -> dict[str, tuple[Any, Any]]:
    """Where ``after`` differs from ``before``: dotted path → (before, after)."""
    if isinstance(before, dict) and isinstance(after, dict):
        found: dict[str, tuple[Any, Any]] = {}
        for key in sorted(set(before) | set(after)):
            found.update(_changes(before.get(key), after.get(key), f"{path}.{key}".lstrip(".")))
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        found = {}
        for index, pair in enumerate(zip(before, after, strict=True)):
            found.update(_changes(*pair, f"{path}[{index}]"))
        return found
    same = before == after and type(before) is type(after)
    return {} if same else {path: (before, after)}


def _normalised_on_open(collection: str, stored: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What Decap rewrites on opening an entry (docs/cms.md): a required multiple `select`
    turns a single value into a list, so `zones: national` becomes `[national]`."""
    zones = stored.get("delivery", {}).get("zones") if collection == "cooperatives" else None
    return {"delivery.zones": (zones, [zones])} if isinstance(zones, str) else {}


def test_real_decap_loads_the_config_and_opens_each_collections_entries(
    decap_page: tuple[Any, list[str]], config: dict[str, Any]
) -> None:
    page, problems = decap_page
    assert page.locator("text=Error loading the CMS configuration").count() == 0
    prompts: list[str] = []
    page.on("dialog", lambda dialog: prompts.append(dialog.message))
    opened = []
    changed: list[str] = []
    for collection in config["collections"]:
        page.goto(f"{ORIGIN}/admin/#/collections/{collection['name']}")
        entry = page.locator('a[href*="/entries/"]').first
        entry.wait_for(timeout=30_000)
        entry.click()
        # The editor shows the entry's fields: nothing in it failed to render.
        fields = (
            collection["fields"] if "fields" in collection else collection["files"][0]["fields"]
        )
        page.wait_for_function(
            "label => document.body.innerText.toLowerCase().includes(label.toLowerCase())",
            arg=fields[0]["label"],
            timeout=30_000,
        )
        assert page.locator("text=/There.s been an error|Sorry!/").count() == 0, collection["name"]
        # Opening an entry changes nothing but what docs/cms.md says Decap rewrites.
        edited = page.evaluate(_EDITED_ENTRY_JS)
        expected = _normalised_on_open(collection["name"], edited["stored"])
        assert _changes(edited["stored"], edited["draft"]) == expected, collection["name"]
        assert edited["changed"] is bool(expected), collection["name"]
        changed.extend([collection["name"]] if expected else [])
        opened.append(collection["name"])
    page.goto(f"{ORIGIN}/admin/#/collections/{config['collections'][0]['name']}")
    assert len(opened) == len(config["collections"])
    # A widget that changed a value after the check above would still ask on leaving.
    assert len(prompts) == len(changed)
    assert problems == []
