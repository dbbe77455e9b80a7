"""Benchmark the authoring loop: save → reloaded page in `serve` on a 1,000-report content folder; `new`; `diff --notice`.

Makes the content folder in a temporary directory (as bench_site.py does), starts `build.py serve`
on it, opens one report and its event stream, then saves a changed figure several times and
measures, for each save, the time until the reload event has arrived and the new page has been
fetched (what a browser does on the event). Then times `build.py new` and `build.py diff --notice`
as a user runs them (one process each, start-up included).

    python3 benchmarks/bench_authoring.py [--reports 1000] [--saves 5]
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_site import generate  # noqa: E402


def fetch(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    return connection.getresponse().read().decode("utf-8")


def save_to_reload(content: Path, saves: int) -> tuple[list[float], float]:
    """Seconds from each save to the reloaded page, and the first page's build time."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", str(content)], stdout=subprocess.PIPE, text=True, cwd=content.parent
    )
    try:
        assert process.stdout is not None
        port = int(re.search(r":(\d+)/", process.stdout.readline()).group(1))  # type: ignore[union-attr]
        folder = sorted(content.glob("*-yibaoju/2024"))[0]
        key = f"{folder.parent.name}/{folder.name}"
        start = time.perf_counter()
        fetch(port, f"/{key}/report.html")
        first = time.perf_counter() - start
        events: list[tuple[float, str]] = []

        def listen() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/_events")
            for raw in connection.getresponse():
                line = raw.decode("utf-8").strip()
                if line.startswith("data: "):
                    events.append((time.perf_counter(), line[6:]))

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)
        notes = folder / "notes.yaml"
        original = notes.read_text(encoding="utf-8")
        times = []
        for n in range(saves):
            figure = f"{25 + n}.36"
            saved = time.perf_counter()
            notes.write_text(original.replace("本年数: 24.36", f"本年数: {figure}"), encoding="utf-8")
            while not any(t > saved and k == key for t, k in events):
                time.sleep(0.005)
            page = fetch(port, f"/{key}/report.html")
            times.append(time.perf_counter() - saved)
            assert f"机关运行经费支出{figure}万元" in page
            time.sleep(0.5)
        return times, first
    finally:
        process.terminate()
        process.wait(timeout=10)


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{args} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        content = work / "content"
        start = time.perf_counter()
        reports = generate(content, args.reports)
        print(f"{len(reports)} report folders made in {time.perf_counter() - start:.1f} s")

        times, first = save_to_reload(content, args.saves)
        print(f"serve: first page of one report {first * 1000:.0f} ms (built on demand)")
        shown = ", ".join(f"{t * 1000:.0f}" for t in times)
        print(f"serve: save → reload event → new page fetched: median {statistics.median(times) * 1000:.0f} ms ({shown} ms)")

        source = sorted(content.glob("*-yibaoju/2024"))[0]
        target = source.parent / "2025"
        print(
            f"new {target.parent.name}/2025: {timed(['new', str(target)], work) * 1000:.0f} ms (one process, start-up included)"
        )

        # diff --notice: publish one report (HTML, DOCX, Markdown), correct one figure, write the notice.
        out = work / "out"
        timed(["build", str(source), "--out", str(out), "--format", "html,docx,md"], work)
        notes = source / "notes.yaml"
        notes.write_text(notes.read_text(encoding="utf-8").replace("本年数: 24.36", "本年数: 25.36"), encoding="utf-8")
        elapsed = timed(
            ["diff", "--notice", str(source), "--out", str(out), "--date", "2025-10-15", "--reason", "少计1万元"], work
        )
        print(
            f"diff --notice (compare, notice in 3 formats, superseded files kept, corrected report rebuilt): {elapsed * 1000:.0f} ms"
        )
        elapsed = timed(["diff", "--notice", str(source), "--out", str(out)], work)
        print(f"diff --notice on an unchanged report (no notice): {elapsed * 1000:.0f} ms")
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
