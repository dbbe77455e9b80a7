"""Every derived number of a 决算 report: shares, changes, growth and completion, exact until printed.

`compute` reads the stated tables and notes once and returns a frozen Figures of plain values.
Templates receive it and only choose words and call the printing filters; the checks compare
stated figures with it. Last year's figures come in already computed (`prior`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

from .. import model as m
from ..amounts import ZERO
from ..catalog import (
    BASIC_BLOCKS,
    BOOKS,
    EXPENDITURE_COLUMNS,
    INCOME_COLUMNS,
    INCOME_LINES,
    TABLE_NUMBERS,
    classification,
    income_total_names,
    table_title,
)
from ..errors import Location
from .compare import Compare, Part, compare, parts, share

PLACES = 2  # amounts print with two decimals: a change that prints as 0.00 is 持平


@dataclass(frozen=True)
class ItemLine:
    """A line of 一般公共预算财政拨款支出 (a 项, or a 类 in the Sichuan wording) with its budget and reason.

    `explained_by` lists, for a 类 without a reason of its own, the items under it that moved the
    same way as the class and say why (the template joins their reasons).
    """

    code: str
    name: str  # the line's own name
    path: tuple[str, ...]  # the names of its 类, 款 and 项 (for “{类}（类）{款}（款）{项}（项）”)
    actual: Decimal
    budget: Decimal | None
    completion: Compare | None
    reason: str
    loc: Location
    explained_by: tuple[ItemLine, ...] = ()


class ThreeItem(NamedTuple):
    """One 三公 item: against the budget, against last year (None without a prior figure), share of the total."""

    budget: Compare
    prior: Compare | None
    share: Decimal | None


@dataclass(frozen=True)
class Figures:
    """The derived figures of one report, in its own money unit."""

    names: Mapping[str, str]  # 功能分类 code → name (stated names first, then the bundled ones)
    table_titles: Mapping[str, str]
    line_names: Mapping[str, str]  # 01表 income-side total lines by key, named as in the report year
    # 一、收入支出决算总体
    grand_total: Decimal
    totals: Compare | None
    # 二、收入
    total_income: Decimal
    income_parts: tuple[Part, ...]
    income_lines: tuple[Part, ...]  # every income line of 01表, zero ones included
    income_lines_combined: tuple[Part, ...]  # the same with the three books as one 财政拨款收入
    income_change: Compare | None
    # 三、支出
    total_expenditure: Decimal
    expenditure_parts: tuple[Part, ...]
    expenditure_lines: tuple[Part, ...]  # every expenditure column of 03表, zero ones included
    expenditure_change: Compare | None
    # 四、财政拨款收支总体
    fiscal_total: Decimal
    fiscal: Compare | None
    fiscal_income: Decimal
    fiscal_income_parts: tuple[Part, ...]
    # 五、一般公共预算财政拨款支出
    general_total: Decimal
    general: Compare | None
    general_share: Decimal | None
    general_budget: Compare | None
    general_classes: tuple[Part, ...]
    general_items: tuple[ItemLine, ...]
    general_class_budgets: tuple[ItemLine, ...]
    # 六、基本支出
    basic: Decimal
    personnel: Part
    running: Part
    personnel_items: tuple[str, ...]
    running_items: tuple[str, ...]
    # 七、三公经费
    three: m.ThreeCosts
    three_budget: m.ThreeCosts
    three_prior: m.ThreeCosts | None
    three_items: Mapping[str, ThreeItem]
    domestic_reception: Decimal | None  # None when the notes do not tell the 外事接待 part

    # 八、九、政府性基金 / 国有资本经营
    fund_opening: Decimal
    fund_income: Decimal
    fund_spending: Decimal
    fund_closing: Decimal
    fund_change: Compare | None
    fund_parts: tuple[Part, ...]
    capital_spending: Decimal
    capital_change: Compare | None
    capital_parts: tuple[Part, ...]
    # 十、其他重要事项
    running_costs: Compare | None
    running_costs_amount: Decimal | None
    # Why there is no 机关运行经费 to report: “不涉及” stated in the notes, “事业单位” when every unit of
    # the overview is one, "" when nobody said (the text then says nothing about it).
    running_costs_absent: str
    procurement_shares: tuple[Decimal | None, Decimal | None]


def prior_value(stated: m.Change | None, derived: Decimal | None) -> Decimal | None:
    """Return the prior-year figure stated in notes.yaml, else the one from last year's folder."""
    if stated is not None and stated.prior is not None:
        return stated.prior
    return derived


