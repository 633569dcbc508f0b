"""`taawun new KIND`: questions answered on standard input, files that pass `taawun check` and
build into pages, wrong answers asked again, Arabic questions, and never an overwrite."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from generator.build import build
from generator.cli import main
from generator.scaffold.yamltext import append_to_list

from .conftest import SAMPLE_CONTENT, SITES

MINIMAL = SITES / "minimal" / "content"

# One answer a line, in the order the questions come (French questions: French texts first).
COOPERATIVE = [
    "Coopérative Tifawin",  # name, fr
    "تعاونية تيفاوين",  # name, ar
    "",  # id: the one proposed, tifawin (the legal form left out, as `submissions accept` does)
    "Des femmes qui tissent et font du miel",  # summary, fr
    "نساء ينسجن وينتجن العسل",  # summary, ar
    "artisanat",  # sector, by id
    "1",  # region, by number: souss-massa
    "tiznit",  # province
    "15/2019",  # register number
    "Tribunal de première instance de Tiznit",  # court (French, copied for Arabic)
    "2019-03-01",  # registered
    "2019-01-10",  # founded
    "12",  # members
    "8",  # women
    "4",  # youth
    "+212612345678",  # phone
    "",  # delivery fee: 35.00
    "",  # lead time: 3 days
]
# A food product of the new cooperative, which has no ONSSA number nor photo, in a site without
# category drawings: the command asks for the product's ONSSA number and for an image.
PRODUCT = [
    "tifawin",
    "Miel de thym",
    "عسل الزعتر",
    "",  # id: miel-de-thym
    "Un miel de thym de l'Anti-Atlas",
    "عسل الزعتر من الأطلس الصغير",
    "argan-oil-culinary",  # a food category
    "95.50",  # price
    "250",  # net quantity
    "g",  # unit, by id
    "400",  # parcel weight
    "",  # stock: not counted
    "AS.09.0002.21",  # ONSSA number
    "media/tamount.svg",  # an image of the content folder
    "Un pot de miel",  # its description (French, copied for Arabic)
]
IDEA = [
    "Séchage de tomates",
    "تجفيف الطماطم",
    "",
    "Une unité de séchage solaire des tomates",
    "وحدة لتجفيف الطماطم بالطاقة الشمسية",
    "argane",  # sector
    "oriental",  # region
    "2",  # target group: women
    "Tomate",  # value chain
    "La région produit beaucoup de tomates",  # why there
    "Épiceries et familles",  # customers
    "Séchoirs solaires",  # first investment
    "60000.00",
    "6",  # direct jobs
    "80",  # women's share
    "30",  # youth share
    "taawun",  # source type
    "exemple des tests",  # source reference
]
COURSE = [
    "Vendre au souk",
    "البيع في السوق",
    "",
    "Comment vendre au souk de la commune",
    "كيف تبيع في سوق الجماعة",
    "2",  # audience: members
    "1",  # level: beginner
    "Fixer un prix juste",  # outcome
    "Les bases",  # first module, fr
    "الأساسيات",
    "",  # module id: les-bases
    "Le prix",  # first lesson, fr
    "الثمن",
    "",  # lesson id: le-prix
    "12",  # minutes
]
LESSON_IN_EXISTING_MODULE = ["bases", "premiers-pas", "Le registre", "السجل", "", ""]
LESSON_IN_NEW_MODULE = ["bases", "+", "La suite", "التتمة", "", "La caisse", "الصندوق", "", "8"]


def answer(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def new(
    monkeypatch: pytest.MonkeyPatch, content: Path, kind: str, lines: list[str], *lang: str
) -> int:
    answer(monkeypatch, lines)
    return main(["new", kind, "--content", str(content), *(("--lang", *lang) if lang else ())])


@dataclass
class Made:
    content: Path
    public: Path
    codes: dict[str, int]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    """Every kind made once in a copy of the small test site, then one build."""
    root = tmp_path_factory.mktemp("new")
    content = root / "content"
    shutil.copytree(MINIMAL, content)
    codes: dict[str, int] = {}
    with pytest.MonkeyPatch.context() as mp:
        for kind, lines in (
            ("cooperative", COOPERATIVE),
            ("product", PRODUCT),
            ("idea", IDEA),
            ("course", COURSE),
            ("lesson", LESSON_IN_EXISTING_MODULE),
        ):
            codes[kind] = new(mp, content, kind, lines, "fr")
        codes["lesson+module"] = new(mp, content, "lesson", LESSON_IN_NEW_MODULE, "fr")
    build(content, root / "public", search=False)
    yield Made(content, root / "public", codes)


def test_every_kind_is_written_and_passes_check(made: Made) -> None:
    assert made.codes == dict.fromkeys(made.codes, 0)
    assert main(["check", "--content", str(made.content)]) == 0
    c = made.content
    for path in (
        "cooperatives/tifawin.yaml",
        "cooperatives/tifawin.ar.md",
        "cooperatives/tifawin.fr.md",
        "products/tifawin/miel-de-thym.yaml",
        "products/tifawin/miel-de-thym.ar.md",
        "projects/sechage-de-tomates.fr.md",
        "academy/vendre-au-souk/course.yaml",
        "academy/vendre-au-souk/les-bases/module.yaml",
        "academy/vendre-au-souk/les-bases/le-prix.ar.md",
        "academy/bases/premiers-pas/le-registre.yaml",
        "academy/bases/la-suite/module.yaml",
        "academy/bases/la-suite/la-caisse.fr.md",
    ):
        assert (c / path).is_file(), path


def _h1(public: Path, page: str) -> str:
    tree = LexborHTMLParser((public / page / "index.html").read_text(encoding="utf-8"))
    node = tree.css_first("h1")
    assert node is not None, page
    return node.text(strip=True)


def test_the_build_has_the_new_pages(made: Made) -> None:
    assert _h1(made.public, "fr/cooperatives/tifawin") == "Coopérative Tifawin"
    assert _h1(made.public, "ar/cooperatives/tifawin") == "تعاونية تيفاوين"
    assert _h1(made.public, "fr/products/miel-de-thym") == "Miel de thym"
    assert _h1(made.public, "fr/projects/sechage-de-tomates") == "Séchage de tomates"
    assert _h1(made.public, "fr/academy/vendre-au-souk") == "Vendre au souk"
    assert _h1(made.public, "fr/academy/vendre-au-souk/le-prix") == "Le prix"
    assert _h1(made.public, "ar/academy/bases/le-registre") == "السجل"
    assert _h1(made.public, "fr/academy/bases/la-caisse") == "La caisse"
    module = _h1(made.public, "fr/academy/bases/modules/la-suite")
    assert module == "La suite"


def test_the_files_hold_the_answers_with_comments_in_french(made: Made) -> None:
    path = made.content / "cooperatives/tifawin.yaml"
    source = path.read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    assert data["register"] == {
        "number": "15/2019",
        "court": {
            "ar": "Tribunal de première instance de Tiznit",
            "fr": data["register"]["court"]["fr"],
        },
        "date": data["register"]["date"],
    }
    assert (data["region"], data["province"], data["sector"]) == (
        "souss-massa",
        "tiznit",
        "artisanat",
    )
    assert data["members"]["total"] == 12 and data["delivery"]["fee"] == "35.00"
    assert "# Le contact publié sur la page." in source
    assert "# onssa: {kind: autorisation" in source  # an optional key, ready to uncomment
    court_line = next(
        line for line in source.splitlines() if line.strip().startswith('ar: "Tribunal')
    )
    assert "REVIEW: copie à traduire en arabe" in court_line
    product = yaml.safe_load((made.content / "products/tifawin/miel-de-thym.yaml").read_text())
    assert product["price"] == "95.50" and product["onssa_number"] == "AS.09.0002.21"
    assert product["net_quantity"] == {"value": 250, "unit": "g"}
    assert product["images"][0]["src"] == "media/tamount.svg"
    assert "stock" not in product


def test_lists_are_extended_in_place(made: Made) -> None:
    module = (made.content / "academy/bases/premiers-pas/module.yaml").read_text(encoding="utf-8")
    assert "lessons: [lecon-un, lecon-deux, le-registre]" in module
    course = yaml.safe_load(
        (made.content / "academy/bases/course.yaml").read_text(encoding="utf-8")
    )
    assert course["modules"] == ["premiers-pas", "la-suite"]
    new_module = yaml.safe_load((made.content / "academy/bases/la-suite/module.yaml").read_text())
    assert new_module["lessons"] == ["la-caisse"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(MINIMAL, content)
    return content


def test_a_wrong_answer_is_asked_again(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = list(COOPERATIVE)
    at = lines.index("+212612345678")
    lines[at:at] = ["0612 34 56 78"]  # not in international form
    members = lines.index("12")
    lines[members:members] = ["0", "douze"]  # at least one member; a number
    youth = lines.index("4")
    lines[youth:youth] = ["13"]  # more young members than members
    assert new(monkeypatch, site, "cooperative", lines, "fr") == 0
    out = capsys.readouterr().out
    assert (
        "✗ « 0612 34 56 78 » ne convient pas : écrivez le numéro avec +212 et sans espaces" in out
    )
    assert "✗ « douze » ne convient pas : écrivez un nombre entier de 1 ou plus." in out
    assert "✗ « 13 » ne convient pas : ce nombre dépasse le nombre de membres (12)." in out
    assert out.count("Téléphone de la coopérative (+212…) :") == 2
    data = yaml.safe_load((site / "cooperatives/tifawin.yaml").read_text())
    assert data["contact"]["phone"] == "+212612345678"
    assert data["members"] == {
        "total": 12,
        "women": 8,
        "youth": 4,
        "as_of": data["members"]["as_of"],
    }


def test_a_choice_outside_the_list_is_asked_again(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = list(COOPERATIVE)
    at = lines.index("artisanat")
    lines[at:at] = ["9", "artisana"]
    assert new(monkeypatch, site, "cooperative", lines, "fr") == 0
    out = capsys.readouterr().out
    assert "tapez un numéro de 1 à 2, ou un identifiant de la liste." in out
    assert "Vouliez-vous dire : artisanat ?" in out


def test_arabic_questions_and_comments(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = list(COOPERATIVE)
    lines[0], lines[1] = lines[1], lines[0]  # Arabic questions ask the Arabic text first
    lines[3], lines[4] = lines[4], lines[3]
    lines[lines.index("12")] = "١٢"  # an Arabic keyboard's digits are read as 0-9
    assert new(monkeypatch, site, "cooperative", lines, "ar") == 0
    out = capsys.readouterr().out
    assert "اسم التعاونية، بالعربية:" in out
    assert "الجهة" in out and "سوس ماسة" in out  # the regions' Arabic names
    assert "✓ taawun check: لا مشكلة في هذه الملفات" in out
    source = (site / "cooperatives/tifawin.yaml").read_text(encoding="utf-8")
    assert "# الاتصال المنشور في الصفحة." in source
    data = yaml.safe_load(source)
    assert data["name"] == {"ar": "تعاونية تيفاوين", "fr": "Coopérative Tifawin"}
    assert data["members"]["total"] == 12
    assert data["register"]["court"]["ar"] == "Tribunal de première instance de Tiznit"


@pytest.mark.parametrize(
    ("environ", "question"),
    [
        ({"TAAWUN_LANG": "ar", "LANG": "fr_FR.UTF-8"}, "اسم التعاونية، بالعربية:"),
        ({"LANG": "ar_MA.UTF-8"}, "اسم التعاونية، بالعربية:"),
        ({"LANG": "en_US.UTF-8"}, "Nom de la coopérative, en français :"),
    ],
)
def test_without_lang_the_environment_chooses(
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    environ: dict[str, str],
    question: str,
) -> None:
    for variable in ("TAAWUN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environ.items():
        monkeypatch.setenv(variable, value)
    assert new(monkeypatch, site, "cooperative", []) == 2  # no answers: stops at once
    assert capsys.readouterr().out.splitlines()[1].rstrip() == question


def test_an_existing_id_is_refused_and_nothing_is_overwritten(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (site / "cooperatives/tamount.yaml").read_bytes()
    lines = list(COOPERATIVE)
    lines[2] = "tamount"  # the id of the test site's cooperative
    assert new(monkeypatch, site, "cooperative", lines[:3], "fr") == 2
    captured = capsys.readouterr()
    assert "✗ « tamount » ne convient pas : l'identifiant « tamount » est déjà pris" in captured.out
    assert "rien n'a été écrit" in captured.err
    assert (site / "cooperatives/tamount.yaml").read_bytes() == before
    assert sorted(p.name for p in (site / "cooperatives").iterdir()) == [
        "tamount.ar.md",
        "tamount.fr.md",
        "tamount.yaml",
    ]


def test_a_file_in_the_way_stops_everything(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A text left without its YAML file: the command writes none of the new files."""
    orphan = site / "cooperatives/tifawin.fr.md"
    orphan.write_text("Ancien texte\n", encoding="utf-8")
    assert new(monkeypatch, site, "cooperative", COOPERATIVE, "fr") == 2
    assert "cooperatives/tifawin.fr.md existe déjà" in capsys.readouterr().err
    assert orphan.read_text(encoding="utf-8") == "Ancien texte\n"
    assert not (site / "cooperatives/tifawin.yaml").exists()
    assert not (site / "cooperatives/tifawin.ar.md").exists()


