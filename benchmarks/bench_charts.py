#!/usr/bin/env python3
"""Measure what charts cost a report: matplotlib's import, each drawing, and the writers with and without charts.

    python benchmarks/bench_charts.py [--repeat 5]

In a fresh process (matplotlib not yet imported): the import of matplotlib and its font list, then
for each chart of the 云南 example (three: bars and two pies) the SVG and the PNG, each the median of
--repeat draws with the drawing cache cleared; then the HTML, DOCX and PDF writers on the report as
it is (charts on) and with 图表: 否, the median of --repeat runs each. A writer's figure with charts
includes drawing them, since each run starts with the cache cleared, except for the first
measured run of a process, which also pays the import.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FOLDER = ROOT / "content" / "nanxi-jianceso" / "2024"


def median_ms(work, repeat: int, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    from disclosure import model as m
    from disclosure.document import Chart, Island
    from disclosure.pipeline import Toolkit, render
    from disclosure.read.folder import read_report
    from disclosure.writers import chart as drawing
    from disclosure.writers.docx import write_docx
    from disclosure.writers.html import write_html
    from disclosure.writers.pdf import write_pdf

    toolkit = Toolkit()
    report = read_report(FOLDER)
    theme = toolkit.theme(report.manifest)
    with_charts = render(report, toolkit).document
    off = dataclasses.replace(report.manifest.wording or m.WORDING_DEFAULTS, charts=False)
    without = render(dataclasses.replace(report, manifest=dataclasses.replace(report.manifest, wording=off)), toolkit).document
    charts = [b.value for b in with_charts.blocks if isinstance(b, Island) and isinstance(b.value, Chart)]
    style = drawing.chart_style(theme)

    start = time.perf_counter()
    import matplotlib  # noqa: F401
    from matplotlib import font_manager

    font_manager.fontManager.ttflist  # noqa: B018  (the font list, read from matplotlib's cache)
    print(f"matplotlib import and font list: {(time.perf_counter() - start) * 1000:.0f} ms (once per process)")
    write_pdf(without, theme)  # Typst's fonts loaded, as in any build after its first PDF

    for chart in charts:
        svg = median_ms(lambda c=chart: drawing.svg(c, style), repeat, drawing._render.cache_clear)
        png = median_ms(lambda c=chart: drawing.png(c, style), repeat, drawing._render.cache_clear)
        print(f"{chart.number} {chart.kind:3}: SVG {svg:6.1f} ms   PNG {png:6.1f} ms")

    for name, writer in (("HTML", lambda d, t: write_html(d, t, links=())), ("DOCX", write_docx), ("PDF", write_pdf)):
        on = median_ms(lambda w=writer: w(with_charts, theme), repeat, drawing._render.cache_clear)
        plain = median_ms(lambda w=writer: w(without, theme), repeat)
        print(f"{name:4}: {plain:6.1f} ms without charts, {on:6.1f} ms with three charts (+{on - plain:.1f} ms)")


if __name__ == "__main__":
    main()
