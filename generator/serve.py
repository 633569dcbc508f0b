"""``taawun serve``: build, serve on localhost, rebuild when content or theme change.

Build errors show in the terminal *and* in the browser: while the last build failed, every HTML page
is replaced by the error list, and the previous good site stays on disk untouched.
"""

from __future__ import annotations

import functools
import gc
import html
import sys
import threading
from collections.abc import Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

from .build import BuildResult, build, needs_search_index
from .errors import BuildFailed, ErrorReport, SourceLocation
from .loader import ParseCache
from .search import build_search_index
from .theme import DEFAULT_THEME, Theme

RELOAD_PATH = "/__taawun__/version"
# Polls the build number once a second and reloads the page after a rebuild (serve mode only).
RELOAD_SCRIPT = (
    "<script>(()=>{let v=null;setInterval(async()=>{try{const r=await fetch('"
    + RELOAD_PATH
    + "');const t=await r.text();if(v!==null&&t!==v)location.reload();v=t}catch(e){}},1000)})()</script>"
)


class DevState:
    """The dev server's memory between builds: the last errors, the files already parsed (only
    changed files are read again) and the theme (its compiled templates), so that a rebuild
    after saving one file renders only the pages made from it (see build.py).

    What can wait does, after the rebuild is reported and the page reloaded (``settle``): the
    search index is rebuilt in the background and the garbage collector runs then, not during
    the rebuild (a collection walks every object of the site: a third of a warm rebuild).
    """

    def __init__(self, theme_folder: Path = DEFAULT_THEME, jobs: int | None = None) -> None:
        self.version = 0
        self.errors: ErrorReport | None = None
        self.lock = threading.Lock()
        self.parsed = ParseCache()
        self.theme_folder = theme_folder
        self.theme: Theme | None = None
        self.jobs = jobs
        self.search_stale: tuple[Path, list[str]] | None = None  # (output, languages) to index
        self._indexer: SearchIndexer | None = None

    def theme_changed(self) -> None:
        self.theme = None  # templates are reloaded by Jinja; UI strings and assets are not

    def rebuild(self, content: Path, output: Path, changes: Iterable[str] | None = None) -> None:
        self.rebuild_result(content, output, changes)

    def rebuild_result(
        self, content: Path, output: Path, changes: Iterable[str] | None = None
    ) -> BuildResult | None:
        """Rebuild; report errors to the terminal and the browser. The result, if it built.
        ``changes``: the files the watcher saw change (the others are not looked at again)."""
        if changes is not None:
            self.parsed.note_changes(changes)
        gc.disable()
        try:
            if self.theme is None:
                self.theme = Theme(self.theme_folder)
            result = build(
                content, output, self.theme, jobs=self.jobs, parsed=self.parsed, search=False
            )
        except BuildFailed as failed:
            with self.lock:
                self.errors = failed.report
                self.version += 1
            print(failed.report.format("text"), file=sys.stderr, flush=True)
            print(
                "✗ build failed; serving the error list until it is fixed",
                file=sys.stderr,
                flush=True,
            )
            return None
        except Exception as exc:  # a broken template must not kill the dev server
            report = ErrorReport()
            report.add(
                SourceLocation("themes"), "render", "{error}", error=f"{type(exc).__name__}: {exc}"
            )
            with self.lock:
                self.errors = report
                self.version += 1
            print(f"✗ {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return None
        finally:
            gc.enable()
        if result.site is not None and needs_search_index(result):
            self.search_stale = (output, list(result.site.config.full_languages))
        with self.lock:
            self.errors = None
            self.version += 1
        for warning in result.report.warnings:
            print(warning.as_text(), file=sys.stderr)
        pages = len(result.plan.pages) if result.plan else 0
        total = sum(seconds for _, seconds in result.timings)
        if result.mode == "incremental":
            print(
                f"✓ {len(result.rendered)} of {pages} pages rendered again in {total:.2f} s",
                flush=True,
            )
        else:
            print(f"✓ built {pages} pages in {total:.2f} s", flush=True)
        return result

    def settle(self, search: bool = True) -> None:
        """After a rebuild: collect garbage, and bring the search index up to date in a
        background thread (unless ``search`` is false: benchmarks measure it apart)."""
        gc.collect()
        if self.search_stale is None or not search:
            return
        output, languages = self.search_stale
        self.search_stale = None
        if self._indexer is None:
            self._indexer = SearchIndexer()
            self._indexer.start()
        self._indexer.request(output, languages)


class SearchIndexer(threading.Thread):
    """Rebuilds the search index when asked, one run at a time; edits saved during a run are
    indexed by the next one. The index is swapped in whole (search.py), so pages are never
    served with half an index."""

    def __init__(self) -> None:
        super().__init__(daemon=True, name="search-indexer")
        self._wanted = threading.Event()
        self._target: tuple[Path, list[str]] | None = None

    def request(self, output: Path, languages: list[str]) -> None:
        self._target = (output, languages)
        self._wanted.set()

    def run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._target is None:
                continue
            output, languages = self._target
            try:
                stats = build_search_index(output, languages)
            except Exception as exc:  # the dev server goes on; the next edit tries again
                print(f"✗ search index: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                continue
            print(f"✓ search index updated ({stats.seconds:.1f} s)", flush=True)


def error_page(report: ErrorReport) -> bytes:
    items = "".join(
        f"<li><code>{html.escape(str(p.location))}</code> {html.escape(p.message)}"
        + (f"<br><small>{html.escape(p.hint)}</small>" if p.hint else "")
        + "</li>"
        for p in report.errors
    )
    return (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>Build errors</title>"
        "<style>body{font:16px/1.5 system-ui;margin:2rem;max-width:60rem}li{margin:.6rem 0}"
        "code{background:#fde8e4;padding:.1rem .3rem}</style>"
        f"<h1>The site could not be built ({len(report.errors)} error(s))</h1><ol>{items}</ol>"
        "<p>Fix the files above and save: this page reloads by itself.</p>" + RELOAD_SCRIPT
    ).encode()


def _handler(state: DevState, output: Path) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == RELOAD_PATH:
                self._send(str(state.version).encode(), "text/plain")
                return
            with state.lock:
                errors = state.errors
            target = self.translate_path(self.path)
            is_html = self.path.endswith("/") or target.endswith(".html")
            if errors is not None and is_html:
                self._send(error_page(errors), "text/html; charset=utf-8", 500)
                return
            if is_html:
                page = Path(target) / "index.html" if Path(target).is_dir() else Path(target)
                if page.is_file():
                    body = page.read_bytes().replace(
                        b"</body>", RELOAD_SCRIPT.encode() + b"</body>"
                    )
                    self._send(body, "text/html; charset=utf-8")
                    return
            super().do_GET()

        def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the terminal for build output

    return functools.partial(Handler, directory=str(output))  # type: ignore[return-value]


def serve(content: Path, output: Path, host: str, port: int) -> int:
    state = DevState()
    state.rebuild(content, output)
    state.settle()
    output.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((host, port), _handler(state, output))

    def watcher() -> None:
        theme = str(DEFAULT_THEME.resolve())
        for changes in watch(content, DEFAULT_THEME, stop_event=stopping):
            paths = [path for _, path in changes]
            if any(str(Path(path).resolve()).startswith(theme) for path in paths):
                state.theme_changed()
            state.rebuild(content, output, paths)
            state.settle()

    stopping = threading.Event()
    threading.Thread(target=watcher, daemon=True).start()
    print(
        f"Serving http://{host}:{port}/ — edit files in {content} and the page reloads. Ctrl+C stops."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        server.server_close()
    return 0
