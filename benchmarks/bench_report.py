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
    print(f"报告：{args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}，{args.n} 份")
    for label, values in results.items():
        print(f"  {label:<24} 平均 {statistics.mean(values):7.2f} ms   中位 {statistics.median(values):7.2f} ms")
    composing = sum(statistics.mean(results[k]) for k in ("撰写（模板→Markdown）", "成文（Markdown→文档）", "HTML"))
    whole = sum(statistics.mean(results[k]) for k in ("读取（YAML→模型，含上年）", "计算（数字和得分）", "核对")) + composing
    print(f"  每份报告的 HTML（撰写+成文+写出）：{composing:.2f} ms（目标 < 20 ms）；连同读取、计算和核对：{whole:.2f} ms")
    docx, pandoc = statistics.mean(results["DOCX"]), statistics.mean(results["pandoc HTML→DOCX（对照）"])
    print(f"  DOCX {docx:.1f} ms，pandoc 转换同一报告 {pandoc:.1f} ms：快 {pandoc / docx:.1f} 倍（目标至少 3 倍）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
