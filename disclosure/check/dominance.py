"""Parts that may never exceed their whole, across tables: the dominance relations of the table identities.

Every bound below follows from an identity of the domain spec (§3.1–§3.11): 财政拨款 spending
(04表) is a part of all spending (01/03表); 05, 08 and 09表 split 04表's three books by 科目, so
together they are a part of 03表 in each 科目 and column; 06表 details 05表's 基本支出, a part of
03表's; the 三公 spending (07表) is paid from its budget book (04表); fiscal carry-overs are part of
all carry-overs (01表). The bounds are data: each names its two sides and why one is a part of
the other, and one function checks them all. A side whose table is absent is not checked here:
the rules on missing tables (tables.py) say what an absent table means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .. import model as m
from ..amounts import ZERO
from ..catalog import classification
from ..errors import Finding, Location, Severity, error, warning
from .rules import HALF_CENT, money

Figure = tuple[Decimal, Location]
# A side's figures by key: a 类 or 科目 code, or "" for the table's 合计 (or its one figure).
Read = Callable[[m.Report], Mapping[str, Figure] | None]


@dataclass(frozen=True)
class Side:
    """One side of a bound: what it is called in a message and how to read its figures (None: table absent)."""

    name: str
    read: Read


@dataclass(frozen=True)
class Bound:
    """The parts (summed per key) may not exceed the whole of the same key."""

    parts: tuple[Side, ...]
    whole: Side
    scope: str  # how a key is named: 类, 科目, or "" for one figure
    why: str
    severity: Severity = Severity.ERROR
    first_year: int = 0
    last_year: int = 9999


# ---------------------------------------------------------------------------- readers


def _summary(number: str, side: str, key: str, column: str = "amount") -> Read:
    def read(report: m.Report) -> Mapping[str, Figure] | None:
        table = getattr(report.tables, f"t{number}", None) if report.tables else None
        if table is None:
            return None
        line = (table.income if side == "income" else table.spending).get(key)
        if line is None:
            return {"": (ZERO, table.loc)}
        return {"": (line.value(column), line.at(column) if column != "amount" else line.loc)}

    return read


def _summary_classes(number: str, column: str) -> Read:
    def read(report: m.Report) -> Mapping[str, Figure] | None:
        table = getattr(report.tables, f"t{number}", None) if report.tables else None
        if table is None:
            return None
        return {line.key: (line.value(column), line.at(column) if column != "amount" else line.loc) for line in table.classes}

    return read


def _rows(number: str, column: str) -> Read:
    """A 功能分类 table's column by 科目 code, its 合计 row under ""."""

    def read(report: m.Report) -> Mapping[str, Figure] | None:
        table: m.ClassTable | None = getattr(report.tables, f"t{number}", None) if report.tables else None
        if table is None or table.empty:
            return None
        figures = {row.code: (row.value(column), row.at(column)) for row in table.rows}
        if table.total is not None:
            figures[""] = (table.total.value(column), table.total.at(column))
        return figures

    return read


def _basic_06(report: m.Report) -> Mapping[str, Figure] | None:
    t06 = report.tables.t06 if report.tables else None
    if t06 is None or t06.empty:
        return None
    where = t06.at("personnel_total", "人员经费合计")
    return {"": ((t06.personnel_total or ZERO) + (t06.running_total or ZERO), where)}


def _running_06(report: m.Report) -> Mapping[str, Figure] | None:
    t06 = report.tables.t06 if report.tables else None
    if t06 is None or t06.running_total is None:
        return None
    return {"": (t06.running_total, t06.at("running_total", "公用经费合计"))}


def _three_costs(report: m.Report) -> Mapping[str, Figure] | None:
    t07 = report.tables.t07 if report.tables else None
    if t07 is None or t07.actual is None:
        return None
    return {"": (t07.actual.total, t07.actual.at("total", "合计"))}


def _running_costs(report: m.Report) -> Mapping[str, Figure] | None:
    costs = report.notes.running_costs if report.notes else None
    if costs is None:
        return None
    return {"": (costs.amount, costs.at("amount", "本年数"))}


def _procurement(report: m.Report) -> Mapping[str, Figure] | None:
    p = report.notes.procurement if report.notes else None
    if p is None:
        return None
    return {"": (p.total, p.at("total", "合计"))}


def _evaluated_projects(report: m.Report) -> Mapping[str, Figure] | None:
    projects = [e for e in report.evaluations if e.kind == "项目支出" and e.funds and e.funds.total]
    if not projects or report.tables is None:
        return None
    spent = sum((e.funds.total.spent for e in projects if e.funds and e.funds.total), ZERO)
    first = projects[0].funds.total  # type: ignore[union-attr]
    return {"": (spent, first.at("spent", "全年执行数"))}  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- the bounds (data)

