"""Read the finance system's workbook (.xlsx, .xls, .ods) of the nine public tables into `Tables`.

The workbook is opened with python-calamine (values, merged ranges) and, for an .xlsx with
formulas, openpyxl (the formulas whose result was never stored). Each table is found by its title
(sheets.py), its header block read into column paths and identified against the catalogue
(headers.py), and its rows turned into the same node tree a tables.yaml gives (rows.py), with
every value located at its cell; the tree is then read by the declared format, so a workbook
and a tables.yaml are checked by the very same rules and messages.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import model as m
from ..errors import Finding, Location, warning
from .format import TABLES
from .format import WORKBOOK_SUFFIXES as SUFFIXES
from .headers import read_block, unit_factor
from .rows import table_node
from .sheets import locate, plain
from .source import Mapping, Scalar
from .spreadsheet import open_sheets

__all__ = ["SUFFIXES", "read_workbook", "workbook_tree"]


def workbook_tree(path: Path, shown: str, unit: str = "万元", department: str = "") -> tuple[Mapping, tuple[Finding, ...]]:
    """Read a workbook into the node tree of tables.yaml, and the notices met on the way."""
    sheets = open_sheets(path, shown)
    found, notices = locate(sheets, department)
    blocks = [read_block(region) for _, region in found]
    stated = next((b for b in blocks if b.unit), None)
    for block in blocks:
        if not block.unit:
            block.unit = stated.unit if stated else unit
    if stated is None:
        notices += (warning(Location(shown), f"工作簿中没有找到“金额单位”，按 report.yaml 的金额单位（{unit}）读取", "W-UNIT"),)
    org = next((b for b in blocks if b.org), None)
    if department and org is not None and org.org_loc is not None:
        theirs, ours = plain(org.org), plain(department)
        if theirs not in ours and ours not in theirs:
            notices += (
                warning(
                    org.org_loc,
                    f"工作簿的编制单位“{org.org}”与 report.yaml 的部门名称“{department}”不同：是不是放错了文件？",
                    "W-ORG",
                ),
            )
    items: list[tuple[Scalar, Mapping]] = []
    for block in blocks:
        node = table_node(block, unit_factor(block, unit))
        items.append((Scalar(block.region.title_loc, f"公开{block.region.number}表"), node))
    for sheet in sheets:
        notices += tuple(sheet.notices)
    return Mapping(Location(shown), tuple(items)), notices


def read_workbook(path: Path, shown: str, unit: str = "万元", department: str = "") -> m.Tables:
    """Read a workbook into Tables, exactly as tables.yaml would be read."""
    tree, notices = workbook_tree(path, shown, unit, department)
    tables: m.Tables = TABLES.read(tree)
    return replace(tables, notices=notices)
