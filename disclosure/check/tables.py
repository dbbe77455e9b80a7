"""The identities of the nine public tables (domain spec §3.10–§3.11): rows, hierarchy, cross-table links."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .. import model as m
from ..amounts import ZERO
from ..catalog import BOOKS, CLASS_TABLES, INCOME_LINES, classification, table_title
from ..errors import Finding, Location, error, warning
from .rules import equal_rule, money, sum_rule

# ---------------------------------------------------------------------------- 功能分类 tables


def class_table(table: m.ClassTable, year: int, own: Mapping[str, str] | None = None) -> Iterator[Finding]:
    """Codes nest by prefix, every row adds across, every parent equals the sum of its children.

    `own` are the names of the user's 科目表.yaml: a code it names is known, by that name.
    """
    spec = CLASS_TABLES[table.number]
    codes = classification()
    own = own or {}
    seen: dict[str, m.ClassRow] = {}
    for row in table.rows:
        if row.code in seen:
            yield error(row.at("code", "编码"), f"科目 {row.code} 重复出现（第 {seen[row.code].loc.line} 行已有）", "T-HIER")
            continue
        seen[row.code] = row
        if row.level == 1 and codes.class_name(row.code, year) is None and row.code not in own:
            yield error(row.at("code", "编码"), f"{row.code} 不是 {year} 年功能分类的“类”级科目", "T-HIER")
        known = own.get(row.code) or codes.function_name(row.code, year)
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
    yield from sum_rule(
        row.value(spec.total_key),
        (row.value(p) for p in spec.parts),
        row.at(spec.total_key, key),
        f"{name}的{key}应等于{'、'.join(label[p] for p in spec.parts)}之和",
        "T-ROW",
    )
    if table.number == "08":
        expected = row.value("opening") + row.value("income") - row.value("spending")
        yield from equal_rule(
            row.value("closing"),
            expected,
            row.at("closing", "年末结转和结余"),
            f"{name}的年末结转和结余应等于年初结转和结余 + 本年收入 − 本年支出",
            "X8",
        )


def _hierarchy(table: m.ClassTable, key: str, label: str) -> Iterator[Finding]:
    rows = table.rows
    classes = [r for r in rows if r.level == 1]
    assert table.total is not None
    if classes or table.total.value(key):
        yield from sum_rule(
            table.total.value(key),
            (r.value(key) for r in classes),
            table.total.at(key, label),
            f"合计行的{label}应等于各“类”之和",
            "T-SUM",
        )
    children: dict[tuple[int, str], list[m.ClassRow]] = {}  # (level, parent code) → rows in table order
    for row in rows:
        if row.level > 1:
            children.setdefault((row.level, row.code[: 3 if row.level == 2 else 5]), []).append(row)
    for parent in rows:
        if parent.level == 3:
            continue
        under = children.get((parent.level + 1, parent.code))
        if under:
            word = "款" if parent.level == 1 else "项"
            yield from sum_rule(
                parent.value(key),
                (c.value(key) for c in under),
                parent.at(key, label),
                f"科目 {parent.code} 的{label}应等于其下各“{word}”之和",
                "T-SUM",
            )


# ---------------------------------------------------------------------------- tables 01 and 04


def table_01(t: m.SummaryTable, year: int) -> Iterator[Finding]:
    loc = lambda side, key, label: _line_loc(t, side, key, label)  # noqa: E731
    yield from sum_rule(
        t.income_value("total_income"),
        (t.income_value(k) for k, _ in INCOME_LINES),
        loc("income", "total_income", "收入.本年收入合计"),
        "本年收入合计应等于各项收入之和",
        "T01",
    )
    yield from sum_rule(
        t.income_value("grand_total"),
        (t.income_value(k) for k in ("total_income", "non_fiscal", "opening")),
        loc("income", "grand_total", "收入.总计"),
        "收入总计应等于本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
        "T01",
    )
    yield from sum_rule(
        t.spending_value("total_spending"),
        (c.value() for c in t.classes),
        loc("spending", "total_spending", "支出.本年支出合计"),
        "本年支出合计应等于各类支出之和",
        "T01",
    )
    yield from sum_rule(
        t.spending_value("grand_total"),
        (t.spending_value(k) for k in ("total_spending", "distribution", "closing")),
        loc("spending", "grand_total", "支出.总计"),
        "支出总计应等于本年支出合计 + 结余分配 + 年末结转和结余",
        "T01",
    )
    yield from equal_rule(
        t.spending_value("grand_total"),
        t.income_value("grand_total"),
        loc("spending", "grand_total", "支出.总计"),
        "收入总计与支出总计必须相等",
        "X1",
    )


def table_04(t: m.SummaryTable) -> Iterator[Finding]:
    loc = lambda side, key, label: _line_loc(t, side, key, label)  # noqa: E731
    books = [k for k, _ in BOOKS]
    yield from sum_rule(
        t.income_value("total_income"),
        (t.income_value(k) for k in books),
        loc("income", "total_income", "收入.本年收入合计"),
        "本年收入合计应等于三项财政拨款之和",
        "T04",
    )
    opening = t.income.get("opening")
    if opening is not None:
        yield from sum_rule(
            opening.value("total"),
            (opening.value(k) for k in books),
            opening.at("total", "合计"),
            "年初财政拨款结转和结余的合计应等于三项之和",
            "T04",
        )
    yield from sum_rule(
        t.income_value("grand_total"),
        (t.income_value("total_income"), opening.value("total") if opening else ZERO),
        loc("income", "grand_total", "收入.总计"),
        "收入总计应等于本年收入合计 + 年初财政拨款结转和结余",
        "T04",
    )
    for line in (*t.classes, *t.spending.values()):
        what = f"{classification().class_name(line.key) or line.key}" if line in t.classes else _SPENDING_04[line.key]
        yield from sum_rule(
            line.value("total"),
            (line.value(k) for k in books),
            line.at("total", "合计"),
            f"{what}的合计应等于一般公共预算、政府性基金预算、国有资本经营预算财政拨款之和",
            "X4",
        )
    for key in ("total", *books):
        yield from sum_rule(
            t.spending_value("total_spending", key),
            (c.value(key) for c in t.classes),
            _col_loc(t.spending.get("total_spending"), t, key),
            "本年支出合计应等于各类支出之和",
            "T04",
        )
        yield from sum_rule(
            t.spending_value("grand_total", key),
            (t.spending_value("total_spending", key), t.spending_value("closing", key)),
            _col_loc(t.spending.get("grand_total"), t, key),
            "支出总计应等于本年支出合计 + 年末财政拨款结转和结余",
            "T04",
        )
    yield from equal_rule(
        t.spending_value("grand_total", "total"),
        t.income_value("grand_total"),
        _col_loc(t.spending.get("grand_total"), t, "total"),
        "收入总计与支出总计必须相等",
        "X4",
    )
    for key, name in BOOKS:
        available = t.income_value(key) + (opening.value(key) if opening else ZERO)
        yield from equal_rule(
            t.spending_value("grand_total", key),
            available,
            _col_loc(t.spending.get("grand_total"), t, key),
            f"{name}：年初结转和结余 + 本年收入应等于本年支出 + 年末结转和结余",
            "X4",
        )


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
        yield from equal_rule(
            t01.income_value("total_income"),
            t02.total.value("total"),
            _line_loc(t01, "income", "total_income", "收入.本年收入合计"),
            "01表本年收入合计应等于02表合计",
            "X2",
        )
        fiscal = sum((t01.income_value(k) for k, _ in BOOKS), ZERO)
        yield from equal_rule(
            t02.total.value("fiscal"),
            fiscal,
            t02.total.at("fiscal", "财政拨款收入"),
            "02表财政拨款收入应等于01表三项财政拨款收入之和",
            "X2",
        )
        for key, name in INCOME_LINES[3:]:
            yield from equal_rule(
                t01.income_value(key),
                t02.total.value(key),
                _line_loc(t01, "income", key, f"收入.{name}"),
                f"01表{name}应等于02表合计行的{name}",
                "X2",
            )
    if t01 and t03 and t03.total:
        yield from equal_rule(
            t01.spending_value("total_spending"),
            t03.total.value("total"),
            _line_loc(t01, "spending", "total_spending", "支出.本年支出合计"),
            "01表本年支出合计应等于03表合计",
            "X2",
        )
        classes03 = {r.code: r for r in t03.rows if r.level == 1}
        for code in sorted({c.key for c in t01.classes} | set(classes03)):
            row = classes03.get(code)
            stated = t01.class_value(code)
            line = next((c for c in t01.classes if c.key == code), None)
            where = line.loc if line else (row.loc if row else t01.loc)
            yield from equal_rule(
                stated,
                row.value("total") if row else ZERO,
                where,
                f"01表“{classification().class_name(code) or code}”应等于03表该类的本年支出合计",
                "X3",
            )
    if t04:
        if t01:
            for key, name in BOOKS:
                yield from equal_rule(
                    t04.income_value(key),
                    t01.income_value(key),
                    _line_loc(t04, "income", key, f"收入.{name}"),
                    f"04表{name}收入应等于01表{name}收入",
                    "X5",
                )
        # A detail table left out or empty is the business of missing_tables (it says what is missing,
        # not that 04表's figure “should equal 0.00”).
        for book, detail, column in (("general", t.t05, "total"), ("fund", t.t08, "spending"), ("capital", t.t09, "total")):
            if given(detail):
                yield from _book_by_class(t04, book, detail, column)
        spend = t04.spending.get("total_spending")
        if given(t.t05):
            general05 = t.t05.total.value("total") if t.t05 and t.t05.total else ZERO
            yield from equal_rule(
                t04.spending_value("total_spending", "general"),
                general05,
                _col_loc(spend, t04, "general"),
                "04表一般公共预算财政拨款本年支出应等于05表合计",
                "X5",
            )
        fund = t.t08.total if t.t08 and t.t08.total else None
        if given(t.t08):
            yield from equal_rule(
                t04.spending_value("total_spending", "fund"),
                fund.value("spending") if fund else ZERO,
                _col_loc(spend, t04, "fund"),
                "04表政府性基金预算财政拨款本年支出应等于08表本年支出合计",
                "X5",
            )
            yield from equal_rule(
                t04.income_value("fund"),
                fund.value("income") if fund else ZERO,
                _line_loc(t04, "income", "fund", "收入.政府性基金预算财政拨款"),
                "04表政府性基金预算财政拨款收入应等于08表本年收入合计",
                "X5",
            )
        if given(t.t09):
            capital = t.t09.total.value("total") if t.t09 and t.t09.total else ZERO
            yield from equal_rule(
                t04.spending_value("total_spending", "capital"),
                capital,
                _col_loc(spend, t04, "capital"),
                "04表国有资本经营预算财政拨款本年支出应等于09表合计",
                "X5",
            )
        if fund is not None:
            closing = t04.spending.get("closing")
            yield from equal_rule(
                t04.spending_value("closing", "fund"),
                fund.value("closing"),
                _col_loc(closing, t04, "fund"),
                "04表政府性基金年末结转和结余应等于08表年末结转和结余",
                "X5",
            )
    if t.t05 and t.t05.total and t.t06 is not None and given(t.t06):
        basic = (t.t06.personnel_total or ZERO) + (t.t06.running_total or ZERO)
        yield from equal_rule(
            t.t05.total.value("basic"),
            basic,
            t.t05.total.at("basic", "基本支出"),
            "05表基本支出合计应等于06表人员经费合计 + 公用经费合计",
            "X6",
        )
    if t.t05:
        yield from fund_codes_in_05(t.t05)


_DETAIL = {"general": "05", "fund": "08", "capital": "09"}


def _book_by_class(t04: m.SummaryTable, book: str, detail: m.ClassTable | None, column: str) -> Iterator[Finding]:
    """X5 by 类: each book's column of 04表 equals the 类 rows of the table that details it (05, 08, 09表)."""
    number = _DETAIL[book]
    name = dict(BOOKS)[book]
    classes = {r.code: r for r in detail.rows if r.level == 1} if detail else {}
    for code in sorted({c.key for c in t04.classes} | set(classes)):
        row = classes.get(code)
        line = next((c for c in t04.classes if c.key == code), None)
        stated = line.value(book) if line else ZERO
        if line is None and row is not None and row.value(column) == 0:
            continue
        where = line.at(book, name) if line else (row.loc if row else t04.loc)
        missing = f"（{number}表未列该类）" if row is None and detail is not None else ""
        total = "合计" if column == "total" else "本年支出"
        yield from equal_rule(
            stated,
            row.value(column) if row else ZERO,
            where,
            f"04表“{classification().class_name(code) or code}”的{name}应等于{number}表该类{total}{missing}",
            "X5",
        )


