"""The DOCX writer: styles and fonts, real merges, repeated header rows, landscape sections,
page numbers, a pre-filled table of contents, reproducible bytes, and a read-back through pandoc."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import docx
import pypandoc
import pytest
from lxml import etree

from disclosure.document.blocks import Contents, Document, Heading, Island, Paragraph, Run
from disclosure.document.glossary import Glossary
from disclosure.document.table import Cell, Table, place
from disclosure.errors import ReportError
from disclosure.pipeline import render as assemble
from disclosure.read.folder import read_report
from disclosure.resources import PACKAGE, Project, Theme
from disclosure.writers.docx import bookmark_name, docx_theme, write_docx

from docx_dump import dump_docx

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "content" / "linjiang-yibaoju" / "2024"
THEME = Project().theme("default")
DEFAULT_FOLDER = PACKAGE / "themes" / "default"


def theme_in(folder):
    """A theme whose own folder is `folder`, over the package's default theme."""
    return Theme(folder.name, (folder, DEFAULT_FOLDER))


GOLDEN = Path(__file__).resolve().parent / "golden" / "linjiang-yibaoju-2024.docx.txt"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS = {"w": W_NS}
THEME_FONT_ATTRIBUTES = {"asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme"}


def mm(value: float) -> int:
    return round(value * 1440 / 25.4)


@pytest.fixture(scope="module")
def document() -> Document:
    return assemble(read_report(REPORT, with_prior=False)).document


@pytest.fixture(scope="module")
def data(document: Document) -> bytes:
    return write_docx(document, THEME)


@pytest.fixture(scope="module")
def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()}


@pytest.fixture(scope="module")
def body(parts) -> etree._Element:
    return parts["word/document.xml"].find(f"{W}body")


def tables_of(document: Document) -> list[Table]:
    return [b.value for b in document.blocks if isinstance(b, Island) and isinstance(b.value, Table)]


def section_of_each_table(body: etree._Element) -> list[etree._Element]:
    """For every w:tbl in the body, the sectPr of the section it belongs to (the next one below it)."""
    found: list[etree._Element] = []
    waiting = 0
    for child in body:
        if child.tag == f"{W}tbl":
            waiting += 1
            continue
        sect = child.find(f"{W}pPr/{W}sectPr") if child.tag == f"{W}p" else (child if child.tag == f"{W}sectPr" else None)
        if sect is not None:
            found += [sect] * waiting
            waiting = 0
    return found


def all_sections(body: etree._Element) -> list[etree._Element]:
    return body.findall(f"{W}p/{W}pPr/{W}sectPr") + [body.find(f"{W}sectPr")]


def style_by_id(parts, ident: str) -> etree._Element:
    return parts["word/styles.xml"].find(f"{W}style[@{W}styleId='{ident}']")


# ---------------------------------------------------------------------------- styles and typography


def test_every_style_names_its_east_asian_font_and_no_theme_fonts_are_left(parts):
    styles = parts["word/styles.xml"]
    assert len(styles.findall(f"{W}style")) >= 20
    for style in styles.iter(f"{W}style"):
        fonts = style.find(f"{W}rPr/{W}rFonts")
        ident = style.get(f"{W}styleId")
        assert fonts is not None, ident
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(f"{W}{script}"), (ident, script)
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}eastAsia") == "仿宋_GB2312"
    for name in ("word/styles.xml", "word/document.xml", "word/footer1.xml"):
        attributes = {etree.QName(a).localname for el in parts[name].iter() for a in el.attrib}
        assert not attributes & THEME_FONT_ATTRIBUTES, name
    assert "word/theme/theme1.xml" not in parts


@pytest.mark.parametrize(
    ("ident", "font", "size"),
    [
        ("CoverTitle", "方正小标宋简体", 26),
        ("TOCHeading", "方正小标宋简体", 22),
        ("TableTitle", "方正小标宋简体", 16),
        ("Heading1", "黑体", 16),
        # GB/T 9704: 一级标题（一、）黑体, 二级（（一））楷体, 三级（1.）仿宋
        ("Heading2", "黑体", 16),
        ("Heading3", "楷体_GB2312", 16),
        ("Heading4", "仿宋_GB2312", 16),
        ("BodyText", "仿宋_GB2312", 16),
        ("Normal", "仿宋_GB2312", 16),
    ],
)
def test_styles_follow_the_theme(parts, ident, font, size):
    style = style_by_id(parts, ident)
    assert style.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == font
    assert style.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "Times New Roman"
    assert style.find(f"{W}rPr/{W}sz").get(f"{W}val") == str(size * 2)


