"""Write the node tree read from a workbook as tables.yaml, commented, in the shape of the examples.

`build.py import` uses this for those who prefer to keep the tables as text: the file reads back
into the same Tables the workbook gives (a test holds it so).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .. import model as m
from ..catalog import TABLE_NUMBERS, table_title
from ..errors import Finding, Location, ReportError, display_path
from .folder import MANIFEST_FILE
from .format import MANIFEST, TABLES
from .reference import schema_comment
from .source import Mapping, Node, Scalar, Sequence, load_yaml
from .workbook import SUFFIXES, workbook_tree

_BLOCK_SECTIONS = ("收入", "支出", "科目")
_PLAIN = re.compile(r"^[^\s:{}\[\],#&*!|>'\"%@`?\-~][^:{}\[\],#]*$")
_LOOKS_TYPED = re.compile(r"^([-+]?[\d.,]+|true|false|yes|no|null|on|off|~)$", re.IGNORECASE)


def _scalar(node: Scalar, key: str) -> str:
    text = node.text
    if key == "编码" or node.quoted:
        return json.dumps(text, ensure_ascii=False)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return text
    if _PLAIN.match(text) and not _LOOKS_TYPED.match(text) and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(node: Mapping) -> str:
    return "{" + ", ".join(f"{k.text}: {_scalar(v, k.text)}" for k, v in node.items if isinstance(v, Scalar)) + "}"


def _is_flow(key: str, node: Mapping) -> bool:
    return (
        key not in _BLOCK_SECTIONS
        and all(isinstance(v, Scalar) for _, v in node.items)
        and not any(k.text == "原因" for k, _ in node.items)
    )


def _lines(key: str, node: Node, indent: int) -> list[str]:
    pad = "  " * indent
    if isinstance(node, Scalar):
        return [f"{pad}{key}: {_scalar(node, key)}"]
    if isinstance(node, Mapping):
        if _is_flow(key, node):
            return [f"{pad}{key}: {_flow(node)}"]
        out = [f"{pad}{key}:"]
        for k, v in node.items:
            out += _lines(k.text, v, indent + 1)
        return out
    assert isinstance(node, Sequence)
    out = [f"{pad}{key}:"]
    for item in node.items:
        assert isinstance(item, Mapping)
        if _is_flow("", item):
            out.append(f"{pad}  - {_flow(item)}")
            continue
        first = True
        for k, v in item.items:
            line = _lines(k.text, v, indent + 2)[0].strip()
            out.append(f"{pad}  {'- ' if first else '  '}{line}")
            first = False
    return out


def tables_yaml(tree: Mapping, workbook: str, year: int) -> str:
    """Render the tables read from `workbook` as the text of tables.yaml."""
    tables = {key.text: (key, node) for key, node in tree.items}
    out = [
        f"# 第二部分 公开表：由财务系统导出的工作簿“{workbook}”生成（build.py import），工具会逐项核对。",
        "# 金额单位见 report.yaml；为零的项目不写。05表的“年初预算”和“原因”用于第三部分五的逐项说明。",
    ]
    for number in TABLE_NUMBERS:
        name = f"公开{number}表"
        title = table_title(number, year)
        out.append("")
        if name not in tables:
            continue
        key, node = tables[name]
        where = f"工作表“{key.loc.sheet}”" if key.loc.sheet else workbook
        assert isinstance(node, Mapping)
        if not node.items:
            required = number in ("01", "02", "03", "04")
            out.append(f"{name}: {{}}   # {title}：空表" if required else f"# {name}（{title}）：空表，公开时附标准说明")
            continue
        out.append(f"{name}:   # {title}（{where}）")
        for k, v in node.items:
            out += _lines(k.text, v, 1)
    return "\n".join(out).rstrip("\n") + "\n"


def import_tables(workbook: Path, folder: Path) -> tuple[str, tuple[Finding, ...]]:
    """Read a workbook for a report folder (its unit, department and year from report.yaml) into tables.yaml text.

    The tables are read by the format before anything is written, so a workbook with a problem
    gives its message and no file.
    """
    if not workbook.is_file():
        raise ReportError(Location(display_path(workbook)), "文件不存在")
    if workbook.suffix.lower() not in SUFFIXES:
        raise ReportError(Location(display_path(workbook)), "应为 .xlsx、.xls 或 .ods 工作簿")
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ReportError(
            Location(display_path(folder)),
            f"这里没有 {MANIFEST_FILE}：请先建立报告文件夹和 {MANIFEST_FILE}（金额单位、部门名称、年度）",
        )
    manifest: m.Manifest = MANIFEST.read(load_yaml(manifest_path, display_path(manifest_path)))
    tree, notices = workbook_tree(workbook, display_path(workbook), manifest.unit, manifest.department)
    TABLES.read(tree)
    return schema_comment(folder / "tables.yaml") + tables_yaml(tree, workbook.name, manifest.year), notices
