"""Every page of the example site as a reader's browser shows it: headless Chromium at 1366 px, at
375 px and in print, and axe-core on every page.

The site is built once with every format there is, so that the links between a report's files
can be followed. Screenshots go to out/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from disclosure.read.folder import find_reports
from disclosure.site.builder import build_site
from disclosure.writers import FORMATS

from browser import REQUIRED, browser
from conftest import CONTENT, ROOT

REPORTS = find_reports(CONTENT)
NAMES = [f"{f.parent.name}-{f.name}" for f in REPORTS]
# The reports that print self-evaluation forms (a 三公经费 statement has none).
WITH_FORMS = [f"{f.parent.name}-{f.name}" for f in REPORTS if (f / "evaluations").is_dir()]
SHOTS = ROOT / "out" / "screenshots"
STYLESHEET = ROOT / "disclosure" / "themes" / "default" / "style.css"
# axe-core is installed by `npm ci --prefix tests/axe` (tests/axe/package.json pins its version).
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = build_site(CONTENT, REPORTS, out, formats=FORMATS, jobs=1)
    assert not result.failed and not result.problems, result.outcomes
    return out


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Path]:
    """Every page of the site by name: each report, the index, each department page."""
    found = {f"{f.parent.name}-{f.name}": site / f.parent.name / f.name / "report.html" for f in REPORTS}
    found["index"] = site / "index.html"
    for folder in sorted({f.parent.name for f in REPORTS}):
        found[f"{folder}-index"] = site / folder / "index.html"
    return found


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


def open_page(chromium, path: Path, viewport: dict[str, int] = DESKTOP):
    page = chromium.new_page(viewport=viewport)
    page.goto(path.as_uri())
    return page


@pytest.mark.parametrize("name", NAMES)
def test_page_loads_without_errors_and_screenshot(chromium, pages, name):
    page = chromium.new_page(viewport=DESKTOP)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"requestfailed: {r.url}"))
    page.goto(pages[name].as_uri())
    assert problems == []
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    title = page.inner_text("h1")
    assert title == page.title() and ("决算" in title or "绩效自评结果" in title)
    # Nine public tables in a 决算 report (the evaluation tables, or 07表 alone, elsewhere), each with a
    # caption; every td@headers id points at a th in its own table.
    assert page.locator("table").count() >= (9 if title.endswith("决算") else 1)
    assert page.locator("table:not(:has(caption))").count() == 0
    dangling = page.evaluate("""() => {
        const bad = [];
        for (const td of document.querySelectorAll('td[headers]')) {
            const table = td.closest('table');
            for (const id of td.getAttribute('headers').split(' ')) {
                const th = document.getElementById(id);
                if (!th || th.tagName !== 'TH' || th.closest('table') !== table) bad.push(id);
            }
        }
        return bad;
    }""")
    assert dangling == []
    # Every entry of the table of contents leads to a heading on the page.
    targets = page.evaluate("[...document.querySelectorAll('.toc a')].map(a => a.getAttribute('href'))")
    assert targets and all(page.locator(t).count() == 1 for t in targets)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
    page.close()


# ---------------------------------------------------------------------------- 11 fonts


def declared_fonts(selector: str) -> list[str]:
    """The font-family list the theme's stylesheet declares for a rule, as family names."""
    css = STYLESHEET.read_text(encoding="utf-8")
    found = re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", css)
    assert found, selector
    family = re.search(r"font-family:\s*([^;]+);", found.group(1))
    assert family, selector
    return families(family.group(1))


def families(value: str) -> list[str]:
    return [name.strip().strip("\"'") for name in value.split(",")]


def installed_families() -> set[str]:
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",")}


GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


