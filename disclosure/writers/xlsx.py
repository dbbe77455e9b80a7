"""Document → an Excel workbook (report.xlsx): the public tables, one sheet each, in the official layout.

Each sheet is named by its table's number (公开01表 …) and laid out as the finance system's own
export: the title, the 表号 at the right, the 编制单位 and 金额单位 line, the header rows merged
exactly as the table model spans them, the 栏次 row, then the body with amounts as numbers
(two decimals, exact), codes as text, 合计 rows in bold and 款/项 names indented; the footnote
and the empty-table note follow. Header rows are frozen and repeated on every printed page, the
page is A4, landscape for the tables the DOCX sets in landscape, fitted to the page width.

Fonts, sizes, margins and the page number come from the theme's docx.yaml, so the workbook
prints like the Word file. openpyxl builds the workbook; its zip is rewritten with fixed member
dates and the core properties carry the report's own date, so two builds are byte-identical.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..amounts import format_amount, quantize
from ..compose.formats import YUAN
from ..document import Document, Table
from ..document.table import Cell
from ..resources import Theme
from . import docx_xml as x
from .docx import DocxTheme, TextStyle, docx_theme

# Column widths are in Excel's character units (the width of a digit of the default 11 pt font,
# about 5.25 pt); a CJK character at size s pt is about s / 5.25 units wide, a digit half that.
_UNIT_PT = 5.25
_PADDING = 0.3  # units of safety around a text (a column unit already holds a cell margin)
_INDENT_UNITS = 2  # the width of one indent step of a cell (Alignment.indent)
_INVALID_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\"})
_THIN = Side(style="thin")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TWIPS_PER_INCH = 1440
_CHARSET_GB2312 = 134  # tells Excel and WPS the font is a Chinese one


def public_tables(document: Document) -> list[Table]:
    """The public tables of a document in the order they appear (forms and evaluation tables left out)."""
    seen: dict[str, Table] = {}
    for value in document.islands("table"):
        if isinstance(value, Table) and value.number and not value.form and value.key not in seen:
            seen[value.key] = value
    return list(seen.values())


def amount_of(cell: Cell) -> Decimal | None:
    """An amount cell's exact value at the printed precision (half-up, two places), or None."""
    return quantize(cell.value, 2) if cell.value is not None and cell.kind == "number" else None


def _text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _width(text: str, size: float) -> float:
    """The width of a text in column units at a font size: wide characters count double."""
    wide = sum(1 for ch in text if ord(ch) > 0x2E7F)
    return (wide * size + (len(text) - wide) * size * 0.5) / _UNIT_PT


def _line_height(style: TextStyle) -> float:
    """A row's height in points for one line of a style (its fixed line spacing, else 1.5 × its size)."""
    return max(style.line, style.size * 1.5)


def column_widths(table: Table, size: float, text_width: float) -> list[float]:
    """The table's relative widths over the page's text width (in column units), as the DOCX sets them.

    An amount or code column is widened where its figures need it: a spreadsheet shows “###”
    for a number too wide for its cell, and a code never wraps. Names wrap, as in the DOCX.
    """
    weights = [max(1, w) for w in table.widths]
    widths = [w * text_width / sum(weights) for w in weights]
    for line in table.grid[len(table.head) :]:
        for placed in line:
            cell = placed.cell
            if cell.colspan == 1 and cell.kind in ("number", "code") and cell.text:
                widths[placed.col] = max(widths[placed.col], _width(cell.text, size) + _PADDING)
    return [round(w, 2) for w in widths]


@dataclass(frozen=True)
class _Look:
    """How a cell looks: its text style, emphasis, alignment, grid lines and number format."""

    style: TextStyle
    bold: bool = False
    horizontal: str = "left"
    vertical: str = "center"
    wrap: bool = False
    indent: int = 0
    grid: bool = False
    number_format: str = "General"


class _Styles:
    """Each look of a workbook made once, then copied onto the cells that have it.

    openpyxl hashes every style object set on a cell to find it in the workbook's lists, which
    made the styling most of the writer's time; copying a styled cell's style array instead is
    what openpyxl's own worksheet copier does.
    """

    def __init__(self) -> None:
        self.made: dict[_Look, StyleArray] = {}

    def apply(self, cell: SheetCell | MergedCell, look: _Look) -> None:
        made = self.made.get(look)
        if made is not None:
            cell._style = copy(made)  # type: ignore[union-attr]  # the stubs leave out the slot openpyxl keeps styles in
            return
        style = look.style
        cell.font = Font(name=style.font, size=style.size, bold=look.bold or style.bold, charset=_CHARSET_GB2312)
        cell.alignment = Alignment(
            horizontal=look.horizontal, vertical=look.vertical, wrap_text=look.wrap or None, indent=look.indent
        )
        if look.grid:
            cell.border = _GRID
        cell.number_format = look.number_format
        self.made[look] = copy(cell._style)  # type: ignore[union-attr]


