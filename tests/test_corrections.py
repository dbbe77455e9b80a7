"""Corrections: the Document kept as data, the changes between two versions, `build.py diff --notice`."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from disclosure.cli import main
from disclosure.document import Cell, Document, Heading, Island, Paragraph, Run, Table
from disclosure.document.changes import compare
from disclosure.document.data import document_data, read_document
from disclosure.pipeline import Toolkit, render
from disclosure.read import find_reports, read
from disclosure.site.corrections import correct

from conftest import CONTENT

REPORT = "linjiang-yibaoju/2024"


@pytest.mark.parametrize("folder", find_reports(CONTENT), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_document_reads_back_from_its_data_unchanged(folder: Path):
    document = render(read(folder)).document
    data = document_data(document)
    assert read_document(data) == document
    assert document_data(read_document(data)) == data  # type: ignore[arg-type]


def _table(key: str, rows: list[tuple[str, str, str]]) -> Island:
    head = ((Cell("科目编码", header=True), Cell("科目名称", header=True), Cell("本年收入合计", header=True)),)
    body = tuple((Cell(c, kind="code"), Cell(n), Cell(v, kind="number", align="right")) for c, n, v in rows)
    return Island("table", Table(key, f"公开{key[1:]}表", "收入决算表", "", "", (1, 3, 2), head, body))


def _doc(rows: list[tuple[str, str, str]], sentences: list[str], other: str = "731.21") -> Document:
    blocks = (
        Heading(1, "第二部分 ", "公开表", "sec-2"),
        _table("t02", rows),
        _table("t03", [("合计", "", other)]),
        Heading(1, "第三部分 ", "情况说明", "sec-3"),
        *(Paragraph((Run(s),)) for s in sentences),
    )
    return Document("报告", blocks)


ROWS = [("208", "社会保障和就业支出", "26.19"), ("210", "卫生健康支出", "705.02")]


def test_a_changed_figure_is_one_change_with_the_cells_and_sentences_it_changed_under_it():
    old = _doc([*ROWS, ("合计", "", "731.21")], ["本年收入合计731.21万元。", "原因是一。"])
    new = _doc(
        [ROWS[0], ("210", "卫生健康支出", "705.12"), ("合计", "", "731.31")], ["本年收入合计731.31万元。", "原因是一。"], "731.31"
    )
    changes = compare(old, new, "。")
    # By hand: 210 row 705.02 → 705.12 (alone), and 731.21 → 731.31 at 02表 合计, 03表 合计 and the sentence.
    assert [(c.place.table, c.place.row, c.before, c.after, len(c.related)) for c in changes] == [
        ("公开02表", "210 卫生健康支出", "705.02", "705.12", 0),
        ("公开02表", "合计", "731.21", "731.31", 2),
    ]
    related = changes[1].related
    assert [(r.kind, r.place.table or r.place.section) for r in related] == [
        ("cell", "公开03表"),
        ("sentence", "第三部分 情况说明"),
    ]
    assert changes[0].place.column == ("本年收入合计",) and changes[0].place.part == "第二部分 公开表"


def test_moved_text_and_an_added_row_are_read_as_what_they_are():
    old = _doc([*ROWS, ("合计", "", "731.21")], ["甲。", "乙。", "丙。"])
    moved = _doc([*ROWS, ("合计", "", "731.21")], ["乙。", "丙。", "甲。"])
    assert compare(old, moved, "。") == []  # a sentence that only moved is no change
    added = _doc([*ROWS, ("221", "住房保障支出", "0.00"), ("合计", "", "731.21")], ["甲。", "乙。", "丙。"])
    changes = compare(old, added, "。")
    assert [(c.kind, c.place.row, c.before, c.after) for c in changes] == [
        ("row", "221 住房保障支出", "", "221 住房保障支出 0.00")
    ]
    assert compare(old, old, "。") == []


def _published(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the examples built into out/ (HTML, DOCX, Markdown), as a portal would have them."""
    shutil.copytree(CONTENT, tmp_path / "content")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "content"), "--out", str(out), "--format", "html,docx,md", "-q"]) == 0
    return tmp_path / "content" / REPORT, out


def _correct_three_things(folder: Path) -> None:
    notes = folder / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    text = text.replace("本年数: 24.36", "本年数: 25.36")  # one figure
    text = text.replace("原因: 一是城乡医疗救助对象扩面", "原因: 一是城乡医疗救助对象进一步扩面")  # a reason
    notes.write_text(text, encoding="utf-8")
    tables = folder / "tables.yaml"
    text = tables.read_text(encoding="utf-8")
    # A table row: the name of 2101506 as 02表 states it (03表 and 05表 take it from there).
    text = text.replace(
        '- {编码: "2101506", 本年收入合计: 15.37', '- {编码: "2101506", 名称: 医疗保障经办服务, 本年收入合计: 15.37', 1
    )
    tables.write_text(text, encoding="utf-8")
    manifest = folder / "report.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + "更正:\n  - {日期: 2025-10-15, 原因: 经复核，机关运行经费少计1.00万元。}\n",
        encoding="utf-8",
    )


def test_an_unchanged_rebuild_gives_no_notice(tmp_path: Path, capsys):
    folder, out = _published(tmp_path)
    before = sorted(p.name for p in (out / REPORT).iterdir())
    assert "document.json" in before
    assert main(["diff", "--notice", str(folder), "--out", str(out)]) == 0
    assert "与已公开的版本相同，不需要更正说明" in capsys.readouterr().out
    assert sorted(p.name for p in (out / REPORT).iterdir()) == before


