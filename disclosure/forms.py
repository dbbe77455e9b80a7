"""The self-evaluation tables (项目支出 / 部门整体支出绩效自评表) as Table objects, in two layouts.

财政部 layout (seeds 003, 004): merged 项目资金 block, 一级/二级 indicator spans, 总分 row.
重庆 layout (domain spec §6.3): a flat indicator list with 计量单位, 得分系数, 权重, 指标得分.
"""

from __future__ import annotations

from decimal import Decimal

from . import model as m
from .amounts import ZERO, format_plain
from .compose import Formats, clause_text
from .format import DEPARTMENT_SOURCES, PROJECT_SOURCES
from .scoring import IndicatorScore, Scored
from .tables import Cell, Table, label, num, th, txt

HUNDRED = Decimal(100)


def plain(value: Decimal | None) -> str:
    return "" if value is None else format_plain(value, 2)


def target_text(ind: m.Indicator) -> str:
    """年度指标值 as printed: relation, number as typed, unit (“≥5.3万人”); qualitative as typed."""
    if ind.relation == "定性" or ind.target is None:
        return ind.target_text
    sign = "" if ind.relation == "=" else ind.relation
    return f"{sign}{ind.target}{ind.unit}"


def actual_text(ind: m.Indicator) -> str:
    if ind.relation == "定性" or ind.actual is None:
        return ind.actual_text
    return f"{ind.actual}{ind.unit}"


