"""Live preview (`build.py serve`): a local server that builds what it serves and reloads the page on save.

Reports are built in memory (HTML only, other formats when asked for) the first time they are
opened; out/ is never written unless asked (`--write`). A watcher (watchfiles) sees the saves in
content/, templates/ and themes/; a saved content file rebuilds the report it belongs to (and
next year's, which quotes it), a template or theme rebuilds the reports open in a browser. The
open pages hear of it through server-sent events (/_events) and reload themselves. A report
with errors shows them, located, in place of the report, with its last good version one click
away; warnings are listed above the report. The page furniture is in the theme
(preview.html.j2, preview-error.html.j2).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import ReportError, display_path
from ..pipeline import Toolkit, build_report
from ..read import MANIFEST_FILE, find_reports
from ..resources import DEFAULT_THEME, PACKAGE
from ..writers import WRITERS
from ..writers import html as html_writer
from .builder import Builder, _manifest_of, entry_of
from .pages import department_page, departments, index_page, read_site

EVENTS = "/_events"
PREVIEW = "preview.html.j2"
ERROR_PAGE = "preview-error.html.j2"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xml": "application/xml",
}


@dataclass
class Page:
    """What the preview holds for one report: its page now, its last good page, and what to show instead."""

    html: bytes | None = None  # the report's page as built (None: it has errors)
    good: bytes | None = None  # the last page built without errors
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    builds: int = 0


@dataclass
class Preview:
    """The reports of a content folder, built on demand and rebuilt when their files change."""

    root: Path
    write_to: Path | None = None  # out/, when asked to write there too
    toolkit: Toolkit = field(default_factory=Toolkit)
    pages: dict[str, Page] = field(default_factory=dict)  # "slug/year" → page
    version: int = 0
    changed: tuple[str, ...] = ()  # what the last version changed ("*" for everything)
    log: Callable[[str], None] = print
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _news: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self._news = threading.Condition(self._lock)
        self.folders = {self.key(f): f for f in find_reports(self.root)}

    @staticmethod
    def key(folder: Path) -> str:
        return f"{folder.parent.name}/{folder.name}"

    # ---------------------------------------------------------------- building

    def build(self, key: str) -> Page:
        """Build one report's page in memory (nothing is written unless asked)."""
        folder = self.folders[key]
        page = self.pages.setdefault(key, Page())
        page.builds += 1
        try:
            built = build_report(folder, self.toolkit, ("html",))
        except ReportError as exc:
            page.html, page.errors, page.warnings = None, (exc.render(),), ()
            return page
        except Exception:  # noqa: BLE001 - a bug shows on the page, the server goes on
            page.html, page.errors, page.warnings = None, (traceback.format_exc(),), ()
            return page
        page.warnings = tuple(f.render() for f in built.warnings)
        if built.errors or built.document is None:
            page.html, page.errors = None, tuple(f.render() for f in built.errors)
            return page
        page.html, page.errors = built.files["report.html"], ()
        page.good = page.html
        if self.write_to is not None:
            Builder(self.write_to, toolkit=self.toolkit).build(folder)
        return page

    def page(self, key: str) -> Page:
        with self._lock:
            page = self.pages.get(key)
            return page if page is not None and page.builds else self.build(key)

    def file(self, key: str, name: str) -> bytes | None:
        """Another file of a report (report.docx …), built when asked for."""
        format_ = next((f for f, w in WRITERS.items() if w.file == name), None)
        if format_ is None:
            return None
        with self._lock:
            try:
                built = build_report(self.folders[key], self.toolkit, (format_,))
            except ReportError:
                return None
            return built.files.get(name)

    # ---------------------------------------------------------------- changes

    def reports_of(self, paths: Iterable[Path]) -> set[str] | None:
        """The reports a set of saved files belongs to; None when a template or theme changed (all of them)."""
        keys: set[str] = set()
        root = self.root.resolve()
        for path in paths:
            path = path.resolve()
            if root not in path.parents:
                return None  # templates/ or themes/: every report may look different
            if path.parent == root:
                return None  # content/site.yaml: the site's name on every page
            for folder in (path.parent, path.parent.parent):
                key = self.key(folder)
                if (folder / MANIFEST_FILE).is_file() or key in self.folders:
                    keys.add(key)
                    following = f"{folder.parent.name}/{int(folder.name) + 1}" if folder.name.isdigit() else ""
                    if following in self.folders:  # next year's report quotes this one
                        keys.add(following)
                    break
        return keys

    def update(self, paths: Iterable[Path]) -> tuple[str, ...]:
        """Rebuild what a batch of saved files changed (only the reports open so far) and tell the pages."""
        with self._lock:
            keys = self.reports_of(paths)
            self.folders = {self.key(f): f for f in find_reports(self.root)}  # a report added or removed
            if keys is None:
                self.toolkit = Toolkit()
                html_writer._theme.cache_clear()  # the theme's templates and stylesheet are read again
                keys = set(self.pages)
                changed: tuple[str, ...] = ("*",)
            else:
                changed = tuple(sorted(keys))
            for key in sorted(keys):
                if key in self.pages and key in self.folders:
                    self.build(key)
                    self.log(f"已重新生成 {display_path(self.folders[key])}")
                elif key not in self.folders:
                    self.pages.pop(key, None)
            self.version += 1
            self.changed = changed
            self._news.notify_all()
            return changed

    def wait(self, seen: int, timeout: float) -> tuple[int, tuple[str, ...]]:
        """Wait for a version after `seen`; return the version and what it changed."""
        with self._news:
            self._news.wait_for(lambda: self.version != seen, timeout)
            return self.version, self.changed if self.version != seen else ()

    def stop(self) -> None:
        with self._news:
            self.version = -1  # every event stream ends
            self.changed = ()
            self._news.notify_all()

    # ---------------------------------------------------------------- pages

    def theme(self):
        theme = self.toolkit.project.theme(DEFAULT_THEME)
        assert theme is not None
        return theme

    def report_page(self, key: str, last_good: bool = False) -> bytes:
        page = self.page(key)
        theme = self.theme()
        if last_good and page.good is not None:
            body = page.good
        elif page.html is None:
            return html_writer.render_page(
                theme,
                ERROR_PAGE,
                folder=display_path(self.folders[key]),
                key=key,
                errors=page.errors,
                good=page.good is not None,
                warnings=(),
                last_good=False,
            )
        else:
            body = page.html
        return self.inject(body, key, page.warnings, last_good)

    def inject(self, page: bytes, key: str, warnings: tuple[str, ...] = (), last_good: bool = False) -> bytes:
        """A page with the preview's furniture: the warnings after <body>, the reloading script before </body>."""
        theme = self.theme()

        def part(name: str) -> str:
            page = html_writer.render_page(theme, PREVIEW, part=name, key=key, warnings=warnings, last_good=last_good)
            return page.decode("utf-8")

        text = page.decode("utf-8")
        start, end = text.find("<body>"), text.rfind("</body>")
        if start < 0 or end < 0:
            return page
        start += len("<body>")
        return (text[:start] + "\n" + part("top") + text[start:end] + part("end") + text[end:]).encode("utf-8")

    def entries(self):
        found = []
        for _, folder in sorted(self.folders.items()):
            manifest = _manifest_of(folder)
            if manifest is None:
                continue
            try:
                title = self.toolkit.composer.title(manifest)
            except ReportError:
                title = display_path(folder)
            found.append(entry_of(folder.parent.name, manifest, title, ("html",)))
        return found

    def site_page(self, slug: str | None) -> bytes | None:
        site = read_site(self.root)
        groups = departments(sorted(self.entries(), key=lambda e: (e.slug, e.year, e.kind)))
        if slug is None:
            page = index_page(site, groups, sum(len(g.entries) for g in groups), self.theme())
        else:
            group = next((g for g in groups if g.slug == slug), None)
            if group is None:
                return None
            page = department_page(site, group, self.theme())
        return self.inject(page, "*")


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the name http.server gives it
        pass  # the terminal shows rebuilds, not every request

    def _send(self, status: HTTPStatus, data: bytes, kind: str = TYPES[".html"]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == EVENTS:
            return self._events()
        parts = [p for p in path.split("/") if p]
        preview = self.preview
        try:
            if not parts or parts == ["index.html"]:
                return self._send(HTTPStatus.OK, preview.site_page(None) or b"")
            if len(parts) == 2 and parts[1] == "index.html" or len(parts) == 1:
                page = preview.site_page(parts[0])
                if page is not None:
                    return self._send(HTTPStatus.OK, page)
            if len(parts) in (2, 3):
                key = "/".join(parts[:2])
                name = parts[2] if len(parts) == 3 else "report.html"
                if key in preview.folders:
                    if name == "report.html":
                        last_good = "last-good" in parse_qs(url.query, keep_blank_values=True)
                        return self._send(HTTPStatus.OK, preview.report_page(key, last_good))
                    data = preview.file(key, name)
                    if data is not None:
                        suffix = Path(name).suffix
                        return self._send(HTTPStatus.OK, data, TYPES.get(suffix, "application/octet-stream"))
        except (BrokenPipeError, ConnectionResetError):
            return None
        self._send(HTTPStatus.NOT_FOUND, "没有这个页面".encode(), "text/plain; charset=utf-8")

    def _events(self) -> None:
        """Server-sent events: `reload` with the report that changed (or “*”), a comment now and then."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        preview = self.preview
        seen = preview.version
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while True:
                version, changed = preview.wait(seen, 10.0)
                if version < 0:
                    return
                if version == seen:
                    self.wfile.write(b": ping\n\n")
                else:
                    seen = version
                    for key in changed:
                        self.wfile.write(f"event: reload\ndata: {key}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def watched(root: Path, toolkit: Toolkit) -> list[Path]:
    """The folders a preview watches: the content, the project's and the package's templates and themes."""
    folders = [root, *toolkit.project.template_roots, *toolkit.project.theme_roots]
    folders += [PACKAGE / "templates", PACKAGE / "themes"]
    unique: list[Path] = []
    for folder in folders:
        if folder.is_dir() and folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique


def serve(root: Path, port: int = 0, *, write_to: Path | None = None, ready: Callable[[str], None] | None = None) -> None:
    """Serve a content folder on 127.0.0.1 until Ctrl-C; `ready` gets the address once it listens."""
    import watchfiles

    preview = Preview(root, write_to)
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    stop = threading.Event()

    def watch() -> None:
        # step: a batch ends after 150 ms without another save, so an editor's two quick writes are one rebuild.
        for changes in watchfiles.watch(*watched(root, preview.toolkit), stop_event=stop, step=150, debounce=1000):
            paths = [Path(p) for _, p in changes]
            try:
                preview.update(paths)
            except Exception:  # noqa: BLE001 - the watcher must outlive a bug in one rebuild
                traceback.print_exc()

    watcher = threading.Thread(target=watch, name="watch", daemon=True)
    watcher.start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    if ready is not None:
        ready(address)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        preview.stop()
        server.server_close()
        watcher.join(timeout=2)
