"""The report as frozen data: what a department states, exactly as typed, with source locations.

Vocabulary (one English name per Chinese term, used throughout the code):

    部门/单位 scope            决算 final accounts        批复 approval
    财政拨款 fiscal appropriation; its three books: 一般公共预算 general (`general`),
        政府性基金预算 government funds (`fund`), 国有资本经营预算 state capital (`capital`)
    功能分类 function classification: 类 class, 款 section, 项 item
    经济分类 economic classification    基本支出 basic expenditure (`basic`)
    人员经费 personnel costs (`personnel`)    公用经费 running costs (`running`)
    项目支出 project expenditure (`project`)    年初结转和结余 opening carry-over (`opening`)
    年末结转和结余 closing carry-over (`closing`)    三公经费 the three official costs
    机关运行经费 office running costs    政府采购 government procurement
    绩效自评 performance self-evaluation: 指标 indicator, 分值 weight, 得分 score,
        指标值 target, 完成值 actual, 执行率 execution rate
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import Finding, Location

ZERO = Decimal(0)


@dataclass(frozen=True)
class Located:
    """A record read from a file: its own location and the location of each field it had."""

    loc: Location
    where: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)

    def at(self, attr: str, shown: str = "") -> Location:
        """Return where a field was written, or the record itself with the field named."""
        found = self.where.get(attr)
        if found is not None:
            return found
        suffix = shown or attr
        return self.loc.at(f"{self.loc.path}.{suffix}" if self.loc.path else suffix)


# ---------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Band(Located):
    """A scoring band: from `low` (inclusive) to `high` as fractions of the weight."""

    name: str = ""
    low: Decimal = ZERO
    high: Decimal = ZERO


@dataclass(frozen=True)
class RateStep(Located):
    """An execution-rate step: a rate at or above `rate` (%) earns `factor` of the weight."""

    rate: Decimal = ZERO
    factor: Decimal = ZERO


@dataclass(frozen=True)
class ScoringRules(Located):
    """How self-evaluation scores are computed (domain spec §6.1); all parts configurable."""

    execution: str = "比例"  # 比例: min(w, rate × w); 分档: steps
    steps: tuple[RateStep, ...] = ()
    equal: str = "比例"  # “=” indicators: 比例 (min(B/A, A/B)) or 全或无
    tiers: tuple[Band, ...] = ()
    overshoot: Decimal = Decimal(50)  # % above target that needs an explanation
    places: int = 2


@dataclass(frozen=True)
class Correction(Located):
    """One correction of a published report (更正): when, and why (printed in the 更正说明)."""

    date: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class Wording(Located):
    """表述: the wordings and layout choices of a profile (templates/<profile>/表述.yaml) or a report.

    A field left as None takes the profile's choice, and the profile's None the toolkit's default
    (`WORDING_DEFAULTS`); `over` lays one set of choices over another.
    """

    charts: bool | None = None  # 图表: draw the charts the profile places
    budget_change: bool | None = None  # “三公”较预算增减: “较预算增加/减少X万元，增长/下降Y%” besides 完成预算的Z%
    fiscal_income: str | None = None  # 财政拨款收入: 分列 (one share per book) or 合并 (one share for 财政拨款收入)
    whole: str | None = None  # 唯一项: 全部为 (“全部为…”) or 占比 (“…，占100.00%”)
    zero_items: str | None = None  # 零值项: 省略 or 列出 (“…0.00万元，占0.00%”)
    decline: str | None = None  # 下降用语: 下降 or 降低
    grouping: bool | None = None  # 千位分隔符: None = only for amounts in 元
    detail: str | None = None  # 一般公共预算具体情况: 按项 or 按类
    titles: tuple[tuple[str, str], ...] = ()  # 表名: (table number, title) overriding the year's official title

    def over(self, base: Wording) -> Wording:
        """These choices, with the ones left open taken from `base`."""
        values = {
            name: getattr(self, name) if getattr(self, name) is not None else getattr(base, name)
            for name in ("charts", "budget_change", "fiscal_income", "whole", "zero_items", "decline", "grouping", "detail")
        }
        titles = dict(base.titles) | dict(self.titles)
        return Wording(loc=self.loc, where=self.where, titles=tuple(sorted(titles.items())), **values)


FISCAL_COMBINED = "合并"  # the 财政拨款收入 choice that prints the three books as one line
ITEMS_LISTED = "列出"  # the 零值项 choice that lists zero lines

WORDING_DEFAULTS = Wording(
    loc=Location("表述"),
    charts=False,
    budget_change=False,
    fiscal_income="分列",
    whole="全部为",
    zero_items="省略",
    decline="下降",
    detail="按项",
)


@dataclass(frozen=True)
class Manifest(Located):
    """report.yaml: what kind of document, for whom, which year, how printed."""

    kind: str = "决算"
    scope: str = "部门"
    profile: str = "财政部"
    theme: str = "default"
    department: str = ""
    year: int = 0
    unit: str = "万元"
    percent_places: int = 2
    zero: str = "0.00"
    approval_date: dt.date | None = None
    publication_date: dt.date | None = None
    table_layout: str = "财政部"  # self-evaluation table layout: 财政部 or 重庆
    scoring: ScoringRules | None = None
    contact: str = ""
    project_total: Decimal | None = None
    corrections: tuple[Correction, ...] = ()  # 更正, oldest first
    index_number: str = ""  # 监督索引号 of the publication platform (Yunnan)
    wording: Wording | None = None  # 表述: the report's own wording choices over its profile's
    workbook: str = ""  # 公开表文件: the finance system's workbook that holds the nine tables  # 项目资金总额, the base of the share in a standalone 绩效自评


# ---------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class Unit(Located):
    name: str = ""
    nature: str = ""


@dataclass(frozen=True)
class StaffCategory(Located):
    name: str = ""
    authorized: int = 0
    actual: int = 0


@dataclass(frozen=True)
class Staffing(Located):
    categories: tuple[StaffCategory, ...] = ()
    total_authorized: int | None = None
    total_actual: int | None = None

    @property
    def authorized(self) -> int:
        """编制数合计: as stated, else the sum of the categories."""
        return self.total_authorized if self.total_authorized is not None else sum(c.authorized for c in self.categories)

    @property
    def actual(self) -> int:
        """年末实有人数合计: as stated, else the sum of the categories."""
        return self.total_actual if self.total_actual is not None else sum(c.actual for c in self.categories)


@dataclass(frozen=True)
class Overview(Located):
    """overview.yaml: 第一部分 概况."""

    duties: str = ""
    organization: str = ""
    units: tuple[Unit, ...] = ()
    staffing: Staffing | None = None
    key_work: str = ""


# ---------------------------------------------------------------------------- tables


_LEVELS = {3: 1, 5: 2, 7: 3}


@dataclass(frozen=True)
class ClassRow(Located):
    """One row of a function-classification table (类/款/项 by code length), amounts by column key."""

    code: str = ""
    name: str = ""
    values: Mapping[str, Decimal] = field(default_factory=dict)
    budget: Decimal | None = None  # 年初预算 (05表 only)
    adjusted: Decimal | None = None  # 调整预算 (05表 only)
    reason: str = ""
    # 1 for 类 (3 digits), 2 for 款 (5), 3 for 项 (7), 0 for the 合计 row (which has no code); set once.
    level: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", _LEVELS.get(len(self.code), 0))

    def value(self, key: str) -> Decimal:
        return self.values.get(key, ZERO)


@dataclass(frozen=True)
class ClassTable(Located):
    """A 功能分类 table (02, 03, 05, 08, 09): the stated 合计 row and the 类/款/项 rows."""

    number: str = ""
    total: ClassRow | None = None
    rows: tuple[ClassRow, ...] = ()
    empty_note: str = ""

    @property
    def empty(self) -> bool:
        return self.total is None and not self.rows


@dataclass(frozen=True)
class Line(Located):
    """A named line of a summary table with one amount or several amounts by column key."""

    key: str = ""
    values: Mapping[str, Decimal] = field(default_factory=dict)

    def value(self, column: str = "amount") -> Decimal:
        return self.values.get(column, ZERO)


@dataclass(frozen=True)
class SummaryTable(Located):
    """Tables 01 and 04: named income lines, expenditure 类 lines and named closing lines."""

    number: str = ""
    income: Mapping[str, Line] = field(default_factory=dict)
    classes: tuple[Line, ...] = ()  # key = 类 code
    spending: Mapping[str, Line] = field(default_factory=dict)

    def income_value(self, key: str, column: str = "amount") -> Decimal:
        line = self.income.get(key)
        return line.value(column) if line else ZERO

    def spending_value(self, key: str, column: str = "amount") -> Decimal:
        line = self.spending.get(key)
        return line.value(column) if line else ZERO

    def class_value(self, code: str, column: str = "amount") -> Decimal:
        for line in self.classes:
            if line.key == code:
                return line.value(column)
        return ZERO


@dataclass(frozen=True)
class EconomicRow(Located):
    code: str = ""
    name: str = ""
    amount: Decimal = ZERO
    level: int = field(init=False, compare=False, repr=False)  # 1 for 类 (3 digits), 2 for 款 (5)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", 1 if len(self.code) == 3 else 2)


@dataclass(frozen=True)
class BasicTable(Located):
    """Table 06: 经济分类 rows of 人员经费 and 公用经费 and their stated totals."""

    personnel: tuple[EconomicRow, ...] = ()
    running: tuple[EconomicRow, ...] = ()
    personnel_total: Decimal | None = None
    running_total: Decimal | None = None
    empty_note: str = ""

    @property
    def empty(self) -> bool:
        return not self.personnel and not self.running and not self.personnel_total and not self.running_total


@dataclass(frozen=True)
class ThreeCosts(Located):
    """One half of table 07 (预算数 or 决算数)."""

    total: Decimal = ZERO
    abroad: Decimal = ZERO
    vehicles: Decimal = ZERO
    purchase: Decimal = ZERO
    running: Decimal = ZERO
    reception: Decimal = ZERO


@dataclass(frozen=True)
class ThreeCostsTable(Located):
    budget: ThreeCosts | None = None
    actual: ThreeCosts | None = None
    empty_note: str = ""


@dataclass(frozen=True)
class Tables(Located):
    """tables.yaml: the nine public tables as stated."""

    t01: SummaryTable | None = None
    t02: ClassTable | None = None
    t03: ClassTable | None = None
    t04: SummaryTable | None = None
    t05: ClassTable | None = None
    t06: BasicTable | None = None
    t07: ThreeCostsTable | None = None
    t08: ClassTable | None = None
    t09: ClassTable | None = None
    # What reading a workbook noticed without stopping (sheets left out, totals not stored): warnings.
    notices: tuple[Finding, ...] = field(default=(), compare=False, repr=False)


# ---------------------------------------------------------------------------- notes (情况说明)


@dataclass(frozen=True)
class Change(Located):
    """The prior-year figure of a narrative total and the reason it changed."""

    prior: Decimal | None = None
    reason: str = ""
    usage: str = ""


@dataclass(frozen=True)
class Abroad(Located):
    groups: int = 0
    people: int = 0
    usage: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Vehicles(Located):
    bought: int = 0
    bought_by_type: tuple = ()  # Entry(key=车型, value=count)
    fleet: int = 0
    purchase_usage: str = ""
    running_usage: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Reception(Located):
    batches: int = 0
    people: int = 0
    # 外事接待: None when not given (the text then says nothing of it), never taken as zero.
    foreign_batches: int | None = None
    foreign_people: int | None = None
    foreign_amount: Decimal | None = None

    @property
    def foreign_none(self) -> bool:
        """Tell whether the notes state there was no 外事接待 (its counts and amount given as 0, or left out beside a 0)."""
        given = [v for v in (self.foreign_batches, self.foreign_people, self.foreign_amount) if v is not None]
        return bool(given) and all(v == 0 for v in given)

    @property
    def foreign_known(self) -> Decimal | None:
        """The 外事接待 spending as far as the notes tell it: stated, 0 when they state there was none, else None."""
        if self.foreign_amount is not None:
            return self.foreign_amount
        return ZERO if self.foreign_none else None

    usage: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ThreeCostsNotes(Located):
    prior: ThreeCosts | None = None
    budget_reason: str = ""
    prior_reason: str = ""
    abroad: Abroad | None = None
    vehicles: Vehicles | None = None
    reception: Reception | None = None


@dataclass(frozen=True)
class RunningCosts(Located):
    amount: Decimal = ZERO
    prior: Decimal | None = None
    reason: str = ""


@dataclass(frozen=True)
class Procurement(Located):
    goods: Decimal = ZERO
    works: Decimal = ZERO
    services: Decimal = ZERO
    total: Decimal = ZERO
    sme: Decimal | None = None  # 授予中小企业: None when not given (not said, never 0.00)
    small: Decimal | None = None  # 其中授予小微企业
    usage: str = ""


@dataclass(frozen=True)
class Assets(Located):
    vehicles: tuple = ()  # Entry(key=类别, value=count)
    vehicle_total: int = 0
    general_equipment: int | None = None  # 单价50万元以上通用设备; None when not given (not said)
    special_equipment: int | None = None  # 单价100万元以上专用设备
    note: str = ""


@dataclass(frozen=True)
class Section(Located):
    title: str = ""
    text: str = ""


@dataclass(frozen=True)
class Notes(Located):
    """notes.yaml: prior-year figures, reasons and statistics for 第三部分 情况说明."""

    totals: Change | None = None
    income: Change | None = None
    expenditure: Change | None = None
    fiscal: Change | None = None
    general: Change | None = None
    fund: Change | None = None
    capital: Change | None = None
    three_costs: ThreeCostsNotes | None = None
    running_costs: RunningCosts | None = None
    procurement: Procurement | None = None
    assets: Assets | None = None
    performance: str = ""
    other: tuple[Section, ...] = ()
    # What the notes state there is none of, in so many words (“机关运行经费: 不涉及”, “绩效自评: 未开展”):
    # absence of data is never taken for “none”.
    running_costs_stated: str = ""
    evaluations_stated: str = ""


# ---------------------------------------------------------------------------- evaluations


@dataclass(frozen=True)
class FundRow(Located):
    """One row of a self-evaluation funds block: 年初预算数, 全年预算数 (A), 全年执行数 (B)."""

    name: str = ""
    initial: Decimal | None = None  # 年初预算数: blank stays blank (printed empty, never 0.00)
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    weight: Decimal | None = None  # only to detect points placed on sub-rows (seed 004, E12)
    score: Decimal | None = None


@dataclass(frozen=True)
class Funds(Located):
    total: FundRow | None = None
    parts: tuple[FundRow, ...] = ()
    weight: Decimal = Decimal(10)
    rate: Decimal | None = None  # stated 执行率 (%), checked
    score: Decimal | None = None  # stated 得分, checked


@dataclass(frozen=True)
class Indicator(Located):
    """A 三级指标 with its place in the hierarchy."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    relation: str = ""  # ≥ ≤ = 定性
    comparator: str = ""  # the relation as the source wrote it, for printing (“≧” stays “≧”)
    target: Decimal | None = None
    target_text: str = ""
    actual: Decimal | None = None
    actual_text: str = ""
    unit: str = ""
    weight: Decimal = ZERO
    score: Decimal | None = None  # stated, checked
    tier: str = ""  # qualitative: 达成 / 部分达成 / 未达成
    factor: Decimal | None = None  # 得分系数 (a fraction): qualitative, places the score in its band; quantitative, checked
    deviation: str = ""


