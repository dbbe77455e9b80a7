"""`build.py serve`: a live preview in a subprocess, its reload events, its error page, Ctrl-C, a reloading browser."""

from __future__ import annotations

import html
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import browser
from conftest import CONTENT, ROOT

REPORT = "linjiang-yibaoju/2024"


class Server:
    """A `build.py serve` process in a folder of its own, and an event stream read in a thread."""

    def __init__(self, folder: Path):
        self.folder = folder
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve"],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line + self.process.stderr.read()  # type: ignore[union-attr]
        self.port = int(match.group(1))
        self.events: list[str] = []
        self._reader = threading.Thread(target=self._listen, daemon=True)
        self._reader.start()
        self.wait_for(lambda: self.events[:1] == ["connected"], 5)

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")

    def _listen(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/_events")
        response = connection.getresponse()
        for raw in response:
            line = raw.decode("utf-8").rstrip("\n")
            if line == ": connected":
                self.events.append("connected")
            elif line.startswith("data: "):
                self.events.append(line.removeprefix("data: "))

    @staticmethod
    def wait_for(condition, seconds: float) -> float:
        start = time.perf_counter()
        while not condition():
            if time.perf_counter() - start > seconds:
                raise AssertionError("timed out")
            time.sleep(0.02)
        return time.perf_counter() - start

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as a user stops it."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=10)
        return self.process.returncode, out, err


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    shutil.copytree(CONTENT, tmp_path / "content")
    running = Server(tmp_path)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


def notes(server: Server) -> Path:
    return server.folder / "content" / REPORT / "notes.yaml"


def test_a_save_rebuilds_the_report_and_the_page_hears_of_it(server: Server):
    status, page = server.get(f"/{REPORT}/report.html")
    assert status == 200 and "机关运行经费支出24.36万元" in page
    assert 'new EventSource("/_events")' in page  # the page listens for reloads
    path = notes(server)
    path.write_text(path.read_text(encoding="utf-8").replace("本年数: 24.36", "本年数: 25.36"), encoding="utf-8")
    waited = server.wait_for(lambda: REPORT in server.events, 5)
    assert waited < 2  # the watcher's batch ends 150 ms after the save; the rebuild takes ~0.2 s
    status, page = server.get(f"/{REPORT}/report.html")
    assert "机关运行经费支出25.36万元" in page
    # Only the changed report was rebuilt: next year has no folder, the other departments were not named.
    assert server.events[1:] == [REPORT]
    code, out, err = server.stop()
    assert code == 0 and "已停止预览" in out and "Traceback" not in err
    assert "已重新生成 content/linjiang-yibaoju/2024" in out
    assert not (server.folder / "out").exists()  # nothing written into the publishing folder


def test_a_broken_file_shows_its_located_message_and_the_last_good_report(server: Server):
    server.get(f"/{REPORT}/report.html")
    path = notes(server)
    good = path.read_text(encoding="utf-8")
    # Half-written by an editor: an unclosed brace.
    path.write_text(good.replace("机关运行经费:\n  本年数: 24.36", "机关运行经费: {本年数: 24.36"), encoding="utf-8")
    server.wait_for(lambda: server.events.count(REPORT) == 1, 5)
    status, page = server.get(f"/{REPORT}/report.html")
    assert status == 200 and "报告暂不能生成" in page
    # The message as check prints it: file, line, message, the source line and its caret.
    checked = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", f"content/{REPORT}"], cwd=server.folder, capture_output=True, text=True
    ).stdout
    message = checked.split("\n核对未通过")[0]
    assert message.startswith("content/linjiang-yibaoju/2024/notes.yaml:") and "\n" in message
    assert html.escape(message, quote=False) in page
    assert 'href="?last-good"' in page
    status, old = server.get(f"/{REPORT}/report.html?last-good")
    assert "机关运行经费支出24.36万元" in old and "最近一次没有错误时的版本" in old
    # A rule error is shown the same way, with its field.
    path.write_text(good.replace("  合计: 30.00", "  合计: 31.00"), encoding="utf-8")
    server.wait_for(lambda: server.events.count(REPORT) == 2, 5)
    _, page = server.get(f"/{REPORT}/report.html")
    assert "政府采购.合计: 错误：" in page
    # Fixing the file brings the report back, without a restart.
    path.write_text(good, encoding="utf-8")
    server.wait_for(lambda: server.events.count(REPORT) == 3, 5)
    _, page = server.get(f"/{REPORT}/report.html")
    assert "机关运行经费支出24.36万元" in page and "报告暂不能生成" not in page
    assert server.process.poll() is None  # the server lived through it
    code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


def test_two_quick_saves_are_one_rebuild(server: Server):
    server.get(f"/{REPORT}/report.html")
    path = notes(server)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("本年数: 24.36", "本年数: 25.36"), encoding="utf-8")
    time.sleep(0.03)
    path.write_text(text.replace("本年数: 24.36", "本年数: 26.36"), encoding="utf-8")
    server.wait_for(lambda: REPORT in server.events, 5)
    time.sleep(1.0)  # a second rebuild, if there were one, would have come by now
    assert server.events.count(REPORT) == 1
    assert "机关运行经费支出26.36万元" in server.get(f"/{REPORT}/report.html")[1]
    code, out, _ = server.stop()
    assert out.count("已重新生成") == 1 and code == 0


def test_warnings_are_listed_above_the_report(server: Server):
    path = server.folder / "content" / REPORT / "report.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("公开日期: 2025-09-02", "公开日期: 2025-09-30"), encoding="utf-8")
    _, page = server.get(f"/{REPORT}/report.html")
    # 2025-08-18 to 2025-09-30 is 43 days: the 20-day rule's warning, above the report and located.
    assert "1 个警告" in page and "批复后第 43 天才公开" in page and "report.yaml:" in page
    assert page.index("批复后第 43 天才公开") < page.index('<main id="main">')  # above the report
    server.stop()


def test_a_theme_change_reloads_every_open_page(tmp_path: Path):
    shutil.copytree(CONTENT, tmp_path / "content")
    # The project's own stylesheet, overriding the package's (resources.py): a theme file the preview watches.
    css = tmp_path / "themes" / "default" / "style.css"
    css.parent.mkdir(parents=True)
    package_css = ROOT / "disclosure" / "themes" / "default" / "style.css"
    css.write_text(package_css.read_text(encoding="utf-8"), encoding="utf-8")
    server = Server(tmp_path)
    try:
        server.get(f"/{REPORT}/report.html")
        css.write_text(css.read_text(encoding="utf-8") + "\n/* 预览测试 */\n", encoding="utf-8")
        server.wait_for(lambda: "*" in server.events, 5)
        assert "/* 预览测试 */" in server.get(f"/{REPORT}/report.html")[1]
    finally:
        code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


def test_a_browser_reloads_the_page_by_itself(server: Server):
    with browser() as chromium:
        page = chromium.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/{REPORT}/report.html")
        assert page.locator("text=机关运行经费支出24.36万元").count() == 1
        page.evaluate("window.__mark = 'before'")  # gone once the page has reloaded
        path = notes(server)
        path.write_text(path.read_text(encoding="utf-8").replace("本年数: 24.36", "本年数: 25.36"), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('机关运行经费支出25.36万元')", timeout=5000)
        assert page.evaluate("window.__mark === undefined")
    server.stop()
