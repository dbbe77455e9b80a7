"""Lay the DOCX out for real: LibreOffice converts it to PDF, poppler reads the pages back.

The theme's Chinese fonts are mapped to Noto CJK by tests/fonts/fonts.conf; LibreOffice runs
with a throw-away HOME and profile. Skipped where soffice or poppler-utils are not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from disclosure.pipeline import render as assemble
from disclosure.read.folder import read_report
from disclosure.resources import Project
from disclosure.writers.docx import write_docx

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdffonts"))

# .ci/run sets REQUIRE_TOOLS=1: there a missing tool fails the run instead of skipping these tests.
REQUIRED = os.environ.get("REQUIRE_TOOLS") == "1"
pytestmark = pytest.mark.skipif(
    not REQUIRED and (not SOFFICE or not POPPLER), reason="需要 LibreOffice（soffice）和 poppler-utils"
)


def test_tools_are_installed():
    assert SOFFICE and POPPLER, "没有安装 LibreOffice（soffice）或 poppler-utils（.ci/run 会安装）"


def _run(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True, timeout=240).stdout


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("visual")
    document = assemble(read_report(ROOT / "content" / "linjiang-yibaoju" / "2024", with_prior=False)).document
    source = work / "report.docx"
    source.write_bytes(write_docx(document, Project().theme("default")))
    env = {**os.environ, "HOME": str(work / "home"), "FONTCONFIG_FILE": str(FONTS)}
    _run(
        SOFFICE,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(source),
        env=env,
    )
    result = work / "report.pdf"
    assert result.is_file(), "LibreOffice did not write a PDF"
    return result


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    """The text of every page."""
    return _run("pdftotext", "-layout", str(pdf), "-").split("\f")[:-1]


@pytest.fixture(scope="module")
def sizes(pdf: Path, pages: list[str]) -> list[tuple[float, float]]:
    info = _run("pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def _page_of(pages: list[str], text: str) -> int:
    """The last page showing a text (headings also appear in the contents at the front)."""
    return max(i for i, page in enumerate(pages) if text in re.sub(r"\s+", "", page))


def test_page_count_is_sensible(pages):
    assert 25 <= len(pages) <= 50


def test_key_figures_and_the_department_are_printed(pages):
    text = re.sub(r"\s+", "", "".join(pages))
    for needed in (
        "791.35",
        "713.89",
        "731.21",
        "青川市临江区医疗保障局",
        "公开01表",
        "公开09表",
        "名词解释",
        "项目支出绩效自评表",
        "部门整体支出绩效自评表",
    ):
        assert needed in text, needed


def test_cover_and_contents_come_first(pages):
    cover = re.sub(r"\s+", "", pages[0])
    assert cover == "青川市临江区医疗保障局2024年度部门决算二〇二五年九月"  # no page number on the cover
    contents = re.sub(r"\s+", "", pages[1])
    assert contents.startswith("目录第一部分部门概况一、部门职责")
    assert "TOC" not in "".join(pages[1:3]) and "PAGE" not in "".join(pages)


def test_pages_are_numbered_in_the_footer(pages):
    footers = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        found = re.fullmatch(r"—\s*([0-9IVX]+)\s*—", lines[-1]) if lines else None
        footers.append(found.group(1) if found else None)
    assert footers[0] is None
    assert footers[1] == "I"
    body = footers[footers.index("1") :]
    assert body == [str(n) for n in range(1, len(body) + 1)]
    assert footers.index("1") <= 4


def test_wide_tables_and_forms_are_on_landscape_pages(pages, sizes):
    assert len(sizes) == len(pages)

    def landscape(text: str) -> bool:
        width, height = sizes[_page_of(pages, text)]
        return width > height

    for text in ("公开04表", "公开06表", "公开07表", "一、项目支出绩效自评表", "四、部门整体支出绩效自评表"):
        assert landscape(text), text
    for text in ("公开01表", "公开02表", "公开03表", "公开05表", "公开08表", "公开09表", "第三部分", "第四部分名词解释"):
        assert not landscape(text), text
    for width, height in sizes:
        assert sorted((round(width), round(height))) == [595, 842]  # A4 either way


def test_chinese_fonts_resolve_to_real_cjk_fonts(pdf):
    fonts = _run("pdffonts", str(pdf))
    assert "NotoSerifCJK" in fonts  # 仿宋、宋体、楷体、小标宋 → Noto Serif CJK SC
    assert "NotoSansCJK" in fonts  # 黑体 → Noto Sans CJK SC
