"""Next year's report folder from this year's (`build.py new <department>/<year>`).

What carries over is copied (the 概况 texts, 机构, 决算单位构成, glossary overrides, report
settings, usage texts); this year's figures move into next year's 上年数 where the format takes
them; the current-year figures, reasons and dates are emptied; the years of every carried text
move on by one. Each emptied part gets a “# 待填写：…” line and each carried text a
“# 沿用上年：…” line (read/drafts.py), which `check` reports until the user deletes them.

The files are written anew from the node trees (read with their types from read/format.py),
in the layout of the examples, each starting with its schema line for the editor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import model as m
from ..compute import derive
from ..errors import Location, ReportError, display_path
from ..read import MANIFEST_FILE, is_report_folder
from ..read.drafts import CARRIED, TODO, mark_line
from ..read.fields import Amount, Code, Count, Either, ListOf, MapOf, Number, Percent, Record, Score, Text, Type
from ..read.folder import STATEMENT_FILE, TABLES_FILE, find_workbook, read_report
from ..read.format import EVALUATION_FOLDER, GLOSSARY, MANIFEST, NOTES, OVERVIEW, TABLES, THREE_COSTS_STATEMENT
from ..read.reference import schema_comment
from ..read.source import Mapping, Node, Scalar, Sequence, load_yaml
from ..read.workbook import workbook_tree
from .files import write_atomic

# ---------------------------------------------------------------------------- the plain tree written out


@dataclass
class Item:
    """One key of a mapping to write, with the comment lines above it."""

    key: str
    value: Value
    above: list[str] = field(default_factory=list)


Value = str | None | list[Item] | list["Value"]  # a scalar's text (None: left empty), a mapping, a list

_PLAIN = re.compile(r"^[^\s:{}\[\],#&*!|>'\"%@`?\-~][^:{}\[\],#]*$")
_TYPED = re.compile(r"^([-+]?[\d.,]+|true|false|yes|no|null|on|off|~)$", re.IGNORECASE)


def _scalar_text(text: str, key: str) -> str:
    if key == "编码":
        return json.dumps(text, ensure_ascii=False)
    if re.fullmatch(r"-?\d+(\.\d+)?", text) or (_PLAIN.match(text) and not _TYPED.match(text) and text == text.strip()):
        return text
    return json.dumps(text, ensure_ascii=False)


def _is_mapping(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Item) for v in value)


def _flow(items: list[Item]) -> str | None:
    """A mapping of short scalars on one line ({编码: "208", 本年收入合计: 1.00}), or None if it does not fit."""
    if any(it.above or (it.value is not None and not isinstance(it.value, str)) for it in items):
        return None
    # An empty value in braces is written “键: ,” (libyaml rejects “键:,”).
    parts = [f"{it.key}: {_scalar_text(it.value, it.key)}" if isinstance(it.value, str) else f"{it.key}: " for it in items]
    line = "{" + ", ".join(parts).replace(": ,", ": ,") + "}"
    return line if len(line) <= 110 and "\n" not in line else None


def _emit(items: list[Item], indent: int, out: list[str]) -> None:
    pad = "  " * indent
    for it in items:
        out.extend(f"{pad}{line}" for line in it.above)
        value = it.value
        if value is None or value == []:
            out.append(f"{pad}{it.key}:" if value is None else f"{pad}{it.key}: []")
        elif isinstance(value, str):
            if "\n" in value or len(value) > 60:
                out.append(f"{pad}{it.key}: |")
                out.extend(f"{pad}  {line}" if line else "" for line in value.split("\n"))
            else:
                out.append(f"{pad}{it.key}: {_scalar_text(value, it.key)}")
        elif _is_mapping(value):
            flow = _flow(value)  # type: ignore[arg-type]
            if flow is not None and indent > 0:
                out.append(f"{pad}{it.key}: {flow}")
            else:
                out.append(f"{pad}{it.key}:")
                _emit(value, indent + 1, out)  # type: ignore[arg-type]
        else:
            out.append(f"{pad}{it.key}:")
            for element in value:
                if _is_mapping(element):
                    flow = _flow(element)  # type: ignore[arg-type]
                    if flow is not None:
                        out.append(f"{pad}  - {flow}")
                        continue
                    inner: list[str] = []
                    _emit(element, 0, inner)  # type: ignore[arg-type]
                    out.extend(f"{pad}  {'- ' if i == 0 else '  '}{line}" if line else "" for i, line in enumerate(inner))
                elif isinstance(element, str):
                    out.append(f"{pad}  - {_scalar_text(element, '')}")


def render(items: list[Item], head: list[str]) -> str:
    """The text of a YAML file: its head comment lines, then the items."""
    out = list(head)
    _emit(items, 0, out)
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------- moving a text on by one year

_YEAR = re.compile(r"(?<![\d.])(\d{4})(?![\d.])")


def shift_years(text: str, year: int) -> str:
    """Move the years of a carried text on by one: last year, this year and next become a year later.

    Only the three years around the report's own move, so a founding year (2019年成立) or a
    target year further ahead stays as written.
    """

    def moved(match: re.Match[str]) -> str:
        found = int(match.group(1))
        return str(found + 1) if year - 1 <= found <= year + 1 else match.group(1)

    return _YEAR.sub(moved, text)


# ---------------------------------------------------------------------------- from a node tree, with its types

Policy = Callable[[tuple[str, ...], "Type | None"], str]  # path → keep | carry | empty | drop
_NUMERIC = (Amount, Count, Number, Score, Percent)
# Texts that explain this year's figures: emptied with them.
REASONS = {"原因", "预算差异原因", "上年变动原因", "偏差原因"}


@dataclass
class Draft:
    """How one file is carried into next year: the source year and what to do at each path."""

    year: int
    policy: Policy
    todo: dict[tuple[str, ...], str] = field(default_factory=dict)  # path → what the 待填写 line says
    carried: dict[tuple[str, ...], str] = field(default_factory=dict)  # path → what the 沿用上年 line says
    values: dict[tuple[str, ...], Value] = field(default_factory=dict)  # path → a value set (上年数)

    def scalar(self, node: Scalar, key: str, kind: Type | None, required: bool, emptied: bool) -> Value:
        if node.is_null:
            return None
        if isinstance(kind, Code | Percent) or key in ("编码", "名称", "类别"):
            return node.text
        if emptied and (isinstance(kind, _NUMERIC) or key in REASONS):
            # A figure the format requires keeps its key with a 0; the 待填写 line above says to fill it in.
            return "0" if required and isinstance(kind, _NUMERIC) else None
        if isinstance(kind, Text) or kind is None:
            return shift_years(node.text, self.year)
        return node.text

    def mapping(self, node: Mapping, kind: Type | None, path: tuple[str, ...], emptied: bool) -> list[Item]:
        items: list[Item] = []
        for key, child in node.items:
            spec = kind.by_key.get(key.text) if isinstance(kind, Record) else None
            child_type: Type | None = spec.type if spec is not None else (kind.value if isinstance(kind, MapOf) else None)
            name = spec.key if spec is not None else key.text
            here = (*path, name)
            action = self.policy(here, child_type)
            if action == "drop":
                continue
            if here in self.values:
                items.append(Item(name, self.values[here]))
                continue
            required = spec.required if spec is not None else isinstance(kind, MapOf)
            value = self.node(child, child_type, here, emptied or action == "empty", required)
            item = Item(name, value)
            if here in self.todo:
                item.above.append(mark_line(TODO, self.todo[here]))
            if here in self.carried:
                item.above.append(mark_line(CARRIED, self.carried[here]))
            items.append(item)
        for here, value in self.values.items():  # a 上年数 the source did not state
            if here[:-1] == path and all(it.key != here[-1] for it in items):
                items.insert(0, Item(here[-1], value))
        return items

    def node(self, node: Node, kind: Type | None, path: tuple[str, ...], emptied: bool, required: bool = False) -> Value:
        if isinstance(kind, Either):  # a record, or a word saying there is none (机关运行经费: 不涉及)
            kind = kind.record if isinstance(node, Mapping) else None
        if isinstance(node, Scalar):
            return self.scalar(node, path[-1] if path else "", kind, required, emptied)
        if isinstance(node, Mapping):
            return self.mapping(node, kind, path, emptied)
        assert isinstance(node, Sequence)
        item = kind.item if isinstance(kind, ListOf) else None
        return [self.node(child, item, path, emptied) for child in node.items]


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# ---------------------------------------------------------------------------- the files of a report folder


@dataclass(frozen=True)
class Made:
    """The files of next year's folder, by name (evaluations/… included), as text."""

    folder: Path
    files: dict[str, str]


