"""End to end: `python build.py` on the examples, golden output, reproducible and safe writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure.read.folder import find_reports
from disclosure.site.builder import Builder
from disclosure.writers import DEFAULT_FORMATS

from conftest import CONTENT, ROOT

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
REPORTS = find_reports(CONTENT)


def build_all(out: Path) -> list:
    # The default formats, as `python build.py` writes them: report.html links report.docx.
    builder = Builder(out, DEFAULT_FORMATS)
    return [builder.build(folder) for folder in REPORTS]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    outcomes = build_all(out)
    assert [o.status for o in outcomes] == ["built"] * len(REPORTS), [o.messages for o in outcomes]
    return out


@pytest.mark.parametrize("name", ["report.md", "report.html"])
@pytest.mark.parametrize("folder", REPORTS, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_output_matches_golden(built: Path, folder: Path, name: str):
    produced = (built / folder.parent.name / folder.name / name).read_bytes()
    golden = GOLDEN / folder.parent.name / folder.name / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced)
    assert golden.is_file(), f"没有黄金文件 {golden}；用 UPDATE_GOLDEN=1 生成并审阅"
    assert produced == golden.read_bytes(), f"{name} 与黄金文件不同；如属预期的改动，用 UPDATE_GOLDEN=1 更新并审阅差异"


def test_second_build_is_byte_identical_and_rewrites_nothing(built: Path, tmp_path: Path):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in built.rglob("report.*")}
    outcomes = build_all(built)
    assert {o.status for o in outcomes} == {"built"} and all(o.written == () for o in outcomes)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in built.rglob("report.*")}
    assert after == before
    fresh = tmp_path / "again"
    build_all(fresh)
    for path, (data, _) in before.items():
        assert (fresh / path.relative_to(built)).read_bytes() == data


def test_a_report_with_an_error_is_not_built_and_keeps_its_previous_output(tmp_path: Path):
    source = tmp_path / "content" / "linjiang-yibaoju"
    shutil.copytree(CONTENT / "linjiang-yibaoju", source)
    out = tmp_path / "out"
    builder = Builder(out, ("html", "md"))
    assert builder.build(source / "2024").status == "built"
    previous = {p.name: p.read_bytes() for p in (out / "linjiang-yibaoju" / "2024").iterdir()}

    tables = source / "2024" / "tables.yaml"
    tables.write_text(tables.read_text(encoding="utf-8").replace("总计: 791.35", "总计: 791.53", 1), encoding="utf-8")
    outcome = builder.build(source / "2024")
    assert outcome.status == "failed"
    assert any("总计" in message for message in outcome.messages)
    after = {p.name: p.read_bytes() for p in (out / "linjiang-yibaoju" / "2024").iterdir()}
    assert after == previous  # same files, same bytes, and no temporary file left behind


def test_cli_builds_and_reports(tmp_path: Path):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "build.py", "--out", str(out), "--format", "html"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"共 {len(REPORTS)} 份报告，新生成 {len(REPORTS)} 份" in result.stdout
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("report.*")) == sorted(
        f"{f.parent.name}/{f.name}/report.html" for f in REPORTS
    )


def test_cli_exit_code_when_a_report_fails(tmp_path: Path):
    source = tmp_path / "bad" / "2024"
    shutil.copytree(CONTENT / "linjiang-yibaoju" / "2024", source)
    (source / "report.yaml").write_text("部门名称: 测试局\n年度: 2024\n金额单位: 千元\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), str(source), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "金额单位" in result.stdout and "失败 1 份" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_format_is_a_usage_error():
    result = subprocess.run([sys.executable, "build.py", "--format", "rtf"], capture_output=True, text=True, cwd=ROOT)
    # A mistake in the command goes to stderr (stdout stays for the report's output).
    assert result.returncode == 2 and "rtf" in result.stderr and result.stdout == ""


def test_default_formats_are_html_docx_and_markdown(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "build.py", str(CONTENT / "linjiang-yibaoju" / "2024"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout
    # document.json is the Document a later correction is compared with (site/corrections.py).
    assert sorted(p.name for p in (tmp_path / "linjiang-yibaoju" / "2024").iterdir()) == [
        "document.json",
        "report.docx",
        "report.html",
        "report.md",
    ]
