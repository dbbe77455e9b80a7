"""Lay the DOCX out for real: LibreOffice converts it to PDF, poppler reads the pages back.

The theme's Chinese fonts are mapped to Noto CJK by tests/fonts/fonts.conf; LibreOffice runs
with a throw-away HOME and profile. Skipped where soffice or poppler-utils are not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from disclosure.pipeline import Toolkit, build_report

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


REPORTS = sorted(p.parent for p in (ROOT / "content").glob("*/*/report.yaml"))


def _convert(sources: list[Path], work: Path) -> None:
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
        *(str(source) for source in sources),
        env=env,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Every bundled report's DOCX laid out by LibreOffice: name → (docx, pdf)."""
    work = tmp_path_factory.mktemp("visual")
    sources = []
    for folder in REPORTS:
        source = work / f"{folder.parent.name}-{folder.name}.docx"
        source.write_bytes(build_report(folder, Toolkit(), ("docx",)).files["report.docx"])
        sources.append(source)
    _convert(sources, work)
    found = {}
    for source in sources:
        assert source.with_suffix(".pdf").is_file(), f"LibreOffice did not write {source.stem}.pdf"
        found[source.stem] = (source, source.with_suffix(".pdf"))
    return found


@pytest.fixture(scope="module")
def pdf(rendered: dict[str, tuple[Path, Path]]) -> Path:
    return rendered["linjiang-yibaoju-2024"][1]


def _pages(pdf: Path) -> list[str]:
    return _run("pdftotext", "-layout", str(pdf), "-").split("\f")[:-1]


def _page_of(pages: list[str], text: str) -> int:
    """The last page showing a text (headings also appear in the contents at the front)."""
    return max(i for i, page in enumerate(pages) if text in re.sub(r"\s+", "", page))


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    """The text of every page."""
    return _pages(pdf)


@pytest.fixture(scope="module")
def sizes(pdf: Path, pages: list[str]) -> list[tuple[float, float]]:
    info = _run("pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


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
    assert re.match(r"目录第一部分部门概况\.+1一、部门职责\.+1", contents)
    assert "TOC" not in "".join(pages[1:3]) and "PAGE" not in "".join(pages)


def _footers(pages: list[str]) -> list[str | None]:
    footers = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        found = re.fullmatch(r"—\s*([0-9IVX]+)\s*—", lines[-1]) if lines else None
        footers.append(found.group(1) if found else None)
    return footers


def test_only_the_body_is_numbered_from_1_on_the_outside_edge(pdf, pages, sizes):
    footers = _footers(pages)
    first = footers.index("1")
    assert footers[:first] == [None] * first and 2 <= first <= 4  # cover and contents unnumbered
    assert footers[first:] == [str(n) for n in range(1, len(pages) - first + 1)]
    # GB/T 9704: odd page numbers at the right, even at the left (of a portrait or landscape page).
    boxes = _run("pdftotext", "-bbox", str(pdf), "-")
    for index, page in enumerate(boxes.split("<page ")[1:]):
        if footers[index] is None:
            continue
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)
        low = max(float(y) for _, y, _, _ in words)  # the footer is the lowest line: “— 7 —” as three words
        number = next((float(a), float(b)) for a, y, b, w in words if float(y) == low and w.isdigit())
        middle = sizes[index][0] / 2
        if int(footers[index]) % 2:
            assert number[0] > middle, (index, footers[index])
        else:
            assert number[1] < middle, (index, footers[index])


def _heading_pages(pages: list[str]) -> dict[int, int]:
    return {i: int(n) for i, n in enumerate(_footers(pages)) if n and n.isdigit()}


def _bare(title: str) -> str:
    """A heading's text without its number and spaces (a table's heading shows as its title alone)."""
    return re.sub(r"^(第.部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", "", re.sub(r"\s+", "", title))


def _where(pages: list[str], title: str) -> int:
    """The page number of the first body page on which a heading (or its table's title) begins a line."""
    numbers = {i: int(n) for i, n in enumerate(_footers(pages)) if n and n.isdigit()}
    bare = _bare(title)
    for i in sorted(numbers):
        if re.search(r"^(\S*、|第.部分)?" + re.escape(bare[:20]), re.sub(r"[ \t]+", "", pages[i]), re.M):
            return numbers[i]
    raise AssertionError(f"heading not found: {title}")


def _printed_contents(pdf: Path, pages: list[str]) -> list[tuple[str, int]]:
    """The entries printed on the contents pages, in reading order, a wrapped entry joined: (title, page number)."""
    first = next(i for i, n in enumerate(_footers(pages)) if n == "1")
    entries, pending = [], ""
    for line in _run("pdftotext", "-f", "2", "-l", str(first), str(pdf), "-").splitlines():
        line = re.sub(r"\s+", "", line)
        if not line or line == "目录":
            continue
        found = re.fullmatch(r"(.*?)\.{2,}(\d+)", line)  # an entry that fills its line keeps two leader dots
        if found:
            entries.append((pending + found.group(1), int(found.group(2))))
            pending = ""
        else:
            pending += line
    return entries


