"""Wording of every change case on real composed output (domain spec §4.2–4.4).

Each test builds a variant of the example report with `dataclasses.replace`, composes it through
the real templates and compares whole sentences with the ones expected. The expected numbers are
computed here from the inputs set by the test (Decimal, half-up), never copied from the output.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pytest

from disclosure import model as m
from disclosure.compose import Composer
from disclosure.document.blocks import Paragraph
from disclosure.pipeline import render as assemble
from disclosure.read.folder import read_report

from conftest import CONTENT

D = Decimal
EXAMPLE = CONTENT / "linjiang-yibaoju" / "2024"
COMPOSER = Composer()
REASON = "城乡医疗救助对象扩面，人员经费相应增加"
# A reason as people type it: with or without a final full stop, a stray semicolon or comma, or
# broken over lines of a YAML block (a blank line, an indented line) — still one clause.
TYPED_REASONS = [
    REASON,
    REASON + "。",
    REASON + "；",
    REASON + "，",
    REASON + "。\n",
    " " + REASON + "。 ",
    REASON.replace("，", "，\n"),
    REASON.replace("，", "，\n\n    ") + "。\n",
]


@cache
def example() -> m.Report:
    return read_report(EXAMPLE, with_prior=False)


# ---------------------------------------------------------------------------- expected numbers


def money(value: Decimal | str, unit: str = "万元") -> str:
    """An amount as the spec prints it: 2 places, half-up; thousands separators when in 元."""
    rounded = D(value).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    return (f"{rounded:,}" if unit == "元" else f"{rounded}") + unit


def pct(part: Decimal | str, whole: Decimal | str, places: int = 2) -> str:
    """part / whole × 100 at `places` decimals, half-up, with “%”."""
    value = D(part) * 100 / D(whole)
    return f"{value.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)}%"


# ---------------------------------------------------------------------------- composing variants


def paragraphs(report: m.Report) -> list[str]:
    """The text of every paragraph of the composed document, after a check of the wording rules."""
    document = assemble(report).document
    texts = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    check_wording(texts)
    return texts


def paragraph(report: m.Report, start: str) -> str:
    """The one paragraph that starts with `start`."""
    found = [text for text in paragraphs(report) if text.startswith(start)]
    assert len(found) == 1, f"{len(found)} paragraphs start with {start!r}"
    return found[0]


NEGATIVE_AFTER_DIRECTION = re.compile(r"(增加|增长|减少|下降|降低)\s*[-−－]")
DOUBLED = re.compile(r"[。；，][。；，]")
EMPTY_REASON = re.compile(r"原因(是|为)[。；，]")


def check_wording(texts: list[str]) -> None:
    """Rules that hold for every sentence: no negative after a direction word, no doubled stop."""
    for text in texts:
        assert not NEGATIVE_AFTER_DIRECTION.search(text), text
        assert not DOUBLED.search(text), text
        assert not EMPTY_REASON.search(text), text


def grand_total(report: m.Report, value: Decimal) -> m.Report:
    """Set 01表 收入总计 and 支出总计 (the P1 figure)."""
    t01 = report.tables.t01
    income = {**t01.income, "grand_total": replace(t01.income["grand_total"], values={"amount": value})}
    spending = {**t01.spending, "grand_total": replace(t01.spending["grand_total"], values={"amount": value})}
    return replace(report, tables=replace(report.tables, t01=replace(t01, income=income, spending=spending)))


def notes(report: m.Report, **changes) -> m.Report:
    return replace(report, notes=replace(report.notes, **changes))


def change(report: m.Report, prior: Decimal | None, reason: str = "") -> m.Change:
    return m.Change(loc=report.notes.loc, prior=prior, reason=reason)


def totals_variant(current: str, prior: str, reason: str = REASON, unit: str = "万元", places: int = 2) -> m.Report:
    report = grand_total(example(), D(current))
    report = notes(report, totals=change(report, D(prior), reason))
    return replace(report, manifest=replace(report.manifest, unit=unit, percent_places=places))


# ---------------------------------------------------------------------------- P1 收入支出决算总体


P1 = "2024年度收、支总计各"


@pytest.mark.parametrize("reason", TYPED_REASONS)
def test_totals_increase_with_reason_once(reason: str) -> None:
    current, prior = D("791.35"), D("664.01")
    delta = current - prior
    assert paragraph(totals_variant("791.35", "664.01", reason), P1) == (
        f"2024年度收、支总计各{money(current)}。与2023年度相比，收、支总计各增加{money(delta)}，"
        f"增长{pct(delta, prior)}。主要变动原因是{REASON}。"
    )


def test_totals_decrease() -> None:
    current, prior = D("791.35"), D("800.00")
    delta = prior - current
    assert paragraph(totals_variant("791.35", "800.00"), P1) == (
        f"2024年度收、支总计各{money(current)}。与2023年度相比，收、支总计各减少{money(delta)}，"
        f"下降{pct(delta, prior)}。主要变动原因是{REASON}。"
    )


@pytest.mark.parametrize("prior", ["791.35", "791.346", "791.354"], ids=["equal", "plus-0.004", "minus-0.004"])
def test_totals_unchanged_or_printing_as_zero_change_is_level(prior: str) -> None:
    # 791.35 − 791.346 = 0.004 prints as 0.00: 持平, and no reason follows a sentence without a change.
    assert paragraph(totals_variant("791.35", prior), P1) == "2024年度收、支总计各791.35万元。收、支总计与2023年度持平。"


def test_totals_prior_zero_is_not_comparable() -> None:
    text = paragraph(totals_variant("791.35", "0"), P1)
    assert text == (
        f"2024年度收、支总计各{money('791.35')}。2023年度收、支总计为0，本年度各增加{money('791.35')}，"
        f"增长率不可比。主要变动原因是{REASON}。"
    )
    assert "%" not in text


def test_totals_both_zero_say_no_change() -> None:
    assert paragraph(totals_variant("0", "0"), P1) == "2024年度收、支总计各0.00万元。收、支总计与2023年度均为0，无变化。"


def test_totals_change_printing_as_zero_over_a_zero_base_is_level() -> None:
    # 0.004 over 0 would be “增加0.00万元，增长率不可比”: it prints as no change, so it is 持平.
    assert paragraph(totals_variant("0.004", "0"), P1) == "2024年度收、支总计各0.00万元。收、支总计与2023年度持平。"


def test_totals_without_prior_figure_say_nothing_about_change() -> None:
    report = notes(grand_total(example(), D("791.35")), totals=change(example(), None, REASON))
    assert paragraph(report, P1) == "2024年度收、支总计各791.35万元。"


# ---------------------------------------------------------------------------- percent precision and units


@pytest.mark.parametrize(("places", "growth"), [(0, "25%"), (1, "24.5%"), (2, "24.50%")])
def test_percent_places_from_report_yaml(places: int, growth: str) -> None:
    # 196 / 800 = 24.5 % exactly: half-up gives 25 at 0 places (banker's rounding would give 24).
    report = totals_variant("996", "800", places=places)
    assert paragraph(report, P1) == (
        f"2024年度收、支总计各996.00万元。与2023年度相比，收、支总计各增加196.00万元，增长{growth}。主要变动原因是{REASON}。"
    )
    texts = paragraphs(report)
    income = next(t for t in texts if t.startswith("2024年度本年收入合计"))
    t01 = example().tables.t01
    assert (
        f"一般公共预算财政拨款收入702.36万元，占{pct(t01.income_value('general'), t01.income_value('total_income'), places)}"
        in income
    )
    # Every computed percentage of the document has the report's precision.
    computed = re.findall(
        r"(?:占|增长|下降|完成预算的|完成年初预算的|占本年支出合计的|占政府采购支出总额的)(\d+(?:\.\d+)?)%", "\n".join(texts)
    )
    assert len(computed) > 10
    for number in computed:
        decimals = len(number.partition(".")[2])
        assert decimals == places, number


def test_amounts_in_wan_yuan_always_carry_two_places() -> None:
    texts = paragraphs(totals_variant("791.35", "664.01"))
    amounts = [
        mt
        for t in texts
        for mt in re.finditer(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)万元", t)
        if not mt.string[: mt.start()].endswith("单价")
    ]
    assert len(amounts) > 30
    for mt in amounts:
        assert re.fullmatch(r"\d+\.\d\d", mt.group(1)), mt.string


def test_amounts_in_yuan_carry_separators_and_two_places() -> None:
    current, prior = D("11122315.04"), D("9876543.21")
    delta = current - prior
    report = totals_variant(str(current), str(prior), unit="元")
    assert paragraph(report, P1) == (
        f"2024年度收、支总计各11,122,315.04元。与2023年度相比，收、支总计各增加{money(delta, '元')}，"
        f"增长{pct(delta, prior)}。主要变动原因是{REASON}。"
    )
    assert money(delta, "元") == "1,245,771.83元"  # the helper itself, checked by hand
    texts = paragraphs(report)
    for text in texts:
        for mt in re.finditer(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)(万?)元", text):
            if mt.group(2):  # only the fixed wording “单价50万元以上” may name 万元
                assert text[: mt.start()].endswith("单价"), text
            else:
                assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", mt.group(1)), text
    table = next(t for t in assemble(report).document.islands("table") if t.key == "t01")
    assert "11,122,315.04" in [cell.text for row in table.body for cell in row]
    assert table.unit == "金额单位：元"


# ---------------------------------------------------------------------------- P4 一般公共预算 总体


P4 = "2024年度一般公共预算财政拨款支出"
EXPENDITURE = D("738.89")  # 01表 本年支出合计 of the example, the base of 占本年支出合计的 %


def test_the_expenditure_base_is_the_example_total() -> None:
    assert example().tables.t01.spending_value("total_spending") == EXPENDITURE


def general_variant(
    current: str | None, prior: str | None, budget: str | None = "708.62", reason: str = REASON, profile: str = "财政部"
) -> m.Report:
    report = example()
    report = replace(report, manifest=replace(report.manifest, profile=profile))
    t05 = report.tables.t05
    if current is None:  # no 一般公共预算 spending at all: table 05 is empty
        t05 = m.ClassTable(loc=t05.loc, number="05")
    else:
        total = replace(t05.total, values={**t05.total.values, "total": D(current)}, budget=None if budget is None else D(budget))
        t05 = replace(t05, total=total)
    report = replace(report, tables=replace(report.tables, t05=t05))
    return notes(report, general=change(report, None if prior is None else D(prior), reason))


def general_sentence(report: m.Report) -> str:
    found = [
        t
        for t in paragraphs(report)
        if t.startswith(P4) and "占本年支出合计" in t or t.startswith("本部门2024年度无一般公共预算")
    ]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("reason", TYPED_REASONS)
def test_general_increase(reason: str) -> None:
    current, prior, budget = D("713.89"), D("650.00"), D("708.62")
    delta = current - prior
    assert general_sentence(general_variant("713.89", "650.00", reason=reason)) == (
        f"{P4}{money(current)}，占本年支出合计的{pct(current, EXPENDITURE)}。与2023年度相比，一般公共预算财政拨款支出"
        f"增加{money(delta)}，增长{pct(delta, prior)}。主要变动原因是{REASON}。"
        f"年初预算为{money(budget)}，完成年初预算的{pct(current, budget)}。"
    )


def test_general_decrease() -> None:
    current, prior, budget = D("713.89"), D("720.00"), D("708.62")
    delta = prior - current
    assert general_sentence(general_variant("713.89", "720.00")) == (
        f"{P4}{money(current)}，占本年支出合计的{pct(current, EXPENDITURE)}。与2023年度相比，一般公共预算财政拨款支出"
        f"减少{money(delta)}，下降{pct(delta, prior)}。主要变动原因是{REASON}。"
        f"年初预算为{money(budget)}，完成年初预算的{pct(current, budget)}。"
    )


@pytest.mark.parametrize("prior", ["713.89", "713.886"])
def test_general_level(prior: str) -> None:
    assert general_sentence(general_variant("713.89", prior)) == (
        f"{P4}713.89万元，占本年支出合计的{pct('713.89', EXPENDITURE)}。一般公共预算财政拨款支出与2023年度持平。"
        f"年初预算为708.62万元，完成年初预算的{pct('713.89', '708.62')}。"
    )


def test_general_prior_zero_is_not_comparable() -> None:
    text = general_sentence(general_variant("713.89", "0"))
    assert text == (
        f"{P4}713.89万元，占本年支出合计的{pct('713.89', EXPENDITURE)}。2023年度一般公共预算财政拨款支出为0，"
        f"本年度增加713.89万元，增长率不可比。主要变动原因是{REASON}。年初预算为708.62万元，完成年初预算的{pct('713.89', '708.62')}。"
    )


def test_general_budget_zero_completion_is_not_comparable() -> None:
    text = general_sentence(general_variant("713.89", None, budget="0"))
    assert text == (
        f"{P4}713.89万元，占本年支出合计的{pct('713.89', EXPENDITURE)}。"
        "年初预算为0.00万元，年初预算数为0，完成年初预算的比例不可比。"
    )
    assert "100.00%" not in text and "0.00%" not in text


@pytest.mark.parametrize("profile", ["财政部", "四川"])
def test_general_none_this_year_after_spending_last_year_gives_the_reason(profile: str) -> None:
    assert general_sentence(general_variant(None, "650.00", profile=profile)) == (
        "本部门2024年度无一般公共预算财政拨款支出。与2023年度相比，一般公共预算财政拨款支出"
        f"减少{money('650.00')}，下降{pct('650.00', '650.00')}。主要变动原因是{REASON}。"
    )


@pytest.mark.parametrize("profile", ["财政部", "四川"])
def test_general_none_in_both_years(profile: str) -> None:
    assert general_sentence(general_variant(None, "0", profile=profile)) == (
        "本部门2024年度无一般公共预算财政拨款支出。一般公共预算财政拨款支出与2023年度均为0，无变化。"
    )


# ---------------------------------------------------------------------------- P4 具体: 决算 vs 年初预算


ITEM = "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）："  # code 2101101 of the example


def item_variant(actual: str, budget: str, reason: str = "", profile: str = "财政部") -> m.Report:
    report = example()
    t05 = report.tables.t05
    rows = tuple(
        replace(r, values={**r.values, "total": D(actual)}, budget=D(budget), reason=reason) if r.code == "2101101" else r
        for r in t05.rows
    )
    report = replace(report, tables=replace(report.tables, t05=replace(t05, rows=rows)))
    # The class-level lines (四川 up to about 2020) are the wording choice 一般公共预算具体情况: 按类.
    wording = m.Wording(loc=report.manifest.loc, detail="按类") if profile == "四川" else None
    return replace(report, manifest=replace(report.manifest, profile=profile, wording=wording))


def item_sentence(report: m.Report) -> str:
    found = [t for t in paragraphs(report) if re.match(rf"\d+\.{ITEM}", t)]
    assert len(found) == 1
    return found[0].split(".", 1)[1]


@pytest.mark.parametrize("reason", TYPED_REASONS)
def test_item_above_budget(reason: str) -> None:
    assert item_sentence(item_variant("5.36", "5.20", reason)) == (
        f"{ITEM}年初预算为5.20万元，支出决算为5.36万元，完成年初预算的{pct('5.36', '5.20')}。"
        f"决算数大于年初预算数，主要原因是{REASON}。"
    )


def test_item_below_budget() -> None:
    assert item_sentence(item_variant("5.00", "5.20", "缴费基数下调")) == (
        f"{ITEM}年初预算为5.20万元，支出决算为5.00万元，完成年初预算的{pct('5.00', '5.20')}。"
        "决算数小于年初预算数，主要原因是缴费基数下调。"
    )


def test_item_above_budget_without_reason_ends_cleanly() -> None:
    assert item_sentence(item_variant("5.36", "5.20")) == (
        f"{ITEM}年初预算为5.20万元，支出决算为5.36万元，完成年初预算的{pct('5.36', '5.20')}。决算数大于年初预算数。"
    )


@pytest.mark.parametrize("actual", ["5.20", "5.204"])
def test_item_equal_to_budget(actual: str) -> None:
    # 5.204 − 5.20 prints as 0.00: 等于, although the rate from unrounded figures is 100.08%.
    assert item_sentence(item_variant(actual, "5.20")) == (
        f"{ITEM}年初预算为5.20万元，支出决算为5.20万元，完成年初预算的{pct(actual, '5.20')}。决算数等于年初预算数。"
    )


def test_item_budget_zero_is_not_comparable_but_still_says_larger() -> None:
    text = item_sentence(item_variant("5.36", "0", "年中新增缴费项目"))
    assert text == (
        f"{ITEM}年初预算为0.00万元，支出决算为5.36万元，年初预算数为0，完成年初预算的比例不可比。"
        "决算数大于年初预算数，主要原因是年中新增缴费项目。"
    )
    assert "%" not in text


def test_item_budget_and_actual_zero() -> None:
    assert item_sentence(item_variant("0", "0")) == f"{ITEM}年初预算为0.00万元，支出决算为0.00万元，年初预算数为0，未发生支出。"


def test_sichuan_class_lines_use_relation_words_and_item_reasons() -> None:
    report = item_variant("5.00", "5.20", "缴费基数下调。", profile="四川")
    rows = {r.code: r for r in report.tables.t05.rows}
    texts = paragraphs(report)

    def line(name: str) -> str:
        found = [t for t in texts if re.match(rf"\d+\.{name}：", t)]
        assert len(found) == 1
        return found[0].split(".", 1)[1]

    # 208: its three items' budgets sum to the class budget; two items above budget give the reason.
    leaves = [rows[c] for c in ("2080501", "2080505", "2080506")]
    budget = sum((r.budget for r in leaves), D(0))
    actual = rows["208"].value("total")
    assert line("社会保障和就业支出") == (
        f"社会保障和就业支出：支出决算数为{money(actual)}，支出预算数为{money(budget)}，完成预算的{pct(actual, budget)}，"
        f"决算数大于预算数的主要原因是{rows['2080505'].reason.rstrip('。')}；{rows['2080506'].reason.rstrip('。')}。"
    )
    # 221: every item on budget except one above it.
    leaves = [rows[c] for c in ("2210201", "2210203")]
    budget = sum((r.budget for r in leaves), D(0))
    actual = rows["221"].value("total")
    assert line("住房保障支出") == (
        f"住房保障支出：支出决算数为{money(actual)}，支出预算数为{money(budget)}，完成预算的{pct(actual, budget)}，"
        f"决算数大于预算数的主要原因是{rows['2210201'].reason.rstrip('。')}。"
    )


# ---------------------------------------------------------------------------- P6 三公 总体


def costs(loc, total: str = "0", **items: str) -> m.ThreeCosts:
    return m.ThreeCosts(loc=loc, total=D(total), **{k: D(v) for k, v in items.items()})


def three_variant(
    actual: m.ThreeCosts,
    budget: m.ThreeCosts,
    prior: m.ThreeCosts | None,
    budget_reason: str = "压减公务用车运行支出",
    prior_reason: str = "公务接待批次减少",
    **item_notes,
) -> m.Report:
    report = example()
    t07 = replace(report.tables.t07, actual=actual, budget=budget)
    report = replace(report, tables=replace(report.tables, t07=t07))
    n3 = report.notes.three_costs
    n3 = replace(
        n3,
        prior=prior,
        budget_reason=budget_reason,
        prior_reason=prior_reason,
        **{k: replace(getattr(n3, k), **v) for k, v in item_notes.items()},
    )
    return notes(report, three_costs=n3)


P6 = "2024年度“三公”经费财政拨款支出决算为"


def total_sentence(actual: str, budget: str, prior: str | None, **kw) -> str:
    loc = example().tables.loc
    report = three_variant(
        costs(loc, actual, reception=actual),
        costs(loc, budget, reception=budget),
        None if prior is None else costs(loc, prior, reception=prior),
        **kw,
    )
    found = [t for t in paragraphs(report) if t.startswith(P6) or t.startswith("2024年度本部门“三公”经费财政拨款支出决算为")]
    assert len(found) == 1
    return found[0]


def test_three_costs_below_budget_and_down_on_last_year() -> None:
    a, b, p = D("2.48"), D("3.00"), D("3.10")
    assert total_sentence("2.48", "3.00", "3.10") == (
        f"{P6}{money(a)}，完成预算的{pct(a, b)}，较上年减少{money(p - a)}，下降{pct(p - a, p)}。"
        "决算数小于预算数的主要原因是压减公务用车运行支出；较上年减少的主要原因是公务接待批次减少。"
    )


def test_three_costs_above_budget_and_up_on_last_year() -> None:
    a, b, p = D("2.48"), D("2.00"), D("2.00")
    assert total_sentence("2.48", "2.00", "2.00", budget_reason="新增执法检查任务。", prior_reason="检查任务增加；") == (
        f"{P6}{money(a)}，完成预算的{pct(a, b)}，较上年增加{money(a - p)}，增长{pct(a - p, p)}。"
        "决算数大于预算数的主要原因是新增执法检查任务；较上年增加的主要原因是检查任务增加。"
    )


def test_three_costs_equal_to_budget_and_last_year_need_no_reason() -> None:
    assert total_sentence("2.48", "2.48", "2.48") == f"{P6}2.48万元，完成预算的100.00%，与上年持平。"


def test_three_costs_change_printing_as_zero_is_level() -> None:
    assert total_sentence("2.484", "3.00", "2.48") == (
        f"{P6}2.48万元，完成预算的{pct('2.484', '3.00')}，与上年持平。决算数小于预算数的主要原因是压减公务用车运行支出。"
    )


def test_three_costs_budget_zero_is_not_comparable() -> None:
    text = total_sentence("2.48", "0", "2.48")
    assert (
        text == f"{P6}2.48万元，预算数为0，完成预算的比例不可比，与上年持平。决算数大于预算数的主要原因是压减公务用车运行支出。"
    )
    assert "%" not in text


def test_three_costs_prior_zero_is_not_comparable() -> None:
    a, b = D("2.48"), D("3.00")
    text = total_sentence("2.48", "3.00", "0")
    assert text == (
        f"{P6}{money(a)}，完成预算的{pct(a, b)}，上年为0，较上年增加{money(a)}，增长率不可比。"
        "决算数小于预算数的主要原因是压减公务用车运行支出；较上年增加的主要原因是公务接待批次减少。"
    )
    assert "增长0" not in text and "100.00%" not in text


def test_three_costs_all_zero_say_none_occurred() -> None:
    assert total_sentence("0", "0", "0", budget_reason="本部门未安排“三公”经费预算。") == (
        "2024年度本部门“三公”经费财政拨款支出决算为0，预算数也为0，与上年持平（均为0）。主要原因是本部门未安排“三公”经费预算。"
    )


def test_three_costs_without_budget_reason_leaves_no_empty_clause() -> None:
    a, b, p = D("2.48"), D("3.00"), D("3.10")
    assert total_sentence("2.48", "3.00", "3.10", budget_reason="") == (
        f"{P6}{money(a)}，完成预算的{pct(a, b)}，较上年减少{money(p - a)}，下降{pct(p - a, p)}。"
        "决算数小于预算数；较上年减少的主要原因是公务接待批次减少。"
    )


# ---------------------------------------------------------------------------- P7 三公 items


ITEM_REASON = "严格执行公务活动审批"

# key, numbered start, what the paragraph says between the figures and the reason (from the notes set below)
THREE_ITEMS = {
    "abroad": ("1.因公出国（境）费支出", lambda a: "全年安排因公出国（境）团组2个，累计6人次。"),
    "vehicles": (
        "2.公务用车购置及运行维护费支出",
        lambda a: (
            f"其中：公务用车购置支出0.00万元，全年未购置公务用车；公务用车运行维护费支出{money(a)}。"
            "截至2024年12月31日，本部门共有公务用车1辆。"
        ),
    ),
    "reception": ("3.公务接待费支出", lambda a: f"国内公务接待6批次，42人次（不包括陪同人员），共计支出{money(a)}。无外事接待。"),
}


def item_costs(key: str, value: str) -> m.ThreeCosts:
    loc = example().tables.loc
    extra = {"running": value} if key == "vehicles" else {}
    return costs(loc, value, **{key: value}, **extra)


def three_item_sentence(key: str, actual: str, budget: str, prior: str | None, reason: str = ITEM_REASON) -> str:
    start, _ = THREE_ITEMS[key]
    report = three_variant(
        item_costs(key, actual),
        item_costs(key, budget),
        None if prior is None else item_costs(key, prior),
        abroad={"groups": 2, "people": 6, "usage": "", "reason": reason if key == "abroad" else ""},
        vehicles={"bought": 0, "fleet": 1, "running_usage": "", "reason": reason if key == "vehicles" else ""},
        reception={
            "batches": 6,
            "people": 42,
            "foreign_batches": 0,
            "foreign_amount": D(0),
            "usage": "",
            "reason": reason if key == "reception" else "",
        },
    )
    found = [t for t in paragraphs(report) if t.startswith(start)]
    assert len(found) == 1
    return found[0]


def d(value: str) -> Decimal:
    return D(value)


# (actual, budget, prior) → (against budget, against last year, reason sentence), all computed from the inputs
ITEM_CASES = {
    "up": (
        "3.00",
        "2.00",
        "2.50",
        lambda a, b, p: (
            f"完成预算的{pct(a, b)}",
            f"较上年增加{money(d(a) - d(p))}，增长{pct(d(a) - d(p), p)}",
            f"较上年增加的主要原因是{ITEM_REASON}。",
        ),
    ),
    "down": (
        "1.20",
        "2.00",
        "1.60",
        lambda a, b, p: (
            f"完成预算的{pct(a, b)}",
            f"较上年减少{money(d(p) - d(a))}，下降{pct(d(p) - d(a), p)}",
            f"较上年减少的主要原因是{ITEM_REASON}。",
        ),
    ),
    "level-below-budget": (
        "1.20",
        "2.00",
        "1.20",
        lambda a, b, p: (f"完成预算的{pct(a, b)}", "与上年持平", f"决算数小于预算数的主要原因是{ITEM_REASON}。"),
    ),
    "level-above-budget": (
        "1.20",
        "1.00",
        "1.20",
        lambda a, b, p: (f"完成预算的{pct(a, b)}", "与上年持平", f"决算数大于预算数的主要原因是{ITEM_REASON}。"),
    ),
    "plus-0.004": (
        "1.204",
        "2.00",
        "1.20",
        lambda a, b, p: (f"完成预算的{pct(a, b)}", "与上年持平", f"决算数小于预算数的主要原因是{ITEM_REASON}。"),
    ),
    "all-equal": ("1.20", "1.20", "1.20", lambda a, b, p: ("完成预算的100.00%", "与上年持平", f"{ITEM_REASON}。")),
    "prior-zero": (
        "1.20",
        "2.00",
        "0",
        lambda a, b, p: (
            f"完成预算的{pct(a, b)}",
            f"上年为0，较上年增加{money(a)}，增长率不可比",
            f"较上年增加的主要原因是{ITEM_REASON}。",
        ),
    ),
    "budget-zero": (
        "1.20",
        "0",
        "1.20",
        lambda a, b, p: ("预算数为0，完成预算的比例不可比", "与上年持平", f"决算数大于预算数的主要原因是{ITEM_REASON}。"),
    ),
    "all-zero": ("0", "0", "0", lambda a, b, p: ("预算数为0，未发生支出", "与上年持平（均为0）", f"{ITEM_REASON}。")),
}


@pytest.mark.parametrize("case", ITEM_CASES)
@pytest.mark.parametrize("key", THREE_ITEMS)
def test_three_costs_items(key: str, case: str) -> None:
    actual, budget, prior, expect = ITEM_CASES[case]
    vs_budget, vs_prior, reason = expect(actual, budget, prior)
    start, middle = THREE_ITEMS[key]
    text = three_item_sentence(key, actual, budget, prior)
    assert text == f"{start}{money(actual)}，{vs_budget}，{vs_prior}。{middle(actual)}{reason}"
    if case in ("prior-zero", "budget-zero"):
        assert not re.search(r"(增长|完成预算的)(0|100)(\.0+)?%", text)


@pytest.mark.parametrize("key", THREE_ITEMS)
@pytest.mark.parametrize("reason", TYPED_REASONS)
def test_three_costs_item_reason_punctuation(key: str, reason: str) -> None:
    text = three_item_sentence(key, "3.00", "2.00", "2.50", reason=reason)
    assert text.endswith(f"较上年增加的主要原因是{REASON}。")


def test_three_costs_item_without_prior_year_explains_the_budget_difference() -> None:
    text = three_item_sentence("reception", "0.38", "0.50", None)
    assert text == (
        f"3.公务接待费支出0.38万元，完成预算的{pct('0.38', '0.50')}。国内公务接待6批次，42人次（不包括陪同人员），"
        f"共计支出0.38万元。无外事接待。决算数小于预算数的主要原因是{ITEM_REASON}。"
    )


# ---------------------------------------------------------------------------- P9 机关运行经费


P9 = "2024年度本部门机关运行经费支出"


def running_sentence(amount: str, prior: str | None, reason: str = REASON) -> str:
    report = example()
    running = m.RunningCosts(loc=report.notes.loc, amount=D(amount), prior=None if prior is None else D(prior), reason=reason)
    return paragraph(notes(report, running_costs=running), P9)


@pytest.mark.parametrize("reason", TYPED_REASONS)
def test_running_costs_increase(reason: str) -> None:
    a, p = D("24.36"), D("22.95")
    assert running_sentence("24.36", "22.95", reason) == (
        f"{P9}{money(a)}，较上年增加{money(a - p)}，增长{pct(a - p, p)}。主要原因是{REASON}。"
    )


def test_running_costs_decrease_seed_004() -> None:
    # Domain spec §4.2 P9, seed 004: 22.13 against 22.95 → 减少0.82, 下降3.57%.
    a, p = D("22.13"), D("22.95")
    assert running_sentence("22.13", "22.95") == f"{P9}22.13万元，较上年减少0.82万元，下降3.57%。主要原因是{REASON}。"
    assert (money(p - a), pct(p - a, p)) == ("0.82万元", "3.57%")


@pytest.mark.parametrize("prior", ["24.36", "24.364", "24.356"])
def test_running_costs_level(prior: str) -> None:
    assert running_sentence("24.36", prior) == f"{P9}24.36万元，与上年持平。"


def test_running_costs_prior_zero_is_not_comparable() -> None:
    text = running_sentence("24.36", "0")
    assert text == f"{P9}24.36万元，上年为0，较上年增加24.36万元，增长率不可比。主要原因是{REASON}。"
    assert "%" not in text


def test_running_costs_both_zero() -> None:
    assert running_sentence("0", "0") == f"{P9}0.00万元，与上年持平（均为0）。"


def test_running_costs_printing_as_zero_over_zero_is_level() -> None:
    assert running_sentence("0.004", "0") == f"{P9}0.00万元，与上年持平。"


def test_running_costs_without_prior_states_the_amount_only() -> None:
    assert running_sentence("24.36", None) == f"{P9}24.36万元。"


# ---------------------------------------------------------------------------- the checks themselves


def test_wording_checks_catch_what_they_are_meant_to() -> None:
    for bad in ("较上年增加-3.20万元。", "增长-5.00%。", "主要原因是R。。", "主要原因是R。；", "主要原因是。", "下降－1%"):
        with pytest.raises(AssertionError):
            check_wording([bad])
    check_wording(["较上年减少3.20万元，下降5.00%。主要原因是R。"])


@pytest.mark.parametrize("reason", ["一是人员增加；二是项目增加。", "1.人员增加；2.项目增加", "（1）人员增加；（2）项目增加"])
def test_an_enumerated_reason_follows_a_colon(reason: str) -> None:
    text = paragraph(totals_variant("791.35", "664.01", reason), P1)
    assert f"主要变动原因是：{reason.rstrip('。')}。" in text


def test_the_chongqing_form_explanation_is_one_sentence() -> None:
    from disclosure.document.table import Table
    from disclosure.pipeline import render as build_document

    document = build_document(read_report(CONTENT / "linjiang-nongyeju" / "2024")).document
    forms = [b.value for b in document.blocks if isinstance(getattr(b, "value", None), Table) and b.value.form]
    chongqing = [t for t in forms if t.rows[-1][0].text.startswith("未完成绩效目标")]
    assert chongqing, "the example has a Chongqing-layout table"
    explanation = chongqing[0].rows[-1][-1].text
    assert explanation.endswith("。") and "。；" not in explanation and "。。" not in explanation
