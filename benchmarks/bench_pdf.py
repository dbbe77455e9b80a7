#!/usr/bin/env python3
"""Measure the PDF writer per report, side by side with LibreOffice converting our DOCX to PDF.

    python benchmarks/bench_pdf.py [--repeat 3] [--no-office]

For each bundled report, a fresh process (so Typst has memoized nothing of it) builds the
Document, times the DOCX writer (median of five) and then the PDF writer once; it has first
compiled another report, so the fonts are loaded as in any build after its first report. The
same DOCX is then converted by `soffice --headless --convert-to pdf`, once per file as a user
would, and once for all files in one call (LibreOffice started once). Each figure is the best of
--repeat runs. Targets: PDF ≥ 10× faster than LibreOffice (issue 12), PDF within 2× DOCX (issue 17).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORTS = ["linjiang-yibaoju/2024", "linjiang-yibaoju/2023", "linjiang-jiancezhongxin/2024", "linjiang-nongyeju/2024"]


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
    docx_times = []
    for _ in range(5):
        start = time.perf_counter()
        docx = write_docx(document, theme)
        docx_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    pdf = write_pdf(document, theme)
    first = time.perf_counter() - start
    start = time.perf_counter()
    write_pdf(document, theme)
    again = time.perf_counter() - start
    out.write_bytes(docx)
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    print(json.dumps({"docx": statistics.median(docx_times), "pdf": first, "again": again, "fonts": fonts, "pages": count}))


def soffice(files: list[Path], into: Path, profile: Path) -> float:
    """Seconds for one `soffice --convert-to pdf` call on the files (a private profile, so no running office interferes)."""
    start = time.perf_counter()
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(into)]
        + [str(f) for f in files],
        check=True,
        capture_output=True,
        timeout=600,
    )
    seconds = time.perf_counter() - start
    for f in files:
        assert (into / f"{f.stem}.pdf").is_file(), f
    return seconds


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
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        profile = folder / "profile"
        docx_files = []
        for i, name in enumerate(REPORTS):
            warm = REPORTS[(i + 1) % len(REPORTS)]
            target = folder / f"{name.replace('/', '-')}.docx"
            runs = []
            for _ in range(args.repeat):
                done = subprocess.run(
                    [sys.executable, __file__, "--worker", name, warm, str(target)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(done.stdout))
            row = {key: min(r[key] for r in runs) for key in ("docx", "pdf", "again", "fonts")}
            row["pages"] = runs[0]["pages"]
            docx_files.append(target)
            if office:
                soffice([target], folder / "warm", profile)  # first start creates the profile: not timed
                row["office"] = min(soffice([target], folder / "lo", profile) for _ in range(args.repeat))
            rows.append((name, row))
        batch = min(soffice(docx_files, folder / "lo", profile) for _ in range(args.repeat)) if office else 0.0

    print(f"PDF writer (Typst) against the DOCX writer and LibreOffice (DOCX → PDF), best of {args.repeat}, ms")
    print(f"{'report':32} {'pages':>5} {'DOCX':>7} {'PDF':>7} {'PDF/DOCX':>9} {'again':>7} {'LibreOffice':>12} {'LO/PDF':>7}")
    for name, r in rows:
        lo = f"{r['office'] * 1000:12.0f} {r['office'] / r['pdf']:6.1f}×" if office else f"{'—':>12} {'—':>7}"
        print(
            f"{name:32} {r['pages']:5d} {r['docx'] * 1000:7.1f} {r['pdf'] * 1000:7.1f} {r['pdf'] / r['docx']:8.1f}× "
            f"{r['again'] * 1000:7.1f} {lo}"
        )
    pdf_total = sum(r["pdf"] for _, r in rows)
    docx_total = sum(r["docx"] for _, r in rows)
    print(f"{'all four':32} {'':5} {docx_total * 1000:7.1f} {pdf_total * 1000:7.1f} {pdf_total / docx_total:8.1f}×")
    print(f"font scan at start-up (once per process): {min(r['fonts'] for _, r in rows) * 1000:.0f} ms")
    print("again: the same report a second time in the same process (Typst reuses its memoized layout)")
    if office:
        single = sum(r["office"] for _, r in rows)
        print(f"LibreOffice, one call per file: {single * 1000:.0f} ms for all four = {single / pdf_total:.1f}× the PDF writer")
        print(f"LibreOffice, one call for all four files: {batch * 1000:.0f} ms = {batch / pdf_total:.1f}× the PDF writer")
        print(f"target ≥ 10× faster than LibreOffice: {'met' if min(single, batch) / pdf_total >= 10 else 'NOT met'}")
    print(
        f"issue 17 target, PDF within 2× DOCX: {'met' if pdf_total / docx_total <= 2 else 'NOT met'} ({pdf_total / docx_total:.1f}×)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