@pytest.mark.parametrize("name", [*NAMES, "index", "linjiang-yibaoju-index"])
def test_the_themes_fonts_apply_to_body_text_and_every_heading_level(chromium, pages, name):
    body, headings, h4 = declared_fonts("body"), declared_fonts("h1, h2, h3, h4, h5, h6"), declared_fonts("h4")
    assert body != headings != h4  # three different lists, so a dropped declaration cannot pass unnoticed
    page = open_page(chromium, pages[name])
    expected = {"main p": body, "h1": headings, "h2": headings, "h3": headings, "h4": h4}
    present = {s: e for s, e in expected.items() if page.locator(s).count()}
    assert {"main p", "h1", "h2"} <= set(present) or name.endswith("index")
    for selector, fonts in present.items():
        computed = page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).fontFamily")
        assert families(computed) == fonts, selector
    # Where the theme's first choice is installed, Chromium draws the text with it (most glyphs).
    installed = installed_families()
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    checked = 0
    for selector, fonts in present.items():
        if fonts[0] not in installed or fonts[0] in GENERIC:
            continue
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        assert max(used, key=lambda f: f["glyphCount"])["familyName"] == fonts[0], selector
        checked += 1
    if REQUIRED:
        assert checked >= 2  # CI installs Noto CJK: the body and heading fonts are there
    page.close()


# ---------------------------------------------------------------------------- 12 phones


CLASS_TABLES = ("t02", "t03", "t05", "t08", "t09")


@pytest.mark.parametrize("name", NAMES)
def test_a_phone_shows_every_caption_whole_and_keeps_the_name_column_readable(chromium, pages, name):
    page = open_page(chromium, pages[name], PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "整页出现横向滚动：宽表应在自己的滚动框内滚动"
    # The title, 表号, 编制单位 and 金额单位 sit outside the scroll box, within the screen, nothing cut off.
    heads = page.evaluate("""() => [...document.querySelectorAll('.table-block:not(.chart-data .table-block)')].map(s => {
        const head = s.querySelector(':scope > .table-head');
        if (!head) return {id: s.id, missing: true};
        const box = head.getBoundingClientRect();
        return {id: s.id, left: box.left, right: box.right, cut: head.scrollWidth > head.clientWidth,
                inScroller: !!head.closest('.table-scroll'), text: head.innerText};
    })""")
    assert heads
    for head in heads:
        assert not head.get("missing") and not head["inScroller"], head["id"]
        assert head["left"] >= 0 and head["right"] <= PHONE["width"] and not head["cut"], head
        if not head["id"].startswith(("ev", "t07s")):  # a form, or the 三公 table published without a 表号 (安徽)
            assert "金额单位" in head["text"] and "公开" in head["text"], head
    # The 科目名称 cells of the 功能分类 tables keep at least six characters a line.
    names = page.evaluate(
        """(ids) => ids.flatMap(id => {
            const table = document.querySelector('#' + id + ' table');
            if (!table) return [];
            const em = parseFloat(getComputedStyle(table).fontSize);
            return [...table.querySelectorAll('tbody td.code + th')].map(th => ({id, text: th.textContent,
                ems: th.getBoundingClientRect().width / em}));
        })""",
        list(CLASS_TABLES),
    )
    assert len(names) >= 10 or page.locator("#t02").count() == 0  # a standalone 绩效自评结果 has no public tables
    narrow = [n for n in names if n["ems"] < 6]
    assert narrow == []
    # 02表 grows on a phone, but not many times over (with a one-character column it grew 3.5 times).
    phone = page.evaluate("document.querySelector('#t02') ? document.querySelector('#t02').offsetHeight : 0")
    if phone:
        wide = open_page(chromium, pages[name])
        desktop = wide.evaluate("document.querySelector('#t02').offsetHeight")
        wide.close()
        assert phone <= 2 * desktop, (phone, desktop)
    scrollers = page.evaluate("[...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > e.clientWidth).length")
    assert scrollers >= 1  # the wide tables do scroll, inside their box
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"))
    page.close()


# ---------------------------------------------------------------------------- 13 print


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, as pdftotext reads it page by page."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for i in range(1, count + 1)
    ]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(chromium, pages, tmp_path_factory) -> dict[str, tuple[list[str], dict]]:
    """Each report printed to PDF by Chromium (its print stylesheet), its pages' text, and what the page holds."""
    if shutil.which("pdftotext") is None:
        if REQUIRED:
            pytest.fail("没有安装 pdftotext（poppler-utils）")
        pytest.skip("没有安装 pdftotext")
    folder = tmp_path_factory.mktemp("print")
    done = {}
    for name in NAMES:
        # The page laid out as printed (A4 less its margins: 170 mm wide), to tell which forms fit a page.
        page = open_page(chromium, pages[name], {"width": 643, "height": 945})
        page.emulate_media(media="print")
        facts = page.evaluate("""() => ({
            // What is no page's only text: a table's heading (and the part heading just above it), its
            // title, 表号, 编制单位 and 金额单位, and its notes.
            furniture: [...document.querySelectorAll('.table-block:not(.chart-data .table-block)')].flatMap(s => {
                const found = [...s.querySelectorAll('.table-head > div, .table-head span, .table-note, .empty-note')];
                for (let e = s.previousElementSibling; e && /^H[2-6]$/.test(e.tagName); e = e.previousElementSibling) found.push(e);
                return found.map(e => e.textContent);
            }),
            tables: [...document.querySelectorAll('.table-block:not(.chart-data .table-block)')].map(s => ({
                heading: s.previousElementSibling.textContent,
                first: [...s.querySelector('tbody tr').children].map(c => c.textContent).filter(t => t.trim()),
            })),
            forms: [...document.querySelectorAll('.table-block.form')].map(s => {
                const heading = s.previousElementSibling;
                const rows = s.querySelectorAll('tbody tr');
                return {heading: heading.textContent, height: s.offsetHeight + heading.offsetHeight,
                        last: [...rows[rows.length - 1].children].map(c => c.textContent)};
            }),
        })""")
        pdf = folder / f"{name}.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        page.close()
        done[name] = (pdf_pages(pdf), facts)
    return done


