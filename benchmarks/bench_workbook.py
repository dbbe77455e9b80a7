#!/usr/bin/env python3
"""Measure reading the nine tables from a workbook against reading them from tables.yaml, in ms.

    python benchmarks/bench_workbook.py [-n 30] [--report content/linjiang-yibaoju/2024]

The workbooks are drawn from the report's own tables in the toolkit's layout (as the tests draw
them), as .xlsx (openpyxl) and .xls (xlwt), plus an .xlsx whose 02表 合计 is a SUM formula without a
stored result (which brings in openpyxl to find it). Each is read N times after a warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from disclosure.read import read  # noqa: E402
from disclosure.read.format import TABLES  # noqa: E402
from disclosure.read.source import load_yaml  # noqa: E402
from disclosure.read.workbook import read_workbook  # noqa: E402

from workbooks import add_budgets, document_tables, layout, save_xls, save_xlsx  # noqa: E402


def timed(work, n: int) -> list[float]:
    work()  # warm-up: imports, code lists
    times = []
    for _ in range(n):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=30, help="repetitions (default 30)")
    parser.add_argument("--report", type=Path, default=ROOT / "content" / "linjiang-yibaoju" / "2024")
    args = parser.parse_args()
    report = read(args.report)
    unit, department = report.manifest.unit, report.manifest.department
    grids = [layout(t) for t in document_tables(args.report)]
    grids[4] = add_budgets(grids[4], report.tables)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        xlsx = save_xlsx(grids, folder / "公开表.xlsx")
        xls = save_xls(grids, folder / "公开表.xls")
        summed = [g for g in grids]
        t02 = next(i for i, g in enumerate(summed) if g.number == "公开02表")
        total = next(k for k, v in summed[t02].cells.items() if v == "合计")
        summed[t02].cells[(total[0], 3)] = f"=SUM(C{total[0] + 1}:C{total[0] + 1})+0"
        formula = save_xlsx(summed, folder / "公式.xlsx")
        yaml_path = args.report / "tables.yaml"
        results = {
            "tables.yaml（libyaml + 格式声明）": timed(lambda: TABLES.read(load_yaml(yaml_path)), args.n),
            ".xlsx（calamine）": timed(lambda: read_workbook(xlsx, xlsx.name, unit, department), args.n),
            ".xls（calamine）": timed(lambda: read_workbook(xls, xls.name, unit, department), args.n),
            ".xlsx 含未存结果的公式（+ openpyxl）": timed(lambda: read_workbook(formula, formula.name, unit, department), args.n),
        }
    base = statistics.median(results["tables.yaml（libyaml + 格式声明）"])
    print(f"报告：{args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}，每种读 {args.n} 次")
    for label, values in results.items():
        median = statistics.median(values)
        print(
            f"  {label:<30} 平均 {statistics.mean(values):7.2f} ms   中位 {median:7.2f} ms   为 YAML 的 {median / base:5.1f} 倍"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
