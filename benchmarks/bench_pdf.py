#!/usr/bin/env python3
"""Measure the PDF writer per report, side by side with LibreOffice converting our DOCX to PDF.

    python benchmarks/bench_pdf.py [--repeat 3] [--no-office]

For each bundled report, a fresh process (so Typst has memoized nothing of it) builds the
Document, times the DOCX writer (median of five) and then the PDF writer once; it has first
compiled another report, so the fonts are loaded as in any build after its first report. The
same DOCX is then converted by `soffice --headless --convert-to pdf`, once per file as a user
would, and once for all files in one call (LibreOffice started once). Each figure is the best of
--repeat runs, as wall time and as CPU time (the CPU time of soffice and its children): on a
machine shared with other work the CPU times are the steadier comparison.
Targets: PDF ≥ 10× faster than LibreOffice (issue 12), PDF within 2× DOCX (issue 17).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORTS = ["linjiang-yibaoju/2024", "linjiang-yibaoju/2023", "linjiang-jiancezhongxin/2024", "linjiang-nongyeju/2024"]


def timed(work: Callable[[], bytes]) -> tuple[bytes, float, float]:
    """The result of work, and its wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def worker(name: str, warm: str, out: Path) -> None:
    """In a fresh process: build one report's Document, time its DOCX and PDF writers, print JSON."""
    from disclosure.pipeline import Toolkit, build_report
    from disclosure.writers.docx import write_docx
    from disclosure.writers.pdf import _engine, write_pdf

    toolkit = Toolkit()
    start = time.perf_counter()
    _engine()
    fonts = time.perf_counter() - start
    warmed = build_report(ROOT / "content" / warm, toolkit, ("pdf",))  # fonts loaded, shaping warmed: not this report
    assert warmed.files
    built = build_report(ROOT / "content" / name, toolkit, ())
    document = built.document
    assert document is not None
    theme = toolkit.theme(built.report.manifest)
    docx_runs = [timed(lambda: write_docx(document, theme)) for _ in range(5)]
    pdf, pdf_wall, pdf_cpu = timed(lambda: write_pdf(document, theme))
    _, again, _ = timed(lambda: write_pdf(document, theme))
    out.write_bytes(docx_runs[0][0])
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    figures = {
        "docx": statistics.median(r[1] for r in docx_runs),
        "docx_cpu": statistics.median(r[2] for r in docx_runs),
        "pdf": pdf_wall,
        "pdf_cpu": pdf_cpu,
        "again": again,
        "fonts": fonts,
        "pages": pages,
    }
    print(json.dumps(figures))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def soffice(files: list[Path], into: Path, profile: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `soffice --convert-to pdf` call on the files, with a private profile."""
    wall, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(into)]
        + [str(f) for f in files],
        check=True,
        capture_output=True,
        timeout=600,
    )
    seconds = time.perf_counter() - wall, _children_cpu() - cpu
    for f in files:
        assert (into / f"{f.stem}.pdf").is_file(), f
    return seconds


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(r[0] for r in runs), min(r[1] for r in runs)


def ms(pair: tuple[float, float]) -> str:
    return f"{pair[0] * 1000:6.0f}/{pair[1] * 1000:<6.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is shown (default 3)")
    parser.add_argument("--no-office", action="store_true", help="leave out LibreOffice")
    parser.add_argument("--worker", nargs=3, metavar=("REPORT", "WARM", "DOCX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], Path(args.worker[2]))
        return 0
    office = not args.no_office and shutil.which("soffice") is not None
    rows: list[tuple[str, dict]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        profile = folder / "profile"
        docx_files = []
        for i, name in enumerate(REPORTS):
            target = folder / f"{name.replace('/', '-')}.docx"
            command = [sys.executable, __file__, "--worker", name, REPORTS[(i + 1) % len(REPORTS)], str(target)]
            runs = [
                json.loads(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout)
                for _ in range(args.repeat)
            ]
            row: dict = {key: min(r[key] for r in runs) for key in runs[0]}
            row["docx"], row["pdf"] = (row.pop("docx"), row.pop("docx_cpu")), (row.pop("pdf"), row.pop("pdf_cpu"))
            docx_files.append(target)
            if office:
                soffice([target], folder / "warm", profile)  # the first start creates the profile: not timed
                row["office"] = best([soffice([target], folder / "lo", profile) for _ in range(args.repeat)])
            rows.append((name, row))
        batch = best([soffice(docx_files, folder / "lo", profile) for _ in range(args.repeat)]) if office else (0.0, 0.0)

    def total(key: str) -> tuple[float, float]:
        return sum(r[key][0] for _, r in rows), sum(r[key][1] for _, r in rows)

    print(f"PDF writer (Typst) against the DOCX writer and LibreOffice (DOCX → PDF); ms, wall/CPU, best of {args.repeat}")
    print(f"{'report':30} {'pages':>5} {'DOCX':>13} {'PDF':>13} {'PDF/DOCX':>8} {'again':>6} {'LibreOffice':>13} {'LO/PDF':>7}")
    for name, r in rows:
        lo = f"{ms(r['office'])} {r['office'][0] / r['pdf'][0]:6.1f}×" if office else ""
        ratio = r["pdf"][0] / r["docx"][0]
        print(f"{name:30} {r['pages']:5d} {ms(r['docx'])} {ms(r['pdf'])} {ratio:7.1f}× {r['again'] * 1000:6.0f} {lo}")
    docx, pdf = total("docx"), total("pdf")
    print(f"{'all four':30} {'':5} {ms(docx)} {ms(pdf)} {pdf[0] / docx[0]:7.1f}×")
    print(f"font scan at start-up (once per process): {min(r['fonts'] for _, r in rows) * 1000:.0f} ms")
    print("again: the same report a second time in the same process (Typst reuses its memoized layout)")
    print(f"PDF against DOCX (issue 17 wants ≤ 2×): {pdf[0] / docx[0]:.1f}× wall, {pdf[1] / docx[1]:.1f}× CPU")
    if office:
        single = total("office")
        print(
            f"LibreOffice, one call per file: {ms(single)} = {single[0] / pdf[0]:.1f}× wall, {single[1] / pdf[1]:.1f}× CPU the PDF writer"
        )
        print(
            f"LibreOffice, one call for all four: {ms(batch)} = {batch[0] / pdf[0]:.1f}× wall, {batch[1] / pdf[1]:.1f}× CPU the PDF writer"
        )
        print(
            f"target ≥ 10× faster than LibreOffice (one call per file, wall): {'met' if single[0] / pdf[0] >= 10 else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
