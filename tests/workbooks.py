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


def save_xlsx(grids: list[Grid], path: Path, sheet_names: list[str] | None = None, one_sheet: bool = False, merged: bool = True) -> Path:
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
