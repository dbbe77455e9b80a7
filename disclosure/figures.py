"""Derived figures of a report: shares, changes, growth and completion, exact until printed.

Nothing here rounds except to decide a direction word: a change that prints as 0.00 is 持平.
Templates receive these objects and only choose words and call the printing filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import model as m
from .amounts import ZERO, quantize, ratio
from .catalog import classification, table_title
from .errors import Location


@dataclass(frozen=True)
class Compare:
    """A current figure against a base (last year or budget): difference and both ratios.

    `growth` is Δ / base × 100 (增长/下降); `ratio` is current / base × 100 (完成预算的 %).
    Both are None when the base is 0: the rate is 不可比, never 0% or 100%.
    """

    current: Decimal
    base: Decimal
    places: int = 2

    @property
    def delta(self) -> Decimal:
        return self.current - self.base

    @property
    def sign(self) -> int:
        """+1, -1 or 0 by the difference as printed (a change printing as 0.00 is 持平)."""
        printed = quantize(self.delta, self.places)
        return (printed > 0) - (printed < 0)

    @property
    def magnitude(self) -> Decimal:
        """The size of the difference, for “增加/减少 {magnitude}”."""
        return abs(self.delta)

    @property
    def growth(self) -> Decimal | None:
        return ratio(self.delta, self.base)

    @property
    def growth_magnitude(self) -> Decimal | None:
        """The size of the growth rate, for “增长/下降 {growth_magnitude}%”."""
        rate = self.growth
        return None if rate is None else abs(rate)

    @property
    def ratio(self) -> Decimal | None:
        return ratio(self.current, self.base)

    @property
    def comparable(self) -> bool:
        return self.base != 0

    @property
    def both_zero(self) -> bool:
        return self.current == 0 and self.base == 0


@dataclass(frozen=True)
class Part:
    """A named part of a whole with its share of the whole (None when the whole is 0)."""

    name: str
    amount: Decimal
    share: Decimal | None
    code: str = ""


def parts(items: Iterable[tuple[str, Decimal]], whole: Decimal, keep_zero: bool = False) -> tuple[Part, ...]:
    """Return each (name, amount) with its share of `whole`, dropping zero items unless asked."""
    return tuple(Part(name, amount, ratio(amount, whole)) for name, amount in items if keep_zero or amount != 0)


@dataclass(frozen=True)
class ItemLine:
    """A 项-level line of 一般公共预算财政拨款支出 with its budget completion and reason."""

    code: str
    title: str  # {类}（类）{款}（款）{项}（项）
    actual: Decimal
    budget: Decimal | None
    completion: Compare | None
    reason: str
    loc: Location


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
    tables = report.tables
    if tables is not None:
        for table in (tables.t02, tables.t03, tables.t05, tables.t08, tables.t09):
            for row in table.rows if table else ():
                if row.name:
                    names.setdefault(row.code, row.name)
                else:
                    known = codes.function_name(row.code)
                    if known:
                        names.setdefault(row.code, known)
    for code, name in codes.classes_for(report.manifest.year):
        names.setdefault(code, name)
    return names


def item_title(code: str, names: dict[str, str]) -> str:
    """Render “卫生健康支出（类）医疗保障管理事务（款）行政运行（项）” for a 项 code."""
    levels = (("类", 3), ("款", 5), ("项", 7))
    return "".join(f"{names.get(code[:n], code[:n])}（{word}）" for word, n in levels if len(code) >= n)


@dataclass(frozen=True)
class Figures:
    """Every derived number of a 决算 report, computed once from the stated tables and notes."""

    report: m.Report
    names: dict[str, str]

    # ------------------------------------------------------------ helpers
    @property
    def places(self) -> int:
        return 2

    def compare(self, current: Decimal, base: Decimal | None) -> Compare | None:
        return None if base is None else Compare(current, base, self.places)

    @property
    def t(self) -> m.Tables:
        assert self.report.tables is not None
        return self.report.tables

    @property
    def notes(self) -> m.Notes:
        assert self.report.notes is not None
        return self.report.notes

    def _prior_tables(self) -> m.Tables | None:
        prior = self.report.prior
        return prior.tables if prior is not None else None

    def _prior(self, stated: m.Change | None, derive) -> Decimal | None:
        tables = self._prior_tables()
        derived = derive(tables) if tables is not None else None
        return prior_value(stated, in_unit(derived, self.report.prior, self.report))

    # ------------------------------------------------------------ 一、收入支出决算总体情况
    @property
    def grand_total(self) -> Decimal:
        return self.t.t01.income_value("grand_total") if self.t.t01 else ZERO

    @property
    def totals(self) -> Compare | None:
        prior = self._prior(self.notes.totals, lambda t: t.t01.income_value("grand_total") if t.t01 else None)
        return self.compare(self.grand_total, prior)

    # ------------------------------------------------------------ 二、收入
    @property
    def total_income(self) -> Decimal:
        return self.t.t01.income_value("total_income")

    @property
    def income_parts(self) -> tuple[Part, ...]:
        from .catalog import INCOME_LINES

        return parts(((name, self.t.t01.income_value(key)) for key, name in INCOME_LINES), self.total_income)

    @property
    def income_change(self) -> Compare | None:
        prior = self._prior(self.notes.income, lambda t: t.t01.income_value("total_income") if t.t01 else None)
        return self.compare(self.total_income, prior)

    # ------------------------------------------------------------ 三、支出
    @property
    def total_expenditure(self) -> Decimal:
        return self.t.t01.spending_value("total_spending")

    @property
    def expenditure_parts(self) -> tuple[Part, ...]:
        from .catalog import EXPENDITURE_COLUMNS

        total = self.t.t03.total
        values = total.values if total else {}
        items = ((c.label, values.get(c.key, ZERO)) for c in EXPENDITURE_COLUMNS[1:])
        return parts(items, self.total_expenditure)

    @property
    def expenditure_change(self) -> Compare | None:
        prior = self._prior(self.notes.expenditure, lambda t: t.t01.spending_value("total_spending") if t.t01 else None)
        return self.compare(self.total_expenditure, prior)

    # ------------------------------------------------------------ 四、财政拨款收支总体
    @property
    def fiscal_total(self) -> Decimal:
        return self.t.t04.income_value("grand_total")

    @property
    def fiscal(self) -> Compare | None:
        prior = self._prior(self.notes.fiscal, lambda t: t.t04.income_value("grand_total") if t.t04 else None)
        return self.compare(self.fiscal_total, prior)

    @property
    def fiscal_income_parts(self) -> tuple[Part, ...]:
        from .catalog import BOOKS

        total = self.t.t04.income_value("total_income")
        return parts(((name, self.t.t04.income_value(key)) for key, name in BOOKS), total)

    # ------------------------------------------------------------ 五、一般公共预算财政拨款支出
    def _t05_total(self, tables: m.Tables) -> Decimal:
        return self._class_total(tables.t05, "total")

    @property
    def general_total(self) -> Decimal:
        return self._t05_total(self.t)

    @property
    def general(self) -> Compare | None:
        prior = self._prior(self.notes.general, self._t05_total)
        return self.compare(self.general_total, prior)

    @property
    def general_share(self) -> Decimal | None:
        return ratio(self.general_total, self.total_expenditure)

    @property
    def general_budget(self) -> Compare | None:
        row = self.t.t05.total if self.t.t05 else None
        if row is None or (row.budget is None and row.adjusted is None):
            return None
        base = row.adjusted if row.adjusted is not None else row.budget
        return self.compare(self.general_total, base)

    def _t05_rows(self, level: int) -> list[m.ClassRow]:
        table = self.t.t05
        return sorted((r for r in table.rows if r.level == level), key=lambda r: r.code) if table else []

    @property
    def general_classes(self) -> tuple[Part, ...]:
        rows = self._t05_rows(1)
        return tuple(
            Part(self.names.get(r.code, r.code), r.value("total"), ratio(r.value("total"), self.general_total), r.code)
            for r in rows
            if r.value("total") != 0
        )

    @property
    def general_class_budgets(self) -> tuple[ItemLine, ...]:
        """Class-level lines of table 05 with their budgets (the Sichuan wording compares at 类 level).

        A class without a stated budget takes the sum of its items' budgets when every item has
        one; without its own reason it gives the reasons of its items that differ from budget.
        """
        from .compose import clause_text  # wording helper; compose imports this module

        lines = []
        leaves = self.general_items
        for row in self._t05_rows(1):
            line = self._item_line(row, self.names.get(row.code, row.code))
            under = [leaf for leaf in leaves if leaf.code.startswith(row.code)]
            budget = line.budget
            if budget is None and under and all(leaf.budget is not None for leaf in under):
                budget = sum((leaf.budget for leaf in under), ZERO)  # type: ignore[misc]
            completion = self.compare(line.actual, budget)
            direction = completion.sign if completion is not None else 0
            # Only the items that moved the same way as their class explain it.
            reason = line.reason or "；".join(dict.fromkeys(
                clause_text(leaf.reason) for leaf in under
                if leaf.reason and leaf.completion is not None and leaf.completion.sign == direction != 0))
            lines.append(ItemLine(line.code, line.title, line.actual, budget, completion, reason, line.loc))
        return tuple(lines)

    @property
    def general_items(self) -> tuple[ItemLine, ...]:
        """Every 项 line of table 05, or a 款/类 line that has no children (P4 具体)."""
        table = self.t.t05
        if table is None:
            return ()
        codes = {r.code for r in table.rows}
        leaves = [r for r in table.rows if not any(c != r.code and c.startswith(r.code) for c in codes)]
        return tuple(self._item_line(r, item_title(r.code, self.names)) for r in sorted(leaves, key=lambda r: r.code))

    def _item_line(self, row: m.ClassRow, title: str) -> ItemLine:
        budget = row.adjusted if row.adjusted is not None else row.budget
        return ItemLine(row.code, title, row.value("total"), budget, self.compare(row.value("total"), budget),
                        row.reason, row.loc)

    # ------------------------------------------------------------ 六、基本支出
    @property
    def basic(self) -> Decimal:
        b = self.t.t06
        return (b.personnel_total or ZERO) + (b.running_total or ZERO) if b else ZERO

    @property
    def personnel(self) -> Part:
        total = self.t.t06.personnel_total if self.t.t06 else None
        return Part("人员经费", total or ZERO, ratio(total or ZERO, self.basic))

    @property
    def running(self) -> Part:
        total = self.t.t06.running_total if self.t.t06 else None
        return Part("公用经费", total or ZERO, ratio(total or ZERO, self.basic))

    def _economic_items(self, rows: tuple[m.EconomicRow, ...]) -> tuple[str, ...]:
        codes = classification()
        names = []
        for row in rows:
            if row.level == 2 and row.amount != 0:
                name = row.name or codes.economic_names.get(row.code, row.code)
                if name not in names:
                    names.append(name)
        return tuple(names)

    @property
    def personnel_items(self) -> tuple[str, ...]:
        return self._economic_items(self.t.t06.personnel) if self.t.t06 else ()

    @property
    def running_items(self) -> tuple[str, ...]:
        return self._economic_items(self.t.t06.running) if self.t.t06 else ()

    # ------------------------------------------------------------ 七、三公经费
    @property
    def three(self) -> m.ThreeCosts:
        table = self.t.t07
        return table.actual if table and table.actual else m.ThreeCosts(loc=self.t.loc)

    @property
    def three_budget(self) -> m.ThreeCosts:
        table = self.t.t07
        return table.budget if table and table.budget else m.ThreeCosts(loc=self.t.loc)

    @property
    def three_prior(self) -> m.ThreeCosts | None:
        notes = self.notes.three_costs
        if notes is not None and notes.prior is not None:
            return notes.prior
        tables = self._prior_tables()
        if tables is None or tables.t07 is None or tables.t07.actual is None:
            return None
        prior = tables.t07.actual
        if self.report.prior is not None and self.report.prior.manifest.unit != self.report.manifest.unit:
            convert = lambda v: in_unit(v, self.report.prior, self.report)  # noqa: E731
            return m.ThreeCosts(prior.loc, total=convert(prior.total), abroad=convert(prior.abroad),
                                vehicles=convert(prior.vehicles), purchase=convert(prior.purchase),
                                running=convert(prior.running), reception=convert(prior.reception))
        return prior

    def three_item(self, key: str) -> tuple[Compare, Compare | None, Decimal | None]:
        """Return (against budget, against last year, share of the 三公 total) for one item."""
        actual = getattr(self.three, key)
        prior = self.three_prior
        return (
            Compare(actual, getattr(self.three_budget, key), self.places),
            Compare(actual, getattr(prior, key), self.places) if prior is not None else None,
            ratio(actual, self.three.total),
        )

    @property
    def domestic_reception(self) -> Decimal:
        """国内公务接待支出 = 公务接待费 − 外事接待支出."""
        notes = self.notes.three_costs
        foreign = notes.reception.foreign_amount if notes and notes.reception else ZERO
        return self.three.reception - foreign

    # ------------------------------------------------------------ 八、九、政府性基金 / 国有资本经营
    def _class_total(self, table: m.ClassTable | None, key: str) -> Decimal:
        return table.total.value(key) if table and table.total else ZERO

    @property
    def fund_income(self) -> Decimal:
        return self._class_total(self.t.t08, "income")

    @property
    def fund_spending(self) -> Decimal:
        return self._class_total(self.t.t08, "spending")

    @property
    def fund_closing(self) -> Decimal:
        return self._class_total(self.t.t08, "closing")

    @property
    def fund_opening(self) -> Decimal:
        return self._class_total(self.t.t08, "opening")

    @property
    def fund_change(self) -> Compare | None:
        prior = self._prior(self.notes.fund, lambda t: self._class_total(t.t08, "spending"))
        return self.compare(self.fund_spending, prior)

    @property
    def capital_spending(self) -> Decimal:
        return self._class_total(self.t.t09, "total")

    @property
    def capital_change(self) -> Compare | None:
        prior = self._prior(self.notes.capital, lambda t: self._class_total(t.t09, "total"))
        return self.compare(self.capital_spending, prior)

    def class_parts(self, table: m.ClassTable | None, key: str) -> tuple[Part, ...]:
        if table is None:
            return ()
        whole = self._class_total(table, key)
        rows = sorted((r for r in table.rows if r.level == 1), key=lambda r: r.code)
        return tuple(Part(self.names.get(r.code, r.code), r.value(key), ratio(r.value(key), whole), r.code)
                     for r in rows if r.value(key) != 0)

    # ------------------------------------------------------------ 十、其他重要事项
    @property
    def running_costs(self) -> Compare | None:
        notes = self.notes.running_costs
        if notes is None:
            return None
        prior_notes = self.report.prior.notes if self.report.prior else None
        derived = prior_notes.running_costs.amount if prior_notes and prior_notes.running_costs else None
        prior = notes.prior if notes.prior is not None else in_unit(derived, self.report.prior, self.report)
        return self.compare(notes.amount, prior)

    @property
    def procurement_shares(self) -> tuple[Decimal | None, Decimal | None]:
        p = self.notes.procurement
        if p is None:
            return (None, None)
        return ratio(p.sme, p.total), ratio(p.small, p.total)

    @property
    def table_titles(self) -> dict[str, str]:
        return {n: table_title(n, self.report.manifest.year) for n in ("01", "02", "03", "04", "05", "06", "07", "08", "09")}


def compute(report: m.Report) -> Figures:
    """Derive every figure of a report."""
    return Figures(report, class_names(report) if report.tables else {})
