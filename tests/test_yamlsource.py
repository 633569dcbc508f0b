"""YAML with positions: key lines, syntax errors at the parser's mark, encoding, duplicates."""

from __future__ import annotations

from pathlib import Path

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