def _head(target: Path, *lines: str) -> list[str]:
    return [*schema_comment(target).splitlines(), *lines]


def _manifest(source: Path, target: Path, year: int) -> str:
    tree = load_yaml(source / MANIFEST_FILE, display_path(source / MANIFEST_FILE))
    nxt = year + 1

    def policy(path: tuple[str, ...], kind: Type | None) -> str:
        return "drop" if path[0] in ("更正", "公开表文件") else "keep"

    draft = Draft(year, policy, values={("年度",): str(nxt)})
    draft.carried[("联系方式",)] = f"联系方式沿用{year}年度，请确认电话和地址"
    items = draft.mapping(tree, MANIFEST, (), False) if isinstance(tree, Mapping) else []
    for item in items:
        if item.key in ("批复日期", "公开日期", "项目资金总额"):
            item.value = None
            item.above.append(mark_line(TODO, f"{nxt}年度决算的{item.key}"))
    return render(items, _head(target / MANIFEST_FILE, f"# 报告清单：{nxt}年度，由 {year} 年度的文件夹生成（build.py new）。"))


def _overview(source: Path, target: Path, year: int) -> str | None:
    path = source / "overview.yaml"
    if not path.is_file():
        return None
    tree = load_yaml(path, display_path(path))
    nxt = year + 1

    def policy(path: tuple[str, ...], kind: Type | None) -> str:
        return "empty" if path[0] in ("人员情况", "年度重点工作") else "keep"

    draft = Draft(year, policy)
    for key, what in (("主要职能", "主要职能"), ("机构设置", "机构设置"), ("决算单位构成", "纳入决算的单位")):
        draft.carried[(key,)] = f"{what}沿用{year}年度的文字，请对照{nxt}年度的“三定”方案和机构变化逐句核对"
    draft.todo[("人员情况",)] = f"{nxt}年末的编制数和实有人数（类别沿用上年）"
    draft.todo[("年度重点工作",)] = f"{nxt}年度重点工作完成情况"
    items = draft.mapping(tree, OVERVIEW, (), False) if isinstance(tree, Mapping) else []
    return render(items, _head(target / "overview.yaml", f"# 第一部分 概况：{nxt}年度。"))


