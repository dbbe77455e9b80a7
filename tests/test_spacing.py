"""One rule for the space between Chinese text and a number: none, in every text the templates write.

Government documents write “编制20人”, “3个股室”, “2024年度”: no space between a Chinese character
and an Arabic numeral. The templates follow that rule in everything they generate; what a user
typed (“基金监管股 3 个股室”) is printed as typed, so a spaced pair is a fault only when no source
text of the report holds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from disclosure.document import Contents, Cover, Document, Glossary, Heading, Island, Paragraph, Table
from disclosure.pipeline import Toolkit, render
from disclosure.read.folder import find_reports, read_report
from disclosure.resources import PACKAGE, Project
from disclosure.site.builder import build_site

from conftest import CONTENT

HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"
SPACE = "[ \u00a0\u3000]+"
SPACED = re.compile(rf"{HAN}{SPACE}[0-9]|[0-9]{SPACE}{HAN}")
REPORTS = find_reports(CONTENT)


def user_texts(folder: Path) -> list[str]:
    """Every string a user typed in a report's YAML files and last year's (keys too: some are printed)."""
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    prior = folder.parent / str(int(folder.name) - 1)
    for source in (folder, prior):
        for path in sorted(source.rglob("*.yaml")) if source.is_dir() else ():
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return texts


def printed_texts(document: Document) -> Iterator[str]:
    """Every text the document prints, heading numbers aside (“第二部分” and its title stand apart)."""
    for block in document.blocks:
        if isinstance(block, Heading):
            yield block.text
        elif isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Island):
            value = block.value
            if isinstance(value, Table):
                yield from (value.title, value.number, value.org, value.unit, value.note, value.empty_note)
                yield from (cell.text for row in value.rows for cell in row)
            elif isinstance(value, Glossary):
                yield from (f"{entry.term}{value.separator}{entry.text}" for entry in value.entries)
            elif isinstance(value, Cover):
                yield from (value.title, value.department, value.subtitle, value.date)
            elif isinstance(value, Contents):
                yield value.title


def generated_spaces(document: Document, typed: list[str]) -> list[str]:
    """The spaced Chinese–numeral pairs of a document that no text the user typed holds."""
    found = []
    for text in printed_texts(document):
        for match in SPACED.finditer(text):
            pair = match.group()
            if not any(pair in source for source in typed):
                found.append(f"{pair!r} in {text[:60]!r}")
    return found


@pytest.mark.parametrize("folder", REPORTS, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_generated_text_has_no_space_between_chinese_and_a_number(folder: Path) -> None:
    document = render(read_report(folder)).document
    assert generated_spaces(document, user_texts(folder)) == []


def test_the_users_own_spacing_is_kept_as_typed() -> None:
    folder = CONTENT / "linjiang-yibaoju" / "2024"
    typed = user_texts(folder)
    spaced = [t for t in typed if "股 3 个股室" in t]
    assert spaced  # the example's own text has the spaces…
    texts = list(printed_texts(render(read_report(folder)).document))
    assert any("基金监管股 3 个股室" in t for t in texts)  # …and the report prints them as typed


def test_a_template_that_spaces_a_number_is_caught(tmp_path: Path) -> None:
    """The check finds a space a template puts beside a printed number (a project's own template)."""
    shared = PACKAGE / "templates" / "_shared" / "sections" / "overview.md.j2"
    own = tmp_path / "templates" / "_shared" / "sections"
    own.mkdir(parents=True)
    text = shared.read_text(encoding="utf-8")
    assert "编制{{ st.authorized|integer }}人" in text
    (own / shared.name).write_text(
        text.replace("编制{{ st.authorized|integer }}人", "编制 {{ st.authorized|integer }} 人"), "utf-8"
    )
    folder = CONTENT / "linjiang-yibaoju" / "2024"
    document = render(read_report(folder), Toolkit(Project(tmp_path))).document
    found = generated_spaces(document, user_texts(folder))
    # 编制合计: 20 in overview.yaml, so the sentence now reads “编制 20 人”: two spaced pairs.
    assert len(found) == 2 and "'制 2'" in found[0] and "'0 人'" in found[1], found


class Visible(HTMLParser):
    """The text of a page outside its style and script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.hidden += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.texts.append(data)


def test_the_site_pages_follow_the_same_rule(tmp_path: Path) -> None:
    """The theme's index and department pages generate text too (“共3个部门、4份报告”)."""
    out = tmp_path / "out"
    assert not build_site(CONTENT, REPORTS, out, formats=("html",), jobs=1).failed
    typed = [text for folder in REPORTS for text in user_texts(folder)]
    pages = [out / "index.html", *sorted(out.glob("*/index.html"))]
    assert len(pages) == 1 + len({f.parent.name for f in REPORTS})
    for page in pages:
        parser = Visible()
        parser.feed(page.read_text(encoding="utf-8"))
        found = [m.group() for text in parser.texts for m in SPACED.finditer(text) if not any(m.group() in t for t in typed)]
        assert found == [], page.name
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"共{len({f.parent.name for f in REPORTS})}个部门、{len(REPORTS)}份报告" in index
