"""The self-evaluation tables (项目支出 / 部门整体支出绩效自评表) as Table objects, in two layouts.

财政部 layout (seeds 003, 004): merged 项目资金 block, 一级/二级 indicator spans, 总分 row.
重庆 layout (domain spec §6.3): a flat indicator list with 计量单位, 得分系数, 权重, 指标得分.
Every word comes from the labels (forms.* and chongqing.*); the Chongqing explanation cell is
written by the template that places the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from .. import model as m
from ..amounts import format_amount
from ..catalog import DEPARTMENT_SOURCES, PROJECT_SOURCES
from ..compose import Formats, Labels
from ..compute import Scored
from ..compute.scoring import IndicatorScore
from .table import Cell, Table, label, num, th, txt

PROJECT = "项目支出"  # the kind of a project's form; the other kind is 部门整体支出
QUALITATIVE = "定性"
EQUAL = "="
CHONGQING = "重庆"


def plain(value: Decimal | None) -> str:
    return "" if value is None else Formats.score(value)


def places(values: Iterable[Decimal]) -> int:
    """The decimals the most precise of some numbers needs (10 → 0, 9.9 → 1, 14.26 → 2)."""
    return max((max(0, -v.normalize().as_tuple().exponent) for v in values), default=0)  # type: ignore[operator]


class Columns:
    """How a form prints its weights, scores and coefficients: each kind with one precision, so that a
    column reads 10.00, 9.90, 14.26 and never 10, 9.9, 14.26."""

    def __init__(self, scored: Scored):
        funds = scored.evaluation.funds
        weights = [s.indicator.weight for s in scored.indicators] + [scored.weight_total]
        scores = [s.score for s in scored.indicators] + [scored.execution_score, scored.total]
        if funds is not None:
            weights.append(funds.weight)
        self.weight_places = places(weights)
        self.score_places = places(scores)
        self.coefficient_places = places(s.coefficient for s in scored.indicators)

    def weight(self, value: Decimal) -> str:
        return format_amount(value, self.weight_places)

    def score(self, value: Decimal) -> str:
        return format_amount(value, self.score_places)

    def coefficient(self, value: Decimal) -> str:
        return format_amount(value, min(self.coefficient_places, 2))


def _with_unit(text: str, unit: str) -> str:
    """A text value with the unit the source gave beside it, unless the text already ends with it."""
    return text if not unit or text.endswith(unit) else f"{text}{unit}"


def comparator(ind: m.Indicator) -> str:
    """The relation as the source wrote it (≧ stays ≧); “=” is not printed before a number."""
    sign = ind.comparator or ind.relation
    return "" if ind.relation == EQUAL else sign


def target_text(ind: m.Indicator) -> str:
    """年度指标值 as printed: comparator as written, number as typed, unit (“≧5.3万人”); qualitative as typed."""
    if ind.relation == QUALITATIVE or ind.target is None:
        return _with_unit(ind.target_text, ind.unit)
    return f"{comparator(ind)}{ind.target}{ind.unit}"


def actual_text(ind: m.Indicator) -> str:
    if ind.relation == QUALITATIVE or ind.actual is None:
        return _with_unit(ind.actual_text, ind.unit) if ind.actual_text else ""
    return f"{ind.actual}{ind.unit}"


def fund_cell(fmt: Formats, value: Decimal | None) -> Cell:
    """A funds-block amount: blank when not given (never 0.00), zero as the report prints zeros (零值显示)."""
    if value is None:
        return num("")
    return num(fmt.cell(value), value=value)


def number_only(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _fund_rows(e: m.Evaluation) -> list[tuple[str, m.FundRow | None]]:
    """The funds block rows: the total, then every standard source; a source not given is printed blank."""
    funds = e.funds
    assert funds is not None and funds.total is not None
    given = {p.name: p for p in funds.parts}
    names = PROJECT_SOURCES if e.kind == PROJECT else DEPARTMENT_SOURCES
    return [(funds.total.name, funds.total), *((name, given.get(name)) for name in names)]


def evaluation_table(scored: Scored, report: m.Report, fmt: Formats, labels: Labels, key: str, explanation: str) -> Table:
    """Build one self-evaluation table in the layout chosen for it (or for the report)."""
    e = scored.evaluation
    layout = e.layout or report.manifest.table_layout
    if layout == CHONGQING:
        return _chongqing(scored, report, fmt, labels, key, explanation)
    return _mof(scored, report, fmt, labels, key)


def _words(labels: Labels, section: str, e: m.Evaluation, report: m.Report) -> Callable[..., str]:
    supervisor = e.department or report.manifest.department

    def word(key: str, /, **values: object) -> str:
        return labels(f"{section}.{key}", form=e.kind, supervisor=supervisor, **values)

    return word


def _mof(scored: Scored, report: m.Report, fmt: Formats, labels: Labels, key: str) -> Table:
    e = scored.evaluation
    columns = Columns(scored)
    funds = e.funds
    assert funds is not None
    word = _words(labels, "forms", e, report)
    dept = e.department or report.manifest.department
    impl = e.implementer or report.manifest.department
    name_label = word("project_name" if e.kind == PROJECT else "department_name")
    rows: list[list[Cell]] = [
        [label(name_label), txt(e.name, colspan=8)],
        [label(word("supervisor")), txt(dept, colspan=3), label(word("implementer")), txt(impl, colspan=4)],
    ]
    fund_rows = _fund_rows(e)
    rate = fmt.percent(scored.rate) if scored.rate is not None else word("incomparable")
    none = word("none")
    rows.append(
        [
            th(word("funds"), rowspan=len(fund_rows) + 1, scope="row"),
            th("", colspan=2),
            th(word("initial")),
            th(word("budget")),
            th(word("spent")),
            th(word("weight")),
            th(word("rate")),
            th(word("score")),
        ]
    )
    for i, (name, row) in enumerate(fund_rows):
        first = i == 0
        title = name if first else word("first_source" if i == 1 else "other_source", name=name)
        rows.append(
            [
                label(title, colspan=2),
                fund_cell(fmt, row.initial if row else None),
                fund_cell(fmt, row.budget if row else None),
                fund_cell(fmt, row.spent if row else None),
                num(columns.weight(funds.weight) if first else none),
                num(rate if first else none),
                num(columns.score(scored.execution_score) if first else none),
            ]
        )
    rows.append([th(word("goals"), rowspan=2, scope="row"), th(word("goal"), colspan=4), th(word("achieved"), colspan=4)])
    rows.append([txt(e.goal, colspan=4), txt(e.achieved, colspan=4)])
    indicators = scored.indicators
    rows.append(
        [
            th(word("indicators"), rowspan=len(indicators) + 1, scope="row"),
            th(word("level1")),
            th(word("level2")),
            th(word("level3")),
            th(word("target")),
            th(word("actual")),
            th(word("weight")),
            th(word("score")),
            th(word("deviation")),
        ]
    )
    rows += _grid(scored, indicators, word, columns)
    rows.append(
        [
            label(word("total"), colspan=6, align="center", strong=True),
            num(columns.weight(scored.weight_total), True),
            num(columns.score(scored.total), True),
            txt(word("grade", grade=scored.grade), strong=True),
        ]
    )
    return Table(
        key=key,
        number="",
        title=word("title"),
        org=word("org"),
        unit=word("year"),
        widths=(6, 8, 9, 16, 10, 10, 5, 6, 30),
        head=(),
        body=tuple(tuple(r) for r in rows),
        form=True,
        wide=True,
        extra={"name": e.name},
    )


def _grid(scored: Scored, indicators: tuple[IndicatorScore, ...], word: Callable[..., str], columns: Columns) -> list[list[Cell]]:
    """Indicator rows with 一级 and 二级 cells spanning their groups."""
    rows: list[list[Cell]] = []
    for i, s in enumerate(indicators):
        ind = s.indicator
        row: list[Cell] = []
        if i == 0 or indicators[i - 1].indicator.level1 != ind.level1:
            span = _run(indicators, i, lambda x: x.level1)
            text = word("level1_weight", name=ind.level1, weight=plain(scored.level1_weights[ind.level1]))
            row.append(Cell(text, header=True, rowspan=span, align="center", kind="label"))
        if i == 0 or (indicators[i - 1].indicator.level1, indicators[i - 1].indicator.level2) != (ind.level1, ind.level2):
            span = _run(indicators, i, lambda x: (x.level1, x.level2))
            row.append(Cell(ind.level2, header=True, rowspan=span, align="center", kind="label"))
        row += [
            label(ind.name),
            txt(target_text(ind), align="center"),
            txt(actual_text(ind), align="center"),
            num(columns.weight(ind.weight)),
            num(columns.score(s.score)),
            txt(ind.deviation),
        ]
        rows.append(row)
    return rows


def _run(indicators: tuple[IndicatorScore, ...], start: int, key: Callable[[m.Indicator], object]) -> int:
    """How many consecutive indicators from `start` share the key of the one at `start`."""
    first = key(indicators[start].indicator)
    count = 0
    for s in indicators[start:]:
        if key(s.indicator) != first:
            break
        count += 1
    return count


def _chongqing(scored: Scored, report: m.Report, fmt: Formats, labels: Labels, key: str, explanation: str) -> Table:
    e = scored.evaluation
    columns = Columns(scored)
    funds = e.funds
    assert funds is not None and funds.total is not None
    word = _words(labels, "chongqing", e, report)
    form = _words(labels, "forms", e, report)
    dept = e.department or report.manifest.department
    impl = e.implementer or report.manifest.department
    total = funds.total
    rate = fmt.percent(scored.rate).removesuffix("%") if scored.rate is not None else form("incomparable")
    rows: list[list[Cell]] = [
        [
            label(word("project_name" if e.kind == PROJECT else "department_name")),
            txt(e.name, colspan=4),
            label(word("total_score")),
            num(columns.score(scored.total), True),
        ],
        [label(form("supervisor")), txt(dept, colspan=2), label(form("implementer")), txt(impl, colspan=3)],
        [
            th(word("execution")),
            th(word("initial")),
            th(word("budget")),
            th(word("spent")),
            th(word("rate")),
            th(word("weight")),
            th(word("score")),
        ],
        [
            label(total.name),
            fund_cell(fmt, total.initial),
            fund_cell(fmt, total.budget),
            fund_cell(fmt, total.spent),
            num(rate),
            num(columns.weight(funds.weight)),
            num(columns.score(scored.execution_score)),
        ],
        [th(form("goals"), rowspan=2, scope="row"), th(word("goal"), colspan=3), th(word("achieved"), colspan=3)],
        [txt(e.goal, colspan=3), txt(e.achieved, colspan=3)],
        [
            th(word("indicator")),
            th(word("unit")),
            th(word("target")),
            th(word("actual")),
            th(word("factor")),
            th(word("indicator_weight")),
            th(word("indicator_score")),
        ],
    ]
    for s in scored.indicators:
        ind = s.indicator
        quantitative = ind.relation != QUALITATIVE
        rows.append(
            [
                label(ind.name),
                txt(ind.unit, align="center"),
                txt(comparator(ind) + number_only(ind.target) if quantitative else ind.target_text, align="center"),
                txt(number_only(ind.actual) if quantitative else ind.actual_text, align="center"),
                num(columns.coefficient(s.coefficient)),
                num(columns.weight(ind.weight)),
                num(columns.score(s.score)),
            ]
        )
    rows.append([label(word("explanation"), colspan=2), txt(explanation, colspan=5)])
    return Table(
        key=key,
        number="",
        title=form("title"),
        org=form("org"),
        unit=form("year"),
        widths=(22, 10, 14, 14, 12, 12, 12),
        head=(),
        body=tuple(tuple(r) for r in rows),
        form=True,
        extra={"name": e.name},
    )
