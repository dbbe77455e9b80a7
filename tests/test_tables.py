"""The table model: grid placement, header links, and the accessible HTML drawn from it.

Every table of the example report (the nine public tables and the self-evaluation forms, in
both form layouts) is checked for a complete grid, and its HTML for header ids that resolve.
`place` and `header_links` are also tested on small tables whose answers are written by hand.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache
from html.parser import HTMLParser

import pytest

from disclosure.document.table import Cell, Table, cell_id, code, header_links, label, num, place, th, txt
from disclosure.pipeline import render as assemble
from disclosure.read.folder import read_report
from disclosure.resources import Project
from disclosure.writers.html import table_html, write_html
from disclosure.writers.markdown import write_markdown

from conftest import CONTENT

EXAMPLE = CONTENT / "linjiang-yibaoju" / "2024"
LAYOUTS = ("财政部", "重庆")


@cache
def assembled(layout: str):
    report = read_report(EXAMPLE, with_prior=False)
    report = replace(report, manifest=replace(report.manifest, table_layout=layout))
    return assemble(report)


def example_tables() -> list[tuple[str, Table]]:
    found = []
    for layout in LAYOUTS:
        document = assembled(layout).document
        drawn = [*document.islands("table"), *document.islands("evaluation")]
        found += [(layout, t) for t in drawn if layout == LAYOUTS[0] or t.form]
    return found


TABLES = example_tables()
IDS = [f"{layout}-{t.key}" for layout, t in TABLES]


def test_the_example_has_nine_public_tables_and_forms_in_both_layouts() -> None:
    keys = [(layout, t.key) for layout, t in TABLES]
    assert keys[:9] == [("财政部", f"t0{n}") for n in range(1, 10)]
    forms = [k for k in keys if k[1].startswith("ev")]
    count = len(assembled(LAYOUTS[0]).report.evaluations)
    assert count >= 2
    assert forms == [(layout, f"ev{i}") for layout in LAYOUTS for i in range(1, count + 1)]


# ---------------------------------------------------------------------------- the grid of every table


def coverage(table: Table) -> dict[tuple[int, int], Cell]:
    """Every grid position a cell covers; fails on two cells covering the same position."""
    covered: dict[tuple[int, int], Cell] = {}
    for line in table.grid:
        for placed in line:
            for dr in range(placed.cell.rowspan):
                for dc in range(placed.cell.colspan):
                    position = (placed.row + dr, placed.col + dc)
                    assert position not in covered, f"{table.key}: two cells cover {position}"
                    covered[position] = placed.cell
    return covered


@pytest.mark.parametrize(("layout", "table"), TABLES, ids=IDS)
def test_every_row_fills_the_grid_exactly(layout: str, table: Table) -> None:
    covered = coverage(table)
    rows = len(table.rows)
    assert table.columns == len(table.widths) > 0
    for r in range(rows):
        filled = sorted(c for (row, c) in covered if row == r)
        assert filled == list(range(table.columns)), f"{table.key} row {r}: {filled}"
    assert all(row < rows for row, _ in covered), f"{table.key}: a row span runs past the table"
    for line in table.grid:
        for placed in line:
            assert placed.row + placed.cell.rowspan <= rows


@pytest.mark.parametrize(("layout", "table"), TABLES, ids=IDS)
def test_every_data_cell_is_linked_to_existing_headers(layout: str, table: Table) -> None:
    links = header_links(table)
    headers = {cell_id(table, p) for line in table.grid for p in line if p.cell.header}
    data = {(p.row, p.col) for line in table.grid for p in line if not p.cell.header}
    assert set(links) == data
    for position, ids in links.items():
        assert set(ids) <= headers, (table.key, position, ids)
        assert len(ids) == len(set(ids))
    # A table of figures: every number names a column header, and a row header unless the table
    # is the one-row table 07 (its only row has no name).
    head = len(table.head)
    for line in table.grid[head:]:
        for p in line:
            if p.cell.kind == "number" and p.cell.text and not table.form and table.key != "t07":
                rows = [header_row(table, i) for i in links[(p.row, p.col)]]
                assert any(r < head for r in rows), (table.key, p)
                assert any(r >= head for r in rows), (table.key, p)


def header_row(table: Table, ident: str) -> int:
    """The grid row of a header cell from its id “t01-r3c0”."""
    row, _, _ = ident.removeprefix(f"{table.key}-r").partition("c")
    return int(row)


# ---------------------------------------------------------------------------- the HTML of every table


class TableParser(HTMLParser):
    """Collect, per <table>, its th cells (id, scope, section) and td cells (headers), and all ids."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.section = ""
        self.ids: list[str] = []
        self.current: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])  # type: ignore[arg-type]
        if tag == "table":
            self.current = {"th": [], "td": []}
            self.tables.append(self.current)
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "th" and self.current is not None:
            self.current["th"].append((a.get("id"), a.get("scope"), self.section))
        elif tag == "td" and self.current is not None:
            self.current["td"].append(a.get("headers"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("thead", "tbody"):
            self.section = ""
        elif tag == "table":
            self.current = None


def parse(html: str) -> TableParser:
    parser = TableParser()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize(("layout", "table"), TABLES, ids=IDS)
def test_html_headers_resolve_and_scopes_match_the_section(layout: str, table: Table) -> None:
    parsed = parse(table_html(table))
    assert len(parsed.tables) == 1
    drawn = parsed.tables[0]
    th_ids = {ident for ident, _, _ in drawn["th"]}
    assert None not in th_ids
    linked = [h for h in drawn["td"] if h]
    assert linked, "no data cell names its headers"
    for headers in linked:
        assert set(headers.split()) <= th_ids, headers
    heads_columns = {
        cell_id(table, p)
        for line in table.grid
        for p in line
        if p.cell.header and (p.row < len(table.head) or p.cell.scope == "col")
    }
    for ident, scope, section in drawn["th"]:
        if section == "thead":
            assert scope in ("col", "colgroup"), ident
        elif ident in heads_columns:  # a form's column headings sit in its body
            assert section == "tbody" and scope in ("col", "colgroup"), ident
        else:
            assert section == "tbody" and scope in ("row", "rowgroup"), ident
    if table.form:
        assert heads_columns, "a form names its columns"
    # Every header cell with text is a th of the head; a blank one (the 行次 cell under 栏次, a
    # form's corner) is a td, named by no data cell, since an empty th would announce nothing.
    assert sum(1 for _, _, s in drawn["th"] if s == "thead") == sum(1 for row in table.head for c in row if c.header and c.text)
    blank = {cell_id(table, p) for line in table.grid for p in line if p.cell.header and not p.cell.text}
    assert not blank & th_ids and not blank & {h for headers in linked for h in headers.split()}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_whole_page_has_unique_ids_and_every_headers_id_is_in_its_own_table(layout: str) -> None:
    parsed = parse(write_html(assembled(layout).document, Project().theme("default")).decode())
    assert len(parsed.ids) == len(set(parsed.ids))
    assert len(parsed.tables) == 9 + len(assembled(layout).report.evaluations)
    for drawn in parsed.tables:
        th_ids = {ident for ident, _, _ in drawn["th"]}
        for headers in filter(None, drawn["td"]):
            assert set(headers.split()) <= th_ids


# ---------------------------------------------------------------------------- particular tables


def public(number: str) -> Table:
    return next(t for t in assembled("财政部").document.islands("table") if t.key == f"t{number}")


def test_table_01_line_numbers_run_from_one_without_gaps() -> None:
    table = public("01")
    line_columns = [i for i, cell in enumerate(table.head[1]) if cell.text == "行次"]
    assert line_columns == [1, 4]
    numbers = [int(p.cell.text) for line in table.grid[len(table.head) :] for p in line if p.col in line_columns and p.cell.text]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert len(numbers) > 30
    # Left half numbered down first, then the right half continues.
    left = [int(p.cell.text) for line in table.grid[len(table.head) :] for p in line if p.col == 1 and p.cell.text]
    assert left == list(range(1, len(left) + 1))


def test_table_07_has_twelve_numbered_columns() -> None:
    table = public("07")
    assert table.columns == 12
    assert [c.text for c in table.head[-1]] == [str(i) for i in range(1, 13)]
    assert [c.text for c in table.head[0]] == ["预算数", "决算数"]
    assert [c.colspan for c in table.head[0]] == [6, 6]
    assert len(table.body) == 1 and len(table.body[0]) == 12


def test_the_empty_table_09_carries_its_note_in_every_format() -> None:
    table = public("09")
    assert table.empty_note == "本部门2024年度无国有资本经营预算财政拨款支出，故本表为空表。"
    assert len(table.body) == 1 and table.body[0][0].colspan == table.columns
    assert f'<p class="empty-note">{table.empty_note}</p>' in table_html(table)
    assert table.empty_note in write_markdown(assembled("财政部").document).decode()
    others = [public(n) for n in ("01", "02", "03", "04", "05", "06", "07", "08")]
    assert [t.empty_note for t in others] == [""] * 8


def test_table_01_right_half_rows_do_not_name_the_left_half_row_headers() -> None:
    table = public("01")
    links = header_links(table)
    row = len(table.head)  # 一、一般公共预算财政拨款收入 | 1 | … | 一、一般公共服务支出 | 31 | …
    left_label, right_label = f"t01-r{row}c0", f"t01-r{row}c3"
    assert links[(row, 2)] == ("t01-r2c2", "t01-r1c2", "t01-r0c0", left_label)
    assert links[(row, 5)] == ("t01-r2c5", "t01-r1c5", "t01-r0c3", right_label)


# ---------------------------------------------------------------------------- place and header_links by hand


def two_level() -> Table:
    """A 2-level header: 项目 over 编码/名称, 年初 spanning both header rows, 本年支出 over 基本/项目."""
    head = (
        (th("项目", colspan=2), th("年初", rowspan=2), th("本年支出", colspan=2)),
        (th("编码"), th("名称"), th("基本"), th("项目")),
    )
    body = (
        (code("208"), label("社会保障和就业支出"), num("1.00"), num("2.00"), num("3.00")),
        (label("合计", colspan=2), num("1.00"), num("2.00"), num("3.00")),
    )
    return Table("k", "", "", "", "", (1, 1, 1, 1, 1), head, body)


def positions(table: Table) -> list[list[tuple[str, int, int]]]:
    return [[(p.cell.text, p.row, p.col) for p in line] for line in table.grid]


def test_place_skips_positions_covered_by_row_spans() -> None:
    assert positions(two_level()) == [
        [("项目", 0, 0), ("年初", 0, 2), ("本年支出", 0, 3)],
        [("编码", 1, 0), ("名称", 1, 1), ("基本", 1, 3), ("项目", 1, 4)],
        [("208", 2, 0), ("社会保障和就业支出", 2, 1), ("1.00", 2, 2), ("2.00", 2, 3), ("3.00", 2, 4)],
        [("合计", 3, 0), ("1.00", 3, 2), ("2.00", 3, 3), ("3.00", 3, 4)],
    ]


def test_place_rejects_a_row_wider_than_the_table() -> None:
    with pytest.raises(ValueError, match="row 1 has 4 columns, table has 3"):
        place([[th("a", rowspan=2), th("b", colspan=2)], [th("c"), th("d"), th("e")]], 3)


def test_place_follows_html_rules_for_a_span_in_the_middle() -> None:
    rows = [[th("a"), th("b", rowspan=3), th("c")], [txt("d"), txt("e")], [txt("f", colspan=1), txt("g")]]
    assert [[(p.cell.text, p.row, p.col) for p in line] for line in place(rows, 3)] == [
        [("a", 0, 0), ("b", 0, 1), ("c", 0, 2)],
        [("d", 1, 0), ("e", 1, 2)],
        [("f", 2, 0), ("g", 2, 2)],
    ]


def test_header_links_of_a_two_level_header() -> None:
    assert header_links(two_level()) == {
        # the code is named by its column headers and by the name beside it
        (2, 0): ("k-r1c0", "k-r0c0", "k-r2c1"),
        (2, 2): ("k-r0c2", "k-r2c1"),
        (2, 3): ("k-r1c3", "k-r0c3", "k-r2c1"),
        (2, 4): ("k-r1c4", "k-r0c3", "k-r2c1"),
        # 合计 is a row header: it names its row and is never a column header of anything
        (3, 2): ("k-r0c2", "k-r3c0"),
        (3, 3): ("k-r1c3", "k-r0c3", "k-r3c0"),
        (3, 4): ("k-r1c4", "k-r0c3", "k-r3c0"),
    }


def form() -> Table:
    """A form: row headers on the left, a heading row inside the body, a spanning group header."""
    body = (
        (label("项目名称"), txt("医疗救助", colspan=3)),
        (th("资金", rowspan=3, scope="row"), th(""), th("预算数"), th("执行数")),
        (label("合计"), num("10"), num("9")),
        (label("其中：财政"), num("8"), num("7")),
        (label("总分", colspan=2), num("100"), txt("优")),
    )
    return Table("f", "", "", "", "", (1, 1, 1, 1), (), body, form=True)


def test_place_of_a_form() -> None:
    assert positions(form()) == [
        [("项目名称", 0, 0), ("医疗救助", 0, 1)],
        [("资金", 1, 0), ("", 1, 1), ("预算数", 1, 2), ("执行数", 1, 3)],
        [("合计", 2, 1), ("10", 2, 2), ("9", 2, 3)],
        [("其中：财政", 3, 1), ("8", 3, 2), ("7", 3, 3)],
        [("总分", 4, 0), ("100", 4, 2), ("优", 4, 3)],
    ]


def test_header_links_of_a_form_with_row_headers_on_the_left() -> None:
    assert header_links(form()) == {
        (0, 1): ("f-r0c0",),
        # every figure names its column, its row and the group header spanning the rows
        (2, 2): ("f-r1c2", "f-r2c1", "f-r1c0"),
        (2, 3): ("f-r1c3", "f-r2c1", "f-r1c0"),
        (3, 2): ("f-r1c2", "f-r3c1", "f-r1c0"),
        (3, 3): ("f-r1c3", "f-r3c1", "f-r1c0"),
        # a row header (合计, 其中) above a figure is not one of its column headers
        (4, 2): ("f-r1c2", "f-r4c0"),
        (4, 3): ("f-r1c3", "f-r4c0"),
    }


def test_header_links_in_html_of_a_form() -> None:
    html = table_html(form())
    assert '<td headers="f-r1c3 f-r3c1 f-r1c0" class="align-right number">7</td>' in html
    assert '<th id="f-r1c0" scope="rowgroup" rowspan="3" class="align-center">资金</th>' in html
    assert '<th id="f-r1c2" scope="col" class="align-center">预算数</th>' in html  # a column heading in the body
    assert "<thead>" not in html


def test_a_tables_title_is_printed_once_whether_or_not_a_heading_names_it() -> None:
    table = public("02")
    alone = table_html(table)  # no heading above: the title is shown above the scroll box
    assert '<div class="table-title" aria-hidden="true">收入决算表</div>' in alone
    assert 'aria-labelledby="t02-caption"' in alone
    named = table_html(table, "sec-2-2")  # “二、收入决算表” just above: not shown again, the box takes its name
    assert 'class="table-title"' not in named and 'aria-labelledby="sec-2-2"' in named
    for html in (alone, named):  # the caption names the table for screen readers, not shown
        assert '<caption id="t02-caption" class="visually-hidden">收入决算表</caption>' in html
        assert html.index('<div class="table-head">') < html.index('<div class="table-scroll"')


# ---------------------------------------------------------------------------- one precision per form column


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def _example_forms() -> list[tuple[str, Table]]:
    found = []
    for folder in sorted(p for p in CONTENT.glob("*/*") if (p / "report.yaml").is_file()):
        document = assemble(read_report(folder)).document
        found += [(f"{folder.parent.name}-{folder.name}-{t.key}", t) for t in document.islands("evaluation")]
    return found


def test_every_score_column_of_every_form_has_one_precision() -> None:
    # In a form, each grid column's plain numbers (分值, 得分, 得分系数: percentages and amounts
    # aside) print with one number of decimals: 10.00, 9.90, 14.26 and never 10, 9.9, 14.26.
    mixed_in_source = 0
    forms = _example_forms()
    assert len(forms) >= 10
    for name, table in forms:
        # A column is a grid column under one header: the Chongqing form heads its fourth column
        # 执行率（%） above and 得分系数（%） below.
        columns: dict[tuple[int, str], list[str]] = {}
        heading: dict[int, str] = {}
        for line in table.grid:
            for placed in line:
                text = placed.cell.text
                if placed.cell.header:
                    heading.update({placed.col + i: text for i in range(placed.cell.colspan)})
                elif placed.cell.kind == "number" and placed.cell.value is None and text.replace(".", "").isdigit():
                    columns.setdefault((placed.col, heading.get(placed.col, "")), []).append(text)
        for col, texts in columns.items():
            assert len({_decimals(t) for t in texts}) == 1, f"{name} column {col}: {texts}"
            if len({_decimals(str(Decimal(t).normalize())) for t in texts}) > 1:
                mixed_in_source += 1
    # The examples do hold columns whose scores need different decimals (10 beside 9.9 or 94.3).
    assert mixed_in_source >= 3
