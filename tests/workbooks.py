"""Workbooks for the tests, drawn from a report's own tables: the toolkit's layout and export variants.

Every workbook here is generated from a bundled example, never checked in: `official` draws the
nine tables exactly as the DOCX and HTML draw them (title, 表号, 部门 and 金额单位 line, merged
header rows, 栏次 row, body), from the `Table` model; the variants rewrite that layout the way real
finance-system exports differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from disclosure.document.table import Table
from disclosure.pipeline import render
from disclosure.read import read


@dataclass
class Grid:
    """One table laid out as cells: values by (row, column), merged ranges, all 1-based."""

    title: str
    number: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    height: int = 0
    width: int = 0

    def put(self, r: int, c: int, value: object, rowspan: int = 1, colspan: int = 1) -> None:
        self.cells[(r, c)] = value
        if rowspan > 1 or colspan > 1:
            self.merges.append((r, c, r + rowspan - 1, c + colspan - 1))
        self.height = max(self.height, r + rowspan - 1)
        self.width = max(self.width, c + colspan - 1)


def document_tables(folder: Path) -> list[Table]:
    """The nine public tables of a report folder, as its documents draw them."""
    rendered = render(read(folder))
    return [t for t in rendered.document.islands("table") if isinstance(t, Table) and t.number]


def layout(table: Table, amounts: Callable[[Decimal], object] | None = None) -> Grid:
    """The toolkit's own layout of a table: title, 表号, 部门/金额单位 line, head, body, notes."""
    grid = Grid(table.title, table.number)
    width = table.columns
    grid.put(1, 1, table.title, colspan=width)
    grid.put(2, width, table.number)
    grid.put(3, 1, table.org, colspan=max(1, width - 2))
    grid.put(3, width, table.unit)
    top = 4
    for line in table.grid:
        for placed in line:
            cell = placed.cell
            value: object = cell.text
            if cell.value is not None:
                value = amounts(cell.value) if amounts else cell.value
            grid.put(top + placed.row, placed.col + 1, value, cell.rowspan, cell.colspan)
    r = top + len(table.rows)
    for note in (table.empty_note, table.note):
        if note:
            grid.put(r, 1, note, colspan=width)
            r += 1
    return grid