def _tables_tree(source: Path, manifest: m.Manifest) -> tuple[Node, str]:
    """The node tree of this year's tables, from tables.yaml or from the workbook, and where it came from."""
    workbook = find_workbook(source, manifest)
    if workbook is not None:
        tree, _ = workbook_tree(workbook, display_path(workbook), manifest.unit, manifest.department)
        return tree, workbook.name
    path = source / TABLES_FILE
    return load_yaml(path, display_path(path)), ""


def _tables(source: Path, target: Path, manifest: m.Manifest) -> str | None:
    if not (source / TABLES_FILE).is_file() and find_workbook(source, manifest) is None:
        return None
    tree, workbook = _tables_tree(source, manifest)
    year, nxt = manifest.year, manifest.year + 1
    draft = Draft(year, lambda path, kind: "empty")
    if isinstance(tree, Mapping):
        _openings(tree, draft)
        for key, _ in tree.items:
            draft.todo[(key.text,)] = f"{nxt}年度{key.text}的决算数（按批复的决算报表填写，含合计；科目沿用上年，增删以当年为准）"
    items = draft.mapping(tree, TABLES, (), False) if isinstance(tree, Mapping) else []
    head = [f"# 第二部分 公开表：{nxt}年度。金额单位见 report.yaml；为零的项目可以不写。"]
    if workbook:
        head.append(
            f"# {year}年度的公开表来自工作簿“{workbook}”。{nxt}年度也用工作簿时：删除本文件，把新导出的工作簿放入本文件夹。"
        )
    return render(items, _head(target / TABLES_FILE, *head))


def _plain(node: Node | None) -> Value:
    """A node as a value to write, unchanged."""
    if isinstance(node, Scalar):
        return node.text
    if isinstance(node, Mapping):
        return [Item(k.text, _plain(v)) for k, v in node.items]
    return None


