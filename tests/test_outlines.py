"""The wordings real reports use (表述), the 科目 names by year and a user's 科目表.yaml, the 云南 and 安徽 outlines.

Each test sets the figures it needs on a copy of a report (or writes the files), composes it through
the real templates and compares whole sentences with ones worked out here by hand.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from disclosure import model as m
from disclosure.document import Heading, Island, Paragraph, Table
from disclosure.errors import Location, ReportError
from disclosure.pipeline import check_report
from disclosure.pipeline import render as assemble
from disclosure.read.folder import read_report

from conftest import CONTENT, ROOT

D = Decimal
EXAMPLE = CONTENT / "linjiang-yibaoju" / "2024"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal" / "2024"


@cache
def example() -> m.Report:
    return read_report(EXAMPLE, with_prior=False)


def worded(report: m.Report, **choices: object) -> m.Report:
    """The report with these wording choices in its report.yaml (表述)."""
    wording = m.Wording(loc=Location("report.yaml"), **choices)  # type: ignore[arg-type]
    return replace(report, manifest=replace(report.manifest, wording=wording))


def texts(report: m.Report) -> list[str]:
    return [b.text for b in assemble(report).document.blocks if isinstance(b, Paragraph)]


def paragraph(report: m.Report, start: str) -> str:
    found = [text for text in texts(report) if text.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def income(report: m.Report, **lines: str) -> m.Report:
    """Set 01表's income lines (key → amount) and 本年收入合计 to their sum; the other lines to 0."""
    t01 = report.tables.t01
    keys = ("general", "fund", "capital", "superior", "business", "operating", "affiliated", "other")
    new = dict(t01.income)
    total = D(0)
    for key in keys:
        value = D(lines.get(key, "0"))
        total += value
        base = t01.income.get(key) or t01.income["total_income"]
        new[key] = replace(base, key=key, values={"amount": value})
    new["total_income"] = replace(t01.income["total_income"], values={"amount": total})
    return replace(report, tables=replace(report.tables, t01=replace(t01, income=new)))


INCOME = "2024年度本年收入合计"


# ---------------------------------------------------------------------------- 收入结构: 合并, 占比, 零值项, 千位分隔符


def test_the_three_books_print_as_one_fiscal_income_share_when_combined():
    report = income(example(), general="600.00", fund="150.00", other="250.00")
    # By hand: 600 + 150 = 750 of 1000 → 75.00%; 其他收入 250 of 1000 → 25.00%.
    combined = paragraph(worded(report, fiscal_income="合并"), INCOME)
    assert combined.startswith(
        "2024年度本年收入合计1000.00万元，其中：财政拨款收入750.00万元，占75.00%；其他收入250.00万元，占25.00%。"
    )
    apart = paragraph(report, INCOME)
    assert apart.startswith(
        "2024年度本年收入合计1000.00万元，其中：一般公共预算财政拨款收入600.00万元，占60.00%；"
        "政府性基金预算财政拨款收入150.00万元，占15.00%；其他收入250.00万元，占25.00%。"
    )


def test_a_single_income_line_prints_as_all_or_as_a_share_of_one_hundred():
    report = income(example(), general="731.21")
    assert paragraph(report, INCOME).startswith("2024年度本年收入合计731.21万元，全部为一般公共预算财政拨款收入。")
    shared = paragraph(worded(report, whole="占比"), INCOME)
    assert shared.startswith("2024年度本年收入合计731.21万元，其中：一般公共预算财政拨款收入731.21万元，占100.00%。")


def test_zero_lines_are_listed_with_a_zero_share_when_asked():
    report = worded(income(example(), general="300.00", business="100.00"), zero_items="列出")
    # Every income line of 01表 in its order, the zero ones at 0.00万元 and 0.00%; 300/400 = 75%, 100/400 = 25%.
    assert paragraph(report, INCOME).startswith(
        "2024年度本年收入合计400.00万元，其中：一般公共预算财政拨款收入300.00万元，占75.00%；"
        "政府性基金预算财政拨款收入0.00万元，占0.00%；国有资本经营预算财政拨款收入0.00万元，占0.00%；"
        "上级补助收入0.00万元，占0.00%；事业收入100.00万元，占25.00%；经营收入0.00万元，占0.00%；"
        "附属单位上缴收入0.00万元，占0.00%；其他收入0.00万元，占0.00%。"
    )


def test_amounts_take_thousands_separators_when_asked():
    report = worded(income(example(), general="1234.50", other="10000.00"), grouping=True)
    # 1234.50 + 10000.00 = 11234.50; 1234.5 / 11234.5 = 10.988…% → 10.99%; 10000 / 11234.5 = 89.011…% → 89.01%.
    assert paragraph(report, INCOME).startswith(
        "2024年度本年收入合计11,234.50万元，其中：一般公共预算财政拨款收入1,234.50万元，占10.99%；其他收入10,000.00万元，占89.01%。"
    )
    document = assemble(report).document
    t01 = next(b.value for b in document.blocks if isinstance(b, Island) and isinstance(b.value, Table) and b.value.key == "t01")
    assert "11,234.50" in [cell.text for row in t01.body for cell in row]
    plain = paragraph(income(example(), general="1234.50", other="10000.00"), INCOME)
    assert plain.startswith("2024年度本年收入合计11234.50万元")


