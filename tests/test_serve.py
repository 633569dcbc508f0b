"""The dev server: serves the build, shows build errors in the browser, reloads after rebuilds."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from generator import loader
from generator.serve import RELOAD_PATH, DevState, _handler


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serve_shows_pages_then_errors_then_recovers(minimal_site: Path) -> None:
    output = minimal_site.parent / "public"
    state = DevState()
    state.rebuild(minimal_site, output)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, output))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        status, body = fetch(base + "/fr/")
        assert status == 200 and RELOAD_PATH in body
        version = fetch(base + RELOAD_PATH)[1]

        product = minimal_site / "products" / "tamount" / "huile-argan.yaml"
        good = product.read_text(encoding="utf-8")
        product.write_text(good.replace('price: "120.00"', 'price: "12,0"'), encoding="utf-8")
        state.rebuild(minimal_site, output)
        status, body = fetch(base + "/fr/")
        assert status == 500
        assert "huile-argan.yaml:7:1" in body and "12,0" in body
        assert fetch(base + RELOAD_PATH)[1] != version
        assert (output / "fr" / "index.html").is_file()  # the last good site is still on disk

        product.write_text(good, encoding="utf-8")
        state.rebuild(minimal_site, output)
        assert fetch(base + "/fr/")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_serve_rebuilds_incrementally_and_rereads_only_changed_files(
    minimal_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = minimal_site.parent / "public"
    state = DevState()
    state.rebuild(minimal_site, output)
    product = minimal_site / "products" / "tamount" / "huile-argan.yaml"
    product.write_text(
        product.read_text(encoding="utf-8").replace('price: "120.00"', 'price: "125.00"'),
        encoding="utf-8",
    )
    parsed: list[Path] = []
    real = loader._parse_entity

    def spy(task: tuple[Path, str, str]) -> object:
        parsed.append(task[0])
        return real(task)

    monkeypatch.setattr(loader, "_parse_entity", spy)
    result = state.rebuild_result(minimal_site, output)

    assert parsed == [product]  # the other files came from the parse cache
    assert result.mode == "incremental"
    assert "fr/products/huile-argan/index.html" in result.rendered
    assert "fr/academy/index.html" not in result.rendered
    assert "125,00" in (output / "fr" / "products" / "huile-argan" / "index.html").read_text(
        encoding="utf-8"
    )