def save_xlsx(
    grids: list[Grid], path: Path, sheet_names: list[str] | None = None, one_sheet: bool = False, merged: bool = True
) -> Path:
    """Write grids into an .xlsx, one sheet each (or all on one sheet, one under another)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = None
    offset = 0
    for i, grid in enumerate(grids):
        if sheet is None or not one_sheet:
            sheet = book.create_sheet(sheet_names[i] if sheet_names else grid.number)
            offset = 0
        for (r, c), value in grid.cells.items():
            sheet.cell(offset + r, c, value)
        if merged:
            for r1, c1, r2, c2 in grid.merges:
                sheet.merge_cells(f"{get_column_letter(c1)}{offset + r1}:{get_column_letter(c2)}{offset + r2}")
        offset += grid.height + 2
    book.save(path)
    return path


def add_budgets(grid: Grid, report_tables, header_rows: int = 3) -> Grid:
    """Add 年初预算数 and 原因 columns to the right of table 05 (for 第三部分五's item by item account)."""
    t05 = report_tables.t05
    by_code = {row.code: row for row in t05.rows}
    first = 4  # the head starts below the title, 表号 and 部门/金额单位 rows
    budget_col, reason_col = grid.width + 1, grid.width + 2
    grid.put(first, budget_col, "年初预算数", rowspan=header_rows - 1)
    grid.put(first, reason_col, "原因", rowspan=header_rows - 1)
    for r in range(first + header_rows, grid.height + 1):
        code = grid.cells.get((r, 1))
        row = t05.total if code == "合计" else by_code.get(str(code)) if code else None
        if row is None:
            continue
        if row.budget is not None:
            grid.put(r, budget_col, row.budget)
        if row.reason:
            grid.put(r, reason_col, row.reason)
    return grid


def class_export(table, number: str, department: str, year: int, factor: Decimal = Decimal(1)) -> Grid:
    """A 功能分类 table as a finance system exports it: 类/款/项 columns with their own digits only,
    codes stored as numbers, names indented, a 行次 column, 合计 with empty code cells, the department
    and year before the title and the 表号 at its right."""
    from disclosure.catalog import CLASS_TABLES, classification, table_title

    spec = CLASS_TABLES[number]
    grid = Grid(table_title(number, year), f"公开{number}表")
    extra = ["年初预算数", "原因"] if number == "05" else []
    width = 5 + len(spec.columns) + len(extra)
    grid.put(1, 1, f"{department}{year}年度{table_title(number, year)}", colspan=width - 1)
    grid.put(1, width, f"公开{number}表")
    grid.put(2, 1, f"编制单位：{department}")
    grid.put(2, width, "单位：元" if factor != 1 else "单位：万元")
    grid.put(3, 1, "科目编码", colspan=3)
    grid.put(3, 4, "科目名称", rowspan=2)
    grid.put(3, 5, "行次", rowspan=2)
    for i, column in enumerate(spec.columns):
        grid.put(3, 6 + i, column.label if column.key != "spending" else "本年支出", rowspan=2)
    for i, word in enumerate(extra):
        grid.put(3, 6 + len(spec.columns) + i, word, rowspan=2)
    for i, word in enumerate(("类", "款", "项")):
        grid.put(4, 1 + i, word)
    r = 5
    codes = classification()
    rows = ([table.total] if table and table.total else []) + sorted(table.rows if table else (), key=lambda x: x.code)
    for n, row in enumerate(rows, start=1):
        if row is table.total:
            grid.put(r, 4, "合计")
        else:
            code = row.code
            parts = [int(code[:3]), code[3:5], code[5:7]]
            grid.put(r, row.level, parts[row.level - 1] if row.level > 1 else float(code[:3]))
            grid.put(r, 4, "    " * (row.level - 1) + (row.name or codes.function_name(code) or ""))
        grid.put(r, 5, n)
        for i, column in enumerate(spec.columns):
            value = row.values.get(column.key)
            if value is not None:
                grid.put(r, 6 + i, value * factor)
        if number == "05":
            if row.budget is not None:
                grid.put(r, 6 + len(spec.columns), row.budget * factor)
            if row.reason:
                grid.put(r, 7 + len(spec.columns), row.reason)
        r += 1
    if table is not None and table.empty_note:
        grid.put(r, 1, table.empty_note, colspan=width)
    return grid


def transform(grid: Grid, amount: Callable[[Decimal], object] | None = None, text: Callable[[str], str] | None = None) -> Grid:
    """The same grid with each amount (and each text) rewritten."""
    out = Grid(grid.title, grid.number, merges=list(grid.merges), height=grid.height, width=grid.width)
    for key, value in grid.cells.items():
        if isinstance(value, Decimal) and amount is not None:
            value = amount(value)
        elif isinstance(value, str) and text is not None:
            value = text(value)
        out.cells[key] = value
    return out


def save_xls(grids: list[Grid], path: Path, sheet_names: list[str] | None = None) -> Path:
    """Write grids into a BIFF .xls (the format of older finance software) with xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for i, grid in enumerate(grids):
        sheet = book.add_sheet(sheet_names[i] if sheet_names else grid.number)
        covered = {(r, c) for r1, c1, r2, c2 in grid.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r1, c1, r2, c2 in grid.merges:
            value = grid.cells.get((r1, c1), "")
            sheet.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, float(value) if isinstance(value, Decimal) else value)
        for (r, c), value in grid.cells.items():
            if (r, c) in covered:
                continue
            sheet.write(r - 1, c - 1, float(value) if isinstance(value, Decimal) else value)
    book.save(str(path))
    return path
