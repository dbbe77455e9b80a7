"""Derived figures: prior-year values (stated or from last year's folder), parts, budgets by 类."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from disclosure.compute import derive
from disclosure.compute.figures import Compare, class_path, in_unit
from disclosure.read.folder import read_report

from conftest import CONTENT

D = Decimal
YIBAOJU = CONTENT / "linjiang-yibaoju" / "2024"


def test_prior_figures_come_from_last_years_folder():
    figures = derive(read_report(YIBAOJU)).figures
    prior = derive(read_report(CONTENT / "linjiang-yibaoju" / "2023")).figures
    assert figures.totals == Compare(D("791.35"), prior.grand_total)
    assert figures.general.base == prior.general_total
    assert figures.three_prior.total == read_report(CONTENT / "linjiang-yibaoju" / "2023").tables.t07.actual.total
    assert figures.running_costs.base == read_report(CONTENT / "linjiang-yibaoju" / "2023").notes.running_costs.amount


def test_a_stated_prior_figure_wins_over_last_years_folder():
    report = read_report(YIBAOJU)
    stated = replace(report.notes.totals, prior=D("700.00"))
    figures = derive(replace(report, notes=replace(report.notes, totals=stated))).figures
    assert figures.totals.base == D("700.00")


def test_last_years_figures_are_converted_between_yuan_and_wan_yuan():
    report = read_report(YIBAOJU)
    in_yuan = replace(report.prior, manifest=replace(report.prior.manifest, unit="元"))
    assert in_unit(D("7066300.00"), in_yuan, report) == D("706.63")
    this_year_in_yuan = replace(report, manifest=replace(report.manifest, unit="元"))
    assert in_unit(D("706.63"), report.prior, this_year_in_yuan) == D("7066300.00")
    assert in_unit(D("706.63"), report.prior, report) == D("706.63")  # same unit: unchanged
    assert in_unit(None, report.prior, report) is None


def test_a_change_that_prints_as_zero_has_no_direction():
    assert Compare(D("100.004"), D("100")).sign == 0
    assert Compare(D("100.005"), D("100")).sign == 1
    assert Compare(D("99.995"), D("100")).sign == -1
    assert Compare(D("5"), D("0")).growth is None and Compare(D("5"), D("0")).ratio is None


def test_parts_and_shares_use_the_right_bases():
    figures = derive(read_report(YIBAOJU)).figures
    income = {p.name: p for p in figures.income_parts}
    assert set(income) == {"一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "其他收入"}  # zero lines dropped
    assert income["其他收入"].share == D("0.35") * 100 / D("731.21")  # of 本年收入合计, not 收入总计
    assert figures.general_share == D("713.89") * 100 / D("738.89")
    assert figures.personnel.share == D("186.50") * 100 / D("210.86")
    sme, small = figures.procurement_shares
    assert (sme, small) == (D("26.50") * 100 / D("30.00"), D("18.20") * 100 / D("30.00"))


def test_items_are_the_leaves_of_table_05_with_their_full_titles():
    figures = derive(read_report(YIBAOJU)).figures
    codes = [item.code for item in figures.general_items]
    assert codes == sorted(codes) and all(len(code) == 7 for code in codes) and len(codes) == 12
    assert class_path("2101501", figures.names) == ("卫生健康支出", "医疗保障管理事务", "行政运行")
    item = next(i for i in figures.general_items if i.code == "2101501")
    assert (item.name, item.path) == ("行政运行", ("卫生健康支出", "医疗保障管理事务", "行政运行"))


def test_class_budgets_add_up_their_items_and_carry_the_reasons_of_the_same_direction():
    figures = derive(read_report(YIBAOJU)).figures
    health = next(line for line in figures.general_class_budgets if line.code == "210")
    items = [i for i in figures.general_items if i.code.startswith("210")]
    assert health.budget == sum((i.budget for i in items), D(0))
    assert health.completion.sign == 1
    # Without a reason of its own, the class is explained by the items that moved the same way as it.
    reasons = [i.reason for i in health.explained_by]
    assert health.reason == "" and any("年中调整工资标准" in r for r in reasons)
    assert not any("预算相应调减" in r for r in reasons)  # 2101202 went the other way
    assert all(i.completion.sign == 1 for i in health.explained_by)


def test_the_derived_report_cannot_be_changed():
    import dataclasses

    derived = derive(read_report(YIBAOJU))
    with pytest.raises(dataclasses.FrozenInstanceError):
        derived.figures.grand_total = D(0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        derived.figures.names["210"] = "别的名称"  # type: ignore[index]
    with pytest.raises(TypeError):
        derived.figures.three_items["total"] = None  # type: ignore[index]
    with pytest.raises(TypeError):
        derived.scored[0].level1_weights["产出指标"] = D(0)  # type: ignore[index]


@pytest.mark.parametrize("folder", sorted(p.parent for p in CONTENT.glob("*/*/report.yaml")))
def test_every_derived_figure_the_text_prints_is_found_in_its_sentence(folder):
    from disclosure.compose import compose
    from disclosure.compute import derive as derive_all
    from disclosure.document import document
    from disclosure.pipeline import Toolkit

    composed = compose(derive_all(read_report(folder)), Toolkit().composer)
    found = document(composed).figures
    assert len(found) == len(composed.printed) > 0  # none lost between the template and the text
    for mention, (kind, value, text) in zip(found, composed.printed, strict=True):
        assert (mention.kind, mention.value, mention.text) == (kind, value, text)
        assert text in mention.sentence and mention.sentence.endswith("。") and mention.section


def test_derived_figures_say_what_they_are():
    from disclosure.compose import compose
    from disclosure.document import document
    from disclosure.pipeline import Toolkit

    derived = derive(read_report(YIBAOJU))
    found = document(compose(derived, Toolkit().composer)).figures
    first = found[0]  # 收、支总计 791.35 against 706.63: +84.72万元, then +11.99%
    assert (first.kind, first.value, first.text) == ("change", D("84.72"), "84.72万元")
    assert (found[1].kind, found[1].text) == ("growth", "11.99%") and found[1].value == D("84.72") * 100 / D("706.63")
    shares = [m for m in found if m.kind == "share" and m.section == "二、收入决算情况说明"]
    assert [m.text for m in shares] == ["96.05%", "3.90%", "0.05%"]  # 702.36, 28.50, 0.35 of 731.21
    assert {m.kind for m in found} == {"change", "growth", "share", "completion"}
