"""Charts on real output: the figures they show are the data's, and every format carries them.

The example is the 云南 事业单位 report, which asks for charts (表述: 图表: 是). Its figures are
worked out here from its own files: 收支总计 this year from tables.yaml and last year from
notes.yaml, the income and expenditure lines of 01表 and 03表 with their shares, half-up.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest

from disclosure.document import Chart, Island
from disclosure.pipeline import Toolkit, render
from disclosure.read.folder import read_report
from disclosure.writers import chart as drawing
from disclosure.writers import write

from conftest import CONTENT, ROOT

D = Decimal
FOLDER = CONTENT / "nanxi-jianceso" / "2024"
SVG = "{http://www.w3.org/2000/svg}"
FONTS = ROOT / "tests" / "fonts" / "fonts.conf"
REQUIRED = os.environ.get("REQUIRE_TOOLS") == "1"


@cache
def built():
    report = read_report(FOLDER)
    toolkit = Toolkit()
    rendered = render(report, toolkit)
    files = write(rendered.document, toolkit.theme(report.manifest), ("html", "docx", "pdf", "md"))
    return report, rendered.document, files, toolkit.theme(report.manifest)


def charts() -> list[Chart]:
    return [b.value for b in built()[1].blocks if isinstance(b, Island) and isinstance(b.value, Chart)]


def pct(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole).quantize(D('0.01'), rounding=ROUND_HALF_UP)}%"


# ---------------------------------------------------------------------------- the figures


def test_the_charts_show_the_datas_figures():
    report = built()[0]
    t01, t03 = report.tables.t01, report.tables.t03
    bars, income, spending = charts()
    assert [c.number for c in charts()] == ["图1", "图2", "图3"]
    # 图1: last year's 收支总计 as notes.yaml states it, this year's from 01表; income and spending bars alike.
    prior, current = report.notes.totals.prior, t01.income_value("grand_total")
    assert bars.kind == "bar" and bars.categories == ("2023年度", "2024年度")
    assert [s.values for s in bars.series] == [(prior, current), (prior, current)]
    rows = [[cell.text for cell in row] for row in bars.table.body]
    assert rows == [["2023年度", f"{prior:.2f}", f"{prior:.2f}"], ["2024年度", f"{current:.2f}", f"{current:.2f}"]]
    # 图2: the report combines the three books into 财政拨款收入 (表述: 财政拨款收入: 合并); zero lines are not slices.
    total = t01.income_value("total_income")
    books = sum((t01.income_value(k) for k in ("general", "fund", "capital")), D(0))
    lines = [("财政拨款收入", books)] + [
        (name, t01.income_value(key))
        for key, name in (
            ("superior", "上级补助收入"),
            ("business", "事业收入"),
            ("operating", "经营收入"),
            ("affiliated", "附属单位上缴收入"),
            ("other", "其他收入"),
        )
    ]
    lines = [(n, v) for n, v in lines if v]
    assert income.kind == "pie" and income.categories == tuple(n for n, _ in lines)
    assert income.series[0].values == tuple(v for _, v in lines)
    assert [[c.text for c in row] for row in income.table.body] == [[n, f"{v:.2f}", pct(v, total)] for n, v in lines]
    # 图3: the expenditure columns of 03表's 合计 row.
    whole = t03.total.value("total")
    columns = [
        (n, t03.total.value(k))
        for k, n in (
            ("basic", "基本支出"),
            ("project", "项目支出"),
            ("remit", "上缴上级支出"),
            ("operating", "经营支出"),
            ("subsidy", "对附属单位补助支出"),
        )
    ]
    columns = [(n, v) for n, v in columns if v]
    assert [[c.text for c in row] for row in spending.table.body] == [[n, f"{v:.2f}", pct(v, whole)] for n, v in columns]
    assert spending.legend[0] == f"{columns[0][0]} {columns[0][1]:.2f}万元（{pct(columns[0][1], whole)}）"


def test_charts_are_drawn_only_when_the_wording_asks():
    report = read_report(CONTENT / "linjiang-yibaoju" / "2024")  # 财政部 outline, no 图表 setting
    blocks = render(report, Toolkit()).document.blocks
    assert not any(isinstance(b, Island) and isinstance(b.value, Chart) for b in blocks)


# ---------------------------------------------------------------------------- HTML


def test_the_page_draws_each_chart_as_an_accessible_svg_beside_its_figures():
    html = built()[2]["report.html"].decode("utf-8")
    figures = re.findall(r'<figure class="chart".*?</figure>', html, re.S)
    assert len(figures) == 3
    for chart, figure in zip(charts(), figures, strict=True):
        svg = ElementTree.fromstring(re.search(r"<svg.*?</svg>", figure, re.S).group(0))
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text == chart.caption and desc.text == chart.description
        assert svg.find(f"{SVG}metadata") is None and svg.find(f".//{SVG}style") is None and "<!--" not in figure
        assert all(e.get("id").startswith(f"{chart.key}-") for e in svg.iter() if e.get("id"))
        # The table beside it: the same figures, as text.
        cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", figure.split("</svg>", 1)[1])
        for row in chart.table.body:
            for cell in row:
                assert cell.text in cells
        assert f'<figcaption id="{chart.key}-caption">{chart.caption}</figcaption>' in figure
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # three inlined drawings, no id twice on the page


def test_chromium_shows_three_images_named_by_their_captions(tmp_path: Path):
    from browser import browser

    page_file = tmp_path / "report.html"
    page_file.write_bytes(built()[2]["report.html"])
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1100, "height": 900})
        page.goto(page_file.as_uri())
        for chart in charts():
            image = page.get_by_role("img", name=chart.caption)
            assert image.count() == 1
            box = image.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
        page.locator("#chart2").screenshot(path=str(tmp_path / "chart2.png"))
        assert (tmp_path / "chart2.png").stat().st_size > 5000


# ---------------------------------------------------------------------------- DOCX


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_word_document_holds_each_chart_as_a_picture_with_its_figures_as_alternative_text():
    docx = built()[2]["report.docx"]
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        body = package.read("word/document.xml").decode()
        media = {name: package.read(name) for name in names if name.startswith("word/media/")}
    assert sorted(media) == [f"word/media/chart{n}.png" for n in (1, 2, 3)]
    assert 'Extension="png" ContentType="image/png"' in types
    style = drawing.chart_style(built()[3])
    for chart in charts():
        rid = re.search(rf'Id="(rId\d+)" Type="[^"]+/image" Target="media/{chart.key}.png"', rels).group(1)
        assert f'r:embed="{rid}"' in body
        assert f'descr="{chart.description}"' in body
        width, height = png_size(media[f"word/media/{chart.key}.png"])
        assert abs(width - style.width / 25.4 * style.dpi) <= 1 and abs(height - style.height / 25.4 * style.dpi) <= 1
    # python-docx reads it as a package with three inline pictures.
    import docx as python_docx

    assert len(python_docx.Document(io.BytesIO(docx)).inline_shapes) == 3


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfimages"))


@pytest.mark.skipif(not (SOFFICE and POPPLER) and not REQUIRED, reason="needs LibreOffice and poppler")
def test_libreoffice_lays_each_chart_out_above_its_caption(tmp_path: Path):
    source = tmp_path / "report.docx"
    source.write_bytes(built()[2]["report.docx"])
    env = {**os.environ, "HOME": str(tmp_path / "home"), "FONTCONFIG_FILE": str(FONTS)}
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        env=env,
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "report.pdf"
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    pages = [int(line.split()[0]) for line in listed if line.split()[2] == "image"]
    assert len(pages) == 3
    for page, chart in zip(pages, charts(), strict=True):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        assert chart.caption.replace(" ", "") in text.replace(" ", "")


# ---------------------------------------------------------------------------- PDF and Markdown


def test_the_pdf_tags_each_chart_as_a_figure_with_its_figures_as_alternative_text():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(built()[2]["report.pdf"]))
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") or isinstance(kid, dict):
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert found == [c.description for c in charts()]
    pages = [
        i
        for i, p in enumerate(reader.pages)
        if any(c.caption.replace(" ", "") in (p.extract_text() or "").replace(" ", "") for c in charts())
    ]
    assert len(pages) >= 2  # the captions are printed on the pages (图1 and 图2 may share one)


def test_the_review_copy_lists_each_charts_figures():
    md = built()[2]["report.md"].decode("utf-8")
    for chart in charts():
        assert f"**{chart.caption}**" in md
        for row in chart.table.body:
            assert "| " + " | ".join(cell.text for cell in row) + " |" in md


# ---------------------------------------------------------------------------- the same bytes


def test_a_chart_draws_to_the_same_bytes_every_time():
    chart, style = charts()[1], drawing.chart_style(built()[3])
    first = (drawing.svg(chart, style), drawing.png(chart, style))
    drawing._render.cache_clear()
    assert (drawing.svg(chart, style), drawing.png(chart, style)) == first
    assert "Date" not in first[0] and b"Software" not in first[1] and b"tIME" not in first[1]


def test_the_report_with_charts_writes_the_same_bytes_twice():
    report, document, files, theme = built()
    drawing._render.cache_clear()
    again = write(render(read_report(FOLDER), Toolkit()).document, theme, ("html", "docx", "pdf"))
    for name in ("report.html", "report.docx", "report.pdf"):
        assert again[name] == files[name], name


# ---------------------------------------------------------------------------- kept between builds


def _charts_site(tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(FOLDER, content / FOLDER.parent.name / FOLDER.name)
    return content, content / FOLDER.parent.name / FOLDER.name


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the charts matplotlib draws (every one: the in-process memo is emptied)."""
    drawn: list[str] = []
    real = drawing._render.__wrapped__

    def render(chart, style, form):
        drawn.append(form)
        return real(chart, style, form)

    monkeypatch.setattr(drawing, "_render", render)
    return drawn


