"""Turn a table's body rows into the node tree of tables.yaml, every value located at its cell.

One reader per layout: the two halves of 01/04, the 功能分类 tables (02/03/05/08/09), the three
blocks of 06, and the budget and actual halves of 07. Amounts are converted into the report's unit
exactly (元 → 万元 is a division by 10 000 in Decimal); a blank cell, 0, 0.00, - and — are zero.
Names are kept only where they differ from the bundled classification, as a tables.yaml would.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from decimal import Decimal

from ..catalog import (
    BASIC_BLOCKS,
    BOOKS,
    CLASS_TABLES,
    FISCAL_INCOME_TOTALS,
    FISCAL_SPENDING_TOTALS,
    FISCAL_TOTAL_COLUMN,
    INCOME_LINES,
    INCOME_TOTALS,
    SPENDING_TOTALS,
    THREE_COSTS_ITEMS,
    classification,
    table_titles,
)
from ..errors import Location, ReportError
from .headers import Block, Spec, closing_text, furniture, identify, name_key, split, synonyms, word_set
from .sheets import plain
from .source import Mapping, Node, Scalar, Sequence
from .spreadsheet import Sheet

ZERO = Decimal(0)


@dataclass
class Rows:
    """What every row reader needs: the header block, the unit factor, and the table's name in messages."""

    block: Block
    factor: Decimal
    notes: list[str] = field(default_factory=list)  # texts under a table without data (its 空表说明)

    @property
    def sheet(self) -> Sheet:
        return self.block.sheet

    @property
    def number(self) -> str:
        return self.block.region.number

    @property
    def name(self) -> str:
        return f"公开{self.number}表"

    def lines(self) -> Iterator[int]:
        """The body rows; a note under the table ends them (its text is kept for an empty table)."""
        sheet = self.sheet
        region = self.block.region
        for r in range(self.block.body_start, region.bottom):
            texts = [t for t in sheet.rows[r] if t]
            if not texts:
                continue
            if closing_text(texts[0]):
                self.notes += [" ".join(t for t in sheet.rows[x] if t) for x in range(r, region.bottom) if any(sheet.rows[x])]
                return
            if not any(sheet.kinds[r]) and furniture(sheet, r):
                continue
            yield r

    def value(self, r: int, c: int | None, what: str) -> Decimal | None:
        """The amount of a cell in the report's unit, or None for blank and zero marks."""
        if c is None:
            return None
        found = self.sheet.number(r, c, what)
        return None if found is None else found * self.factor

    def scalar(self, r: int, c: int, value: Decimal | None) -> Scalar:
        return Scalar(self.sheet.loc(r, c), amount_text(value))

    def key(self, r: int, c: int, text: str) -> Scalar:
        return Scalar(self.sheet.loc(r, c), text)

    def empty_note(self) -> str:
        """The 空表说明 written under a table without data (not the “no data” line, not the standard 注)."""
        for text in self.notes:
            flat = plain(text)
            if closing_text(text) and not ("为空表" in flat or "没有" in flat or flat.startswith("本")):
                continue
            if any(w in flat for w in ("本表无数据", "无数据")) and len(flat) <= 8:
                continue
            if flat.startswith("注：本表反映") or flat.startswith("注:本表反映"):
                continue
            return text.strip()
        return ""

    def unplaced(self, r: int, used: set[int]) -> None:
        """A number in a column the header does not name is an error, never dropped."""
        for c, text in enumerate(self.sheet.rows[r]):
            if c in used or not text:
                continue
            if self.sheet.is_number(r, c) or plain(text).replace(".", "").replace(",", "").isdigit():
                raise ReportError(self.sheet.loc(r, c), f"{self.name}的这一格有数字，但它所在的列没有表头，工具不知道这是什么数")