@pytest.mark.parametrize("name", NAMES)
def test_printed_pages_are_numbered_and_no_page_holds_only_a_title_or_a_note(printed, name):
    texts, facts = printed[name]
    assert len(texts) > 3
    assert not re.search(r"—\s*1\s*—", texts[0])  # the cover is not numbered
    for number, text in enumerate(texts[1:], start=2):
        assert re.search(rf"—\s*{number}\s*—", text), f"第{number}页没有页码"
    furniture = sorted({squeeze(t) for t in facts["furniture"] if squeeze(t)}, key=len, reverse=True)
    for number, text in enumerate(texts, start=1):
        rest = re.sub(rf"—{number}—", "", squeeze(text))
        for piece in furniture:
            rest = rest.replace(piece, "")
        assert rest or not squeeze(text), f"第{number}页只有表名、标题或表注：{squeeze(text)[:80]}"


def page_of(squeezed: list[str], heading: str) -> str:
    """The text of the page that prints a heading: the last page naming it (the first one is the contents)."""
    where = [i for i, t in enumerate(squeezed) if squeeze(heading) in t]
    assert where, heading
    return squeezed[where[-1]]


@pytest.mark.parametrize("name", NAMES)
def test_a_printed_tables_title_and_header_are_followed_by_its_first_rows(printed, name):
    texts, facts = printed[name]
    squeezed = [squeeze(t) for t in texts]
    assert facts["tables"]
    for table in facts["tables"]:
        page = page_of(squeezed, table["heading"])
        # The first body row (合计 731.21 …) is on the page of the title: each cell's start (a
        # wrapped label reads interleaved with its neighbours) and some cell whole.
        cells = [squeeze(cell) for cell in table["first"]]
        ok = all(cell[:2] in page for cell in cells) and any(cell in page for cell in cells if len(cell) >= 4)
        assert ok, f"{table['heading']}：表名和表头在页末，没有数据行"


@pytest.mark.parametrize("name", WITH_FORMS)
def test_a_printed_form_that_fits_a_page_is_on_one_page(printed, name):
    texts, facts = printed[name]
    page_height = 945  # A4 less the top and bottom margins, in CSS px
    fitting = [f for f in facts["forms"] if f["height"] < 0.95 * page_height]
    assert fitting  # the examples' forms fit a page once printed
    squeezed = [squeeze(t) for t in texts]
    for form in fitting:
        page = page_of(squeezed, form["heading"])
        # The start of each cell of the form's last row (总分 …) is on the page of its title.
        assert all(squeeze(cell)[:4] in page for cell in form["last"]), f"{form['heading']}：表的末行不在表名所在页"