def _stored(out: Path) -> list[str]:
    return sorted(p.name for p in (out / ".disclosure-charts").rglob("*") if p.is_file())


def test_a_rebuild_whose_charts_did_not_change_takes_them_from_the_last_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from disclosure.read.folder import find_reports
    from disclosure.site.builder import build_site

    content, report = _charts_site(tmp_path)
    out = tmp_path / "out"
    drawn = _counting(monkeypatch)
    assert build_site(content, find_reports(content), out, jobs=1).count("built") == 1
    # three charts, each an SVG for the page and a PNG for the Word document
    assert sorted(drawn) == ["png"] * 3 + ["svg"] * 3
    kept = _stored(out)
    assert len(kept) == 6
    overview = report / "overview.yaml"
    overview.write_text(overview.read_text(encoding="utf-8").replace("质量技术帮扶", "质量技术指导"), encoding="utf-8")
    drawn.clear()
    again = build_site(content, find_reports(content), out, jobs=1)
    assert again.count("built") == 1 and drawn == []  # a sentence changed: no chart is drawn
    assert _stored(out) == kept
    # What was taken from the store is what drawing afresh makes, byte for byte.
    fresh = tmp_path / "fresh"
    build_site(content, find_reports(content), fresh, jobs=1)
    assert len(drawn) == 6
    for name in ("report.html", "report.docx", "report.md"):
        path = Path(FOLDER.parent.name) / FOLDER.name / name
        assert (out / path).read_bytes() == (fresh / path).read_bytes(), name
    assert "质量技术指导" in (out / FOLDER.parent.name / FOLDER.name / "report.html").read_text(encoding="utf-8")
    # --force draws every chart again.
    drawn.clear()
    build_site(content, find_reports(content), out, jobs=1, force=True)
    assert len(drawn) == 6 and _stored(out) == kept
    # A report gone from the content folder takes its charts with it.
    shutil.rmtree(report)
    build_site(content, find_reports(content), out, jobs=1)
    assert not any((out / ".disclosure-charts").iterdir())