class _Sheet:
    """Draws one table on one worksheet."""

    def __init__(self, sheet: Worksheet, table: Table, theme: DocxTheme, grouping: bool, styles: _Styles):
        self.ws = sheet
        self.table = table
        self.theme = theme
        self.styles = theme.styles
        self.looks = styles
        self.amount_format = "#,##0.00" if grouping else "0.00"
        text_width = theme.text_width(table.wide) / 20 / _UNIT_PT  # twips → points → column units
        size = self.styles["table_cell"].size
        self.widths = column_widths(table, size, text_width)
        self.annex = table.annex  # columns for the data only, drawn to the right of the table
        if self.annex is not None:
            self.widths += column_widths(self.annex, size, text_width * sum(self.annex.widths) / sum(table.widths))

    def draw(self) -> None:
        table, ws = self.table, self.ws
        last = table.columns
        for i, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        title, caption = self.styles["table_title"], self.styles["table_caption"]
        self.put(1, 1, table.title, _Look(title, horizontal="center"), (1, last))
        ws.row_dimensions[1].height = round(_line_height(title) * 1.3, 1)
        self.put(2, last, table.number, _Look(caption, horizontal="right"))
        self.put(3, 1, table.org, _Look(caption))
        self.put(3, last, table.unit, _Look(caption, horizontal="right"))
        top = 4
        head = len(table.head)
        self.grid(top, table)
        if self.annex is not None:
            self.grid(top, self.annex, table.columns)
        row = top + len(table.rows)
        for note in (table.empty_note, table.note, self.annex.note if self.annex else ""):
            if note:
                self.note(row, note)
                row += 1
        ws.freeze_panes = f"A{top + head}"
        self.page(top + head - 1)
        if self.annex is not None:  # the page prints the public table only
            ws.print_area = f"A1:{get_column_letter(table.columns)}{row - 1}"

    def put(
        self, row: int, col: int, value: str | int, look: _Look, span: tuple[int, int] = (1, 1), number: bool = False
    ) -> None:
        """Write a cell, merged over a span: a text stays text even when it looks like a number or a formula."""
        rows, cols = span
        if rows > 1 or cols > 1:
            # Merged before it is styled, so openpyxl has no border to spread; the grid is set on
            # every covered cell below, and every edge of the range is drawn.
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1)
        cell = self.ws.cell(row=row, column=col)
        if value != "":
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "n" if number else "s"
        self.looks.apply(cell, look)
        if look.grid:
            for r in range(row, row + rows):
                for c in range(col, col + cols):
                    if (r, c) != (row, col):
                        self.looks.apply(self.ws.cell(row=r, column=c), look)

    def grid(self, top: int, table: Table, offset: int = 0) -> None:
        """The header and body rows: every cell at its grid position, merged as the model spans it.

        `offset` is the first column: an annex is drawn beside its table, row for row."""
        head = len(table.head)
        header, body = self.styles["table_header"], self.styles["table_cell"]
        covered: set[tuple[int, int]] = set()
        heights: dict[int, float] = {}
        header_line, body_line = _line_height(header), _line_height(body)
        for line in table.grid:
            for placed in line:
                cell = placed.cell
                rows = max(1, min(cell.rowspan, len(table.rows) - placed.row))
                cols = max(1, min(cell.colspan, table.columns - placed.col))
                covered.update((placed.row + r, placed.col + c) for r in range(rows) for c in range(cols))
                row, col = top + placed.row, 1 + offset + placed.col
                width = (
                    sum(self.widths[offset + placed.col : offset + placed.col + cols]) - _PADDING - cell.indent * _INDENT_UNITS
                )
                if placed.row < head:
                    horizontal = cell.align if cell.align in ("left", "right") else "center"
                    self.put(row, col, _text(cell.text), _Look(header, horizontal=horizontal, wrap=True, grid=True), (rows, cols))
                    lines = math.ceil(_width(cell.text, header.size) / max(width, 1)) if cell.text else 1
                    for r in range(rows):  # the lines of a merged header share the rows it spans
                        heights[row + r] = max(heights.get(row + r, 0), header_line * lines / rows)
                    continue
                wraps = self.body_cell(row, col, cell, (rows, cols))
                if wraps and cell.text and rows == 1:
                    lines = math.ceil(_width(cell.text, body.size) / max(width, 1))
                    heights[row] = max(heights.get(row, 0), body_line * lines)
        gap = _Look(body, grid=True)
        for r in range(len(table.rows)):  # a row shorter than the grid: the gap still has its grid lines
            for c in range(table.columns):
                if (r, c) not in covered:
                    self.looks.apply(self.ws.cell(row=top + r, column=1 + offset + c), gap)
        # Every row gets its height: neither Excel nor LibreOffice fits a row to wrapped or merged text on opening.
        for r in range(len(table.rows)):
            least = header_line if r < head else body_line
            dimension = self.ws.row_dimensions[top + r]
            dimension.height = max(dimension.height or 0, round(max(heights.get(top + r, 0), least) + 2, 1))

    def body_cell(self, row: int, col: int, cell: Cell, span: tuple[int, int]) -> bool:
        """A body cell: an amount as a number, a 行次 as a whole number, anything else as text; tell whether it wraps."""
        style = self.styles["table_cell"]
        amount = amount_of(cell)
        horizontal = "center" if cell.align == "center" else "right"
        if amount is not None:
            # The number goes into the file as its exact decimal text (657.69): openpyxl would write
            # a Decimal or a float as "%.16g" of a binary double (657.6900000000001). A report
            # that prints zero as blank keeps its zeros as numbers, shown blank by the format.
            form = self.amount_format if cell.text else f"{self.amount_format};-{self.amount_format};;@"
            look = _Look(style, cell.strong, horizontal, grid=True, number_format=form)
            self.put(row, col, format_amount(amount, 2), look, span, number=True)
            return False
        if cell.kind == "number" and cell.text.isdigit():  # a 行次
            self.put(row, col, int(cell.text), _Look(style, cell.strong, horizontal, grid=True), span)
            return False
        wrap = cell.kind != "code"  # a code never breaks over two lines
        horizontal = cell.align if cell.align in ("left", "center", "right") else "left"
        look = _Look(style, cell.strong, horizontal, wrap=wrap, indent=cell.indent, grid=True, number_format="@")
        self.put(row, col, _text(cell.text), look, span)
        return wrap

    def note(self, row: int, text: str) -> None:
        style = self.styles["table_note"]
        self.put(row, 1, _text(text), _Look(style, vertical="top", wrap=True), (1, self.table.columns))
        lines = math.ceil(_width(text, style.size) / max(sum(self.widths[: self.table.columns]) - _PADDING, 1))
        self.ws.row_dimensions[row].height = round(_line_height(style) * lines + 4, 1)

    def page(self, last_title_row: int) -> None:
        """A4, landscape for wide tables, fitted to the page width; the title and header rows repeat on every page."""
        ws, theme = self.ws, self.theme
        setup = ws.page_setup
        setup.paperSize = ws.PAPERSIZE_A4
        setup.orientation = "landscape" if self.table.wide else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        margins = theme.landscape_margins if self.table.wide else theme.margins
        inch = {k: round(v / _TWIPS_PER_INCH, 3) for k, v in margins.items()}
        ws.page_margins = PageMargins(
            left=inch["left"],
            right=inch["right"],
            top=inch["top"],
            bottom=inch["bottom"],
            header=inch["header"],
            footer=inch["footer"],
        )
        ws.print_title_rows = f"1:{last_title_row}"
        before, after = theme.page_number
        footer = self.styles["footer"]
        page_number = ws.oddFooter
        assert page_number is not None and page_number.center is not None  # a new sheet has an empty footer
        page_number.center.text = f"{_escape_header(before)}&P{_escape_header(after)}"
        page_number.center.size = footer.size  # in the sheet's own font: a font name there needs a style name Excel localises