# ---------------------------------------------------------------------------- 14 links


def local_links(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("name", [*NAMES, "index", "linjiang-yibaoju-index"])
def test_every_link_of_a_page_leads_somewhere(chromium, pages, name):
    page = open_page(chromium, pages[name])
    for href in local_links(page):
        if href.startswith("#"):
            assert page.locator(href).count() == 1, href
        else:
            assert (pages[name].parent / href).resolve().is_file(), href
    page.close()


@pytest.mark.parametrize("name", NAMES)
def test_a_report_page_links_its_other_files_its_department_and_the_index(chromium, pages, name):
    path = pages[name]
    page = open_page(chromium, path)
    nav = page.locator("nav.site-links")
    hrefs = nav.evaluate("n => [...n.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert "../../index.html" in hrefs and "../index.html" in hrefs
    # Every other file of the report that was written, except the review copy report.md and the
    # Document kept as data for a later correction (a standalone self-evaluation has no public
    # tables, hence no report.xlsx and no CSV).
    kept = ("report.html", "report.md", "document.json")
    others = {p.name for p in path.parent.iterdir() if p.is_file() and p.name not in kept}
    assert "report.docx" in others and others <= set(hrefs)
    assert "report.md" not in hrefs and "report.html" not in hrefs
    # “跳到正文” lands on the first heading after the cover and the contents.
    target = page.evaluate("document.querySelector('.skip-link').getAttribute('href')")
    after = page.evaluate(f"""() => {{
        const target = document.querySelector({target!r}), toc = document.querySelector('nav.toc');
        return /^H[2-6]$/.test(target.tagName) && !toc.contains(target)
            && !!(toc.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
    }}""")
    assert after
    # “回到目录” stays on the screen wherever the reader is, and leads to the contents.
    back = page.locator(".to-contents a")
    assert back.get_attribute("href") == "#toc-title"
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    assert back.is_visible() and back.bounding_box()["y"] < DESKTOP["height"]  # type: ignore[index]
    back.click()
    assert page.evaluate("Math.abs(document.getElementById('toc-title').getBoundingClientRect().top) < 40")
    page.close()


# ---------------------------------------------------------------------------- 15 axe-core


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        if REQUIRED:
            pytest.fail("没有安装 axe-core：npm ci --prefix tests/axe")
        pytest.skip("没有安装 axe-core（npm ci --prefix tests/axe）")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [*NAMES, "index", "linjiang-yibaoju-index", "linjiang-nongyeju-index"])
def test_axe_finds_no_violation(chromium, pages, axe, name):
    page = open_page(chromium, pages[name])
    page.add_script_tag(content=axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = {v["id"]: [n["target"] for n in v["nodes"][:3]] for v in result["violations"]}
    assert found == {}
    page.close()


# ---------------------------------------------------------------------------- 16 the title once


@pytest.mark.parametrize("name", NAMES)
def test_a_tables_title_is_shown_once_and_still_names_the_table(chromium, pages, name):
    page = open_page(chromium, pages[name])
    tables = page.evaluate("""() => [...document.querySelectorAll('.table-block:not(.chart-data .table-block)')].map(s => {
        const caption = s.querySelector('caption');
        const heading = s.previousElementSibling;
        const box = caption.getBoundingClientRect();
        return {id: s.id, title: caption.textContent, heading: heading.textContent,
                shown: box.width > 2 && box.height > 2,
                copies: s.querySelector('.table-head').innerText.includes(caption.textContent)};
    })""")
    assert tables
    for table in tables:
        assert table["title"] in table["heading"], table  # every example table follows its heading
        assert not table["shown"] and not table["copies"], f"{table['id']}：表名在标题之后又显示了一遍"
        # Screen readers still hear the table's name.
        assert page.get_by_role("table", name=table["title"], exact=True).count() >= 1, table["id"]
    page.close()


def test_print_layout_repeats_table_headers(chromium, pages):
    page = open_page(chromium, pages[NAMES[0]])
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    assert page.evaluate("getComputedStyle(document.querySelector('.toc')).breakAfter") in ("page", "always")
    page.close()
