"""Absence of data is never printed as zero or “none” (issue 14 §2): missing tables, unknown unit types, 外事接待.

Each test edits the minimal report and reads the Markdown the whole pipeline writes, or the
findings it reports; what the text may say is worked out from what the edited files state.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure.errors import Severity
from disclosure.pipeline import Toolkit, build_report

from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal" / "2024"
TOOLKIT = Toolkit()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "minimal" / "2024")
    monkeypatch.chdir(tmp_path)
    return Path("minimal/2024")


def edit(folder: Path, name: str, *pairs: tuple[str, str]) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def cut(folder: Path, name: str, start: str, stop: str | None = None) -> None:
    """Remove a block of a file: from the line starting `start` up to (not including) the line starting `stop`."""
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next((i for i, line in enumerate(lines) if i > first and stop and line.startswith(stop)), len(lines))
    path.write_text("".join(lines[:first] + lines[last:]), encoding="utf-8")


def build(folder: Path):
    built = build_report(folder, TOOLKIT, ("md",))
    markdown = built.files["report.md"].decode("utf-8") if built.files else ""
    return built, markdown


def rules(built, rule: str) -> list:
    return [f for f in built.findings if f.rule == rule]


# ---------------------------------------------------------------------------- a table left out


def test_06_left_out_while_05_shows_basic_spending_is_an_error_not_none(folder: Path):
    cut(folder, "tables.yaml", "公开06表:", "公开07表:")
    built, markdown = build(folder)
    found = rules(built, "T-MISSING")
    assert [(f.severity, f.location.path) for f in found] == [(Severity.ERROR, "公开06表")]
    assert found[0].message == (
        "缺少公开06表（一般公共预算财政拨款基本支出决算表），但05表基本支出合计为 80.00："
        "06表应列出人员经费和公用经费（05表基本支出 = 06表人员经费合计 + 公用经费合计）"
    )
    assert markdown == ""  # not built: never “无一般公共预算财政拨款基本支出”


def test_06_given_empty_while_05_shows_basic_spending_is_an_error(folder: Path):
    cut(folder, "tables.yaml", "公开06表:", "公开07表:")
    edit(folder, "tables.yaml", ("公开07表:", "公开06表:\n  空表说明: 本部门无基本支出。\n\n公开07表:"))
    found = rules(build(folder)[0], "T-MISSING")
    assert [f.message.split("，但")[0] for f in found] == ["公开06表（一般公共预算财政拨款基本支出决算表）写成了空表"]


def test_08_left_out_while_04_has_fund_money_is_an_error_naming_04(folder: Path):
    # 04表 puts 5.00 of 政府性基金 into 卫生健康支出; without 08表 nothing details it
    edit(
        folder,
        "tables.yaml",
        (
            "      卫生健康支出: {合计: 100.00, 一般公共预算财政拨款: 100.00}",
            "      卫生健康支出: {合计: 105.00, 一般公共预算财政拨款: 100.00, 政府性基金预算财政拨款: 5.00}",
        ),
    )
    built, _ = build(folder)
    found = rules(built, "T-MISSING")
    assert [f.message for f in found] == [
        "缺少公开08表（政府性基金预算财政拨款收入支出决算表），但04表政府性基金预算财政拨款列的“卫生健康支出”为 5.00："
        "08表应列出政府性基金预算财政拨款的收入、支出和结转结余（04表该列 = 08表合计）"
    ]
    # and not also the misleading “应等于08表本年支出合计：… 与 0.00 不一致”
    assert not [f for f in built.findings if "08表" in f.message and "0.00 不一致" in f.message]


def test_08_left_out_when_04_shows_no_fund_money_is_published_as_an_empty_table(folder: Path):
    built, markdown = build(folder)
    assert not built.errors
    assert "本部门2024年度无政府性基金预算财政拨款收入、支出和结转结余，故本表为空表。" in markdown


# ---------------------------------------------------------------------------- the 三公 table (issue 16 §11)


def test_07_left_out_is_an_error_asking_for_it(folder: Path):
    cut(folder, "tables.yaml", "公开07表:")
    built, markdown = build(folder)
    assert [f.message for f in rules(built, "T-MISSING")] == [
        "缺少公开07表（财政拨款“三公”经费支出决算表）：“三公”经费必须公开，没有“三公”经费时也要公开：预算数、决算数的合计填 0，或只写“空表说明”"
    ]
    assert markdown == ""  # never ““三公”经费财政拨款支出决算为0”


def test_a_blank_three_costs_budget_is_an_error_not_zero(folder: Path):
    cut(folder, "tables.yaml", "  预算数:", "  决算数:")
    built, markdown = build(folder)
    found = rules(built, "T-MISSING")
    assert [(f.severity, f.location.path) for f in found] == [(Severity.ERROR, "公开07表.预算数")]
    assert "不能当作 0；确实为零时写“预算数: {合计: 0}”" in found[0].message
    assert "预算数为0" not in markdown


def test_07_stated_empty_is_published_as_none(folder: Path):
    # no 三公 money at all, said so: 06表 has no 三公 code, notes' counts are 0, last year's 1.90 went down to 0
    cut(folder, "tables.yaml", "公开07表:")
    (folder / "tables.yaml").write_text(
        (folder / "tables.yaml").read_text(encoding="utf-8") + "\n公开07表:\n  空表说明: 本部门2024年度无“三公”经费。\n", "utf-8"
    )
    edit(
        folder,
        "notes.yaml",
        ("    保有量: 1\n", "    保有量: 0\n"),
        ("    国内批次: 2\n    国内人次: 10\n", "    国内批次: 0\n    国内人次: 0\n"),
    )
    built, markdown = build(folder)
    assert not built.errors, [f.render(with_source=False) for f in built.errors]
    assert "2024年度本部门“三公”经费财政拨款支出决算为0，预算数也为0" in markdown
    assert "本部门2024年度无“三公”经费。" in markdown


def test_07_left_out_while_06_shows_three_costs_codes(folder: Path):
    cut(folder, "tables.yaml", "公开07表:")
    edit(
        folder,
        "tables.yaml",
        ('    - {编码: "30201", 决算数: 10.00}', '    - {编码: "30201", 决算数: 9.00}\n    - {编码: "30217", 决算数: 1.00}'),
    )
    found = rules(build(folder)[0], "T-MISSING")
    assert [f.message for f in found] == [
        "缺少公开07表（财政拨款“三公”经费支出决算表），但06表经济分类 30217 有支出 1.00，“三公”经费决算数不会为零"
    ]


# ---------------------------------------------------------------------------- 机关运行经费 and the unit type


def test_unknown_unit_type_gives_no_running_costs_sentence_and_asks(folder: Path):
    cut(folder, "overview.yaml", "决算单位构成:", "人员情况:")
    cut(folder, "notes.yaml", "机关运行经费:", "政府采购:")
    built, markdown = build(folder)
    assert not built.errors
    assert "机关运行经费" not in markdown  # neither a figure nor “为事业单位，不涉及”
    found = rules(built, "P9")
    assert [(f.severity, f.location.file, f.location.line) for f in found] == [(Severity.WARNING, "minimal/2024/notes.yaml", 0)]
    assert "不涉及时写“机关运行经费: 不涉及”" in found[0].message


def test_running_costs_stated_not_applicable(folder: Path):
    cut(folder, "overview.yaml", "决算单位构成:", "人员情况:")
    cut(folder, "notes.yaml", "机关运行经费:", "政府采购:")
    edit(folder, "notes.yaml", ("政府采购:", "机关运行经费: 不涉及\n\n政府采购:"))
    built, markdown = build(folder)
    assert not built.findings
    assert "本部门不涉及机关运行经费。" in markdown and "为事业单位" not in markdown


def test_running_costs_not_applicable_said_of_an_administrative_unit_is_an_error(folder: Path):
    cut(folder, "notes.yaml", "机关运行经费:", "政府采购:")
    edit(folder, "notes.yaml", ("政府采购:", "机关运行经费: 不涉及\n\n政府采购:"))
    found = rules(build(folder)[0], "P9")
    assert [(f.severity, f.message) for f in found] == [
        (
            Severity.ERROR,
            "写了“机关运行经费: 不涉及”，但决算单位中有行政单位或参公事业单位（青川市临江区医疗保障局（本级））：请填写机关运行经费",
        )
    ]


def test_all_units_institutions_say_so(folder: Path):
    edit(folder, "overview.yaml", ("性质: 行政单位", "性质: 事业单位"))
    cut(folder, "notes.yaml", "机关运行经费:", "政府采购:")
    built, markdown = build(folder)
    assert not built.findings
    assert "本部门为事业单位，不涉及机关运行经费。" in markdown


# ---------------------------------------------------------------------------- 绩效自评


def test_no_evaluations_folder_says_nothing_and_asks(folder: Path):
    shutil.rmtree(folder / "evaluations")
    built, markdown = build(folder)
    assert "未开展绩效自评" not in markdown
    found = rules(built, "EV-NONE")
    assert [(f.severity, f.location.file) for f in found] == [(Severity.WARNING, "minimal/2024/evaluations")]


def test_evaluations_stated_not_done(folder: Path):
    shutil.rmtree(folder / "evaluations")
    edit(folder, "notes.yaml", ("政府采购:", "绩效自评: 未开展\n\n政府采购:"))
    built, markdown = build(folder)
    assert not built.findings
    assert "本部门2024年度未开展绩效自评。" in markdown


def test_evaluations_stated_not_done_beside_evaluations_is_an_error(folder: Path):
    edit(folder, "notes.yaml", ("政府采购:", "绩效自评: 未开展\n\n政府采购:"))
    found = rules(build(folder)[0], "EV-NONE")
    assert [f.severity for f in found] == [Severity.ERROR]


# ---------------------------------------------------------------------------- 外事接待


def test_foreign_reception_not_given_is_not_said(folder: Path):
    _, markdown = build(folder)
    line = next(p for p in markdown.split("\n\n") if p.startswith("3\\.公务接待费支出"))
    # 公务接待费 0.40: the notes give 2 domestic batches and nothing about 外事 → no “共计支出0.40” for 国内, no “无外事接待”
    assert "国内公务接待2批次，10人次（不包括陪同人员）。" in line
    assert "外事" not in line and "共计支出" not in line


def test_foreign_reception_stated_none(folder: Path):
    edit(folder, "notes.yaml", ("    国内人次: 10\n", "    国内人次: 10\n    外事批次: 0\n"))
    _, markdown = build(folder)
    assert "国内公务接待2批次，10人次（不包括陪同人员），共计支出0.40万元。无外事接待。" in markdown


def test_foreign_batches_without_their_amount(folder: Path):
    edit(folder, "notes.yaml", ("    国内人次: 10\n", "    国内人次: 10\n    外事批次: 1\n    外事人次: 3\n"))
    built, markdown = build(folder)
    assert "国内公务接待2批次，10人次（不包括陪同人员）。外事接待1批次，3人次。" in markdown
    assert "共计支出0.00" not in markdown
    found = rules(built, "P7")
    assert [f.severity for f in found] == [Severity.WARNING] and "没有填写“外事金额”" in found[0].message


def test_foreign_reception_with_its_amount(folder: Path):
    edit(folder, "notes.yaml", ("    国内人次: 10\n", "    国内人次: 10\n    外事批次: 1\n    外事人次: 3\n    外事金额: 0.10\n"))
    _, markdown = build(folder)
    # 0.40 in all, 0.10 of it foreign: domestic 0.30
    assert "国内公务接待2批次，10人次（不包括陪同人员），共计支出0.30万元。外事接待1批次，3人次，共计支出0.10万元。" in markdown


def test_a_unit_that_publishes_only_some_tables(folder: Path):
    # All spending is 项目支出 (no 基本支出): 06表 is left out, as are 08 and 09表 (04表 has no fund or
    # state-capital money). Nothing is invented: the three are published empty, each with its note.
    edit(
        folder,
        "tables.yaml",
        ("  合计: {本年支出合计: 100.00, 基本支出: 80.00, 项目支出: 20.00}", "  合计: {本年支出合计: 100.00, 项目支出: 100.00}"),
        (
            '    - {编码: "210", 本年支出合计: 100.00, 基本支出: 80.00, 项目支出: 20.00}',
            '    - {编码: "210", 本年支出合计: 100.00, 项目支出: 100.00}',
        ),
        (
            '    - {编码: "21015", 本年支出合计: 100.00, 基本支出: 80.00, 项目支出: 20.00}',
            '    - {编码: "21015", 本年支出合计: 100.00, 项目支出: 100.00}',
        ),
        (
            '    - {编码: "2101501", 本年支出合计: 80.00, 基本支出: 80.00}',
            '    - {编码: "2101501", 本年支出合计: 80.00, 项目支出: 80.00}',
        ),
        (
            "  合计: {合计: 100.00, 基本支出: 80.00, 项目支出: 20.00, 年初预算: 100.00}",
            "  合计: {合计: 100.00, 项目支出: 100.00, 年初预算: 100.00}",
        ),
        (
            '    - {编码: "210", 合计: 100.00, 基本支出: 80.00, 项目支出: 20.00}',
            '    - {编码: "210", 合计: 100.00, 项目支出: 100.00}',
        ),
        (
            '    - {编码: "21015", 合计: 100.00, 基本支出: 80.00, 项目支出: 20.00}',
            '    - {编码: "21015", 合计: 100.00, 项目支出: 100.00}',
        ),
        (
            '    - {编码: "2101501", 合计: 80.00, 基本支出: 80.00, 年初预算: 80.00}',
            '    - {编码: "2101501", 合计: 80.00, 项目支出: 80.00, 年初预算: 80.00}',
        ),
    )
    cut(folder, "tables.yaml", "公开06表:", "公开07表:")
    edit(folder, "overview.yaml", ("性质: 行政单位", "性质: 事业单位"))
    cut(folder, "notes.yaml", "机关运行经费:", "政府采购:")
    built, markdown = build(folder)
    assert not built.findings, [f.render(with_source=False) for f in built.findings]
    for note in (
        "本部门2024年度无一般公共预算财政拨款基本支出，故本表为空表。",
        "本部门2024年度无政府性基金预算财政拨款收入、支出和结转结余，故本表为空表。",
        "本部门2024年度无国有资本经营预算财政拨款支出，故本表为空表。",
    ):
        assert note in markdown


def test_large_equipment_not_given_is_not_printed_as_zero(folder: Path):
    edit(folder, "notes.yaml", ("  单价50万元以上通用设备: 0\n  单价100万元以上专用设备: 0\n", ""))
    built, markdown = build(folder)
    assert "设备" not in markdown.split("国有资产占用情况")[1].split("\n\n")[1]
    assert "截至2024年12月31日，本部门共有车辆1辆，其中：一般公务用车1辆。" in markdown
    assert {(f.severity, f.location.path) for f in rules(built, "P11")} == {
        (Severity.WARNING, "国有资产.单价50万元以上通用设备"),
        (Severity.WARNING, "国有资产.单价100万元以上专用设备"),
    }


def test_large_equipment_given_as_zero_is_said(folder: Path):
    _, markdown = build(folder)
    assert "单价50万元以上通用设备0台（套），单价100万元以上专用设备0台（套）。" in markdown
