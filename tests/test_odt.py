"""`--format odt`: pandoc converts our HTML, keeping merged cells; same report, same bytes."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from disclosure.site.builder import Builder

from conftest import CONTENT

REPORT = CONTENT / "linjiang-yibaoju" / "2024"


def build(out: Path) -> bytes:
    outcome = Builder(out, ("odt",)).build(REPORT)
    assert outcome.status == "built", outcome.messages
    return (out / "linjiang-yibaoju" / "2024" / "report.odt").read_bytes()


def test_odt_keeps_merged_cells_and_the_figures(tmp_path: Path):
    data = build(tmp_path)
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    content = archive.read("content.xml").decode("utf-8")
    assert content.count("<table:table ") >= 13  # nine public tables and four evaluation forms
    assert re.search(r'table:number-columns-spanned="[2-9]', content)
    assert re.search(r'table:number-rows-spanned="[2-9]', content)
    for figure in ("791.35", "713.89", "青川市临江区医疗保障局", "“三公”经费财政拨款支出决算为2.48万元"):
        assert figure in content
    assert "<script" not in content


def test_odt_bytes_are_reproducible(tmp_path: Path):
    assert build(tmp_path / "a") == build(tmp_path / "b")
