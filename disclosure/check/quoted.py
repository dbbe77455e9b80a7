"""Figures quoted in free text against the figures of the same name in the data (domain spec X9, X11).

A self-evaluation's texts (实际完成情况, 问题及原因 …) may state an amount under the name of one
of its own table's figures: “全年共支出812.40万元” is the 全年执行数, “年初预算180万元” the 年初预算数,
“执行率为97.02%” the 执行率, “自评得分98分” the 总分. Each such quote is compared with the table and
a quote that matches none of the rows is a warning naming both places. Only a quote that says
whose figure it is (全年/共/累计 … 支出, 执行数, 年初预算 …) is compared: “其中拨付30万元” is a part,
not the total, and is left alone.

A share stated in the notes (“…X万元，占本年支出合计的Y%”) implies its base: X ÷ Y%. The base must be
the table's figure of that name (within the rounding of Y), and never below the 财政拨款 spending.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from .. import model as m
from ..amounts import format_plain, quantize
from ..compute import Derived, Scored
from ..errors import Finding, Location, warning
from .rules import money
from .texts import located_texts

_AMOUNT = r"(?P<amount>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|元)"
_FILLER = r"(?:资金|金额|经费)?(?:为|了|达到|达|共|计)?\s*"
# The name a quote gives its figure, for each figure of a self-evaluation's funds block.
FUND_NAMES = (
    (
        "spent",
        "全年执行数",
        r"全年执行数|执行数|(?:全年|年度)(?:共|累计|实际)?(?:完成)?(?:支出|执行|拨付|使用|支付)|(?:共|累计|合计)(?:完成)?(?:支出|执行|拨付|使用|支付)",
    ),
    ("budget", "全年预算数", r"全年预算数|全年预算|调整后?预算数?"),
    ("initial", "年初预算数", r"年初预算数?"),
)
_FUND_QUOTES = tuple((attr, label, re.compile(rf"(?P<name>{names}){_FILLER}{_AMOUNT}")) for attr, label, names in FUND_NAMES)
_RATE = re.compile(r"(?P<name>(?:预算)?执行率)(?:为|达到|达|是)?\s*(?P<value>\d+(?:\.\d+)?)\s*%")
_TOTAL = re.compile(r"(?P<name>(?:绩效)?自评(?:总分|得分)|总分)(?:为|是|达到|达)?\s*(?P<value>\d+(?:\.\d+)?)\s*分")

TEXTS = (
    ("goal", "预期目标"),
    ("achieved", "实际完成情况"),
    ("summary", "完成情况"),
    ("problems", "问题及原因"),
    ("measures", "改进措施"),
)


def _places(text: str) -> int:
    return len(text.partition(".")[2])


def _in_unit(text: str, unit: str, report_unit: str) -> Decimal:
    value = Decimal(text.replace(",", ""))
    if unit == report_unit:
        return value
    return value / 10000 if report_unit == "万元" else value * 10000


def _matches(stated: Decimal, places: int, figure: Decimal) -> bool:
    """A quote may round the figure (153.7 for 153.73), never change it."""
    return stated == quantize(figure, places)


def _texts(e: m.Evaluation) -> Iterator[tuple[Location, str, str]]:
    for attr, label in TEXTS:
        text = getattr(e, attr)
        if text and text != "无":
            yield e.at(attr, label), label, text
    for ind in e.indicators:
        if ind.deviation:
            yield ind.at("deviation", "偏差原因"), f"指标“{ind.name}”的偏差原因", ind.deviation


def evaluation_quotes(scored: Scored, unit: str) -> Iterator[Finding]:
    """Every figure of its own table a self-evaluation's text quotes by name, compared with the table."""
    e = scored.evaluation
    funds = e.funds
    assert funds is not None and funds.total is not None
    rows = (funds.total, *funds.parts)
    for where, label, text in _texts(e):
        for attr, name, pattern in _FUND_QUOTES:
            for found in pattern.finditer(text):
                stated = _in_unit(found["amount"], found["unit"], unit)
                places = _places(found["amount"]) + (4 if found["unit"] != unit and unit == "万元" else 0)
                if any(_matches(stated, places, getattr(row, attr)) for row in rows if getattr(row, attr) is not None):
                    continue
                figure = getattr(funds.total, attr)
                yield warning(
                    where,
                    f"{label}中写“{found.group(0)}”，而本表{funds.total.name}的{name}为 {money(figure) if figure is not None else '（未填）'}"
                    f"（{funds.total.at(attr, name).prefix()}）{'，各资金来源行也不是这个数' if funds.parts else ''}：请核对文字或表中的数",
                    "X11",
                )
        if scored.rate is not None:
            for found in _RATE.finditer(text):
                stated = Decimal(found["value"])
                if not _matches(stated, _places(found["value"]), scored.rate):
                    yield warning(
                        where,
                        f"{label}中写“{found.group(0)}”，而本表的执行率为 {format_plain(quantize(scored.rate, 2), 2)}%"
                        f"（全年执行数 {money(funds.total.spent)} ÷ 全年预算数 {money(funds.total.budget)}，"
                        f"{funds.total.at('spent', '全年执行数').prefix()}）：请核对文字或表中的数",
                        "X11",
                    )
        for found in _TOTAL.finditer(text):
            if Decimal(found["value"]) != scored.total:
                yield warning(
                    where,
                    f"{label}中写“{found.group(0)}”，而本表的总分为 {format_plain(scored.total, 4)}"
                    f"（{e.at('total', '总分').prefix()}）：请核对文字或表中的得分",
                    "X11",
                )


