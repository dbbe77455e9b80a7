"""Focused tests of single check rules: what they report, at which location, with which severity."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from disclosure import model as m
from disclosure.check.evaluations import totals
from disclosure.check.tables import cross_tables, fund_codes_in_05
from disclosure.compute.scoring import default_rules, score
from disclosure.errors import Location, Severity
from disclosure.read.format import EVALUATION
from disclosure.read.source import load_yaml

D = Decimal
FILE = "tables.yaml"


def _row(code: str, line: int, total: str, **extra) -> m.ClassRow:
    loc = Location(FILE, line, 7)
    return m.ClassRow(loc=loc, where={"code": Location(FILE, line, 13)}, code=code, values={"total": D(total)}, **extra)


def _table05(*rows: m.ClassRow) -> m.ClassTable:
    total = sum((r.value("total") for r in rows if r.level == 1), D(0))
    return m.ClassTable(
        loc=Location(FILE, 1, 1), number="05", total=m.ClassRow(loc=Location(FILE, 2, 3), values={"total": total}), rows=rows
    )


# ---------------------------------------------------------------------------- X5: fund codes in table 05


def test_fund_code_in_05_is_one_error_per_subtree_at_its_code():
    table = _table05(_row("229", 10, "25.00"), _row("2296013", 12, "25.00"), _row("22960", 11, "25.00"))
    found = list(fund_codes_in_05(table))
    assert len(found) == 1
    finding = found[0]
    assert finding.severity is Severity.ERROR and finding.rule == "X5"
    assert (finding.location.line, finding.location.column) == (11, 13)
    assert "科目 22960（彩票公益金安排的支出）属于政府性基金预算支出" in finding.message
    assert "其支出 25.00 应列入04表政府性基金预算财政拨款列和08表" in finding.message


def test_fund_item_without_its_section_row_is_still_reported():
    found = list(fund_codes_in_05(_table05(_row("229", 10, "5.00"), _row("2296002", 11, "5.00"))))
    assert [(f.location.line, f.severity) for f in found] == [(11, Severity.ERROR)]
    assert "科目 2296002（用于社会福利的彩票公益金支出）" in found[0].message


def test_general_budget_items_of_class_229_are_not_fund_codes():
    table = _table05(_row("229", 10, "3.00"), _row("22999", 11, "3.00"), _row("2299999", 12, "3.00"))
    assert list(fund_codes_in_05(table)) == []


def test_cross_tables_reports_the_fund_code_rule():
    tables = m.Tables(loc=Location(FILE), t05=_table05(_row("229", 10, "25.00"), _row("22960", 11, "25.00")))
    assert [(f.rule, f.location.line, f.severity) for f in cross_tables(tables)] == [("X5", 11, Severity.ERROR)]


# ---------------------------------------------------------------------------- X5: 04 class missing from 05


def _table04(*classes: tuple[str, str, int]) -> m.SummaryTable:
    lines = tuple(
        m.Line(
            loc=Location(FILE, line, 7),
            where={"general": Location(FILE, line, 30)},
            key=code,
            values={"total": D(amount), "general": D(amount)},
        )
        for code, amount, line in classes
    )
    return m.SummaryTable(loc=Location(FILE, 80, 1), number="04", classes=lines)


def test_class_missing_from_05_is_named_at_the_04_line():
    tables = m.Tables(
        loc=Location(FILE), t04=_table04(("208", "26.19", 90), ("221", "18.48", 92)), t05=_table05(_row("208", 101, "26.19"))
    )
    found = [f for f in cross_tables(tables) if "05表该类合计" in f.message]
    assert [(f.location.line, f.location.column, f.severity) for f in found] == [(92, 30, Severity.ERROR)]
    assert "04表“住房保障支出”的一般公共预算财政拨款应等于05表该类合计（05表未列该类）：18.48 与 0.00 不一致" in found[0].message


def test_class_in_both_tables_with_different_amounts_is_not_called_missing():
    tables = m.Tables(loc=Location(FILE), t04=_table04(("221", "18.48", 92)), t05=_table05(_row("221", 101, "18.40")))
    found = [f for f in cross_tables(tables) if "05表该类合计" in f.message]
    assert len(found) == 1 and "未列该类" not in found[0].message and "18.48 与 18.40 不一致" in found[0].message


# ---------------------------------------------------------------------------- self-evaluation weights and total


def _evaluation(tmp_path: Path, text: str) -> m.Evaluation:
    path = tmp_path / "e.yaml"
    path.write_text(text, encoding="utf-8")
    return EVALUATION.read(load_yaml(path, "e.yaml"))


FUNDS = """名称: 测试项目
资金:
  年度资金总额: {年初预算数: 10, 全年预算数: 10, 全年执行数: 10}
  当年财政拨款: {年初预算数: 10, 全年预算数: 10, 全年执行数: 10%s}
