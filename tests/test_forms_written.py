"""Self-evaluation tables as printed (issue 14 §4): what the source wrote is what the form shows.

Flat Chongqing indicator lists, stated 得分系数 on quantitative rows, comparators as written, a text
target's unit, blank 年初预算数 and 零值显示, text targets that are not numbers, and a standalone
document that says nothing where the data says nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure.errors import ReportError, Severity
from disclosure.pipeline import Toolkit, build_report, check_report
from disclosure.read.folder import read_report

from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal" / "2024"
TOOLKIT = Toolkit()
HEAD = """类型: 项目支出
名称: 医保经办服务经费
{layout}资金:
  年度资金总额: {{{initial}全年预算数: 20.00, 全年执行数: 20.00}}
  当年财政拨款: {{{initial}全年预算数: 20.00, 全年执行数: 20.00}}
年度总体目标:
  预期目标: 保障医保经办服务正常运转。
  实际完成情况: 经办服务正常运转。
"""
FLAT = """绩效指标:
  - {名称: 经办业务笔数, 性质: ≧, 指标值: 1000, 单位: 笔, 完成值: 1200, 分值: 30}
  - {名称: 业务差错率, 指标值: ≦1%, 完成值: 0.5%, 分值: 20}
  - {名称: 经办服务便利度, 性质: 定性, 指标值: 明显提升, 完成值: 明显提升, 档次: 达成, 分值: 20}
  - {名称: 参保群众满意度, 指标值: 90, 单位: "%", 性质: 定性, 完成值: 95, 档次: 达成, 分值: 20}
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "minimal" / "2024")
    monkeypatch.chdir(tmp_path)
    return Path("minimal/2024")


def evaluation(folder: Path, indicators: str, layout: str = "", initial: str = "年初预算数: 20.00, ") -> None:
    text = HEAD.format(layout=f"版式: {layout}\n" if layout else "", initial=initial) + indicators
    (folder / "evaluations" / "01-jingban.yaml").write_text(text, encoding="utf-8")


def form_rows(folder: Path) -> list[list[str]]:
    built = build_report(folder, TOOLKIT, ("md",))
    assert not built.errors, [f.render(with_source=False) for f in built.errors]
    assert built.document is not None
    (form,) = built.document.islands("evaluation")
    return [[cell.text for cell in row] for row in form.body]


def row_of(rows: list[list[str]], name: str) -> list[str]:
    return next(r for r in rows if name in r)


def shown(rows: list[list[str]], name: str) -> list[str]:
    """The 年度指标值 and 实际完成值 printed right after an indicator's name (财政部 layout)."""
    row = row_of(rows, name)
    at = row.index(name)
    return row[at + 1 : at + 3]


# ---------------------------------------------------------------------------- Chongqing without groups


def test_a_chongqing_form_needs_no_level_groups(folder: Path):
    evaluation(folder, FLAT, layout="重庆")
    rows = form_rows(folder)
    # the flat list prints as the Chongqing grid: 指标名称 | 计量单位 | 年度指标值 | 全年完成值 | 系数 | 权重 | 得分
    assert row_of(rows, "经办业务笔数")[:4] == ["经办业务笔数", "笔", "≧1000", "1200"]
    assert row_of(rows, "业务差错率")[:4] == ["业务差错率", "%", "≦1", "0.5"]


def test_a_flat_list_in_the_mof_layout_is_a_located_error(folder: Path):
    evaluation(folder, FLAT)
    with pytest.raises(ReportError) as caught:
        read_report(folder)
    assert caught.value.location.line == 9 and caught.value.location.file.endswith("01-jingban.yaml")
    assert "财政部版式要印出这两级" in caught.value.message and "版式: 重庆" in caught.value.message


# ---------------------------------------------------------------------------- comparators and units as written


GROUPED = """绩效指标:
  产出指标:
    数量指标:
      - {名称: 经办业务笔数, 性质: ≧, 指标值: 1000, 单位: 笔, 完成值: 1200, 分值: 30}
    质量指标:
      - {名称: 业务差错率, 指标值: ＜1%, 完成值: 0.5%, 分值: 20}
  效益指标:
    社会效益指标:
      - {名称: 参保群众满意度, 性质: 定性, 指标值: 90, 单位: "%", 完成值: 95, 档次: 达成, 分值: 20}
      - {名称: 经办服务便利度, 性质: 大于等于, 指标值: 3, 单位: 项, 完成值: 3, 分值: 20}
"""


def test_the_mof_form_prints_comparators_as_written_and_keeps_a_text_targets_unit(folder: Path):
    evaluation(folder, GROUPED)
    rows = form_rows(folder)
    assert shown(rows, "经办业务笔数") == ["≧1000笔", "1200笔"]
    assert shown(rows, "业务差错率") == ["＜1%", "0.5%"]
    assert shown(rows, "参保群众满意度") == ["90%", "95%"]  # 定性 with 单位 %: the unit is printed
    assert shown(rows, "经办服务便利度") == ["≥3项", "3项"]  # a word relation prints as its symbol