def _escape_header(text: str) -> str:
    """Text for a header or footer: “&” starts a code there."""
    return text.replace("&", "&&")


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """A valid, distinct sheet name for each table: its number as printed (at most 31 characters)."""
    names: list[str] = []
    for table in tables:
        base = (table.number or table.key).translate(_INVALID_SHEET).strip("'")[:31] or table.key
        name, n = base, 1
        while name.casefold() in (other.casefold() for other in names):
            n += 1
            name = f"{base[: 31 - len(str(n)) - 2]}({n})"
        names.append(name)
    return names


def _save(workbook: Workbook) -> bytes:
    """The workbook's zip as openpyxl writes it, keeping the core properties' dates as set.

    `Workbook.save` stamps the modification time with the clock; its ExcelWriter does not.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


def workbook_of(document: Document, tables: Iterable[Table], theme: Theme) -> Workbook:
    """The workbook of some tables of a document, one sheet each, with the document's properties."""
    settings = docx_theme(theme)
    grouping = document.meta.get("unit", "") == YUAN
    tables = list(tables)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook starts with
    styles = _Styles()
    for table, name in zip(tables, sheet_names(tables), strict=True):
        _Sheet(workbook.create_sheet(name), table, settings, grouping, styles).draw()
    if workbook.worksheets:
        workbook.active = 0
    meta = document.meta
    properties = workbook.properties
    properties.title = document.title
    properties.subject = meta.get("subject", "")
    properties.keywords = meta.get("keywords", "")
    properties.creator = properties.lastModifiedBy = meta.get("department", "")
    properties.language = "zh-CN"
    properties.created = properties.modified = document.created
    return workbook


def write_xlsx(document: Document, theme: Theme) -> bytes | dict[str, bytes]:
    """Render the public tables of a Document as report.xlsx; a document without them (绩效自评) gets no workbook."""
    tables = public_tables(document)
    if not tables:
        return {}
    return x.repack(_save(workbook_of(document, tables, theme)))