def number_only(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _fund_rows(e: m.Evaluation) -> list[m.FundRow]:
    """The funds block rows: the total, then every standard source (zero rows included)."""
    funds = e.funds
    assert funds is not None and funds.total is not None
    given = {p.name: p for p in funds.parts}
    names = PROJECT_SOURCES if e.kind == "项目支出" else DEPARTMENT_SOURCES
    rows = [funds.total]
    for name in names:
        rows.append(given.get(name) or m.FundRow(loc=funds.loc, name=name))
    return rows


def _level_label(scored: Scored, level1: str) -> str:
    return f"{level1}（{plain(scored.level1_weight(level1))}分）"


def evaluation_table(scored: Scored, report: m.Report, fmt: Formats, key: str) -> Table:
    """Build one self-evaluation table in the layout chosen for it (or for the report)."""
    e = scored.evaluation
    layout = e.layout or report.manifest.table_layout
    build = _chongqing if layout == "重庆" else _mof
    return build(scored, report, fmt, key)


def _title(e: m.Evaluation) -> str:
    return f"{e.kind}绩效自评表"


def _mof(scored: Scored, report: m.Report, fmt: Formats, key: str) -> Table:
    e = scored.evaluation
    funds = e.funds
    assert funds is not None
    dept = e.department or report.manifest.department
    impl = e.implementer or report.manifest.department
    name_label = "项目名称" if e.kind == "项目支出" else "部门（单位）名称"
    rows: list[list[Cell]] = [
        [label(name_label), txt(e.name, colspan=8)],
        [label("主管部门"), txt(dept, colspan=3), label("实施单位"), txt(impl, colspan=4)],
    ]
    fund_rows = _fund_rows(e)
    rate = fmt.percent(scored.rate) if scored.rate is not None else "不可比"
    block = "项目资金" if e.kind == "项目支出" else f"{report.manifest.scope}资金"
    rows.append([th(f"{block}（{fmt.unit}）", rowspan=len(fund_rows) + 1, scope="row"),
                 th("", colspan=2), th("年初预算数"), th("全年预算数（A）"), th("全年执行数（B）"), th("分值"),
                 th("执行率（B/A）"), th("得分")])
    for i, row in enumerate(fund_rows):
        first = i == 0
        title = row.name if first else ("其中：" if i == 1 else "　　　") + row.name
        rows.append([
            label(title, colspan=2),
            num(fmt.amount(row.initial)), num(fmt.amount(row.budget)), num(fmt.amount(row.spent)),
            num(plain(funds.weight) if first else "—"), num(rate if first else "—"),
            num(plain(scored.execution_score) if first else "—"),
        ])
    rows.append([th("年度总体目标", rowspan=2, scope="row"), th("预期目标", colspan=4), th("实际完成情况", colspan=4)])
    rows.append([txt(e.goal, colspan=4), txt(e.achieved, colspan=4)])
    indicators = scored.indicators
    rows.append([th("绩效指标", rowspan=len(indicators) + 1, scope="row"), th("一级指标"), th("二级指标"), th("三级指标"),
                 th("年度指标值"), th("实际完成值"), th("分值"), th("得分"), th("偏差原因分析及改进措施")])
    rows += _grid(scored, indicators)
    rows.append([label("总分", colspan=6, align="center", strong=True), num(plain(scored.weight_total), True),
                 num(plain(scored.total), True), txt(f"自评等级：{scored.grade}", strong=True)])
    return Table(
        key=key, number="", title=_title(e), org=f"{report.manifest.scope}：{dept}", unit=f"（{report.manifest.year}年度）",
        widths=(6, 8, 9, 16, 10, 10, 5, 6, 30), head=(), body=tuple(tuple(r) for r in rows), form=True,
        wide=True, extra={"name": e.name},
    )


def _grid(scored: Scored, indicators: tuple[IndicatorScore, ...]) -> list[list[Cell]]:
    """Indicator rows with 一级 and 二级 cells spanning their groups."""
    rows: list[list[Cell]] = []
    for i, s in enumerate(indicators):
        ind = s.indicator
        row: list[Cell] = []
        if i == 0 or indicators[i - 1].indicator.level1 != ind.level1:
            span = _run(indicators, i, lambda x: x.level1)
            row.append(Cell(_level_label(scored, ind.level1), header=True, rowspan=span, align="center", kind="label"))
        if i == 0 or (indicators[i - 1].indicator.level1, indicators[i - 1].indicator.level2) != (ind.level1, ind.level2):
            span = _run(indicators, i, lambda x: (x.level1, x.level2))
            row.append(Cell(ind.level2, header=True, rowspan=span, align="center", kind="label"))
        row += [label(ind.name), txt(target_text(ind), align="center"), txt(actual_text(ind), align="center"),
                num(plain(ind.weight)), num(plain(s.score)), txt(ind.deviation)]
        rows.append(row)
    return rows


def _run(indicators: tuple[IndicatorScore, ...], start: int, key) -> int:
    """How many consecutive indicators from `start` share the key of the one at `start`."""
    first = key(indicators[start].indicator)
    count = 0
    for s in indicators[start:]:
        if key(s.indicator) != first:
            break
        count += 1
    return count


def _chongqing(scored: Scored, report: m.Report, fmt: Formats, key: str) -> Table:
    e = scored.evaluation
    funds = e.funds
    assert funds is not None and funds.total is not None
    dept = e.department or report.manifest.department
    impl = e.implementer or report.manifest.department
    total = funds.total
    rate = fmt.percent(scored.rate).removesuffix("%") if scored.rate is not None else "不可比"
    rows: list[list[Cell]] = [
        [label("项目名称" if e.kind == "项目支出" else "部门名称"), txt(e.name, colspan=4), label("自评总分"),
         num(plain(scored.total), True)],
        [label("主管部门"), txt(dept, colspan=2), label("实施单位"), txt(impl, colspan=3)],
        [th("预算执行情况"), th("年初预算数（万元）" if fmt.unit == "万元" else "年初预算数（元）"), th("全年预算数"),
         th("全年执行数"), th("执行率（%）"), th("执行率权重（分）"), th("执行率得分（分）")],
        [label("年度资金总额"), num(fmt.amount(total.initial)), num(fmt.amount(total.budget)), num(fmt.amount(total.spent)),
         num(rate), num(plain(funds.weight)), num(plain(scored.execution_score))],
        [th("年度总体目标", rowspan=2, scope="row"), th("年初设定目标", colspan=3), th("全年目标实际完成情况", colspan=3)],
        [txt(e.goal, colspan=3), txt(e.achieved, colspan=3)],
        [th("指标名称"), th("计量单位"), th("年度指标值"), th("全年完成值"), th("得分系数（%）"), th("权重（分）"), th("指标得分（分）")],
    ]
    for s in scored.indicators:
        ind = s.indicator
        factor = s.score * HUNDRED / ind.weight if ind.weight else ZERO
        quantitative = ind.relation != "定性"
        rows.append([
            label(ind.name),
            txt(ind.unit if quantitative else "", align="center"),
            txt((("" if ind.relation == "=" else ind.relation) + number_only(ind.target)) if quantitative else ind.target_text,
                align="center"),
            txt(number_only(ind.actual) if quantitative else ind.actual_text, align="center"),
            num(format_plain(factor, 2)), num(plain(ind.weight)), num(plain(s.score)),
        ])
    notes = [f"{s.indicator.name}：{clause_text(s.indicator.deviation)}" for s in scored.indicators if s.indicator.deviation]
    parts = [*notes, *(clause_text(t) for t in (e.problems, e.measures) if t and t != "无")]
    explanation = "；".join(parts) + "。" if parts else "无"
    rows.append([label("未完成绩效目标或偏离较多的原因、改进措施及其他说明", colspan=2), txt(explanation, colspan=5)])
    return Table(
        key=key, number="", title=_title(e), org=f"{report.manifest.scope}：{dept}", unit=f"（{report.manifest.year}年度）",
        widths=(22, 10, 14, 14, 12, 12, 12), head=(), body=tuple(tuple(r) for r in rows), form=True,
        extra={"name": e.name},
    )
