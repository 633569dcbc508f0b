"""``taawun submissions list|show|accept|reject``: a submission of the form becomes content files
that pass `taawun check` and build into a product page, or nothing at all is written; the
moderator's terminal never runs what a stranger typed."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from checkout.database import make_engine, migrate
from checkout.moderation import ModerationError, ModerationQueue
from generator.cli import main
from generator.contribute import ListingRejected, write_listing
from generator.contribute.ids import cooperative_slug, slugify
from generator.contribute.terminal import one_line, safe
from generator.contribute.yamlout import dump

from .conftest import SAMPLE_CONTENT

CONTACT = {"name": "Fatima Ait Said", "phone": "+212600000099", "email": "fatima@example.ma"}
HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[1;1H\u202e"  # title, clear screen, cursor home, RTL override


def _photo(width: int = 800, height: int = 600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (190, 110, 40)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def new_cooperative(**product: Any) -> dict[str, Any]:
    """A first-time seller: a new weaving cooperative and its rug."""
    return {
        "lang": "fr",
        "cooperative": {
            "name": {"ar": "تعاونية النور للنسيج", "fr": "Coopérative Al Nour d'Imouzzer"},
            "summary": {
                "ar": "عشرون امرأة ينسجن الزرابي بصوف الأغنام المحلية.",
                "fr": 'Vingt femmes tissent des tapis "zemmour" : laine locale, # teintures végétales.',
            },
            "kind": "cooperative",
            "register": {
                "number": "45/2015",
                "court": {
                    "ar": "المحكمة الابتدائية بصفرو",
                    "fr": "Tribunal de première instance de Sefrou",
                },
                "date": "2015-06-01",
            },
            "sector": "artisanat",
            "region": "fes-meknes",
            "province": "sefrou",
            "founded": "2015-03-02",
            "members": {"total": 20, "women": 20, "youth": 6, "as_of": "2025-12-31"},
            "contact": {
                "phone": "+212535000111",
                "email": "alnour@example.ma",
                "languages": ["ar", "fr"],
            },
            "delivery": {"zones": "national", "fee": "40.00", "cod": True, "lead_time_days": 5},
            "description": {
                "ar": "## قصتنا\n\nبدأت النساء النسج في بيوتهن.",
                "fr": "## Notre histoire\r\n\r\nLes femmes tissaient chez elles.  ",
            },
        },
        "product": {
            "name": {"ar": "زربية زمور", "fr": "Tapis « Zemmour » en laine"},
            "summary": {
                "ar": "زربية صوف منسوجة باليد.",
                "fr": "Un tapis en laine tissé à la main.",
            },
            "category": "rugs-carpets",
            "price": "1200.00",
            "availability": "made_to_order",
            "lead_time_days": 20,
            "weight_g": 3000,
            "tags": ["tapis", "laine naturelle"],
            "description": {
                "ar": "وصف الزربية.",
                "fr": "Description <script>alert(1)</script> du tapis.",
            },
            **product,
        },
        "photos": [
            {"alt": {"ar": "زربية حمراء على الأرض", "fr": "Un tapis rouge posé au sol"}},
            {"alt": {"ar": "يد تنسج", "fr": "Une main qui tisse"}},
        ],
        "consent": True,
    }


def existing_cooperative() -> dict[str, Any]:
    """Argan Tamanar (in the sample, with its ONSSA authorisation) adds a food product."""
    return {
        "lang": "ar",
        "cooperative_id": "argan-tamanar",
        "product": {
            "name": {"ar": "أملو بالجوز", "fr": "Amlou aux noix et miel d'euphorbe"},
            "summary": {"ar": "أملو بالجوز والعسل.", "fr": "Un amlou aux noix et au miel."},
            "category": "amlou-spreads",
            "price": "95.50",
            "net_quantity": {"value": 250, "unit": "g"},
            "stock": 12,
            "weight_g": 400,
            "description": {"ar": "يُحضَّر بالجوز.", "fr": "Préparé avec des noix.\n\nSans sucre."},
        },
        "photos": [{"alt": {"ar": "وعاء أملو", "fr": "Un pot d'amlou"}}],
        "consent": True,
    }


class Moderation:
    """A content folder (a copy of the sample), a queue and the CLI arguments that reach them."""

    def __init__(self, root: Path, database: str | None = None) -> None:
        self.root = root
        self.content = root / "content"
        shutil.copytree(SAMPLE_CONTENT, self.content)
        self.var = root / "var"
        self.var.mkdir(exist_ok=True)
        self.database = database or f"sqlite:///{self.var / 'checkout.sqlite3'}"
        self.engine = make_engine(self.database)
        migrate(self.engine)
        self.queue = ModerationQueue(self.engine, self.var)

    def submit(self, data: dict[str, Any], contact: dict[str, Any] | None = None) -> str:
        photos = [_photo() for _ in data["photos"]]
        return self.queue.add(data, contact or CONTACT, photos, "203.0.113.7", datetime.now(UTC))

    def run(self, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        options = ["--database", self.database, "--var-dir", str(self.var)]
        if argv[0] == "accept":
            options += ["--content", str(self.content)]
        code = main(["submissions", *argv, *options])
        out, err = capsys.readouterr()
        return code, out, err


@pytest.fixture
def moderation(tmp_path: Path) -> Iterator[Moderation]:
    m = Moderation(tmp_path)
    yield m
    m.engine.dispose()


@pytest.fixture
def both_databases(tmp_path: Path, database_url: str) -> Iterator[Moderation]:
    """The queue on SQLite and on PostgreSQL (tests/checkout_fixtures.py)."""
    m = Moderation(tmp_path, database_url)
    yield m
    m.engine.dispose()


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``folder``."""
    return {
        path.relative_to(folder).as_posix(): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


def test_accepted_submissions_pass_check_and_build_into_product_pages(
    moderation: Moderation, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    new = moderation.submit(new_cooperative())
    known = moderation.submit(existing_cooperative())
    code, out, err = moderation.run(capsys, "accept", new)
    assert code == 0, err
    assert "cooperatives/al-nour-imouzzer.yaml" in out
    code, out, err = moderation.run(capsys, "accept", known)
    assert code == 0, err
    today = date.today().isoformat()

    content = moderation.content
    coop = (content / "cooperatives" / "al-nour-imouzzer.yaml").read_text()
    assert coop.startswith(f'# From the "sell with us" form: submission {new}, accepted {today}.\n')
    assert (
        'contact: {phone: "+212535000111", email: "alnour@example.ma", languages: [ar, fr]}' in coop
    )
    assert (content / "cooperatives" / "al-nour-imouzzer.fr.md").read_text() == (
        "## Notre histoire\n\nLes femmes tissaient chez elles.\n"
    )
    rug = yaml.safe_load(
        (content / "products/al-nour-imouzzer/tapis-zemmour-en-laine.yaml").read_text()
    )
    assert rug["price"] == "1200.00" and rug["cooperative"] == "al-nour-imouzzer"
    assert [image["src"] for image in rug["images"]] == [
        "media/products/al-nour-imouzzer/tapis-zemmour-en-laine-1.jpg",
        "media/products/al-nour-imouzzer/tapis-zemmour-en-laine-2.jpg",
    ]
    # Written as a person writes it: flow mappings for short texts, money quoted, dates bare.
    assert (
        content / "products/argan-tamanar/amlou-aux-noix-et-miel-euphorbe.yaml"
    ).read_text() == (
        f'# From the "sell with us" form: submission {known}, accepted {today}.\n'
        "id: amlou-aux-noix-et-miel-euphorbe\n"
        "cooperative: argan-tamanar\n"
        'name: {ar: "أملو بالجوز", fr: "Amlou aux noix et miel d\'euphorbe"}\n'
        'summary: {ar: "أملو بالجوز والعسل.", fr: "Un amlou aux noix et au miel."}\n'
        "category: amlou-spreads\n"
        'price: "95.50"\n'
        "net_quantity: {value: 250, unit: g}\n"
        "stock: 12\n"
        "weight_g: 400\n"
        "images:\n"
        "  - {src: media/products/argan-tamanar/amlou-aux-noix-et-miel-euphorbe-1.jpg, "
        'alt: {ar: "وعاء أملو", fr: "Un pot d\'amlou"}}\n'
        f"published: {today}\n"
    )
    # The person who filled in the form is never published.
    written = "".join(p.read_text() for p in content.rglob("*") if p.suffix in (".yaml", ".md"))
    assert CONTACT["name"] not in written and CONTACT["phone"] not in written

    accepted = moderation.queue.get(new)
    assert accepted is not None and accepted.status == "accepted"
    assert "products/al-nour-imouzzer/tapis-zemmour-en-laine.yaml" in accepted.content_paths

    assert main(["check", "--content", str(content)]) == 0
    output = tmp_path / "public"
    assert main(["build", "--content", str(content), "--output", str(output), "--no-search"]) == 0
    page = HTMLParser((output / "fr/products/tapis-zemmour-en-laine/index.html").read_text())
    h1 = page.css_first("main h1")
    assert h1 is not None and h1.text(strip=True) == "Tapis « Zemmour » en laine"
    price = page.css_first("p.price")
    assert price is not None and "1200,00" in re.sub(r"\s", "", price.text())
    alts = [img.attributes.get("alt") for img in page.css("main img")]
    assert "Un tapis rouge posé au sol" in alts and "Une main qui tisse" in alts
    # The description is Markdown with raw HTML off: the script is text, not an element.
    assert page.css("main script") == [] and "<script>alert(1)</script>" in page.text()
    amlou = HTMLParser(
        (output / "ar/products/amlou-aux-noix-et-miel-euphorbe/index.html").read_text()
    )
    ar_h1 = amlou.css_first("main h1")
    assert ar_h1 is not None and ar_h1.text(strip=True) == "أملو بالجوز"
    assert (output / "fr/cooperatives/al-nour-imouzzer/index.html").is_file()


def test_a_listing_that_fails_the_check_leaves_the_content_folder_as_it_was(
    moderation: Moderation, capsys: pytest.CaptureFixture[str]
) -> None:
    # A new cooperative's food product without an ONSSA number cannot be published.
    data = new_cooperative(
        category="amlou-spreads",
        net_quantity={"value": 250, "unit": "g"},
        name={"ar": "أملو", "fr": "Amlou"},
    )
    reference = moderation.submit(data)
    before = tree(moderation.content)
    code, _, err = moderation.run(capsys, "accept", reference)
    assert code == 1
    assert re.search(
        r"products/al-nour-imouzzer/amlou\.yaml:\d+:\d+: a food product needs an ONSSA", err
    )
    assert "onssa_number" in err and "reject it with --reason" in err
    assert tree(moderation.content) == before
    pending = moderation.queue.get(reference)
    assert pending is not None and pending.status == "pending" and len(pending.photos) == 2


def test_a_decision_taken_meanwhile_by_someone_else_removes_the_files_again(
    moderation: Moderation, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = moderation.submit(existing_cooperative())
    before = tree(moderation.content)

    def decided_elsewhere(self: ModerationQueue, ref: str, paths: list[str], now: datetime) -> None:
        raise ModerationError(f"{ref} is already rejected; only a pending one can change")

    monkeypatch.setattr(ModerationQueue, "accept", decided_elsewhere)
    code, _, err = moderation.run(capsys, "accept", reference)
    assert code == 1 and "already rejected" in err
    assert tree(moderation.content) == before


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def repository(moderation: Moderation) -> Moderation:
    """The content folder inside a git repository with one commit, on branch `main`."""
    root = moderation.root
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "config", "user.name", "Taawun Office")
    _git(root, "config", "user.email", "office@example.ma")
    _git(root, "config", "commit.gpgsign", "false")
    (root / ".gitignore").write_text("var/\npublic/\n")
    _git(root, "add", ".gitignore", "content")
    _git(root, "commit", "--quiet", "-m", "sample content")
    return moderation


def test_git_branch_commits_exactly_the_new_files_and_returns_to_the_original_branch(
    repository: Moderation, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repository.root
    reference = repository.submit(new_cooperative())
    # Someone's staged work outside the content folder stays theirs: staged, not committed.
    (root / "notes.txt").write_text("draft\n")
    _git(root, "add", "notes.txt")
    before = tree(repository.content)
    code, out, err = repository.run(capsys, "accept", reference, "--git-branch", "listing/al-nour")
    assert code == 0, err
    assert "git push origin listing/al-nour" in out
    assert _git(root, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert tree(repository.content) == before  # the files live on the new branch only
    assert _git(root, "status", "--porcelain") == "A  notes.txt"
    committed = _git(root, "show", "--name-only", "--format=", "listing/al-nour").splitlines()
    assert sorted(committed) == sorted(
        [
            "content/cooperatives/al-nour-imouzzer.yaml",
            "content/cooperatives/al-nour-imouzzer.ar.md",
            "content/cooperatives/al-nour-imouzzer.fr.md",
            "content/media/products/al-nour-imouzzer/tapis-zemmour-en-laine-1.jpg",
            "content/media/products/al-nour-imouzzer/tapis-zemmour-en-laine-2.jpg",
            "content/products/al-nour-imouzzer/tapis-zemmour-en-laine.yaml",
            "content/products/al-nour-imouzzer/tapis-zemmour-en-laine.ar.md",
            "content/products/al-nour-imouzzer/tapis-zemmour-en-laine.fr.md",
        ]
    )
    subject = _git(root, "log", "-1", "--format=%s", "listing/al-nour")
    assert reference in subject and "Tapis « Zemmour » en laine" in subject
    assert _git(root, "rev-parse", "listing/al-nour~1") == _git(root, "rev-parse", "main")
    accepted = repository.queue.get(reference)
    assert accepted is not None and accepted.status == "accepted"


def test_git_branch_refuses_a_folder_with_uncommitted_changes_or_outside_git(
    repository: Moderation, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = repository.root
    reference = repository.submit(existing_cooperative())
    changed = repository.content / "cooperatives" / "argan-tamanar.fr.md"
    changed.write_text(changed.read_text() + "\nUn paragraphe pas encore enregistré.\n")
    before = tree(repository.content)
    code, _, err = repository.run(capsys, "accept", reference, "--git-branch", "listing/amlou")
    assert code == 2
    assert "uncommitted changes" in err and "cooperatives/argan-tamanar.fr.md" in err
    assert tree(repository.content) == before
    assert _git(root, "branch", "--list", "listing/amlou") == ""
    pending = repository.queue.get(reference)
    assert pending is not None and pending.status == "pending"

    shutil.rmtree(root / ".git")
    code, _, err = repository.run(capsys, "accept", reference, "--git-branch", "listing/amlou")
    assert code == 2 and "not inside a git repository" in err


def test_reject_records_the_reason_and_deletes_the_photos(
    both_databases: Moderation, capsys: pytest.CaptureFixture[str]
) -> None:
    moderation = both_databases
    reference = moderation.submit(existing_cooperative())
    folder = moderation.var / "submissions" / reference
    assert folder.is_dir()
    with pytest.raises(SystemExit) as usage:
        moderation.run(capsys, "reject", reference)  # the reason is required
    assert usage.value.code == 2
    code, out, _ = moderation.run(
        capsys, "reject", reference, "--reason", "photo floue, merci de la refaire"
    )
    assert code == 0 and reference in out
    rejected = moderation.queue.get(reference)
    assert rejected is not None and rejected.status == "rejected"
    assert rejected.reason == "photo floue, merci de la refaire" and rejected.photos == []
    assert not folder.exists()
    code, _, err = moderation.run(capsys, "accept", reference)
    assert code == 1 and "already rejected" in err
    code, _, err = moderation.run(capsys, "reject", "TW-0000-0000", "--reason", "x")
    assert code == 1 and "no submission TW-0000-0000" in err


def test_list_and_show_print_what_a_stranger_typed_as_harmless_text(
    both_databases: Moderation, capsys: pytest.CaptureFixture[str]
) -> None:
    moderation = both_databases
    data = existing_cooperative()
    data["product"]["name"]["fr"] = f"Amlou{HOSTILE} aux noix"
    data["product"]["description"]["fr"] = f"Première ligne\n{HOSTILE}Seconde ligne"
    hostile = moderation.submit(data, {**CONTACT, "name": f"Fatima{HOSTILE}"})
    other = moderation.submit(new_cooperative())
    moderation.run(capsys, "reject", other, "--reason", "doublon")

    code, out, _ = moderation.run(capsys, "list")
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(rows) == {hostile, other}
    assert "pending" in rows[hostile] and "argan-tamanar" in rows[hostile]
    assert rows[hostile].endswith("Amlou aux noix")
    assert "rejected" in rows[other] and "new: Coopérative Al Nour" in rows[other]
    code, out, _ = moderation.run(capsys, "list", "--status", "rejected")
    assert [line.split()[0] for line in out.splitlines()[1:]] == [other]

    code, out, _ = moderation.run(capsys, "show", hostile)
    assert code == 0
    for control in ("\x1b", "\x07", "\u202e"):
        assert control not in out
    assert "name: Fatima" in out and f"phone: {CONTACT['phone']}" in out
    assert "fr: Amlou aux noix" in out
    assert "      Première ligne\n      Seconde ligne" in out
    assert str(moderation.var / "submissions" / hostile / "photo-1.jpg") in out
    assert "price: 95.50" in out

    code, _, err = moderation.run(capsys, "show", "TW-0000-0000")
    assert code == 1 and "no submission" in err


def test_write_listing_rejects_photos_that_do_not_match_their_descriptions(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    photo = tmp_path / "photo-1.jpg"
    photo.write_bytes(_photo())
    before = tree(content)
    with pytest.raises(ListingRejected, match="describes 2 photo"):
        write_listing(content, new_cooperative(), [photo], "TW-AAAA-BBBB")
    data = existing_cooperative()
    data["product"]["price"] = "12,50"
    with pytest.raises(ListingRejected, match=r"product\.price"):
        write_listing(content, data, [photo], "TW-AAAA-BBBB")
    assert tree(content) == before


def test_ids_are_ascii_slugs_of_the_french_name_and_unique(tmp_path: Path) -> None:
    assert slugify("Huile d'argan pressée à froid") == "huile-argan-pressee-a-froid"
    assert slugify("Œufs beldi — 30 pièces") == "oeufs-beldi-30-pieces"
    assert slugify("Amlou \x1b[2Jaux noix") == "amlou-aux-noix"
    assert slugify("زيت الزيتون") == ""
    assert len(slugify("tapis " * 30)) <= 48 and not slugify("tapis " * 30).endswith("-")
    assert cooperative_slug("Coopérative des Femmes de Tiznit") == "femmes-de-tiznit"
    # Arabic-only names, and names already taken, get the cooperative's id and a number.
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(_photo())
    data = existing_cooperative()
    data["product"]["name"] = {"ar": "أملو", "fr": "أملو"}
    first = write_listing(content, data, [photo], "TW-AAAA-BBBB")
    second = write_listing(content, data, [photo], "TW-AAAA-CCCC")
    assert first[-3].name == "argan-tamanar-1.yaml" and second[-3].name == "argan-tamanar-2.yaml"
    data["product"]["name"] = {"ar": "أملو", "fr": "Amlou tamanar"}  # the sample's own id
    third = write_listing(content, data, [photo], "TW-AAAA-DDDD")
    assert third[-3].name == "amlou-tamanar-2.yaml"


@pytest.mark.parametrize(
    "text",
    [
        'L\'amlou: "le vrai" # pas un commentaire',
        "yes",
        "2025-01-01",
        "- item\n? key\n& anchor *alias !tag %dir @ `",
        "\x00\x1b[2J\x85\u2028 tabs\tand\r\nbreaks",
        "   leading and trailing   ",
        "أملو ⵜⴰⵎⵢⴰⵡⴰⵙⵜ",
    ],
)
def test_yaml_is_written_in_the_house_style_and_reads_back_unchanged(text: str) -> None:
    entry = {
        "id": "x",
        "name": {"ar": text, "fr": text},
        "price": "80.00",
        "published": date(2026, 1, 2),
        "tags": ["amlou", text],
    }
    written = dump(entry, ["a header\nwith a newline"])
    assert written.startswith("# a header with a newline\nid: x\n")
    assert yaml.safe_load(written) == entry
    assert 'price: "80.00"\n' in written and "published: 2026-01-02\n" in written


def test_terminal_text_loses_escape_sequences_and_keeps_arabic() -> None:
    assert safe(f"أملو{HOSTILE} ok\n\tnext") == "أملو ok\n\tnext"
    assert safe("a\x9b2Jb\x7fc") == "a2Jbc"
    assert one_line("a\n b\x1b[31m c", 4) == "a b…"


# --------------------------------------------------------------------------- review: odd inputs


def test_write_listing_refuses_a_cooperative_id_that_is_not_an_id(tmp_path: Path) -> None:
    """The queue's copy is checked again: a `cooperative_id` that is a path (a row edited by
    hand, or by someone who got into the database) writes nothing, inside or outside."""
    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    (content / "media" / "products").mkdir(parents=True, exist_ok=True)
    photo = tmp_path / "photo-1.jpg"
    photo.write_bytes(_photo())
    before = tree(tmp_path)
    for bad in ("../../escaped", str(tmp_path / "escaped"), "Argan Tamanar", ""):
        data = existing_cooperative()
        data["cooperative_id"] = bad
        with pytest.raises(ListingRejected, match="cooperative_id"):
            write_listing(content, data, [photo], "TW-AAAA-BBBB")
    assert tree(tmp_path) == before


def test_an_id_whose_photos_are_left_over_gets_a_number(tmp_path: Path) -> None:
    """Photos of a product deleted by hand, left in media/: the new product takes the next id
    instead of failing on its second photo's file."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    photo = tmp_path / "photo-1.jpg"
    photo.write_bytes(_photo())
    data = existing_cooperative()
    data["photos"] *= 2
    media = content / "media" / "products" / "argan-tamanar"
    media.mkdir(parents=True, exist_ok=True)
    (media / "amlou-aux-noix-et-miel-euphorbe-2.jpg").write_bytes(_photo())
    before = tree(media)
    written = write_listing(content, data, [photo, photo], "TW-AAAA-BBBB")
    products = content / "products" / "argan-tamanar"
    assert products / "amlou-aux-noix-et-miel-euphorbe-2.yaml" in written
    assert media / "amlou-aux-noix-et-miel-euphorbe-2-2.jpg" in written
    assert {name: tree(media)[name] for name in before} == before  # the old photo untouched


def test_a_file_written_meanwhile_by_another_acceptance_refuses_cleanly(
    moderation: Moderation, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two moderators accepting at the same moment may pick the same free id; the second to
    write finds the file there: it is refused in words, and removes only its own files."""
    from generator.contribute import listing

    reference = moderation.submit(existing_cooperative())
    monkeypatch.setattr(listing, "unique_id", lambda base, fallback, taken: "amlou-tamanar")
    before = tree(moderation.content)
    code, _, err = moderation.run(capsys, "accept", reference)
    assert code == 1
    assert "exists already" in err and "amlou-tamanar.yaml" in err
    assert tree(moderation.content) == before
    pending = moderation.queue.get(reference)
    assert pending is not None and pending.status == "pending"


def test_a_missing_sqlite_database_is_named_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the wrong folder, `list` must not make an empty queue and say "no submissions"."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TAAWUN_DATABASE_URL", raising=False)
    assert main(["submissions", "list"]) == 2
    assert "no checkout database at var/checkout.sqlite3" in capsys.readouterr().err
    assert not (tmp_path / "var").exists()


def test_errors_already_in_the_folder_are_not_blamed_on_the_listing(
    moderation: Moderation, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = moderation.submit(existing_cooperative())
    page = moderation.content / "pages" / "about.yaml"
    page.write_text(page.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    before = tree(moderation.content)
    code, _, err = moderation.run(capsys, "accept", reference)
    assert code == 1
    assert "pages/about.yaml" in err and "unknown key `colour`" in err
    assert "are in files already in" in err and "reject it" not in err
    assert tree(moderation.content) == before
