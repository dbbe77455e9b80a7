"""Defects found in a read of the code (issue 10), each held by a test that failed before its fix."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from disclosure.document.blocks import Document, Heading, Island, Paragraph, Run
from disclosure.document.table import Cell, Table, header_links
from disclosure.errors import Location, ReportError
from disclosure.pipeline import Toolkit, build_report
from disclosure.resources import Project
from disclosure.site.builder import build_site
from disclosure.writers import write

from conftest import CONTENT

THEME = Project().theme("default")


def _table(kind: str) -> Table:
    """科目编码 | 科目名称 | 决算数: the first body cell is data of `kind`, the second a row header.

    A code cell is named by the row header right beside it; a text cell has no row header to its left.
    The two tables differ only in that cell's kind.
    """
    head = ((Cell("科目编码", header=True), Cell("科目名称", header=True), Cell("决算数", header=True)),)
    body = ((Cell("2101501", kind=kind), Cell("行政运行", header=True, kind="label"), Cell("1.00", kind="number")),)
    return Table(key="t", number="", title="", org="", unit="", widths=(1, 1, 1), head=head, body=body)


def test_header_links_depend_on_the_cell_kind_whatever_the_order_they_are_asked_in():
    # The memo key left out Cell.kind, which the links read: the second table got the first's links.
    code_first = (header_links(_table("code")), header_links(_table("text")))
    text_first = (header_links(_table("text")), header_links(_table("code")))
    assert code_first[0][(1, 0)] == ("t-r0c0", "t-r1c1")  # 科目编码 and the name beside it
    assert code_first[1][(1, 0)] == ("t-r0c0",)
    assert code_first == text_first[::-1]


@pytest.mark.parametrize("fmt", ["html", "md", "docx"])
def test_a_writer_refuses_a_block_it_does_not_know(fmt: str):
    # Writers silently dropped unknown blocks; a block no writer draws is a bug to report.
    document = Document(
        "测试", (Heading(1, "", "标题", "h"), Paragraph((Run("正文"),)), Island("chart", object())), {"year": "2024"}
    )
    with pytest.raises(TypeError, match="cannot draw"):
        write(document, THEME, (fmt,))


def test_report_error_crosses_a_process_boundary():
    error = ReportError(Location("tables.yaml", 12, 5, "公开01表.收入"), "金额有误")
    again = pickle.loads(pickle.dumps(error))
    assert (again.location, again.message, str(again)) == (error.location, error.message, str(error))


def test_an_edit_of_last_years_folder_rebuilds_a_report_whose_folder_is_not_named_by_its_year(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "linjiang-yibaoju" / "2023", content / "yb" / "2023")
    shutil.copytree(CONTENT / "linjiang-yibaoju" / "2024", content / "yb" / "current")  # 年度: 2024
    folders = [content / "yb" / "2023", content / "yb" / "current"]
    out = tmp_path / "out"
    first = build_site(content, folders, out, formats=("md",), jobs=1)
    assert first.count("built") == 2
    again = build_site(content, folders, out, formats=("md",), jobs=1)
    assert again.count("unchanged") == 2
    notes = content / "yb" / "2023" / "notes.yaml"  # the 2024 report quotes last year's notes (机关运行经费)
    notes.write_text(notes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = build_site(content, folders, out, formats=("md",), jobs=1)
    rebuilt = {o.folder.split("/")[-1] for o in third.outcomes if o.status == "built"}
    assert rebuilt == {"2023", "current"}


def test_the_contact_details_are_printed_and_left_out_when_not_given(tmp_path: Path):
    # 联系方式 was read from report.yaml and never printed.
    folder = CONTENT / "linjiang-yibaoju" / "2024"
    contact = "联系电话：0800-5551234（区医疗保障局财务室）；地址：青川市临江区滨江路18号。"
    built = build_report(folder, Toolkit(), ("md", "html"))
    md = built.files["report.md"].decode("utf-8")
    assert md.rstrip().endswith(f"# 第六部分 联系方式及信息反馈渠道\n\n{contact}")
    assert contact in built.files["report.html"].decode("utf-8")
    copy = tmp_path / "yb" / "2024"
    shutil.copytree(folder, copy)
    shutil.copytree(folder.parent / "2023", copy.parent / "2023")
    manifest = copy / "report.yaml"
    manifest.write_text(
        "\n".join(line for line in manifest.read_text(encoding="utf-8").splitlines() if not line.startswith("联系方式")) + "\n",
        encoding="utf-8",
    )
    without = build_report(copy, Toolkit(), ("md",)).files["report.md"].decode("utf-8")
    assert "联系方式" not in without and "第六部分" not in without