年度总体目标: {预期目标: 甲, 实际完成情况: 甲}
绩效指标:
  产出指标:
    数量指标:
      - {名称: 甲, 性质: ≥, 指标值: 95%%, 完成值: 95%%, 分值: %s, 得分: %s}
  效益指标:
    社会效益指标:
      - {名称: 乙, 性质: ≥, 指标值: 10, 完成值: 10, 分值: %s, 得分: %s}
总分: %s
"""


def _findings(tmp_path: Path, *, sub_row: str = "", w1="50", s1="50", w2="40", s2="40", total="100"):
    e = _evaluation(tmp_path, FUNDS % (sub_row, w1, s1, w2, s2, total))
    rules = default_rules(e.loc)
    return list(totals(score(e, rules), rules))


def test_weights_short_because_points_sit_on_a_fund_sub_row(tmp_path: Path):
    found = _findings(tmp_path, sub_row=", 分值: 10, 得分: 10", w2="30", s2="30", total="90")
    assert [(f.rule, f.location.line, f.severity) for f in found] == [("EV-WEIGHT", 6, Severity.ERROR)]
    assert "各项分值合计应为 100 分，现为 90 分" in found[0].message
    assert "资金来源明细行上另填的 10 分不计入" in found[0].message


def test_weights_short_without_sub_row_points_say_nothing_about_sub_rows(tmp_path: Path):
    found = _findings(tmp_path, w2="30", s2="30", total="90")
    assert [f.rule for f in found] == ["EV-WEIGHT"]
    assert "资金来源明细行" not in found[0].message


def test_total_with_rule_breaking_scores_also_gives_the_total_by_the_rules(tmp_path: Path):
    # 95% against 95% is met and earns the full 50 points, not 10: the stated scores add up to 60, the rules give 100
    found = _findings(tmp_path, s1="10", s2="40", total="99.5")
    total = [f for f in found if f.rule == "EV-TOTAL"]
    assert [(f.location.line, f.severity) for f in total] == [(13, Severity.ERROR)]
    assert total[0].message == "总分应为各项得分之和 60，填写的是 99.5；各项得分按评分规则核对后，总分应为 100"


def test_total_over_the_cap_gives_the_capped_total(tmp_path: Path):
    found = _findings(tmp_path, w2="40", s2="60", total="100")
    total = [f for f in found if f.rule == "EV-TOTAL"]
    assert total and total[0].message.endswith("总分应为各项得分之和 120，填写的是 100；各项得分按评分规则核对后，总分应为 100")


def test_total_that_is_only_mis_added_says_just_the_sum(tmp_path: Path):
    found = _findings(tmp_path, total="99")
    assert [(f.rule, f.message) for f in found] == [("EV-TOTAL", "总分应为各项得分之和 100，填写的是 99")]


def test_consistent_table_has_no_total_findings(tmp_path: Path):
    assert _findings(tmp_path) == []


# ---------------------------------------------------------------------------- prior year and stale years


def _copy_department(tmp_path: Path) -> Path:
    import shutil

    from conftest import CONTENT

    target = tmp_path / "linjiang-yibaoju"
    shutil.copytree(CONTENT / "linjiang-yibaoju", target)
    return target


def _rule_findings(folder: Path, rule: str) -> list:
    from disclosure.pipeline import check_report as load_and_check

    return [f for f in load_and_check(folder).findings if f.rule == rule]


def test_table_04_and_08_openings_must_equal_last_years_closings(tmp_path: Path):
    department = _copy_department(tmp_path)
    tables = department / "2024" / "tables.yaml"
    text = tables.read_text(encoding="utf-8")
    text = text.replace(
        "年初财政拨款结转和结余: {合计: 60.14, 一般公共预算财政拨款: 60.14}",
        "年初财政拨款结转和结余: {合计: 60.41, 一般公共预算财政拨款: 60.41}",
    )
    text = text.replace("总计: 791.00", "总计: 791.27", 1)
    tables.write_text(text, encoding="utf-8")
    found = _rule_findings(department / "2024", "PRIOR")
    messages = [f.message for f in found]
    assert any("04表年初财政拨款结转和结余（合计）应等于上年报告的年末数：60.41 与 60.14" in m for m in messages)
    assert any("（一般公共预算财政拨款）" in m for m in messages)
    assert all(f.severity is Severity.ERROR for f in found)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "年初财政拨款结转和结余: {合计: 60.41" in t)
    assert {f.location.line for f in found} == {line}


def test_a_target_year_is_not_a_stale_year(tmp_path: Path):
    department = _copy_department(tmp_path)
    notes = department / "2024" / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(
        text.replace(
            "预算绩效管理: 年初预算编制阶段", "预算绩效管理: 力争至2027年实现项目全覆盖。截至2019年底，年初预算编制阶段"
        ),
        encoding="utf-8",
    )
    found = _rule_findings(department / "2024", "YEAR")
    assert [f.message for f in found] == ["文字中的“截至2019年”与报告年度 2024 不符，是否沿用了往年的文字？"]


# ---------------------------------------------------------------------------- stated scores at the configured precision

MISSED = """名称: 测试项目
资金:
  年度资金总额: {年初预算数: 10, 全年预算数: 10, 全年执行数: 10}