# ---------------------------------------------------------------------------- shares stated in the notes

_SHARE = re.compile(
    rf"{_AMOUNT}[，,]?\s*占(?:全部|全年)?(?P<base>[^，。；、\d]{{2,16}}?)(?:的)?(?:比重|比例)?(?:为)?\s*(?P<pct>\d+(?:\.\d+)?)\s*%"
)
# The base a share names → how to read that figure from the tables (None when the tables do not give it).
Base = Callable[[m.Tables, m.Notes], tuple[Decimal, str] | None]


def _summary(number: str, side: str, key: str, column: str = "amount", label: str = "") -> Base:
    def read(t: m.Tables, n: m.Notes) -> tuple[Decimal, str] | None:
        table = getattr(t, f"t{number}")
        if table is None:
            return None
        value = (table.income_value if side == "income" else table.spending_value)(key, column)
        return value, label

    return read


def _row(number: str, column: str, label: str) -> Base:
    def read(t: m.Tables, n: m.Notes) -> tuple[Decimal, str] | None:
        table = getattr(t, f"t{number}")
        if table is None or table.total is None:
            return None
        return table.total.value(column), label

    return read


def _three(t: m.Tables, n: m.Notes) -> tuple[Decimal, str] | None:
    return (t.t07.actual.total, "07表“三公”经费决算数合计") if t.t07 and t.t07.actual else None


def _procurement(t: m.Tables, n: m.Notes) -> tuple[Decimal, str] | None:
    return (n.procurement.total, "政府采购支出总额") if n.procurement else None


_EXPENDITURE = _summary("01", "spending", "total_spending", label="01表本年支出合计")
_INCOME = _summary("01", "income", "total_income", label="01表本年收入合计")
BASES: dict[str, Base] = {
    "本年支出合计": _EXPENDITURE,
    "本年支出": _EXPENDITURE,
    "支出总额": _EXPENDITURE,
    "本年收入合计": _INCOME,
    "本年收入": _INCOME,
    "收入总额": _INCOME,
    "财政拨款支出": _summary("04", "spending", "total_spending", "total", "04表财政拨款本年支出合计"),
    "一般公共预算财政拨款支出": _row("05", "total", "05表合计"),
    "基本支出": _row("03", "basic", "03表基本支出合计"),
    "项目支出": _row("03", "project", "03表项目支出合计"),
    "“三公”经费": _three,
    "三公经费": _three,
    "政府采购支出总额": _procurement,
}
FISCAL = BASES["财政拨款支出"]


def _note_texts(notes: m.Notes) -> Iterator[tuple[Location, str]]:
    return located_texts(notes, ("title",))


def note_shares(derived: Derived) -> Iterator[Finding]:
    """A share stated in the notes implies its base; the base must be the tables' figure of that name."""
    report = derived.report
    t, n = report.tables, report.notes
    if t is None or n is None:
        return
    unit = report.manifest.unit
    for where, text in _note_texts(n):
        for found in _SHARE.finditer(text):
            read = BASES.get(found["base"])
            pct = Decimal(found["pct"])
            if read is None or pct == 0:
                continue
            figure = read(t, n)
            if figure is None:
                continue
            value, name = figure
            amount = _in_unit(found["amount"], found["unit"], unit)
            half = Decimal(1).scaleb(-_places(found["pct"])) / 2
            low, high = amount * 100 / (pct + half), amount * 100 / (pct - half) if pct > half else None
            if value >= low and (high is None or value <= high):
                continue
            implied = f"{money(low)}–{money(high)}" if high is not None else f"不少于 {money(low)}"
            fiscal = FISCAL(t, n)
            below = ""
            if fiscal is not None and high is not None and found["base"] in ("本年支出合计", "本年支出", "支出总额"):
                if high < fiscal[0]:
                    below = f"，甚至低于{fiscal[1]} {money(fiscal[0])}"
            yield warning(
                where,
                f"文字中“{found.group(0)}”意味着{found['base']}约为 {implied}{below}，而{name}为 {money(value)}："
                "请核对金额或比例",
                "X10",
            )