_FISCAL = "财政拨款支出是全部支出的一部分"
BOUNDS: tuple[Bound, ...] = (
    Bound(
        (Side("04表财政拨款本年支出合计", _summary("04", "spending", "total_spending", "total")),),
        Side("01表本年支出合计", _summary("01", "spending", "total_spending")),
        "",
        _FISCAL,
    ),
    Bound(
        (Side("04表财政拨款支出（合计列）", _summary_classes("04", "total")),),
        Side("03表的本年支出合计", _rows("03", "total")),
        "类",
        _FISCAL,
    ),
    *(
        Bound(
            (
                Side(f"05表的{label05}", _rows("05", column05)),
                Side(f"08表的{label08}", _rows("08", column08)),
                Side(f"09表的{label05}", _rows("09", column05)),
            ),
            Side(f"03表的{label03}", _rows("03", column03)),
            "科目",
            "05、08、09表是三本预算的财政拨款支出，合起来是03表全部支出的一部分",
        )
        for (column05, label05), (column08, label08), (column03, label03) in (
            (("total", "本年支出合计"), ("spending", "本年支出小计"), ("total", "本年支出合计")),
            (("basic", "基本支出"), ("basic", "基本支出"), ("basic", "基本支出")),
            (("project", "项目支出"), ("project", "项目支出"), ("project", "项目支出")),
        )
    ),
    Bound(
        (Side("06表人员经费合计与公用经费合计之和", _basic_06),),
        Side("03表基本支出合计", _rows("03", "basic")),
        "",
        "06表是一般公共预算财政拨款的基本支出，是全部基本支出的一部分",
    ),
    Bound(
        (Side("07表“三公”经费决算数合计", _three_costs),),
        Side("04表一般公共预算财政拨款本年支出", _summary("04", "spending", "total_spending", "general")),
        "",
        "2020年度及以前，“三公”经费决算数是一般公共预算财政拨款支出的一部分",
        last_year=2020,
    ),
    Bound(
        (Side("07表“三公”经费决算数合计", _three_costs),),
        Side("04表财政拨款本年支出合计", _summary("04", "spending", "total_spending", "total")),
        "",
        "“三公”经费决算数是财政拨款支出的一部分",
        first_year=2021,
    ),
    Bound(
        (Side("04表年初财政拨款结转和结余", _summary("04", "income", "opening", "total")),),
        Side("01表年初结转和结余", _summary("01", "income", "opening")),
        "",
        "财政拨款结转和结余是全部结转和结余的一部分",
    ),
    Bound(
        (Side("04表年末财政拨款结转和结余", _summary("04", "spending", "closing", "total")),),
        Side("01表年末结转和结余", _summary("01", "spending", "closing")),
        "",
        "财政拨款结转和结余是全部结转和结余的一部分",
    ),
    Bound(
        (Side("机关运行经费", _running_costs),),
        Side("06表公用经费合计", _running_06),
        "",
        "机关运行经费是一般公共预算财政拨款基本支出中的公用经费",
        Severity.WARNING,
    ),
    Bound(
        (Side("政府采购支出总额", _procurement),),
        Side("01表本年支出合计", _summary("01", "spending", "total_spending")),
        "",
        "政府采购支出是本年支出的一部分",
        Severity.WARNING,
    ),
    Bound(
        (Side("各项目自评表全年执行数之和", _evaluated_projects),),
        Side("03表项目支出合计", _rows("03", "project")),
        "",
        "自评项目的支出是本年项目支出的一部分，否则“占项目支出的比例”超过100%",
    ),
)


def _key_name(scope: str, key: str) -> str:
    """How a message starts for one key: “卫生健康支出”：, 科目 2101501：, 合计行：, or nothing for a single figure."""
    if scope == "类":
        return f"“{classification().class_name(key) or key}”："
    if scope == "科目":
        return f"科目 {key}：" if key else "合计行："
    return ""


def dominance(report: m.Report) -> Iterator[Finding]:
    """Check every bound of a report: a part above its whole is an error (a warning within rounding)."""
    year = report.manifest.year
    for bound in BOUNDS:
        if not bound.first_year <= year <= bound.last_year:
            continue
        whole = bound.whole.read(report)
        if whole is None:
            continue
        parts = [(side, figures) for side in bound.parts if (figures := side.read(report)) is not None]
        keys = list(dict.fromkeys(key for _, figures in parts for key in figures))
        for key in keys:
            present = [(side, figures[key]) for side, figures in parts if key in figures and figures[key][0] != 0]
            if not present:
                continue
            total = sum((value for _, (value, _) in present), ZERO)
            limit = whole.get(key, (ZERO, None))[0]
            if total <= limit:
                continue
            names = "、".join(side.name for side, _ in present)
            said = f"之和 {money(total)}" if len(present) > 1 else f" {money(total)}"
            missing = "（未列该项）" if key not in whole else ""
            label = _key_name(bound.scope, key)
            text = (
                f"{label}{names}{said} 大于{bound.whole.name}{missing} {money(limit)}（相差 {money(total - limit)}）："
                f"{bound.why}，不能大于后者"
            )
            # Each side is rounded on its own (half a cent each part, half a cent the whole): within that, a warning.
            rounding = total - limit <= HALF_CENT * (len(present) + 1)
            if rounding and bound.severity is Severity.ERROR:
                text += "；相差在各项四舍五入的误差范围内，请确认取数口径一致"
            make = warning if rounding or bound.severity is Severity.WARNING else error
            yield make(present[0][1][1], text, "X-PART")
