"""Content problems in Arabic and French (`taawun check --lang ar|fr`).

Static: every message template written in generator/ (the literals given to ``report.add``,
``Problem``, the checker's ``error``, ``ImageIssue``, ``content_error``, ``Msg`` and ``N_``) is in
both catalogues with the same placeholders, and none is built with an f-string (it could not be
translated). Behaviour: every tests/sites/invalid case, checked in Arabic and French in the
three formats, says the same places as in English with no English sentence left.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import ErrorReport, Problem, Severity, SourceLocation
from generator.messages import (
    FSI,
    LRI,
    PDI,
    PLACEHOLDER,
    RLI,
    TRANSLATED,
    Msg,
    catalogue,
    default_language,
    render,
)

from .conftest import SITES
from .test_invalid_sites import CASES, apply_case

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
# Callee name → positions of its message and hint arguments (keywords `message`/`hint` too).
TEMPLATE_ARGS: dict[str, tuple[int, ...]] = {
    "add": (2, 3),  # ErrorReport.add(location, code, message, hint, ...)
    "error": (2, 3),  # the cross-file checker's error(where, code, message, hint)
    "Problem": (2, 3),
    "ImageIssue": (1, 2),
    "content_error": (1, 2),
    "Msg": (0,),
    "N_": (0,),
}
METHODS = frozenset({"add", "error"})
BIDI = re.compile(f"[{LRI}{RLI}{FSI}{PDI}]")


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name) and node.func.id not in METHODS:
        return node.func.id
    if isinstance(node.func, ast.Attribute) and node.func.attr in METHODS:
        return node.func.attr  # report.add(…), self.error(…): not a local function `add`
    return None


def _template_args(node: ast.Call) -> Iterator[ast.expr]:
    positions = TEMPLATE_ARGS[_callee(node) or ""]
    for index in positions:
        if index < len(node.args):
            yield node.args[index]
    for keyword in node.keywords:
        if keyword.arg in ("message", "hint"):
            yield keyword.value


def _literals(arg: ast.expr) -> Iterator[str]:
    """The literal templates an argument can be: a string, or either branch of `a if c else b`."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        yield arg.value
    elif isinstance(arg, ast.IfExp):
        yield from _literals(arg.body)
        yield from _literals(arg.orelse)