def amount_text(value: Decimal | None) -> str:
    """An amount as plain text with at least two decimals (16.4 → 16.40), zero as 0."""
    if value is None or value == 0:
        return "0"
    if value.as_tuple().exponent > -2:  # type: ignore[operator]
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def _mapping(loc: Location, items: Seq[tuple[Scalar, Node]]) -> Mapping:
    return Mapping(loc, tuple(items))


# ---------------------------------------------------------------------------- 01 and 04


def _line_names(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Every spelling of a table's named lines → the catalogue name."""
    return {spelling: name for _, name in pairs for spelling in synonyms(name, "行")}


def _summary(rows: Rows) -> Mapping:
    block = rows.block
    fiscal = rows.number == "04"
    sides = split(block, {"income": word_set("收入"), "spending": word_set("支出")})
    if not any(side for side, _ in sides.values()):
        items = sorted(c for c, (_, path) in sides.items() if path[-1] in word_set("项目"))
        middle = items[1] if len(items) > 1 else 10**6
        sides = {c: ("income" if c < middle else "spending", path) for c, (_, path) in sides.items()}
    common = [Spec("item", word_set("项目")), Spec("line", word_set("行次"))]
    amounts = [Spec("amount", word_set("金额"))]
    books = [Spec("total", synonyms(FISCAL_TOTAL_COLUMN))] + [Spec(k, synonyms(n, "行")) for k, n in BOOKS]
    income = identify(block, common + amounts, "项目、行次、金额", {c: p for c, (s, p) in sides.items() if s == "income"})
    spending = identify(
        block,
        common + (books if fiscal else amounts),
        "项目、行次、" + ("合计、" + "、".join(n for _, n in BOOKS) if fiscal else "金额"),
        {c: p for c, (s, p) in sides.items() if s == "spending"},
    )
    for side, found, needed in (("收入", income, "amount"), ("支出", spending, "total" if fiscal else "amount")):
        for key in ("item", needed):
            if key not in found:
                raise ReportError(
                    block.region.title_loc, f"{rows.name}的{side}一侧没有找到“{'项目' if key == 'item' else '金额'}”列"
                )
    income_names = _line_names((*BOOKS, *FISCAL_INCOME_TOTALS) if fiscal else (*INCOME_LINES, *INCOME_TOTALS))
    spending_names = _line_names(FISCAL_SPENDING_TOTALS if fiscal else SPENDING_TOTALS)
    class_names = {name_key(name): name for _, name, _, _ in classification().classes}
    opening_name = dict(FISCAL_INCOME_TOTALS)["opening"]
    book_names = {spelling for _, name in BOOKS for spelling in synonyms(name, "行")}
    left: list[tuple[Scalar, Node]] = []
    right: list[tuple[Scalar, Node]] = []
    classes: list[tuple[Scalar, Node]] = []
    opening: list[tuple[Scalar, Node]] | None = None
    opening_at: tuple[int, Scalar, Location] = (0, Scalar(Location(""), ""), Location(""))
    seen: dict[str, str] = {}
    used = set(income.values()) | set(spending.values())
    for r in rows.lines():
        rows.unplaced(r, used)
        label = rows.sheet.text(r, income["item"])
        if label:
            name = income_names.get(name_key(label))
            amount = rows.value(r, income["amount"], f"{rows.name}“{label.strip()}”的金额")
            if fiscal and opening is not None and name_key(label) in book_names:
                book = next(k for k, n in BOOKS if name_key(label) in synonyms(n, "行"))
                if amount is not None:
                    opening.append((rows.key(r, income["item"], dict(BOOKS)[book]), rows.scalar(r, income["amount"], amount)))
            elif name is None:
                _unknown(rows, r, income["item"], label, amount, "收入")
            else:
                _once(rows, r, income["item"], name, seen, "收入")
                cell = rows.scalar(r, income["amount"], amount)
                if fiscal and name == opening_name:
                    opening = [(rows.key(r, income["amount"], FISCAL_TOTAL_COLUMN), cell)]
                    opening_at = (len(left), rows.key(r, income["item"], name), rows.sheet.row_loc(r, f"{rows.name}.收入.{name}"))
                    left.append((opening_at[1], cell))  # replaced by the whole record below
                else:
                    left.append((rows.key(r, income["item"], name), cell))
        label = rows.sheet.text(r, spending["item"])
        if not label:
            continue
        key = name_key(label)
        name = spending_names.get(key) or class_names.get(key)
        columns = ("total", *(k for k, _ in BOOKS)) if fiscal else ("amount",)
        values = {k: rows.value(r, spending.get(k), f"{rows.name}“{label.strip()}”的金额") for k in columns}
        if name is None:
            _unknown(rows, r, spending["item"], label, next((v for v in values.values() if v), None), "支出")
            continue
        _once(rows, r, spending["item"], name, seen, "支出")
        is_class = key not in spending_names
        if fiscal:
            labels = {"total": FISCAL_TOTAL_COLUMN, **dict(BOOKS)}
            parts: list[tuple[Scalar, Node]] = [
                (rows.key(r, spending[k], labels[k]), rows.scalar(r, spending[k], v)) for k, v in values.items() if v
            ]
            if not parts and is_class:
                continue
            node: Node = _mapping(
                rows.sheet.row_loc(r, f"{rows.name}.支出.{name}"),
                parts or [(rows.key(r, spending["total"], FISCAL_TOTAL_COLUMN), rows.scalar(r, spending["total"], None))],
            )
        else:
            if is_class and not values["amount"]:
                continue
            node = rows.scalar(r, spending["amount"], values["amount"])
        (classes if is_class else right).append((rows.key(r, spending["item"], name), node))
    if opening is not None:  # the 年初 line and the book lines under it make one record
        index, key_scalar, loc = opening_at
        left[index] = (key_scalar, _mapping(loc, opening))
    top = block.region.title_loc
    spend = [(Scalar(top, "科目"), _mapping(top.at(f"{rows.name}.支出.科目"), classes)), *right]
    return _mapping(
        top.at(rows.name),
        [
            (Scalar(top, "收入"), _mapping(top.at(f"{rows.name}.收入"), left)),
            (Scalar(top, "支出"), _mapping(top.at(f"{rows.name}.支出"), spend)),
        ],
    )


def _unknown(rows: Rows, r: int, c: int, label: str, amount: Decimal | None, side: str) -> None:
    """A line the table does not have: an error when it holds an amount, else a blank row to pass over."""
    if amount:
        raise ReportError(
            rows.sheet.loc(r, c),
            f"{rows.name}{side}一侧的“{label.strip()}”不是{table_titles(rows.number)[-1]}中的行，工具不知道它对应哪一项",
        )


def _once(rows: Rows, r: int, c: int, name: str, seen: dict[str, str], side: str) -> None:
    key = f"{side}.{name}"
    if key in seen:
        raise ReportError(rows.sheet.loc(r, c), f"{rows.name}{side}一侧的“{name}”出现了两次（另一行在 {seen[key]}）")
    seen[key] = rows.sheet.ref(r, c)


# ---------------------------------------------------------------------------- 02 03 05 08 09


def _class_specs(number: str) -> list[Spec]:
    code_words = word_set("科目编码")
    specs = [
        Spec("code", code_words),
        Spec("类", frozenset({"类"}), code_words),
        Spec("款", frozenset({"款"}), code_words),
        Spec("项", frozenset({"项"}), code_words),
        Spec("name", word_set("科目名称") | word_set("项目")),
        Spec("line", word_set("行次")),
    ]
    for column in CLASS_TABLES[number].columns:
        groups = word_set(column.group) if column.group else frozenset()
        totals = groups if column.label in ("合计", "小计") else frozenset()
        specs.append(Spec(column.key, synonyms(column.label), groups, totals))
    if number == "05":
        specs += [Spec("budget", word_set("年初预算")), Spec("adjusted", word_set("调整预算")), Spec("reason", word_set("原因"))]
    return specs


_LEVELS = (("类", 3), ("款", 2), ("项", 2))


def _code(rows: Rows, r: int, cols: dict[str, int], last: dict[str, str]) -> tuple[str, int]:
    """The 科目编码 of a row, from one column or from 类/款/项 columns holding only their own digits.

    A 款 or 项 row that leaves the columns of its parents blank belongs to the rows above it.
    """
    sheet = rows.sheet
    if "code" in cols:
        return plain(sheet.text(r, cols["code"])).removesuffix(".0"), cols["code"]
    texts = [plain(sheet.text(r, cols[level])).removesuffix(".0") if level in cols else "" for level, _ in _LEVELS]
    first = next((cols[level] for (level, _), text in zip(_LEVELS, texts, strict=True) if text), cols["类"])
    code = ""
    for i, ((level, width), text) in enumerate(zip(_LEVELS, texts, strict=True)):
        if not text:
            deeper = any(texts[i + 1 :])
            if deeper and last.get(level, "").startswith(code):
                code = last[level]
                continue
            break
        if text.isdigit() and len(text) > width and text.startswith(code):
            code = text  # the whole code repeated in its own column
        else:
            code += text.zfill(width) if text.isdigit() else text
        last[level] = code
    return code, first


def _class(rows: Rows) -> Mapping:
    number = rows.number
    spec = CLASS_TABLES[number]
    found = identify(
        rows.block, _class_specs(number), "科目编码（或类、款、项）、科目名称、" + "、".join(c.label for c in spec.columns)
    )
    if "code" not in found and "类" not in found:
        raise ReportError(rows.block.region.title_loc, f"{rows.name}中没有找到“科目编码”列（或“类”“款”“项”三列）")
    labels = {c.key: (c.label if c.key != "spending" else "本年支出") for c in spec.columns}
    labels.update(budget="年初预算", adjusted="调整预算")
    amounts = [k for k in labels if k in found]
    codes = classification()
    total: Mapping | None = None
    lines: list[Node] = []
    last: dict[str, str] = {}
    sheet = rows.sheet
    for r in rows.lines():
        rows.unplaced(r, set(found.values()))
        code, code_col = _code(rows, r, found, last)
        name = sheet.text(r, found["name"]).strip() if "name" in found else ""
        is_total = name_key(code) in ("合计", "总计") or (not code and name_key(name) in ("合计", "总计"))
        what = f"{rows.name}{'合计行的' if is_total else f'科目 {code} 的'}"
        items: list[tuple[Scalar, Node]] = []
        for key in amounts:
            value = rows.value(r, found[key], what + labels[key])
            if value or (value is not None and key in ("budget", "adjusted")):
                items.append((rows.key(r, found[key], labels[key]), rows.scalar(r, found[key], value)))
        if "reason" in found and sheet.text(r, found["reason"]):
            items.append(
                (rows.key(r, found["reason"], "原因"), Scalar(sheet.loc(r, found["reason"]), sheet.text(r, found["reason"])))
            )
        if is_total:
            if total is not None:
                raise ReportError(sheet.loc(r, code_col), f"{rows.name}有两行“合计”（另一行在第 {total.loc.line} 行）")
            total = _mapping(sheet.row_loc(r, f"{rows.name}.合计"), items)
        elif code:
            head: list[tuple[Scalar, Node]] = [(rows.key(r, code_col, "编码"), Scalar(sheet.loc(r, code_col), code, quoted=True))]
            known = codes.function_name(code)
            if name and plain(name) != plain(known or ""):
                head.append((rows.key(r, found["name"], "名称"), Scalar(sheet.loc(r, found["name"]), name)))
            lines.append(_mapping(sheet.row_loc(r, f"{rows.name}.科目[{len(lines) + 1}]"), head + items))
        elif items:
            raise ReportError(
                sheet.row_loc(r), f"{rows.name}第 {r + 1} 行有金额，但没有科目编码，也不是“合计”行：工具不知道这些数属于哪个科目"
            )
        elif name:
            rows.notes.append(name)
    top = rows.block.region.title_loc
    if total is not None and not total.items and not lines:
        total = None  # a 合计 row of zeros and nothing else: an empty table
    parts: list[tuple[Scalar, Node]] = []
    if total is not None:
        parts.append((Scalar(total.loc, "合计"), total))
    if lines:
        parts.append((Scalar(top, "科目"), Sequence(top.at(f"{rows.name}.科目"), tuple(lines))))
    if total is None and not lines:
        note = rows.empty_note()
        if note:
            parts.append((Scalar(top, "空表说明"), Scalar(top, note)))
    return _mapping(top.at(rows.name), parts)


# ---------------------------------------------------------------------------- 06


def _basic(rows: Rows) -> Mapping:
    block = rows.block
    groups = {"personnel": synonyms(BASIC_BLOCKS["personnel"]), "running": synonyms(BASIC_BLOCKS["running"])}
    sides = split(block, groups)
    specs = [Spec("code", word_set("科目编码")), Spec("name", word_set("科目名称")), Spec("amount", word_set("金额") | {"合计"})]
    blocks: list[dict[str, int]] = []
    kinds: list[str] = []
    for col in sorted(sides):
        side, path = sides[col]
        role = next(iter(identify(block, specs, "科目编码、科目名称、决算数", {col: path})))
        if role == "code" or not blocks:
            blocks.append({})
            kinds.append(side)
        if role in blocks[-1]:
            raise ReportError(
                block.header_loc(col), f"{rows.name}的表头中“{path[-1]}”多了一列：每组应为 科目编码、科目名称、决算数 各一列"
            )
        blocks[-1][role] = col
    for found in blocks:
        if "code" not in found or "amount" not in found:
            raise ReportError(block.region.title_loc, f"{rows.name}的每组表头应有“科目编码”和“决算数”两列")
    codes = classification()
    listed: dict[int, list[Node]] = {i: [] for i in range(len(blocks))}
    totals: dict[str, tuple[Scalar, Scalar]] = {}
    total_words = {"personnel": word_set("人员经费合计"), "running": word_set("公用经费合计")}
    used = {c for found in blocks for c in found.values()}
    sheet = rows.sheet
    for r in rows.lines():
        rows.unplaced(r, used)
        for c, text in enumerate(sheet.rows[r]):
            which = next((k for k, names in total_words.items() if name_key(text) in names), None) if text else None
            if which is None:
                continue
            amount_col = _amount_right_of(sheet, r, c, [f["amount"] for f in blocks])
            value = rows.value(r, amount_col, f"{rows.name}{text}")
            label = f"{BASIC_BLOCKS[which]}合计"
            totals[which] = (rows.key(r, c, label), rows.scalar(r, amount_col if amount_col is not None else c, value))
        for i, found in enumerate(blocks):
            code = plain(sheet.text(r, found["code"])).removesuffix(".0")
            if not code or name_key(code) in {n for names in total_words.values() for n in names}:
                continue
            value = rows.value(r, found["amount"], f"{rows.name}经济分类 {code} 的决算数")
            if not value:
                continue  # the template lists every 款; a row of zero is not published
            name = sheet.text(r, found["name"]).strip() if "name" in found else ""
            items: list[tuple[Scalar, Node]] = [
                (rows.key(r, found["code"], "编码"), Scalar(sheet.loc(r, found["code"]), code, quoted=True))
            ]
            if name and plain(name) != plain(codes.economic_names.get(code, "")):
                items.append((rows.key(r, found["name"], "名称"), Scalar(sheet.loc(r, found["name"]), name)))
            items.append((rows.key(r, found["amount"], "决算数"), rows.scalar(r, found["amount"], value)))
            listed[i].append(_mapping(sheet.row_loc(r, f"{rows.name}.{code}"), items))
    top = block.region.title_loc
    by_kind: dict[str, list[Node]] = {"personnel": [], "running": []}
    for i, kind in enumerate(kinds):
        for node in listed[i]:
            code_text = node.items[0][1].text  # type: ignore[attr-defined]
            by_kind[kind or ("personnel" if codes.is_personnel(code_text) else "running")].append(node)
    parts: list[tuple[Scalar, Node]] = []
    for kind in ("personnel", "running"):
        if by_kind[kind]:
            parts.append(
                (Scalar(top, BASIC_BLOCKS[kind]), Sequence(top.at(f"{rows.name}.{BASIC_BLOCKS[kind]}"), tuple(by_kind[kind])))
            )
    if not parts and not any(v.text != "0" for _, v in totals.values()):
        note = rows.empty_note()
        return _mapping(top.at(rows.name), [(Scalar(top, "空表说明"), Scalar(top, note))] if note else [])
    parts += [totals[k] for k in ("personnel", "running") if k in totals]
    return _mapping(top.at(rows.name), parts)


# ---------------------------------------------------------------------------- 07


def _three(rows: Rows) -> Mapping:
    block = rows.block
    halves = {"budget": word_set("预算数"), "actual": word_set("决算数")}
    sides = split(block, halves)
    names = dict(THREE_COSTS_ITEMS)
    vehicle_words = synonyms(names["vehicles"], "三公经费")
    specs = []
    for key, name in THREE_COSTS_ITEMS:
        groups = vehicle_words if key in ("purchase", "running") else frozenset()
        specs.append(Spec(key, synonyms(name, "三公经费"), groups))
    found: dict[str, dict[str, int]] = {}
    for half in halves:
        paths = {c: p for c, (s, p) in sides.items() if s == half}
        found[half] = identify(block, specs, "、".join(names.values()), paths, neutral=frozenset())
    loose = [c for c, (s, _) in sides.items() if not s]
    if loose:
        raise ReportError(block.header_loc(loose[0]), f"{rows.name}中无法判断这一列属于“预算数”还是“决算数”")
    sheet = rows.sheet
    used = {c for cols in found.values() for c in cols.values()}
    data = None
    for r in rows.lines():
        rows.unplaced(r, used)
        if any(sheet.text(r, c) for c in used):
            data = r
            break
    top = block.region.title_loc
    if data is None:
        note = rows.empty_note()
        return _mapping(top.at(rows.name), [(Scalar(top, "空表说明"), Scalar(top, note))] if note else [])
    parts: list[tuple[Scalar, Node]] = []
    for half, label in (("budget", "预算数"), ("actual", "决算数")):
        cols = found[half]
        if not cols:
            continue
        items = [
            (
                rows.key(data, cols[k], names[k]),
                rows.scalar(data, cols[k], rows.value(data, cols[k], f"{rows.name}{label}的{names[k]}")),
            )
            for k, _ in THREE_COSTS_ITEMS
            if k in cols
        ]
        loc = sheet.loc(data, min(cols.values()), f"{rows.name}.{label}")
        parts.append((Scalar(loc, label), _mapping(loc, items)))
    return _mapping(top.at(rows.name), parts)


def _amount_right_of(sheet: Sheet, r: int, c: int, columns: list[int]) -> int | None:
    """The amount column a total's label stands before: the first to its right outside the label's own merge."""
    right = [a for a in sorted(columns) if a > c]
    filled = [a for a in right if sheet.text(r, a) or (r, a) in sheet.formulas]
    if filled:
        return filled[0]
    outside = [a for a in right if sheet.merged_origin(r, a) != (r, c)]
    return outside[0] if outside else None


READERS = {"01": _summary, "04": _summary, "06": _basic, "07": _three}


def table_node(block: Block, factor: Decimal) -> Mapping:
    """Read one table's body into the node tree of its tables.yaml entry."""
    return READERS.get(block.region.number, _class)(Rows(block, factor))
