"""The nine public tables (公开01–09表) of a report as Table objects, in the official layouts.

Amounts come from the stated tables, names from the catalogue (data/catalog.yaml) and the
classification, and every other word (表号, 表头, 表注, 空表说明) from the profile's labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from .. import model as m
from ..amounts import ZERO
from ..catalog import (
    BASIC_BLOCKS,
    BOOKS,
    CLASS_TABLES,
    FISCAL_INCOME_TOTALS,
    FISCAL_SPENDING_TOTALS,
    FISCAL_TOTAL_COLUMN,
    INCOME_LINES,
    SPENDING_TOTALS,
    THREE_COSTS_ITEMS,
    classification,
    income_total_names,
)
from ..compose import Formats, Labels
from ..compose.text import cn_number
from ..compute import Figures
from .table import Cell, Table, code, column_numbers, empty_row, label, num, th, txt

_THREE_KEYS = ("total", "abroad", "vehicles", "purchase", "running", "reception")


class PublicTables:
    """Builds the nine public tables of one report."""

    def __init__(self, report: m.Report, figures: Figures, fmt: Formats, labels: Labels, titles: Mapping[str, str] | None = None):
        assert report.tables is not None
        self.report = report
        self.f = figures
        self.titles = titles if titles is not None else figures.table_titles
        self.fmt = fmt
        self.words = labels
        self.t = report.tables
        self.year = report.manifest.year

    def build(self, number: str) -> Table:
        return getattr(self, f"_t{number}")()

    def _word(self, key: str, **values: object) -> str:
        return self.words(f"tables.{key}", **values)

    def _th(self, key: str, rowspan: int = 1, colspan: int = 1) -> Cell:
        return th(self._word(key), rowspan=rowspan, colspan=colspan)

    # ------------------------------------------------------------ furniture
    def _table(
        self,
        number: str,
        widths: Sequence[int],
        head: list[list[Cell]],
        body: list[list[Cell]],
        empty_note: str = "",
        wide: bool = False,
    ) -> Table:
        return Table(
            key=f"t{number}",
            number=self._word("number", number=number),
            title=self.titles[number],
            org=self._word("org"),
            unit=self._word("unit"),
            widths=tuple(widths),
            head=tuple(tuple(r) for r in head),
            body=tuple(tuple(r) for r in body) or (empty_row(len(widths), self._word("no_data")),),
            note=self._word(f"note{number}"),
            empty_note=empty_note,
            wide=wide,
        )

    def _cell(self, value: Decimal | None, strong: bool = False) -> Cell:
        """An amount cell: an amount not stated is zero (printed as the report prints zeros)."""
        amount = value if value is not None else ZERO
        return num(self.fmt.cell(amount), strong, amount)

    def _empty(self, number: str, stated: str) -> str:
        """The note of an empty table (空表并说明): the one stated in tables.yaml, else the standard one."""
        return stated or self._word(f"empty{number}")

    def _classes(self) -> list[tuple[str, str]]:
        """Every 类 of the year (01/04表 list them all), named as the report names them (its 科目表.yaml first)."""
        return [(c, self.f.names.get(c, name)) for c, name in classification().classes_for(self.year)]

    def _line(self, index: int, name: str) -> str:
        return self._word("line", cn=cn_number(index + 1), name=name)

    # ------------------------------------------------------------ 01 and 04: two halves side by side
    def _t01(self) -> Table:
        t = self.t.t01
        assert t is not None
        left = [(self._line(i, name), t.income_value(key)) for i, (key, name) in enumerate(INCOME_LINES)]
        classes = self._classes()
        right = [(self._line(i, name), [t.class_value(code_)]) for i, (code_, name) in enumerate(classes)]
        income = income_total_names(self.year)
        spending = dict(SPENDING_TOTALS)
        bottom = [
            (income[i], t.income_value(i), spending[s], [t.spending_value(s)])
            for i, s in (
                ("total_income", "total_spending"),
                ("non_fiscal", "distribution"),
                ("opening", "closing"),
                ("grand_total", "grand_total"),
            )
        ]
        head = [
            [self._th("income", colspan=3), self._th("spending", colspan=3)],
            [
                self._th("item"),
                self._th("line_number"),
                self._th("amount"),
                self._th("item_by_function"),
                self._th("line_number"),
                self._th("amount"),
            ],
            [self._th("column_number"), th(""), th("1"), self._th("column_number"), th(""), th("2")],
        ]
        totals = {income["total_income"], spending["total_spending"], income["grand_total"]}
        return self._table("01", (30, 6, 12, 30, 6, 12), head, self._halves(left, right, bottom, 1, totals))

    def _t04(self) -> Table:
        t = self.t.t04
        assert t is not None
        books = [k for k, _ in BOOKS]
        left = [(self._line(i, name), t.income_value(key)) for i, (key, name) in enumerate(BOOKS)]
        classes = self._classes()

        def cols(line: m.Line | None) -> list[Decimal | None]:
            return [line.value(k) if line else None for k in ("total", *books)]

        right = [
            (self._line(i, name), cols(next((c for c in t.classes if c.key == code_), None)))
            for i, (code_, name) in enumerate(classes)
        ]
        opening = t.income.get("opening")
        income, spending = dict(FISCAL_INCOME_TOTALS), dict(FISCAL_SPENDING_TOTALS)
        bottom: list[tuple[str, Decimal | None, str, list[Decimal | None] | None]] = [
            (
                income["total_income"],
                t.income_value("total_income"),
                spending["total_spending"],
                cols(t.spending.get("total_spending")),
            ),
            (
                income["opening"],
                opening.value("total") if opening else None,
                spending["closing"],
                cols(t.spending.get("closing")),
            ),
        ]
        bottom += [(self._word("sub_line", name=name), opening.value(key) if opening else None, "", None) for key, name in BOOKS]
        bottom.append(
            (income["grand_total"], t.income_value("grand_total"), spending["grand_total"], cols(t.spending.get("grand_total")))
        )
        head = [
            [self._th("income", colspan=3), self._th("spending", colspan=6)],
            [
                self._th("item"),
                self._th("line_number"),
                self._th("amount"),
                self._th("item_by_function"),
                self._th("line_number"),
                th(FISCAL_TOTAL_COLUMN),
                *(th(name) for _, name in BOOKS),
            ],
            [self._th("column_number"), th(""), th("1"), self._th("column_number"), th(""), *column_numbers(2, 4)],
        ]
        totals = {income["total_income"], spending["total_spending"], income["grand_total"]}
        return self._table(
            "04", (24, 5, 10, 24, 5, 10, 10, 10, 10), head, self._halves(left, right, bottom, 4, totals), wide=True
        )

    def _halves(self, left: list, right: list, bottom: list, width: int, totals: set[str]) -> list[list[Cell]]:
        """Rows of a two-half summary table, with 行次 numbered down the left half, then the right.

        The 合计 lines and the 总计 line (in `totals`) are set in bold.
        """
        height = max(len(left), len(right))
        rows: list[list[Cell]] = []
        left_numbers = {i: i + 1 for i in range(height + len(bottom))}
        number = height + len(bottom) + 1
        grand = bottom[-1][0]
        for i in range(height):
            row: list[Cell] = []
            if i < len(left):
                row += [label(left[i][0]), num(str(left_numbers[i])), self._cell(left[i][1])]
            else:
                row += [label(""), num(str(left_numbers[i])), num("")]
            if i < len(right):
                row += [label(right[i][0]), num(str(number)), *(self._cell(v) for v in right[i][1])]
                number += 1
            else:
                row += [label(""), num(""), *(num("") for _ in range(width))]
            rows.append(row)
        for j, (l_name, l_value, r_name, r_values) in enumerate(bottom):
            strong = l_name == grand
            row = [
                label(l_name, strong=strong or l_name in totals),
                num(str(left_numbers[height + j])),
                self._cell(l_value, strong),
            ]
            if r_name:
                row += [
                    label(r_name, strong=strong or r_name in totals),
                    num(str(number)),
                    *(self._cell(v, strong) for v in r_values),
                ]
                number += 1
            else:
                row += [label(""), num(""), *(num("") for _ in range(width))]
            rows.append(row)
        return rows

    # ------------------------------------------------------------ 02 03 05 08 09: 功能分类 tables
    def _class_table(self, number: str, table: m.ClassTable | None, head_amounts: list[list[Cell]]) -> Table:
        spec = CLASS_TABLES[number]
        columns = len(spec.columns)
        head = [
            [self._th("item", colspan=2), *head_amounts[0]],
            [self._th("code"), self._th("name"), *head_amounts[1]],
            [self._th("column_number", colspan=2), *column_numbers(1, columns)],
        ]
        widths = (9, 26, *([10] * columns))
        if table is None or table.empty:
            note = self._empty(number, table.empty_note if table else "")
            return self._table(number, widths, head, [], empty_note=note, wide=columns > 7)
        body: list[list[Cell]] = []
        if table.total is not None:
            body.append(
                [
                    label(self._word("total"), strong=True, colspan=2, align="center"),
                    *(self._cell(table.total.values.get(c.key), True) for c in spec.columns),
                ]
            )
        for row in sorted(table.rows, key=lambda r: r.code):
            name = self.f.names.get(row.code, row.name or row.code)
            body.append(
                [code(row.code), label(name, indent=row.level - 1), *(self._cell(row.values.get(c.key)) for c in spec.columns)]
            )
        built = self._table(number, widths, head, body, wide=columns > 7)
        return replace(built, annex=self._budgets(table)) if number == "05" else built

    def _budgets(self, table: m.ClassTable) -> Table | None:
        """05表's annex: the 年初预算数, 调整预算数 and 原因 of each row, for the data files only.

        The public table does not print them, but 第三部分五 is written from them, so a workbook
        exported by the toolkit carries them beside the table and can be read back as the source.
        """
        rows = ([table.total] if table.total is not None else []) + sorted(table.rows, key=lambda r: r.code)
        kinds = [k for k in ("budget", "adjusted") if any(getattr(r, k) is not None for r in rows)]
        reasons = any(r.reason for r in rows)
        if not kinds and not reasons:
            return None
        words = [self._word(f"annex_{k}") for k in kinds] + ([self._word("annex_reason")] if reasons else [])
        head = [[th(w, rowspan=2) for w in words], [], [th("") for _ in words]]
        body = []
        for row in rows:
            cells = []
            for k in kinds:
                value = getattr(row, k)
                cells.append(num(self.fmt.cell(value), row is table.total, value) if value is not None else txt(""))
            if reasons:
                cells.append(txt(row.reason))
            body.append(cells)
        return Table(
            key="t05-annex",
            number="",
            title="",
            org="",
            unit="",
            widths=tuple([10] * len(kinds) + ([30] if reasons else [])),
            head=tuple(tuple(r) for r in head),
            body=tuple(tuple(r) for r in body),
            note=self._word("annex_note"),
        )

    @staticmethod
    def _spanned(labels: list[str]) -> list[list[Cell]]:
        """Amount headers that span both header rows."""
        return [[th(text, rowspan=2) for text in labels], []]

    def _grouped(self, number: str) -> list[list[Cell]]:
        """Amount headers of a table whose columns sit under groups (本年支出: 合计, 基本支出, 项目支出)."""
        top: list[Cell] = []
        below: list[Cell] = []
        columns = CLASS_TABLES[number].columns
        i = 0
        while i < len(columns):
            column = columns[i]
            if not column.group:
                top.append(th(column.label, rowspan=2))
                i += 1
                continue
            group = [c for c in columns[i:] if c.group == column.group]
            top.append(th(column.group, colspan=len(group)))
            below += [th(c.label) for c in group]
            i += len(group)
        return [top, below]

    def _t02(self) -> Table:
        return self._class_table("02", self.t.t02, self._spanned([c.label for c in CLASS_TABLES["02"].columns]))

    def _t03(self) -> Table:
        return self._class_table("03", self.t.t03, self._spanned([c.label for c in CLASS_TABLES["03"].columns]))

    def _t05(self) -> Table:
        return self._class_table("05", self.t.t05, self._grouped("05"))

    def _t08(self) -> Table:
        return self._class_table("08", self.t.t08, self._grouped("08"))

    def _t09(self) -> Table:
        return self._class_table("09", self.t.t09, self._grouped("09"))

    # ------------------------------------------------------------ 06: three blocks side by side
    def _t06(self) -> Table:
        t = self.t.t06
        codes = classification()
        own = self.report.economic_names()
        head = [
            [th(BASIC_BLOCKS["personnel"], colspan=3), th(BASIC_BLOCKS["running"], colspan=6)],
            [*(cell for _ in range(3) for cell in (self._th("code"), self._th("name"), self._th("actual")))],
        ]
        widths = (7, 16, 9, 7, 16, 9, 7, 16, 9)
        if t is None or t.empty:
            return self._table("06", widths, head, [], empty_note=self._empty("06", t.empty_note if t else ""), wide=True)

        def cells(row: m.EconomicRow | None) -> list[Cell]:
            if row is None:
                return [code(""), label(""), num("")]
            name = row.name or own.get(row.code) or codes.economic_names.get(row.code, row.code)
            return [code(row.code), label(name, indent=row.level - 1), self._cell(row.amount)]

        personnel = list(t.personnel)
        running = list(t.running)
        half = (len(running) + 1) // 2
        second, third = running[:half], running[half:]
        height = max(len(personnel), len(second))
        body = []
        for i in range(height):
            body.append(
                [
                    *cells(personnel[i] if i < len(personnel) else None),
                    *cells(second[i] if i < len(second) else None),
                    *cells(third[i] if i < len(third) else None),
                ]
            )
        body.append(
            [
                label(self._word("personnel_total", name=BASIC_BLOCKS["personnel"]), strong=True, colspan=2, align="center"),
                self._cell(t.personnel_total, True),
                label(self._word("running_total", name=BASIC_BLOCKS["running"]), strong=True, colspan=5, align="center"),
                self._cell(t.running_total, True),
            ]
        )
        return self._table("06", widths, head, body, wide=True)

    # ------------------------------------------------------------ 07: 三公 budget and actual
    def _t07(self) -> Table:
        t = self.t.t07
        names = dict(THREE_COSTS_ITEMS)
        half = [
            th(names["total"], rowspan=2),
            th(names["abroad"], rowspan=2),
            th(names["vehicles"], colspan=3),
            th(names["reception"], rowspan=2),
        ]
        sub = [self._th("subtotal"), th(names["purchase"]), th(names["running"])]
        head = [[self._th("budget", colspan=6), self._th("actual", colspan=6)], half + half, sub + sub, column_numbers(1, 12)]
        widths = (8,) * 12
        if t is None or (t.budget is None and t.actual is None):
            return self._table("07", widths, head, [], empty_note=self._empty("07", t.empty_note if t else ""), wide=True)

        def values(x: m.ThreeCosts | None) -> list[Cell]:
            return [self._cell(getattr(x, k) if x else None) for k in _THREE_KEYS]

        return self._table("07", widths, head, [values(t.budget) + values(t.actual)], wide=True)

    def _t07s(self) -> Table:
        """The 三公 figures as a small table of its own (项目 | 预算数 | 决算数), as Anhui publishes them beside the text."""
        t = self.t.t07
        rows = ("total", "abroad", "reception", "vehicles", "running", "purchase")
        head = [[self._th("item"), self._th("budget"), self._th("actual")]]
        body = [
            [
                label(self._word(f"mini07_{key}"), strong=key == "total", indent=1 if key in ("running", "purchase") else 0),
                self._cell(getattr(t.budget, key) if t and t.budget else None, key == "total"),
                self._cell(getattr(t.actual, key) if t and t.actual else None, key == "total"),
            ]
            for key in rows
        ]
        table = self._table("07", (20, 9, 9), head, body)
        return replace(table, key="t07s", number="", note="")  # the title of 07表 in the report's year
