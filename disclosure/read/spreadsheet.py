"""A spreadsheet file as sheets of cell texts: opened with python-calamine, located cell by cell.

python-calamine reads .xlsx, .xls and .ods (values and merged ranges); openpyxl finds, in an .xlsx,
the formulas whose result was never stored. Files that are not workbooks (a CSV or a web page
renamed .xls, a password-protected or damaged file) get a message saying what they are.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from ..amounts import NumberError, normalize, parse_decimal
from ..catalog import DATA
from ..errors import Finding, Location, ReportError, warning

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# Bounds on a workbook, far above any finance system's export of nine tables (a few hundred KB, a
# few thousand cells), so that a hostile or broken file is a message and not minutes of work or
# gigabytes of memory: the reader lays each sheet out as a full grid up to its last cell.
MAX_WORKBOOK_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 200_000_000  # an .xlsx or .ods is a zip archive: what its parts unpack to
MAX_CELLS = 2_000_000  # rows × columns of a sheet's grid
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
# The stream an encrypted Office file (any password-protected .xlsx) keeps in its OLE container.
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


@cache
def words() -> dict:
    """The words that recognise tables, headers and lines (data/workbook.yaml), loaded once."""
    return yaml.load((DATA / "workbook.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def column_name(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def _shown(value: object) -> str:
    """A cell's value as text, the way a person reads it (2080505.0 → 2080505)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # A spreadsheet keeps 15 significant digits; anything further is binary noise of the double.
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    return str(value).strip()


@dataclass
class Sheet:
    """One sheet: its cell texts by row, merged ranges, and the formulas whose result was not stored."""

    file: str
    name: str
    rows: list[list[str]]
    kinds: list[list[bool]]  # True where the cell holds a number (not text)
    merges: list[tuple[tuple[int, int], tuple[int, int]]] | None
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # uncached formulas only
    notices: list[Finding] = field(default_factory=list)
    _origin: dict[tuple[int, int], tuple[int, int]] | None = None

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def text(self, r: int, c: int) -> str:
        row = self.rows[r] if 0 <= r < len(self.rows) else ()
        return row[c] if 0 <= c < len(row) else ""

    def is_number(self, r: int, c: int) -> bool:
        row = self.kinds[r] if 0 <= r < len(self.kinds) else ()
        return row[c] if 0 <= c < len(row) else False

    def ref(self, r: int, c: int) -> str:
        return f"{column_name(c)}{r + 1}"

    def loc(self, r: int, c: int, path: str = "") -> Location:
        """The location of a cell, with its text shown in messages."""
        shown = self.text(r, c)
        if not shown and (r, c) in self.formulas:
            shown = f"={self.formulas[(r, c)]}"
        return Location(self.file, r + 1, c + 1, path, self.name, self.ref(r, c), shown)

    def row_loc(self, r: int, path: str = "") -> Location:
        """The location of a row: its first cell with text (or its first cell)."""
        row = self.rows[r] if 0 <= r < len(self.rows) else []
        first = next((c for c, text in enumerate(row) if text), 0)
        return self.loc(r, first, path)

    def merged_origin(self, r: int, c: int) -> tuple[int, int] | None:
        """The top-left cell of the merged range covering (r, c), or None."""
        if self._origin is None:
            self._origin = {}
            for (r1, c1), (r2, c2) in self.merges or ():
                for rr in range(r1, r2 + 1):
                    for cc in range(c1, c2 + 1):
                        self._origin[(rr, cc)] = (r1, c1)
        return self._origin.get((r, c))

    def number(self, r: int, c: int, what: str = "", seen: frozenset[tuple[int, int]] = frozenset()) -> Decimal | None:
        """The exact value of a numeric cell in the workbook's own unit, None for blank or zero marks.

        A formula whose result was not stored is worked out from the cells it adds up (SUM and
        + / −), and said so once; any other formula without a result is an error.
        """
        if (r, c) in self.formulas and not self.text(r, c):
            return self._evaluate(r, c, seen | {(r, c)})
        text = self.text(r, c)
        if not text:
            return None
        try:
            return cell_number(text, None, what)
        except ReportError as exc:  # located only when it is needed: most cells are read without a word
            raise ReportError(self.loc(r, c), exc.message) from None

    def _evaluate(self, r: int, c: int, seen: frozenset[tuple[int, int]]) -> Decimal:
        from openpyxl.formula import Tokenizer

        formula = self.formulas[(r, c)]
        loc = self.loc(r, c)
        total = Decimal(0)
        sign = 1
        depth = 0
        for token in Tokenizer(f"={formula}").items:
            if token.type == "FUNC" and token.subtype == "OPEN" and token.value.upper() == "SUM(":
                depth += 1
            elif token.type == "FUNC" and token.subtype == "CLOSE" and depth:
                depth -= 1
            elif token.type == "SEP" and depth:
                continue
            elif token.type == "OPERATOR-INFIX" and token.value in "+-" and not depth:
                sign = 1 if token.value == "+" else -1
            elif token.type == "OPERAND" and token.subtype == "RANGE":
                total += sign * self._range_sum(token.value, loc, seen)
            elif token.type == "OPERAND" and token.subtype == "NUMBER":
                total += sign * Decimal(token.value)
            elif token.type != "WHITE-SPACE":
                raise ReportError(
                    loc, f"公式 ={formula} 没有保存计算结果，工具只能计算 SUM 和加减：请在 Excel 或 WPS 中打开这个文件并保存一次"
                )
        self.notices.append(
            warning(
                loc,
                f"公式 ={formula} 没有保存计算结果，已按公式把各格相加得出 {format(total, 'f')}；请在 Excel 中打开并保存一次，以便核对",
                "W-FORMULA",
            )
        )
        return total

    def _range_sum(self, text: str, loc: Location, seen: frozenset[tuple[int, int]]) -> Decimal:
        if "!" in text:
            raise ReportError(loc, f"公式引用了其他工作表（{text}），且没有保存计算结果：请在 Excel 中打开这个文件并保存一次")
        cells = [_cell_index(part, loc) for part in text.replace("$", "").split(":")]
        (r1, c1), (r2, c2) = cells[0], cells[-1]
        total = Decimal(0)
        for rr in range(min(r1, r2), max(r1, r2) + 1):
            for cc in range(min(c1, c2), max(c1, c2) + 1):
                if (rr, cc) in seen:
                    raise ReportError(loc, "公式引用了自身（循环引用）")
                total += self.number(rr, cc, seen=seen) or 0
        return total


