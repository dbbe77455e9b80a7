"""Read a table's furniture and header block, and identify each column against the catalogue.

Below the title come meta rows (编制单位 on the left, 金额单位 on the right, a 表号), then one to
six header rows, often merged, sometimes closed by a 栏次 row. Each column gets its header path:
the texts above it from top to bottom (a merged cell counts for every column it covers; a file
without merge information, such as an .ods, is read by filling a group header rightwards within
its parent). A path is matched against column specs built from the catalogue and the synonyms of
data/workbook.yaml; a column with a header that matches nothing is an error, never skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

from ..errors import Location, ReportError
from .sheets import Region, plain, table_number, title_number
from .spreadsheet import Sheet, words

_NUMBERING = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|其中[:：])")
_UNIT = re.compile(r"单位[:：]?(人民币)?(万元|千元|元)")
_ORG = re.compile(r"^(编制单位|编制部门|填报单位|部门|单位|单位名称|部门名称)[:：](.*)$")
_UNIT_SUFFIX = re.compile(r"（(人民币)?(万元|千元|元)）$")
MAX_HEADER_ROWS = 6


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """A line or column name as compared: no spaces, quotes or leading 一、（一）其中： numbering."""
    text = plain(text)
    while True:
        stripped = _NUMBERING.sub("", text)
        if stripped == text:
            return text.rstrip(":：")
        text = stripped


@cache
def synonyms(name: str, section: str = "列") -> frozenset[str]:
    """A catalogue name with its other spellings from data/workbook.yaml."""
    extra = words().get(section, {}).get(name, [])
    return frozenset(name_key(n) for n in (name, *extra))


@cache
def word_set(section: str) -> frozenset[str]:
    """One list of data/workbook.yaml, as compared."""
    return frozenset(name_key(n) for n in words()[section])


@dataclass(frozen=True)
class Spec:
    """A column the reader knows: its key, its header words, and the group headers it may sit under."""

    key: str
    labels: frozenset[str]
    groups: frozenset[str] = frozenset()
    totals_of: frozenset[str] = frozenset()  # a group header this column totals when it has no sub-header

    def rank(self, path: tuple[str, ...], neutral: frozenset[str]) -> int:
        """How well a header path fits: 3 exactly, 2 as its group's total, 1 as a 小计 under it, 0 not at all."""
        leaf, groups = path[-1], [g for g in path[:-1] if g not in neutral]
        allowed = self.groups
        if leaf in self.labels and all(g in allowed for g in groups):
            return 3
        if leaf in self.totals_of and all(g in allowed for g in groups):
            return 2
        subtotal = leaf in ("小计", "合计")
        if subtotal and groups and groups[-1] in self.labels and all(g in allowed for g in groups[:-1]):
            return 1
        return 0


@dataclass
class Block:
    """A table's furniture and header: unit, department, the header rows, each column's path."""

    region: Region
    unit: str = ""
    unit_loc: Location | None = None
    org: str = ""
    org_loc: Location | None = None
    header_rows: list[int] = field(default_factory=list)
    body_start: int = 0
    paths: dict[int, tuple[str, ...]] = field(default_factory=dict)  # column → header path

    @property
    def sheet(self) -> Sheet:
        return self.region.sheet

    def header_loc(self, col: int) -> Location:
        """The lowest header cell above a column that has text (for messages about the column)."""
        sheet = self.sheet
        for r in reversed(self.header_rows):
            if sheet.text(r, col):
                return sheet.loc(r, col)
            origin = sheet.merged_origin(r, col)
            if origin is not None and sheet.text(*origin):
                return sheet.loc(*origin)
        return sheet.loc(self.header_rows[0] if self.header_rows else self.region.top, col)


def _meta(sheet: Sheet, r: int, block: Block, skip: int = -1) -> bool:
    """Read a row of furniture (表号, 编制单位, 金额单位, a subtitle) into the block; False for any other row."""
    texts = [(c, text) for c, text in enumerate(sheet.rows[r]) if text and c != skip]
    if not texts:
        return True
    for c, text in texts:
        flat = plain(text)
        unit = _UNIT.search(flat)
        org = _ORG.match(flat)
        if unit and (not org or org.group(2) in ("万元", "千元", "元") or "金额" in flat):
            block.unit, block.unit_loc = unit.group(2), sheet.loc(r, c)
            if org and "金额" not in org.group(1):
                continue
        elif org:
            block.org, block.org_loc = org.group(2), sheet.loc(r, c)
        elif table_number(text) is not None or title_number(text) is not None or re.fullmatch(r"\d{4}年度?", flat):
            continue
        elif flat in ("金额单位", "单位", "人民币"):
            continue
        else:
            return False
    return True


def _integer(text: str) -> int | None:
    flat = plain(text).removesuffix(".0")
    return int(flat) if flat.isdigit() and len(flat) <= 3 else None


def furniture(sheet: Sheet, r: int) -> bool:
    """Tell whether a row holds only furniture (a 表号, 编制单位, 金额单位), as above the next table."""
    return _meta(sheet, r, Block(Region(sheet, "", 0, 0, False, Location(""))))


def _column_numbers(sheet: Sheet, r: int) -> bool:
    """Tell whether a row is the 栏次 row: labelled so, or only the numbers 1, 2, 3 … of the columns."""
    texts = [t for t in sheet.rows[r] if t]
    if any(plain(t) in word_set("栏次") for t in texts):
        return True
    numbers = [_integer(t) for t in texts]
    return len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1))


