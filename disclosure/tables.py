"""The table model, and the nine public tables built from a report.

One `Table` drives every writer: header rows and body rows of cells with row and column spans
(spanned positions are simply absent, as in HTML), column widths, a footnote and an empty-table
note. Writers never compute a number: every cell's text is final here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from . import model as m
from .catalog import BOOKS, CLASS_TABLES, INCOME_LINES, classification, table_note, table_title
from .compose import Formats, cn_number
from .figures import Figures


@dataclass(frozen=True)
class Cell:
    """One cell: its text, whether it is a header, its spans and how it is set."""

    text: str = ""
    header: bool = False
    rowspan: int = 1
    colspan: int = 1
    align: str = "left"  # left | center | right
    strong: bool = False  # 合计 rows
    indent: int = 0  # 0 类, 1 款, 2 项
    kind: str = "text"  # text | number | code | label
    scope: str = "row"  # for a header cell in the body: "col" when it heads the cells below it


@dataclass(frozen=True)
class Table:
    """A table ready to draw: furniture, header rows, body rows, widths, notes."""

    key: str  # stable id, e.g. "t01" or "ev2"
    number: str  # 公开01表, or "" for evaluation tables
    title: str
    org: str  # 部门：… / 单位：…
    unit: str  # 金额单位：万元
    widths: tuple[int, ...]  # relative column widths
    head: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    note: str = ""
    empty_note: str = ""
    wide: bool = False  # landscape page in DOCX
    form: bool = False  # a form (self-evaluation table) rather than a data grid
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def columns(self) -> int:
        return len(self.widths)

    @property
    def rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.head + self.body

    @cached_property
    def grid(self) -> list[list[Placed]]:
        """Every cell at its grid position (computed once; writers share it)."""
        return place(self.rows, self.columns)

    @cached_property
    def numeric_columns(self) -> frozenset[int]:
        """The columns that hold numbers in the body."""
        start = len(self.head)
        return frozenset(p.col for line in self.grid[start:] for p in line if p.cell.kind == "number" and p.cell.text)


@dataclass(frozen=True)
class Placed:
    """A cell at its grid position."""

    cell: Cell
    row: int
    col: int


def place(rows: Sequence[Sequence[Cell]], columns: int) -> list[list[Placed]]:
    """Lay cells out on the grid, skipping positions covered by earlier row spans (HTML rules)."""
    taken: set[tuple[int, int]] = set()
    placed: list[list[Placed]] = []
    for r, row in enumerate(rows):
        c = 0
        line: list[Placed] = []
        for cell in row:
            while (r, c) in taken:
                c += 1
            line.append(Placed(cell, r, c))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        if c > columns:
            raise ValueError(f"row {r} has {c} columns, table has {columns}")
        placed.append(line)
    return placed


def cell_id(table: Table, placed: Placed) -> str:
    return f"{table.key}-r{placed.row}c{placed.col}"


def header_links(table: Table) -> dict[tuple[int, int], tuple[str, ...]]:
    """For each data cell, the ids of the header cells that describe it (see _header_links).

    The links depend only on the layout (which cells are headers, their spans), which most
    tables of a site share, so they are computed once per layout.
    """
    layout = tuple(tuple((c.header, c.rowspan, c.colspan, c.scope) for c in row) for row in table.rows)
    return _layout_links(table.key, table.columns, layout, table)


_LINKS: dict[tuple, dict[tuple[int, int], tuple[str, ...]]] = {}


def _layout_links(key: str, columns: int, layout: tuple, table: Table) -> dict[tuple[int, int], tuple[str, ...]]:
    found = _LINKS.get((key, columns, layout))
    if found is None:
        if len(_LINKS) > 512:  # a long-running process sees few layouts; keep the memo small
            _LINKS.clear()
        found = _LINKS[(key, columns, layout)] = _header_links(table)
    return found


def _header_links(table: Table) -> dict[tuple[int, int], tuple[str, ...]]:
    """For each data cell, the ids of the header cells that describe it.

    A header cell is a column header when it sits in the head, or when none of its rows holds a
    data cell (the heading rows of a form); every other header cell is a row header. Column
    headers: the nearest run of column headers above the cell (a row header or data cell ends a
    run). Row headers: every row header to the left of the cell in its row, except one hidden by
    a nearer header of the same height behind a data cell (the HTML table algorithm's "opaque"
    headers), so the right half of table 01 does not name the left half's rows. A code cell
    (科目编码) is named by the row header right beside it, not by the block to its left.
    """
    grid = table.grid
    rows, columns = len(grid), table.columns
    cover: list[list[Placed | None]] = [[None] * columns for _ in range(rows)]
    for line in grid:
        for p in line:
            for r in range(p.row, min(p.row + p.cell.rowspan, rows)):
                for c in range(p.col, min(p.col + p.cell.colspan, columns)):
                    cover[r][c] = p
    data_rows = {r for r in range(rows) if any(p is not None and not p.cell.header for p in cover[r])}
    head = len(table.head)

    def column_header(p: Placed) -> bool:
        return p.row < head or not any(r in data_rows for r in range(p.row, min(p.row + p.cell.rowspan, rows)))

    def row_headers(cell: Placed) -> list[str]:
        r, c = cell.row, cell.col
        if cell.cell.kind == "code":
            right = c + cell.cell.colspan
            beside = cover[r][right] if right < columns else None
            return [cell_id(table, beside)] if beside and beside.cell.header and not column_header(beside) else []
        found: list[str] = []
        seen: set[int] = set()
        block: list[Placed] = []  # the header cells of the block being crossed
        opaque: list[Placed] = []  # header cells of blocks already crossed
        for x in range(c - 1, -1, -1):
            p = cover[r][x]
            if p is None or id(p) in seen:
                continue
            seen.add(id(p))
            if p.cell.header:
                hidden = any(o.row == p.row and o.cell.rowspan == p.cell.rowspan for o in opaque)
                if not column_header(p) and not hidden:
                    found.append(cell_id(table, p))
                block.append(p)
            elif block:
                opaque += block
                block = []
        return found

    done: list[tuple[str, ...]] = [()] * columns  # latest column-header run above, nearest first
    running: list[list[str] | None] = [None] * columns
    links: dict[tuple[int, int], tuple[str, ...]] = {}
    for r in range(rows):
        for c in range(columns):
            p = cover[r][c]
            if p is None:  # a gap in the grid ends every run through it
                done[c], running[c] = (), None
                continue
            if p.cell.header and column_header(p):
                ident = cell_id(table, p)
                run = running[c]
                if run is None:
                    running[c] = [ident]
                elif run[-1] != ident:
                    run.append(ident)
                continue
            if running[c] is not None:
                done[c] = tuple(reversed(running[c]))
                running[c] = None
            if not p.cell.header and p.row == r and p.col == c:
                links[(r, c)] = tuple(dict.fromkeys((*done[c], *row_headers(p))))
    return links


# ---------------------------------------------------------------------------- cell helpers


def th(text: str, rowspan: int = 1, colspan: int = 1, align: str = "center", scope: str = "col") -> Cell:
    """A column header (a row header spanning rows when scope="row")."""
    return Cell(text, header=True, rowspan=rowspan, colspan=colspan, align=align, kind="label", scope=scope)


def label(text: str, indent: int = 0, strong: bool = False, colspan: int = 1, align: str = "left") -> Cell:
    """A row header (th scope=row)."""
    return Cell(text, header=True, colspan=colspan, align=align, strong=strong, indent=indent, kind="label")


def num(text: str, strong: bool = False) -> Cell:
    return Cell(text, align="right", strong=strong, kind="number")


def txt(text: str, colspan: int = 1, align: str = "left", rowspan: int = 1, strong: bool = False) -> Cell:
    return Cell(text, colspan=colspan, rowspan=rowspan, align=align, strong=strong)


def code(text: str, strong: bool = False) -> Cell:
    return Cell(text, align="left", strong=strong, kind="code")


def column_numbers(start: int, count: int) -> list[Cell]:
    """The 栏次 cells 1, 2, 3 … under the amount columns."""
    return [th(str(i)) for i in range(start, start + count)]


def _empty_row(columns: int, text: str = "本表无数据") -> tuple[Cell, ...]:
    return (txt(text, colspan=columns, align="center"),)


# ---------------------------------------------------------------------------- the nine tables


class PublicTables:
    """Builds the nine public tables of one report."""

    def __init__(self, report: m.Report, figures: Figures, fmt: Formats):
        self.report = report
        self.f = figures
        self.fmt = fmt
        self.scope = report.manifest.scope
        self.year = report.manifest.year
        self.t = report.tables

    def build(self, number: str) -> Table:
        builder = getattr(self, f"_t{number}")
        return builder()

    # ------------------------------------------------------------ furniture
    def _table(self, number: str, widths, head, body, empty_note: str = "", wide: bool = False) -> Table:
        return Table(
            key=f"t{number}",
            number=f"公开{number}表",
            title=table_title(number, self.year),
            org=f"{self.scope}：{self.report.manifest.department}",
            unit=f"金额单位：{self.fmt.unit}",
            widths=tuple(widths),
            head=tuple(tuple(r) for r in head),
            body=tuple(tuple(r) for r in body) or (_empty_row(len(widths)),),
            note="注：" + table_note(number, self.scope),
            empty_note=empty_note,
            wide=wide,
        )

    def _cell(self, value: Decimal | None, strong: bool = False) -> Cell:
        return num(self.fmt.cell(value), strong)

    def _empty(self, what: str) -> str:
        """The standard note of an empty table (空表并说明)."""
        return f"本{self.scope}{self.year}年度无{what}，故本表为空表。"

    # ------------------------------------------------------------ 01 and 04: two halves side by side
    def _t01(self) -> Table:
        t = self.t.t01
        left = [(f"{cn_number(i + 1)}、{name}", t.income_value(key)) for i, (key, name) in enumerate(INCOME_LINES)]
        classes = classification().classes_for(self.year)
        right = [(f"{cn_number(i + 1)}、{name}", [t.class_value(code_)]) for i, (code_, name) in enumerate(classes)]
        bottom = [
            ("本年收入合计", t.income_value("total_income"), "本年支出合计", [t.spending_value("total_spending")]),
            ("使用非财政拨款结余", t.income_value("non_fiscal"), "结余分配", [t.spending_value("distribution")]),
            ("年初结转和结余", t.income_value("opening"), "年末结转和结余", [t.spending_value("closing")]),
            ("总计", t.income_value("grand_total"), "总计", [t.spending_value("grand_total")]),
        ]
        head = [
            [th("收入", colspan=3), th("支出", colspan=3)],
            [th("项目"), th("行次"), th("金额"), th("项目（按功能分类）"), th("行次"), th("金额")],
            [th("栏次"), th(""), th("1"), th("栏次"), th(""), th("2")],
        ]
        return self._table("01", (30, 6, 12, 30, 6, 12), head, self._halves(left, right, bottom, 1))

    def _t04(self) -> Table:
        t = self.t.t04
        books = [k for k, _ in BOOKS]
        left = [(f"{cn_number(i + 1)}、{name}", t.income_value(key)) for i, (key, name) in enumerate(BOOKS)]
        classes = classification().classes_for(self.year)

        def cols(line: m.Line | None) -> list[Decimal | None]:
            return [line.value(k) if line else None for k in ("total", *books)]

        right = [(f"{cn_number(i + 1)}、{name}", cols(next((c for c in t.classes if c.key == code_), None)))
                 for i, (code_, name) in enumerate(classes)]
        opening = t.income.get("opening")
        bottom = [
            ("本年收入合计", t.income_value("total_income"), "本年支出合计", cols(t.spending.get("total_spending"))),
            ("年初财政拨款结转和结余", opening.value("total") if opening else None, "年末财政拨款结转和结余",
             cols(t.spending.get("closing"))),
        ]
        bottom += [(f"　　{name}", opening.value(key) if opening else None, "", None) for key, name in BOOKS]
        bottom.append(("总计", t.income_value("grand_total"), "总计", cols(t.spending.get("grand_total"))))
        head = [
            [th("收入", colspan=3), th("支出", colspan=6)],
            [th("项目"), th("行次"), th("金额"), th("项目（按功能分类）"), th("行次"), th("合计"),
             th("一般公共预算财政拨款"), th("政府性基金预算财政拨款"), th("国有资本经营预算财政拨款")],
            [th("栏次"), th(""), th("1"), th("栏次"), th(""), *column_numbers(2, 4)],
        ]
        return self._table("04", (24, 5, 10, 24, 5, 10, 10, 10, 10), head, self._halves(left, right, bottom, 4), wide=True)

    def _halves(self, left, right, bottom, width: int) -> list[list[Cell]]:
        """Rows of a two-half summary table, with 行次 numbered down the left half, then the right."""
        height = max(len(left), len(right))
        rows: list[list[Cell]] = []
        number = 1
        left_numbers = {}
        for i in range(height + len(bottom)):
            left_numbers[i] = number
            number += 1
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
            strong = l_name == "总计"
            row = [label(l_name, strong=strong or l_name.endswith("合计")), num(str(left_numbers[height + j])),
                   self._cell(l_value, strong)]
            if r_name:
                row += [label(r_name, strong=strong or r_name.endswith("合计")), num(str(number)),
                        *(self._cell(v, strong) for v in r_values)]
                number += 1
            else:
                row += [label(""), num(""), *(num("") for _ in range(width))]
            rows.append(row)
        return rows

    # ------------------------------------------------------------ 02 03 05 08 09: 功能分类 tables
    def _class_table(self, number: str, table: m.ClassTable | None, head_amounts: list[list[Cell]],
                     empty_note: str = "") -> Table:
        spec = CLASS_TABLES[number]
        columns = len(spec.columns)
        head = [
            [th("项目", colspan=2), *head_amounts[0]],
            [th("科目编码"), th("科目名称"), *head_amounts[1]],
            [th("栏次", colspan=2), *column_numbers(1, columns)],
        ]
        widths = (9, 26, *([10] * columns))
        if table is None or table.empty:
            note = (table.empty_note if table and table.empty_note else "") or empty_note
            return self._table(number, widths, head, [], empty_note=note, wide=columns > 7)
        body: list[list[Cell]] = []
        if table.total is not None:
            body.append([label("合计", strong=True, colspan=2, align="center"),
                         *(self._cell(table.total.values.get(c.key), True) for c in spec.columns)])
        for row in sorted(table.rows, key=lambda r: r.code):
            name = self.f.names.get(row.code, row.name or row.code)
            body.append([code(row.code), label(name, indent=row.level - 1),
                         *(self._cell(row.values.get(c.key)) for c in spec.columns)])
        return self._table(number, widths, head, body, wide=columns > 7)

    @staticmethod
    def _spanned(labels: list[str]) -> list[list[Cell]]:
        """Amount headers that span both header rows."""
        return [[th(text, rowspan=2) for text in labels], []]

    def _t02(self) -> Table:
        return self._class_table("02", self.t.t02, self._spanned([c.label for c in CLASS_TABLES["02"].columns]))

    def _t03(self) -> Table:
        return self._class_table("03", self.t.t03, self._spanned([c.label for c in CLASS_TABLES["03"].columns]))

    def _spending_head(self) -> list[list[Cell]]:
        return [[th("本年支出", colspan=3)], [th("合计"), th("基本支出"), th("项目支出")]]

    def _t05(self) -> Table:
        return self._class_table("05", self.t.t05, self._spending_head(), self._empty("一般公共预算财政拨款支出"))

    def _t09(self) -> Table:
        return self._class_table("09", self.t.t09, self._spending_head(), self._empty("国有资本经营预算财政拨款支出"))

    def _t08(self) -> Table:
        head = [
            [th("年初结转和结余", rowspan=2), th("本年收入", rowspan=2), th("本年支出", colspan=3), th("年末结转和结余", rowspan=2)],
            [th("小计"), th("基本支出"), th("项目支出")],
        ]
        return self._class_table("08", self.t.t08, head, self._empty("政府性基金预算财政拨款收入、支出和结转结余"))

    # ------------------------------------------------------------ 06: three blocks side by side
    def _t06(self) -> Table:
        t = self.t.t06
        codes = classification()
        head = [
            [th("人员经费", colspan=3), th("公用经费", colspan=6)],
            [*(cell for _ in range(3) for cell in (th("科目编码"), th("科目名称"), th("决算数")))],
        ]
        widths = (7, 16, 9, 7, 16, 9, 7, 16, 9)
        if t is None or t.empty:
            note = (t.empty_note if t and t.empty_note else "") or self._empty("一般公共预算财政拨款基本支出")
            return self._table("06", widths, head, [], empty_note=note, wide=True)

        def cells(row: m.EconomicRow | None) -> list[Cell]:
            if row is None:
                return [code(""), label(""), num("")]
            name = row.name or codes.economic_names.get(row.code, row.code)
            return [code(row.code), label(name, indent=row.level - 1), self._cell(row.amount)]

        personnel = list(t.personnel)
        running = list(t.running)
        half = (len(running) + 1) // 2
        second, third = running[:half], running[half:]
        height = max(len(personnel), len(second))
        body = []
        for i in range(height):
            body.append([*cells(personnel[i] if i < len(personnel) else None),
                         *cells(second[i] if i < len(second) else None),
                         *cells(third[i] if i < len(third) else None)])
        body.append([label("人员经费合计", strong=True, colspan=2, align="center"), self._cell(t.personnel_total, True),
                     label("公用经费合计", strong=True, colspan=5, align="center"), self._cell(t.running_total, True)])
        return self._table("06", widths, head, body, wide=True)

    # ------------------------------------------------------------ 07: 三公 budget and actual
    def _t07(self) -> Table:
        t = self.t.t07
        half = [th("合计", rowspan=2), th("因公出国（境）费", rowspan=2), th("公务用车购置及运行费", colspan=3),
                th("公务接待费", rowspan=2)]
        sub = [th("小计"), th("公务用车购置费"), th("公务用车运行费")]
        head = [[th("预算数", colspan=6), th("决算数", colspan=6)], half + half, sub + sub, column_numbers(1, 12)]
        widths = (8,) * 12
        if t is None or (t.budget is None and t.actual is None):
            note = (t.empty_note if t and t.empty_note else "") or self._empty("财政拨款“三公”经费预算和支出")
            return self._table("07", widths, head, [], empty_note=note, wide=True)

        def values(x: m.ThreeCosts | None) -> list[Cell]:
            keys = ("total", "abroad", "vehicles", "purchase", "running", "reception")
            return [self._cell(getattr(x, k) if x else None) for k in keys]

        return self._table("07", widths, head, [values(t.budget) + values(t.actual)], wide=True)


def public_tables(report: m.Report, figures: Figures, fmt: Formats) -> dict[str, Table]:
    """Build all nine public tables of a report, keyed by number."""
    builder = PublicTables(report, figures, fmt)
    return {n: builder.build(n) for n in ("01", "02", "03", "04", "05", "06", "07", "08", "09")}


def cells_of(table: Table) -> Iterator[Cell]:
    for row in table.rows:
        yield from row