def _cell_index(text: str, loc: Location) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Z]{1,3})(\d+)", text.upper())
    if not match:
        raise ReportError(loc, f"无法理解公式中的“{text}”；请在 Excel 中打开这个文件并保存一次")
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def cell_number(text: str, loc: Location | None, what: str = "") -> Decimal | None:
    """Read an amount cell: blank, -, — are nothing; (123.45) is negative; 1,234.50 is accepted."""
    raw = normalize(text)
    if raw == "" or raw in words()["零"]:
        return None
    negative = re.fullmatch(r"[(（]\s*(.+?)\s*[)）]", raw)
    if negative:
        raw = "-" + negative.group(1)
    try:
        return parse_decimal(raw, unit="金额", max_places=10, negative=True)
    except NumberError:
        subject = f"{what}应为金额数字" if what else "这一格应为金额数字"
        if re.search(r"\d", raw) and re.search(r"[万亿千百元]", raw):
            raise ReportError(
                loc or Location(""), f"{subject}，不要带单位“{text}”：金额单位写在表格上方的“金额单位”行中"
            ) from None
        raise ReportError(loc or Location(""), f"{subject}，而不是“{text}”：金额格中只能填数字（空白、0、- 都表示零）") from None


# ---------------------------------------------------------------------------- opening the file


