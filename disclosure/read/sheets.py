"""Find the nine public tables in a workbook: by their titles, wherever they sit, never by coordinates.

A title cell names a table (its official title or a common export's name, with or without the
department, the year, a platform's numbering such as 3.15 or a 表号); a sheet without a title cell
may be named after a table instead. A sheet may hold several tables one under another: each runs
from its title to the next title. Tables marked as the finance system's internal forms (财决NN表)
and sheets without a table are left out and listed once in a notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ..catalog import TABLE_NUMBERS, table_titles
from ..errors import Finding, Location, ReportError, warning
from .spreadsheet import Sheet, words

_NUMERALS = "一二三四五六七八九"
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")
_PARENS = str.maketrans("()", "（）")
_SENTENCE = re.compile(r"[。，；：:,;！？]")
_TRAILING_BRACKET = re.compile(r"（[^（）]*）$")
_LEADING_NUMBER = re.compile(rf"^(附件\d*|[\d.．]+[、]?|公开\d+表|公开表\d+|附表[\d{_NUMERALS}]+|表[\d{_NUMERALS}]+)")
_YEAR = re.compile(r"\d{4}年度?")
_TABLE_NUMBER = re.compile(rf"(公开|财决|附)?表?0?([1-9{_NUMERALS}])号?表?")


@lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """Text compared without spaces and quotes, with full-width parentheses."""
    return _SPACES.sub("", text).translate(_QUOTES).translate(_PARENS)


@dataclass(frozen=True)
class Region:
    """Where one table sits: its sheet, its number, and the rows from its title to the next table."""

    sheet: Sheet
    number: str
    top: int  # the title row; the first row of the sheet when the table is found by the sheet's name
    bottom: int  # the row after the table's last row
    titled: bool  # found by a title cell (else by the sheet's name)
    title_loc: Location


@cache
def _titles() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Every known title → table number, and the same longest first (for titles with a prefix)."""
    exact: dict[str, str] = {}
    for number in TABLE_NUMBERS:
        for title in (*table_titles(number), *words()["表名"][number]):
            exact[plain(title)] = number
    by_length = tuple(sorted(exact.items(), key=lambda item: -len(item[0])))
    return exact, by_length


def table_number(text: str) -> tuple[str, str] | None:
    """Read a 表号 such as 公开01表, 表一 or 财决02表 into (its kind, the table number)."""
    match = _TABLE_NUMBER.fullmatch(plain(text))
    if not match or (match.group(1) is None and "表" not in text and not text.strip().isdigit()):
        return None
    digit = match.group(2)
    number = str(_NUMERALS.index(digit) + 1) if digit in _NUMERALS else digit
    return match.group(1) or "", f"0{number}"


def title_number(text: str, department: str = "") -> str | None:
    """The number of the public table a title names, or None when the text is not a table's title."""
    text = plain(text)
    if not text or len(text) > 80 or _SENTENCE.search(text):
        return None
    core = _TRAILING_BRACKET.sub("", text)
    if department:
        core = core.replace(plain(department), "")
    core = _YEAR.sub("", core)
    core = _LEADING_NUMBER.sub("", core)
    exact, by_length = _titles()
    if core in exact:
        return exact[core]
    if _YEAR.search(text):  # another department's name before the year and the title
        for title, number in by_length:
            if core.endswith(title):
                return number
    return None


def _internal(sheet: Sheet, row: int) -> bool:
    """Tell whether the table titled on `row` carries a 财决 form number (an internal form) nearby."""
    if (table_number(sheet.name) or ("", ""))[0] == "财决" or sheet.name.startswith("财决"):
        return True
    for r in range(max(0, row - 2), min(sheet.height, row + 3)):
        for text in sheet.rows[r]:
            if text.startswith("财决") or (table_number(text) or ("", ""))[0] == "财决":
                return True
    return False


def _titles_in(sheet: Sheet, department: str) -> list[tuple[int, int, str]]:
    """Every title cell of a sheet: (row, column, table number), one per row."""
    found: list[tuple[int, int, str]] = []
    for r, row in enumerate(sheet.rows):
        for c, text in enumerate(row):
            if not text or sheet.is_number(r, c):
                continue
            number = title_number(text, department)
            if number is not None:
                found.append((r, c, number))
                break
    return found


def locate(sheets: list[Sheet], department: str = "") -> tuple[list[tuple[str, Region]], tuple[Finding, ...]]:
    """Find every public table; raise ReportError for a table found twice or not at all."""
    found: dict[str, Region] = {}
    unused: list[str] = []
    file = sheets[0].file if sheets else ""
    for sheet in sheets:
        regions = _regions(sheet, department)
        if not regions:
            unused.append(sheet.name)
        for region in regions:
            if region.number in found:
                first = found[region.number].title_loc
                raise ReportError(
                    region.title_loc,
                    f"工作簿中有两张公开{region.number}表（另一张在 {first.sheet}!{first.cell}）：请删除多余的一张",
                )
            found[region.number] = region
    missing = [n for n in TABLE_NUMBERS if n not in found]
    if missing:
        names = "、".join(f"公开{n}表（{table_titles(n)[-1]}）" for n in missing)
        looked = "、".join(s.name for s in sheets)
        raise ReportError(
            Location(file),
            f"工作簿中没有找到{names}：每张公开表的上方应有表名（或工作表以表名、表号命名）；"
            f"已查看的工作表：{looked}。没有数据的表也请保留为空表",
        )
    notices: tuple[Finding, ...] = ()
    if unused:
        notices = (warning(Location(file), f"工作簿中以下工作表不是公开表，已忽略：{'、'.join(unused)}", "W-SHEETS"),)
    return sorted(found.items()), notices


def _regions(sheet: Sheet, department: str) -> list[Region]:
    """The public tables on one sheet, each from its title to the next title."""
    titles = _titles_in(sheet, department)
    regions: list[Region] = []
    if titles:
        for i, (r, c, number) in enumerate(titles):
            bottom = titles[i + 1][0] if i + 1 < len(titles) else sheet.height
            if _internal(sheet, r):
                continue
            regions.append(Region(sheet, number, r, bottom, True, sheet.loc(r, c, f"公开{number}表")))
        return regions
    named = title_number(sheet.name, department)
    by_number = table_number(sheet.name)
    if named is None and by_number is not None and by_number[0] in ("", "公开", "附"):
        named = by_number[1]
    if named is None or not any(any(row) for row in sheet.rows):
        return []
    loc = Location(sheet.file, 1, 1, f"公开{named}表", sheet.name, "A1", sheet.text(0, 0))
    return [Region(sheet, named, 0, sheet.height, False, loc)]