def source_templates() -> tuple[dict[str, str], list[str]]:
    """Every literal template in generator/ (→ where it is written) and every f-string or
    concatenation given where a template belongs."""
    found: dict[str, str] = {}
    built: list[str] = []
    for path in sorted(GENERATOR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _callee(node) not in TEMPLATE_ARGS:
                continue
            for arg in _template_args(node):
                where = f"{path.relative_to(GENERATOR.parent)}:{arg.lineno}"
                if isinstance(arg, ast.JoinedStr | ast.BinOp):
                    built.append(where)
                for text in _literals(arg):
                    if text:
                        found.setdefault(text, where)
    return found, built


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


TEMPLATES, BUILT = source_templates()


def test_the_walk_finds_the_templates() -> None:
    # A broken walk would make the next tests pass on nothing.
    assert len(TEMPLATES) > 150
    assert "unknown key `{key}`" in TEMPLATES  # validation.py, through N_
    assert "the product id `{id}` is already used by {path}" in TEMPLATES  # assemble's error
    assert "`{value}` is not a valid id" in TEMPLATES  # models/common.py, content_error


def test_no_message_is_built_with_an_f_string() -> None:
    assert BUILT == [], "pass values as keywords and keep the template a literal"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_template_is_translated_with_the_same_placeholders(lang: str) -> None:
    entries = catalogue(lang)
    missing = {t: where for t, where in TEMPLATES.items() if t not in entries}
    assert missing == {}, f"add these to generator/messages/{lang}.yaml"
    different = {t: entries[t] for t in TEMPLATES if placeholders(entries[t]) != placeholders(t)}
    assert different == {}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_has_no_stale_or_empty_entries(lang: str) -> None:
    entries = catalogue(lang)
    assert [t for t in entries if t not in TEMPLATES] == []
    assert [t for t, text in entries.items() if not text.strip()] == []


def test_arabic_has_no_english_words_left() -> None:
    """Latin words in an Arabic translation are only code: inside backticks, or ids, keys, file
    names and examples the user types (kept as in the English template)."""
    for template, text in catalogue("ar").items():
        english = set(_words(template))
        leftover = {w for w in _words(text) if w not in english and w not in _ALLOWED_LATIN}
        assert not leftover, (template, text, leftover)


_ALLOWED_LATIN = {"YAML", "UTF", "ONSSA", "JPEG", "PNG", "WebP", "SVG", "HEIC", "iPhone", "MB"}


def _words(text: str) -> list[str]:
    without_code = re.sub(r"`[^`]*`|\{[a-z_]+\}", " ", text)
    return re.findall(r"[A-Za-z]{2,}", without_code)


def test_render_translates_word_values_and_keeps_code_values() -> None:
    values = {"what": Msg("ONSSA"), "date": "2025-01-31"}
    template = "the {what} certificate expired on {date}"
    assert render(template, values) == "the ONSSA certificate expired on 2025-01-31"
    arabic = render(template, values, "ar")
    assert "أونسا" in arabic and "2025-01-31" in arabic and "ONSSA" not in arabic
    assert "ONSSA" in render(template, values, "fr")  # the French acronym is the same


def test_arabic_text_is_isolated_for_left_to_right_lines() -> None:
    problem = Problem(
        SourceLocation("products/a/x.yaml", 3, 5),
        "unknown-key",
        "unknown key `{key}`",
        "did you mean `{close}`?",
        values={"key": "prise", "close": "price"},
    )
    line = problem.as_text("ar")
    assert line.startswith("products/a/x.yaml:3:5: " + RLI)
    assert f"{LRI}`prise`{PDI}" in line and f"{LRI}`price`{PDI}" in line
    assert BIDI.sub("", problem.as_dict("ar")["message"]) == problem.as_dict("ar")["message"]
    # A quoted example keeps its leading + on the left: isolated by its first strong letter.
    phone = Problem(
        SourceLocation("c.yaml"),
        "phone",
        "`{value}` is not a phone number in international form",
        'write it with +212 and no spaces, like "+212612345678"',
        values={"value": "0528"},
    )
    assert f'{FSI}"+212612345678"{PDI}' in phone.as_text("ar")
    assert phone.as_text("en") == (
        "c.yaml:1:1: `0528` is not a phone number in international form — "
        'write it with +212 and no spaces, like "+212612345678"'
    )
    assert problem.as_text("fr") == (
        "products/a/x.yaml:3:5: clé inconnue `prise` — vouliez-vous dire `price` ?"
    )


def test_warning_label_and_summary_are_translated() -> None:
    report = ErrorReport()
    report.add(
        SourceLocation("a.yaml"),
        "expires-soon",
        "the {what} certificate expires on {date}",
        "ask the certifier for the renewal now so the label stays on the site",
        Severity.WARNING,
        what="igp-argan",
        date="2026-01-01",
    )
    assert report.format("text", "fr").splitlines() == [
        "a.yaml:1:1: avertissement : le certificat igp-argan expire le 2026-01-01 — demandez "
        "dès maintenant son renouvellement au certificateur pour que le label reste sur le site",
        "0 erreur(s), 1 avertissement(s)",
    ]
    assert report.format("text").endswith("0 error(s), 1 warning(s)")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "fr_MA.UTF-8"}, "fr"),
        ({"LANG": "ar_MA.UTF-8"}, "ar"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "ar_MA.UTF-8"}, "en"),  # LC_ALL wins, as in POSIX
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "ar_MA.UTF-8"}, "fr"),
        ({"TAAWUN_LANG": "ar", "LC_ALL": "fr_FR.UTF-8"}, "ar"),
        ({"TAAWUN_LANG": "xx", "LANG": "fr_FR"}, "fr"),  # an unknown TAAWUN_LANG is ignored
    ],
)
def test_default_language(environ: dict[str, str], expected: str) -> None:
    assert default_language(environ) == expected


