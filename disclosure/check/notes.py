"""The rules of the notes (情况说明): prior-year figures, reasons, 三公 statistics, procurement, assets."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .. import model as m
from ..amounts import ZERO
from ..catalog import BOOKS
from ..compute import Derived, Figures, in_unit
from ..errors import Finding, Location, error, warning
from .rules import equal_rule, money, sum_rule
from .tables import _line_loc

# ---------------------------------------------------------------------------- notes and narrative inputs

STATEMENT = "三公经费"  # the kind of a separate 三公经费 statement (report.yaml 类型)


def notes(derived: Derived) -> Iterator[Finding]:
    """The rules of notes.yaml against the tables and last year's report."""
    report, f = derived.report, derived.figures
    n = report.notes
    assert n is not None and report.tables is not None and f is not None
    yield from _priors(report, f, derived.prior)
    yield from _reasons(report, f)
    three = n.three_costs
    actual = f.three
    if three is not None:
        pairs = (
            (actual.abroad, three.abroad.groups if three.abroad else 0, "因公出国（境）费", "团组数", three.abroad),
            (actual.purchase, three.vehicles.bought if three.vehicles else 0, "公务用车购置费", "购置数", three.vehicles),
            (actual.reception, three.reception.batches if three.reception else 0, "公务接待费", "国内批次", three.reception),
        )
        for amount, count, name, count_name, record in pairs:
            if record is None:
                continue
            if amount > 0 and count == 0:
                yield warning(record.loc, f"{name}决算 {money(amount)} 不为零，但{count_name}为 0", "P7")
            if amount == 0 and count > 0:
                yield warning(record.loc, f"{count_name}为 {count}，但{name}决算为 0", "P7")
        if three.vehicles and actual.running > 0 and three.vehicles.fleet == 0:
            yield warning(three.vehicles.at("fleet", "保有量"), "有公务用车运行费，但公务用车保有量为 0", "P7")
        rc = three.reception
        if rc and rc.foreign_amount is not None and rc.foreign_amount > actual.reception:
            yield error(rc.at("foreign_amount", "外事金额"), "外事接待支出不能大于公务接待费决算数", "P7")
        if rc and rc.foreign_amount is None and rc.foreign_batches:
            yield warning(
                rc.at("foreign_batches", "外事批次"),
                f"有外事接待 {rc.foreign_batches} 批次，但没有填写“外事金额”：文中不写外事接待和国内接待的支出金额，请填写外事金额",
                "P7",
            )
        if three.vehicles and n.assets and three.vehicles.fleet > n.assets.vehicle_total:
            yield warning(
                three.vehicles.at("fleet", "保有量"),
                f"公务用车保有量 {three.vehicles.fleet} 辆多于国有资产中的车辆合计 {n.assets.vehicle_total} 辆",
                "P11",
            )
    p = n.procurement
    if p is not None:
        yield from sum_rule(
            p.total, (p.goods, p.works, p.services), p.at("total", "合计"), "政府采购合计应等于货物、工程、服务支出之和", "P10"
        )
        if p.sme is not None and p.sme > p.total:
            yield error(
                p.at("sme", "授予中小企业"),
                f"授予中小企业合同金额 {money(p.sme)} 不能大于政府采购支出总额 {money(p.total)}",
                "P10",
            )
        if p.small is not None and p.small > (p.sme if p.sme is not None else p.total):
            yield error(
                p.at("small", "授予小微企业"),
                f"授予小微企业合同金额 {money(p.small)} 不能大于授予中小企业合同金额 {money(p.sme or ZERO)}",
                "P10",
            )
        if p.total and p.sme is None:
            yield warning(
                p.loc.at("政府采购.授予中小企业"),
                "没有填写“授予中小企业”，文中不写授予中小企业的合同金额和比例：请填写（没有时填 0）",
                "P10",
            )
    a = n.assets
    for attr, name in (("general_equipment", "单价50万元以上通用设备"), ("special_equipment", "单价100万元以上专用设备")):
        if a is not None and getattr(a, attr) is None:
            yield warning(
                a.loc.at(f"国有资产.{name}"), f"没有填写“{name}”，文中不写这一项：请填写台（套）数（没有时填 0）", "P11"
            )
    if a is not None and a.vehicles:
        counted = sum(e.value for e in a.vehicles)
        if counted != a.vehicle_total:
            yield error(a.at("vehicle_total", "车辆合计"), f"车辆合计 {a.vehicle_total} 辆与各类车辆之和 {counted} 辆不符", "P11")
    if report.manifest.kind != STATEMENT:  # a 三公 statement may leave 机关运行经费 out: then it says nothing of it
        yield from _running_costs(report)


