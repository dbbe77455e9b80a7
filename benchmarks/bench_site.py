#!/usr/bin/env python3
"""Benchmark a publisher's site build: department-years generated from the examples.

    python benchmarks/bench_site.py [--reports 10000] [--formats html,docx,md] [--speedup-sample 200]

Prints the machine's load, then: the full build (2 workers), a no-op rebuild (as a share of the
full build and per report, start-up left out), a rebuild after one figure changes (each through
`python build.py`, start-up included), the peak memory of the build's main process, `check` of
the whole content folder (2 workers), ms per report per format (one process, after start-up), and
the speed-up of 2 workers over 1 on a sample. Targets of issue 17 on a 2-core machine, at 10,000
reports: full build ≤ 200 s; no-op ≤ 1 % of it and ≤ 100 µs per report; one changed figure ≤ 1 s;
2 workers ≥ 1.8× one; the main process under 150 MB; check of 5,000 reports ≤ 40 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure.read import find_reports, read  # noqa: E402

# The examples the synthetic site is made of: (department folder, years).
KINDS = (("linjiang-yibaoju", ("2023", "2024")), ("linjiang-jiancezhongxin", ("2024",)), ("linjiang-nongyeju", ("2024",)))


def generate(target: Path, count: int) -> list[Path]:
    """Copy the examples into `count` department-years with their own names and varied sizes.

    Sizes vary by the number of self-evaluation tables: each copy keeps its examples'
    evaluations, and a standalone 绩效自评 document repeats some of them (as further projects), 0 to
    4 extra tables (in a 决算 report the projects' spending may not exceed its project spending).
    """
    made = 0
    index = 0
    while made < count:
        slug, years = KINDS[index % len(KINDS)]
        department = target / f"dept{index:04d}-{slug.split('-')[1]}"
        extra = index % 5 if slug == "linjiang-nongyeju" else 0
        for year in years[: count - made]:
            source = ROOT / "content" / slug / year
            folder = department / year
            shutil.copytree(source, folder)
            manifest = folder / "report.yaml"
            text = manifest.read_text(encoding="utf-8")
            manifest.write_text(re.sub(r"部门名称: 青川市临江区", f"部门名称: 青川市第{index + 1}区", text), encoding="utf-8")
            projects = sorted(p for p in (folder / "evaluations").glob("0[1-8]-*.yaml"))
            for n in range(extra):
                original = projects[n % len(projects)]
                copy = folder / "evaluations" / f"0{min(8, len(projects) + n + 1)}-extra{n}.yaml"
                body = original.read_text(encoding="utf-8")
                copy.write_text(re.sub(r"^名称: (.+)$", rf"名称: \1（第{n + 2}期）", body, count=1, flags=re.M), encoding="utf-8")
            made += 1
        index += 1
    return find_reports(target)


PEAK: list[int] = []  # the peak resident memory (KiB) of each command's main process, sampled


def _rss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmHWM:\s+(\d+) kB", text)  # the process's own high-water mark, workers not counted
    return int(found.group(1)) if found else 0


def run(args: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:  # files: a full pipe would stall it
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, stdout=out, stderr=err, text=True)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _rss(process.pid))
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    PEAK.append(peak)
    if process.returncode not in ok:
        sys.exit(f"build failed:\n{stdout[-3000:]}\n{stderr[-3000:]}")
    return elapsed, stdout.strip().splitlines()[-1]


def per_format(folders: list[Path], formats: list[str], sample: int) -> dict[str, float]:
    """ms per report for each stage and each format, in one process after warm-up."""
    from disclosure.check import check
    from disclosure.compose import compose
    from disclosure.compute import derive
    from disclosure.document import document as build_document
    from disclosure.pipeline import Toolkit, render
    from disclosure.writers.html import write_html
    from disclosure.writers.markdown import write_markdown

    toolkit = Toolkit()
    theme = toolkit.project.theme("default")
    writers = {"html": lambda d: write_html(d, theme), "md": write_markdown}
    if "docx" in formats:
        from disclosure.writers.docx import write_docx

        writers["docx"] = lambda d: write_docx(d, theme)
    first = render(read(folders[0]), toolkit).document  # warm-up: imports, templates, code lists
    for fmt in formats:
        writers[fmt](first)
    times: dict[str, list[float]] = {}

    def timed(label: str, work):
        start = time.perf_counter()
        value = work()
        times.setdefault(label, []).append(time.perf_counter() - start)
        return value

    for folder in folders[:sample]:
        report = timed("读取", lambda: read(folder))  # noqa: B023
        derived = timed("计算", lambda: derive(report))  # noqa: B023
        timed("核对", lambda: check(derived, toolkit.composer.glossary(report.manifest)))  # noqa: B023
        document = timed("撰写成文", lambda: build_document(compose(derived, toolkit.composer)))  # noqa: B023
        for fmt in formats:
            timed(fmt, lambda: writers[fmt](document))  # noqa: B023
    return {k: statistics.mean(v) * 1000 for k, v in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=1000, help="department-years to generate (issue 17 measures 10000)")
    parser.add_argument("--formats", default="html,docx,md")
    parser.add_argument("--speedup-sample", type=int, default=200, help="reports used to compare 1 and 2 workers")
    parser.add_argument("--keep", type=Path, help="keep the generated site in this folder")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-site-"))
    content = work / "content"
    shutil.rmtree(work, ignore_errors=True)
    folders = generate(content, args.reports)
    fmt = ["--format", ",".join(formats)]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"机器负载（1、5、15 分钟）：{load}；合成网站：{len(folders)} 份报告（{len({f.parent for f in folders})} 个部门），"
        f"格式 {','.join(formats)}，{os.cpu_count()} 核"
    )
    n = len(folders)
    scale = n / 10_000
    start_up, _ = run(["--help"], work)  # the command's own start-up, left out of the per-report no-op cost
    full, summary = run(["content", "--out", "out", "--jobs", "2", *fmt], work)
    print(
        f"完整生成（2 进程）：{full:6.1f} s   {full / n * 1000:6.1f} ms/份   [{summary}]  "
        f"目标 ≤ {200 * scale:.0f} s（10000 份 ≤ 200 s）；主进程内存峰值 {PEAK[-1] / 1024:.0f} MB（目标 < 150 MB）"
    )
    noop, summary = run(["content", "--out", "out", "--jobs", "2", *fmt], work)
    per = max(noop - start_up, 0) / n * 1e6
    print(
        f"无变化重建：        {noop:6.2f} s = 完整生成的 {noop / full * 100:.2f}%（目标 ≤ 1%），"
        f"不计启动每份 {per:.0f} µs（目标 ≤ 100 µs）  [{summary}]"
    )
    changed = next(f for f in folders if (f / "notes.yaml").is_file() and "jiancezhongxin" in str(f))
    notes = changed / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    # One figure corrected, consistently: 1.00 of procurement moved from services to goods.
    goods = re.search(r"货物: ([\d.]+)", text)
    services = re.search(r"服务: ([\d.]+)", text)
    assert goods and services
    from decimal import Decimal

    text = text.replace(f"货物: {goods.group(1)}", f"货物: {Decimal(goods.group(1)) + 1:.2f}", 1)
    text = text.replace(f"服务: {services.group(1)}", f"服务: {Decimal(services.group(1)) - 1:.2f}", 1)
    notes.write_text(text, encoding="utf-8")
    one, summary = run(["content", "--out", "out", "--jobs", "2", *fmt], work)
    print(f"改一个数后重建：    {one:6.2f} s   [{summary}]  目标 ≤ 1 s")
    checking, summary = run(["check", "content", "--jobs", "2", "--quiet"], work, ok=(0, 1))
    print(
        f"核对全部（2 进程）：{checking:6.1f} s   {checking / n * 1000:6.1f} ms/份   [{summary}]  "
        f"目标 ≤ {40 * n / 5000:.0f} s（5000 份 ≤ 40 s）"
    )

    print("每份报告每种格式（单进程，不含启动）：")
    for label, ms in per_format(folders, formats, 40).items():
        print(f"  {label:<8} {ms:7.1f} ms")

    sample = work / "sample"
    for folder in folders[: args.speedup_sample]:
        shutil.copytree(folder, sample / folder.parent.name / folder.name)
    one_worker, _ = run(["sample", "--out", "out1", "--jobs", "1", *fmt], work)
    two_workers, _ = run(["sample", "--out", "out2", "--jobs", "2", *fmt], work)
    print(
        f"{args.speedup_sample} 份报告：1 进程 {one_worker:.1f} s，2 进程 {two_workers:.1f} s，"
        f"加速 {one_worker / two_workers:.2f} 倍"
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
