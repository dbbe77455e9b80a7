"""The real errors of the seed documents, planted as data in tests/seeds/, are reported where they are.

tests/seeds/expected.yaml lists every planted error with the file, line, severity, rule and a fragment of
the message the checker must give. A planted error that is not found, found at another line, or an
ERROR that nobody planted, fails the test with the full list of differences.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from disclosure.compute import derive
from disclosure.errors import Finding, ReportError, Severity
from disclosure.pipeline import check_report as load_and_check
from disclosure.read.folder import find_reports, read_report

from conftest import CONTENT, ROOT

SEEDS = ROOT / "tests" / "seeds"
FOLDERS = {"004": "tests/seeds/004/2024", "001": "tests/seeds/001/2021"}
EXPECTED = yaml.safe_load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))


def _key(entry: dict) -> str:
    return f"{entry['id']}@{Path(entry['file']).name}:{entry['line']}:{entry['rule']}"


def _matches(finding: Finding, entry: dict) -> bool:
    loc = finding.location
    return (
        loc.file == entry["file"]
        and loc.line == entry["line"]
        and finding.severity is Severity[entry["severity"]]
        and finding.rule == entry["rule"]
        and entry["fragment"] in finding.message
    )


def _show(findings: Iterable[Finding]) -> str:
    return "\n".join(f"  [{f.rule}] {f.render(with_source=False)}" for f in findings) or "  （无）"


def _seed_of(entry: dict) -> str:
    return next(seed for seed, folder in FOLDERS.items() if entry["file"].startswith(folder + "/"))


@pytest.fixture(scope="module")
def checked() -> dict[str, tuple[Finding, ...]]:
    return {seed: load_and_check(Path(folder)).findings for seed, folder in FOLDERS.items()}


def test_expected_list_covers_every_catalogued_error():
    ids = {entry["id"] for entry in EXPECTED}
    assert ids == {"E1", "E2", "E4", "E5", "E10", "E11", "E12", "E17", "F1", "F2", "F3", "F4", "F5"}
    assert all(set(entry) == {"id", "file", "line", "severity", "rule", "fragment"} for entry in EXPECTED)


@pytest.mark.parametrize("entry", EXPECTED, ids=_key)
def test_planted_line_is_annotated(entry: dict):
    """The reported line, or the comment block right above it, says which seed error is planted there."""
    lines = (ROOT / entry["file"]).read_text(encoding="utf-8").splitlines()
    index = entry["line"] - 1
    block = [lines[index]]
    while index > 0 and lines[index - 1].lstrip().startswith("#"):
        index -= 1
        block.append(lines[index])
    marker = re.compile(rf"# 种子{_seed_of(entry)} {entry['id']}(?!\d)")
    assert any(marker.search(text) for text in block), (
        f"{entry['file']}:{entry['line']} 缺少注释“# 种子{_seed_of(entry)} {entry['id']}…”"
    )


@pytest.mark.parametrize("entry", EXPECTED, ids=_key)
def test_planted_error_is_reported_at_its_line(entry: dict, checked):
    findings = checked[_seed_of(entry)]
    assert any(_matches(f, entry) for f in findings), (
        f"{entry['id']} 未在 {entry['file']}:{entry['line']} 以 {entry['severity']} [{entry['rule']}] 报告"
        f"“{entry['fragment']}”。实际报告的问题：\n{_show(findings)}"
    )


@pytest.mark.parametrize("seed", sorted(FOLDERS))
def test_no_unexpected_error(seed: str, checked):
    entries = [e for e in EXPECTED if _seed_of(e) == seed]
    unexpected = [f for f in checked[seed] if not any(_matches(f, e) for e in entries)]
    errors = [f for f in unexpected if f.severity is Severity.ERROR]
    assert not errors, f"{FOLDERS[seed]} 报告了未预期的问题：\n{_show(unexpected)}"


def test_zero_budget_is_not_comparable():
    """E2: with 年初预算 0 the completion rate is 不可比 (no ratio), never 100%."""
    figures = derive(read_report(Path(FOLDERS["004"]))).figures
    item = next(i for i in figures.general_items if i.code == "2101502")
    assert item.budget == 0 and item.actual > 0
    assert item.completion is not None and not item.completion.comparable and item.completion.ratio is None


def test_percent_score_is_a_shape_error(tmp_path: Path):
    """F1: the execution 得分 printed as “100%” is refused when the file is read, at its line."""
    folder = tmp_path / "2021"
    shutil.copytree(ROOT / FOLDERS["001"], folder)
    path = folder / "evaluations" / "03-xinxihua-jianshe.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = lines.index("  得分: 10\n") + 1  # the execution score of the funds block
    lines[number - 1] = "  得分: 100%\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        read_report(folder)
    assert caught.value.location.file.endswith("03-xinxihua-jianshe.yaml")
    assert caught.value.location.line == number
    assert "不能填百分比“100%”" in caught.value.message


def test_cli_fails_on_seed_004():
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--no-source", FOLDERS["004"]], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 1, result.stdout + result.stderr
    summary = [line for line in result.stdout.splitlines() if line.startswith("核对")]
    assert len(summary) == 1 and summary[0].startswith("核对未通过"), result.stdout
    assert "tables.yaml:155" in result.stdout  # E5 is printed with its location


@pytest.mark.parametrize("folder", find_reports(CONTENT), ids=lambda p: str(p.relative_to(CONTENT)))
def test_clean_examples_have_no_findings(folder: Path):
    findings = load_and_check(folder.relative_to(ROOT)).findings
    assert not findings, f"{folder.relative_to(ROOT)} 应当没有任何问题，实际报告：\n{_show(findings)}"