def test_the_store_keeps_the_drawings_of_the_last_build_only_and_only_once_it_is_written(tmp_path: Path, monkeypatch):
    import dataclasses

    chart, style = charts()[0], drawing.chart_style(built()[3])
    drawn = _counting(monkeypatch)
    folder = tmp_path / "charts"
    first = drawing.ChartStore(folder)
    with drawing.stored(first):
        svg_bytes = drawing.svg(chart, style)
    assert drawn == ["svg"] and not folder.exists()  # nothing written before keep()
    first.keep()
    assert len(list(folder.iterdir())) == 1
    # A failed build (no keep) leaves the store as it was; the next one finds the drawing.
    moved = dataclasses.replace(chart, series=(dataclasses.replace(chart.series[0], values=(D(1), D(2))),) + chart.series[1:])
    with drawing.stored(drawing.ChartStore(folder)):
        drawing.svg(moved, style)
    assert len(list(folder.iterdir())) == 1 and drawn == ["svg", "svg"]
    drawn.clear()
    with drawing.stored(drawing.ChartStore(folder)) as same:
        assert drawing.svg(chart, style) == svg_bytes
    same.keep()
    assert drawn == []
    # A caption, a description or the table beside the chart are not drawn: the drawing is the same.
    with drawing.stored(drawing.ChartStore(folder)):
        drawing.svg(dataclasses.replace(chart, caption="图9 另一个标题", description="另一段说明"), style)
    assert drawn == []
    # A figure the chart shows changed: drawn again, and the old drawing is not kept.
    with drawing.stored(drawing.ChartStore(folder)) as changed:
        drawing.svg(moved, style)
    changed.keep()
    assert drawn == ["svg"] and len(list(folder.iterdir())) == 1
    with drawing.stored(drawing.ChartStore(folder)):
        drawing.svg(chart, style)
    assert drawn == ["svg", "svg"]