def _priors(report: m.Report, f: Figures, published: Figures | None) -> Iterator[Finding]:
    n = report.notes
    assert n is not None
    statement = report.manifest.kind == STATEMENT
    needed = (
        ("totals", "收支总计", f.totals),
        ("fiscal", "财政拨款收支总计", f.fiscal),
        ("general", "一般公共预算财政拨款支出", f.general),
    )
    folder = f"或提供上年文件夹（{report.manifest.year - 1}）"
    for attr, name, compare in needed if not statement else ():
        if compare is None:
            where, how = _where_to_add(n, getattr(n, attr), name, "上年数", "金额")
            yield error(where, f"缺少{name}的上年数：{how}，{folder}", "PRIOR")
    if f.three_prior is None and n.three_costs is not None:
        if statement:  # the statement's 上年决算 is a key of its own file
            where, how = Location(n.loc.file, path="上年决算"), "请在 three_costs.yaml 中加一行“上年决算: {合计: 金额, …}”"
        else:
            where, how = _where_to_add(n, n.three_costs, "三公经费", "上年决算", "{合计: 金额, …}")
        yield error(where, f"缺少“三公”经费的上年决算数：{how}，{folder}", "PRIOR")
    if n.running_costs is not None and f.running_costs is None:
        where, how = _where_to_add(n, n.running_costs, "机关运行经费", "上年数", "金额")
        yield error(where, f"缺少机关运行经费的上年数：{how}，{folder}", "PRIOR")
    prior = report.prior
    if prior is None or prior.tables is None or published is None or statement:
        return
    checks = (
        (n.totals, "收支总计", published.grand_total),
        (n.fiscal, "财政拨款收支总计", published.fiscal_total),
        (n.general, "一般公共预算财政拨款支出", published.general_total),
    )
    for stated, name, value in checks:
        quoted = in_unit(value, prior, report)  # last year's figure in this year's money unit
        if stated is not None and stated.prior is not None and quoted is not None and stated.prior != quoted:
            yield warning(
                stated.at("prior", "上年数"),
                f"{name}上年数 {money(stated.prior)} 与上年报告公开的 {money(quoted)} 不一致；如属口径调整，请在原因中说明",
                "PRIOR",
            )
    t, pt = report.tables, prior.tables

    def last_year(value: Decimal) -> Decimal:
        return in_unit(value, prior, report)  # type: ignore[return-value]

    if t and t.t01 and pt.t01:
        yield from equal_rule(
            t.t01.income_value("opening"),
            last_year(pt.t01.spending_value("closing")),
            _line_loc(t.t01, "income", "opening", "收入.年初结转和结余"),
            "年初结转和结余应等于上年报告的年末结转和结余",
            "PRIOR",
        )
    if t and t.t04 and pt.t04:
        opening = t.t04.income.get("opening")
        for key, label in (("total", "合计"), *BOOKS):
            yield from equal_rule(
                opening.value(key) if opening else ZERO,
                last_year(pt.t04.spending_value("closing", key)),
                opening.at(key, label) if opening else _line_loc(t.t04, "income", "opening", "收入.年初财政拨款结转和结余"),
                f"04表年初财政拨款结转和结余（{label}）应等于上年报告的年末数",
                "PRIOR",
            )
    if t and pt.t08 and pt.t08.total is not None:
        opening08 = t.t08.total.value("opening") if t.t08 and t.t08.total else ZERO
        where = t.t08.total.at("opening", "年初结转和结余") if t.t08 and t.t08.total else t.loc.at("公开08表")
        yield from equal_rule(
            opening08,
            last_year(pt.t08.total.value("closing")),
            where,
            "08表年初结转和结余应等于上年报告的年末结转和结余",
            "PRIOR",
        )


def _where_to_add(notes: m.Notes, record: m.Located | None, key: str, sub: str, value: str) -> tuple[Location, str]:
    """Where a missing prior-year value goes, and the line to write there.

    Inside the record when it is there (its first line, the new key goes beside it); at the file
    when the record itself is missing, since there is no line yet to point at.
    """
    if record is not None:
        return record.loc.at(f"{key}.{sub}"), f"请在“{key}”下加一行“{sub}: {value}”"
    return Location(notes.loc.file, path=key), f"请在 notes.yaml 中加上“{key}:”，其下写“  {sub}: {value}”"


