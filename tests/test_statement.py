"""The separate “三公”经费 (and 机关运行经费) statement: `类型: 三公经费`, report.yaml and three_costs.yaml only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure.errors import ReportError, Severity
from disclosure.pipeline import Toolkit, build_report

from conftest import CONTENT

EXAMPLE = CONTENT / "linjiang-shichangjianguanju" / "2024"
TOOLKIT = Toolkit()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "sangong" / "2024")
    monkeypatch.chdir(tmp_path)
    return Path("sangong/2024")


def edit(folder: Path, *pairs: tuple[str, str]) -> None:
    path = folder / "three_costs.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def markdown(folder: Path) -> str:
    built = build_report(folder, TOOLKIT, ("md",))
    assert not built.errors, [f.render(with_source=False) for f in built.errors]
    return built.files["report.md"].decode("utf-8")


def test_the_statement_needs_only_its_own_figures(folder: Path):
    assert sorted(p.name for p in folder.iterdir()) == ["report.yaml", "three_costs.yaml"]
    text = markdown(folder)
    # 14.82 of 18.60 budgeted: 79.68%; 16.35 last year: −1.53, −9.36%
    assert "2024年度“三公”经费财政拨款支出决算为14.82万元，完成预算的79.68%，较上年减少1.53万元，下降9.36%。" in text
    assert "全年安排因公出国（境）团组1个，累计3人次。" in text
    assert "截至2024年12月31日，本部门共有公务用车4辆。" in text
    assert "国内公务接待18批次，126人次（不包括陪同人员），共计支出2.10万元" in text
    # 86.45 against 90.12: −3.67, −4.07%
    assert "2024年度本部门机关运行经费支出86.45万元，较上年减少3.67万元，下降4.07%。" in text
    assert "公开01表" not in text and "一般公共预算财政拨款支出" not in text  # nothing of a 决算 it does not have
    assert text.count("（公开07表）") == 1


def test_running_costs_left_out_is_not_said(folder: Path):
    path = folder / "three_costs.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("机关运行经费:")[0], encoding="utf-8")
    assert "机关运行经费" not in markdown(folder)


def test_running_costs_stated_not_applicable(folder: Path):
    path = folder / "three_costs.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("机关运行经费:")[0] + "机关运行经费: 不涉及\n", encoding="utf-8")
    assert "本部门不涉及机关运行经费。" in markdown(folder)


def test_last_year_from_last_years_statement(folder: Path):
    # 2023's statement published 16.35; this year's file leaves 上年决算 out and takes it from there
    prior = folder.parent / "2023"
    shutil.copytree(folder, prior)
    (prior / "report.yaml").write_text(
        (prior / "report.yaml").read_text(encoding="utf-8").replace("年度: 2024", "年度: 2023"), "utf-8"
    )
    (prior / "report.yaml").write_text(
        (prior / "report.yaml").read_text(encoding="utf-8").replace("公开日期: 2025-09-03", "公开日期: 2024-09-03"), "utf-8"
    )
    (prior / "report.yaml").write_text(
        (prior / "report.yaml").read_text(encoding="utf-8").replace("批复日期: 2025-08-19", "批复日期: 2024-08-19"), "utf-8"
    )
    last = (prior / "three_costs.yaml").read_text(encoding="utf-8")
    last = last.replace(
        "决算数: {合计: 14.82, 因公出国（境）费: 2.46, 公务用车购置及运行费: 10.26, 公务用车购置费: 0, 公务用车运行费: 10.26, 公务接待费: 2.10}",
        "决算数: {合计: 16.35, 因公出国（境）费: 0, 公务用车购置及运行费: 13.15, 公务用车购置费: 0, 公务用车运行费: 13.15, 公务接待费: 3.20}",
    )
    (prior / "three_costs.yaml").write_text(last, encoding="utf-8")
    edit(
        folder,
        (
            "上年决算: {合计: 16.35, 因公出国（境）费: 0, 公务用车购置及运行费: 13.15, 公务用车购置费: 0, 公务用车运行费: 13.15, 公务接待费: 3.20}\n",
            "",
        ),
    )
    built = build_report(folder, TOOLKIT, ("md",))
    assert not [f for f in built.findings if f.rule == "PRIOR"]
    assert "较上年减少1.53万元，下降9.36%" in built.files["report.md"].decode("utf-8")


def test_without_last_year_the_message_says_where_it_goes(folder: Path):
    edit(
        folder,
        (
            "上年决算: {合计: 16.35, 因公出国（境）费: 0, 公务用车购置及运行费: 13.15, 公务用车购置费: 0, 公务用车运行费: 13.15, 公务接待费: 3.20}\n",
            "",
        ),
    )
    built = build_report(folder, TOOLKIT, ("md",))
    assert [f.render(with_source=False) for f in built.findings if f.rule == "PRIOR"] == [
        "sangong/2024/three_costs.yaml: 上年决算: 错误：缺少“三公”经费的上年决算数：请在 three_costs.yaml 中加一行“上年决算: {合计: 金额, …}”，"
        "或提供上年文件夹（2023）"
    ]


def test_the_07_identities_are_checked(folder: Path):
    edit(folder, ("决算数: {合计: 14.82,", "决算数: {合计: 14.28,"))
    built = build_report(folder, TOOLKIT, ("md",))
    found = [f for f in built.findings if f.rule == "X7"]
    assert [(f.severity, f.location.line) for f in found] == [(Severity.ERROR, 8)]
    assert "决算数合计应等于因公出国（境）费 + 公务用车购置及运行费 + 公务接待费：填写的 14.28 与 14.82 不符" in found[0].message


def test_a_budget_left_out_is_a_shape_error(folder: Path):
    edit(
        folder,
        (
            "预算数: {合计: 18.60, 因公出国（境）费: 3.00, 公务用车购置及运行费: 12.00, 公务用车购置费: 0, 公务用车运行费: 12.00, 公务接待费: 3.60}\n",
            "",
        ),
    )
    with pytest.raises(ReportError) as caught:
        build_report(folder, TOOLKIT, ("md",))
    assert "“三公”经费说明缺少必填项“预算数”" in caught.value.message


def test_files_of_a_decision_report_in_a_statement_folder_are_refused(folder: Path):
    (folder / "tables.yaml").write_text("公开01表: {}\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        build_report(folder, TOOLKIT, ("md",))
    assert caught.value.render(with_source=False) == (
        "sangong/2024/tables.yaml: 错误：report.yaml 写的是“类型: 三公经费”，这类文档只读 report.yaml、three_costs.yaml，"
        "不读 tables.yaml：请把它移到自己的报告文件夹，或改正“类型”"
    )