# ---------------------------------------------------------------------------- 下降用语, “三公”较预算增减


def prior_totals(report: m.Report, prior: str) -> m.Report:
    return replace(report, notes=replace(report.notes, totals=m.Change(loc=report.notes.loc, prior=D(prior), reason="机构精简")))


def test_a_decrease_can_be_said_with_jiangdi():
    grand = example().tables.t01.income_value("grand_total")
    prior = grand + D("100.00")
    # By hand: Δ = −100.00; rate = 100 / prior.
    rate = (D(100) * 100 / prior).quantize(D("0.01"))
    base = prior_totals(example(), str(prior))
    assert f"收、支总计各减少100.00万元，下降{rate}%" in paragraph(base, "2024年度收、支总计各")
    assert f"收、支总计各减少100.00万元，降低{rate}%" in paragraph(worded(base, decline="降低"), "2024年度收、支总计各")


def three_costs(report: m.Report, budget: str, actual: str) -> m.Report:
    t07 = report.tables.t07

    def costs(x: m.ThreeCosts, total: str) -> m.ThreeCosts:
        # Everything in 公务接待费, so the total is the one item.
        return replace(x, total=D(total), abroad=D(0), vehicles=D(0), purchase=D(0), running=D(0), reception=D(total))

    t07 = replace(t07, budget=costs(t07.budget, budget), actual=costs(t07.actual, actual))
    return replace(report, tables=replace(report.tables, t07=t07))


def test_three_costs_against_the_budget_by_difference_and_rate_besides_completion():
    report = three_costs(example(), budget="3.00", actual="2.48")
    # By hand: 2.48 / 3.00 = 82.666…% → 82.67%; −0.52 on 3.00 → 17.333…% → 17.33%.
    start = "2024年度“三公”经费财政拨款支出决算为2.48万元"
    plain = paragraph(report, start)
    assert plain.startswith(start + "，完成预算的82.67%。")  # no prior year here: nothing after it
    assert "较预算" not in plain
    both = paragraph(worded(report, budget_change=True), start)
    assert both.startswith(start + "，完成预算的82.67%，较预算减少0.52万元，下降17.33%。")
    over = paragraph(
        worded(three_costs(example(), budget="2.00", actual="2.50"), budget_change=True),
        "2024年度“三公”经费财政拨款支出决算为2.50万元",
    )
    assert "完成预算的125.00%，较预算增加0.50万元，增长25.00%" in over  # 2.5/2 = 125%, 0.5/2 = 25%


# ---------------------------------------------------------------------------- 具体情况按类, 表名


def test_general_spending_detail_by_class_or_by_item():
    by_class = texts(worded(example(), detail="按类"))
    by_item = texts(example())
    classes = [r for r in example().tables.t05.rows if r.level == 1]
    items = [r for r in example().tables.t05.rows if len(r.code) == 7]
    numbered_class = [
        t for t in by_class if t[:2] in {f"{i}." for i in range(1, 10)} and "（类）" not in t and "支出决算数为" in t
    ]
    numbered_item = [t for t in by_item if "（项）：" in t]
    assert len(numbered_class) == len(classes) and len(numbered_item) == len(items)


def test_a_table_title_can_be_renamed_by_the_wording():
    title = "一般公共预算财政拨款基本支出决算明细表"
    document = assemble(worded(example(), titles=(("06", title),))).document
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    tables = {b.value.key: b.value.title for b in document.blocks if isinstance(b, Island) and isinstance(b.value, Table)}
    assert title in headings and tables["t06"] == title
    assert "一般公共预算财政拨款基本支出决算表" not in headings


def test_a_profile_sets_wordings_and_a_report_overrides_them():
    sichuan = replace(example(), manifest=replace(example().manifest, profile="四川"))
    listed = paragraph(income(sichuan, general="300.00", business="100.00"), INCOME)
    assert "政府性基金预算财政拨款收入0.00万元，占0.00%" in listed  # 四川 lists zero lines (templates/sichuan/表述.yaml)
    omitted = paragraph(worded(income(sichuan, general="300.00", business="100.00"), zero_items="省略"), INCOME)
    assert "政府性基金" not in omitted


# ---------------------------------------------------------------------------- the 科目 catalogue by year and the user's own


def copy_minimal(tmp_path: Path, year: int) -> Path:
    folder = tmp_path / "dept" / str(year)
    shutil.copytree(MINIMAL, folder)
    report = folder / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("年度: 2024", f"年度: {year}"), encoding="utf-8")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def table_01(report: m.Report) -> list[str]:
    document = assemble(report).document
    t01 = next(b.value for b in document.blocks if isinstance(b, Island) and isinstance(b.value, Table) and b.value.key == "t01")
    return [cell.text for row in t01.body for cell in row]