@dataclass(frozen=True)
class Calculation(Located):
    """A line of a funding calculation: quantity × standard (元) = amount (report unit)."""

    text: str = ""
    quantity: Decimal = ZERO
    standard: Decimal = ZERO
    amount: Decimal = ZERO


@dataclass(frozen=True)
class Evaluation(Located):
    """One self-evaluation table: a project (项目支出) or the whole department (部门整体支出)."""

    kind: str = "项目支出"
    name: str = ""
    department: str = ""
    implementer: str = ""
    layout: str = ""
    funds: Funds | None = None
    goal: str = ""
    achieved: str = ""
    indicators: tuple[Indicator, ...] = ()
    level1_weights: Mapping[str, tuple[Decimal, Location]] = field(default_factory=dict)
    total: Decimal | None = None  # stated 总分, checked
    summary: str = ""  # 项目绩效目标完成情况 for the narrative
    problems: str = ""
    measures: str = ""
    calculations: tuple[Calculation, ...] = ()
    source: str = ""  # file name, for ordering and messages


# ---------------------------------------------------------------------------- glossary and report


@dataclass(frozen=True)
class Term(Located):
    name: str = ""
    text: str = ""


@dataclass(frozen=True)
class Catalogue(Located):
    """科目表.yaml: a user's own 科目 names, over the bundled ones (code, name)."""

    function: tuple[tuple[str, str], ...] = ()
    economic: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Report:
    """A whole report folder, parsed; `prior` is last year's report when its folder exists."""

    folder: str
    slug: str
    manifest: Manifest
    overview: Overview | None = None
    tables: Tables | None = None
    notes: Notes | None = None
    evaluations: tuple[Evaluation, ...] = ()
    glossary: tuple[Term, ...] = ()
    prior: Report | None = None
    # The “# 待填写” and “# 沿用上年” lines of its files (read/drafts.py): what is still to do in a draft.
    marks: tuple[Finding, ...] = field(default=(), compare=False, repr=False)
    marked: tuple[tuple[str, int, int], ...] = field(default=(), compare=False, repr=False)  # what 待填写 covers
    catalogue: Catalogue | None = None
    notices: tuple[Finding, ...] = field(default=(), compare=False, repr=False)  # warnings met reading the files

    def function_names(self) -> dict[str, str]:
        """The 功能分类 names of the user's catalogue (code → name)."""
        return dict(self.catalogue.function) if self.catalogue is not None else {}

    def economic_names(self) -> dict[str, str]:
        return dict(self.catalogue.economic) if self.catalogue is not None else {}
