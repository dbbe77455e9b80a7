"""The PDF writer, read back: contents page numbers, bookmarks, repeated header rows, forms on one
page, landscape pages, page numbers on the outside edge, fonts embedded, PDF/A, metadata,
reproducible bytes, and user text that prints literally.

The PDFs are read with poppler (pdftotext per page, pdftotext -bbox for positions, pdffonts) and
pypdf (bookmarks, page sizes, XMP metadata), never through our own code.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pypdf
import pytest

from disclosure.document.blocks import Contents, Cover, Document, Heading, Island, Paragraph, Run
from disclosure.document.glossary import Entry, Glossary
from disclosure.document.table import Table, label, num, th, txt
from disclosure.errors import ReportError
from disclosure.pipeline import Toolkit, build_report
from disclosure.resources import PACKAGE, Project, Theme
from disclosure.writers.pdf import compile_source, typst_source, write_pdf

from conftest import CONTENT, ROOT

REPORTS = ["linjiang-yibaoju/2024", "linjiang-yibaoju/2023", "linjiang-jiancezhongxin/2024", "linjiang-nongyeju/2024"]
THEME = Project(ROOT).theme("default")
DEFAULT_FOLDER = PACKAGE / "themes" / "default"
FOLIO = re.compile(r"^—\s*(\S+)\s*—$")


def flat(text: str) -> str:
    """Text without any white space: pdftotext puts spaces where Typst spaces Chinese from Latin."""
    return re.sub(r"\s+", "", text)


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


class Pdf:
    """A PDF as poppler and pypdf read it."""

    def __init__(self, data: bytes, path: Path):
        self.data = data
        self.path = path
        path.write_bytes(data)

    @cached_property
    def pages(self) -> list[str]:
        """The text of each page, as `pdftotext -layout -f N -l N` gives it (one run, split at the form feeds)."""
        out = subprocess.run(["pdftotext", "-layout", str(self.path), "-"], capture_output=True, check=True).stdout.decode()
        return out.split("\f")[:-1]

    @cached_property
    def words(self) -> list[list[Word]]:
        """The words of each page with their boxes (points from the top left), from `pdftotext -bbox`."""
        out = subprocess.run(["pdftotext", "-bbox", str(self.path), "-"], capture_output=True, check=True).stdout.decode()
        pages = []
        for page in out.split("<page ")[1:]:
            found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)
            pages.append([Word(w[4], float(w[0]), float(w[1]), float(w[2]), float(w[3])) for w in found])
        return pages

    @cached_property
    def reader(self) -> pypdf.PdfReader:
        return pypdf.PdfReader(self.path)

    def size(self, index: int) -> tuple[float, float]:
        box = self.reader.pages[index].mediabox
        return float(box.width), float(box.height)

    def folio(self, index: int) -> str | None:
        """The page number printed at the foot of a page (“— 3 —” → "3"), or None."""
        lines = [line.strip() for line in self.pages[index].splitlines() if line.strip()]
        found = FOLIO.match(lines[-1]) if lines else None
        return found.group(1) if found else None

    @cached_property
    def by_folio(self) -> dict[str, int]:
        """Printed page number → page index, for the numbered body pages (arabic numbers)."""
        return {f: i for i in range(len(self.pages)) if (f := self.folio(i)) and f.isdigit()}

    def lines(self, index: int) -> list[str]:
        return [flat(line) for line in self.pages[index].splitlines() if line.strip()]

    def page_of(self, text: str, start: int = 0) -> int:
        """The first page from `start` with a line that is `text` (white space aside)."""
        wanted = flat(text)
        for i in range(start, len(self.pages)):
            if wanted in self.lines(i):
                return i
        raise AssertionError(f"no page has the line {text!r}")


@dataclass
class Built:
    document: Document
    pdf: Pdf


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    folder = tmp_path_factory.mktemp("pdf")
    toolkit = Toolkit(Project(ROOT))
    out = {}
    for name in REPORTS:
        made = build_report(CONTENT / name, toolkit, ("pdf",))
        assert made.document is not None and not made.errors, name
        assert set(made.files) == {"report.pdf"}
        out[name] = Built(made.document, Pdf(made.files["report.pdf"], folder / f"{name.replace('/', '-')}.pdf"))
    return out


def shown(document: Document, heading: Heading) -> str:
    """The line a heading prints as: its title, or the title of its table when it only restates it
    (“一、收入决算表” above 收入决算表 is printed once, as the table's title line)."""
    i = document.blocks.index(heading)
    after = document.blocks[i + 1] if i + 1 < len(document.blocks) else None
    if isinstance(after, Island) and isinstance(after.value, Table) and after.value.title == heading.text:
        return after.value.title
    return heading.title


def tables(document: Document) -> list[tuple[Heading | None, Table]]:
    """Each table of a document with the heading right before it."""
    found = []
    for i, block in enumerate(document.blocks):
        if isinstance(block, Island) and isinstance(block.value, Table):
            before = document.blocks[i - 1] if i else None
            found.append((before if isinstance(before, Heading) else None, block.value))
    return found


# ---------------------------------------------------------------------------- contents and bookmarks


@pytest.mark.parametrize("name", REPORTS)
def test_every_contents_entry_names_the_page_its_heading_is_on(built: dict[str, Built], name: str):
    document, pdf = built[name].document, built[name].pdf
    contents = next(v for v in document.islands("toc") if isinstance(v, Contents))
    assert contents.headings
    # The contents pages are the unnumbered ones between the cover and page 1 (docx.yaml
    # contents_numbers: none); an entry may wrap, so the pages are read as one string without white space.
    listing = "".join(flat(pdf.pages[i]) for i in range(1, pdf.by_folio["1"]))
    position = 0
    for heading in contents.headings:
        entry = re.compile(re.escape(flat(heading.title)) + r"(?:\.|…|·)+(\d+)")
        found = entry.search(listing, position)
        assert found, f"{heading.title} is not in the contents"
        position = found.end()  # entries in document order
        page = pdf.by_folio[found.group(1)]
        assert flat(shown(document, heading)) in pdf.lines(page), f"{heading.title}: contents say page {found.group(1)}"


@pytest.mark.parametrize("name", REPORTS)
def test_every_heading_has_a_bookmark_to_its_page(built: dict[str, Built], name: str):
    document, pdf = built[name].document, built[name].pdf
    reader = pdf.reader
    marks: list[tuple[str, int, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                marks.append((item.title, depth, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    headings = document.headings
    assert [m[0] for m in marks] == [h.title for h in headings]
    levels = [h.level for h in headings]
    assert [m[1] for m in marks] == [lv - min(levels) + 1 for lv in levels]  # nested as the headings are
    for (title, _, page), heading in zip(marks, headings, strict=True):
        assert flat(shown(document, heading)) in pdf.lines(page), title


def test_pages_are_labelled_as_they_are_numbered(built: dict[str, Built]):
    pdf = built["linjiang-yibaoju/2024"].pdf
    labels = pdf.reader.page_labels
    # cover and contents (two pages): no number (docx.yaml contents_numbers: none); the body from 1
    assert labels[:3] == ["", "", ""]
    assert labels[3:6] == ["1", "2", "3"]
    assert [pdf.folio(i) for i in range(6)] == [None, None, None, "1", "2", "3"]


# ---------------------------------------------------------------------------- pages


def test_the_standalone_results_print_their_title_on_the_first_text_page_broken_after_the_department(
    built: dict[str, Built],
):
    # As in the DOCX: no parts (第一部分 …), so the first text page opens with the title, in two
    # lines that keep words whole: the department, then the rest.
    pdf = built["linjiang-nongyeju/2024"].pdf
    first = pdf.by_folio["1"]
    assert pdf.lines(first)[:3] == ["2024年度青川市临江区农业农村局", "部门项目绩效自评结果", "一、项目综述"]
    pdf = built["linjiang-yibaoju/2024"].pdf
    assert pdf.lines(pdf.by_folio["1"])[0] == "第一部分部门概况"


@pytest.mark.parametrize("name", REPORTS)
def test_page_numbers_sit_on_the_outside_edge_and_the_cover_has_none(built: dict[str, Built], name: str):
    pdf = built[name].pdf
    first = pdf.by_folio["1"]
    assert first >= 2 and all(pdf.folio(i) is None for i in range(first))  # the cover and the contents
    for i in range(first, len(pdf.pages)):
        folio = pdf.folio(i)
        assert folio, f"page {i + 1} has no page number"
        width, height = pdf.size(i)
        # below the text: docx.yaml's bottom margin is 35 mm on portrait pages, 20 mm on landscape ones
        bottom = (20 if width > height else 35) * 72 / 25.4
        foot = [w for w in pdf.words[i] if w.y0 > height - bottom]
        assert "".join(w.text for w in foot) == f"—{folio}—"
        number = int(folio)
        if number % 2:  # odd: right, one character in; even: left
            assert min(w.x0 for w in foot) > width / 2
        else:
            assert max(w.x1 for w in foot) < width / 2


@pytest.mark.parametrize("name", REPORTS)
def test_wide_tables_and_forms_are_on_landscape_pages(built: dict[str, Built], name: str):
    document, pdf = built[name].document, built[name].pdf
    checked = 0
    for heading, table in tables(document):
        assert heading is not None
        page = pdf.page_of(shown(document, heading))
        width, height = pdf.size(page)
        assert (width > height) == table.wide, table.title
        checked += table.wide
    portrait = pdf.size(pdf.page_of(shown(document, document.headings[0])))
    assert portrait[0] < portrait[1]
    assert checked  # every example has wide tables or forms


# ---------------------------------------------------------------------------- tables


def header_lines(pdf: Pdf, page: int, table: Table) -> list[str]:
    """The lines of a table's header rows on the page it starts: from below the org/unit line to its first row."""
    lines = pdf.lines(page)
    top = lines.index(flat(table.org + table.unit)) + 1 if table.org else lines.index(flat(table.title)) + 1
    first = flat(table.body[0][0].text)
    bottom = next(i for i in range(top, len(lines)) if lines[i].startswith(first))
    return lines[top:bottom]


def test_header_rows_are_repeated_at_the_top_of_every_continued_page(built: dict[str, Built]):
    continued = 0
    for name in REPORTS:
        document, pdf = built[name].document, built[name].pdf
        for heading, table in tables(document):
            if table.form or not table.head:
                continue
            assert heading is not None and table.note
            start = pdf.page_of(shown(document, heading))
            end = next(i for i in range(start, len(pdf.pages)) if flat(table.note) in flat(pdf.pages[i]))
            head = header_lines(pdf, start, table)
            assert head, table.title
            for page in range(start + 1, end + 1):
                continued += 1
                assert pdf.lines(page)[: len(head)] == head, f"{name} {table.title}: page {page + 1}"
    assert continued, "no table of the examples runs on to a second page: the test would prove nothing"


def test_amounts_are_right_aligned_in_their_column(built: dict[str, Built]):
    document, pdf = built["linjiang-yibaoju/2024"].document, built["linjiang-yibaoju/2024"].pdf
    heading, table = tables(document)[0]  # 公开01表: an amount column in each half (收入, 支出)
    assert heading is not None
    page = pdf.page_of(shown(document, heading))
    amounts = {c.text for row in table.body for c in row if c.value is not None}
    edges = sorted(w.x1 for w in pdf.words[page] if w.text in amounts)
    assert len(edges) > 20
    # Right-aligned amounts of different widths end at the same x: two columns, two right edges.
    groups = [[edges[0]]]
    for x in edges[1:]:
        if x - groups[-1][-1] > 2:
            groups.append([])
        groups[-1].append(x)
    assert len(groups) == 2, groups
    assert all(g[-1] - g[0] < 0.5 for g in groups)
    starts = sorted(w.x0 for w in pdf.words[page] if w.text in amounts)
    assert starts[-1] - starts[0] > 10  # while they start at different places (702.36 and 0.00)


@pytest.mark.parametrize("name", REPORTS)
def test_each_form_with_its_title_and_total_score_row_is_on_one_page(built: dict[str, Built], name: str):
    document, pdf = built[name].document, built[name].pdf
    forms = [(h, t) for h, t in tables(document) if t.form]
    assert forms
    for heading, form in forms:
        assert heading is not None
        page = pdf.page_of(shown(document, heading))
        lines = pdf.lines(page)
        assert flat(form.title) in lines
        total = next(row for row in form.body if any(c.text in ("总分", "自评总分") for c in row))
        # the 总分 label and the cells after it (the score) stand on one line of this page
        k = next(i for i, c in enumerate(total) if c.text in ("总分", "自评总分"))
        wanted = flat("".join(c.text for c in total[k:]))
        assert any(wanted in line for line in lines), f"{form.title}: {wanted}"


def form_table(rows: int) -> Table:
    body = [(label(f"指标{i}"), txt("完成情况说明" * 2), num(f"{i}.00")) for i in range(rows)]
    body.append((label("总分"), txt(""), num("100.00")))
    return Table("ev9", "", "测试自评表", "部门：测试局", "（2024年度）", (20, 40, 20), (), tuple(body), form=True, wide=True)


def cell_size(pdf: Pdf, page: int) -> float:
    return next(w.y1 - w.y0 for w in pdf.words[page] if w.text.startswith("指标"))


@pytest.mark.parametrize(("rows", "pages", "smallest", "largest"), [(20, 1, 9, 9), (32, 1, 7.5, 8.5), (60, 2, 7.5, 7.5)])
def test_a_form_shrinks_its_type_within_the_theme_bounds_before_it_runs_on(
    tmp_path: Path, rows: int, pages: int, smallest: float, largest: float
):
    # By hand: a landscape page holds 210 − 25 − 20 = 165 mm ≈ 468 pt of text; the heading, the
    # form's title and its org line take about 100 pt. A row of one line is its 12 pt line at 9 pt
    # type plus 1.1 pt of padding ≈ 13.1 pt, scaled down with the type: ≈ 11 pt at 7.5 pt
    # (docx.yaml: table_cell 9 pt, line 12; form_min_size 7.5). So 21 rows fit at 9 pt; 33 rows
    # (368 / 13.1 ≈ 28 < 33 ≤ 368 / 11 ≈ 33) fit only at a smaller type; 61 rows fit at none and run on.
    document = Document("测试", (Heading(1, "", "附件", "a"), Island("evaluation", form_table(rows))), {"department": "测试局"})
    pdf = Pdf(write_pdf(document, THEME), tmp_path / "form.pdf")
    assert len(pdf.pages) == pages
    assert smallest - 0.05 <= cell_size(pdf, 0) <= largest + 0.05
    assert "总分" in flat(pdf.pages[-1])


# ---------------------------------------------------------------------------- the file


@pytest.mark.parametrize("name", REPORTS)
def test_fonts_are_embedded_and_are_the_themes_fonts(built: dict[str, Built], name: str):
    pdf = built[name].pdf
    out = subprocess.run(["pdffonts", str(pdf.path)], capture_output=True, check=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        fields = row.split()
        assert fields[-5] == "yes", row  # emb
    embedded = {re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows}
    # On this machine the GB fonts map to Noto CJK (docx.yaml pdf_fonts): 黑体 to the sans, the others to the serif.
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if "仿宋" not in families and "FangSong" not in families:
        assert any(f.startswith("NotoSerifCJK") for f in embedded), embedded
        assert any(f.startswith("NotoSansCJK") for f in embedded), embedded


@pytest.mark.parametrize("name", REPORTS)
def test_the_pdf_is_pdfa_tagged_and_carries_the_reports_metadata(built: dict[str, Built], name: str):
    document, pdf = built[name].document, built[name].pdf
    xmp = pdf.reader.xmp_metadata
    assert xmp is not None
    text = xmp.stream.get_data().decode("utf-8")
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", text)
    assert re.search(r"<pdfaid:conformance>A</pdfaid:conformance>", text)
    root = pdf.reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged
    assert "/StructTreeRoot" in root
    info = pdf.reader.metadata
    assert info is not None
    assert info.title == document.title
    assert info.author == document.meta["department"]
    created = document.created
    assert info.creation_date is not None and info.creation_date.date() == created.date()


def test_the_bundled_reports_compile_without_typst_warnings(built: dict[str, Built]):
    for name in REPORTS:
        document = built[name].document
        _, warnings = compile_source(typst_source(document, THEME), document.created)
        assert warnings == [], name


def test_two_builds_give_the_same_bytes_in_another_process(built: dict[str, Built]):
    name = "linjiang-yibaoju/2024"
    script = (
        "import hashlib, sys; from pathlib import Path; from disclosure.pipeline import Toolkit, build_report; "
        f"b = build_report(Path({str(CONTENT / name)!r}), Toolkit(), ('pdf',)); "
        "sys.stdout.write(hashlib.sha256(b.files['report.pdf']).hexdigest())"
    )
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert other == hashlib.sha256(built[name].pdf.data).hexdigest()
    again = build_report(CONTENT / name, Toolkit(Project(ROOT)), ("pdf",)).files["report.pdf"]
    assert again == built[name].pdf.data


# ---------------------------------------------------------------------------- user text


def test_typst_literals_escape_exactly_what_they_must():
    # Worked out by hand from Typst's string syntax: only backslash and quote are escaped, a newline
    # (of any convention) and a tab become escapes, other control characters are dropped; text
    # without any of them is quoted as it is.
    from disclosure.writers import typst_markup as t

    assert t.string("部门 #exit() *x* $y$") == '"部门 #exit() *x* $y$"'
    assert t.string('a "q" \\ b') == '"a \\"q\\" \\\\ b"'
    assert t.string("x\r\ny\rz\tw\x01\x7f!") == '"x\\ny\\nz\\tw!"'
    assert t.string("") == '""'
    # Ints print as integers, floats with at most four decimals, a piece of code as it is (not quoted).
    assert [t.value(n) for n in (0, 7, -12, 300)] == ["0", "7", "-12", "300"]
    assert t.value(2**60) == t.number(2**60) == "1152921504606846976"
    assert [t.value(True), t.value(None), t.value(1.5), t.value(2.123456)] == ["true", "none", "1.5", "2.1235"]
    assert t.value(t.Code("12pt")) == "12pt"
    assert t.value(["a", 3]) == '("a", 3)' and t.value(["a"]) == '("a",)'
    assert t.call("cell", 1, 2, "1.00", cs=None, kind="n") == 'cell(1, 2, "1.00", kind: "n")'


TRICKS = ["#exit()", "*x*", "_y_", "$x^2$", "<script>", "@ref", "// no comment", 'a "quote" \\ back', "]) #{", "`raw`", "= x"]


def test_user_text_with_typst_syntax_prints_literally(tmp_path: Path):
    department = "#exit() 局"
    cells = (th("项目 *x*"), th("$金额$"))
    table = Table(
        "t1",
        "公开01表",
        "表名 <b>",
        f"部门：{department}",
        "金额单位：万元",
        (1, 1),
        (cells,),
        ((txt("#set page(width: 1cm)"), num("1.00")),),
        note="注：#pagebreak()",
    )
    blocks = (
        Island("cover", Cover(f"{department}2024年度部门决算", department, "2024年度", "二〇二五年九月")),
        Island("toc", Contents("目录", (Heading(1, "第一部分 ", "概况 #x", "s1"),), 2)),
        Heading(1, "第一部分 ", "概况 #x", "s1"),
        *(Paragraph((Run(trick), Run(" 粗体 " + trick, bold=True))) for trick in TRICKS),
        Island("glossary", Glossary((Entry("#term", "解释 $x$"),), "：")),
        Heading(2, "一、", "表", "s2"),
        Island("table", table),
    )
    document = Document(f"{department}2024年度部门决算", blocks, {"department": department, "year": "2024"})
    pdf = Pdf(write_pdf(document, THEME), tmp_path / "tricks.pdf")
    text = flat("".join(pdf.pages))
    for trick in [
        *TRICKS,
        department,
        "项目 *x*",
        "$金额$",
        "#set page(width: 1cm)",
        "注：#pagebreak()",
        "表名 <b>",
        "#term",
        "解释 $x$",
        "概况 #x",
    ]:
        assert flat(trick) in text, trick
    assert pdf.reader.metadata is not None and pdf.reader.metadata.author == department
    assert all(pdf.size(i) == pytest.approx((595.3, 841.9), abs=0.1) for i in range(len(pdf.pages)))


# ---------------------------------------------------------------------------- the theme


def theme_in(folder: Path) -> Theme:
    return Theme(folder.name, (folder, DEFAULT_FOLDER))


def test_a_font_that_is_not_installed_is_a_chinese_error_naming_it(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "docx.yaml").write_text("styles:\n  body: {font: 不存在的字体体, size: 16}\n", encoding="utf-8")
    document = Document("测试", (Paragraph((Run("正文"),)),), {})
    with pytest.raises(ReportError) as caught:
        write_pdf(document, theme_in(folder))
    message = str(caught.value)
    assert "不存在的字体体" in message and "pdf_fonts" in message
    assert "docx.yaml" in message


def test_a_theme_maps_a_font_to_an_installed_one(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "docx.yaml").write_text(
        "styles:\n  body: {font: 我的字体, size: 16}\npdf_fonts:\n  我的字体: [没有这种字体, Noto Sans CJK SC]\n",
        encoding="utf-8",
    )
    document = Document("测试", (Paragraph((Run("正文文字"),)),), {})
    pdf = Pdf(write_pdf(document, theme_in(folder)), tmp_path / "mapped.pdf")
    out = subprocess.run(["pdffonts", str(pdf.path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in out  # only the body can have brought the sans: the page number is in 宋体, a serif


def test_a_broken_pdf_theme_is_an_error_at_its_file(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "pdf.typ").write_text("#let paragraph(kind, body) = {\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        write_pdf(Document("测试", (Paragraph((Run("正文"),)),), {}), theme_in(folder))
    assert "pdf.typ" in str(caught.value) and "PDF 排版失败" in str(caught.value)


def test_cells_keep_their_spans(tmp_path: Path):
    # A two-level header: 支出 spans two columns over 基本 and 项目; 科目 spans both header rows.
    head = ((th("科目", rowspan=2), th("支出", colspan=2)), (th("基本"), th("项目")))
    body = ((txt("合计"), num("3.00"), num("4.00")),)
    table = Table("t9", "公开09表", "测试表", "部门：测试", "金额单位：万元", (2, 1, 1), head, body)
    document = Document("测试", (Heading(1, "", "表", "a"), Island("table", table)), {})
    pdf = Pdf(write_pdf(document, THEME), tmp_path / "spans.pdf")
    words = {w.text: w for w in pdf.words[0]}
    spend, basic, project, subject = words["支出"], words["基本"], words["项目"], words["科目"]

    def middle(w: Word) -> tuple[float, float]:
        return (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2

    # centred cells: 支出 in the middle of the two columns it spans, 科目 in the middle of the two rows
    assert middle(spend)[0] == pytest.approx((middle(basic)[0] + middle(project)[0]) / 2, abs=1)
    assert middle(subject)[1] == pytest.approx((middle(spend)[1] + middle(basic)[1]) / 2, abs=1)
    assert subject.x1 < basic.x0 and middle(spend)[1] < middle(basic)[1] - 5


def _pdf_in_child(folder: str) -> int:
    return len(build_report(Path(folder), Toolkit(Project(ROOT)), ("pdf",)).files["report.pdf"])


def test_a_process_forked_after_typst_ran_gets_an_error_not_a_hang(built: dict[str, Built]):
    # Typst has compiled in this process (the fixture); a forked child would hang in Typst's thread pool.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply_async(_pdf_in_child, (str(CONTENT / "linjiang-nongyeju/2024"),))
        with pytest.raises(RuntimeError, match="forked"):
            result.get(timeout=60)
    with multiprocessing.get_context("spawn").Pool(1) as pool:  # a fresh interpreter is fine
        assert pool.apply(_pdf_in_child, (str(CONTENT / "linjiang-nongyeju/2024"),)) > 100_000


def test_no_row_is_split_across_pages(tmp_path: Path):
    # Rows of about ten lines each: a table of 40 such rows runs over pages; each row's first words
    # (甲N起) and last words (乙N止) must be on the same page.
    body = tuple((txt(f"{n}"), txt(f"甲{n}起" + "说明文字" * 40 + f"乙{n}止")) for n in range(40))
    table = Table("t8", "公开08表", "长表", "部门：测试", "金额单位：万元", (1, 3), ((th("序号"), th("说明")),), body)
    document = Document("测试", (Heading(1, "", "表", "a"), Island("table", table)), {})
    pdf = Pdf(write_pdf(document, THEME), tmp_path / "rows.pdf")
    assert len(pdf.pages) >= 2
    for n in range(40):
        first = [i for i, page in enumerate(pdf.pages) if f"甲{n}起" in flat(page)]
        last = [i for i, page in enumerate(pdf.pages) if f"乙{n}止" in flat(page)]
        assert first == last and len(first) == 1, n


def test_a_table_title_is_never_left_alone_at_the_foot_of_a_page(tmp_path: Path):
    # With tables not forced onto a new page, push the table down line by line: wherever the page
    # ends, the title, the org line, the header row and the first row stand on one page.
    folder = tmp_path / "flow"
    folder.mkdir()
    (folder / "docx.yaml").write_text("table:\n  page_break: false\n", encoding="utf-8")
    head = ((th("项目"), th("金额")),)
    body = tuple((txt(f"行{n}"), num(f"{n}.00")) for n in range(30))
    table = Table("t1", "公开01表", "收支表", "部门：测试", "金额单位：万元", (3, 1), head, body)
    for lines in range(14, 24):  # a portrait page holds about 21 body lines (226 mm / 28 pt)
        blocks = (Heading(1, "", "说明", "a"), *(Paragraph((Run(f"第{i}段。"),)) for i in range(lines)), Island("table", table))
        pdf = Pdf(write_pdf(Document("测试", blocks, {}), theme_in(folder)), tmp_path / f"flow{lines}.pdf")
        page = next(i for i in range(len(pdf.pages)) if "收支表" in flat(pdf.pages[i]))
        text = flat(pdf.pages[page])
        assert "部门：测试" in text and "项目金额" in text and "行0" in text, lines


def test_a_site_build_with_workers_after_this_process_made_a_pdf_does_not_hang(tmp_path: Path):
    # Typst's threads do not survive fork(): a worker forked after the parent made a PDF would hang
    # at its first compile. The builder then starts its workers afresh (forkserver). Run in a child
    # process with a time limit, so a hang fails the test instead of stopping the run.
    script = f"""
import shutil
from pathlib import Path
from disclosure.pipeline import Toolkit, build_report
from disclosure.read.folder import find_reports
from disclosure.site.builder import build_site
content = Path({str(tmp_path / "content")!r})
shutil.copytree({str(CONTENT / "linjiang-yibaoju")!r}, content / "linjiang-yibaoju")
assert build_report(content / "linjiang-yibaoju" / "2024", Toolkit(), ("pdf",)).files["report.pdf"]
result = build_site(content, find_reports(content), Path({str(tmp_path / "out")!r}), formats=("pdf",), jobs=2)
assert result.count("built") == 2 and not result.failed, result.outcomes
print("built", sorted(p.name for p in Path({str(tmp_path / "out")!r}).rglob("report.pdf")))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "built ['report.pdf', 'report.pdf']" in done.stdout
