"""A part may never exceed its whole across tables (check/dominance.py), and 08/09表 match 04表 by 类.

Each test edits the minimal report so that every other identity still holds and only the
bound under test is broken; the expected figures are worked out by hand in the comments.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure.errors import Severity
from disclosure.pipeline import check_report

from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal" / "2024"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "minimal" / "2024"
    shutil.copytree(MINIMAL, target)
    monkeypatch.chdir(tmp_path)
    return Path("minimal/2024")


def edit(folder: Path, name: str, *pairs: tuple[str, str]) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def line_of(folder: Path, name: str, fragment: str) -> int:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if fragment in text)


def parts(folder: Path) -> list:
    return [f for f in check_report(folder).findings if f.rule == "X-PART"]


# ---------------------------------------------------------------------------- 04 above 01/03


def _fiscal_above_all_spending(folder: Path) -> None:
    """04/05表 spend 120 of 财政拨款 (100 income + 20 carried over) while 01/03表 spend only 100 in all.

    Every table adds up on its own and every equality between tables holds: 01表 carries 20 in and
    out (收入总计 = 支出总计 = 120), 04表 carries 20 in (120 = 120), 05 = 04 by 类 (120), 05 基本 = 06 (80).
    Only the parts-of-a-whole bounds are broken: 120 of fiscal spending in 100 of all spending.
    """
    edit(
        folder,
        "tables.yaml",
        ("    年初结转和结余: 0\n    总计: 100.00\n  支出:", "    年初结转和结余: 20.00\n    总计: 120.00\n  支出:"),
        ("    年末结转和结余: 0\n    总计: 100.00\n", "    年末结转和结余: 20.00\n    总计: 120.00\n"),
        (
            "    本年收入合计: 100.00\n    总计: 100.00\n",
            "    本年收入合计: 100.00\n    年初财政拨款结转和结余: {合计: 20.00, 一般公共预算财政拨款: 20.00}\n    总计: 120.00\n",
        ),
        (
            "      卫生健康支出: {合计: 100.00, 一般公共预算财政拨款: 100.00}",
            "      卫生健康支出: {合计: 120.00, 一般公共预算财政拨款: 120.00}",
        ),
        (
            "    本年支出合计: {合计: 100.00, 一般公共预算财政拨款: 100.00}\n    总计: {合计: 100.00, 一般公共预算财政拨款: 100.00}",
            "    本年支出合计: {合计: 120.00, 一般公共预算财政拨款: 120.00}\n    总计: {合计: 120.00, 一般公共预算财政拨款: 120.00}",
        ),
        (
            "  合计: {合计: 100.00, 基本支出: 80.00, 项目支出: 20.00, 年初预算: 100.00}",
            "  合计: {合计: 120.00, 基本支出: 80.00, 项目支出: 40.00, 年初预算: 120.00}",
        ),
        (
            '    - {编码: "210", 合计: 100.00, 基本支出: 80.00, 项目支出: 20.00}',
            '    - {编码: "210", 合计: 120.00, 基本支出: 80.00, 项目支出: 40.00}',
        ),
        (
            '    - {编码: "21015", 合计: 100.00, 基本支出: 80.00, 项目支出: 20.00}',
            '    - {编码: "21015", 合计: 120.00, 基本支出: 80.00, 项目支出: 40.00}',
        ),
        (
            '    - {编码: "2101502", 合计: 20.00, 项目支出: 20.00, 年初预算: 20.00}',
            '    - {编码: "2101502", 合计: 40.00, 项目支出: 40.00, 年初预算: 40.00}',
        ),
    )


def test_fiscal_spending_above_all_spending_is_an_error_in_total_by_class_and_by_item(folder: Path):
    _fiscal_above_all_spending(folder)
    findings = check_report(folder).findings
    # Nothing but the bounds is broken (the scenario is consistent otherwise).
    assert {f.rule for f in findings if f.severity is Severity.ERROR} == {"X-PART"}
    found = {f.message: f for f in parts(folder)}
    total = (
        "04表财政拨款本年支出合计 120.00 大于01表本年支出合计 100.00（相差 20.00）：财政拨款支出是全部支出的一部分，不能大于后者"
    )
    by_class = "“卫生健康支出”：04表财政拨款支出（合计列） 120.00 大于03表的本年支出合计 100.00（相差 20.00）：财政拨款支出是全部支出的一部分，不能大于后者"
    assert total in found and by_class in found
    assert found[total].location.line == line_of(folder, "tables.yaml", "本年支出合计: {合计: 120.00")
    assert found[by_class].location.line == line_of(folder, "tables.yaml", "卫生健康支出: {合计: 120.00")
    # 05表 by 科目 against 03表: the 项目支出 of 2101502 (40 against 20), 21015 and 210 (40 against 20), and the 合计 rows.
    item = [f for f in found.values() if f.message.startswith("科目 2101502：05表的项目支出 40.00 大于03表的项目支出 20.00")]
    assert [(f.severity, f.location.line) for f in item] == [
        (Severity.ERROR, line_of(folder, "tables.yaml", '"2101502", 合计: 40.00'))
    ]
    assert any(m.startswith("合计行：05表的本年支出合计 120.00 大于03表的本年支出合计 100.00") for m in found)
    assert not any("基本支出" in m for m in found)  # 80 of 80: within its whole


def test_a_cent_above_the_whole_is_a_rounding_warning(folder: Path):
    # 05表 2101501 80.01 against 03表 80.00: each side rounded on its own, 0.01 ≤ 0.005 × 2
    edit(
        folder,
        "tables.yaml",
        (
            '    - {编码: "2101501", 合计: 80.00, 基本支出: 80.00, 年初预算: 80.00}',
            '    - {编码: "2101501", 合计: 80.01, 基本支出: 80.01, 年初预算: 80.00}',
        ),
    )
    item = [f for f in parts(folder) if f.message.startswith("科目 2101501：05表的本年支出合计")]
    assert [f.severity for f in item] == [Severity.WARNING]
    assert "在各项四舍五入的误差范围内" in item[0].message


def test_05_08_09_together_may_not_exceed_03_for_one_item(folder: Path):
    # 2101502 is 20.00 in 03表; 05表 pays 20.00 of it and an 08表 row claims 5.00 more → 25.00 > 20.00
    edit(
        folder,
        "tables.yaml",
        (
            "公开07表:",
            "公开08表:\n  合计: {本年收入: 5.00, 本年支出: 5.00, 项目支出: 5.00}\n  科目:\n"
            '    - {编码: "210", 本年收入: 5.00, 本年支出: 5.00, 项目支出: 5.00}\n'
            '    - {编码: "21015", 本年收入: 5.00, 本年支出: 5.00, 项目支出: 5.00}\n'
            '    - {编码: "2101502", 本年收入: 5.00, 本年支出: 5.00, 项目支出: 5.00}\n\n公开07表:',
        ),
    )
    found = [f.message for f in parts(folder) if f.message.startswith("科目 2101502：")]
    assert "科目 2101502：05表的本年支出合计、08表的本年支出小计之和 25.00 大于03表的本年支出合计 20.00（相差 5.00）" in found[0]


# ---------------------------------------------------------------------------- 06, 07 and the notes


def test_06_basic_spending_above_03_basic_spending(folder: Path):
    # 06表 70 + 15 = 85 against 03表 基本支出 80 (05表 基本 made 85 too, so X6 holds)
    edit(
        folder,
        "tables.yaml",
        ("  公用经费合计: 10.00", "  公用经费合计: 15.00"),
        ('    - {编码: "302", 决算数: 10.00}', '    - {编码: "302", 决算数: 15.00}'),
        ('    - {编码: "30201", 决算数: 10.00}', '    - {编码: "30201", 决算数: 15.00}'),
    )
    found = [f for f in parts(folder) if f.message.startswith("06表")]
    assert [f.message.split("：")[0] for f in found] == [
        "06表人员经费合计与公用经费合计之和 85.00 大于03表基本支出合计 80.00（相差 5.00）"
    ]


@pytest.mark.parametrize(("year", "side"), [(2020, "04表一般公共预算财政拨款本年支出"), (2024, "04表财政拨款本年支出合计")])
def test_three_costs_above_their_budget_book(folder: Path, year: int, side: str):
    # 三公 决算 150 on 100 of fiscal spending: 07表 before 2021 is paid from the 一般公共预算 book, then from all three
    edit(
        folder,
        "tables.yaml",
        (
            "  决算数: {合计: 1.80, 公务用车购置及运行费: 1.40, 公务用车运行费: 1.40, 公务接待费: 0.40}",
            "  决算数: {合计: 150.00, 公务用车购置及运行费: 149.60, 公务用车运行费: 149.60, 公务接待费: 0.40}",
        ),
    )
    if year != 2024:
        edit(folder, "report.yaml", ("年度: 2024", f"年度: {year}"))
        (folder.parent / str(year)).mkdir()
        for path in folder.iterdir():
            shutil.move(str(path), folder.parent / str(year) / path.name)
        folder = folder.parent / str(year)
    found = [f.message for f in parts(folder) if f.message.startswith("07表")]
    assert found == [f"07表“三公”经费决算数合计 150.00 大于{side} 100.00（相差 50.00）：" + found[0].split("：", 1)[1]]


def test_evaluated_projects_above_the_years_project_spending(folder: Path):
    # the one project spends 30.00 against 20.00 of 项目支出 in 03表: “占项目支出的 150%” would be printed
    edit(
        folder,
        "evaluations/01-jingban.yaml",
        ("全年执行数: 20.00}\n  当年", "全年执行数: 30.00}\n  当年"),
        ("全年预算数: 20.00, 全年执行数: 20.00}\n年度", "全年预算数: 20.00, 全年执行数: 30.00}\n年度"),
    )
    found = [f for f in parts(folder) if f.message.startswith("各项目自评表")]
    assert [(f.severity, f.location.file.endswith("01-jingban.yaml")) for f in found] == [(Severity.ERROR, True)]
    assert found[0].message.startswith("各项目自评表全年执行数之和 30.00 大于03表项目支出合计 20.00（相差 10.00）")


def test_running_costs_above_the_running_costs_of_06_is_a_warning(folder: Path):
    edit(folder, "notes.yaml", ("  本年数: 10.00", "  本年数: 12.00"))
    found = [f for f in parts(folder) if f.message.startswith("机关运行经费")]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert found[0].message.startswith("机关运行经费 12.00 大于06表公用经费合计 10.00（相差 2.00）")


# ---------------------------------------------------------------------------- 08 and 09 by 类 against 04


def test_08_by_class_must_equal_04s_fund_column(folder: Path):
    # 04表 puts 5.00 of fund spending under 卫生健康支出 while 08表 lists it under 229 其他支出
    edit(
        folder,
        "tables.yaml",
        (
            "公开07表:",
            "公开08表:\n  合计: {本年收入: 5.00, 本年支出: 5.00, 项目支出: 5.00}\n  科目:\n"
            '    - {编码: "229", 本年收入: 5.00, 本年支出: 5.00, 项目支出: 5.00}\n'
            '    - {编码: "22960", 本年收入: 5.00, 本年支出: 5.00, 项目支出: 5.00}\n\n公开07表:',
        ),
        (
            "      卫生健康支出: {合计: 100.00, 一般公共预算财政拨款: 100.00}",
            "      卫生健康支出: {合计: 105.00, 一般公共预算财政拨款: 100.00, 政府性基金预算财政拨款: 5.00}",
        ),
    )
    found = [f.message for f in check_report(folder).findings if f.rule == "X5" and "08表该类" in f.message]
    assert (
        "04表“卫生健康支出”的政府性基金预算财政拨款应等于08表该类本年支出（08表未列该类）：5.00 与 0.00 不一致（相差 5.00）"
        in found
    )
    assert "04表“其他支出”的政府性基金预算财政拨款应等于08表该类本年支出：0.00 与 5.00 不一致（相差 5.00）" in found