def _reasons(report: m.Report, f: Figures) -> Iterator[Finding]:
    n = report.notes
    assert n is not None
    for attr, name, compare in (
        ("totals", "收支总计", f.totals),
        ("fiscal", "财政拨款收支总计", f.fiscal),
        ("general", "一般公共预算财政拨款支出", f.general),
    ):
        record = getattr(n, attr)
        if compare is not None and compare.sign != 0 and not (record and record.reason):
            yield warning(n.at(attr, name), f"{name}较上年有增减变化，请在“{name}.原因”中说明主要原因", "REASON")
    three = n.three_costs
    if three is not None:
        if f.three.total != f.three_budget.total and not three.budget_reason:
            yield error(
                three.at("budget_reason", "预算差异原因"),
                "“三公”经费决算数与预算数不同，必须说明主要原因（预算差异原因）",
                "REASON",
            )
        prior = f.three_prior
        if prior is not None and prior.total != f.three.total and not three.prior_reason:
            yield error(
                three.at("prior_reason", "上年变动原因"), "“三公”经费较上年有增减变化，必须说明主要原因（上年变动原因）", "REASON"
            )
    if n.running_costs is not None and f.running_costs is not None and f.running_costs.sign != 0 and not n.running_costs.reason:
        yield warning(n.running_costs.at("reason", "原因"), "机关运行经费较上年有增减变化，请说明主要原因", "REASON")
    for item in f.general_items:
        if item.budget is None:
            yield warning(item.loc, f"科目 {item.code} 缺少“年初预算”，第三部分无法说明完成预算情况", "BUDGET")
        elif item.budget == 0 and item.actual != 0:
            yield warning(
                item.loc,
                f"科目 {item.code} 年初预算为 0 而支出决算为 {money(item.actual)}：完成预算的比例不可比，"
                "文中将写“不可比”而不是百分比，请在“原因”中说明无预算而发生支出的原因",
                "ZERO-BASE",
            )
        elif item.budget != item.actual and not item.reason:
            yield warning(item.loc, f"科目 {item.code} 决算数与年初预算数不同，请填写“原因”", "REASON")


def _all_institutions(units: tuple[m.Unit, ...]) -> bool:
    return bool(units) and all(u.nature == "事业单位" for u in units)


def _running_costs(report: m.Report) -> Iterator[Finding]:
    n, overview, t = report.notes, report.overview, report.tables
    assert n is not None and t is not None
    units = overview.units if overview else ()
    administrative = [u for u in units if u.nature in ("行政单位", "参照公务员法管理事业单位")]
    where = Location(n.loc.file, path="机关运行经费")
    if n.running_costs is None:
        if administrative:
            names = "、".join(u.name for u in administrative)
            if n.running_costs_stated:
                yield error(
                    n.at("running_costs", "机关运行经费"),
                    f"写了“机关运行经费: {n.running_costs_stated}”，但决算单位中有行政单位或参公事业单位（{names}）：请填写机关运行经费",
                    "P9",
                )
            else:
                yield error(
                    where,
                    f"决算单位中有行政单位或参公事业单位（{names}），必须说明机关运行经费："
                    "请在 notes.yaml 中加上“机关运行经费:”，其下写“  本年数: 金额”",
                    "P9",
                )
        elif not n.running_costs_stated and not _all_institutions(units):
            # Nobody said what the units are: the text says nothing of 机关运行经费 rather than “不涉及”.
            yield warning(
                where,
                "没有填写机关运行经费，决算单位的性质也不全是事业单位（或未填写“决算单位构成”），文中不写机关运行经费："
                "行政单位和参公事业单位请填写“机关运行经费”，不涉及时写“机关运行经费: 不涉及”",
                "P9",
            )
        return
    if administrative and len(administrative) == len(units) and t.t06 and t.t06.running_total is not None:
        if n.running_costs.amount != t.t06.running_total:
            yield warning(
                n.running_costs.at("amount", "本年数"),
                f"机关运行经费 {money(n.running_costs.amount)} 与06表公用经费合计 "
                f"{money(t.t06.running_total)} 不同；全部为行政（参公）单位时两者通常相等，请核对",
                "P9",
            )
