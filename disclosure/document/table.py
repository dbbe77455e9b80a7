"""The table model: one `Table` drives every writer (HTML, DOCX, Markdown …).

A table is header rows and body rows of cells with row and column spans (spanned positions are
simply absent, as in HTML), column widths, a footnote and an empty-table note. Writers never
compute a number: every cell's text is final when the table is built.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple


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
    value: Decimal | None = None  # an amount cell: the exact amount its text prints (for spreadsheets and open data)


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
    breaks: bool = True  # starts a page of its own where the theme says tables do (a notice's table flows with its text)
    extra: dict = field(default_factory=dict, compare=False)
    # Columns that only the data files carry, to the right of the table, row for row with it: the
    # 年初预算数 and 原因 of 05表 that 第三部分五 explains item by item (not part of the public table).
    annex: Table | None = None

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


class Placed(NamedTuple):
    """A cell at its grid position (a named tuple: tables of a report place thousands of cells)."""

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
            for dr in range(1, cell.rowspan):  # only later rows need to know: this row moves on past it
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

    The links depend only on the layout, which most tables of a site share, so they are computed
    once per layout. The layout key holds everything `_header_links` reads (the table's id and
    width, the height of its head, and each cell's header flag, spans, scope and kind), so a
    remembered result is always the one this table would get.
    """
    layout = (
        table.key,
        table.columns,
        len(table.head),
        tuple(tuple((c.header, c.rowspan, c.colspan, c.scope, c.kind) for c in row) for row in table.rows),
    )
    found = _LINKS.get(layout)
    if found is None:
        if len(_LINKS) > 512:  # a long-running process sees few layouts; keep the memo small
            _LINKS.clear()
        found = _LINKS[layout] = _header_links(table)
    return found


_LINKS: dict[tuple, dict[tuple[int, int], tuple[str, ...]]] = {}


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
            here = cover[r][c]
            if here is None:  # a gap in the grid ends every run through it
                done[c], running[c] = (), None
                continue
            if here.cell.header and column_header(here):
                ident = cell_id(table, here)
                run = running[c]
                if run is None:
                    running[c] = [ident]
                elif run[-1] != ident:
                    run.append(ident)
                continue
            ended = running[c]
            if ended is not None:
                done[c] = tuple(reversed(ended))
                running[c] = None
            if not here.cell.header and here.row == r and here.col == c:
                links[(r, c)] = tuple(dict.fromkeys((*done[c], *row_headers(here))))
    return links


# ---------------------------------------------------------------------------- cell helpers

# A report's tables hold about 1,500 cells, made by the helpers below: set directly, as the frozen
# dataclass's own __init__ would, a cell costs a third as much. The field list is checked against
# Cell's, so that a new field cannot be missed.
_new = object.__new__
_set = object.__setattr__
if [f.name for f in fields(Cell)] != [
    "text", "header", "rowspan", "colspan", "align", "strong", "indent", "kind", "scope", "value"
]:  # fmt: skip
    raise AssertionError("document/table.py: _cell does not set every field of Cell")


def _cell(
    text: str,
    header: bool,
    rowspan: int,
    colspan: int,
    align: str,
    strong: bool,
    indent: int,
    kind: str,
    scope: str,
    value: Decimal | None,
) -> Cell:
    cell = _new(Cell)
    _set(
        cell,
        "__dict__",
        {
            "text": text,
            "header": header,
            "rowspan": rowspan,
            "colspan": colspan,
            "align": align,
            "strong": strong,
            "indent": indent,
            "kind": kind,
            "scope": scope,
            "value": value,
        },
    )
    return cell


def th(text: str, rowspan: int = 1, colspan: int = 1, align: str = "center", scope: str = "col") -> Cell:
    """A column header (a row header spanning rows when scope="row")."""
    return _cell(text, True, rowspan, colspan, align, False, 0, "label", scope, None)


def label(text: str, indent: int = 0, strong: bool = False, colspan: int = 1, align: str = "left") -> Cell:
    """A row header (th scope=row)."""
    return _cell(text, True, 1, colspan, align, strong, indent, "label", "row", None)


def num(text: str, strong: bool = False, value: Decimal | None = None) -> Cell:
    """A number cell; an amount passes its exact value along with its printed text."""
    return _cell(text, False, 1, 1, "right", strong, 0, "number", "row", value)


def txt(text: str, colspan: int = 1, align: str = "left", rowspan: int = 1, strong: bool = False) -> Cell:
    return _cell(text, False, rowspan, colspan, align, strong, 0, "text", "row", None)


def code(text: str, strong: bool = False) -> Cell:
    return _cell(text, False, 1, 1, "left", strong, 0, "code", "row", None)


def column_numbers(start: int, count: int) -> list[Cell]:
    """The 栏次 cells 1, 2, 3 … under the amount columns."""
    return [th(str(i)) for i in range(start, start + count)]


def empty_row(columns: int, text: str) -> tuple[Cell, ...]:
    """The one row of a table without data (its text from the labels)."""
    return (txt(text, colspan=columns, align="center"),)


def cells_of(table: Table) -> Iterator[Cell]:
    for row in table.rows:
        yield from row
