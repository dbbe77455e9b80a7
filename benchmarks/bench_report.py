#!/usr/bin/env python3
"""Measure one report's build, stage by stage, in ms per report (after start-up).

    python benchmarks/bench_report.py [-n 50] [--report content/linjiang-yibaoju/2024]

Copies the report N times into a temporary content folder (with its prior-year folder, so the
prior-year figures are read as in a real build), then times each stage over all copies.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure.assemble import assemble  # noqa: E402
from disclosure.compose import Composer  # noqa: E402
from disclosure.content import read_report  # noqa: E402
from disclosure.pipeline import check_report  # noqa: E402
from disclosure.writers.docx import write_docx  # noqa: E402
from disclosure.writers.html import theme_folder, write_html  # noqa: E402
from disclosure.writers.markdown import write_markdown  # noqa: E402


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


def timed(label: str, work, items, results: dict[str, list[float]]):
    out = []
    for item in items:
        start = time.perf_counter()
        out.append(work(item))
        results.setdefault(label, []).append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=50, help="number of copies (default 50)")
    parser.add_argument("--report", type=Path, default=ROOT / "content" / "linjiang-yibaoju" / "2024")
    args = parser.parse_args()
    composer = Composer()
    theme = theme_folder("default")
    with tempfile.TemporaryDirectory() as tmp:
        folders = copies(args.report, args.n, Path(tmp))
        # Warm-up: imports, template compilation, code lists; not part of the per-report cost.
        write_html(assemble(read_report(folders[0]), composer).document, theme)
        results: dict[str, list[float]] = {}
        reports = timed("读取（YAML→模型，含上年）", read_report, folders, results)
        timed("核对", check_report, reports, results)
        assembled = timed("撰写（模板→Markdown→文档）", lambda r: assemble(r, composer), reports, results)
        pages = timed("HTML", lambda a: write_html(a.document, theme), assembled, results)
        timed("DOCX", lambda a: write_docx(a.document, theme), assembled, results)
        timed("Markdown", lambda a: write_markdown(a.document), assembled, results)
        # The same report's HTML converted to DOCX by pandoc (pypandoc-binary), for comparison.
        sample = pages[: max(1, min(5, len(pages)))]
        timed("pandoc HTML→DOCX（对照）", lambda page: pandoc_docx(page, Path(tmp)), sample, results)
    print(f"报告：{args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}，{args.n} 份")
    for label, values in results.items():
        print(f"  {label:<24} 平均 {statistics.mean(values):7.2f} ms   中位 {statistics.median(values):7.2f} ms")
    html_total = sum(statistics.mean(results[k]) for k in ("读取（YAML→模型，含上年）", "核对", "撰写（模板→Markdown→文档）", "HTML"))
    print(f"  每份报告生成 HTML（读取+核对+撰写+HTML）：{html_total:.2f} ms")
    docx, pandoc = statistics.mean(results["DOCX"]), statistics.mean(results["pandoc HTML→DOCX（对照）"])
    print(f"  DOCX {docx:.1f} ms，pandoc 转换同一报告 {pandoc:.1f} ms：快 {pandoc / docx:.1f} 倍（目标至少 3 倍）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