@pytest.mark.parametrize("name", [f"{f.parent.name}-{f.name}" for f in REPORTS])
def test_every_contents_entry_names_the_page_its_heading_is_on(rendered, name):
    docx, pdf = rendered[name]
    pages = _pages(pdf)
    folder = next(f for f in REPORTS if f"{f.parent.name}-{f.name}" == name)
    headings = next(build_report(folder, Toolkit(), ("md",)).document.islands("toc")).headings
    actual = [_where(pages, h.title) for h in headings]
    printed = _printed_contents(pdf, pages)
    assert [title for title, _ in printed] == [re.sub(r"\s+", "", h.title) for h in headings]
    assert [n for _, n in printed] == actual  # what LibreOffice prints: computed from its own layout
    # The numbers stored in the file, shown by a reader that computes nothing, are the same pages.
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    stored = re.findall(r"PAGEREF[^<]*</w:instrText>.*?<w:t[^>]*>(\d+)</w:t>", xml)
    assert [int(n) for n in stored] == actual


@pytest.mark.parametrize("name", [f"{f.parent.name}-{f.name}" for f in REPORTS])
def test_each_form_is_on_one_page_and_no_page_holds_a_stray_row_or_note(rendered, name):
    pages = _pages(rendered[name][1])
    for index, page in enumerate(pages):
        titles = len(re.findall(r"^\s*(项目支出|部门整体支出)绩效自评表\s*$", page, re.M))
        totals = len(re.findall(r"^\s*(总分|项目名称.*自评总分|部门名称.*自评总分)", page, re.M))
        assert titles == totals, f"{name}: page {index + 1} has {titles} form titles and {totals} 总分 rows"
        lines = [line for line in page.splitlines() if line.strip() and not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line)]
        if index:
            assert len(lines) >= 3, f"{name}: page {index + 1} holds only {lines}"
            assert not lines[0].strip().startswith("注："), f"{name}: a note begins page {index + 1}"


def test_a_full_line_of_body_text_holds_28_characters(pdf):
    # GB/T 9704: 28 characters of 三号 type a line. Lines of body text that run to the right margin.
    xml = _run("pdftohtml", "-xml", "-i", "-stdout", "-f", "4", "-l", "5", str(pdf))
    body = re.search(r'<fontspec id="(\d+)" size="24" family="[A-Z]+\+NotoSerifCJK', xml).group(1)
    widths = [(int(w), t) for w, t in re.findall(rf'<text [^>]*width="(\d+)"[^>]*font="{body}">([^<]*)</text>', xml)]
    full = [t for w, t in widths if w >= max(w for w, _ in widths) - 2]
    assert full and all(len(t) == 28 for t in full), full


def test_heading_levels_are_set_in_distinct_faces(pdf, pages):
    # 一级（一、）黑体, 二级（（一））楷体, body 仿宋: with tests/fonts/fonts.conf three different faces.
    first = _footers(pages).index("1") + 1  # the body, after the contents that list the same headings
    xml = _run("pdftohtml", "-xml", "-i", "-stdout", "-f", str(first), str(pdf))
    fonts = dict(re.findall(r'<fontspec id="(\d+)" size="\d+" family="[A-Z]+\+([^"]+)"', xml))

    def face(pattern: str) -> str:
        found = re.search(rf'<text [^>]*font="(\d+)">{pattern}</text>', xml)
        assert found, pattern
        return fonts[found.group(1)]

    level1, level2 = face(r"一、部门职责"), face(r"（一）[^<]*")
    body = face(r"临江区医疗保障局是区政府工作部门[^<]*")
    assert "Sans" in level1 and "UKai" in level2 and "Serif" in body, (level1, level2, body)


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
    assert "NotoSerifCJK" in fonts  # 仿宋、宋体、小标宋 → Noto Serif CJK SC
    assert "NotoSansCJK" in fonts  # 黑体 → Noto Sans CJK SC
    assert "UKai" in fonts  # 楷体 → AR PL UKai CN
    assert "LiberationSerif" in fonts  # Times New Roman → Liberation Serif (the same widths)


def test_the_standalone_results_print_their_title_on_the_first_text_page_broken_after_the_department(rendered):
    # The standalone 绩效自评结果 has no parts (第一部分 …): its first text page opens with the
    # document's title, in two lines that keep words whole: the department, then the rest.
    pages = _pages(rendered["linjiang-nongyeju-2024"][1])
    first = _footers(pages).index("1")
    lines = [re.sub(r"\s+", "", line) for line in pages[first].splitlines() if line.strip()]
    assert lines[:3] == ["2024年度青川市临江区农业农村局", "部门项目绩效自评结果", "一、项目综述"]
    # A report with parts prints no such title: its first text page opens with 第一部分.
    pages = _pages(rendered["linjiang-yibaoju-2024"][1])
    first = _footers(pages).index("1")
    assert re.sub(r"\s+", "", pages[first]).startswith("第一部分部门概况")
