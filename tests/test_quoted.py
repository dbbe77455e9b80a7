"""Figures quoted in free text against the data (check/quoted.py): a self-evaluation's own figures, the notes' shares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure.errors import Severity
from disclosure.pipeline import check_report

from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal" / "2024"
EVALUATION = "evaluations/01-jingban.yaml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "minimal" / "2024")
    monkeypatch.chdir(tmp_path)
    return Path("minimal/2024")


def _achieved(folder: Path, text: str) -> list:
    path = folder / EVALUATION
    path.write_text(
        path.read_text(encoding="utf-8").replace("实际完成情况: 经办服务正常运转。", f"实际完成情况: {text}"), "utf-8"
    )
    return [f for f in check_report(folder).findings if f.rule == "X11"]


def test_a_total_spent_in_the_text_that_is_not_the_tables_is_a_warning_with_both_places(folder: Path):
    # 全年执行数 of 年度资金总额 (line 4) is 20.00; the text says 25.00
    found = _achieved(folder, "经办服务正常运转，全年共支出25.00万元。")
    assert [(f.severity, f.location.line) for f in found] == [(Severity.WARNING, 8)]
    assert found[0].message == (
        "实际完成情况中写“全年共支出25.00万元”，而本表年度资金总额的全年执行数为 20.00"
        "（minimal/2024/evaluations/01-jingban.yaml:4: 资金.年度资金总额.全年执行数），各资金来源行也不是这个数：请核对文字或表中的数"
    )


@pytest.mark.parametrize(
    "text",
    [
        "全年共支出20万元。",  # the table's 20.00, quoted without decimals
        "累计拨付200000元。",  # the same in 元
        "年初预算20.00万元，全年执行数为20.00万元。",
        "其中拨付25.00万元用于系统维护。",  # a part of the spending, not its total: not compared
        "预算执行率为100%，自评得分100分。",
    ],
)
def test_quotes_that_agree_or_are_only_parts_give_nothing(folder: Path, text: str):
    assert _achieved(folder, text) == []


def test_a_quoted_budget_rate_and_score_are_compared_too(folder: Path):
    found = _achieved(folder, "年初预算18.00万元，执行率为95%，自评得分98分。")
    messages = [f.message.split("，而")[0] for f in found]
    assert messages == [
        "实际完成情况中写“年初预算18.00万元”",
        "实际完成情况中写“执行率为95%”",
        "实际完成情况中写“自评得分98分”",
    ]
    assert "而本表的执行率为 100%（全年执行数 20.00 ÷ 全年预算数 20.00" in found[1].message
    assert "而本表的总分为 100" in found[2].message


# ---------------------------------------------------------------------------- shares stated in the notes


def _other(folder: Path, text: str) -> list:
    path = folder / "notes.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"\n其他事项:\n  - 标题: 说明\n    内容: {text}\n", "utf-8")
    return [f for f in check_report(folder).findings if f.rule == "X10"]


def test_a_share_implying_a_different_base_is_a_warning(folder: Path):
    # 100 ÷ 90% → 110.50–111.73 for a share printed as 90 (89.5%–90.5%); 01表 本年支出合计 is 100.00
    found = _other(folder, "一般公共预算财政拨款支出100.00万元，占本年支出合计的90%。")
    assert [f.severity for f in found] == [Severity.WARNING]
    assert found[0].message == (
        "文字中“100.00万元，占本年支出合计的90%”意味着本年支出合计约为 110.50–111.73，而01表本年支出合计为 100.00：请核对金额或比例"
    )


def test_a_share_implying_a_total_below_the_fiscal_spending_says_so(folder: Path):
    # 100 ÷ 125% → 79.68–80.32 (100 × 100 ÷ 125.5 and ÷ 124.5): less than the 100.00 of 财政拨款 spending (04表), impossible
    found = _other(folder, "财政拨款支出100.00万元，占本年支出合计的125%。")
    assert (
        "意味着本年支出合计约为 79.68–80.32，甚至低于04表财政拨款本年支出合计 100.00，而01表本年支出合计为 100.00"
        in found[0].message
    )


def test_a_right_share_gives_nothing(folder: Path):
    assert _other(folder, "基本支出80.00万元，占本年支出合计的80.00%；项目支出20万元，占项目支出的100%。") == []