def _sniff(path: Path, shown: str, head: bytes) -> None:
    """Say what a file that is not a workbook is, before a reader meets it."""
    where = Location(shown)
    if head.startswith(_OLE):
        return
    if head.startswith(_ZIP):
        return
    sample = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if sample[:1] == b"<" and re.match(rb"<(\?xml|!doctype|html|table)", sample[:20].lower()):
        raise ReportError(
            where,
            "这个文件其实是网页（HTML）格式，只是扩展名为 Excel：请在 Excel 或 WPS 中打开它，"
            "“另存为”Excel 工作簿（.xlsx）后再放进文件夹",
        )
    if b"\x00" not in sample and (b"," in sample or b"\t" in sample):
        raise ReportError(
            where,
            f"这个文件其实是 CSV 文本文件，只是扩展名为 {path.suffix}：CSV 没有表头合并和表号，工具读不出公开表；"
            "请从财务系统重新导出 Excel 工作簿，或在 Excel 中打开后“另存为”.xlsx",
        )
    raise ReportError(where, "这个文件不是 Excel 或 WPS 表格文件（可能已损坏）：请从财务系统重新导出")


def open_sheets(path: Path, shown: str) -> list[Sheet]:
    """Open a workbook and read every sheet's cells; clear messages for files that cannot be read."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    where = Location(shown)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(where, f"无法读取文件（{exc.strerror}）") from None
    _sniff(path, shown, data[:512])
    if data.startswith(_OLE) and _ENCRYPTED in data:
        raise _protected(where)
    _bounded(data, where)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            sheet = book.get_sheet_by_name(meta.name)
            values = sheet.to_python(skip_empty_area=False)
            rows = [[_shown(v) for v in row] for row in values]
            kinds = [[isinstance(v, (int, float)) and not isinstance(v, bool) for v in row] for row in values]
            sheets.append(Sheet(shown, meta.name, rows, kinds, sheet.merged_cell_ranges))
    except PasswordError:
        raise _protected(where) from None
    except (CalamineError, ValueError, OSError):
        raise ReportError(where, "文件已损坏，无法打开：请从财务系统重新导出，或在 Excel 中打开后另存一份") from None
    if data.startswith(_ZIP) and path.suffix.lower() in (".xlsx", ".xlsm"):
        _uncached_formulas(data, sheets, where)
    return sheets


def _bounded(data: bytes, where: Location) -> None:
    """Refuse a workbook too large to be an export of the public tables, before any reader opens it."""
    too_big = "，远大于财务系统导出的公开表工作簿：请确认放对了文件，或只保留公开表所在的工作表后另存"
    if len(data) > MAX_WORKBOOK_BYTES:
        raise ReportError(where, f"文件有 {len(data) // 1_000_000} MB{too_big}")
    if not data.startswith(_ZIP):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
                raise ReportError(where, f"文件解压后超过 {MAX_UNPACKED_BYTES // 1_000_000} MB{too_big}")
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    rows = columns = 0
                    for match in _CELL_REF.finditer(archive.read(part)):
                        columns = max(columns, _column_number(match.group(1)))
                        rows = max(rows, int(match.group(2)))
                    if rows * columns > MAX_CELLS:
                        raise ReportError(where, f"工作表有 {rows} 行、{columns} 列{too_big}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        raise ReportError(where, "文件已损坏，无法打开：请从财务系统重新导出，或在 Excel 中打开后另存一份") from None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _protected(where: Location) -> ReportError:
    return ReportError(
        where,
        "文件设置了打开密码，工具无法读取：请在 Excel 或 WPS 中打开，取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存",
    )


def _uncached_formulas(data: bytes, sheets: list[Sheet], where: Location) -> None:
    """Find formula cells without a stored result (files written by programs, never opened in Excel)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            has_formulas = any(
                b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (zipfile.BadZipFile, KeyError):
        return
    if not has_formulas:
        return
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - calamine read it; the formulas are a refinement only
        return
    by_name = {s.name: s for s in sheets}
    try:
        for ws in book.worksheets:
            sheet = by_name.get(ws.title)
            if sheet is None:
                continue
            for row in ws.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str) and value.startswith("=") and cell.row and cell.column:
                        r, c = cell.row - 1, cell.column - 1
                        if not sheet.text(r, c):
                            sheet.formulas[(r, c)] = value[1:]
    finally:
        book.close()


# ---------------------------------------------------------------------------- the whole workbook
