"""Open data out: report.xlsx in the official layout, one CSV per public table, every amount in report.json.

The workbook is read back by two independent readers (openpyxl and python-calamine) and
compared with the table model cell by cell; the CSV and JSON are compared with the amounts of
the model and, independently, with the figures typed in tables.yaml (read as text, summed in
Decimal here). LibreOffice lays the workbook out for real where it is installed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from python_calamine import CalamineWorkbook

from disclosure.amounts import quantize
from disclosure.document import Document, Island, Paragraph, Table
from disclosure.document.table import code, label, num, th, txt
from disclosure.pipeline import Built, Toolkit, build_report
from disclosure.read.folder import find_reports
from disclosure.resources import Project
from disclosure.site.builder import build_site
from disclosure.writers.opendata import write_csv
from disclosure.writers.xlsx import write_xlsx

from conftest import CONTENT

FORMATS = ("xlsx", "csv", "json")
# The bundled reports with public tables (linjiang-nongyeju is a standalone 绩效自评 document).
WITH_TABLES = ["linjiang-yibaoju/2024", "linjiang-yibaoju/2023", "linjiang-jiancezhongxin/2024"]
RECORD_FIELDS = {"表号", "行次", "科目编码", "科目名称", "列", "金额", "金额单位", "部门", "年度"}
FONTS = Path(__file__).resolve().parent / "fonts" / "fonts.conf"


@pytest.fixture(scope="module", params=WITH_TABLES)
def built(request: pytest.FixtureRequest) -> Built:
    result = build_report(CONTENT / request.param, Toolkit(), FORMATS)
    assert result.document is not None and not result.errors
    return result


def public(built: Built) -> list[Table]:
    assert built.document is not None
    return [t for t in built.document.islands("table") if isinstance(t, Table) and t.number and not t.form]


def source_tables(built: Built) -> dict:
    """tables.yaml as typed: every scalar a string, so the amounts are exact here too."""
    return yaml.load((Path(built.report.folder) / "tables.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def amounts_of(table: Table) -> list[tuple[int, int, Decimal]]:
    """(row, column, amount at two places) of every amount cell of the model."""
    return [
        (p.row, p.col, quantize(p.cell.value, 2))
        for line in table.grid
        for p in line
        if p.cell.kind == "number" and p.cell.value is not None
    ]


TOP = 4  # the title, the 表号 and the 编制单位 line come first


# ---------------------------------------------------------------------------- report.xlsx


def test_the_workbook_has_one_sheet_per_public_table_named_by_its_number(built: Built):
    book = openpyxl.load_workbook(io.BytesIO(built.files["report.xlsx"]))
    assert book.sheetnames == [t.number for t in public(built)]
    assert book.sheetnames[0] == "公开01表" and len(book.sheetnames) == 9
    assert "report-01.csv" in built.files and "report-09.csv" in built.files and "report.json" in built.files


def test_every_sheet_has_the_furniture_the_merges_and_the_amounts_of_its_table(built: Built):
    book = openpyxl.load_workbook(io.BytesIO(built.files["report.xlsx"]))
    for table in public(built):
        ws = book[table.number]
        last = table.columns
        assert ws.cell(1, 1).value == table.title
        assert ws.cell(2, last).value == table.number and ws.cell(2, last).alignment.horizontal == "right"
        assert ws.cell(3, 1).value == table.org and ws.cell(3, last).value == table.unit
        # The merges the model's spans ask for, the title's, and one per note line under the table.
        expected = {(1, 1, 1, last)}
        # 05表's annex (年初预算数, 原因) is drawn right of the table, its note under the table's.
        for offset, drawn in ((0, table), (last, table.annex)):
            for line in drawn.grid if drawn else ():
                for p in line:
                    if p.cell.rowspan > 1 or p.cell.colspan > 1:
                        left = offset + 1 + p.col
                        expected.add((TOP + p.row, left, TOP + p.row + p.cell.rowspan - 1, left + p.cell.colspan - 1))
        notes = [n for n in (table.empty_note, table.note, table.annex.note if table.annex else "") if n]
        below = TOP + len(table.rows)
        for i, note in enumerate(notes):
            expected.add((below + i, 1, below + i, last))
            assert ws.cell(below + i, 1).value == note
        merged = {(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges}
        assert merged == expected, table.number
        amounts = amounts_of(table)
        assert amounts or table.empty_note, table.number
        for row, col, amount in amounts:
            cell = ws.cell(TOP + row, 1 + col)
            assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool), (table.number, row, col)
            assert f"{cell.value:.2f}" == str(amount), (table.number, row, col)
            assert cell.number_format == "0.00"  # the bundled reports are in 万元 and print zeros as 0.00
        for line in table.grid:
            for p in line:
                cell = ws.cell(TOP + p.row, 1 + p.col)
                if p.cell.kind == "code" and p.cell.text:
                    assert cell.data_type == "s" and cell.value == p.cell.text, (table.number, p.row, p.col)
                if p.cell.kind == "label" and p.cell.text and p.row >= len(table.head):
                    assert cell.value == p.cell.text and bool(cell.font.b) == p.cell.strong
                    assert cell.alignment.indent == p.cell.indent


def test_header_rows_are_frozen_and_print_on_every_page_of_an_a4_sheet_landscape_exactly_when_wide(built: Built):
    book = openpyxl.load_workbook(io.BytesIO(built.files["report.xlsx"]))
    wide = set()
    for table in public(built):
        ws = book[table.number]
        first_body = TOP + len(table.head)
        assert ws.freeze_panes == f"A{first_body}"
        assert ws.print_title_rows == f"$1:${first_body - 1}"
        assert ws.page_setup.paperSize == 9  # A4 in the OOXML paper codes
        assert ws.page_setup.orientation == ("landscape" if table.wide else "portrait")
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(table.columns)]
        # Relative widths follow the model's (an amount column only ever gets wider).
        name_col = max(range(table.columns), key=lambda i: table.widths[i])
        assert widths[name_col] == max(widths)
        if table.wide:
            wide.add(table.number)
    assert wide == {"公开04表", "公开06表", "公开07表"}


def test_calamine_reads_the_same_amounts_and_codes_as_text(built: Built):
    book = CalamineWorkbook.from_filelike(io.BytesIO(built.files["report.xlsx"]))
    assert book.sheet_names == [t.number for t in public(built)]
    for table in public(built):
        rows = book.get_sheet_by_name(table.number).to_python()
        for row, col, amount in amounts_of(table):
            value = rows[TOP - 1 + row][col]
            assert isinstance(value, float | int) and f"{value:.2f}" == str(amount)
        for line in table.grid:
            for p in line:
                if p.cell.kind == "code" and p.cell.text:
                    assert rows[TOP - 1 + p.row][p.col] == p.cell.text  # "2080505", never 2080505.0


def test_the_numbers_in_the_file_are_the_exact_decimal_text(built: Built):
    with zipfile.ZipFile(io.BytesIO(built.files["report.xlsx"])) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode("utf-8")
    numbers = re.findall(r"<v>([^<]*)</v>", sheet)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d{2})?", n) for n in numbers), numbers[:20]
    assert {str(a) for _, _, a in amounts_of(public(built)[1])} <= set(numbers)


def test_the_workbook_carries_the_reports_date_and_fixed_zip_dates(built: Built):
    assert built.document is not None
    with zipfile.ZipFile(io.BytesIO(built.files["report.xlsx"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    stamp = built.document.created.isoformat(timespec="seconds")
    assert core.count(f">{stamp}Z<") == 2  # created and modified: the report's date, not the clock
    book = openpyxl.load_workbook(io.BytesIO(built.files["report.xlsx"]))
    assert book.properties.creator == built.report.manifest.department


# ---------------------------------------------------------------------------- CSV


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_each_csv_has_one_header_row_and_every_amount_of_its_table(built: Built):
    for table in public(built):
        rows = read_csv(built.files[f"report-{table.key[1:]}.csv"])
        header, body = rows[0], rows[1:]
        assert len(header) == table.columns and len(set(header)) == len(header) and all(header)
        assert all(len(row) == table.columns for row in body)
        assert not any(cell.replace(".", "").isdigit() for cell in header)  # the 栏次 row is no header
        printed = Counter(cell for row in body for cell in row if re.fullmatch(r"-?\d+\.\d{2}", cell))
        assert printed == Counter(str(a) for _, _, a in amounts_of(table)), table.number
        if table.empty_note:
            assert body == []  # the “本表无数据” line is not a row of data


def test_the_csv_headers_name_each_column_by_its_whole_header_path(built: Built):
    header = {t.number: read_csv(built.files[f"report-{t.key[1:]}.csv"])[0] for t in public(built)}
    assert header["公开02表"][:3] == ["科目编码", "科目名称", "本年收入合计"]
    assert header["公开05表"] == ["科目编码", "科目名称", "本年支出-合计", "本年支出-基本支出", "本年支出-项目支出"]
    assert header["公开01表"] == ["收入-项目", "收入-行次", "收入-金额", "支出-项目（按功能分类）", "支出-行次", "支出-金额"]
    assert header["公开07表"][2] == "预算数-公务用车购置及运行费-小计"
    assert header["公开06表"][:4] == ["人员经费-科目编码", "人员经费-科目名称", "人员经费-决算数", "公用经费-科目编码"]


def test_the_total_row_of_a_csv_names_itself_in_the_name_column(built: Built):
    rows = read_csv(built.files["report-02.csv"])
    total = rows[1]
    source = source_tables(built)["公开02表"]["合计"]
    assert total[:3] == ["", "合计", str(quantize(Decimal(source["本年收入合计"]), 2))]


# ---------------------------------------------------------------------------- JSON


def test_every_amount_record_has_every_field(built: Built):
    data = json.loads(built.files["report.json"])
    manifest = built.report.manifest
    records = data["amounts"]
    assert len(records) == sum(len(amounts_of(t)) for t in public(built))
    for record in records:
        assert set(record) == RECORD_FIELDS
        assert re.fullmatch(r"-?\d+\.\d{2}", record["金额"])
        assert record["金额单位"] == manifest.unit and record["部门"] == manifest.department and record["年度"] == manifest.year
    keys = [(r["表号"], r["行次"], r["科目编码"], r["科目名称"], r["列"]) for r in records]
    assert len(set(keys)) == len(keys)  # each amount is named by its row and column, never twice the same
    assert [t["表号"] for t in data["tables"]] == [t.number for t in public(built)]
    assert built.document is not None
    figures = data["figures"]
    assert len(figures) == len(built.document.figures) > 20
    prose = "".join(b.text for b in built.document.blocks if isinstance(b, Paragraph))
    for figure in figures:
        assert set(figure) == {"类型", "数值", "原文", "句子", "章节"}
        assert figure["类型"] in {"占比", "增长率", "完成预算比例", "增减额"}
        assert figure["原文"] in figure["句子"] and figure["句子"] in prose
        if figure["类型"] != "增减额":  # a rate prints its exact value rounded half-up once
            assert figure["原文"] == f"{quantize(Decimal(figure['数值']), 2)}%"


def test_the_json_names_a_share_with_its_exact_value_and_sentence():
    result = build_report(CONTENT / "linjiang-yibaoju/2024", Toolkit(), ("json",))
    figures = json.loads(result.files["report.json"])["figures"]
    # tables.yaml: 一般公共预算财政拨款收入 702.36 of 本年收入合计 731.21, worked out here.
    exact = Decimal("702.36") / Decimal("731.21") * 100
    (share,) = [f for f in figures if f["类型"] == "占比" and Decimal(f["数值"]) == exact]
    assert share["原文"] == "96.05%"
    assert "一般公共预算财政拨款收入702.36万元，占96.05%" in share["句子"]
    assert share["章节"] == "二、收入决算情况说明"


def test_the_class_rows_of_table_02_add_up_to_its_total_in_the_json_and_in_the_source(built: Built):
    source = source_tables(built)["公开02表"]
    # By hand from tables.yaml: the 类 rows (3-digit codes) of 本年收入合计 add up to the 合计 line.
    typed = sum((Decimal(r["本年收入合计"]) for r in source["科目"] if len(r["编码"]) == 3), Decimal(0))
    assert typed == Decimal(source["合计"]["本年收入合计"])
    records = [
        r for r in json.loads(built.files["report.json"])["amounts"] if r["表号"] == "公开02表" and r["列"] == "本年收入合计"
    ]
    classes = [Decimal(r["金额"]) for r in records if len(r["科目编码"]) == 3]
    (total,) = [Decimal(r["金额"]) for r in records if r["科目名称"] == "合计" and r["科目编码"] == ""]
    assert len(classes) == sum(1 for r in source["科目"] if len(r["编码"]) == 3)
    assert sum(classes, Decimal(0)) == total == typed


def test_the_halves_of_01_and_04_and_the_blocks_of_06_are_rows_and_columns(built: Built):
    source = source_tables(built)
    records = json.loads(built.files["report.json"])["amounts"]

    def one(table: str, name: str, column: str, code: str = "") -> str:
        found = [
            r["金额"]
            for r in records
            if r["表号"] == table and r["科目名称"].endswith(name) and r["列"] == column and r["科目编码"] == code
        ]
        assert len(found) == 1, (table, name, column, found)
        return found[0]

    income = source["公开01表"]["收入"]
    assert one("公开01表", "本年收入合计", "收入-金额") == str(quantize(Decimal(income["本年收入合计"]), 2))
    for name, value in source["公开01表"]["支出"]["科目"].items():
        assert one("公开01表", name, "支出-金额") == str(quantize(Decimal(value), 2))
    spending = source["公开04表"]["支出"]["本年支出合计"]
    for column, value in spending.items():
        assert one("公开04表", "本年支出合计", f"支出-{column}") == str(quantize(Decimal(value), 2))
    for block in ("人员经费", "公用经费"):
        for row in source["公开06表"][block]:
            assert one("公开06表", "", f"{block}-决算数", row["编码"]) == str(quantize(Decimal(row["决算数"]), 2))
        assert one("公开06表", f"{block}合计", f"{block}-决算数") == str(quantize(Decimal(source["公开06表"][f"{block}合计"]), 2))


def test_the_lines_of_01_and_04_carry_their_line_numbers(built: Built):
    records = json.loads(built.files["report.json"])["amounts"]
    for number in ("公开01表", "公开04表"):
        (table,) = [t for t in public(built) if t.number == number]
        # The model prints each line's 行次 right after its name: (name, 行次) as the table shows it.
        printed = {
            (line[i].cell.text.strip(), line[i + 1].cell.text)
            for line in table.grid[len(table.head) :]
            for i in range(len(line) - 1)
            if line[i].cell.header and line[i].cell.text.strip()
        }
        lines = {(r["科目名称"], r["行次"]) for r in records if r["表号"] == number}
        assert lines == printed, number
        assert all(n.isdigit() for _, n in lines) and len({n for _, n in lines}) == len(lines)


# ---------------------------------------------------------------------------- both ways


def test_two_builds_are_byte_identical():
    folder = CONTENT / WITH_TABLES[0]
    first = build_report(folder, Toolkit(), FORMATS).files
    second = build_report(folder, Toolkit(), FORMATS).files
    assert list(first) == list(second) and len(first) == 11
    for name in first:
        assert first[name] == second[name], name


ROUND_TRIP = ("xlsx", "html", "md", "docx")


@pytest.mark.parametrize("report", WITH_TABLES)
def test_the_exported_workbook_read_back_as_the_source_gives_the_same_report(report: str, tmp_path: Path):
    folder = CONTENT / report
    first = build_report(folder, Toolkit(), ROUND_TRIP)
    assert not first.errors
    # The department's folders as they are, with report.xlsx in place of tables.yaml.
    copy = tmp_path / folder.parent.name / folder.name
    shutil.copytree(folder.parent, copy.parent)
    (copy / "tables.yaml").unlink()
    (copy / "决算公开表.xlsx").write_bytes(first.files["report.xlsx"])
    second = build_report(copy, Toolkit(), ROUND_TRIP)
    assert not second.errors and {f.message for f in second.findings} == {f.message for f in first.findings}
    assert second.report.tables is not None and second.report.tables.loc.file.endswith("决算公开表.xlsx")
    for name in ("report.xlsx", "report.html", "report.md", "report.docx"):  # the workbook too
        assert second.files[name] == first.files[name], name


def test_the_workbook_carries_table_05s_budgets_and_reasons_beside_the_table_and_prints_without_them():
    built = build_report(CONTENT / "linjiang-yibaoju/2024", Toolkit(), ("xlsx",))
    ws = openpyxl.load_workbook(io.BytesIO(built.files["report.xlsx"]))["公开05表"]
    head = [ws.cell(TOP, c).value for c in range(1, ws.max_column + 1)]
    assert head[-2:] == ["年初预算数", "原因"] and len(head) == 7  # 5 columns of the public table, then the annex
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(1, 8)] for r in range(TOP + 3, ws.max_row + 1)}
    # tables.yaml: 2080505 合计 16.42, 年初预算 15.80 and its reason; 合计 年初预算 708.62.
    assert rows["2080505"][2] == 16.42 and rows["2080505"][5] == 15.8
    assert rows["2080505"][6] == "年中调整机关事业单位工作人员基本工资标准，养老保险缴费基数相应提高。"
    assert rows["合计"][5] == 708.62
    assert ws.print_area == "'公开05表'!$A$1:$E$" + str(ws.max_row)


def _document(table: Table, unit: str) -> Document:
    return Document("t", (Island("table", table),), {"unit": unit, "year": "2024", "department": "某局"})


def _table(cells: list, wide: bool = False) -> Table:
    head = ((th("科目编码"), th("科目名称"), th("金额")), (th("栏次", colspan=2), th("1")))
    return Table("t02", "公开02表", "收入决算表", "部门：某局", "金额单位：元", (9, 26, 10), head, tuple(cells), wide=wide)


def test_a_report_in_yuan_groups_thousands_and_keeps_large_amounts_exact():
    big = Decimal("11122315.04")
    zero_blank = num("", value=Decimal(0))  # 零值显示: 空白
    table = _table(
        [(code("2080505"), label("=SUM(A1)", indent=2), num("11,122,315.04", value=big)), (code("208"), label("x"), zero_blank)]
    )
    data = write_xlsx(_document(table, "元"), Project().theme("default"))
    assert isinstance(data, bytes)
    ws = openpyxl.load_workbook(io.BytesIO(data))["公开02表"]
    assert ws.cell(TOP + 2, 3).value == 11122315.04 and ws.cell(TOP + 2, 3).number_format == "#,##0.00"
    assert ws.cell(TOP + 2, 2).value == "=SUM(A1)" and ws.cell(TOP + 2, 2).data_type == "s"  # text, never a formula
    assert ws.cell(TOP + 3, 3).value == 0 and ws.cell(TOP + 3, 3).number_format == "#,##0.00;-#,##0.00;;@"
    # Wide enough for “11,122,315.04” (13 characters at 9 pt ≈ 11 units): no “###”.
    assert ws.column_dimensions["C"].width >= 11.5
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<v>11122315.04</v>" in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    rows = read_csv(write_csv(_document(table, "元"))["report-02.csv"])
    assert rows[1][2] == "11122315.04" and rows[2][2] == "0.00"


def test_a_document_without_public_tables_gets_no_workbook_and_no_csv():
    built = build_report(CONTENT / "linjiang-nongyeju" / "2024", Toolkit(), FORMATS)
    assert list(built.files) == ["report.json"]
    assert json.loads(built.files["report.json"])["amounts"] == []


def test_the_site_keeps_the_open_data_and_skips_an_unchanged_report(tmp_path: Path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    out = tmp_path / "out"
    formats = ("html", "xlsx", "csv", "json")
    reports = len(find_reports(root))
    first = build_site(root, find_reports(root), out, formats=formats, jobs=1)
    assert first.count("built") == reports and not first.failed
    entries = {o.folder.split("/")[-2] + "/" + o.folder.split("/")[-1]: o.entry for o in first.outcomes}
    assert entries["linjiang-yibaoju/2024"] is not None and entries["linjiang-yibaoju/2024"].formats == formats
    assert entries["linjiang-nongyeju/2024"] is not None and entries["linjiang-nongyeju/2024"].formats == ("html", "json")
    assert len(list((out / "linjiang-yibaoju" / "2024").glob("report-*.csv"))) == 9
    again = build_site(root, find_reports(root), out, formats=formats, jobs=1)
    assert again.count("unchanged") == reports  # the report without tables too: it never had a workbook
    (out / "linjiang-yibaoju" / "2024" / "report-03.csv").unlink()
    third = build_site(root, find_reports(root), out, formats=formats, jobs=1)
    assert [o.folder for o in third.outcomes if o.status == "built"] == [
        o.folder for o in first.outcomes if "linjiang-yibaoju/2024" in o.folder
    ]
    assert (out / "linjiang-yibaoju" / "2024" / "report-03.csv").is_file()


# ---------------------------------------------------------------------------- laid out by LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo"))
REQUIRED = os.environ.get("REQUIRE_TOOLS") == "1"


def _to_pdf(work: Path, source: Path) -> Path:
    env = {**os.environ, "HOME": str(work / "home"), "FONTCONFIG_FILE": str(FONTS)}
    subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore"]
        + ["--convert-to", "pdf", "--outdir", str(work), str(source)],
        env=env,
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = source.with_suffix(".pdf")
    assert pdf.is_file(), "LibreOffice wrote no PDF (is libreoffice-calc installed?)"
    return pdf


def _pages(pdf: Path) -> tuple[list[str], list[tuple[float, float]]]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]
    return pages, sizes


@pytest.mark.skipif(not REQUIRED and (not SOFFICE or not POPPLER), reason="需要 LibreOffice（soffice）和 poppler-utils")
def test_libreoffice_prints_each_table_on_a4_landscape_where_wide_with_headers_repeated(tmp_path: Path):
    built = build_report(CONTENT / "linjiang-yibaoju" / "2024", Toolkit(), ("xlsx",))
    source = tmp_path / "report.xlsx"
    source.write_bytes(built.files["report.xlsx"])
    pages, sizes = _pages(_to_pdf(tmp_path, source))
    tables = public(built)
    assert len(pages) == len(tables)  # each table fits its page width and, here, one page
    for page, size, table in zip(pages, sizes, tables, strict=True):
        flat = re.sub(r"\s+", "", page)
        assert table.title in flat and table.number in flat
        assert (size[0] > size[1]) == table.wide, table.number
        assert abs(min(size) - 595.3) < 1 and abs(max(size) - 841.9) < 1  # A4
    assert "731.21" in pages[1] and "2080505" in pages[1]

    # A table longer than a page: the title and the header rows come back on the next page.
    rows = [(code(f"{2080000 + i}"), label(f"项目{i}"), num(f"{i}.00", value=Decimal(i))) for i in range(150)]
    long = tmp_path / "long.xlsx"
    data = write_xlsx(_document(_table(rows), "万元"), Project().theme("default"))
    assert isinstance(data, bytes)
    long.write_bytes(data)
    pages, _ = _pages(_to_pdf(tmp_path, long))
    assert len(pages) >= 2
    for page in pages:
        assert "收入决算表" in page and "科目名称" in page


def test_the_one_line_of_an_empty_table_is_no_row_of_data():
    table = _table([(txt("本表无数据", colspan=3, align="center"),)])
    rows = read_csv(write_csv(_document(table, "万元"))["report-02.csv"])
    assert rows == [["科目编码", "科目名称", "金额"]]