def test_lang_option_beats_the_environment(
    minimal_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_case("unknown-key", minimal_site)
    monkeypatch.setenv("TAAWUN_LANG", "ar")
    assert main(["check", "--format", "json"]) == 1
    arabic = json.loads(capsys.readouterr().out)
    assert main(["check", "--format", "json", "--lang", "fr"]) == 1
    french = json.loads(capsys.readouterr().out)
    unknown = [p for p in french if p["code"] == "unknown-key"]
    assert unknown[0]["message"] == "clé inconnue `prise`"
    assert any(p["message"] == "مفتاح غير معروف `prise`" for p in arabic)


def test_build_gives_its_problems_in_the_chosen_language(
    minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    apply_case("unknown-key", minimal_site)
    output = minimal_site.parent / "public"
    assert main(["build", "--output", str(output), "--lang", "fr"]) == 1
    err = capsys.readouterr().err
    assert "clé inconnue `prise`" in err
    assert f"rien n'a été écrit ; {output} n'a pas changé" in err


# -- every invalid case, in every language and format ---------------------------------------------


def _run(content: Path, lang: str, style: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["check", "--content", str(content), "--lang", lang, "--format", style]) == 1
    captured = capsys.readouterr()
    return captured.out if style != "text" else captured.err


def _prose(text: str) -> list[list[str]]:
    """The words of a message outside code (backticks, paths, file names), per clause: a list of
    ids such as "ar, fr, zgh" is not a sentence."""
    without_code = re.sub(r"`[^`]*`", " ", BIDI.sub("", text))
    return [
        re.findall(r"(?<![\w./-])[A-Za-z']+(?![\w./-])", clause)
        for clause in re.split(r"[,;:()—،؛]", without_code)
    ]


def _english_left(english: str, translated: str) -> set[tuple[str, ...]]:
    """Runs of three words of the English message found again in the translation: a sentence
    that fell back to English. In Arabic, any run of three Latin words outside code is one."""

    def runs(clauses: list[list[str]]) -> set[tuple[str, ...]]:
        return {tuple(w[i : i + 3]) for w in clauses for i in range(len(w) - 2)}

    left = runs(_prose(english)) & runs(_prose(translated))
    if re.search("[\u0600-\u06ff]", translated):
        left |= runs(_prose(translated))
    return left


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every invalid case applied to its own copy of the minimal site (built once)."""
    folders: dict[str, Path] = {}
    for case in CASES:
        content = tmp_path_factory.mktemp(case) / "content"
        shutil.copytree(SITES / "minimal" / "content", content)
        apply_case(case, content)
        folders[case] = content
    return folders


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("case", CASES)
def test_invalid_case_in_every_format(
    case: str,
    lang: str,
    cases: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    content = cases[case]
    english = json.loads(_run(content, "en", "json", capsys))
    translated = json.loads(_run(content, lang, "json", capsys))
    # The same problems at the same places, in the same order.
    strip = ("message", "hint")
    assert [{k: v for k, v in p.items() if k not in strip} for p in translated] == [
        {k: v for k, v in p.items() if k not in strip} for p in english
    ]
    for before, after in zip(english, translated, strict=True):
        for key in strip:
            text = after[key]
            assert not PLACEHOLDER.search(text), (key, text)
            assert not _english_left(before[key], text), (key, text)
            assert bool(text) == bool(before[key])
            # Code is kept as written: every `span` of the English is in the translation.
            for code in re.findall(r"`[^`]+`", before[key]):
                assert code in text, (code, text)

    text_lines = _run(content, lang, "text", capsys).splitlines()
    english_lines = _run(content, "en", "text", capsys).splitlines()
    assert len(text_lines) == len(english_lines)
    for line, problem in zip(text_lines, translated, strict=False):
        where = f"{problem['path']}:{problem['line']}:{problem['col']}: "
        assert line.startswith(where)
        assert BIDI.sub("", line[len(where) :]).endswith(
            problem["message"] + (f" — {problem['hint']}" if problem["hint"] else "")
        )
        if lang == "ar":
            assert line[len(where)] == RLI
    assert "error(s)" not in text_lines[-1]
    assert text_lines[-1].startswith(RLI) == (lang == "ar")  # the count line reads RTL too

    github = _run(content, lang, "github", capsys).splitlines()
    assert len(github) == len(translated)
    for line, problem in zip(github, translated, strict=True):
        head, _, text = line.partition("::")[2].partition("::")
        assert f"line={problem['line']},col={problem['col']}" in head
        shown = BIDI.sub("", text.replace("%0A", "\n").replace("%25", "%"))
        assert shown.startswith(problem["message"])


def test_too_many_or_too_long_tags_are_named_in_each_language(
    minimal_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Search words have limits (20, of 40 characters at most): a form or a careless copy
    cannot fill a listing's index with a novel."""
    product = next((minimal_site / "products").glob("*/huile-argan.yaml"))
    text = product.read_text(encoding="utf-8")
    product.write_text(f"{text}tags: [{', '.join(['x'] * 21)}]\n", encoding="utf-8")
    french = json.loads(_run(minimal_site, "fr", "json", capsys))
    assert [p["message"] for p in french] == ["`tags` contient trop d'éléments (20 au plus)"]
    product.write_text(f"{text}tags: [{'a' * 41}]\n", encoding="utf-8")
    [arabic] = json.loads(_run(minimal_site, "ar", "json", capsys))
    assert arabic["message"] == "`tags[0]` طويل جدا (الحد الأقصى 40 حرفا)" and arabic["hint"]
