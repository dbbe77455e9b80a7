"""The nine public tables and the classification code lists: their structure here, their names in data/.

The official names (table titles by year, lines, columns, the 三公 items) live in data/catalog.yaml
and the 政府收支分类科目 in data/classification.yaml; they are both the keys a user types in
tables.yaml and the names the documents print.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Column:
    """An amount column: English key, Chinese header, and the header group it sits under."""

    key: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class ClassTableSpec:
    """A 功能分类 table: its columns and which column is the row total."""

    number: str
    columns: tuple[Column, ...]
    total_key: str
    parts: tuple[str, ...]  # columns whose sum is the total column


def _load(name: str) -> dict:
    return yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


_CATALOG = _load("catalog.yaml")


def _current(entry: object) -> str:
    """The name of an entry now: a plain name, or the last of its names by year."""
    return str(entry[-1]["名称"]) if isinstance(entry, list) else str(entry)


def _pairs(section: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), _current(v)) for k, v in _CATALOG[section].items())


def line_name(section: str, key: str, year: int) -> str:
    """The name of a table line in a report year (用事业基金弥补收支差额 up to 2019, 使用非财政拨款结余 after)."""
    return in_force(_CATALOG[section][key], year)


def income_total_names(year: int) -> dict[str, str]:
    """The names of 01表's 合计、结余 and 总计 lines on the income side in a report year."""
    return {key: line_name("收入合计行", key, year) for key in _CATALOG["收入合计行"]}


def line_names(section: str, key: str) -> tuple[str, ...]:
    """Every name a table line of a section has had, the current one last (none when the section has no such line)."""
    entry = _CATALOG[section].get(key)
    if entry is None:
        return ()
    return tuple(str(option["名称"]) for option in entry) if isinstance(entry, list) else (str(entry),)


def _columns(number: str) -> tuple[Column, ...]:
    return tuple(Column(*(str(part) for part in entry)) for entry in _CATALOG["列"][number])


# Which column of a 功能分类 table is the row total, and which columns add up to it.
_TOTALS = {
    "02": ("total", ("fiscal", "superior", "business", "operating", "affiliated", "other")),
    "03": ("total", ("basic", "project", "remit", "operating", "subsidy")),
    "05": ("total", ("basic", "project")),
    "08": ("spending", ("basic", "project")),
    "09": ("total", ("basic", "project")),
}
CLASS_TABLES = {number: ClassTableSpec(number, _columns(number), *_TOTALS[number]) for number in _TOTALS}
INCOME_COLUMNS = CLASS_TABLES["02"].columns
EXPENDITURE_COLUMNS = CLASS_TABLES["03"].columns

# Income lines of table 01, in printed order; each equals the 02表 column of the same key.
INCOME_LINES = _pairs("收入")
INCOME_TOTALS = _pairs("收入合计行")
SPENDING_TOTALS = _pairs("支出合计行")
BOOKS = _pairs("财政拨款")
BOOK_NAMES = dict(_pairs("预算"))
FISCAL_INCOME_TOTALS = _pairs("财政拨款收入合计行")
FISCAL_SPENDING_TOTALS = _pairs("财政拨款支出合计行")
FISCAL_TOTAL_COLUMN = str(_CATALOG["财政拨款合计列"])
BASIC_BLOCKS = dict(_pairs("基本支出"))
THREE_COSTS_ITEMS = _pairs("三公经费")
FUND_TOTAL = str(_CATALOG["资金总额"])
PROJECT_SOURCES = tuple(str(s) for s in _CATALOG["项目资金来源"])
DEPARTMENT_SOURCES = tuple(str(s) for s in _CATALOG["部门资金来源"])
# The field names of the open data (report.json): internal name → the name the file writes.
OPEN_DATA_FIELDS = dict(_pairs("开放数据字段"))
# The kinds of derived figure (share, growth, completion, change) → their names in the open data.
FIGURE_KINDS = dict(_pairs("派生数字类型"))
TABLE_NUMBERS = ("01", "02", "03", "04", "05", "06", "07", "08", "09")
# Self-evaluation grades, highest first: (lowest total of the grade, its name).
GRADES = tuple((Decimal(str(g["下限"])), str(g["名称"])) for g in _CATALOG["自评等级"])


def in_force(entry: object, year: int) -> str:
    """The name of a catalogue entry in a year: a plain name, or a list of names by year range."""
    if isinstance(entry, str):
        return entry
    for option in entry:  # type: ignore[attr-defined]
        if int(option.get("起始年度", 1900)) <= year <= int(option.get("截止年度", 2999)):
            return str(option["名称"])
    raise KeyError(year)


def table_title(number: str, year: int) -> str:
    """The official title of a public table in a report year (names drift by year)."""
    return in_force(_CATALOG["表名"][number], year)


def table_titles(number: str) -> tuple[str, ...]:
    """Every official title a public table has had, in any year."""
    entry = _CATALOG["表名"][number]
    return (entry,) if isinstance(entry, str) else tuple(str(option["名称"]) for option in entry)


@dataclass(frozen=True)
class Classification:
    """Code lists of the 政府收支分类科目 bundled with the toolkit."""

    classes: tuple[tuple[str, str, int, int], ...]  # code, name, first year, last year
    function_names: dict[str, str]
    economic_names: dict[str, str]
    fund_codes: tuple[str, ...]
    personnel_classes: tuple[str, ...]

    def classes_for(self, year: int) -> list[tuple[str, str]]:
        """Return every 功能分类 类 (code, name) in force in a year, in code order."""
        return [(code, name) for code, name, first, last in self.classes if first <= year <= last]

    def class_name(self, code: str, year: int | None = None) -> str | None:
        """The name of a 功能分类 类 in a year (its latest name when no year is given), or None when not in force."""
        found = None
        for known, name, first, last in self.classes:
            if known == code and (year is None or first <= year <= last):
                found = name
        return found

    def function_name(self, code: str, year: int | None = None) -> str | None:
        """Return the bundled name of a 功能分类 code (类, 款 or 项) in a year, if known."""
        if len(code) == 3:
            return self.class_name(code, year)
        return self.function_names.get(code)

    def class_code(self, name: str) -> str | None:
        """The code of a 类 by any name it has had."""
        return next((code for code, known, _, _ in self.classes if known == name), None)

    def is_fund_code(self, code: str) -> bool:
        """Tell whether a 功能分类 code may only be funded by the government-fund budget."""
        return any(code.startswith(prefix) for prefix in self.fund_codes)

    def is_personnel(self, code: str) -> bool:
        return code[:3] in self.personnel_classes


@cache
def classification() -> Classification:
    """Load the bundled code lists once per process."""
    data = _load("classification.yaml")
    classes = tuple(
        (str(c["编码"]), c["名称"], int(c.get("起始年度", 1900)), int(c.get("截止年度", 2999))) for c in data["功能分类类"]
    )
    return Classification(
        classes=classes,
        function_names={str(k): v for k, v in data["功能分类款项"].items()},
        economic_names={str(k): v for k, v in data["经济分类"].items()},
        fund_codes=tuple(str(c) for c in data["政府性基金科目"]),
        personnel_classes=tuple(str(c) for c in data["人员经费类"]),
    )