def test_the_notice_lists_exactly_the_three_changes_in_order_with_their_places(tmp_path: Path, capsys):
    folder, out = _published(tmp_path)
    _correct_three_things(folder)
    found = correct(folder, out, Toolkit(), write=False)
    changes = found.changes
    assert [c.kind for c in changes] == ["cell", "sentence", "sentence"]
    row, reason, figure = changes
    assert (row.place.part, row.place.table, row.place.row, row.place.column) == (
        "第二部分 2024年度部门决算表",
        "公开02表",
        "2101506 医疗保障经办服务",
        ("项目", "科目名称"),
    )
    assert (row.before, row.after) == ("医疗保障经办事务", "医疗保障经办服务")
    # Under it, the other places the new name shows: 03表, 05表, the 第三部分五 sentence, the glossary entry it no longer has.
    assert [r.place.table or r.place.section for r in row.related] == [
        "公开03表",
        "公开05表",
        "（三）一般公共预算财政拨款支出决算具体情况",
        "第四部分 名词解释",
    ]
    assert (
        reason.place.section == "一、收入支出决算总体情况说明" and "进一步扩面" in reason.after and "进一步" not in reason.before
    )
    # 2023 机关运行经费 23.54 (24.36 − 0.82): 25.36 − 23.54 = 1.82, 1.82 ÷ 23.54 = 7.73%.
    assert figure.place.section == "（一）机关运行经费支出情况"
    assert figure.before == "2024年度本部门机关运行经费支出24.36万元，较上年增加0.82万元，增长3.48%。"
    assert figure.after == "2024年度本部门机关运行经费支出25.36万元，较上年增加1.82万元，增长7.73%。"
    assert (found.date.isoformat(), found.reason) == ("2025-10-15", "经复核，机关运行经费少计1.00万元。")  # type: ignore[union-attr]

    assert main(["diff", "--notice", str(folder), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3 处更正" in printed
    target = out / REPORT
    names = {p.name for p in target.iterdir()}
    assert {"correction-2025-10-15.html", "correction-2025-10-15.docx", "correction-2025-10-15.md"} <= names
    assert {"report-2025-09-02.html", "report-2025-09-02.docx", "report-2025-09-02.md", "document-2025-09-02.json"} <= names
    notice = (target / "correction-2025-10-15.md").read_text(encoding="utf-8")
    numbered = [
        line.split("|")[1].strip()
        for line in notice.splitlines()
        if line.startswith("| ") and line.split("|")[1].strip().isdigit()
    ]
    assert numbered == ["1", "2", "3"]
    assert notice.index("医疗保障经办服务") < notice.index("进一步扩面") < notice.index("25.36万元")
    assert "更正原因：经复核，机关运行经费少计1.00万元。" in notice and "2025年9月2日公开" in notice
    # The notice's table flows with its text (the report's tables each start a page of their own).
    with zipfile.ZipFile(target / "correction-2025-10-15.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "<w:pageBreakBefore/>" not in body and "医疗保障经办服务" in body
    with zipfile.ZipFile(target / "report.docx") as docx:
        assert "<w:pageBreakBefore/>" in docx.read("word/document.xml").decode("utf-8")
    # The superseded page keeps its own words and links its own, dated files.
    old_page = (target / "report-2025-09-02.html").read_text(encoding="utf-8")
    assert "机关运行经费支出24.36万元" in old_page and 'href="report-2025-09-02.docx"' in old_page
    page = (target / "report.html").read_text(encoding="utf-8")
    assert "机关运行经费支出25.36万元" in page
    assert 'href="correction-2025-10-15.html">更正说明</a>' in page and 'href="report-2025-09-02.html">原版本</a>' in page
    department = (out / "linjiang-yibaoju" / "index.html").read_text(encoding="utf-8")
    assert 'href="../linjiang-yibaoju/2024/correction-2025-10-15.html">更正说明</a>' in department
    # Once corrected, the same sources give no second notice.
    assert main(["diff", "--notice", str(folder), "--out", str(out)]) == 0
    assert "不需要更正说明" in capsys.readouterr().out


def test_a_correction_without_a_date_and_reason_says_where_to_give_them(tmp_path: Path, capsys):
    folder, out = _published(tmp_path)
    notes = folder / "notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("本年数: 24.36", "本年数: 25.36"), encoding="utf-8")
    assert main(["diff", "--notice", str(folder), "--out", str(out)]) == 1
    assert "请在 report.yaml 的“更正”中写明日期和原因" in capsys.readouterr().out
    assert main(["diff", "--notice", str(folder), "--out", str(out), "--date", "2025-10-20", "--reason", "少计1万元"]) == 0
    assert "report.yaml 的“更正”中没有 2025-10-20 这一次更正" in capsys.readouterr().out
    assert (out / REPORT / "correction-2025-10-20.md").read_text(encoding="utf-8").count("更正原因：少计1万元") == 1


def test_a_plain_build_does_not_overwrite_the_published_version_before_its_notice(tmp_path: Path, capsys):
    folder, out = _published(tmp_path)
    published = (out / REPORT / "report.html").read_bytes()
    _correct_three_things(folder)
    assert main(["build", str(folder), "--out", str(out), "--format", "html,docx,md"]) == 1
    assert "还没有写出更正说明：请先运行 build.py diff --notice" in capsys.readouterr().out
    assert (out / REPORT / "report.html").read_bytes() == published
    assert main(["diff", "--notice", str(folder), "--out", str(out)]) == 0
    assert main(["build", str(folder), "--out", str(out), "--format", "html,docx,md"]) == 0  # the notice is there now