def in_unit(value: Decimal | None, source: m.Report | None, target: m.Report) -> Decimal | None:
    """Convert a prior-year figure into this report's money unit (万元 ↔ 元)."""
    if value is None or source is None or source.manifest.unit == target.manifest.unit:
        return value
    return value * 10000 if target.manifest.unit == "元" else value / 10000


def class_names(report: m.Report) -> dict[str, str]:
    """Return the name of every 功能分类 code in the report: stated names first, then bundled."""
    names: dict[str, str] = {}
    codes = classification()
    year = report.manifest.year
    own = report.function_names()  # the user's 科目表.yaml, over the bundled names of the year
    tables = report.tables
    if tables is not None:
        for table in (tables.t02, tables.t03, tables.t05, tables.t08, tables.t09):
            for row in table.rows if table else ():
                if row.name:
                    names.setdefault(row.code, row.name)
                else:
                    known = own.get(row.code) or codes.function_name(row.code, year)
                    if known:
                        names.setdefault(row.code, known)
    for code, name in codes.classes_for(year):
        names.setdefault(code, own.get(code, name))
    for code, name in own.items():  # 款 and 项 names a 类 path needs though no row states them
        names.setdefault(code, name)
    return names


def class_path(code: str, names: Mapping[str, str]) -> tuple[str, ...]:
    """The names of a code's 类, 款 and 项, as far as the code goes (2101501 → 卫生健康支出, 医疗保障管理事务, 行政运行)."""
    return tuple(names.get(code[:n], code[:n]) for n in (3, 5, 7) if len(code) >= n)


def _class_total(table: m.ClassTable | None, key: str) -> Decimal:
    return table.total.value(key) if table and table.total else ZERO


def _class_parts(table: m.ClassTable | None, key: str, names: Mapping[str, str]) -> tuple[Part, ...]:
    if table is None:
        return ()
    whole = _class_total(table, key)
    rows = sorted((r for r in table.rows if r.level == 1), key=lambda r: r.code)
    return tuple(
        Part(names.get(r.code, r.code), r.value(key), share(r.value(key), whole), r.code) for r in rows if r.value(key) != 0
    )


def _item_line(row: m.ClassRow, names: Mapping[str, str]) -> ItemLine:
    budget = row.adjusted if row.adjusted is not None else row.budget
    actual = row.value("total")
    path = class_path(row.code, names)
    return ItemLine(row.code, path[-1], path, actual, budget, compare(actual, budget, PLACES), row.reason, row.loc)


def _general_items(table: m.ClassTable | None, names: Mapping[str, str]) -> tuple[ItemLine, ...]:
    """Every 项 line of table 05, or a 款/类 line that has no children (P4 具体)."""
    if table is None:
        return ()
    codes = {r.code for r in table.rows}
    leaves = [r for r in table.rows if not any(c != r.code and c.startswith(r.code) for c in codes)]
    return tuple(_item_line(r, names) for r in sorted(leaves, key=lambda r: r.code))


def _clause_key(text: str) -> str:
    return text.strip().rstrip("。；;，,.！!　 ")


def _class_budgets(table: m.ClassTable | None, leaves: tuple[ItemLine, ...], names: Mapping[str, str]) -> tuple[ItemLine, ...]:
    """Class-level lines of table 05 with their budgets (the Sichuan wording compares at 类 level).

    A class without a stated budget takes the sum of its items' budgets when every item has one;
    without its own reason it is explained by the items that moved the same way as the class.
    """
    if table is None:
        return ()
    lines = []
    for row in sorted((r for r in table.rows if r.level == 1), key=lambda r: r.code):
        line = _item_line(row, names)
        under = [leaf for leaf in leaves if leaf.code.startswith(row.code)]
        budget = line.budget
        if budget is None and under and all(leaf.budget is not None for leaf in under):
            budget = sum((leaf.budget for leaf in under if leaf.budget is not None), ZERO)
        completion = compare(line.actual, budget, PLACES)
        direction = completion.sign if completion is not None else 0
        explained: dict[str, ItemLine] = {}
        if not line.reason:
            for leaf in under:
                if leaf.reason and leaf.completion is not None and leaf.completion.sign == direction != 0:
                    explained.setdefault(_clause_key(leaf.reason), leaf)
        lines.append(
            ItemLine(
                line.code, line.name, line.path, line.actual, budget, completion, line.reason, line.loc, tuple(explained.values())
            )
        )
    return tuple(lines)


