"""The nine public tables (numbers, titles, columns, notes) and the classification code lists."""

from __future__ import annotations

from dataclasses import dataclass
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


INCOME_COLUMNS = (
    Column("total", "本年收入合计"),
    Column("fiscal", "财政拨款收入"),
    Column("superior", "上级补助收入"),
    Column("business", "事业收入"),
    Column("operating", "经营收入"),
    Column("affiliated", "附属单位上缴收入"),
    Column("other", "其他收入"),
)
EXPENDITURE_COLUMNS = (
    Column("total", "本年支出合计"),
    Column("basic", "基本支出"),
    Column("project", "项目支出"),
    Column("remit", "上缴上级支出"),
    Column("operating", "经营支出"),
    Column("subsidy", "对附属单位补助支出"),
)
SPENDING_COLUMNS = (
    Column("total", "合计", "本年支出"),
    Column("basic", "基本支出", "本年支出"),
    Column("project", "项目支出", "本年支出"),
)
FUND_COLUMNS = (
    Column("opening", "年初结转和结余"),
    Column("income", "本年收入"),
    Column("spending", "小计", "本年支出"),
    Column("basic", "基本支出", "本年支出"),
    Column("project", "项目支出", "本年支出"),
    Column("closing", "年末结转和结余"),
)

CLASS_TABLES = {
    "02": ClassTableSpec("02", INCOME_COLUMNS, "total", ("fiscal", "superior", "business", "operating", "affiliated", "other")),
    "03": ClassTableSpec("03", EXPENDITURE_COLUMNS, "total", ("basic", "project", "remit", "operating", "subsidy")),
    "05": ClassTableSpec("05", SPENDING_COLUMNS, "total", ("basic", "project")),
    "08": ClassTableSpec("08", FUND_COLUMNS, "spending", ("basic", "project")),
    "09": ClassTableSpec("09", SPENDING_COLUMNS, "total", ("basic", "project")),
}

# Income lines of table 01, in printed order, and the 02表 column each one equals.
INCOME_LINES = (
    ("general", "一般公共预算财政拨款收入"),
    ("fund", "政府性基金预算财政拨款收入"),
    ("capital", "国有资本经营预算财政拨款收入"),
    ("superior", "上级补助收入"),
    ("business", "事业收入"),
    ("operating", "经营收入"),
    ("affiliated", "附属单位上缴收入"),
    ("other", "其他收入"),
)
BOOKS = (
    ("general", "一般公共预算财政拨款"),
    ("fund", "政府性基金预算财政拨款"),
    ("capital", "国有资本经营预算财政拨款"),
)
BOOK_NAMES = {"general": "一般公共预算", "fund": "政府性基金预算", "capital": "国有资本经营预算"}

THREE_COSTS_ITEMS = (
    ("total", "合计"),
    ("abroad", "因公出国（境）费"),
    ("vehicles", "公务用车购置及运行费"),
    ("purchase", "公务用车购置费"),
    ("running", "公务用车运行费"),
    ("reception", "公务接待费"),
)


def table_title(number: str, year: int) -> str:
    """Return the official title of a public table for a report year (names drift by year)."""
    titles = {
        "01": "收入支出决算总表",
        "02": "收入决算表",
        "03": "支出决算表",
        "04": "财政拨款收入支出决算总表",
        "05": "一般公共预算财政拨款支出决算表",
        "06": "一般公共预算财政拨款基本支出决算表",
        "07": "一般公共预算财政拨款“三公”经费支出决算表" if year <= 2020 else "财政拨款“三公”经费支出决算表",
        "08": "政府性基金预算财政拨款收入支出决算表",
        "09": "国有资本经营预算财政拨款支出决算表",
    }
    return titles[number]


def table_note(number: str, scope: str) -> str:
    """Return the standard footnote (注：本表反映…) of a public table."""
    notes = {
        "01": f"本表反映{scope}本年度的总收支和年初、年末结转结余情况。",
        "02": f"本表反映{scope}本年度取得的各项收入情况。",
        "03": f"本表反映{scope}本年度各项支出情况。",
        "04": f"本表反映{scope}本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年初、年末结转结余情况。",
        "05": f"本表反映{scope}本年度一般公共预算财政拨款支出情况。",
        "06": f"本表反映{scope}本年度一般公共预算财政拨款基本支出明细情况。",
        "07": f"本表反映{scope}本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费年初预算数，决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。",
        "08": f"本表反映{scope}本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
        "09": f"本表反映{scope}本年度国有资本经营预算财政拨款支出情况。",
    }
    return notes[number]


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

    def class_name(self, code: str) -> str | None:
        for known, name, _, _ in self.classes:
            if known == code:
                return name
        return None

    def function_name(self, code: str) -> str | None:
        """Return the bundled name of a 功能分类 code (类, 款 or 项), if known."""
        if len(code) == 3:
            return self.class_name(code)
        return self.function_names.get(code)

    def is_fund_code(self, code: str) -> bool:
        """Tell whether a 功能分类 code may only be funded by the government-fund budget."""
        return any(code.startswith(prefix) for prefix in self.fund_codes)

    def is_personnel(self, code: str) -> bool:
        return code[:3] in self.personnel_classes


@cache
def classification() -> Classification:
    """Load the bundled code lists once per process."""
    data = yaml.load((DATA / "classification.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    classes = tuple(
        (str(c["编码"]), c["名称"], int(c.get("起始年度", 1900)), int(c.get("截止年度", 2999)))
        for c in data["功能分类类"]
    )
    return Classification(
        classes=classes,
        function_names={str(k): v for k, v in data["功能分类款项"].items()},
        economic_names={str(k): v for k, v in data["经济分类"].items()},
        fund_codes=tuple(str(c) for c in data["政府性基金科目"]),
        personnel_classes=tuple(str(c) for c in data["人员经费类"]),
    )
