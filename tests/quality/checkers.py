"""Quality checkers for generated HTML: Nu HTML Checker (vnu) and axe-core.

The tools come from outside Python:

* ``java`` (Java 17+), Debian: ``apt-get install -y --no-install-recommends default-jre-headless``
* ``vnu.jar`` and ``axe.min.js``: ``npm ci --ignore-scripts --prefix tools`` (see tools/package.json)
* Chromium, Debian: ``apt-get install -y --no-install-recommends chromium``
* Playwright for Python: ``python -m pip install -e '.[test]'``

Every checker raises ``RuntimeError`` naming the missing tool and its install command rather
than skipping, so a CI machine without the tools fails loudly.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import unquote, urljoin, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS_DIR = REPO_ROOT / "tools"
NPM_INSTALL = "npm ci --ignore-scripts --prefix tools"

JAVA = "java"
VNU_JAR = TOOLS_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}
MAX_TARGETS = 5
# Linux allows ~2 MiB of arguments + environment; stay well below it. Hundreds of files fit
# in one java invocation; only a truly huge list is split.
_MAX_ARGV_BYTES = 1_000_000


class AxeViolation(TypedDict):
    id: str
    impact: str | None
    help: str
    help_url: str
    node_count: int
    targets: list[str]


# --------------------------------------------------------------------------- vnu


def _java() -> str:
    java = shutil.which(JAVA)
    if java is None:
        raise RuntimeError(
            f"java not found on PATH (looked for {JAVA!r}); the Nu HTML Checker needs Java 17+. "
            "Install it with: apt-get install -y --no-install-recommends default-jre-headless"
        )
    return java


def _vnu_jar() -> Path:
    if not VNU_JAR.is_file():
        raise RuntimeError(
            f"vnu.jar (the Nu HTML Checker) not found at {VNU_JAR}. "
            f"Install it from the repository root with: {NPM_INSTALL}"
        )
    return VNU_JAR


def _batches(paths: list[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    size = 0
    for p in paths:
        n = len(p.encode()) + 1
        if batch and size + n > _MAX_ARGV_BYTES:
            yield batch
            batch, size = [], 0
        batch.append(p)
        size += n
    if batch:
        yield batch


def _vnu_location(msg: dict[str, Any]) -> str:
    line = msg.get("firstLine", msg.get("lastLine"))
    return "" if line is None else f"{line}:"


def vnu_errors(html_files: list[Path]) -> list[str]:
    """Validate ``html_files`` with the Nu HTML Checker in one java run.

    Returns ``"file:line: message"`` strings (empty when every file is valid). The file part
    is the path as passed in.
    """
    if not html_files:
        return []
    # vnu silently reports nothing for a file that does not exist: refuse that up front.
    missing = [str(p) for p in html_files if not Path(p).is_file()]
    if missing:
        raise FileNotFoundError(f"vnu_errors: no such file(s): {', '.join(missing[:10])}")
    java = _java()
    jar = _vnu_jar()

    shown: dict[str, str] = {}
    args: list[str] = []
    for p in html_files:
        absolute = str(Path(p).absolute())
        shown[absolute] = str(p)
        shown.setdefault(str(Path(p).resolve()), str(p))
        args.append(absolute)

    errors: list[str] = []
    for batch in _batches(args):
        before = len(errors)
        # --stdout keeps the JSON report apart from anything the JVM prints on stderr.
        cmd = [java, "-jar", str(jar), "--format", "json", "--errors-only", "--stdout", *batch]
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", check=False)
        if proc.returncode not in (0, 1):
            raise RuntimeError(
                f"vnu.jar failed (exit {proc.returncode}); it needs Java 17+.\n"
                f"stderr: {proc.stderr.strip()[-2000:]}"
            )
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise RuntimeError(
                f"vnu.jar printed no JSON report (exit {proc.returncode}).\n"
                f"stdout: {proc.stdout.strip()[-1000:]}\nstderr: {proc.stderr.strip()[-1000:]}"
            ) from exc
        for msg in report.get("messages", []):
            if msg.get("type") == "info":
                continue
            url = msg.get("url", "")
            path = unquote(urlsplit(url).path) if url.startswith("file:") else url
            where = shown.get(path, path or "<vnu>")
            kind = "" if msg.get("type") == "error" else f"[{msg.get('type')}] "
            errors.append(f"{where}:{_vnu_location(msg)} {kind}{msg.get('message', '').strip()}")
        if proc.returncode == 1 and len(errors) == before:
            raise RuntimeError(f"vnu.jar exited 1 without messages: {proc.stderr.strip()[-2000:]}")
    return errors


# --------------------------------------------------------------------------- HTTP server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 (free port); yields the base URL ending in ``/``.

    A directory URL serves its ``index.html``.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"serve_directory: not a directory: {root}")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="serve_directory", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- axe


def _axe_js() -> Path:
    if not AXE_JS.is_file():
        raise RuntimeError(
            f"axe (axe-core's axe.min.js) not found at {AXE_JS}. "
            f"Install it from the repository root with: {NPM_INSTALL}"
        )
    return AXE_JS


def _chromium() -> Path:
    if not CHROMIUM.is_file():
        raise RuntimeError(
            f"chromium not found at {CHROMIUM}. "
            "Install it with: apt-get install -y --no-install-recommends chromium"
        )
    return CHROMIUM


def _targets(node: dict[str, Any]) -> str:
    # A target is a list of selectors (several when it crosses iframes or shadow roots).
    target = node.get("target", [])
    parts = [" ".join(t) if isinstance(t, list) else str(t) for t in target]
    return " >> ".join(parts)


def axe_violations(base_url: str, paths: list[str]) -> dict[str, list[AxeViolation]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA + best practices) on each page.

    Returns ``{path: [violation, ...]}`` for every path (an empty list when the page is clean).
    A page that does not answer 200 raises ``RuntimeError``.
    """
    axe_js = _axe_js()
    chromium = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RuntimeError(
            "Playwright for Python is not installed. Install it with: "
            "python -m pip install -e '.[test]'  (or: python -m pip install playwright)"
        ) from exc

    base = base_url if base_url.endswith("/") else base_url + "/"
    results: dict[str, list[AxeViolation]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            # bypass_csp lets axe be injected into pages with a strict Content-Security-Policy.
            context = browser.new_context(bypass_csp=True)
            for path in paths:
                url = urljoin(base, path.lstrip("/"))
                page = context.new_page()
                try:
                    response = page.goto(url, wait_until="load")
                    if response is None or response.status != 200:
                        status = None if response is None else response.status
                        raise RuntimeError(f"axe_violations: GET {url} answered {status}")
                    page.add_script_tag(path=str(axe_js))
                    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                        raise RuntimeError(f"axe: axe.min.js did not load into {url}")
                    raw = page.evaluate(
                        "async (options) => (await axe.run(document, options)).violations",
                        AXE_OPTIONS,
                    )
                finally:
                    page.close()
                results[path] = [
                    AxeViolation(
                        id=v["id"],
                        impact=v.get("impact"),
                        help=v.get("help", ""),
                        help_url=v.get("helpUrl", ""),
                        node_count=len(v.get("nodes", [])),
                        targets=[_targets(n) for n in v.get("nodes", [])[:MAX_TARGETS]],
                    )
                    for v in raw
                ]
            context.close()
        finally:
            browser.close()
    return results


def format_violations(violations: dict[str, list[AxeViolation]]) -> str:
    """One readable line per violation, for assertion messages."""
    lines = []
    for path, found in violations.items():
        for v in found:
            lines.append(
                f"{path}: [{v['impact']}] {v['id']}: {v['help']} "
                f"({v['node_count']} node(s): {', '.join(v['targets'])})"
            )
    return "\n".join(lines)