def test_a_2017_report_reads_and_prints_the_2017_class_names(tmp_path: Path):
    folder = copy_minimal(tmp_path, 2017)
    for line in ("      卫生健康支出: 100.00", "      卫生健康支出: {合计"):
        edit(folder / "tables.yaml", line, line.replace("卫生健康支出", "医疗卫生与计划生育支出"))
    built = check_report(folder)
    assert not built.errors, built.errors
    cells = table_01(built.derived.report)
    assert "九、医疗卫生与计划生育支出" in cells and "七、文化体育与传媒支出" in cells
    assert not any("卫生健康支出" in c or "灾害防治及应急管理支出" in c for c in cells)  # 224 is from 2019 on


def test_a_2024_report_typed_with_the_old_name_prints_the_2024_name(tmp_path: Path):
    folder = copy_minimal(tmp_path, 2024)
    edit(folder / "tables.yaml", "      卫生健康支出: 100.00", "      医疗卫生与计划生育支出: 100.00")
    cells = table_01(read_report(folder))
    assert "九、卫生健康支出" in cells and not any("计划生育" in c for c in cells)


def test_the_non_fiscal_surplus_line_has_its_2019_name(tmp_path: Path):
    folder = copy_minimal(tmp_path, 2019)
    edit(folder / "tables.yaml", "    年初结转和结余: 0\n", "    用事业基金弥补收支差额: 0\n    年初结转和结余: 0\n")
    cells = table_01(read_report(folder))
    assert "用事业基金弥补收支差额" in cells and "使用非财政拨款结余" not in cells
    later = copy_minimal(tmp_path / "later", 2021)
    assert "使用非财政拨款结余" in table_01(read_report(later))


def test_a_users_catalogue_names_codes_the_toolkit_lacks(tmp_path: Path):
    folder = copy_minimal(tmp_path, 2024)
    tables = folder / "tables.yaml"
    # 2101599 is bundled as 其他医疗保障管理事务支出; 2101598 is not bundled at all.
    text = tables.read_text(encoding="utf-8").replace('"2101502"', '"2101598"')
    tables.write_text(text, encoding="utf-8")
    unknown = check_report(folder)
    assert any("2101598" in f.message and "未收录" in f.message for f in unknown.errors)
    (tmp_path / "dept" / "科目表.yaml").write_text(
        '功能分类:\n  "2101598": 医保数据治理\n', encoding="utf-8"
    )  # shared by the department
    named = check_report(folder)
    assert not named.errors, named.errors
    names = [
        cell.text
        for b in assemble(named.derived.report).document.blocks
        if isinstance(b, Island) and isinstance(b.value, Table)
        for row in b.value.body
        for cell in row
    ]
    assert "医保数据治理" in names


def test_a_bad_code_in_the_users_catalogue_is_named_at_its_line(tmp_path: Path):
    folder = copy_minimal(tmp_path, 2024)
    (folder / "科目表.yaml").write_text('功能分类:\n  "2101598": 医保数据治理\n  "21015x": 错\n', encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        read_report(folder)
    assert "科目表.yaml:3" in caught.value.render().splitlines()[0]  # the line of the bad key
    assert "功能分类科目编码应为 3、5、7 位数字" in caught.value.render()


# ---------------------------------------------------------------------------- the 云南 and 安徽 outlines


def blocks(folder: Path):
    return assemble(read_report(folder)).document.blocks


def test_the_anhui_outline_has_eight_tables_and_the_three_costs_as_a_part_with_its_table():
    found = blocks(CONTENT / "qinghe-yibaoju" / "2024")
    tables = [b.value for b in found if isinstance(b, Island) and isinstance(b.value, Table) and b.value.number]
    assert [t.number for t in tables] == [f"公开0{n}表" for n in (1, 2, 3, 4, 5, 6, 8, 9)]
    parts = [b.text for b in found if isinstance(b, Heading) and b.level == 1]
    assert "2024年度部门“三公”经费支出决算情况" in parts
    mini = next(b.value for b in found if isinstance(b, Island) and isinstance(b.value, Table) and b.value.key == "t07s")
    t07 = read_report(CONTENT / "qinghe-yibaoju" / "2024").tables.t07
    rows = {row[0].text: (row[1].text, row[2].text) for row in mini.body}
    assert rows["合计"] == (f"{t07.budget.total:.2f}", f"{t07.actual.total:.2f}")
    assert rows["其中：公务用车运行维护费"] == (f"{t07.budget.running:.2f}", f"{t07.actual.running:.2f}")


def test_the_yunnan_outline_puts_the_forms_among_the_tables_and_prints_the_index_number():
    found = blocks(CONTENT / "nanxi-jianceso" / "2024")
    parts = [i for i, b in enumerate(found) if isinstance(b, Heading) and b.level == 1]
    titles = [found[i].text for i in parts]
    assert titles[:2] == ["单位基本情况", "2024年度单位决算报表"] and "其他重要事项及相关口径情况说明" in titles
    tables_part = found[parts[1] : parts[2]]
    forms = [b.value for b in tables_part if isinstance(b, Island) and isinstance(b.value, Table) and b.value.form]
    assert len(forms) == len(read_report(CONTENT / "nanxi-jianceso" / "2024").evaluations) > 0
    first = next(b for b in found if isinstance(b, Paragraph))
    assert first.text == "监督索引号：53250120250905001"
