#!/usr/bin/env python3
"""Measure one report's build, stage by stage, against its floor and pandoc, and the start-up.

    python benchmarks/bench_report.py [-n 50] [--report content/linjiang-yibaoju/2024] [--no-startup]

Copies the report N times into a temporary content folder (with its prior-year folder, so the
prior-year figures are read as in a real build), then times each stage over all copies. Then the
ratios of issue 17, each measured side by side in this run:

- the floor of a report: parsing its YAML files (and the prior year's) with libyaml's C loader,
  plus writing its HTML, DOCX and Markdown bytes to disk; a whole report (read → the three files
  written) in a running process should cost at most 3× that;
- the DOCX writer against pandoc converting our HTML to DOCX (target: at least 25× faster), and as
  whole commands, `build.py --format docx` of one report against `pandoc report.html -o x.docx`;
- start-up: `build.py --help` at most 2× and `build.py check <report>` at most 4× `python -c
  "import yaml"`, also with no bytecode cache to read or write (PYTHONPYCACHEPREFIX to an empty
  folder, PYTHONDONTWRITEBYTECODE): start-up must not depend on a writable cache.

The machine's load is printed first: on a busy machine the ratios, not the times, are what to read.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from disclosure.check import check  # noqa: E402
from disclosure.compose import compose  # noqa: E402
from disclosure.compute import derive  # noqa: E402
from disclosure.document import document as build_document  # noqa: E402
from disclosure.pipeline import Toolkit, build_report  # noqa: E402
from disclosure.read import read  # noqa: E402
from disclosure.writers.docx import write_docx  # noqa: E402
from disclosure.writers.html import write_html  # noqa: E402
from disclosure.writers.markdown import write_markdown  # noqa: E402
from disclosure.writers.opendata import write_csv, write_json  # noqa: E402
from disclosure.writers.xlsx import write_xlsx  # noqa: E402


def pandoc_docx(page: bytes, folder: Path) -> bytes:
    """Convert a page to DOCX with pandoc, as a publisher might without this toolkit."""
    import pypandoc

    target = folder / "pandoc.docx"
    pypandoc.convert_text(page.decode("utf-8"), "docx", format="html", outputfile=str(target), extra_args=["--quiet"])
    return target.read_bytes()


def copies(report: Path, n: int, into: Path) -> list[Path]:
    """Make n department folders, each with the report's year and its prior year when present."""
    folders = []
    for i in range(n):
        department = into / f"dept{i:04d}"
        for year in (report, report.parent / str(int(report.name) - 1)):
            if year.is_dir():
                shutil.copytree(year, department / year.name)
        folders.append(department / report.name)
    return folders


def floor(folder: Path, files: dict[str, bytes], into: Path) -> float:
    """Parse the report's YAML (and the prior year's) with the C loader and write its output bytes: ms."""
    start = time.perf_counter()
    for year in (folder, folder.parent / str(int(folder.name) - 1)):
        for path in sorted(year.rglob("*.yaml")):
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    for name, data in files.items():
        (into / name).write_bytes(data)
    return (time.perf_counter() - start) * 1000


def whole_report(folder: Path, toolkit: Toolkit, into: Path) -> float:
    """A report from its folder to its three files on disk, in a running process: ms."""
    start = time.perf_counter()
    built = build_report(folder, toolkit, ("html", "docx", "md"))
    for name, data in built.files.items():
        (into / name).write_bytes(data)
    return (time.perf_counter() - start) * 1000


def command(args: list[str], env: dict[str, str] | None = None, repeat: int = 5) -> float:
    """The best wall time (s) of a command."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def warm_cache(tmp: Path) -> dict[str, str]:
    """The environment of a command with a bytecode cache: one that its first run writes (in a folder
    of its own, whatever PYTHONDONTWRITEBYTECODE this shell sets, as a user's Python writes one by
    default), so that the best of the runs reads it."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": str(tmp / "cache")}


def startup(report: Path, tmp: Path) -> None:
    python = sys.executable
    cold = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp / "no-cache"), "PYTHONDONTWRITEBYTECODE": "1"}
    for label, env in (("有字节码缓存", warm_cache(tmp)), ("没有可用的字节码缓存", cold)):
        base = command([python, "-c", "import yaml"], env)
        helping = command([python, "build.py", "--help"], env)
        checking = command([python, "build.py", "check", str(report)], env)
        print(
            f"  启动（{label}）：import yaml {base * 1000:.0f} ms；build.py --help {helping * 1000:.0f} ms = "
            f"{helping / base:.1f} 倍（目标 ≤ 2）；build.py check 一份 {checking * 1000:.0f} ms = {checking / base:.1f} 倍（目标 ≤ 4）"
        )


