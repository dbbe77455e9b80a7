"""名词解释: standard terms the document uses, 项 explanations for codes present, department's own."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from disclosure import model as m
from disclosure.document.glossary import Glossary, select
from disclosure.errors import Location, Severity
from disclosure.pipeline import check_report as load_and_check
from disclosure.pipeline import render as assemble
from disclosure.read.folder import read_report
from disclosure.read.glossary import standard_glossary
from disclosure.resources import PACKAGE

from conftest import CONTENT

STANDARD = PACKAGE / "templates" / "_shared" / "glossary.yaml"


def standard(path: Path) -> tuple:
    found = standard_glossary(path)
    return found.terms, found.items


def glossary_of(folder: Path) -> Glossary:
    document = assemble(read_report(folder)).document
    found = list(document.islands("glossary"))
    assert len(found) == 1
    return found[0]


def test_item_explanations_only_for_codes_in_the_tables():
    terms = [e.term for e in glossary_of(CONTENT / "linjiang-yibaoju" / "2024").entries]
    _, items = standard(STANDARD)
    assert "城乡医疗救助" in terms and "行政运行" in terms  # 2101301, 2101501 are in the tables
    assert "事业运行" not in terms and "机构运行" not in terms  # known items whose codes are absent
    standard_terms = {name for name, _ in standard(STANDARD)[0]}
    kinds = ["standard" if t in standard_terms else "item" for t in terms]
    assert kinds == sorted(kinds, key=["standard", "item"].index)  # standard terms first, then the items
    assert len(terms) == len(set(terms))


def test_standard_terms_are_kept_only_when_the_document_uses_them():
    report = read_report(CONTENT / "linjiang-yibaoju" / "2024")
    text = "本年收入合计中的财政拨款收入"
    chosen = [e.term for e in select(report, text, [], standard_glossary(STANDARD), "：").entries]
    assert chosen == ["财政拨款收入"]


def test_department_terms_override_in_place_and_additions_come_last():
    entries = glossary_of(CONTENT / "linjiang-jiancezhongxin" / "2024").entries
    terms = [e.term for e in entries]
    standard_terms = [name for name, _ in standard(STANDARD)[0]]
    assert terms.index("事业收入") == [t for t in standard_terms if t in terms].index("事业收入")
    assert entries[terms.index("事业收入")].text.startswith("指本中心开展委托检验检测")
    assert terms[-1] == "计量器具强制检定"


def test_glossary_is_numbered_in_markdown_and_a_list_in_html(tmp_path: Path):
    from disclosure.site.builder import Builder

    Builder(tmp_path, ("html", "md")).build(CONTENT / "linjiang-jiancezhongxin" / "2024")
    md = (tmp_path / "linjiang-jiancezhongxin" / "2024" / "report.md").read_text(encoding="utf-8")
    assert "1\\. **财政拨款收入**：指本级财政当年拨付的资金" in md
    html = (tmp_path / "linjiang-jiancezhongxin" / "2024" / "report.html").read_text(encoding="utf-8")
    assert '<ol class="glossary">' in html and "<li><dfn>计量器具强制检定</dfn>：" in html


def test_a_copied_definition_is_reported(tmp_path: Path):
    folder = tmp_path / "jc" / "2024"
    shutil.copytree(CONTENT / "linjiang-jiancezhongxin" / "2024", folder)
    _, items = standard(STANDARD)
    copied = items["行政单位医疗"]
    (folder / "glossary.yaml").write_text(
        f"- 名词: 甲\n  解释: 指某项支出。\n- 名词: 乙\n  解释: 指某项支出。\n- 名词: 事业单位医疗\n  解释: {copied}\n",
        encoding="utf-8",
    )
    found = [f for f in load_and_check(folder).findings if f.rule == "GLOSSARY"]
    assert [(f.location.line, f.severity) for f in found] == [(4, Severity.WARNING), (6, Severity.WARNING)]
    assert "“乙”的解释与“甲”（第 1 行）完全相同" in found[0].message
    assert "“事业单位医疗”的解释与标准名词“行政单位医疗”的解释完全相同" in found[1].message


def test_an_override_with_the_standard_text_is_not_a_copy():
    report = read_report(CONTENT / "linjiang-jiancezhongxin" / "2024")
    text = dict(standard(STANDARD)[0])["事业收入"]
    term = m.Term(loc=Location("glossary.yaml", 1), name="事业收入", text=text)
    from disclosure.check.texts import glossary_rules

    assert list(glossary_rules(replace(report, glossary=(term,)), standard_glossary(STANDARD))) == []