def _openings(tree: Mapping, draft: Draft) -> None:
    """Next year opens with this year's closing balances (01表, 04表 by fund, 08表 合计)."""

    def at(*keys: str) -> Node | None:
        node: Node | None = tree
        for key in keys:
            node = node.get(key) if isinstance(node, Mapping) else None
        return node

    for path, source in (
        (("公开01表", "收入", "年初结转和结余"), ("公开01表", "支出", "年末结转和结余")),
        (("公开04表", "收入", "年初财政拨款结转和结余"), ("公开04表", "支出", "年末财政拨款结转和结余")),
        (("公开08表", "合计", "年初结转和结余"), ("公开08表", "合计", "年末结转和结余")),
    ):
        closing = at(*source)
        if closing is not None and at(*path[:-1]) is not None:
            draft.values[path] = _plain(closing)


# notes.yaml keys whose 上年数 is this year's figure of the same name.
CHANGES = {
    "收支总计": "grand_total",
    "本年收入": "total_income",
    "本年支出": "total_expenditure",
    "财政拨款收支总计": "fiscal_total",
    "一般公共预算财政拨款支出": "general_total",
    "政府性基金预算财政拨款支出": "fund_spending",
    "国有资本经营预算财政拨款支出": "capital_spending",
}
THREE = (
    ("合计", "total"),
    ("因公出国（境）费", "abroad"),
    ("公务用车购置及运行费", "vehicles"),
    ("公务用车购置费", "purchase"),
    ("公务用车运行费", "running"),
    ("公务接待费", "reception"),
)


def _notes(source: Path, target: Path, report: m.Report) -> str | None:
    path = source / "notes.yaml"
    if not path.is_file():
        return None
    tree = load_yaml(path, display_path(path))
    year, nxt = report.manifest.year, report.manifest.year + 1
    figures = derive(report).figures
    keep_text = {"预算绩效管理", "其他事项"}

    def policy(path: tuple[str, ...], kind: Type | None) -> str:
        return "keep" if path[0] in keep_text else "empty"

    draft = Draft(year, policy)
    present = set(tree.keys()) if isinstance(tree, Mapping) else set()
    if figures is not None:
        for key, attr in CHANGES.items():
            if key in present:
                draft.values[(key, "上年数")] = _amount(getattr(figures, attr))
        if "三公经费" in present or "“三公”经费" in present:
            draft.values[("三公经费", "上年决算")] = [Item(k, _amount(getattr(figures.three, a))) for k, a in THREE]
        if figures.running_costs_amount is not None:
            draft.values[("机关运行经费", "上年数")] = _amount(figures.running_costs_amount)
    for key in CHANGES:
        if key in present:
            draft.todo[(key,)] = f"{nxt}年度{key}较上年增减变化的原因（上年数已填入{year}年度公开的数字）"
    draft.todo[("三公经费",)] = (
        f"{nxt}年度“三公”经费的统计数（出国团组和人次、购置和保有车辆、接待批次和人次）和原因；用途沿用上年，请核对"
    )
    draft.todo[("机关运行经费",)] = f"{nxt}年度机关运行经费支出（本年数）和增减原因"
    draft.todo[("政府采购",)] = f"{nxt}年度政府采购支出和授予中小企业合同金额"
    draft.todo[("国有资产",)] = f"{nxt}年末的车辆和大额设备台数"
    for key in ("预算绩效管理", "其他事项"):
        draft.carried[(key,)] = f"{key}沿用{year}年度的文字（年份已改为{nxt}年），请按{nxt}年度的情况改写或删除"
    items = draft.mapping(tree, NOTES, (), False) if isinstance(tree, Mapping) else []
    head = [
        f"# 第三部分 情况说明：{nxt}年度。“上年数”已填入{year}年度公开的数字（与上年文件夹核对）；",
        "# 填好公开表后，按核对的提示写明各项增减变化的原因。",
    ]
    return render(items, _head(target / "notes.yaml", *head))


