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


def measure(results: dict[str, list[float]], label: str, work):
    start = time.perf_counter()
    value = work()
    results.setdefault(label, []).append((time.perf_counter() - start) * 1000)
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=50, help="number of copies (default 50)")
    parser.add_argument("--report", type=Path, default=ROOT / "content" / "linjiang-yibaoju" / "2024")
    args = parser.parse_args()
    composer = Composer()
    theme = theme_folder("default")
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = copies(args.report, args.n, Path(tmp))
        # Warm-up: imports, template compilation, code lists; not part of the per-report cost.
        write_docx(assemble(read_report(folders[0]), composer).document, theme)
        # One report at a time through every stage, as a build does (nothing kept between reports).
        for i, folder in enumerate(folders):
            report = measure(results, "读取（YAML→模型，含上年）", lambda: read_report(folder))  # noqa: B023
            measure(results, "核对", lambda: check_report(report))  # noqa: B023
            document = measure(results, "撰写（模板→Markdown→文档）", lambda: assemble(report, composer).document)  # noqa: B023
            page = measure(results, "HTML", lambda: write_html(document, theme))  # noqa: B023
            measure(results, "DOCX", lambda: write_docx(document, theme))  # noqa: B023
            measure(results, "Markdown", lambda: write_markdown(document))  # noqa: B023
            if i < 5:  # the same report's HTML converted to DOCX by pandoc, for comparison
                measure(results, "pandoc HTML→DOCX（对照）", lambda: pandoc_docx(page, Path(tmp)))  # noqa: B023
    print(f"报告：{args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}，{args.n} 份")
    for label, values in results.items():
        print(f"  {label:<24} 平均 {statistics.mean(values):7.2f} ms   中位 {statistics.median(values):7.2f} ms")
    compose, html = statistics.mean(results["撰写（模板→Markdown→文档）"]), statistics.mean(results["HTML"])
    whole = sum(statistics.mean(results[k]) for k in ("读取（YAML→模型，含上年）", "核对")) + compose + html
    print(f"  每份报告的 HTML（撰写+写出）：{compose + html:.2f} ms（目标 < 20 ms）；连同读取和核对：{whole:.2f} ms")
    docx, pandoc = statistics.mean(results["DOCX"]), statistics.mean(results["pandoc HTML→DOCX（对照）"])
    print(f"  DOCX {docx:.1f} ms，pandoc 转换同一报告 {pandoc:.1f} ms：快 {pandoc / docx:.1f} 倍（目标至少 3 倍）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
