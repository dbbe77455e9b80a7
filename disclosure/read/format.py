"""The content format: every file, record and field of a report folder, with its Chinese name and doc.

The declarations here drive both the reader (content.py) and the published JSON Schema, so the
documentation, the editor completion and the checks on input never disagree.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .. import model as m
from ..amounts import MAX_DIGITS, foreign_digit, foreign_digit_message, normalize
from ..catalog import (
    BOOKS,
    CLASS_TABLES,
    DEPARTMENT_SOURCES,
    FISCAL_INCOME_TOTALS,
    FISCAL_SPENDING_TOTALS,
    FISCAL_TOTAL_COLUMN,
    FUND_TOTAL,
    INCOME_LINES,
    INCOME_TOTALS,
    PROJECT_SOURCES,
    SPENDING_TOTALS,
    TABLE_NUMBERS,
    classification,
    line_names,
)
from ..errors import Location, ReportError
from .fields import (
    MAX_NAME,
    Amount,
    Choice,
    Code,
    Count,
    Date,
    Either,
    Field,
    FileSpec,
    Flag,
    ListOf,
    MapOf,
    Number,
    Percent,
    Record,
    Score,
    Text,
    Type,
    Values,
    Year,
    checked_text,
    each,
)
from .source import Mapping as MappingNode
from .source import Node, Scalar, describe, fullwidth_colon_hint
from .source import Sequence as SequenceNode


def _make(cls):
    """Build a model record from read values: attributes, locations and the record location."""

    def build(values: Values):
        return cls(loc=values.loc, where=values.where, **values.attrs)

    return build


def _fields(cls, *fields: Field, doc: str = "", name: str = "") -> Record:
    return Record(name or doc, fields, _make(cls), doc)


# ---------------------------------------------------------------------------- report.yaml

TIERS = ("达成", "部分达成", "未达成")
MAX_DEPARTMENT = 100  # characters: the longest real name is about 40, and the DOCX title holds at most 255

BAND = Record(
    "得分区间",
    (
        Field("下限", "low", Percent(), True, doc="得分系数下限（含），例如 80%"),
        Field("上限", "high", Percent(), True, doc="得分系数上限，例如 100%"),
    ),
)

RATE_STEP = _fields(
    m.RateStep,
    Field("执行率不低于", "rate", Percent(), True, doc="执行率达到此值（含）时适用本档"),
    Field("得分系数", "factor", Percent(), True, doc="本档得分占执行率分值的比例，例如 90%"),
    doc="执行率分档",
)


def _scoring(values: Values) -> m.ScoringRules:
    # Bands not given stay empty: the compute stage fills in the defaults of 财预〔2020〕10号.
    tiers = tuple(
        m.Band(loc=entry.loc, name=entry.key, low=entry.value["low"] / 100, high=entry.value["high"] / 100)
        for entry in values["tiers"]
    )
    steps = tuple(sorted(values["steps"], key=lambda s: s.rate, reverse=True))
    if values["execution"] == "分档" and not steps:
        raise ReportError(values.loc, "执行率评分方式为“分档”时，要填写“执行率分档”")
    attrs = {**values.attrs, "tiers": tiers, "steps": steps}
    return m.ScoringRules(loc=values.loc, where=values.where, **attrs)


SCORING = Record(
    "绩效评分规则",
    (
        Field(
            "执行率评分",
            "execution",
            Choice(("比例", "分档")),
            default="比例",
            doc="比例：得分 = 执行率 × 分值，最高不超过分值；分档：按“执行率分档”给分",
        ),
        Field("执行率分档", "steps", ListOf(RATE_STEP), default=tuple, doc="分档评分时的各档（从高到低）"),
        Field(
            "等于指标",
            "equal",
            Choice(("比例", "全或无")),
            default="比例",
            doc="性质为“=”的定量指标未完全相等时：比例（按较小比值给分）或全或无（不得分）",
        ),
        Field(
            "定性指标分档",
            "tiers",
            MapOf("定性指标分档", TIERS, BAND),
            default=tuple,
            doc="定性指标三档的得分区间，默认 达成 80%–100%、部分达成 60%–80%、未达成 0–60%",
        ),
        Field(
            "超额提示", "overshoot", Percent(), default=Decimal(50), doc="完成值超过指标值的比例达到此值而未写偏差原因时给出警告"
        ),
        Field("得分小数位", "places", Count(maximum=4), default=2, doc="得分保留的小数位数（0–4）"),
    ),
    _scoring,
)

CORRECTION = _fields(
    m.Correction,
    Field("日期", "date", Date(), True, doc="更正后重新公开的日期"),
    Field("原因", "reason", Text(), True, doc="更正原因（印在更正说明中）"),
    doc="更正",
)


def _wording(values: Values) -> m.Wording:
    titles = tuple((entry.key, entry.value) for entry in values["titles"])
    return m.Wording(loc=values.loc, where=values.where, **{**values.attrs, "titles": titles})


WORDING = Record(
    "表述",
    (
        Field(
            "图表", "charts", Flag(), doc="是：画出提纲放置的图（如四川的收支总计变动柱状图、收入结构和支出结构饼图）；否：不画"
        ),
        Field(
            "“三公”较预算增减",
            "budget_change",
            Flag(),
            doc="是：“三公”经费除“完成预算的Z%”外，再写“较预算增加/减少X万元，增长/下降Y%”",
            aliases=("三公较预算增减",),
        ),
        Field(
            "财政拨款收入",
            "fiscal_income",
            Choice(("分列", "合并")),
            doc="收入结构中财政拨款收入的写法：分列（一般公共预算、政府性基金、国有资本经营各占比）或 合并（“财政拨款收入X万元，占Y%”）",
        ),
        Field(
            "唯一项",
            "whole",
            Choice(("全部为", "占比")),
            doc="收入或支出只有一项时：全部为（“全部为事业收入”）或 占比（“事业收入X万元，占100.00%”）",
        ),
        Field(
            "零值项",
            "zero_items",
            Choice(("省略", "列出")),
            doc="收入、支出结构中为0的项：省略，或 列出（“经营收入0.00万元，占0.00%”）",
        ),
        Field("下降用语", "decline", Choice(("下降", "降低")), doc="比上年或预算减少时的增长率用语：下降 或 降低"),
        Field("千位分隔符", "grouping", Flag(), doc="金额是否用千位分隔符（1,234.56）；省略时金额单位为“元”才用"),
        Field(
            "一般公共预算具体情况",
            "detail",
            Choice(("按项", "按类")),
            doc="一般公共预算财政拨款支出具体情况：按项（每个“项”的年初预算、决算和完成比例）或 按类（每个“类”的预算数、决算数）",
        ),
        Field(
            "表名",
            "titles",
            MapOf("表名", TABLE_NUMBERS, Text()),
            default=tuple,
            doc='改用本地模板的表名，键为表号（01–09），例如 "06": 一般公共预算财政拨款基本支出决算明细表',
        ),
    ),
    _wording,
    doc="措辞和版式的选择（各项可省略，使用提纲的设定）",
)

MANIFEST = _fields(
    m.Manifest,
    Field(
        "类型",
        "kind",
        Choice(
            ("决算", "绩效自评", "三公经费"),
            aliases={
                "部门决算": "决算",
                "单位决算": "决算",
                "绩效自评结果": "绩效自评",
                "“三公”经费": "三公经费",
                "三公经费说明": "三公经费",
                "“三公”经费说明": "三公经费",
            },
        ),
        default="决算",
        doc="决算：部门（单位）决算公开；绩效自评：单独的绩效自评结果；三公经费：单独的“三公”经费（和机关运行经费）决算情况说明",
    ),
    Field("口径", "scope", Choice(("部门", "单位")), default="部门", doc="部门决算写“部门”，单位决算写“单位”"),
    Field("提纲", "profile", Text(max_length=MAX_NAME), default="财政部", doc="文档提纲（templates/ 下的文件夹名或其中文名称）"),
    Field("主题", "theme", Text(max_length=MAX_NAME), default="default", doc="外观主题（themes/ 下的文件夹名）"),
    Field("部门名称", "department", Text(max_length=MAX_DEPARTMENT), True, doc="部门（单位）全称"),
    Field("年度", "year", Year(), True, doc="决算年度"),
    Field("金额单位", "unit", Choice(("万元", "元")), default="万元", doc="全文金额单位：万元 或 元"),
    Field("百分比小数位", "percent_places", Count(maximum=4), default=2, doc="百分比保留的小数位数（0–4）"),
    Field(
        "零值显示",
        "zero",
        Choice(("0.00", "空白"), aliases={"0": "0.00", "空": "空白"}),
        default="0.00",
        doc="表格中为零的金额显示为 0.00 还是留空",
    ),
    Field("批复日期", "approval_date", Date(), doc="财政部门批复决算的日期"),
    Field("公开日期", "publication_date", Date(), doc="公开日期（印在封面）"),
    Field(
        "绩效表版式",
        "table_layout",
        Choice(("财政部", "重庆")),
        default="财政部",
        doc="绩效自评表版式：财政部（一级/二级/三级指标）或 重庆（指标名称平铺、得分系数）",
    ),
    Field("绩效评分", "scoring", SCORING, doc="绩效自评评分规则（可省略，使用财预〔2020〕10号的默认规则）"),
    Field("联系方式", "contact", Text(), default="", doc="公开联系方式及信息反馈渠道（可选）"),
    Field(
        "项目资金总额",
        "project_total",
        Amount(),
        doc="单独的绩效自评结果文档中，自评项目资金占项目资金总额的比例以此为基数（可选）",
    ),
    Field("表述", "wording", WORDING, doc="措辞和版式的选择，覆盖提纲的设定（可省略）"),
    Field("监督索引号", "index_number", Text(), default="", doc="公开平台的监督索引号（云南提纲印在第一部分开头；可选）"),
    Field(
        "更正",
        "corrections",
        ListOf(CORRECTION),
        default=tuple,
        doc="公开后的每次更正（日期和原因，按先后）；build.py diff --notice 据此写出更正说明，网页注明“本报告于…更正”",
    ),
    Field(
        "公开表文件",
        "workbook",
        Text(max_length=MAX_NAME),
        default="",
        doc="财务系统导出的公开表工作簿（.xlsx、.xls、.ods）的文件名，代替 tables.yaml（可选；文件夹中只有一个工作簿时可省略）",
    ),
    doc="报告清单",
)

# ---------------------------------------------------------------------------- overview.yaml

UNIT = _fields(
    m.Unit,
    Field("名称", "name", Text(max_length=MAX_NAME), True),
    Field(
        "性质",
        "nature",
        Choice(
            ("行政单位", "参照公务员法管理事业单位", "事业单位", "其他"),
            aliases={
                "参公单位": "参照公务员法管理事业单位",
                "参公": "参照公务员法管理事业单位",
                "参公事业单位": "参照公务员法管理事业单位",
                "参照公务员法管理的事业单位": "参照公务员法管理事业单位",
            },
        ),
        True,
        doc="行政单位、参照公务员法管理事业单位、事业单位 或 其他",
    ),
    doc="决算单位",
)
STAFF = _fields(
    m.StaffCategory,
    Field("类别", "name", Text(max_length=MAX_NAME), True, doc="人员类别，例如 公务员、参公、事业编制、临聘人员"),
    Field("编制数", "authorized", Count(), default=0),
    Field("实有人数", "actual", Count(), default=0),
    doc="人员类别",
)
STAFFING = _fields(
    m.Staffing,
    Field("类别", "categories", ListOf(STAFF, min_items=1), True, doc="各类人员的编制数和年末实有人数"),
    Field("编制合计", "total_authorized", Count(), doc="编制数合计（填写后核对）"),
    Field("实有合计", "total_actual", Count(), doc="年末实有人数合计（填写后核对）"),
    doc="人员情况",
)
OVERVIEW = _fields(
    m.Overview,
    Field("主要职能", "duties", Text(), True, doc="部门（单位）职责，可分段"),
    Field("机构设置", "organization", Text(), True, doc="内设机构和下属单位的说明"),
    Field("决算单位构成", "units", ListOf(UNIT), default=tuple, doc="纳入本部门决算编制范围的单位"),
    Field("人员情况", "staffing", STAFFING, doc="编制数和年末实有人数"),
    Field("年度重点工作", "key_work", Text(), default="", doc="年度重点工作完成情况（四川等提纲使用）"),
    doc="部门概况",
)

# ---------------------------------------------------------------------------- tables.yaml

CODE = Code((3, 5, 7), "功能分类科目编码：类 3 位、款 5 位、项 7 位")
ECONOMIC_CODE = Code((3, 5), "经济分类科目编码：类 3 位、款 5 位")
FULLWIDTH_ALIASES = str.maketrans("()", "（）")


def _class_row(number: str, total_row: bool = False) -> Record:
    spec = CLASS_TABLES[number]
    columns = tuple(
        Field(
            c.label if c.key != "spending" else "本年支出",
            c.key,
            Amount(),
            default=None,
            doc=f"{c.group}{c.label}" if c.group else c.label,
        )
        for c in spec.columns
    )
    extra: tuple[Field, ...] = ()
    if number == "05":
        extra = (
            Field("年初预算", "budget", Amount(), doc="年初预算数（用于“完成年初预算的 %”）"),
            Field("调整预算", "adjusted", Amount(), doc="调整后预算数（全年预算数），可选"),
            Field("原因", "reason", Text(), default="", doc="决算数与预算数不同的主要原因"),
        )
    head = (
        ()
        if total_row
        else (
            Field("编码", "code", CODE, True, doc=CODE.doc),
            Field("名称", "name", Text(max_length=MAX_NAME), default="", doc="科目名称（已收录的科目可省略）"),
        )
    )

    def build(values: Values) -> m.ClassRow:
        amounts = {c.key: values[c.key] for c in spec.columns if values[c.key] is not None}
        where = dict(values.where)
        rest = {k: values.attrs[k] for k in ("code", "name", "budget", "adjusted", "reason") if k in values.attrs}
        return m.ClassRow(loc=values.loc, where=where, values=amounts, **rest)

    row = "合计行" if total_row else "科目行"
    return Record(row, head + columns + extra, build, ref=f"公开{number}表{row}")


def _class_table(number: str, title: str) -> Record:
    def build(values: Values) -> m.ClassTable:
        return m.ClassTable(
            loc=values.loc,
            where=values.where,
            number=number,
            total=values["total"],
            rows=values["rows"],
            empty_note=values["empty_note"],
        )

    return Record(
        f"公开{number}表",
        (
            Field("合计", "total", _class_row(number, total_row=True), doc="合计行（按表中所列填写，用于核对）"),
            Field("科目", "rows", ListOf(_class_row(number)), default=tuple, doc="按功能分类列示的类、款、项各行"),
            Field("空表说明", "empty_note", Text(), default="", doc="本表为空表时的说明（可省略，使用标准说明）"),
        ),
        build,
        doc=title,
    )


def _line(key: str, columns: tuple[tuple[str, str], ...] | None = None) -> Type:
    """A summary-table line: one amount, or a record of amounts by column."""
    if columns is None:
        return Amount()
    return Record(
        key, tuple(Field(label, k, Amount(), default=None, aliases=(label.removesuffix("财政拨款"),)) for k, label in columns)
    )


BOOK_COLUMNS = (("total", FISCAL_TOTAL_COLUMN), *BOOKS)


def _summary(
    number: str,
    income: tuple[tuple[str, str], ...],
    spending: tuple[tuple[str, str], ...],
    columns: tuple[tuple[str, str], ...] | None,
    opening_columns: tuple[tuple[str, str], ...] | None,
) -> Record:
    classes = classification()
    # Each 类 is keyed by its current name; its code and the names it had in earlier years (医疗卫生与计划生育支出
    # up to 2018) are read as that name, and the report's year decides the name printed.
    current = {code: name for code, name, _, _ in classes.classes}
    names = list(dict.fromkeys(current.values()))
    aliases = {**current, **{name: current[code] for code, name, _, _ in classes.classes if name != current[code]}}
    name_to_code = {name: code for code, name in current.items()}

    def line(key: str, value, loc: Location) -> m.Line:
        amounts = value.attrs if isinstance(value, Values) else {"amount": value}
        where = value.where if isinstance(value, Values) else {}
        return m.Line(loc=loc, where=where, key=key, values={k: v for k, v in amounts.items() if v is not None})

    def side(fields: tuple[tuple[str, str], ...], with_classes: bool, cols, section: str = "") -> Record:
        items = []
        if with_classes:
            items.append(
                Field(
                    "科目",
                    "classes",
                    MapOf("按功能分类的支出（类）", names, _line("类", cols), aliases=aliases),
                    default=tuple,
                    doc="各“类”支出，键为类名称或 3 位编码",
                )
            )
        for key, label in fields:
            line_columns = opening_columns if key == "opening" else cols
            # A line renamed over the years (用事业基金弥补收支差额 → 使用非财政拨款结余) is read by any of its names.
            earlier = line_names(section, key)[:-1] if section else ()
            items.append(Field(label, key, _line(label, line_columns), doc=label, aliases=earlier))
        half = "收入" if not with_classes else "支出"
        return Record(half, items, ref=f"公开{number}表{half}")

    income_rec = side(income, False, None, "收入合计行" if number == "01" else "")
    spending_rec = side(spending, True, columns)

    def build(values: Values) -> m.SummaryTable:
        inc: Values = values["income"]
        spe: Values = values["spending"]
        income_lines = {k: line(k, inc.attrs[k], inc.where.get(k, inc.loc)) for k, _ in income if inc.attrs.get(k) is not None}
        spending_lines = {
            k: line(k, spe.attrs[k], spe.where.get(k, spe.loc)) for k, _ in spending if spe.attrs.get(k) is not None
        }
        class_lines = tuple(line(name_to_code[e.key], e.value, e.loc) for e in spe.attrs["classes"])
        return m.SummaryTable(
            loc=values.loc, where=values.where, number=number, income=income_lines, classes=class_lines, spending=spending_lines
        )

    return Record(
        f"公开{number}表",
        (Field("收入", "income", income_rec, True), Field("支出", "spending", spending_rec, True)),
        build,
    )


TABLE_01 = _summary("01", (*INCOME_LINES, *INCOME_TOTALS), SPENDING_TOTALS, None, None)
TABLE_04 = _summary("04", (*BOOKS, *FISCAL_INCOME_TOTALS), FISCAL_SPENDING_TOTALS, BOOK_COLUMNS, BOOK_COLUMNS)

ECONOMIC_ROW = _fields(
    m.EconomicRow,
    Field("编码", "code", ECONOMIC_CODE, True, doc=ECONOMIC_CODE.doc),
    Field("名称", "name", Text(max_length=MAX_NAME), default="", doc="科目名称（已收录的科目可省略）"),
    Field("决算数", "amount", Amount(), default=Decimal(0)),
    doc="经济分类行",
)


def _basic_table(values: Values) -> m.BasicTable:
    # Rows are looked up by code when the table is drawn: a code written twice would replace a row.
    seen: dict[str, m.EconomicRow] = {}
    for row in (*values["personnel"], *values["running"]):
        if row.code in seen:
            raise ReportError(
                row.at("code", "编码"),
                f"经济分类科目 {row.code} 重复出现（第 {seen[row.code].loc.line} 行已有）：请删除或合并其中一行",
            )
        seen[row.code] = row
    return m.BasicTable(loc=values.loc, where=values.where, **values.attrs)


TABLE_06 = Record(
    "公开06表",
    (
        Field("人员经费", "personnel", ListOf(ECONOMIC_ROW), default=tuple, doc="人员经费的经济分类类、款（301、303）"),
        Field("公用经费", "running", ListOf(ECONOMIC_ROW), default=tuple, doc="公用经费的经济分类类、款（302、307、310、399）"),
        Field("人员经费合计", "personnel_total", Amount()),
        Field("公用经费合计", "running_total", Amount()),
        Field("空表说明", "empty_note", Text(), default=""),
    ),
    _basic_table,
    doc="公开06表",
)

THREE_COSTS = Record(
    "“三公”经费",
    (
        Field("合计", "total", Amount(), True),
        Field("因公出国（境）费", "abroad", Amount(), default=Decimal(0), aliases=("因公出国(境)费", "因公出国费")),
        Field("公务用车购置及运行费", "vehicles", Amount(), default=Decimal(0), aliases=("公务用车购置及运行维护费", "小计")),
        Field("公务用车购置费", "purchase", Amount(), default=Decimal(0), aliases=("购置费",)),
        Field("公务用车运行费", "running", Amount(), default=Decimal(0), aliases=("公务用车运行维护费", "运行费")),
        Field("公务接待费", "reception", Amount(), default=Decimal(0)),
    ),
    _make(m.ThreeCosts),
)
TABLE_07 = _fields(
    m.ThreeCostsTable,
    Field("预算数", "budget", THREE_COSTS, doc="“三公”经费年初预算数"),
    Field("决算数", "actual", THREE_COSTS, doc="“三公”经费决算数"),
    Field("空表说明", "empty_note", Text(), default=""),
    doc="公开07表",
)

TABLES = _fields(
    m.Tables,
    Field("公开01表", "t01", TABLE_01, True, doc="收入支出决算总表"),
    Field("公开02表", "t02", _class_table("02", "收入决算表"), True, doc="收入决算表"),
    Field("公开03表", "t03", _class_table("03", "支出决算表"), True, doc="支出决算表"),
    Field("公开04表", "t04", TABLE_04, True, doc="财政拨款收入支出决算总表"),
    Field("公开05表", "t05", _class_table("05", "一般公共预算财政拨款支出决算表"), doc="一般公共预算财政拨款支出决算表"),
    Field("公开06表", "t06", TABLE_06, doc="一般公共预算财政拨款基本支出决算表"),
    Field("公开07表", "t07", TABLE_07, doc="财政拨款“三公”经费支出决算表"),
    Field(
        "公开08表", "t08", _class_table("08", "政府性基金预算财政拨款收入支出决算表"), doc="政府性基金预算财政拨款收入支出决算表"
    ),
    Field("公开09表", "t09", _class_table("09", "国有资本经营预算财政拨款支出决算表"), doc="国有资本经营预算财政拨款支出决算表"),
    doc="公开表",
)

# ---------------------------------------------------------------------------- notes.yaml

PRIOR_DOC = "上年决算数（有上年文件夹时可省略，自动取用并核对）"


def _change(name: str) -> Record:
    return _fields(
        m.Change,
        Field("上年数", "prior", Amount(), doc=PRIOR_DOC),
        Field("原因", "reason", Text(), default="", doc="与上年相比增减变化的主要原因"),
        Field("用途", "usage", Text(), default="", doc="主要用途（可选）"),
        doc=name,
    )


ABROAD = _fields(
    m.Abroad,
    Field("团组数", "groups", Count(), True, doc="全年因公出国（境）团组数"),
    Field("人次", "people", Count(), True, doc="因公出国（境）累计人次"),
    Field("用途", "usage", Text(), default="", doc="主要用于哪些出访任务"),
    Field("原因", "reason", Text(), default="", doc="增减变化或与预算差异的原因"),
    doc="因公出国（境）",
)
VEHICLES = _fields(
    m.Vehicles,
    Field("购置数", "bought", Count(), True, doc="全年购置公务用车辆数"),
    Field("购置车型", "bought_by_type", MapOf("购置车型", None, Count()), default=tuple, doc="按车型的购置辆数，例如 轿车: 1"),
    Field("保有量", "fleet", Count(), True, doc="年末公务用车保有量"),
    Field("购置用途", "purchase_usage", Text(), default=""),
    Field("运行用途", "running_usage", Text(), default="", doc="运行维护费主要用于燃料、维修、过路过桥、保险等"),
    Field("原因", "reason", Text(), default=""),
    doc="公务用车",
)
RECEPTION = _fields(
    m.Reception,
    Field("国内批次", "batches", Count(), True, doc="国内公务接待批次"),
    Field("国内人次", "people", Count(), True, doc="国内公务接待人次（不包括陪同人员）"),
    Field("外事批次", "foreign_batches", Count(), doc="外事接待批次；没有外事接待时写 0（不写则文中不提外事接待）"),
    Field("外事人次", "foreign_people", Count(), doc="外事接待人次"),
    Field("外事金额", "foreign_amount", Amount(), doc="外事接待支出（不写则文中不写国内接待的支出金额）"),
    Field("用途", "usage", Text(), default=""),
    Field("原因", "reason", Text(), default=""),
    doc="公务接待",
)
THREE_COSTS_NOTES = _fields(
    m.ThreeCostsNotes,
    Field("上年决算", "prior", THREE_COSTS, doc=PRIOR_DOC),
    Field("预算差异原因", "budget_reason", Text(), default="", doc="决算数与预算数不同的主要原因"),
    Field("上年变动原因", "prior_reason", Text(), default="", doc="较上年增减变化的主要原因"),
    Field("因公出国（境）", "abroad", ABROAD, True, aliases=("因公出国(境)", "因公出国")),
    Field("公务用车", "vehicles", VEHICLES, True),
    Field("公务接待", "reception", RECEPTION, True),
    doc="“三公”经费说明",
)
RUNNING_COSTS = _fields(
    m.RunningCosts,
    Field("本年数", "amount", Amount(), True, doc="本年机关运行经费支出"),
    Field("上年数", "prior", Amount(), doc=PRIOR_DOC),
    Field("原因", "reason", Text(), default=""),
    doc="机关运行经费",
)
PROCUREMENT = _fields(
    m.Procurement,
    Field("货物", "goods", Amount(), default=Decimal(0), doc="政府采购货物支出"),
    Field("工程", "works", Amount(), default=Decimal(0), doc="政府采购工程支出"),
    Field("服务", "services", Amount(), default=Decimal(0), doc="政府采购服务支出"),
    Field("合计", "total", Amount(), True, doc="政府采购支出总额"),
    Field("授予中小企业", "sme", Amount(), doc="授予中小企业合同金额（没有时填 0；不填时文中不写）"),
    Field("授予小微企业", "small", Amount(), doc="其中授予小微企业合同金额（没有时填 0；不填时文中不写）"),
    Field("用途", "usage", Text(), default=""),
    doc="政府采购",
)
VEHICLE_CLASS = MapOf("车辆类别", None, Count(), doc="车辆类别及数量，例如 一般公务用车: 1")
ASSETS = _fields(
    m.Assets,
    Field("车辆", "vehicles", VEHICLE_CLASS, default=tuple, doc="按类别的车辆数"),
    Field("车辆合计", "vehicle_total", Count(), True),
    Field("单价50万元以上通用设备", "general_equipment", Count(), doc="台（套）；没有时填 0（不填时文中不写）"),
    Field("单价100万元以上专用设备", "special_equipment", Count(), doc="台（套）；没有时填 0（不填时文中不写）"),
    Field("说明", "note", Text(), default=""),
    doc="国有资产占用",
)
SECTION = _fields(
    m.Section, Field("标题", "title", Text(max_length=MAX_NAME), True), Field("内容", "text", Text(), True), doc="其他事项"
)


def _notes(values: Values) -> m.Notes:
    attrs = dict(values.attrs)
    if isinstance(attrs["running_costs"], str):  # “机关运行经费: 不涉及”
        attrs["running_costs_stated"] = attrs.pop("running_costs")
    return m.Notes(loc=values.loc, where=values.where, **attrs)


NOTES = Record(
    "情况说明",
    (
        Field("收支总计", "totals", _change("收支总计"), doc="收入支出决算总计（第三部分一）"),
        Field("本年收入", "income", _change("本年收入"), doc="本年收入合计（可选）"),
        Field("本年支出", "expenditure", _change("本年支出"), doc="本年支出合计（可选）"),
        Field("财政拨款收支总计", "fiscal", _change("财政拨款收支总计"), doc="财政拨款收入支出决算总计（第三部分四）"),
        Field("一般公共预算财政拨款支出", "general", _change("一般公共预算财政拨款支出"), doc="第三部分五"),
        Field("政府性基金预算财政拨款支出", "fund", _change("政府性基金预算财政拨款支出"), doc="第三部分八（可选）"),
        Field("国有资本经营预算财政拨款支出", "capital", _change("国有资本经营预算财政拨款支出"), doc="第三部分九（可选）"),
        Field("三公经费", "three_costs", THREE_COSTS_NOTES, True, aliases=("“三公”经费",)),
        Field(
            "机关运行经费",
            "running_costs",
            Either(RUNNING_COSTS, ("不涉及",)),
            doc="行政单位和参公事业单位填写；不涉及时写“机关运行经费: 不涉及”（决算单位都是事业单位时可省略）",
        ),
        Field("政府采购", "procurement", PROCUREMENT, True),
        Field("国有资产", "assets", ASSETS, True, aliases=("国有资产占用",)),
        Field("预算绩效管理", "performance", Text(), default="", doc="预算绩效管理工作的补充说明（自评结果由绩效自评表生成）"),
        Field("其他事项", "other", ListOf(SECTION), default=tuple, doc="其他需要说明的事项"),
        Field(
            "绩效自评",
            "evaluations_stated",
            Choice(("未开展",)),
            default="",
            doc="没有绩效自评表（evaluations/）时写“未开展”，文中写明未开展绩效自评；不写时文中不提绩效自评结果",
        ),
    ),
    _notes,
    doc="情况说明",
)

# ---------------------------------------------------------------------------- evaluations/*.yaml

RELATIONS = {
    "≥": "≥",
    ">=": "≥",
    "≧": "≥",
    ">": "≥",
    "＞": "≥",
    "大于等于": "≥",
    "不低于": "≥",
    "正向": "≥",
    "≤": "≤",
    "<=": "≤",
    "≦": "≤",
    "<": "≤",
    "＜": "≤",
    "小于等于": "≤",
    "不高于": "≤",
    "反向": "≤",
    "=": "=",
    "＝": "=",
    "等于": "=",
    "定性": "定性",
}
LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL2 = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
_RELATION_PREFIX = re.compile(r"^(≥|>=|≧|>|＞|≤|<=|≦|<|＜|=|＝)\s*")


class Written(Choice):
    """A choice read as (the canonical word, the text as written): a form prints the comparator the source used."""

    def read(self, node: Node) -> tuple[str, str]:  # type: ignore[override]
        return super().read(node), normalize(node.text) if isinstance(node, Scalar) else ""


MAX_VALUE = 500  # characters of an indicator's value: a number with its unit, or a short qualitative target


class Raw(Type):
    """A scalar kept as text, interpreted by the record that owns it."""

    doc = "数值或文字"

    def read(self, node: Node) -> Scalar:
        if not isinstance(node, Scalar):
            raise ReportError(node.loc, "这里应填一个数值或一段文字")
        checked_text(node.text, node.loc, MAX_VALUE)  # printed as typed when the indicator is qualitative
        return node

    def schema(self) -> dict:
        return {"type": ["string", "number"]}


# The comparators printed as the source wrote them; the others (>=, 大于等于, 正向 …) print as ≥ ≤ =.
PRINTED_AS_WRITTEN = ("≥", "≧", ">", "＞", "≤", "≦", "<", "＜", "=", "＝")
# A unit is a few words, not a formula or a date: “60元/人/年*参保人数”, “2023年10月31日前” and
# “9月底前完成” are text targets, not a number with a unit (“台（套）”, “元/人”, “个工作日” are units).
_NOT_A_UNIT = re.compile(r"\d|[*＊×+＋÷=＝]|^[年月日号]|前|底")


def printed_comparator(written: str) -> str:
    """The comparator a form prints for one the source wrote: the same symbol, or the canonical one."""
    return written if written in PRINTED_AS_WRITTEN else RELATIONS.get(written, written)


# An indicator value's number: plain (50402) or grouped by thousands with commas (50,402; ５０，４０２
# is the same once full-width forms are mapped); what follows is its unit.
_INDICATOR_NUMBER = re.compile(r"^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?\s*(.*)$")
# What may not follow the number: more digits after a space or a misplaced comma (“50 402”, “50,40”).
_RUN_ON = re.compile(r"^([,.][0-9]|[,.]?\s*[0-9])")


def _split_value(scalar: Scalar) -> tuple[str, Decimal | None, str, str, str]:
    """Split “≥97%” into relation, number, unit, the comparator as written and a problem; a text
    target (no leading number, or words that are no unit) gives no number.

    The fifth part says why the number cannot be read as one (a digit grouping that is not by
    thousands, digits other than 0–9, a value too large), for when the indicator is quantitative.
    """
    text = normalize(scalar.text)
    relation = written = ""
    match = _RELATION_PREFIX.match(text)
    if match:
        written = match.group(1)
        relation = RELATIONS[written]
        text = text[match.end() :]
    char = foreign_digit(text)
    problem = foreign_digit_message(scalar.text, char) if char else ""
    number = _INDICATOR_NUMBER.match(text)
    if not number:
        return relation, None, "", written, problem
    digits, fraction, unit = number.group(1), number.group(2) or "", number.group(3).strip()
    if _RUN_ON.match(number.group(3)) or (unit[:1].isdigit()):
        problem = problem or (
            f"“{scalar.text}”中的数字写法不清楚：千分位逗号应每三位一个（例如 50,402），或者不写逗号和空格（50402）"
        )
    elif _NOT_A_UNIT.search(unit):
        return relation, None, "", written, problem  # a text target: its words are not a unit
    value = Decimal(digits.replace(",", "") + fraction)
    if value.adjusted() >= MAX_DIGITS:
        problem = problem or f"“{scalar.text}”过大（整数部分最多 {MAX_DIGITS} 位）"
    return relation, value, unit, written, problem


def _indicator(level1: str, level2: str) -> Record:
    def build(values: Values) -> m.Indicator:
        attrs = dict(values.attrs)
        target: Scalar = attrs.pop("target_raw")
        actual: Scalar | None = attrs.pop("actual_raw")
        relation, written = attrs.pop("relation_raw") or ("", "")
        t_rel, t_num, t_unit, t_written, t_problem = _split_value(target)
        if relation and t_rel and relation != t_rel:
            raise ReportError(target.loc, f"指标值中的“{t_rel}”与性质“{relation}”不一致")
        written = t_written or written
        relation = relation or t_rel or ("定性" if t_num is None else "")
        if not relation:
            raise ReportError(values.loc, "缺少“性质”：定量指标填 ≥、≤ 或 =，定性指标填“定性”")
        # A qualitative target's words are not a unit: only the 单位 the source gives is printed beside it.
        unit = attrs.get("unit") or (t_unit if relation != "定性" else "")
        a_num = None
        a_text = ""
        a_problem = ""
        if actual is not None:
            a_rel, a_num, a_unit, _, a_problem = _split_value(actual)
            a_text = actual.text.strip()
        if relation != "定性":
            if t_problem:
                raise ReportError(target.loc, t_problem)
            if a_problem and actual is not None:
                raise ReportError(actual.loc, a_problem)
            if t_num is None:
                raise ReportError(
                    target.loc,
                    f"定量指标的指标值应是一个数字加单位（如 95%、5.3万人），而不是“{target.text}”："
                    "文字、日期或算式的目标请写“性质: 定性”",
                )
            if actual is None:
                raise ReportError(values.loc, "缺少“完成值”")
            if a_num is None:
                raise ReportError(actual.loc, f"定量指标的完成值应是数字，而不是“{actual.text}”")
            if a_unit and unit and a_unit != unit:
                raise ReportError(actual.loc, f"完成值的单位“{a_unit}”与指标值的单位“{unit}”不一致")
        else:
            if actual is None:
                raise ReportError(values.loc, "缺少“完成值”")
            if not attrs.get("tier") and attrs.get("factor") is None and attrs.get("score") is None:
                raise ReportError(values.loc, "定性指标要填写“档次”（达成、部分达成、未达成）或“得分系数”或“得分”")
        attrs["unit"] = unit or ""
        factor = attrs.get("factor")
        if factor is not None:
            attrs["factor"] = factor / 100
        return m.Indicator(
            loc=values.loc,
            where=values.where,
            level1=level1,
            level2=level2,
            relation=relation,
            comparator=printed_comparator(written) if relation != "定性" and written else relation,
            target=t_num if relation != "定性" else None,
            target_text=target.text.strip(),
            actual=a_num if relation != "定性" else None,
            actual_text=a_text,
            **attrs,
        )

    return Record(
        "三级指标",
        (
            Field("名称", "name", Text(max_length=MAX_NAME), True, doc="三级指标名称"),
            Field(
                "性质",
                "relation_raw",
                Written(tuple(dict.fromkeys(RELATIONS.values())), aliases={k: v for k, v in RELATIONS.items() if k != v}),
                default=None,
                doc="≥（越大越好）、≤（越小越好）、=、定性；也可写在指标值前，如“≥95%”",
            ),
            Field("指标值", "target_raw", Raw(), True, doc="年度指标值，例如 95、≥95%、有效缓解"),
            Field("单位", "unit", Text(max_length=MAX_NAME), default="", doc="计量单位，例如 %、人次、万元"),
            Field("完成值", "actual_raw", Raw(), doc="实际完成值"),
            Field("分值", "weight", Score(), True, doc="本指标的权重（分）"),
            Field("得分", "score", Score(), doc="填写则按评分规则核对；不填则自动计算"),
            Field("档次", "tier", Choice(TIERS), default="", doc="定性指标：达成、部分达成、未达成"),
            Field(
                "得分系数",
                "factor",
                Percent(),
                doc="定性指标：在档次区间内的得分比例，例如 90%；定量指标：填写则核对（分值 × 得分系数应等于按规则计算的得分），不用它计分",
            ),
            Field("偏差原因", "deviation", Text(), default="", doc="偏差原因分析及改进措施"),
        ),
        build,
    )


class Indicators(Type):
    """The 绩效指标 tree: 一级指标 → 二级指标 → list of 三级指标."""

    doc = "绩效指标：一级指标 → 二级指标 → 三级指标列表；重庆版式也可以不分组，直接写指标列表"

    def read(self, node: Node) -> tuple[m.Indicator, ...]:
        if isinstance(node, SequenceNode):
            # The Chongqing layout lists its indicators flat (指标名称 …), without 一级/二级 groups.
            return tuple(ListOf(_indicator("", ""), min_items=1).read(node))
        level1 = Choice(LEVEL1, aliases={n.removesuffix("指标"): n for n in LEVEL1})

        def group(pair: tuple[Scalar, Node]) -> list[m.Indicator]:
            key, groups = pair
            one = level1.read(key)
            level2 = Choice(LEVEL2[one], aliases={n.removesuffix("指标"): n for n in LEVEL2[one]})

            def subgroup(sub: tuple[Scalar, Node]) -> tuple[m.Indicator, ...]:
                sub_key, rows = sub
                home = _home_of(sub_key.text, one)
                if home:
                    raise ReportError(sub_key.loc, f"“{sub_key.text}”是{home}的二级指标，请放在“{home}”下")
                two = level2.read(sub_key)
                return ListOf(_indicator(one, two), min_items=1).read(rows)

            return [i for rows in each(subgroup, _pairs(groups, f"{one}的二级指标")) for i in rows]

        indicators = [i for rows in each(group, _pairs(node, "一级指标：产出指标、效益指标、满意度指标、成本指标")) for i in rows]
        if not indicators:
            raise ReportError(node.loc, "至少要有一个绩效指标")
        return tuple(indicators)

    @staticmethod
    def indicator_record() -> Record:
        """The record of one 三级指标 (its 一级/二级 come from the keys above it)."""
        return _indicator("", "")

    def schema(self) -> dict:
        indicator = self.indicator_record().schema()

        def names(words: tuple[str, ...]) -> list[str]:
            return [*words, *(w.removesuffix("指标") for w in words)]

        grouped = {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                one: {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {two: {"type": "array", "items": indicator} for two in names(LEVEL2[key])},
                }
                for key in LEVEL1
                for one in (key, key.removesuffix("指标"))
            },
        }
        flat = {"type": "array", "minItems": 1, "items": indicator, "description": "重庆版式：不分一级、二级指标，逐条列出"}
        return {"anyOf": [grouped, flat]}


def _home_of(name: str, level1: str) -> str:
    """The 一级指标 a 二级指标 name belongs to when it is not `level1` (to say where it goes)."""
    word = normalize(name)
    for one, twos in LEVEL2.items():
        if (
            one != level1
            and word in (*twos, *(t.removesuffix("指标") for t in twos))
            and word not in (*LEVEL2[level1], *(t.removesuffix("指标") for t in LEVEL2[level1]))
        ):
            return one
    return ""


def _pairs(node: Node, what: str) -> tuple:
    if not isinstance(node, MappingNode):
        hint = fullwidth_colon_hint(node.text) if isinstance(node, Scalar) else ""
        raise ReportError(node.loc, f"这里应是若干“键: 值”（{what}），而不是{describe(node)}{hint}")
    return node.items


FUND_ROW = Record(
    "资金行",
    (
        Field("年初预算数", "initial", Amount(), doc="年初预算数；不填时表中留空（不是 0）"),
        Field("全年预算数", "budget", Amount(), default=Decimal(0), doc="全年预算数（A），执行率的分母"),
        Field("全年执行数", "spent", Amount(), default=Decimal(0), doc="全年执行数（B）"),
        Field("分值", "weight", Score(), doc="资金来源明细行不计分；此项仅用于发现误填"),
        Field("得分", "score", Score(), doc="资金来源明细行不计分；此项仅用于发现误填"),
    ),
)
FUND_SOURCES = tuple(dict.fromkeys(PROJECT_SOURCES + DEPARTMENT_SOURCES))


def _funds(values: Values) -> m.Funds:
    rows = []
    for key, label in (("total", FUND_TOTAL), *((f"p{i}", s) for i, s in enumerate(FUND_SOURCES))):
        raw = values.attrs.get(key)
        if raw is not None:
            rows.append(m.FundRow(loc=raw.loc, where=raw.where, name=label, **raw.attrs))
    total = rows[0] if rows and rows[0].name == FUND_TOTAL else None
    parts = tuple(r for r in rows if r.name != FUND_TOTAL)
    return m.Funds(
        loc=values.loc,
        where=values.where,
        total=total,
        parts=parts,
        weight=values["weight"],
        rate=values["rate"],
        score=values["score"],
    )


FUNDS = Record(
    "项目资金",
    (
        Field(FUND_TOTAL, "total", FUND_ROW, True),
        *(Field(s, f"p{i}", FUND_ROW) for i, s in enumerate(FUND_SOURCES)),
        Field("分值", "weight", Score(), default=Decimal(10), doc="预算执行率的分值，默认 10 分"),
        Field("执行率", "rate", Percent(), doc="填写则核对（执行率 = 全年执行数 ÷ 全年预算数）"),
        Field("得分", "score", Score(), doc="预算执行率得分，填写则核对"),
    ),
    _funds,
)

CALCULATION = _fields(
    m.Calculation,
    Field("说明", "text", Text(), True, doc="测算口径，例如 享受财政补助人数 × 补助标准"),
    Field("数量", "quantity", Number(), True),
    Field("标准", "standard", Number(), True, doc="单价或标准（元）"),
    Field("金额", "amount", Amount(), True, doc="测算金额（按金额单位）"),
    doc="资金测算",
)


def _evaluation(values: Values) -> m.Evaluation:
    attrs = dict(values.attrs)
    indicators = attrs.pop("indicators")
    goals = attrs.pop("goals")
    allowed = PROJECT_SOURCES if attrs["kind"] == "项目支出" else DEPARTMENT_SOURCES
    for part in attrs["funds"].parts:
        if part.name not in allowed:
            raise ReportError(
                part.loc, f"{attrs['kind']}自评表的资金行应为 年度资金总额、{'、'.join(allowed)}，没有“{part.name}”"
            )
    where = {**values.where, **goals.where}  # 预期目标 and 实际完成情况 are located at their own lines
    return m.Evaluation(
        loc=values.loc, where=where, indicators=indicators, goal=goals["goal"], achieved=goals["achieved"], **attrs
    )


GOALS = Record(
    "年度总体目标",
    (
        Field("预期目标", "goal", Text(), True, aliases=("年初设定目标",)),
        Field("实际完成情况", "achieved", Text(), True, aliases=("完成情况",)),
    ),
)

EVALUATION = Record(
    "绩效自评表",
    (
        Field(
            "类型",
            "kind",
            Choice(("项目支出", "部门整体支出"), aliases={"项目": "项目支出", "部门整体": "部门整体支出"}),
            default="项目支出",
        ),
        Field("名称", "name", Text(max_length=MAX_NAME), True, doc="项目名称；部门整体自评填部门名称"),
        Field("主管部门", "department", Text(max_length=MAX_DEPARTMENT), default="", doc="默认为本部门"),
        Field("实施单位", "implementer", Text(max_length=MAX_NAME), default="", doc="默认为本部门"),
        Field("版式", "layout", Choice(("财政部", "重庆")), default="", doc="本表版式（默认取 report.yaml 的绩效表版式）"),
        Field("资金", "funds", FUNDS, True, doc="项目资金（万元）"),
        Field("年度总体目标", "goals", GOALS, True),
        Field("绩效指标", "indicators", Indicators(), True),
        Field("总分", "total", Score(), doc="填写则核对"),
        Field("完成情况", "summary", Text(), default="", doc="绩效自评综述中的“项目绩效目标完成情况”（默认取实际完成情况）"),
        Field("问题及原因", "problems", Text(), default="", doc="发现的主要问题及原因（不写时文中不写这一句）"),
        Field("改进措施", "measures", Text(), default="", doc="下一步改进措施（不写时文中不写这一句）"),
        Field("资金测算", "calculations", ListOf(CALCULATION), default=tuple, doc="资金测算依据（数量 × 标准），填写则核对"),
    ),
    _evaluation,
)

# ---------------------------------------------------------------------------- glossary.yaml

TERM = _fields(
    m.Term, Field("名词", "name", Text(max_length=MAX_NAME), True), Field("解释", "text", Text(), True), doc="名词解释"
)
GLOSSARY = ListOf(TERM, doc="本部门补充或改写的名词解释")

# ---------------------------------------------------------------------------- 科目表.yaml


def _catalogue(values: Values) -> m.Catalogue:
    def codes(entries, lengths: tuple[int, ...], what: str) -> tuple[tuple[str, str], ...]:
        found = []
        for entry in entries:
            code = normalize(entry.key)
            if not code.isdigit() or len(code) not in lengths:
                shown = "、".join(str(n) for n in lengths)
                raise ReportError(
                    entry.loc, f'{what}科目编码应为 {shown} 位数字，而不是“{entry.key}”（编码请加引号，如 "2013899"）'
                )
            found.append((code, entry.value))
        return tuple(found)

    return m.Catalogue(
        loc=values.loc,
        where=values.where,
        function=codes(values["function"], (3, 5, 7), "功能分类"),
        economic=codes(values["economic"], (3, 5), "经济分类"),
    )


CATALOGUE = Record(
    "科目表",
    (
        Field(
            "功能分类",
            "function",
            MapOf("功能分类科目", None, Text()),
            default=tuple,
            doc='功能分类科目的名称，键为 3、5 或 7 位编码（加引号），例如 "2013899": 其他市场监督管理事务；改写或补充工具自带的名称',
        ),
        Field(
            "经济分类",
            "economic",
            MapOf("经济分类科目", None, Text()),
            default=tuple,
            doc="经济分类科目的名称，键为 3 或 5 位编码（加引号）",
        ),
    ),
    _catalogue,
    doc="自己的科目表：本报告所用年度《政府收支分类科目》中工具未收录或名称不同的科目",
)
CATALOGUE_FILE = "科目表.yaml"


# ---------------------------------------------------------------------------- three_costs.yaml


def _statement(values: Values) -> tuple[m.Tables, m.Notes]:
    """A separate 三公经费 statement, read as the 07表 and the 三公/机关运行经费 notes a 决算 report has."""
    attrs, where, loc = values.attrs, values.where, values.loc
    t07 = m.ThreeCostsTable(loc=loc, where=where, budget=attrs["budget"], actual=attrs["actual"])
    three = m.ThreeCostsNotes(
        loc=loc,
        where=where,
        prior=attrs["prior"],
        budget_reason=attrs["budget_reason"],
        prior_reason=attrs["prior_reason"],
        abroad=attrs["abroad"],
        vehicles=attrs["vehicles"],
        reception=attrs["reception"],
    )
    costs = attrs["running_costs"]
    stated = costs if isinstance(costs, str) else ""
    notes = m.Notes(loc=loc, where=where, three_costs=three, running_costs=None if stated else costs, running_costs_stated=stated)
    return m.Tables(loc=loc, where=where, t07=t07), notes


THREE_COSTS_STATEMENT = Record(
    "“三公”经费说明",
    (
        Field("预算数", "budget", THREE_COSTS, True, doc="“三公”经费年初预算数（没有预算的项目填 0）"),
        Field("决算数", "actual", THREE_COSTS, True, doc="“三公”经费决算数"),
        *THREE_COSTS_NOTES.fields,
        Field(
            "机关运行经费",
            "running_costs",
            Either(RUNNING_COSTS, ("不涉及",)),
            doc="本年数、上年数和原因；不涉及时写“机关运行经费: 不涉及”；不写时文中不提机关运行经费",
        ),
    ),
    _statement,
    doc="单独公开的“三公”经费（和机关运行经费）决算情况：预算数、决算数、上年决算、原因和统计数",
)

# The finance system's workbooks a report folder may hold in place of tables.yaml (read by workbook.py).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

FILES = (
    FileSpec("report.yaml", MANIFEST, True, "报告清单：类型、部门、年度、单位和版式"),
    FileSpec("overview.yaml", OVERVIEW, True, "第一部分 概况"),
    FileSpec("tables.yaml", TABLES, True, "第二部分 公开表（01–09）"),
    FileSpec("notes.yaml", NOTES, True, "第三部分 情况说明所需的上年数、原因和统计数"),
    FileSpec("glossary.yaml", GLOSSARY, False, "名词解释的补充和改写"),
    FileSpec(
        CATALOGUE_FILE,
        CATALOGUE,
        False,
        "自己的科目表（可放在报告文件夹中，或部门文件夹、content/ 中供多份报告共用；离报告最近的一份有效）",
    ),
    FileSpec(
        "three_costs.yaml", THREE_COSTS_STATEMENT, False, "单独的“三公”经费决算情况说明（report.yaml 写“类型: 三公经费”时）"
    ),
)
# Which files each kind of document reads, required (True) or optional (False); a file not named
# for a kind may not be in its folder, so nothing is silently left unread.
FILES_OF_KIND = {
    "决算": {"overview.yaml": True, "tables.yaml": True, "notes.yaml": True, "glossary.yaml": False, CATALOGUE_FILE: False},
    "绩效自评": {
        "overview.yaml": False,
        "tables.yaml": False,
        "notes.yaml": False,
        "glossary.yaml": False,
        CATALOGUE_FILE: False,
    },
    "三公经费": {"three_costs.yaml": True},
}
EVALUATION_FOLDER = "evaluations"
KINDS_WITH_EVALUATIONS = ("决算", "绩效自评")

# ---------------------------------------------------------------------------- content/site.yaml

SITE = Record(
    "网站设置",
    (
        Field("网站名称", "title", Text(max_length=MAX_NAME), default="部门决算公开", doc="首页标题"),
        Field("网址", "url", Text(), default="", doc="网站地址，如 https://www.example.gov.cn/juesuan/（用于网站地图）"),
        Field("说明", "intro", Text(), default="", doc="首页上的一段说明"),
    ),
    doc="发布网站的设置（content/site.yaml，可选）",
)
