"""Markdown → Document: generated heading numbers, unnumbered headings, islands, the contents."""

from __future__ import annotations

import datetime as dt

from disclosure import model as m
from disclosure.compose import Composer, island, md_escape
from disclosure.document import heading_numbers
from disclosure.document.blocks import Contents, Heading, Island, Paragraph
from disclosure.document.parse import build as parse
from disclosure.errors import Location

MANIFEST = m.Manifest(loc=Location("report.yaml"), department="测试局", year=2024, publication_date=dt.date(2025, 8, 1))
NUMBERING = heading_numbers(Composer().words(MANIFEST))  # the shipped labels of the 财政部 profile


def heading_number(level: int, count: int) -> str:
    return NUMBERING(level, count)


def build(markdown, resolve, title):
    return parse(markdown, resolve, title, NUMBERING)


def resolve(kind, lines):
    return Contents() if kind == "toc" else (kind, tuple(lines))


def test_heading_numbers_follow_the_official_sequence():
    assert [heading_number(1, 3), heading_number(2, 11), heading_number(3, 2), heading_number(4, 5), heading_number(5, 1)] == [
        "第三部分 ",
        "十一、",
        "（二）",
        "5.",
        "（1）",
    ]


def test_numbers_restart_under_each_parent_and_anchors_are_stable():
    doc = build("# 甲\n\n## 一\n\n## 二\n\n### 子\n\n# 乙\n\n## 三\n", resolve, "t")
    titles = [(h.title, h.anchor) for h in doc.headings]
    assert titles == [
        ("第一部分 甲", "sec-1"),
        ("一、一", "sec-1-1"),
        ("二、二", "sec-1-2"),
        ("（一）子", "sec-1-2-1"),
        ("第二部分 乙", "sec-2"),
        ("一、三", "sec-2-1"),
    ]


def test_a_template_can_leave_a_heading_unnumbered_but_user_text_cannot():
    user = md_escape("补充说明 {-}")
    doc = build(f"## 说明 {{-}}\n\n## {user}\n", resolve, "t")
    assert [(h.number, h.text) for h in doc.headings] == [("", "说明"), ("一、", "补充说明 {-}")]


def test_islands_become_objects_and_the_contents_lists_the_headings():
    markdown = f"{island('toc')}\n# 概况\n\n## 职责\n\n### 细目\n\n{island('table', '01')}\n正文**重点**。\n"
    doc = build(markdown, resolve, "t")
    contents = next(doc.islands("toc"))
    assert [h.title for h in contents.headings] == ["第一部分 概况", "一、职责"]  # depth 2
    assert any(isinstance(b, Island) and b.value == ("table", ("01",)) for b in doc.blocks)
    paragraph = [b for b in doc.blocks if isinstance(b, Paragraph)][-1]
    assert paragraph.text == "正文重点。" and [r.bold for r in paragraph.runs] == [False, True, False]


def test_raw_html_in_markdown_is_text():
    doc = build("<b>不是标签</b> 与 <script>x</script>\n", resolve, "t")
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["<b>不是标签</b> 与 <script>x</script>"]
    assert not any(isinstance(b, Heading) for b in doc.blocks)