def _economic_items(rows: tuple[m.EconomicRow, ...], own: Mapping[str, str]) -> tuple[str, ...]:
    codes = classification()
    names: list[str] = []
    for row in rows:
        if row.level == 2 and row.amount != 0:
            name = row.name or own.get(row.code) or codes.economic_names.get(row.code, row.code)
            if name not in names:
                names.append(name)
    return tuple(names)


def _converted(costs: m.ThreeCosts, source: m.Report, target: m.Report) -> m.ThreeCosts:
    if source.manifest.unit == target.manifest.unit:
        return costs

    def unit(value: Decimal) -> Decimal:
        converted = in_unit(value, source, target)
        assert converted is not None
        return converted

    return m.ThreeCosts(
        costs.loc,
        total=unit(costs.total),
        abroad=unit(costs.abroad),
        vehicles=unit(costs.vehicles),
        purchase=unit(costs.purchase),
        running=unit(costs.running),
        reception=unit(costs.reception),
    )


def compute(report: m.Report, prior: Figures | None = None) -> Figures:
    """Derive every figure of a report that has tables; `prior` is last year's, computed the same way."""
    t = report.tables
    assert t is not None
    n = report.notes or m.Notes(loc=t.loc)
    names = class_names(report)

    def last_year(stated: m.Change | None, value: Decimal | None) -> Decimal | None:
        return prior_value(stated, in_unit(value, report.prior, report) if prior is not None else None)

    def vs_prior(current: Decimal, stated: m.Change | None, value: Decimal | None) -> Compare | None:
        return compare(current, last_year(stated, value), PLACES)

    # A separate 三公经费 statement has only 07表: the figures of 01 and 04表 are then those of empty
    # tables, which its template never prints (a 决算 report always has both, the reader requires them).
    t01 = t.t01 or m.SummaryTable(loc=t.loc, number="01")
    t04 = t.t04 or m.SummaryTable(loc=t.loc, number="04")
    grand_total = t01.income_value("grand_total")
    total_income = t01.income_value("total_income")
    total_expenditure = t01.spending_value("total_spending")
    t03_total = t.t03.total.values if t.t03 and t.t03.total else {}
    fiscal_total = t04.income_value("grand_total")
    fiscal_income = t04.income_value("total_income")

    general_total = _class_total(t.t05, "total")
    t05_total = t.t05.total if t.t05 else None
    general_budget = None
    if t05_total is not None and (t05_total.budget is not None or t05_total.adjusted is not None):
        base = t05_total.adjusted if t05_total.adjusted is not None else t05_total.budget
        general_budget = compare(general_total, base, PLACES)
    classes05 = sorted((r for r in t.t05.rows if r.level == 1), key=lambda r: r.code) if t.t05 else []
    items = _general_items(t.t05, names)

    b = t.t06
    personnel_total = (b.personnel_total if b else None) or ZERO
    running_total = (b.running_total if b else None) or ZERO
    basic = personnel_total + running_total

    three = t.t07.actual if t.t07 and t.t07.actual else m.ThreeCosts(loc=t.loc)
    three_budget = t.t07.budget if t.t07 and t.t07.budget else m.ThreeCosts(loc=t.loc)
    three_prior: m.ThreeCosts | None = None
    if n.three_costs is not None and n.three_costs.prior is not None:
        three_prior = n.three_costs.prior
    elif prior is not None and report.prior is not None and _has_07(report.prior):
        three_prior = _converted(prior.three, report.prior, report)
    three_items = {
        key: ThreeItem(
            Compare(getattr(three, key), getattr(three_budget, key), PLACES),
            Compare(getattr(three, key), getattr(three_prior, key), PLACES) if three_prior is not None else None,
            share(getattr(three, key), three.total),
        )
        for key in ("total", "abroad", "vehicles", "purchase", "running", "reception")
    }
    reception = n.three_costs.reception if n.three_costs else None
    foreign = reception.foreign_known if reception else None

    running_costs = None
    running_amount = n.running_costs.amount if n.running_costs else None
    if n.running_costs is not None:
        derived = prior.running_costs_amount if prior is not None else None
        base = n.running_costs.prior if n.running_costs.prior is not None else in_unit(derived, report.prior, report)
        running_costs = compare(n.running_costs.amount, base, PLACES)

    p = n.procurement
    return Figures(
        names=MappingProxyType(names),
        table_titles=MappingProxyType({number: table_title(number, report.manifest.year) for number in TABLE_NUMBERS}),
        line_names=MappingProxyType(income_total_names(report.manifest.year)),
        grand_total=grand_total,
        totals=vs_prior(grand_total, n.totals, prior.grand_total if prior else None),
        total_income=total_income,
        income_parts=parts(((name, t01.income_value(key)) for key, name in INCOME_LINES), total_income),
        income_lines=parts(((name, t01.income_value(key)) for key, name in INCOME_LINES), total_income, keep_zero=True),
        income_lines_combined=parts(_combined_income(t01), total_income, keep_zero=True),
        income_change=vs_prior(total_income, n.income, prior.total_income if prior else None),
        total_expenditure=total_expenditure,
        expenditure_parts=parts(((c.label, t03_total.get(c.key, ZERO)) for c in EXPENDITURE_COLUMNS[1:]), total_expenditure),
        expenditure_lines=parts(
            ((c.label, t03_total.get(c.key, ZERO)) for c in EXPENDITURE_COLUMNS[1:]), total_expenditure, keep_zero=True
        ),
        expenditure_change=vs_prior(total_expenditure, n.expenditure, prior.total_expenditure if prior else None),
        fiscal_total=fiscal_total,
        fiscal=vs_prior(fiscal_total, n.fiscal, prior.fiscal_total if prior else None),
        fiscal_income=fiscal_income,
        fiscal_income_parts=parts(((name, t04.income_value(key)) for key, name in BOOKS), fiscal_income),
        general_total=general_total,
        general=vs_prior(general_total, n.general, prior.general_total if prior else None),
        general_share=share(general_total, total_expenditure),
        general_budget=general_budget,
        general_classes=tuple(
            Part(names.get(r.code, r.code), r.value("total"), share(r.value("total"), general_total), r.code)
            for r in classes05
            if r.value("total") != 0
        ),
        general_items=items,
        general_class_budgets=_class_budgets(t.t05, items, names),
        basic=basic,
        personnel=Part(BASIC_BLOCKS["personnel"], personnel_total, share(personnel_total, basic), key="personnel"),
        running=Part(BASIC_BLOCKS["running"], running_total, share(running_total, basic), key="running"),
        personnel_items=_economic_items(b.personnel, report.economic_names()) if b else (),
        running_items=_economic_items(b.running, report.economic_names()) if b else (),
        three=three,
        three_budget=three_budget,
        three_prior=three_prior,
        three_items=MappingProxyType(three_items),
        domestic_reception=three.reception - foreign if foreign is not None else None,
        fund_opening=_class_total(t.t08, "opening"),
        fund_income=_class_total(t.t08, "income"),
        fund_spending=_class_total(t.t08, "spending"),
        fund_closing=_class_total(t.t08, "closing"),
        fund_change=vs_prior(_class_total(t.t08, "spending"), n.fund, prior.fund_spending if prior else None),
        fund_parts=_class_parts(t.t08, "spending", names),
        capital_spending=_class_total(t.t09, "total"),
        capital_change=vs_prior(_class_total(t.t09, "total"), n.capital, prior.capital_spending if prior else None),
        capital_parts=_class_parts(t.t09, "total", names),
        running_costs=running_costs,
        running_costs_amount=running_amount,
        running_costs_absent=_running_costs_absent(report),
        procurement_shares=(
            share(p.sme, p.total) if p is not None and p.sme is not None else None,
            share(p.small, p.total) if p is not None and p.small is not None else None,
        ),
    )


def _combined_income(t01: m.SummaryTable) -> list[tuple[str, Decimal]]:
    """The income lines of 01表 with the three books as one 财政拨款收入 (the 02表 column that holds them)."""
    books = {key for key, _ in BOOKS}
    fiscal = sum((t01.income_value(key) for key in books), ZERO)
    rest = [(name, t01.income_value(key)) for key, name in INCOME_LINES if key not in books]
    return [(INCOME_COLUMNS[1].label, fiscal), *rest]


NON_ADMINISTRATIVE = ("事业单位",)  # units that have no 机关运行经费 (行政单位 and 参公 units have)


def _running_costs_absent(report: m.Report) -> str:
    """Why a report has no 机关运行经费: stated in the notes, or every unit a 事业单位; "" when unknown."""
    notes = report.notes
    if notes is not None and notes.running_costs_stated:
        return notes.running_costs_stated
    units = report.overview.units if report.overview else ()
    if units and all(u.nature in NON_ADMINISTRATIVE for u in units):
        return NON_ADMINISTRATIVE[0]
    return ""


def _has_07(report: m.Report) -> bool:
    t = report.tables
    return t is not None and t.t07 is not None and t.t07.actual is not None