def test_running_out_of_answers_writes_nothing(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(monkeypatch, site, "course", COURSE[:-2], "fr") == 2
    err = capsys.readouterr().err
    assert "pas de réponse à la question « Identifiant de la leçon" in err
    assert not (site / "academy/vendre-au-souk").exists()


def test_a_product_of_the_sample_site_reuses_its_category_drawing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    lines = [
        "argan-tamanar",  # has an ONSSA authorisation: no number asked for the product
        "Miel de thym",
        "عسل الزعتر",
        "",
        "Un miel de thym",
        "عسل الزعتر",
        "honey",
        "80.00",
        "",  # food: the net quantity is required…
        "500",  # …so it is asked again
        "g",
        "650",
        "12",
    ]
    assert new(monkeypatch, content, "product", lines, "fr") == 0
    data = yaml.safe_load((content / "products/argan-tamanar/miel-de-thym.yaml").read_text())
    assert data["images"][0]["src"] == "media/categories/honey.svg"
    assert data["images"][0]["alt"] == {"ar": "رسم توضيحي: العسل", "fr": "Illustration : Miel"}
    assert "onssa_number" not in data and data["stock"] == 12
    assert main(["check", "--content", str(content)]) == 0


def test_append_to_list_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "module.yaml"
    path.write_text(
        "# a comment\nid: m\nlessons:   # the order\n  - one  # first\n  - two\nafter: 1\n",
        encoding="utf-8",
    )
    append_to_list(path, "lessons", "three")
    assert path.read_text(encoding="utf-8") == (
        "# a comment\nid: m\nlessons:   # the order\n  - one  # first\n  - two\n  - three\n"
        "after: 1\n"
    )
    path.write_text("lessons: [a,\n  b]  # kept\n", encoding="utf-8")
    append_to_list(path, "lessons", "no")  # YAML would read a bare `no` as false
    assert path.read_text(encoding="utf-8") == 'lessons: [a,\n  b, "no"]  # kept\n'
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"lessons": ["a", "b", "no"]}


def test_an_empty_list_to_choose_from_stops_with_a_message(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "data/sectors.yaml").write_text("[]\n", encoding="utf-8")
    assert new(monkeypatch, site, "cooperative", COOPERATIVE, "fr") == 2
    assert "rien à choisir pour « Secteur »" in capsys.readouterr().err
    assert not (site / "cooperatives/tifawin.yaml").exists()
