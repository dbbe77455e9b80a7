"""Text typed in the YAML prints literally: escaped in report.md and report.html, never evaluated.

A copy of the example report gets Markdown, HTML and Jinja syntax in a department name, reasons,
names of projects, indicators and 科目, a section title, a glossary term and line-start syntax in
a multi-paragraph text. The outputs are read back — report.html by html.parser, report.md through
a CommonMark renderer — and every such text must come out exactly as typed, in paragraphs,
headings and table cells, with no element created from it.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from disclosure.compose import md_escape
from disclosure.document.table import Table, th, txt
from disclosure.pipeline import render as assemble
from disclosure.read.folder import read_report
from disclosure.resources import Project
from disclosure.writers.html import write_html
from disclosure.writers.markdown import table_markdown, write_markdown

from conftest import CONTENT

NASTY = (
    "<script>alert(1)</script> **粗体** [链接](http://x) # 标题 1. 列表 | 管道 | &amp; &#60; a\\b\\\\c "
    "{{ 模板 }} {{ 12345*1111 }} {% if true %}真{% endif %} `代码` _斜体_ ~~删除~~ <img src=x onerror=alert(1)>"
)
# The same markup and template syntax within the 100 characters a 部门名称 may have.
NASTY_NAME = "<script>alert(1)</script>**粗体**{{ 12345*1111 }}{% if 1 %}真{% endif %}<img src=x onerror=alert(1)>"
# Each field gets its own prefix, so every one is found on its own.
DEPARTMENT = "部门" + NASTY_NAME
REASON = "原因" + NASTY
PROJECT = "项目" + NASTY
INDICATOR = "指标" + NASTY
CLASS_NAME = "科目" + NASTY
TITLE = "标题" + NASTY
PROBLEM = "问题" + NASTY
VEHICLE = "车型" + NASTY
TERM, EXPLANATION = "名词" + NASTY, "解释" + NASTY
# Lines that would start a Markdown block if they were not escaped.
LINES = [
    "# 标题",
    "1. 列表",
    "2) 列表",
    "- 列表",
    "+ 加号",
    "* 星号",
    "> 引用",
    "===",
    "---",
    "| 管道 | 表 |",
    "<script>alert(2)</script>",
    "```",
    "~~~",
    "[链接]: http://x",
    "<!-- 注释 -->",
    "***",
]
PARAGRAPHS = "\n\n".join(LINES)
FORBIDDEN = {"script", "img", "a", "em", "code", "pre", "blockquote", "hr", "ol", "del", "s", "iframe"}


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example report with hostile text in many fields, written as YAML."""
    target = tmp_path_factory.mktemp("content") / "hostile" / "2024"
    shutil.copytree(CONTENT / "linjiang-yibaoju" / "2024", target)
    edit(target / "report.yaml", "部门名称: 青川市临江区医疗保障局", f"部门名称: {quoted(DEPARTMENT)}")
    overview = target / "overview.yaml"
    text = overview.read_text(encoding="utf-8")
    text, count = re.subn(r"主要职能: \|\n(?:  .*\n|\n)*?(?=机构设置:)", lambda _: f"主要职能: {quoted(PARAGRAPHS)}\n", text)
    assert count == 1
    overview.write_text(text, encoding="utf-8")
    notes = target / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    text, count = re.subn(
        r"^收支总计:\n  原因: .*\n",
        lambda _: f"收支总计:\n  上年数: 664.01\n  原因: {quoted(REASON)}\n",
        text,
        flags=re.MULTILINE,
    )
    assert count == 1
    notes.write_text(text, encoding="utf-8")
    edit(notes, "  - 标题: 年末结转和结余情况", f"  - 标题: {quoted(TITLE)}")
    edit(notes, "    一般公务用车: 1", f"    {quoted(VEHICLE)}: 1")
    tables = target / "tables.yaml"
    edit(
        tables,
        '- {编码: "2101301", 本年收入合计: 310.00',
        f'- {{编码: "2101301", 名称: {quoted(CLASS_NAME)}, 本年收入合计: 310.00',
    )
    evaluation = target / "evaluations" / "01-jumin-yibao-buzhu.yaml"
    edit(evaluation, "名称: 城乡居民医保区级财政补助资金\n", f"名称: {quoted(PROJECT)}\n")
    edit(evaluation, "{名称: 享受财政补助的参保人数,", f"{{名称: {quoted(INDICATOR)},")
    text = evaluation.read_text(encoding="utf-8")
    text, count = re.subn(r"问题及原因: .*\n", lambda _: f"问题及原因: {quoted(PROBLEM)}\n", text)
    assert count == 1
    evaluation.write_text(text, encoding="utf-8")
    (target / "glossary.yaml").write_text(f"- {{名词: {quoted(TERM)}, 解释: {quoted(EXPLANATION)}}}\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def outputs(folder: Path) -> tuple[str, str, str]:
    """The composed Markdown, report.md and report.html of the hostile copy."""
    report = read_report(folder, with_prior=False)
    assert report.manifest.department == DEPARTMENT  # the YAML held the text exactly
    done = assemble(report)
    return done.markdown, write_markdown(done.document).decode(), write_html(done.document, Project().theme("default")).decode()


class Text(HTMLParser):
    """Collect the visible text by kind of element (heading, cell, paragraph) and every tag seen."""

    KINDS = {
        "h1": "heading",
        "h2": "heading",
        "h3": "heading",
        "h4": "heading",
        "h5": "heading",
        "h6": "heading",
        "title": "heading",
        "td": "cell",
        "th": "cell",
        "p": "paragraph",
        "li": "paragraph",
        "caption": "caption",
        "span": "furniture",  # a table's 编制单位 and 金额单位 line, above its scroll box
    }

    def __init__(self) -> None:
        super().__init__()  # convert_charrefs: “&amp;amp;” in the page is the text “&amp;”
        self.tags: list[str] = []
        self.links: list[str] = []
        self.open: list[str] = []
        self.texts: dict[str, list[str]] = {kind: [] for kind in set(self.KINDS.values())}

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag in self.KINDS:
            self.open.append(tag)
            self.texts[self.KINDS[tag]].append("")

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for tag in {*self.open}:
            kind = self.KINDS[tag]
            self.texts[kind][-1] += data


def read_html(html: str) -> Text:
    parser = Text()
    parser.feed(html)
    parser.close()
    return parser


def rendered(markdown: str) -> str:
    """report.md as a CommonMark reader with pipe tables and strikethrough shows it."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


# (text, where it must appear: heading / cell / paragraph / caption)
EXPECTED = [
    (DEPARTMENT, {"heading", "cell", "furniture"}),
    (REASON, {"paragraph"}),
    (PROJECT, {"heading", "cell", "paragraph"}),
    (INDICATOR, {"cell"}),
    (CLASS_NAME, {"cell", "paragraph"}),
    (TITLE, {"heading"}),
    (PROBLEM, {"paragraph"}),
    (VEHICLE, {"paragraph"}),
    (TERM, {"paragraph"}),
    (EXPLANATION, {"paragraph"}),
]


def occurs(parser: Text, text: str, kind: str) -> bool:
    return any(text in found for found in parser.texts[kind])


def test_html_has_no_element_made_from_content(outputs) -> None:
    _, _, html = outputs
    parser = read_html(html)
    assert "<script" not in html and "<img" not in html
    # The page's own links (skip link, contents, the department page and the index) and lists
    # (contents, glossary) are the only a/ol.
    assert not (FORBIDDEN - {"a", "ol"}) & set(parser.tags)
    assert parser.links and all(href.startswith("#") or href in ("../index.html", "../../index.html") for href in parser.links)
    assert "http://x" not in parser.links


@pytest.mark.parametrize(("text", "kinds"), EXPECTED, ids=[t[:4] for t, _ in EXPECTED])
def test_html_shows_the_text_literally(outputs, text: str, kinds: set[str]) -> None:
    parser = read_html(outputs[2])
    for kind in kinds:
        assert occurs(parser, text, kind), kind


def test_html_line_start_syntax_stays_text(outputs) -> None:
    parser = read_html(outputs[2])
    for line in LINES:
        assert line in parser.texts["paragraph"], line


def test_markdown_is_escaped_not_raw(outputs) -> None:
    _, md, _ = outputs
    assert "<script>" not in md and "**粗体**" not in md and "[链接](" not in md
    assert "\\<script\\>" in md
    # Tables, headings and paragraphs all carry the text; only escapes were added to it.
    unescaped = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)
    assert unescaped.count(DEPARTMENT) >= 10


def test_markdown_renders_to_the_text_as_typed(outputs) -> None:
    _, md, _ = outputs
    html = rendered(md)
    parser = read_html(html)
    assert not FORBIDDEN & set(parser.tags), FORBIDDEN & set(parser.tags)
    everywhere = {
        DEPARTMENT: {"paragraph", "cell"},  # the cover line, the tables' 部门 line, the forms' 主管部门
        REASON: {"paragraph"},
        PROJECT: {"heading", "cell", "paragraph"},
        INDICATOR: {"cell"},
        CLASS_NAME: {"cell", "paragraph"},
        TITLE: {"heading"},
        PROBLEM: {"paragraph"},
        VEHICLE: {"paragraph"},
        TERM: {"paragraph"},
        EXPLANATION: {"paragraph"},
    }
    for text, kinds in everywhere.items():
        for kind in kinds:
            assert occurs(parser, text, kind), (text[:4], kind)
    for line in LINES:
        assert line in parser.texts["paragraph"], line


def test_jinja_syntax_in_content_is_never_evaluated(outputs) -> None:
    composed, md, html = outputs
    assert md_escape("{{ 12345*1111 }} {% if true %}真{% endif %}") in composed  # the template printed it as data
    assert "{{ 12345\\*1111 }} {% if true %}真{% endif %}" in md
    assert "{{ 12345*1111 }} {% if true %}真{% endif %}" in html
    for output in (composed, md, html):
        assert str(12345 * 1111) not in output


def test_the_evaluated_numbers_still_print(outputs) -> None:
    # The hostile reason is given with a prior figure: the change sentence is there, reason last.
    parser = read_html(outputs[2])
    # 791.35 is the example's 总计; the fixture sets last year's to 664.01: +127.34, 127.34 / 664.01 = 19.18%.
    totals = [p for p in parser.texts["paragraph"] if p.startswith("2024年度收、支总计各")]
    assert totals == [
        f"2024年度收、支总计各791.35万元。与2023年度相比，收、支总计各增加127.34万元，增长19.18%。主要变动原因是{REASON}。"
    ]


# ---------------------------------------------------------------------------- the escaping functions


class Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(html: str) -> tuple[str, list[str]]:
    parser = Visible()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts), parser.tags


PIECES = st.sampled_from(
    [
        *"\\`*_[]<>#|~!&-+=.)(:{}%\"' 0123456789a医\t",
        "&amp;",
        "&#60;",
        "http://x",
        "1.",
        "***",
        "---",
        "```",
        "~~~",
        "<!--",
        "-->",
        "{{",
        "}}",
        "<b>",
    ]
)
ONE_LINE = st.lists(PIECES, min_size=1, max_size=20).map("".join).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(ONE_LINE)
def test_md_escape_renders_back_to_the_text(text: str) -> None:
    shown, tags = visible(rendered(md_escape(text)))
    assert shown.strip("\n") == text
    assert tags == ["p"]


@settings(max_examples=300, deadline=None)
@given(ONE_LINE)
def test_table_cells_render_back_to_the_text(text: str) -> None:
    table = Table("k", "", "表", "部门：甲", "金额单位：万元", (1, 1), ((th("项目"), th("说明")),), ((txt("甲"), txt(text)),))
    html = rendered(table_markdown(table))
    cells = re.findall(r"<td>(.*?)</td>", html, re.S)
    assert len(cells) == 2, html
    shown, tags = visible(cells[1])
    assert shown == text
    assert tags == []