def _looks_like_body(sheet: Sheet, r: int) -> bool:
    """A row of data: a number anywhere, or a 合计/总计 line standing alone (a total of blanks)."""
    texts = [(c, t) for c, t in enumerate(sheet.rows[r]) if t]
    for c, text in texts:
        if sheet.is_number(r, c) or re.fullmatch(r"[-(（]?[\d,，.．]+[)）]?", plain(text)):
            return True
    return len(texts) == 1 and plain(texts[0][1]) in ("合计", "总计")


@cache
def _closing() -> re.Pattern[str]:
    notes = "|".join(re.escape(w) for w in words()["注释"])
    empty = "|".join(re.escape(w) for w in words()["无数据"])
    return re.compile(rf"^({notes})[:：]|{empty}|为空表")


@lru_cache(maxsize=4096)
def closing_text(text: str) -> bool:
    """Tell whether a text is a note under the table or a “no data” line rather than a row."""
    return _closing().search(plain(text)) is not None


def read_block(region: Region) -> Block:
    """Read the furniture and the header rows of a table, and the header path of every column."""
    sheet = region.sheet
    block = Block(region)
    r = region.top
    if region.titled:  # the title row may hold the 表号 or the 金额单位 at its right
        _meta(sheet, r, block, skip=sheet.rows[r].index(next(t for t in sheet.rows[r] if t)))
        r += 1
    while r < region.bottom and _meta(sheet, r, block):
        r += 1
    while r < region.bottom:
        if _column_numbers(sheet, r):
            r += 1
            break
        texts = [t for t in sheet.rows[r] if t]
        if _looks_like_body(sheet, r) or (texts and closing_text(texts[0])):
            break
        if texts:
            block.header_rows.append(r)
        r += 1
        if len(block.header_rows) > MAX_HEADER_ROWS:
            raise ReportError(
                sheet.row_loc(block.header_rows[0], f"公开{region.number}表"),
                f"公开{region.number}表的表头超过 {MAX_HEADER_ROWS} 行，工具找不到表的第一行数据：请检查表头下面是否有合计行或数字",
            )
    if not block.header_rows:
        raise ReportError(region.title_loc, f"公开{region.number}表的表名下面没有找到表头（如“项目”“科目编码”“金额”）")
    block.body_start = r
    block.paths = _paths(sheet, block.header_rows)
    return block


def _paths(sheet: Sheet, rows: list[int]) -> dict[int, tuple[str, ...]]:
    width = max((len(sheet.rows[r]) for r in rows), default=0)
    merged = bool(sheet.merges) and any(sheet.merged_origin(r, c) for r in rows for c in range(width))
    grid = [[_header_text(sheet, r, c, merged) for c in range(width)] for r in rows]
    if not merged:
        _fill_groups(grid)
    paths: dict[int, tuple[str, ...]] = {}
    for c in range(width):
        path: list[str] = []
        for line in grid:
            text = line[c]
            if text and (not path or path[-1] != text):
                path.append(text)
        if path:
            paths[c] = tuple(path)
    return paths


def _header_text(sheet: Sheet, r: int, c: int, merged: bool) -> str:
    origin = sheet.merged_origin(r, c) if merged else None
    text = sheet.text(*origin) if origin is not None else sheet.text(r, c)
    return _UNIT_SUFFIX.sub("", name_key(text)) if text else ""


def _fill_groups(grid: list[list[str]]) -> None:
    """Without merge information, let a group header cover the empty cells to its right within its parent."""
    for i, line in enumerate(grid):
        for c in range(1, len(line)):
            if line[c] or not line[c - 1]:
                continue
            below = any(grid[j][c] for j in range(i + 1, len(grid)))
            same_parent = i == 0 or grid[i - 1][c] == grid[i - 1][c - 1]
            if below and same_parent:
                line[c] = line[c - 1]


def split(block: Block, sides: dict[str, frozenset[str]]) -> dict[int, tuple[str, tuple[str, ...]]]:
    """For each column, the side its path names (收入/支出, 预算数/决算数) and the path without that word."""
    found: dict[int, tuple[str, tuple[str, ...]]] = {}
    for col, path in block.paths.items():
        side = next((name for name, names in sides.items() if any(p in names for p in path)), "")
        rest = tuple(p for p in path if not (side and p in sides[side]))
        if rest:
            found[col] = (side, rest)
    return found


def identify(
    block: Block,
    specs: Iterable[Spec],
    expected: str,
    paths: dict[int, tuple[str, ...]] | None = None,
    neutral: frozenset[str] | None = None,
) -> dict[str, int]:
    """Map each column's header path to a spec key; an unknown header or a key found twice is an error."""
    specs = tuple(specs)
    neutral = word_set("分组") if neutral is None else neutral
    found: dict[str, int] = {}
    for col, path in sorted((block.paths if paths is None else paths).items()):
        ranked = sorted(((spec.rank(path, neutral), i) for i, spec in enumerate(specs)), reverse=True)
        best, index = ranked[0] if ranked else (0, -1)
        if best == 0:
            raise ReportError(
                block.header_loc(col),
                f"公开{block.region.number}表中无法识别这一列的表头“{' / '.join(path)}”：应为 {expected} 之一；"
                "如果这一列不属于公开表，请在工作簿中删除这一列",
            )
        key = specs[index].key
        if key in found:
            other = block.sheet.ref(block.header_rows[-1], found[key])
            raise ReportError(
                block.header_loc(col),
                f"公开{block.region.number}表中有两列的表头都是“{' / '.join(path)}”（另一列在 {other}）：请删除重复的一列",
            )
        found[key] = col
    return found


def unit_factor(block: Block, unit: str) -> Decimal:
    """What the table's amounts are multiplied by to be in the report's unit (元 → 万元: ÷ 10 000)."""
    factors = {k: Decimal(v) for k, v in words()["金额单位"].items()}
    if not block.unit or block.unit == unit:
        return Decimal(1)
    return factors[block.unit] / factors[unit]