def measure(results: dict[str, list[float]], label: str, work):
    start = time.perf_counter()
    value = work()
    results.setdefault(label, []).append((time.perf_counter() - start) * 1000)
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=50, help="number of copies (default 50)")
    parser.add_argument("--report", type=Path, default=ROOT / "content" / "linjiang-yibaoju" / "2024")
    parser.add_argument("--no-startup", action="store_true", help="leave out the start-up and whole-command measurements")
    args = parser.parse_args()
    print(f"机器负载（1、5、15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}，{os.cpu_count()} 核")
    toolkit = Toolkit()
    theme = toolkit.project.theme("default")
    assert theme is not None
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = copies(args.report, args.n, Path(tmp))
        # Warm-up: imports, template compilation, code lists; not part of the per-report cost.
        build_report(folders[0], toolkit)
        # One report at a time through every stage, as a build does (nothing kept between reports).
        for i, folder in enumerate(folders):
            report = measure(results, "读取（YAML→模型，含上年）", lambda: read(folder))  # noqa: B023
            derived = measure(results, "计算（数字和得分）", lambda: derive(report))  # noqa: B023
            glossary = toolkit.composer.glossary(report.manifest)
            measure(results, "核对", lambda: check(derived, glossary))  # noqa: B023
            composed = measure(results, "撰写（模板→Markdown）", lambda: compose(derived, toolkit.composer))  # noqa: B023
            document = measure(results, "成文（Markdown→文档）", lambda: build_document(composed))  # noqa: B023
            page = measure(results, "HTML", lambda: write_html(document, theme))  # noqa: B023
            measure(results, "DOCX", lambda: write_docx(document, theme))  # noqa: B023
            measure(results, "Markdown", lambda: write_markdown(document))  # noqa: B023
            measure(results, "XLSX", lambda: write_xlsx(document, theme))  # noqa: B023
            measure(results, "CSV（九张表）", lambda: write_csv(document, theme))  # noqa: B023
            measure(results, "JSON", lambda: write_json(document, theme))  # noqa: B023
            if i < 5:  # the same report's HTML converted to DOCX by pandoc, for comparison
                measure(results, "pandoc HTML→DOCX（对照）", lambda: pandoc_docx(page, Path(tmp)))  # noqa: B023
        # The floor and the whole report, alternating so that both see the same machine.
        written = Path(tmp) / "written"
        written.mkdir()
        for folder in folders:
            results.setdefault("整份报告（读取→三种文件写入磁盘）", []).append(whole_report(folder, toolkit, written))
            files = {p.name: p.read_bytes() for p in written.iterdir()}
            results.setdefault("下限（C 加载器解析 YAML + 写出字节）", []).append(floor(folder, files, written))
        page_file = Path(tmp) / "report.html"
        page_file.write_bytes(page)
        print(f"报告：{args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}，{args.n} 份")
        for label, values in results.items():
            print(f"  {label:<24} 平均 {statistics.mean(values):7.2f} ms   中位 {statistics.median(values):7.2f} ms")
        composing = sum(statistics.mean(results[k]) for k in ("撰写（模板→Markdown）", "成文（Markdown→文档）", "HTML"))
        whole = sum(statistics.mean(results[k]) for k in ("读取（YAML→模型，含上年）", "计算（数字和得分）", "核对")) + composing
        print(f"  每份报告的 HTML（撰写+成文+写出）：{composing:.2f} ms（目标 < 20 ms）；连同读取、计算和核对：{whole:.2f} ms")
        docx, pandoc = statistics.median(results["DOCX"]), statistics.median(results["pandoc HTML→DOCX（对照）"])
        print(f"  DOCX {docx:.1f} ms，pandoc 转换同一报告 {pandoc:.1f} ms：快 {pandoc / docx:.1f} 倍（目标至少 25 倍）")
        whole = statistics.median(results["整份报告（读取→三种文件写入磁盘）"])
        least = statistics.median(results["下限（C 加载器解析 YAML + 写出字节）"])
        print(f"  整份报告 {whole:.1f} ms，下限 {least:.1f} ms：{whole / least:.1f} 倍（目标 ≤ 3 倍）")
        if not args.no_startup:
            import pypandoc

            ours = command(
                [sys.executable, "build.py", "--format", "docx", "--force", "--out", str(Path(tmp) / "cmd"), str(folders[0])],
                warm_cache(Path(tmp)),
            )
            theirs = command([pypandoc.get_pandoc_path(), str(page_file), "-f", "html", "-o", str(Path(tmp) / "p.docx")])
            print(
                f"  一条命令生成一份 DOCX：build.py {ours * 1000:.0f} ms，pandoc {theirs * 1000:.0f} ms："
                f"{'快' if ours < theirs else '慢'} {max(ours, theirs) / min(ours, theirs):.2f} 倍（目标：比 pandoc 快）"
            )
            startup(folders[0], Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