# ---------------------------------------------------------------------------- blank stays blank, 零值显示


def test_blank_initial_budget_stays_blank_and_sources_not_given_are_blank(folder: Path):
    evaluation(folder, GROUPED, initial="")
    rows = form_rows(folder)
    total = row_of(rows, "年度资金总额")
    assert total[-6:-3] == ["", "20.00", "20.00"]
    assert row_of(rows, "　　　上年结转资金")[-6:-3] == ["", "", ""]  # not given: not 0.00


def test_zero_display_blank_applies_to_the_forms(folder: Path):
    evaluation(folder, GROUPED, initial="年初预算数: 0, ")
    (folder / "report.yaml").write_text(
        (folder / "report.yaml").read_text(encoding="utf-8") + "零值显示: 空白\n", encoding="utf-8"
    )
    total = row_of(form_rows(folder), "年度资金总额")
    assert total[-6:-3] == ["", "20.00", "20.00"]


# ---------------------------------------------------------------------------- 得分系数 on a quantitative row


def test_a_stated_factor_on_a_quantitative_row_is_checked(folder: Path):
    # 1200 of ≥1000 is met: 30 points; a stated 得分系数 of 50% says 15
    evaluation(folder, GROUPED.replace("完成值: 1200, 分值: 30}", "完成值: 1200, 分值: 30, 得分系数: 50%}"))
    found = [f for f in check_report(folder).findings if f.rule == "EV-SCORE"]
    assert [(f.severity, f.location.line) for f in found] == [(Severity.ERROR, 12)]
    assert found[0].message == (
        "得分系数 50% 与评分规则不符：分值 30 × 50% = 15，按规则得分应为 30（达到指标值，得满分），得分系数应为 100%"
    )


def test_a_stated_factor_that_agrees_is_accepted(folder: Path):
    evaluation(folder, GROUPED.replace("完成值: 1200, 分值: 30}", "完成值: 1200, 分值: 30, 得分系数: 100%}"))
    assert [f for f in check_report(folder).findings if f.rule == "EV-SCORE"] == []


# ---------------------------------------------------------------------------- text targets


@pytest.mark.parametrize("target", ["2024年10月31日前", "60元/人/年*参保人数", "9月底前完成"])
def test_a_text_target_is_qualitative(folder: Path, target: str):
    rows = GROUPED.replace(
        "      - {名称: 经办服务便利度, 性质: 大于等于, 指标值: 3, 单位: 项, 完成值: 3, 分值: 20}",
        f"      - {{名称: 完成时限, 指标值: {target}, 完成值: 按期完成, 档次: 达成, 分值: 20}}",
    )
    evaluation(folder, rows)
    assert shown(form_rows(folder), "完成时限") == [target, "按期完成"]


def test_a_text_target_with_a_quantitative_relation_names_the_qualitative_setting(folder: Path):
    rows = GROUPED.replace(
        "      - {名称: 经办服务便利度, 性质: 大于等于, 指标值: 3, 单位: 项, 完成值: 3, 分值: 20}",
        "      - {名称: 完成时限, 性质: ≤, 指标值: 2024年10月31日前, 完成值: 2024年10月20日, 分值: 20}",
    )
    evaluation(folder, rows)
    with pytest.raises(ReportError) as caught:
        read_report(folder)
    assert caught.value.message == (
        "定量指标的指标值应是一个数字加单位（如 95%、5.3万人），而不是“2024年10月31日前”：文字、日期或算式的目标请写“性质: 定性”"
    )


# ---------------------------------------------------------------------------- the standalone document


def test_the_standalone_document_says_nothing_where_there_is_nothing(folder: Path):
    (folder / "report.yaml").write_text(
        (folder / "report.yaml").read_text(encoding="utf-8").replace("类型: 决算", "类型: 绩效自评"), encoding="utf-8"
    )
    for name in ("tables.yaml", "notes.yaml", "overview.yaml"):
        (folder / name).unlink()
    evaluation(folder, GROUPED)  # no 问题及原因, no 改进措施
    built = build_report(folder, TOOLKIT, ("md",))
    markdown = built.files["report.md"].decode("utf-8").rsplit("、绩效自评表\n\n", 1)[0]  # the narrative, before the forms
    assert "问题及原因" not in markdown and "改进措施" not in markdown and "：无" not in markdown
    assert "决算中反映" not in markdown  # the data does not say the results were in a 决算
    assert "项目绩效目标完成情况：经办服务正常运转。" in markdown