def test_body_text_has_fixed_spacing_and_a_two_character_indent_that_nothing_else_has(parts):
    body = style_by_id(parts, "BodyText")
    spacing = body.find(f"{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("560", "exact")  # exactly 28 pt
    assert body.find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "200"
    for ident in (
        "Normal",
        "Heading1",
        "Heading2",
        "Heading3",
        "Heading4",
        "TableText",
        "TableNumber",
        "TableHeader",
        "TableCenter",
        "TOC1",
        "TOC2",
        "TableTitle",
        "TableNote",
    ):
        assert style_by_id(parts, ident).find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "0", ident
    # No paragraph overrides its style's indent, except table cells indenting 款 and 项 from the left.
    for ind in parts["word/document.xml"].iter(f"{W}ind"):
        assert ind.get(f"{W}firstLineChars") == "0"
        assert ind.getparent().getparent().getparent().tag == f"{W}tc"


def test_headings_carry_outline_levels_for_the_table_of_contents(parts):
    for level in range(1, 5):
        assert style_by_id(parts, f"Heading{level}").find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == str(level - 1)


def test_pages_are_a4_with_gbt_9704_margins(body):
    sections = all_sections(body)
    for sect in sections:
        size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        if size.get(f"{W}orient") == "landscape":
            assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("16838", "11906")
            expected = {"top": 25, "bottom": 20, "left": 30, "right": 28}  # docx.yaml: narrower for wide tables
            assert {k: margins.get(f"{W}{k}") for k in expected} == {k: str(mm(v)) for k, v in expected.items()}
            assert int(margins.get(f"{W}footer")) <= mm(20) - mm(8)  # the page number stays inside the margin
        else:
            assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
            expected = {"top": 37, "bottom": 35, "left": 28, "right": 26}
            assert {k: margins.get(f"{W}{k}") for k in expected} == {k: str(mm(v)) for k, v in expected.items()}


# ---------------------------------------------------------------------------- tables


def test_merges_match_the_table_models(document, body):
    models = tables_of(document)
    grids = body.findall(f"{W}tbl")
    assert len(grids) == len(models) == 13
    for table, tbl in zip(models, grids, strict=True):
        cells = [c for row in table.rows for c in row]
        own = [
            tc
            for tc in tbl.iter(f"{W}tc")
            if tc.find(f"{W}tcPr/{W}vMerge") is None or tc.find(f"{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"
        ]
        continued = [tc for tc in tbl.iter(f"{W}tc") if tc not in own]
        assert len(own) >= len(cells), table.key
        assert len(tbl.findall(f".//{W}vMerge[@{W}val='restart']")) == sum(c.rowspan > 1 for c in cells), table.key
        assert len(continued) == sum(c.rowspan - 1 for c in cells), table.key
        spans_own = sum(tc.find(f"{W}tcPr/{W}gridSpan") is not None for tc in own)
        assert spans_own == sum(c.colspan > 1 for c in cells), table.key
        assert len(tbl.findall(f".//{W}gridSpan")) == sum(c.rowspan for c in cells if c.colspan > 1), table.key
        # Every row covers the whole grid, and every cell sits where the model places it.
        for r, (tr, line) in enumerate(zip(tbl.findall(f"{W}tr"), place(table.rows, table.columns), strict=True)):
            columns, col, starts = 0, 0, {}
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                width = int(span.get(f"{W}val")) if span is not None else 1
                starts[col] = tc
                col += width
                columns += width
            assert columns == table.columns, (table.key, r)
            for placed in line:
                tc = starts[placed.col]
                assert "".join(tc.itertext()) == placed.cell.text, (table.key, r, placed.col)


def test_head_rows_repeat_rows_never_split_and_the_last_rows_keep_together(document, body):
    for table, tbl in zip(tables_of(document), body.findall(f"{W}tbl"), strict=True):
        rows = tbl.findall(f"{W}tr")
        flags = [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows]
        # A form has no head rows: its first two rows (项目名称, 主管部门) repeat if it must continue.
        head = 2 if table.form else len(table.head)
        assert flags == [r < head for r in range(len(rows))], table.key
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
        keeps = [all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p")) for tr in rows]
        if table.form:  # every row keeps with the next but the last: the form stays on one page where it fits
            assert keeps[:-1] == [True] * (len(rows) - 1) and not keeps[-1], table.key
        else:  # the last two rows keep with what follows: no row alone on a page, the note stays with them
            assert keeps[-2:] == [True, True], table.key


def test_column_widths_hold_the_text_and_fill_the_text_width(document, body):
    portrait, landscape = mm(210) - mm(28) - mm(26), mm(297) - mm(30) - mm(28)  # docx.yaml margins
    padding = 2 * mm(1.0)  # cell_margin 1 mm on each side
    digit, em = 9 * 20 / 2, 9 * 20  # table type is 9 pt: a Times New Roman digit is half an em
    for table, tbl in zip(tables_of(document), body.findall(f"{W}tbl"), strict=True):
        grid = [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")]
        assert sum(grid) == (landscape if table.wide else portrait), table.key
        assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        for tr in tbl.findall(f"{W}tr"):
            col = 0
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                n = int(span.get(f"{W}val")) if span is not None else 1
                assert int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) == sum(grid[col : col + n])
                col += n
        if table.form:
            continue
        for line in table.grid:
            for placed in line:
                cell, width = placed.cell, grid[placed.col]
                if cell.colspan > 1 or not cell.text:
                    continue
                if cell.kind == "code":  # a 7-digit code never breaks
                    assert width >= len(cell.text) * digit + padding, (table.key, cell.text)
                if cell.header and placed.row < len(table.head) and len(cell.text) <= 4:  # 科目编码 on one line
                    assert width >= len(cell.text) * em + padding, (table.key, cell.text)


def cells_by_column(tr: etree._Element) -> dict[int, etree._Element]:
    """The cells of a row keyed by the grid column they start in."""
    found, col = {}, 0
    for tc in tr.findall(f"{W}tc"):
        found[col] = tc
        span = tc.find(f"{W}tcPr/{W}gridSpan")
        col += int(span.get(f"{W}val")) if span is not None else 1
    return found


def test_numbers_are_right_aligned_strong_cells_bold_and_indents_kept(document, body):
    checked = {"number": 0, "strong": 0, "indent": 0}
    for table, tbl in zip(tables_of(document), body.findall(f"{W}tbl"), strict=True):
        for tr, line in zip(tbl.findall(f"{W}tr"), place(table.rows, table.columns), strict=True):
            starts = cells_by_column(tr)
            for placed in line:
                cell, p = placed.cell, starts[placed.col].find(f"{W}p")
                style = p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
                if cell.kind == "number" and not cell.header:
                    assert style == "TableNumber", (table.key, cell)
                    checked["number"] += 1
                if cell.text:
                    assert (p.find(f".//{W}rPr/{W}b") is not None) == cell.strong, (table.key, cell)
                    checked["strong"] += cell.strong
                ind = p.find(f"{W}pPr/{W}ind")
                assert (int(ind.get(f"{W}leftChars")) if ind is not None else 0) == (cell.indent * 100 if cell.text else 0)
                checked["indent"] += ind is not None
    assert checked["number"] > 500 and checked["strong"] > 20 and checked["indent"] > 20, checked


def test_tables_have_their_furniture_title_number_org_unit_and_notes(document, data):
    text = dump_docx(data)
    for table in tables_of(document):
        assert re.search(rf"^\[表名[^]]*\] {re.escape(table.title)}( #_Toc\S+)?$", text, re.M), table.title
        if table.number:
            assert f"[表格信息，居右] {table.number}" in text
        assert f"[表格信息，制表位] {table.org}⇥{table.unit}" in text
        for note in (table.note, table.empty_note):
            if note:
                assert f"[表注] {note}" in text


def test_wide_tables_and_forms_are_in_landscape_sections(document, body):
    models = tables_of(document)
    sections = section_of_each_table(body)
    assert len(sections) == len(models)
    assert {t.key for t in models if t.wide} >= {"t04", "t06", "t07", "ev1", "ev2", "ev3", "ev4"}
    for table, sect in zip(models, sections, strict=True):
        size = sect.find(f"{W}pgSz")
        landscape = size.get(f"{W}orient") == "landscape"
        assert landscape == table.wide, table.key
        assert (int(size.get(f"{W}w")) > int(size.get(f"{W}h"))) == table.wide, table.key


def test_a_tables_heading_stays_with_it_and_is_not_printed_twice(body):
    for tbl in body.findall(f"{W}tbl"):
        before = tbl.getprevious()
        while before.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "TableCaption":
            assert before.find(f"{W}pPr/{W}sectPr") is None  # no section break between a title and its table
            before = before.getprevious()
        title = before
        assert title.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "TableTitle"
        heading = title.getprevious()
        style = heading.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        if style.startswith("Heading"):  # a heading of its own (a form's: 一、项目支出绩效自评表（…）)
            assert "".join(heading.itertext()) != "".join(title.itertext())
            assert heading.find(f"{W}pPr/{W}sectPr") is None
        else:  # the heading only restated the title: the title line is the heading, bookmarked, in the outline
            assert title.find(f"{W}bookmarkStart") is not None
            assert title.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "1"


def test_page_numbers_sit_on_the_outside_edge_and_neither_cover_nor_contents_is_numbered(parts, body):
    sections = all_sections(body)
    assert len(sections) >= 8
    cover, contents, *rest = sections
    assert cover.find(f"{W}footerReference") is None and contents.find(f"{W}footerReference") is None
    assert parts["word/settings.xml"].find(f"{W}evenAndOddHeaders") is not None  # odd and even footers differ
    rels = {rel.get("Id"): rel.get("Target") for rel in parts["word/_rels/document.xml.rels"]}
    for sect in rest:
        refs = {ref.get(f"{W}type"): ref.get(f"{R}id") for ref in sect.findall(f"{W}footerReference")}
        assert set(refs) == {"default", "even"}
        for kind, side in (("default", "right"), ("even", "left")):  # GB/T 9704: odd pages right, even left
            footer = parts["word/" + rels[refs[kind]]]
            assert " ".join(t.text for t in footer.iter(f"{W}instrText")).strip() == "PAGE"
            assert "".join(t.text for t in footer.iter(f"{W}t")) == "— 1 —"
            assert footer.find(f".//{W}pStyle").get(f"{W}val") == "Footer"
            assert footer.find(f".//{W}pPr/{W}jc").get(f"{W}val") == side
    # Only the body is numbered, from 1, in arabic numerals.
    numbering = [
        (s.find(f"{W}pgNumType").get(f"{W}fmt"), s.find(f"{W}pgNumType").get(f"{W}start"))
        for s in sections
        if s.find(f"{W}pgNumType") is not None
    ]
    assert numbering == [("decimal", "1")]


def test_cover_shows_department_year_and_date(body, document):
    cover_texts = []
    for p in body.findall(f"{W}p"):
        if p.find(f"{W}pPr/{W}sectPr") is not None:
            break
        cover_texts.append("".join(p.itertext()))
    assert [t for t in cover_texts if t] == ["青川市临江区医疗保障局", "2024年度部门决算", "二〇二五年九月"]


def test_contents_entries_link_their_headings_and_carry_page_numbers(parts, body, document):
    contents = next(document.islands("toc"))
    assert isinstance(contents, Contents)
    bookmarks = {b.get(f"{W}name"): b for b in body.iter(f"{W}bookmarkStart")}
    entries = [
        p
        for p in body.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val").startswith("TOC")
        and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") != "TOCHeading"
    ]
    assert [(e.find(f"{W}pPr/{W}pStyle").get(f"{W}val"), e.find(f"{W}hyperlink").get(f"{W}anchor")) for e in entries] == [
        (f"TOC{h.level}", bookmark_name(h.anchor)) for h in contents.headings
    ]
    assert len(entries) == 31  # six parts (联系方式 last) and their sections
    numbers = []
    for entry, heading in zip(entries, contents.headings, strict=True):
        link = entry.find(f"{W}hyperlink")
        texts = [t.text for t in link.iter(f"{W}t")]
        assert texts[0] == heading.title and link.find(f".//{W}tab") is not None
        # The page number is a PAGEREF field to the heading's bookmark, with a stored number.
        instruction = "".join(t.text for t in link.iter(f"{W}instrText")).strip()
        assert instruction == f"PAGEREF {bookmark_name(heading.anchor)} \\h"
        numbers.append(int(texts[-1]))
        target = bookmarks[bookmark_name(heading.anchor)].getparent()
        style = target.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        assert style.startswith("Heading") or (style == "TableTitle" and target.find(f"{W}pPr/{W}outlineLvl") is not None)
    assert numbers[0] == 1 and numbers == sorted(numbers)
    assert not any(True for _ in body.iter(f"{W}instrText") if "TOC" in _.text)  # no TOC field: see writers/docx.py
    assert parts["word/settings.xml"].find(f"{W}updateFields").get(f"{W}val") == "true"


def test_no_field_code_or_markup_leaks_into_the_text(parts):
    for name in ("word/document.xml", "word/footer1.xml"):
        text = "".join(t.text or "" for t in parts[name].iter(f"{W}t"))
        for leak in ("TOC \\o", "PAGE", "MERGEFORMAT", "<w:", "{{", "{%", "island"):
            assert leak not in text, (name, leak)


def test_glossary_is_numbered_with_the_term_in_bold(document, body):
    glossary = next(document.islands("glossary"))
    assert isinstance(glossary, Glossary)
    paragraphs = {"".join(p.itertext()): p for p in body.iter(f"{W}p")}
    for i, entry in enumerate(glossary.entries, start=1):
        p = paragraphs[f"{i}. {entry.term}：{entry.text}"]
        assert p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "BodyText"
        bold = ["".join(r.itertext()) for r in p.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
        assert bold == [entry.term]


# ---------------------------------------------------------------------------- package


def test_two_builds_are_byte_identical_with_fixed_dates_and_order(document, data):
    assert write_docx(document, THEME) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert not any("rsid" in archive.read(i.filename).decode() for i in infos)


def test_core_properties_come_from_the_report(data, document):
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.title == document.title == "2024年度青川市临江区医疗保障局部门决算"
    assert properties.author == "青川市临江区医疗保障局"
    assert properties.created.isoformat() == properties.modified.isoformat() == "2025-09-02T00:00:00+00:00"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<Company>\xe9\x9d\x92\xe5\xb7\x9d" in archive.read("docProps/app.xml")  # 青川…


def test_without_a_publication_date_the_file_is_dated_after_the_year(document):
    meta = {**document.meta, "date": ""}
    data = write_docx(Document(document.title, document.blocks, meta), THEME)
    created = docx.Document(io.BytesIO(data)).core_properties.created
    assert created.isoformat() == "2025-01-01T00:00:00+00:00"


def test_python_docx_opens_the_file(data, document):
    opened = docx.Document(io.BytesIO(data))
    assert len(opened.tables) == 13
    assert [s.orientation.name for s in opened.sections].count("LANDSCAPE") == 3  # 04, 06–07, the forms
    assert opened.styles["Heading 1"].font.name == "Times New Roman"


# ---------------------------------------------------------------------------- reading it back


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_pandoc_reads_back_every_paragraph_and_table_cell(document, data, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    # Wide columns keep each table cell on one line of pandoc's grid tables.
    text = _normal(pypandoc.convert_file(str(path), "plain", extra_args=["--wrap=none", "--columns=1500"]))
    expected: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            expected.append(block.text)
        elif isinstance(block, Heading):
            expected.append(block.title)
        elif isinstance(block, Island) and isinstance(block.value, Table):
            table = block.value
            expected += [table.title, table.note, table.empty_note, table.org, table.unit, table.number]
            expected += [cell.text for row in table.rows for cell in row]
        elif isinstance(block, Island) and isinstance(block.value, Glossary):
            expected += [f"{e.term}：{e.text}" for e in block.value.entries]
    missing = [t for t in expected if _normal(t) and _normal(t) not in text]
    assert not missing, missing[:5]
    assert len(expected) > 1500


def test_the_dump_matches_the_golden_file(data):
    """The whole document as text; run with UPDATE_GOLDEN=1 to accept a change (and review the diff)."""
    dump = dump_docx(data)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(dump, encoding="utf-8")
    assert dump == GOLDEN.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- themes and odd input


def test_a_theme_overrides_only_what_it_sets(tmp_path):
    theme = tmp_path / "plain"
    theme.mkdir()
    (theme / "docx.yaml").write_text("page:\n  margins: {top: 25}\nstyles:\n  body: {font: 宋体, size: 14}\n", encoding="utf-8")
    settings = docx_theme(theme_in(theme))
    assert settings.styles["body"].font == "宋体" and settings.styles["body"].size == 14
    assert settings.styles["body"].line == 28  # kept from the default theme
    assert settings.margins["top"] == mm(25) and settings.margins["left"] == mm(28)
    assert settings.styles["heading1"].font == "黑体"


def test_a_theme_without_docx_yaml_uses_the_default(tmp_path):
    assert docx_theme(theme_in(tmp_path)) == docx_theme(THEME)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("styles:\n  body: {colour: red}\n", "无法识别的设置"),
        ("pages: {}\n", "无法识别的设置“pages”"),
        ("styles:\n  body: {align: middle}\n", "align"),
        ("- a list\n", "应是若干"),
    ],
)
def test_theme_mistakes_are_reported_in_chinese(tmp_path, text, message):
    (tmp_path / "docx.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        docx_theme(theme_in(tmp_path))
    assert message in str(caught.value)


def test_user_text_is_escaped_and_odd_tables_still_make_a_valid_file():
    odd = Table(
        key="x1",
        number="",
        title="A<B & C",
        org="",
        unit="单位：元",
        widths=(1, 1, 1),
        head=((Cell("甲", header=True, colspan=3),),),
        body=(
            (Cell("跨两行", rowspan=2), Cell("1", kind="number", align="right")),  # a short row
            (Cell("x\ty\nz"), Cell("</w:t>")),
        ),
    )
    blocks = (
        Heading(1, "第一部分 ", "<script>&amp;", "sec-1"),
        Paragraph((Run("粗", bold=True), Run("斜\x01体", italic=True))),
        Island("table", odd),
    )
    data = write_docx(Document("测试", blocks, {"year": "2024"}), THEME)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    text = "".join(root.itertext())
    assert "<script>&amp;" in text and "A<B & C" in text and "</w:t>" in text and "斜体" in text
    rows = root.findall(f".//{W}tr")
    for tr in rows:  # every row is filled up to the three grid columns
        spans = [
            int(s.get(f"{W}val")) if (s := tc.find(f"{W}tcPr/{W}gridSpan")) is not None else 1 for tc in tr.findall(f"{W}tc")
        ]
        assert sum(spans) == 3
    assert root.find(f".//{W}tc/{W}p/{W}r/{W}tab") is not None and root.find(f".//{W}tc/{W}p/{W}r/{W}br") is not None
    # Without a cover the first section is numbered from 1 and carries the footer.
    sect = root.find(f"{W}body/{W}sectPr")
    assert sect.find(f"{W}footerReference") is not None
    assert sect.find(f"{W}pgNumType").get(f"{W}start") == "1"


# ---------------------------------------------------------------------------- the skeleton kept between runs

_ONE_DOCX = """
import sys
from pathlib import Path
from disclosure.pipeline import Toolkit, render
from disclosure.read.folder import read_report
from disclosure.writers.docx import write_docx
report = read_report(Path(sys.argv[1]))
toolkit = Toolkit()
data = write_docx(render(report, toolkit).document, toolkit.theme(report.manifest))
Path(sys.argv[2]).write_bytes(data)
print("docx" in sys.modules)
"""


def test_a_second_run_takes_the_package_skeleton_it_kept_and_writes_the_same_bytes_without_python_docx(tmp_path: Path):
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TMPDIR"} | {"TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    folder = ROOT / "content" / "linjiang-yibaoju" / "2024"

    def run(name: str) -> tuple[bool, bytes]:
        out = subprocess.run(
            [sys.executable, "-c", _ONE_DOCX, str(folder), str(tmp_path / name)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.strip() == "True", (tmp_path / name).read_bytes()

    imported, first = run("first.docx")
    assert imported  # nothing kept yet: python-docx makes the skeleton
    kept = list((tmp_path / "tmp").glob(f"disclosure-docx-*-{os.getuid()}/*.json"))
    assert len(kept) == 1 and kept[0].parent.stat().st_mode & 0o777 == 0o700
    imported, second = run("second.docx")
    assert not imported and second == first
    kept[0].write_text('[["word/document.xml", "not base64!"]]', encoding="utf-8")  # a damaged copy is made again
    imported, third = run("third.docx")
    assert imported and third == first


def test_a_cache_folder_another_user_could_write_to_is_not_used(tmp_path: Path, monkeypatch):
    import tempfile

    from disclosure.resources import private_cache

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    mine = private_cache("probe")
    assert mine is not None and mine.stat().st_mode & 0o777 == 0o700
    planted = tmp_path / f"disclosure-planted-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)  # made by someone else for us to find: what it holds would go into the reports
    assert private_cache("planted") is None
