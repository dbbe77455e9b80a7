"""Messages as the user reads them: every shape problem of a run, each with its severity, and a summary that agrees."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure.errors import Location, ReportError, ReportErrors
from disclosure.read.folder import read_report
from disclosure.site.builder import Builder

from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal" / "2024"


def _broken(tmp_path: Path) -> Path:
    """The minimal report with one problem in tables.yaml and two in evaluations/ (two rows without 性质)."""
    folder = tmp_path / "minimal" / "2024"
    shutil.copytree(MINIMAL, folder)
    tables = folder / "tables.yaml"
    tables.write_text(tables.read_text(encoding="utf-8").replace("年初结转和结余: 0\n", "年初结转和结余: 0元\n", 1), "utf-8")
    evaluation = folder / "evaluations" / "01-jingban.yaml"
    text = evaluation.read_text(encoding="utf-8")
    text = text.replace("性质: ≥, 指标值: 1000", "指标值: 1000").replace("指标值: ≥90%, 完成值: 95%", "指标值: 90, 完成值: 95")
    evaluation.write_text(text, encoding="utf-8")
    return folder


def test_every_independent_problem_of_every_file_is_reported_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _broken(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ReportError) as caught:
        read_report(Path("minimal/2024"))
    found = [(e.location.file, e.location.line) for e in caught.value.errors]
    # tables.yaml line 5 (年初结转和结余 with a unit), the 数量指标 row (line 12) and the 满意度 row (line 20)
    assert found == [
        ("minimal/2024/tables.yaml", 5),
        ("minimal/2024/evaluations/01-jingban.yaml", 12),
        ("minimal/2024/evaluations/01-jingban.yaml", 20),
    ]
    lines = caught.value.render(with_source=False).splitlines()
    assert len(lines) == 3 and all(": 错误：" in line for line in lines)


def test_check_summary_counts_the_errors_it_printed(tmp_path: Path):
    folder = _broken(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", str(folder), "--no-source"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    printed = [line for line in result.stdout.splitlines() if ": 错误：" in line]
    assert len(printed) == 3
    assert result.stdout.splitlines()[-1] == "核对未通过：共 1 份报告，3 个错误，0 个警告，1 份报告有问题"


def test_build_outcome_lists_every_error(tmp_path: Path):
    outcome = Builder(tmp_path / "out", ("md",)).build(_broken(tmp_path))
    assert outcome.failed and outcome.errors == 3 and len(outcome.messages) == 3
    assert all("错误：" in message for message in outcome.messages)


def test_several_errors_cross_a_process_boundary():
    errors = ReportErrors([ReportError(Location("a.yaml", 1), "甲"), ReportError(Location("b.yaml", 2), "乙")])
    again = pickle.loads(pickle.dumps(errors))
    assert [(e.location, e.message) for e in again.errors] == [(Location("a.yaml", 1), "甲"), (Location("b.yaml", 2), "乙")]


# ---------------------------------------------------------------------------- where a missing value goes


def _prior_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> list:
    from disclosure.pipeline import check_report

    folder = tmp_path / "minimal" / "2024"
    shutil.copytree(MINIMAL, folder)
    notes = folder / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    assert text.count(old) == 1
    notes.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return [f for f in check_report(Path("minimal/2024")).findings if f.rule == "PRIOR"]


def test_missing_prior_value_points_inside_its_record_and_shows_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    found = _prior_findings(
        tmp_path,
        monkeypatch,
        "收支总计:\n  上年数: 90.00\n  原因: 人员经费增加。\n\n财政",
        "收支总计:\n  原因: 人员经费增加。\n\n财政",
    )
    # The record 收支总计 is at line 1: the new key goes under it, beside its 原因.
    assert [f.render(with_source=False) for f in found] == [
        "minimal/2024/notes.yaml:1: 收支总计.上年数: 错误：缺少收支总计的上年数：请在“收支总计”下加一行“上年数: 金额”，"
        "或提供上年文件夹（2023）"
    ]


def test_missing_prior_record_points_at_the_file_not_its_first_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    found = _prior_findings(tmp_path, monkeypatch, "财政拨款收支总计:\n  上年数: 90.00\n  原因: 人员经费增加。\n", "")
    assert [f.render(with_source=False) for f in found] == [
        "minimal/2024/notes.yaml: 财政拨款收支总计: 错误：缺少财政拨款收支总计的上年数：请在 notes.yaml 中加上“财政拨款收支总计:”，"
        "其下写“  上年数: 金额”，或提供上年文件夹（2023）"
    ]