def given(table: m.ClassTable | m.BasicTable | None) -> bool:
    """Tell whether a table was given with rows (not left out, not only an 空表说明)."""
    return table is not None and not table.empty


THREE_COSTS_CODES = ("30212", "30217", "30231", "31013")  # 06表's 因公出国, 公务接待, 公务用车运行, 公务用车购置


def missing_tables(t: m.Tables, year: int) -> Iterator[Finding]:
    """A table left out or given empty is an error when the other tables show it has rows; 07表 must be stated.

    A table that other tables prove empty (no 政府性基金 in 04表: 08表 is empty) may be left out and
    is published as an empty table with its note; one they prove has rows may not, and the identity
    that proves it is named. The 三公 table cannot be proven empty by any other table (06表 only
    shows 基本支出): it must be given, with zeros or an 空表说明, and both its halves.
    """
    t04 = t.t04

    def where(number: str, table: object) -> Location:
        found = getattr(table, "loc", None)
        return found.at(f"公开{number}表") if found is not None else Location(t.loc.file, path=f"公开{number}表")

    def absent(number: str, table: object, because: str) -> Finding:
        said = "写成了空表" if table is not None else "缺少"
        title = table_title(number, year)
        head = f"{said}公开{number}表（{title}）" if table is None else f"公开{number}表（{title}）{said}"
        return error(where(number, table), f"{head}，但{because}", "T-MISSING")

    if t04 is not None:
        books = (
            ("05", t.t05, "general", "05表合计", "各类、款、项的一般公共预算财政拨款支出"),
            ("08", t.t08, "fund", "08表合计", "政府性基金预算财政拨款的收入、支出和结转结余"),
            ("09", t.t09, "capital", "09表合计", "国有资本经营预算财政拨款支出"),
        )
        for number, table, book, total, what in books:
            if given(table):
                continue
            figures = [("本年支出合计", t04.spending_value("total_spending", book))]
            if book == "fund":
                opening = t04.income.get("opening")
                figures += [
                    ("本年收入", t04.income_value("fund")),
                    ("年初结转和结余", opening.value("fund") if opening else ZERO),
                    ("年末结转和结余", t04.spending_value("closing", "fund")),
                ]
            figures += [(f"“{classification().class_name(c.key) or c.key}”", c.value(book)) for c in t04.classes]
            shown = next(((name, value) for name, value in figures if value != 0), None)
            if shown is not None:
                name, value = shown
                yield absent(
                    number,
                    table,
                    f"04表{dict(BOOKS)[book]}列的{name}为 {money(value)}：{number}表应列出{what}（04表该列 = {total}）",
                )
    basic05 = t.t05.total.value("basic") if t.t05 and t.t05.total else ZERO
    if not given(t.t06) and basic05 != 0:
        yield absent(
            "06",
            t.t06,
            f"05表基本支出合计为 {money(basic05)}：06表应列出人员经费和公用经费（05表基本支出 = 06表人员经费合计 + 公用经费合计）",
        )
    t07 = t.t07
    rows06 = {r.code: r.amount for r in (*t.t06.personnel, *t.t06.running)} if t.t06 else {}
    spent06 = [(code, rows06[code]) for code in THREE_COSTS_CODES if rows06.get(code)]
    how = "没有“三公”经费时也要公开：预算数、决算数的合计填 0，或只写“空表说明”"
    if t07 is None or (t07.budget is None and t07.actual is None):
        if spent06:
            code, amount = spent06[0]
            yield absent("07", t07, f"06表经济分类 {code} 有支出 {money(amount)}，“三公”经费决算数不会为零")
        elif t07 is None:
            yield error(where("07", t07), f"缺少公开07表（{table_title('07', year)}）：“三公”经费必须公开，{how}", "T-MISSING")
        elif not t07.empty_note:
            yield error(where("07", t07), f"公开07表没有预算数和决算数，也没有空表说明：{how}", "T-MISSING")
        return
    for half, name in ((t07.budget, "预算数"), (t07.actual, "决算数")):
        if half is None:
            yield error(
                t07.loc.at(f"公开07表.{name}"),
                f"公开07表缺少“{name}”：文中要把“三公”经费决算数与预算数比较，不能当作 0；确实为零时写“{name}: {{合计: 0}}”",
                "T-MISSING",
            )


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
        yield error(
            row.at("code", "编码"),
            f"科目 {label}属于政府性基金预算支出，不应列入一般公共预算财政拨款支出表："
            f"其支出 {money(row.value('total'))} 应列入04表政府性基金预算财政拨款列和08表",
            "X5",
        )


