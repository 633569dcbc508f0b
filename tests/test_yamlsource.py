"""YAML with positions: key lines, syntax errors at the parser's mark, encoding, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.yamlsource import parse_yaml, read_text


def test_positions_of_nested_keys_and_list_items() -> None:
    doc, problems = parse_yaml(
        "id: x\ndelivery:\n  fee: '30.00'\nlabels:\n  - {label: a}\n", "f.yaml"
    )
    assert problems == [] and doc is not None
    assert doc.positions[("delivery", "fee")] == (3, 3)
    assert doc.positions[("labels", 0, "label")] == (5, 6)
    assert str(doc.locate(("delivery", "fee", "unknown"))) == "f.yaml:3:3"


def test_syntax_error_points_at_the_mark_with_a_hint() -> None:
    doc, problems = parse_yaml("id: x\nsummary: Prix: 12\n", "f.yaml")
    assert doc is None
    (problem,) = problems
    assert (problem.location.line, problem.location.col) == (2, 14)
    assert "quotes" in problem.hint


def test_duplicate_keys_are_reported() -> None:
    _, problems = parse_yaml("id: x\nprice: '1.00'\nprice: '2.00'\n", "f.yaml")
    assert [(p.code, p.location.line) for p in problems] == [("duplicate-key", 3)]


def test_empty_file() -> None:
    _, problems = parse_yaml("  \n", "f.yaml")
    assert [p.code for p in problems] == ["empty-file"]


def test_non_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("id: x\nname: Coopé\n".encode("latin-1"))
    text, problem = read_text(path, "f.yaml")
    assert text is None and problem is not None
    assert (problem.location.line, problem.location.col) == (2, 11)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufeffid: x\n".encode())
    text, problem = read_text(path, "f.yaml")
    assert problem is None and text == "id: x\n"


LOADER_CASES = [
    "id: x\nname: {ar: نص, fr: texte}\nlist: [a, b, {c: d}]\n",
    "n: 3\nf: 2.5\nyes: true\nnone: null\nday: 2024-08-20\nquoted: '3'\nhex: 0x1F\n",
    "base: &b {fee: '30.00', zones: [a, b]}\ncopy: *b\n",
    "defaults: &d {a: 1, b: 2}\nmerged:\n  <<: *d\n  b: 3\n",
    "blob: !!binary aGVsbG8=\nset: !!set {a, b}\n",
    "- plain\n- 'single'\n- \"double\"\n- |\n  block\n",
]


@pytest.mark.parametrize("text", LOADER_CASES)
def test_lean_constructor_gives_what_pyyaml_gives(text: str) -> None:
    doc, problems = parse_yaml(text, "f.yaml")
    assert problems == [] and doc is not None
    assert doc.data == yaml.load(text, Loader=yaml.SafeLoader)


def test_aliases_share_one_object_and_may_be_recursive() -> None:
    doc, _ = parse_yaml("a: &x [1]\nb: *x\nself: &r [*r]\n", "f.yaml")
    assert doc is not None
    assert doc.data["a"] is doc.data["b"]
    assert doc.data["self"][0] is doc.data["self"]


def test_duplicate_keys_in_flow_mappings_and_unhashable_keys() -> None:
    _, problems = parse_yaml("- {a: 1, a: 2}\n", "f.yaml")
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [
        ("duplicate-key", 1, 10)
    ]
    doc, problems = parse_yaml("? [a]\n: 1\n", "f.yaml")
    assert doc is None and [p.code for p in problems] == ["yaml-syntax"]
    assert "unhashable" in problems[0].message