年度总体目标: {预期目标: 甲, 实际完成情况: 甲}
绩效指标:
  产出指标:
    数量指标:
      - {名称: 改造面积, 性质: ≥, 指标值: 48, 单位: 万亩, 完成值: 46.2, 分值: 5%s}
"""


def _score_findings(tmp_path: Path, stated: str, places: int = 2) -> list:
    from dataclasses import replace

    from disclosure.check.evaluations import indicators

    e = _evaluation(tmp_path, MISSED % (f", 得分: {stated}" if stated else ""))
    rules = replace(default_rules(e.loc), places=places)
    return [f for f in indicators(score(e, rules), rules) if f.rule == "EV-SCORE"]


def test_full_marks_on_a_missed_target_is_an_error_naming_the_rule_score(tmp_path: Path):
    # 46.2 of 48 missed: 5 × 46.2 / 48 = 4.8125 → 4.81 at two places; 5 points are not 4.81 “rounded to 0 places”
    found = _score_findings(tmp_path, "5")
    assert [(f.severity, f.location.line) for f in found] == [(Severity.ERROR, 8)]
    assert found[0].message == (
        "指标“改造面积”未达到指标值（指标值 48，完成值 46.2），不能得满分 5："
        "按规则得分应为 4.81（未达到指标值，按 完成值÷指标值 × 分值）"
    )


def test_a_score_coarser_than_the_configured_places_is_an_error(tmp_path: Path):
    found = _score_findings(tmp_path, "4.8")
    assert [f.message for f in found] == ["得分应为 4.81（未达到指标值，按 完成值÷指标值 × 分值），填写的是 4.8"]


def test_a_score_at_the_configured_places_is_accepted(tmp_path: Path):
    assert _score_findings(tmp_path, "4.81") == []
    assert _score_findings(tmp_path, "4.8", places=1) == []  # 得分小数位: 1 → 4.8125 is 4.8
    assert _score_findings(tmp_path, "") == []  # not stated: computed, nothing to check
