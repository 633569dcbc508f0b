"""The dev server: serves the build, shows build errors in the browser, reloads after rebuilds."""

from __future__ import annotations

import threading
import time
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


@pytest.fixture
def dev(minimal_site: Path) -> tuple[DevState, Path]:
    """A dev server's state after its first build of the minimal site, and the output."""
    output = minimal_site.parent / "public"
    state = DevState()
    state.rebuild(minimal_site, output)
    return state, output


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
    minimal_site: Path, dev: tuple[DevState, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    state, output = dev
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


def test_watcher_changes_skip_the_walk_unless_files_come_or_go(
    minimal_site: Path, dev: tuple[DevState, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    state, output = dev
    walks: list[Path] = []
    real_discover = loader.discover

    def counting_discover(root: Path) -> object:
        walks.append(root)
        return real_discover(root)

    monkeypatch.setattr(loader, "discover", counting_discover)
    product = minimal_site / "products" / "tamount" / "huile-argan.yaml"
    text = product.read_text(encoding="utf-8")
    product.write_text(text.replace('price: "120.00"', 'price: "126.00"'), encoding="utf-8")
    result = state.rebuild_result(minimal_site, output, [str(product)])
    assert walks == []  # a known file changed: no walk, no look at the other files
    assert result is not None and "fr/products/huile-argan/index.html" in result.rendered
    assert "126,00" in (output / "fr/products/huile-argan/index.html").read_text(encoding="utf-8")

    carpet = product.with_name("tapis-laine.yaml")
    added = [carpet.with_name(f"tapis-2{suffix}") for suffix in (".yaml", ".ar.md", ".fr.md")]
    added[0].write_text(
        carpet.read_text(encoding="utf-8").replace("id: tapis-laine", "id: tapis-2"),
        encoding="utf-8",
    )
    for lang, path in zip(("ar", "fr"), added[1:], strict=True):
        path.write_text(f"Texte {lang}.\n", encoding="utf-8")
    result = state.rebuild_result(minimal_site, output, [str(path) for path in added])
    assert walks == [minimal_site]  # new files: the tree is walked again and they are found
    assert result is not None and (output / "fr/products/tapis-2/index.html").is_file()

    for path in added:
        path.unlink()
    result = state.rebuild_result(minimal_site, output, [str(path) for path in added])
    assert len(walks) == 2 and result is not None
    assert not (output / "fr/products/tapis-2").exists()

    # Changes outside the content folder (the theme) leave the content as it was.
    result = state.rebuild_result(minimal_site, output, [str(output.parent / "elsewhere.css")])
    assert len(walks) == 2 and result is not None and result.rendered == []


def test_search_index_is_rebuilt_in_the_background_after_a_rebuild(minimal_site: Path) -> None:
    output = minimal_site.parent / "public"
    state = DevState()
    result = state.rebuild_result(minimal_site, output)
    assert result is not None and not (output / "pagefind").exists()  # not on the critical path
    state.settle()
    bundle = output / "pagefind" / "fr" / "pagefind-entry.json"
    deadline = time.monotonic() + 60
    while not bundle.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert bundle.is_file()
    # An edit to a page the index does not read asks for no new index.
    state.rebuild_result(minimal_site, output, [])
    assert state.search_stale is None