# ---------------------------------------------------------------------------- tables 06 and 07


def table_06(t: m.BasicTable) -> Iterator[Finding]:
    codes = classification()
    for block, rows, total, label in (
        ("人员经费", t.personnel, t.personnel_total, "人员经费合计"),
        ("公用经费", t.running, t.running_total, "公用经费合计"),
    ):
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
                yield from sum_rule(
                    parent.amount,
                    (c.amount for c in children),
                    parent.at("amount", "决算数"),
                    f"经济分类 {parent.code} 应等于其下各“款”之和",
                    "T06",
                )
        orphans = [r for r in rows if r.level == 2 and r.code[:3] not in {c.code for c in classes}]
        for row in orphans:
            yield error(row.at("code", "编码"), f"经济分类 {row.code} 缺少上级科目 {row.code[:3]} 的行", "T06")
        if total is None:
            if rows:
                yield error(t.loc, f"缺少“{label}”", "T06")
            continue
        yield from sum_rule(
            total,
            (r.amount for r in classes),
            t.at("personnel_total" if block == "人员经费" else "running_total", label),
            f"{label}应等于各“类”之和",
            "T06",
        )


def table_07(t: m.ThreeCostsTable, prior: m.ThreeCosts | None = None) -> Iterator[Finding]:
    """X7 in both halves of 07表, and in last year's 三公 figures the notes state (an item left out there is not 0)."""
    for half in (t.budget, t.actual, prior):
        if half is None:
            continue
        name = half.loc.path.split(".")[-1]
        yield from sum_rule(
            half.total,
            (half.abroad, half.vehicles, half.reception),
            half.at("total", "合计"),
            f"{name}合计应等于因公出国（境）费 + 公务用车购置及运行费 + 公务接待费",
            "X7",
        )
        yield from sum_rule(
            half.vehicles,
            (half.purchase, half.running),
            half.at("vehicles", "公务用车购置及运行费"),
            f"{name}公务用车购置及运行费应等于购置费 + 运行费",
            "X7",
        )


def three_costs_against_06(t: m.Tables) -> Iterator[Finding]:
    """07 covers all fiscal money, 06 only 基本支出: 07 must be at least the 06 economic code."""
    if not (t.t06 and t.t07 and t.t07.actual):
        return
    rows = {r.code: r for r in (*t.t06.personnel, *t.t06.running)}
    for code, attr, name in (
        ("30212", "abroad", "因公出国（境）费"),
        ("30231", "running", "公务用车运行费"),
        ("31013", "purchase", "公务用车购置费"),
        ("30217", "reception", "公务接待费"),
    ):
        row = rows.get(code)
        if row is not None and row.amount > getattr(t.t07.actual, attr):
            yield warning(
                row.at("amount", "决算数"),
                f"06表 {code} {money(row.amount)} 大于07表{name}决算数 {money(getattr(t.t07.actual, attr))}，“三公”经费可能少报",
                "X7",
            )
