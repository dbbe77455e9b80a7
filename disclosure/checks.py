"""The consistency rules of the 决算 tables and notes (domain spec §3.10–§3.11, §8.5).

Every rule yields Findings with a severity and the location of the stated figure it doubts.
Sums of rounded parts may differ from a stated total by up to 0.005 per part: a warning, not an
error; anything beyond is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from . import model as m
from .amounts import ZERO, format_amount
from .catalog import BOOKS, CLASS_TABLES, INCOME_LINES, classification
from .errors import Finding, Location, Severity, error, warning
from .figures import Figures, compute, in_unit

HALF_CENT = Decimal("0.005")


def money(value: Decimal) -> str:
    return format_amount(value, 2)


def sum_rule(stated: Decimal, parts: Iterable[Decimal], loc: Location, what: str, rule: str,
             count: int | None = None) -> Iterator[Finding]:
    """Compare a stated total with the sum of its parts, with the rounding tolerance."""
    values = list(parts)
    total = sum(values, ZERO)
    diff = stated - total
    if diff == 0:
        return
    n = count if count is not None else max(len(values), 1)
    text = f"{what}：填写的 {money(stated)} 与 {money(total)} 不符（相差 {money(abs(diff))}）"
    if abs(diff) <= HALF_CENT * n:
        yield warning(loc, text + "，在各项四舍五入的误差范围内，请确认取数口径一致", rule)
    else:
        yield error(loc, text, rule)


def equal_rule(stated: Decimal, other: Decimal, loc: Location, what: str, rule: str) -> Iterator[Finding]:
    """Two cells that must hold the same figure (cross-table identities)."""
    if stated != other:
        diff = abs(stated - other)
        text = f"{what}：{money(stated)} 与 {money(other)} 不一致（相差 {money(diff)}）"
        yield (warning if diff <= HALF_CENT else error)(loc, text, rule)


# ---------------------------------------------------------------------------- 功能分类 tables


def class_table(table: m.ClassTable, year: int) -> Iterator[Finding]:
    """Codes nest by prefix, every row adds across, every parent equals the sum of its children."""
    spec = CLASS_TABLES[table.number]
    codes = classification()
    seen: dict[str, m.ClassRow] = {}
    for row in table.rows:
        if row.code in seen:
            yield error(row.at("code", "编码"), f"科目 {row.code} 重复出现（第 {seen[row.code].loc.line} 行已有）", "T-HIER")
            continue
        seen[row.code] = row
        if row.level == 1 and codes.class_name(row.code) is None:
            yield error(row.at("code", "编码"), f"{row.code} 不是 {year} 年功能分类的“类”级科目", "T-HIER")
        known = codes.function_name(row.code)
        if not row.name and not known:
            yield error(row.loc, f"科目 {row.code} 未收录在工具的科目表中，请填写“名称”", "T-NAME")
        elif row.name and known and row.name != known:
            yield warning(row.at("name", "名称"), f"科目 {row.code} 的名称通常为“{known}”，请核对", "T-NAME")
        if row.level > 1:
            parent = row.code[: 3 if row.level == 2 else 5]
            if parent not in {r.code for r in table.rows}:
                yield error(row.at("code", "编码"), f"科目 {row.code} 缺少上级科目 {parent} 的行", "T-HIER")
    rows = [table.total] if table.total else []
    rows += list(table.rows)
    for row in rows:
        yield from _row_identities(table, row, spec)
    if table.total is None:
        if table.rows:
            yield error(table.loc, "缺少“合计”行", "T-SUM")
        return
    for column in spec.columns:
        yield from _hierarchy(table, column.key, column.label)


def _row_identities(table: m.ClassTable, row: m.ClassRow, spec) -> Iterator[Finding]:
    name = "合计行" if row is table.total else f"科目 {row.code}"
    label = {c.key: c.label for c in spec.columns}
    key = "本年支出" if spec.total_key == "spending" else label[spec.total_key]
    yield from sum_rule(row.value(spec.total_key), (row.value(p) for p in spec.parts),
                        row.at(spec.total_key, key), f"{name}的{key}应等于{'、'.join(label[p] for p in spec.parts)}之和", "T-ROW")
    if table.number == "08":
        expected = row.value("opening") + row.value("income") - row.value("spending")
        yield from equal_rule(row.value("closing"), expected, row.at("closing", "年末结转和结余"),
                              f"{name}的年末结转和结余应等于年初结转和结余 + 本年收入 − 本年支出", "X8")


def _hierarchy(table: m.ClassTable, key: str, label: str) -> Iterator[Finding]:
    rows = table.rows
    classes = [r for r in rows if r.level == 1]
    assert table.total is not None
    if classes or table.total.value(key):
        yield from sum_rule(table.total.value(key), (r.value(key) for r in classes),
                            table.total.at(key, label), f"合计行的{label}应等于各“类”之和", "T-SUM")
    for parent in rows:
        if parent.level == 3:
            continue
        children = [r for r in rows if r.level == parent.level + 1 and r.code.startswith(parent.code)]
        if children:
            word = "款" if parent.level == 1 else "项"
            yield from sum_rule(parent.value(key), (c.value(key) for c in children), parent.at(key, label),
                                f"科目 {parent.code} 的{label}应等于其下各“{word}”之和", "T-SUM")


# ---------------------------------------------------------------------------- tables 01 and 04


def table_01(t: m.SummaryTable, year: int) -> Iterator[Finding]:
    loc = lambda side, key, label: _line_loc(t, side, key, label)  # noqa: E731
    yield from sum_rule(t.income_value("total_income"), (t.income_value(k) for k, _ in INCOME_LINES),
                        loc("income", "total_income", "收入.本年收入合计"), "本年收入合计应等于各项收入之和", "T01")
    yield from sum_rule(t.income_value("grand_total"),
                        (t.income_value(k) for k in ("total_income", "non_fiscal", "opening")),
                        loc("income", "grand_total", "收入.总计"), "收入总计应等于本年收入合计 + 使用非财政拨款结余 + 年初结转和结余", "T01")
    yield from sum_rule(t.spending_value("total_spending"), (c.value() for c in t.classes),
                        loc("spending", "total_spending", "支出.本年支出合计"), "本年支出合计应等于各类支出之和", "T01")
    yield from sum_rule(t.spending_value("grand_total"),
                        (t.spending_value(k) for k in ("total_spending", "distribution", "closing")),
                        loc("spending", "grand_total", "支出.总计"), "支出总计应等于本年支出合计 + 结余分配 + 年末结转和结余", "T01")
    yield from equal_rule(t.spending_value("grand_total"), t.income_value("grand_total"),
                          loc("spending", "grand_total", "支出.总计"), "收入总计与支出总计必须相等", "X1")


def table_04(t: m.SummaryTable) -> Iterator[Finding]:
    loc = lambda side, key, label: _line_loc(t, side, key, label)  # noqa: E731
    books = [k for k, _ in BOOKS]
    yield from sum_rule(t.income_value("total_income"), (t.income_value(k) for k in books),
                        loc("income", "total_income", "收入.本年收入合计"), "本年收入合计应等于三项财政拨款之和", "T04")
    opening = t.income.get("opening")
    if opening is not None:
        yield from sum_rule(opening.value("total"), (opening.value(k) for k in books), opening.at("total", "合计"),
                            "年初财政拨款结转和结余的合计应等于三项之和", "T04")
    yield from sum_rule(t.income_value("grand_total"),
                        (t.income_value("total_income"), opening.value("total") if opening else ZERO),
                        loc("income", "grand_total", "收入.总计"), "收入总计应等于本年收入合计 + 年初财政拨款结转和结余", "T04")
    for line in (*t.classes, *t.spending.values()):
        what = f"{classification().class_name(line.key) or line.key}" if line in t.classes else _SPENDING_04[line.key]
        yield from sum_rule(line.value("total"), (line.value(k) for k in books), line.at("total", "合计"),
                            f"{what}的合计应等于一般公共预算、政府性基金预算、国有资本经营预算财政拨款之和", "X4")
    for key in ("total", *books):
        yield from sum_rule(t.spending_value("total_spending", key), (c.value(key) for c in t.classes),
                            _col_loc(t.spending.get("total_spending"), t, key), "本年支出合计应等于各类支出之和", "T04")
        yield from sum_rule(t.spending_value("grand_total", key),
                            (t.spending_value("total_spending", key), t.spending_value("closing", key)),
                            _col_loc(t.spending.get("grand_total"), t, key), "支出总计应等于本年支出合计 + 年末财政拨款结转和结余", "T04")
    yield from equal_rule(t.spending_value("grand_total", "total"), t.income_value("grand_total"),
                          _col_loc(t.spending.get("grand_total"), t, "total"), "收入总计与支出总计必须相等", "X4")
    for key, name in BOOKS:
        available = t.income_value(key) + (opening.value(key) if opening else ZERO)
        yield from equal_rule(t.spending_value("grand_total", key), available, _col_loc(t.spending.get("grand_total"), t, key),
                              f"{name}：年初结转和结余 + 本年收入应等于本年支出 + 年末结转和结余", "X4")


_SPENDING_04 = {"total_spending": "本年支出合计", "closing": "年末财政拨款结转和结余", "grand_total": "总计"}


def _line_loc(t: m.SummaryTable, side: str, key: str, label: str) -> Location:
    lines = t.income if side == "income" else t.spending
    line = lines.get(key)
    return line.loc if line is not None else t.loc.at(f"公开{t.number}表.{label}")


def _col_loc(line: m.Line | None, t: m.SummaryTable, key: str) -> Location:
    if line is None:
        return t.loc
    label = "合计" if key == "total" else dict(BOOKS)[key]
    return line.at(key, label)


# ---------------------------------------------------------------------------- cross-table identities


def cross_tables(t: m.Tables) -> Iterator[Finding]:
    """X2, X3, X5, X6 and the 02/08 links between the tables."""
    t01, t02, t03, t04 = t.t01, t.t02, t.t03, t.t04
    if t01 and t02 and t02.total:
        yield from equal_rule(t01.income_value("total_income"), t02.total.value("total"),
                              _line_loc(t01, "income", "total_income", "收入.本年收入合计"), "01表本年收入合计应等于02表合计", "X2")
        fiscal = sum((t01.income_value(k) for k, _ in BOOKS), ZERO)
        yield from equal_rule(t02.total.value("fiscal"), fiscal, t02.total.at("fiscal", "财政拨款收入"),
                              "02表财政拨款收入应等于01表三项财政拨款收入之和", "X2")
        for key, name in INCOME_LINES[3:]:
            yield from equal_rule(t01.income_value(key), t02.total.value(key), _line_loc(t01, "income", key, f"收入.{name}"),
                                  f"01表{name}应等于02表合计行的{name}", "X2")
    if t01 and t03 and t03.total:
        yield from equal_rule(t01.spending_value("total_spending"), t03.total.value("total"),
                              _line_loc(t01, "spending", "total_spending", "支出.本年支出合计"), "01表本年支出合计应等于03表合计", "X2")
        classes03 = {r.code: r for r in t03.rows if r.level == 1}
        for code in sorted({c.key for c in t01.classes} | set(classes03)):
            row = classes03.get(code)
            stated = t01.class_value(code)
            line = next((c for c in t01.classes if c.key == code), None)
            where = line.loc if line else (row.loc if row else t01.loc)
            yield from equal_rule(stated, row.value("total") if row else ZERO, where,
                                  f"01表“{classification().class_name(code) or code}”应等于03表该类的本年支出合计", "X3")
    if t04:
        if t01:
            for key, name in BOOKS:
                yield from equal_rule(t04.income_value(key), t01.income_value(key), _line_loc(t04, "income", key, f"收入.{name}"),
                                      f"04表{name}收入应等于01表{name}收入", "X5")
        classes05 = {r.code: r for r in t.t05.rows if r.level == 1} if t.t05 else {}
        for code in sorted({c.key for c in t04.classes} | set(classes05)):
            row = classes05.get(code)
            line = next((c for c in t04.classes if c.key == code), None)
            stated = line.value("general") if line else ZERO
            where = line.at("general", "一般公共预算财政拨款") if line else (row.loc if row else t04.loc)
            missing = "（05表未列该类）" if row is None and t.t05 is not None else ""
            yield from equal_rule(stated, row.value("total") if row else ZERO, where,
                                  f"04表“{classification().class_name(code) or code}”的一般公共预算财政拨款应等于05表该类合计{missing}", "X5")
        general05 = t.t05.total.value("total") if t.t05 and t.t05.total else ZERO
        spend = t04.spending.get("total_spending")
        yield from equal_rule(t04.spending_value("total_spending", "general"), general05, _col_loc(spend, t04, "general"),
                              "04表一般公共预算财政拨款本年支出应等于05表合计", "X5")
        fund = t.t08.total if t.t08 and t.t08.total else None
        yield from equal_rule(t04.spending_value("total_spending", "fund"), fund.value("spending") if fund else ZERO,
                              _col_loc(spend, t04, "fund"), "04表政府性基金预算财政拨款本年支出应等于08表本年支出合计", "X5")
        yield from equal_rule(t04.income_value("fund"), fund.value("income") if fund else ZERO,
                              _line_loc(t04, "income", "fund", "收入.政府性基金预算财政拨款"),
                              "04表政府性基金预算财政拨款收入应等于08表本年收入合计", "X5")
        capital = t.t09.total.value("total") if t.t09 and t.t09.total else ZERO
        yield from equal_rule(t04.spending_value("total_spending", "capital"), capital, _col_loc(spend, t04, "capital"),
                              "04表国有资本经营预算财政拨款本年支出应等于09表合计", "X5")
        if fund is not None:
            closing = t04.spending.get("closing")
            yield from equal_rule(t04.spending_value("closing", "fund"), fund.value("closing"), _col_loc(closing, t04, "fund"),
                                  "04表政府性基金年末结转和结余应等于08表年末结转和结余", "X5")
    if t.t05 and t.t05.total and t.t06 and not t.t06.empty:
        basic = (t.t06.personnel_total or ZERO) + (t.t06.running_total or ZERO)
        yield from equal_rule(t.t05.total.value("basic"), basic, t.t05.total.at("basic", "基本支出"),
                              "05表基本支出合计应等于06表人员经费合计 + 公用经费合计", "X6")
    if t.t05:
        yield from fund_codes_in_05(t.t05)


def fund_codes_in_05(table: m.ClassTable) -> Iterator[Finding]:
    """A 政府性基金 code (e.g. 22960 彩票公益金) has no place in the 一般公共预算 table: one error per subtree."""
    codes = classification()
    flagged: list[str] = []
    for row in sorted(table.rows, key=lambda r: r.code):  # a parent code sorts before its children
        if row.level < 2 or not codes.is_fund_code(row.code) or any(row.code.startswith(f) for f in flagged):
            continue
        flagged.append(row.code)
        name = row.name or codes.function_name(row.code)
        label = f"{row.code}（{name}）" if name else f"{row.code} "
        yield error(row.at("code", "编码"), f"科目 {label}属于政府性基金预算支出，不应列入一般公共预算财政拨款支出表："
                    f"其支出 {money(row.value('total'))} 应列入04表政府性基金预算财政拨款列和08表", "X5")


# ---------------------------------------------------------------------------- tables 06 and 07


def table_06(t: m.BasicTable) -> Iterator[Finding]:
    codes = classification()
    for block, rows, total, label in (("人员经费", t.personnel, t.personnel_total, "人员经费合计"),
                                      ("公用经费", t.running, t.running_total, "公用经费合计")):
        for row in rows:
            if codes.is_personnel(row.code) != (block == "人员经费"):
                other = "公用经费" if block == "人员经费" else "人员经费"
                yield error(row.at("code", "编码"), f"经济分类 {row.code} 属于{other}，不应列在{block}中", "T06")
            if not row.name and row.code not in codes.economic_names:
                yield error(row.loc, f"经济分类 {row.code} 未收录在工具的科目表中，请填写“名称”", "T-NAME")
        classes = [r for r in rows if r.level == 1]
        for parent in classes:
            children = [r for r in rows if r.level == 2 and r.code.startswith(parent.code)]
            if children:
                yield from sum_rule(parent.amount, (c.amount for c in children), parent.at("amount", "决算数"),
                                    f"经济分类 {parent.code} 应等于其下各“款”之和", "T06")
        orphans = [r for r in rows if r.level == 2 and r.code[:3] not in {c.code for c in classes}]
        for row in orphans:
            yield error(row.at("code", "编码"), f"经济分类 {row.code} 缺少上级科目 {row.code[:3]} 的行", "T06")
        if total is None:
            if rows:
                yield error(t.loc, f"缺少“{label}”", "T06")
            continue
        yield from sum_rule(total, (r.amount for r in classes), t.at("personnel_total" if block == "人员经费" else "running_total", label),
                            f"{label}应等于各“类”之和", "T06")


def table_07(t: m.ThreeCostsTable) -> Iterator[Finding]:
    for half in (t.budget, t.actual):
        if half is None:
            continue
        name = half.loc.path.split(".")[-1]
        yield from sum_rule(half.total, (half.abroad, half.vehicles, half.reception), half.at("total", "合计"),
                            f"{name}合计应等于因公出国（境）费 + 公务用车购置及运行费 + 公务接待费", "X7")
        yield from sum_rule(half.vehicles, (half.purchase, half.running), half.at("vehicles", "公务用车购置及运行费"),
                            f"{name}公务用车购置及运行费应等于购置费 + 运行费", "X7")


def three_costs_against_06(t: m.Tables) -> Iterator[Finding]:
    """07 covers all fiscal money, 06 only 基本支出: 07 must be at least the 06 economic code."""
    if not (t.t06 and t.t07 and t.t07.actual):
        return
    rows = {r.code: r for r in (*t.t06.personnel, *t.t06.running)}
    for code, attr, name in (("30212", "abroad", "因公出国（境）费"), ("30231", "running", "公务用车运行费"),
                             ("31013", "purchase", "公务用车购置费"), ("30217", "reception", "公务接待费")):
        row = rows.get(code)
        if row is not None and row.amount > getattr(t.t07.actual, attr):
            yield warning(row.at("amount", "决算数"), f"06表 {code} {money(row.amount)} 大于07表{name}决算数 "
                          f"{money(getattr(t.t07.actual, attr))}，“三公”经费可能少报", "X7")


# ---------------------------------------------------------------------------- notes and narrative inputs


def notes(report: m.Report, f: Figures) -> Iterator[Finding]:
    n = report.notes
    assert n is not None and report.tables is not None
    yield from _priors(report, f)
    yield from _reasons(report, f)
    three = n.three_costs
    actual = f.three
    if three is not None:
        pairs = ((actual.abroad, three.abroad.groups if three.abroad else 0, "因公出国（境）费", "团组数", three.abroad),
                 (actual.purchase, three.vehicles.bought if three.vehicles else 0, "公务用车购置费", "购置数", three.vehicles),
                 (actual.reception, three.reception.batches if three.reception else 0, "公务接待费", "国内批次", three.reception))
        for amount, count, name, count_name, record in pairs:
            if record is None:
                continue
            if amount > 0 and count == 0:
                yield warning(record.loc, f"{name}决算 {money(amount)} 不为零，但{count_name}为 0", "P7")
            if amount == 0 and count > 0:
                yield warning(record.loc, f"{count_name}为 {count}，但{name}决算为 0", "P7")
        if three.vehicles and actual.running > 0 and three.vehicles.fleet == 0:
            yield warning(three.vehicles.at("fleet", "保有量"), "有公务用车运行费，但公务用车保有量为 0", "P7")
        if three.reception and three.reception.foreign_amount > actual.reception:
            yield error(three.reception.at("foreign_amount", "外事金额"), "外事接待支出不能大于公务接待费决算数", "P7")
        if three.vehicles and n.assets and three.vehicles.fleet > n.assets.vehicle_total:
            yield warning(three.vehicles.at("fleet", "保有量"), f"公务用车保有量 {three.vehicles.fleet} 辆多于国有资产中的车辆合计 "
                          f"{n.assets.vehicle_total} 辆", "P11")
    p = n.procurement
    if p is not None:
        yield from sum_rule(p.total, (p.goods, p.works, p.services), p.at("total", "合计"), "政府采购合计应等于货物、工程、服务支出之和", "P10")
        if p.sme > p.total:
            yield error(p.at("sme", "授予中小企业"), f"授予中小企业合同金额 {money(p.sme)} 不能大于政府采购支出总额 {money(p.total)}", "P10")
        if p.small > p.sme:
            yield error(p.at("small", "授予小微企业"), f"授予小微企业合同金额 {money(p.small)} 不能大于授予中小企业合同金额 {money(p.sme)}", "P10")
    a = n.assets
    if a is not None and a.vehicles:
        counted = sum(e.value for e in a.vehicles)
        if counted != a.vehicle_total:
            yield error(a.at("vehicle_total", "车辆合计"), f"车辆合计 {a.vehicle_total} 辆与各类车辆之和 {counted} 辆不符", "P11")
    yield from _running_costs(report)


def _priors(report: m.Report, f: Figures) -> Iterator[Finding]:
    n = report.notes
    assert n is not None
    needed = (("totals", "收支总计", f.totals), ("fiscal", "财政拨款收支总计", f.fiscal),
              ("general", "一般公共预算财政拨款支出", f.general))
    for attr, name, compare in needed:
        if compare is None:
            yield error(n.at(attr, name), f"缺少{name}的上年数：请在 notes.yaml 的“{name}.上年数”中填写，"
                        f"或提供上年文件夹（{report.manifest.year - 1}）", "PRIOR")
    if f.three_prior is None:
        yield error(n.at("three_costs", "三公经费"), "缺少“三公”经费的上年决算数：请填写“三公经费.上年决算”，或提供上年文件夹", "PRIOR")
    if n.running_costs is not None and f.running_costs is None:
        yield error(n.running_costs.at("prior", "上年数"), "缺少机关运行经费的上年数", "PRIOR")
    prior = report.prior
    if prior is None or prior.tables is None:
        return
    derived = compute(prior)
    checks = ((n.totals, "收支总计", derived.grand_total), (n.fiscal, "财政拨款收支总计", derived.fiscal_total),
              (n.general, "一般公共预算财政拨款支出", derived.general_total))
    for stated, name, published in checks:
        if stated is not None and stated.prior is not None and stated.prior != published:
            yield warning(stated.at("prior", "上年数"), f"{name}上年数 {money(stated.prior)} 与上年报告公开的 {money(published)} 不一致；"
                          "如属口径调整，请在原因中说明", "PRIOR")
    t, pt = report.tables, prior.tables

    def last_year(value: Decimal) -> Decimal:
        return in_unit(value, prior, report)  # type: ignore[return-value]

    if t and t.t01 and pt.t01:
        yield from equal_rule(t.t01.income_value("opening"), last_year(pt.t01.spending_value("closing")),
                              _line_loc(t.t01, "income", "opening", "收入.年初结转和结余"),
                              "年初结转和结余应等于上年报告的年末结转和结余", "PRIOR")
    if t and t.t04 and pt.t04:
        opening = t.t04.income.get("opening")
        for key, label in (("total", "合计"), *BOOKS):
            yield from equal_rule(opening.value(key) if opening else ZERO, last_year(pt.t04.spending_value("closing", key)),
                                  opening.at(key, label) if opening else _line_loc(t.t04, "income", "opening", "收入.年初财政拨款结转和结余"),
                                  f"04表年初财政拨款结转和结余（{label}）应等于上年报告的年末数", "PRIOR")
    if t and pt.t08 and pt.t08.total is not None:
        stated = t.t08.total.value("opening") if t.t08 and t.t08.total else ZERO
        where = t.t08.total.at("opening", "年初结转和结余") if t.t08 and t.t08.total else t.loc.at("公开08表")
        yield from equal_rule(stated, last_year(pt.t08.total.value("closing")), where,
                              "08表年初结转和结余应等于上年报告的年末结转和结余", "PRIOR")


def _reasons(report: m.Report, f: Figures) -> Iterator[Finding]:
    n = report.notes
    assert n is not None
    for attr, name, compare in (("totals", "收支总计", f.totals), ("fiscal", "财政拨款收支总计", f.fiscal),
                                ("general", "一般公共预算财政拨款支出", f.general)):
        record = getattr(n, attr)
        if compare is not None and compare.sign != 0 and not (record and record.reason):
            yield warning(n.at(attr, name), f"{name}较上年有增减变化，请在“{name}.原因”中说明主要原因", "REASON")
    three = n.three_costs
    if three is not None:
        if f.three.total != f.three_budget.total and not three.budget_reason:
            yield error(three.at("budget_reason", "预算差异原因"), "“三公”经费决算数与预算数不同，必须说明主要原因（预算差异原因）", "REASON")
        prior = f.three_prior
        if prior is not None and prior.total != f.three.total and not three.prior_reason:
            yield error(three.at("prior_reason", "上年变动原因"), "“三公”经费较上年有增减变化，必须说明主要原因（上年变动原因）", "REASON")
    if n.running_costs is not None and f.running_costs is not None and f.running_costs.sign != 0 and not n.running_costs.reason:
        yield warning(n.running_costs.at("reason", "原因"), "机关运行经费较上年有增减变化，请说明主要原因", "REASON")
    for item in f.general_items:
        if item.budget is None:
            yield warning(item.loc, f"科目 {item.code} 缺少“年初预算”，第三部分无法说明完成预算情况", "BUDGET")
        elif item.budget == 0 and item.actual != 0:
            yield warning(item.loc, f"科目 {item.code} 年初预算为 0 而支出决算为 {money(item.actual)}：完成预算的比例不可比，"
                          "文中将写“不可比”而不是百分比，请在“原因”中说明无预算而发生支出的原因", "ZERO-BASE")
        elif item.budget != item.actual and not item.reason:
            yield warning(item.loc, f"科目 {item.code} 决算数与年初预算数不同，请填写“原因”", "REASON")


def _running_costs(report: m.Report) -> Iterator[Finding]:
    n, overview, t = report.notes, report.overview, report.tables
    assert n is not None and t is not None
    administrative = [u for u in (overview.units if overview else ()) if u.nature in ("行政单位", "参照公务员法管理事业单位")]
    if n.running_costs is None:
        if administrative:
            yield error(n.loc, "本部门有行政单位或参公事业单位，必须说明机关运行经费（notes.yaml 的“机关运行经费”）", "P9")
        return
    if administrative and len(administrative) == len(overview.units) and t.t06 and t.t06.running_total is not None:
        if n.running_costs.amount != t.t06.running_total:
            yield warning(n.running_costs.at("amount", "本年数"), f"机关运行经费 {money(n.running_costs.amount)} 与06表公用经费合计 "
                          f"{money(t.t06.running_total)} 不同；全部为行政（参公）单位时两者通常相等，请核对", "P9")


# ---------------------------------------------------------------------------- report-wide rules


def overview_rules(report: m.Report) -> Iterator[Finding]:
    o = report.overview
    if o is None or o.staffing is None:
        return
    s = o.staffing
    for total, attr, name, key in ((s.total_authorized, "authorized", "编制数", "total_authorized"),
                                   (s.total_actual, "actual", "实有人数", "total_actual")):
        counted = sum(getattr(c, attr) for c in s.categories)
        if total is not None and total != counted:
            yield error(s.at(key, "编制合计" if attr == "authorized" else "实有合计"),
                        f"{name}合计 {total} 人与各类别之和 {counted} 人不符", "STAFF")


def dates(manifest: m.Manifest) -> Iterator[Finding]:
    approval, publication = manifest.approval_date, manifest.publication_date
    if approval and approval.year != manifest.year + 1:
        yield warning(manifest.at("approval_date", "批复日期"), f"{manifest.year} 年度决算通常在 {manifest.year + 1} 年批复，"
                      f"批复日期 {approval.isoformat()} 是否沿用了上年的日期？", "DATE")
    if publication and publication.year not in (manifest.year + 1, manifest.year + 2):
        yield warning(manifest.at("publication_date", "公开日期"), f"公开日期 {publication.isoformat()} 与决算年度 {manifest.year} 不相符，"
                      "是否沿用了上年的日期？", "DATE")
    if approval and publication:
        days = (publication - approval).days
        if days < 0:
            yield error(manifest.at("publication_date", "公开日期"), "公开日期早于批复日期", "DATE")
        elif days > 20:
            yield warning(manifest.at("publication_date", "公开日期"), f"批复后第 {days} 天才公开，超过了批复后 20 日内公开的时限", "DATE")


RESIDUE = (
    (re.compile(r"[（(]或[^）)]*[）)]"), "像是模板中留下的备选措辞“（或…）”"),
    (re.compile(r"X{2,}|×{2,}|某某|\*{3,}"), "含有占位符（XX、××、某某），请替换为实际内容"),
    (re.compile(r"[{}【】]"), "含有模板符号（{ } 或【】），请删除"),
    (re.compile(r"[（(][^）)]*(对照|概括表述|请填写|填写说明|如实填写)[^）)]*[）)]"), "含有模板中的填写提示，请删除"),
)
# “截至/截止2019年底” is a stale date; “力争至2026年” is a target and is not flagged.
YEAR_PATTERN = re.compile(r"(?:截至|截止到?)\s*(\d{4})\s*年|(\d{4})\s*年度")


def texts(report: m.Report) -> Iterator[Finding]:
    """Template residue, placeholders and years that belong to another report (spec §8.5 rule 11)."""
    year = report.manifest.year
    for loc, text in _all_texts(report):
        for pattern, message in RESIDUE:
            if pattern.search(text):
                yield warning(loc, message, "RESIDUE")
        for match in YEAR_PATTERN.finditer(text):
            found = int(match.group(1) or match.group(2))
            if not year - 1 <= found <= year + 1:
                yield warning(loc, f"文字中的“{match.group(0)}”与报告年度 {year} 不符，是否沿用了往年的文字？", "YEAR")


def glossary_rules(report: m.Report) -> Iterator[Finding]:
    """A department's glossary entry must not repeat another term's definition (seed 004, E14)."""
    from .compose import STANDARD_GLOSSARY
    from .glossary import standard

    terms, items = standard(STANDARD_GLOSSARY)
    known = {text: name for name, text in (*terms, *items.items())}
    seen: dict[str, m.Term] = {}
    for term in report.glossary:
        other = seen.get(term.text)
        if other is not None and other.name != term.name:
            yield warning(term.at("text", "解释"), f"“{term.name}”的解释与“{other.name}”（第 {other.loc.line} 行）完全相同，"
                          "是否复制后忘了修改？", "GLOSSARY")
        elif known.get(term.text, term.name) != term.name:
            yield warning(term.at("text", "解释"), f"“{term.name}”的解释与标准名词“{known[term.text]}”的解释完全相同，"
                          "是否复制后忘了修改？", "GLOSSARY")
        seen.setdefault(term.text, term)


def _all_texts(report: m.Report) -> Iterator[tuple[Location, str]]:
    def walk(record: object) -> Iterator[tuple[Location, str]]:
        if isinstance(record, m.Located):
            for name in record.__dataclass_fields__:
                if name in ("loc", "where", "name", "title", "department", "implementer", "code", "key", "source"):
                    continue
                value = getattr(record, name)
                if isinstance(value, str) and value:
                    yield record.at(name), value
                elif isinstance(value, m.Located):
                    yield from walk(value)
                elif isinstance(value, tuple):
                    for item in value:
                        yield from walk(item)

    for part in (report.overview, report.notes, *report.evaluations):
        if part is not None:
            yield from walk(part)
    if report.tables and report.tables.t05:
        for row in report.tables.t05.rows:
            yield from walk(row)


# ---------------------------------------------------------------------------- entry point


def check(report: m.Report) -> list[Finding]:
    """Run every rule on the 决算 parts of a report (the self-evaluation rules are in appraisal.py)."""
    findings: list[Finding] = []
    findings += dates(report.manifest)
    findings += overview_rules(report)
    t = report.tables
    if t is not None:
        year = report.manifest.year
        for table in (t.t02, t.t03, t.t05, t.t08, t.t09):
            if table is not None:
                findings += class_table(table, year)
        if t.t01:
            findings += table_01(t.t01, year)
        if t.t04:
            findings += table_04(t.t04)
        if t.t06:
            findings += table_06(t.t06)
        if t.t07:
            findings += table_07(t.t07)
        findings += cross_tables(t)
        findings += three_costs_against_06(t)
        if report.notes is not None:
            findings += notes(report, compute(report))
    findings += texts(report)
    findings += glossary_rules(report)
    return findings


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Drop repeated findings and sort them: errors first, then by file and line."""
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=lambda x: (x.severity is not Severity.ERROR, x.sort_key()))
