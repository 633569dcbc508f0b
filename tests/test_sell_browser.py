"""The "sell with us" form in a real browser: the built sample site's /ar/ and /fr/sell/ pages,
the checkout service on a real socket (SQLite and PostgreSQL), and the whole round trip: the
form's submission lands in the moderation queue, `taawun submissions accept` writes it into a
copy of content/, and the next build has the new product's page, valid and accessible."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from PIL import Image

from checkout.moderation import ModerationQueue
from generator.build import BuildResult
from generator.cli import main

from .checkout_fixtures import LiveServer
from .conftest import SAMPLE_CONTENT
from .quality.checkers import (
    AXE_JS,
    AXE_OPTIONS,
    axe_violations,
    format_violations,
    serve_directory,
    vnu_errors,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

SAMPLE_CHECKOUT = "http://127.0.0.1:8100"  # content/site.yaml's checkout_url
HOSTILE = "<img src=x onerror=alert(1)>"
REFERENCE = re.compile(r"TW-[0-9A-Z]{4}-[0-9A-Z]{4}")
# The theme's Arabic strings: the messages the page shows (they are reworded; the tests follow).
AR: dict[str, str] = yaml.safe_load(
    (Path(__file__).parent.parent / "themes/default/i18n/ar.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def site_url(sample_build: tuple[BuildResult, Path]) -> Iterator[str]:
    with serve_directory(sample_build[1]) as base:
        yield base.rstrip("/")


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (170, 120, 60)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def field(page: Page, name: str) -> Any:
    return page.locator(f'[name="{name}"]')


def next_step(page: Page) -> None:
    page.locator(".step:not([hidden]) [data-next]").click()


def visible_step(page: Page) -> str:
    return str(page.locator(".step:not([hidden])").get_attribute("id"))


def test_required_fields_and_a_bad_phone_are_shown_next_to_their_field_in_arabic(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(locale="ar-MA")
    page = context.new_page()
    try:
        page.goto(f"{site_url}/ar/sell/")
        assert page.locator("#step-product").is_hidden()  # one step at a time
        field(page, "cooperative.contact.phone").fill("12345")
        next_step(page)
        name = field(page, "cooperative.name.ar")
        page.wait_for_selector(".error-summary")
        assert visible_step(page) == "step-cooperative"
        assert name.get_attribute("aria-invalid") == "true"
        described = (name.get_attribute("aria-describedby") or "").split()
        error = page.locator(f'[id="{described[-1]}"]')
        assert error.inner_text() == AR["sell.js.err.required"]
        assert page.evaluate("document.activeElement.name") == "cooperative.name.ar"
        phone = field(page, "cooperative.contact.phone")
        assert phone.get_attribute("aria-invalid") == "true"
        phone_error = (phone.get_attribute("aria-describedby") or "").split()[-1]
        phone_text = page.locator(f'[id="{phone_error}"]').inner_text()
        assert phone_text == AR["sell.js.err.pattern.tel"]
        # The example numbers are isolated left-to-right: "06 12 34 56 78" is not reversed.
        assert "\u206606 12 34 56 78\u2069" in phone_text
        summary = page.locator(".error-summary")
        links = summary.locator("a")
        assert links.count() >= 10
        assert links.first.get_attribute("href") == "#cooperative.name.ar"
        # With its errors shown, the step still has no accessibility violation.
        page.add_script_tag(path=str(AXE_JS))
        found = page.evaluate(
            "async (options) => (await axe.run(document, options)).violations.map((v) => v.id)",
            AXE_OPTIONS,
        )
        assert found == []
        # Written as Moroccans write it, the number is accepted (sent as +212…).
        phone.fill("06 61 23 45 67")
        next_step(page)
        assert phone.get_attribute("aria-invalid") is None
    finally:
        context.close()


def fill_product_step(page: Page, name_fr: str) -> None:
    field(page, "product.name.ar").fill("أملو باللوز")
    field(page, "product.name.fr").fill(name_fr)
    field(page, "product.summary.ar").fill("أملو باللوز وزيت الأركان والعسل.")
    field(page, "product.summary.fr").fill("Un amlou aux amandes, à l'huile d'argan et au miel.")
    field(page, "product.category").select_option("amlou-spreads")
    field(page, "product.price").fill("95,50")
    field(page, "product.net_quantity.value").fill("250")
    field(page, "product.net_quantity.unit").select_option("g")
    field(page, "product.availability").select_option("in_stock")
    field(page, "product.stock").fill("12")
    field(page, "product.weight_g").fill("400")
    field(page, "product.description.ar").fill("يُحضَّر في تمنار.\n\nيُحفظ في مكان بارد.")
    field(page, "product.description.fr").fill(
        f"Préparé à Tamanar. {HOSTILE}\n\nÀ garder au frais."
    )


def test_a_seller_submits_and_the_listing_becomes_a_valid_product_page(
    browser: Browser,
    sample_build: tuple[BuildResult, Path],
    site_url: str,
    shop_factory: Any,
    database_url: str,
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    # The service reads the sample's catalogue (its cooperatives), as it would in production.
    (tmp_path / "site").mkdir()
    shutil.copy(sample_build[1] / "catalogue.json", tmp_path / "site" / "catalogue.json")
    shop = shop_factory(allowed_origins=(site_url,), var_dir=var)
    context = browser.new_context(locale="fr-MA")
    page = context.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    try:
        with LiveServer(shop.app) as live:

            def to_service(route: Route) -> None:
                route.continue_(url=route.request.url.replace(SAMPLE_CHECKOUT, live.url))

            page.route(f"{SAMPLE_CHECKOUT}/**", to_service)
            page.goto(f"{site_url}/fr/sell/")
            page.check('input[name="choice"][value="existing"]')
            field(page, "cooperative_id").select_option("argan-tamanar")
            next_step(page)
            assert visible_step(page) == "step-product"
            fill_product_step(page, HOSTILE)
            next_step(page)
            assert visible_step(page) == "step-photos"
            field(page, "photos.0.file").set_input_files(
                files=[{"name": "amlou.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
            )
            assert page.locator(".photo-preview img").get_attribute("src", timeout=5000)
            field(page, "photos.0.alt.ar").fill("وعاء أملو على طاولة")
            field(page, "photos.0.alt.fr").fill("Un pot d'amlou sur une table")
            next_step(page)
            field(page, "contact.name").fill("Fatima Ait Said")
            field(page, "contact.phone").fill("06 12 34 56 78")
            field(page, "contact.email").fill("fatima@example.ma")
            field(page, "consent").check()
            next_step(page)
            assert visible_step(page) == "step-preview"
            preview = page.locator("#sell-preview")
            # What the seller typed is text: the tag shows as typed and no element is made.
            assert preview.locator("h3").inner_text() == HOSTILE
            assert HOSTILE in preview.inner_text()
            assert preview.locator('img[src="x"]').count() == 0
            assert (
                preview.locator("img.card-img")
                .get_attribute("src", timeout=5000)
                .startswith("blob:")
            )
            # Back to the product, for a name a buyer would search for.
            for _ in range(3):
                page.locator(".step:not([hidden]) [data-back]").click()
            assert visible_step(page) == "step-product"
            field(page, "product.name.fr").fill("Amlou aux amandes de Tamanar")
            for _ in range(3):
                next_step(page)
            assert "95,50" in re.sub(r"\s", "", preview.locator(".price").inner_text())
            page.locator("#sell-submit").click()
            page.wait_for_selector("#sell-done:not([hidden]), .error-summary")
            done = page.inner_text(".step:not([hidden])")
    finally:
        context.close()
    assert alerts == []
    found = REFERENCE.search(done)
    assert found is not None, done
    reference = found.group(0)

    queue = ModerationQueue(shop.engine, var)
    stored = queue.get(reference)
    assert stored is not None and stored.status == "pending"
    assert stored.data["cooperative_id"] == "argan-tamanar"
    assert stored.data["product"]["price"] == "95.50"
    assert stored.contact["phone"] == "+212612345678"
    assert len(stored.photos) == 1 and stored.photos[0].is_file()

    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    options = ["--database", database_url, "--var-dir", str(var), "--content", str(content)]
    assert main(["submissions", "accept", reference, *options]) == 0
    accepted = queue.get(reference)
    assert accepted is not None and accepted.status == "accepted"
    product_file = next(p for p in accepted.content_paths if p.startswith("products/"))
    product_id = Path(product_file).stem
    output = tmp_path / "public"
    assert main(["build", "--content", str(content), "--output", str(output), "--no-search"]) == 0
    pages = [output / lang / "products" / product_id / "index.html" for lang in ("ar", "fr")]
    assert all(p.is_file() for p in pages)
    assert "Amlou aux amandes de Tamanar" in pages[1].read_text(encoding="utf-8")
    assert vnu_errors(pages) == []
    paths = [f"/{lang}/products/{product_id}/" for lang in ("ar", "fr")]
    with serve_directory(output) as base, ThreadPoolExecutor(1) as worker:
        # The axe helper drives its own Playwright, which cannot start in the thread where this
        # module's browser runs: it runs in a thread of its own.
        violations = worker.submit(axe_violations, base, paths).result()
    assert not any(violations.values()), format_violations(violations)


def test_numbers_typed_with_arabic_digits_or_a_decimal_comma_are_read_as_numbers(
    browser: Browser, site_url: str
) -> None:
    """Chromium empties a type=number input typed "٣" and turns "12,5" into 125: the form's
    numbers are text inputs with a digits keyboard, read by sell.js."""
    context = browser.new_context(locale="ar-MA")
    page = context.new_page()
    try:
        page.goto(f"{site_url}/ar/sell/")
        youth = field(page, "cooperative.members.youth")
        assert youth.get_attribute("inputmode") == "numeric"
        youth.press_sequentially("٣")
        field(page, "cooperative.members.women").press_sequentially("١٢")
        field(page, "cooperative.contact.phone").press_sequentially("٠٦١٢٣٤٥٦٧٨")
        field(page, "cooperative.delivery.fee").press_sequentially("٣٥٫٥")
        next_step(page)
        page.wait_for_selector(".error-summary")
        for name in ("members.youth", "members.women", "contact.phone", "delivery.fee"):
            assert field(page, f"cooperative.{name}").get_attribute("aria-invalid") is None, name
        page.check('input[name="choice"][value="existing"]')
        field(page, "cooperative_id").select_option("argan-tamanar")
        next_step(page)
        fill_product_step(page, "Amlou")
        quantity = field(page, "product.net_quantity.value")
        quantity.fill("")
        quantity.press_sequentially("12,5")
        assert quantity.input_value() == "12,5"  # kept as typed, not 125
        field(page, "product.stock").fill("")
        field(page, "product.stock").press_sequentially("12,5")  # a stock is a whole number
        next_step(page)
        assert visible_step(page) == "step-product"
        stock = field(page, "product.stock")
        assert stock.get_attribute("aria-invalid") == "true"
        assert quantity.get_attribute("aria-invalid") is None
        stock.fill("١٢")
        next_step(page)
        assert visible_step(page) == "step-photos"
        data = page.evaluate(
            "() => Object.fromEntries(['cooperative.members.youth', 'product.stock',"
            " 'product.net_quantity.value'].map((n) => [n, document.getElementsByName(n)[0].value]))"
        )
        assert data == {
            "cooperative.members.youth": "٣",
            "product.stock": "١٢",
            "product.net_quantity.value": "12,5",
        }
    finally:
        context.close()


def test_a_file_that_is_not_a_photo_is_refused_by_its_bytes_whatever_its_name(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(locale="fr-MA")
    page = context.new_page()
    try:
        page.goto(f"{site_url}/fr/sell/")
        page.check('input[name="choice"][value="existing"]')
        field(page, "cooperative_id").select_option("argan-tamanar")
        next_step(page)
        fill_product_step(page, "Amlou")
        next_step(page)
        assert visible_step(page) == "step-photos"
        photo = field(page, "photos.0.file")
        # A PDF renamed .jpg: the browser calls it image/jpeg from its name.
        pdf = b"%PDF-1.4\n" + b"x" * 2000
        photo.set_input_files(
            files=[{"name": "amlou.jpg", "mimeType": "image/jpeg", "buffer": pdf}]
        )
        error = page.locator('[id="photos.0.file-err"]')
        assert error.inner_text(timeout=5000).startswith("Ce fichier n'est pas une photo")
        assert photo.get_attribute("aria-invalid") == "true"
        assert page.locator(".photo-preview img").count() == 0
        # Too heavy (9 MiB): refused with its size, before anything is sent.
        big = b"\xff\xd8\xff\xe0" + bytes(9 * 1024 * 1024)
        photo.set_input_files(files=[{"name": "big.jpg", "mimeType": "image/jpeg", "buffer": big}])
        page.wait_for_function(
            "/Mo/.test(document.getElementById('photos.0.file-err').textContent)"
        )
        assert "trop lourde" in error.inner_text()
        photo.set_input_files(files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
        assert page.locator(".photo-preview img").get_attribute("src", timeout=5000)
        assert error.count() == 0 and photo.get_attribute("aria-invalid") is None
    finally:
        context.close()