def _statement(source: Path, target: Path, report: m.Report) -> str | None:
    """A 三公经费 statement's file for next year: this year's 决算数 as 上年决算, the rest to fill in."""
    path = source / STATEMENT_FILE
    if not path.is_file():
        return None
    tree = load_yaml(path, display_path(path))
    year, nxt = report.manifest.year, report.manifest.year + 1
    figures = derive(report).figures
    draft = Draft(year, lambda path, kind: "empty")
    if figures is not None:
        draft.values[("上年决算",)] = [Item(k, _amount(getattr(figures.three, a))) for k, a in THREE]
        if figures.running_costs_amount is not None:
            draft.values[("机关运行经费", "上年数")] = _amount(figures.running_costs_amount)
    draft.todo[("预算数",)] = f"{nxt}年度“三公”经费年初预算数"
    draft.todo[("决算数",)] = f"{nxt}年度“三公”经费决算数"
    draft.todo[("预算差异原因",)] = "决算数与预算数不同的原因"
    draft.todo[("上年变动原因",)] = f"较{year}年度增减变化的原因（上年决算已填入{year}年度公开的数字）"
    for key in ("因公出国（境）", "公务用车", "公务接待"):
        draft.todo[(key,)] = f"{nxt}年度的统计数和原因"
    draft.todo[("机关运行经费",)] = f"{nxt}年度机关运行经费支出（本年数）和增减原因"
    items = draft.mapping(tree, THREE_COSTS_STATEMENT, (), False) if isinstance(tree, Mapping) else []
    head = [f"# “三公”经费和机关运行经费：{nxt}年度。“上年决算”“上年数”已填入{year}年度公开的数字（与上年文件夹核对）。"]
    return render(items, _head(target / STATEMENT_FILE, *head))


def _glossary(source: Path, target: Path, year: int) -> str | None:
    path = source / "glossary.yaml"
    if not path.is_file():
        return None
    tree = load_yaml(path, display_path(path))
    draft = Draft(year, lambda path, kind: "keep")
    value = draft.node(tree, GLOSSARY, (), False)
    lines = _head(target / "glossary.yaml", "# 名词解释的补充和改写：沿用上年。")
    if not isinstance(value, list) or not value:
        return "\n".join(lines) + "\n"
    text = render([Item("_", value)], [])
    body = [line[2:] for line in text.splitlines()[1:]]  # the list itself, at the top level
    return "\n".join([*lines, *body]) + "\n"


def _evaluation(path: Path, target: Path, year: int) -> str:
    """An evaluation carried whole (its years moved on), marked as a whole to be rewritten."""
    text = path.read_text(encoding="utf-8-sig")
    lines = [line for line in text.split("\n") if not line.startswith(("# yaml-language-server:", "# $schema:"))]
    nxt = year + 1
    mark = mark_line(
        TODO,
        f"本表是{year}年度的自评表（年份已改为{nxt}年）：请按{nxt}年度的预算执行和绩效目标完成情况改写资金、完成值、得分和文字；"
        "本年度不再自评的项目，删除本文件",
    )
    # The blank line after the mark makes it cover the whole file (read/drafts.py).
    return "\n".join([*_head(target), mark, "", shift_years("\n".join(lines), year).rstrip("\n")]) + "\n"


def next_year(source: Path, target: Path) -> Made:
    """The files of next year's folder made from `source` (nothing is written)."""
    if not is_report_folder(source):
        raise ReportError(Location(display_path(source)), f"这里没有 {MANIFEST_FILE}，不是一个报告文件夹")
    report = read_report(source)
    manifest = report.manifest
    files: dict[str, str] = {MANIFEST_FILE: _manifest(source, target, manifest.year)}
    for name, text in (
        ("overview.yaml", _overview(source, target, manifest.year)),
        (TABLES_FILE, _tables(source, target, manifest)),
        ("notes.yaml", _notes(source, target, report)),
        ("glossary.yaml", _glossary(source, target, manifest.year)),
        (STATEMENT_FILE, _statement(source, target, report)),
    ):
        if text is not None:
            files[name] = text
    evaluations = source / EVALUATION_FOLDER
    if evaluations.is_dir():
        for path in sorted(p for p in evaluations.iterdir() if p.suffix == ".yaml" and not p.name.startswith(".")):
            name = f"{EVALUATION_FOLDER}/{path.name}"
            files[name] = _evaluation(path, target / name, manifest.year)
    return Made(target, files)


def target_of(source: Path) -> tuple[Path, int]:
    """Where next year's folder of a report goes (its sibling named by the next year) and that year."""
    manifest: m.Manifest = MANIFEST.read(load_yaml(source / MANIFEST_FILE, display_path(source / MANIFEST_FILE)))
    return source.parent / str(manifest.year + 1), manifest.year + 1


def write_made(made: Made) -> list[Path]:
    """Write the files of a new folder (which must not exist yet, or be empty)."""
    if made.folder.exists() and any(made.folder.iterdir()):
        raise ReportError(Location(display_path(made.folder)), "文件夹已经存在且不是空的，没有改写；请换一个年度或先移走它")
    written = []
    for name, text in made.files.items():
        path = made.folder / name
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    return written
