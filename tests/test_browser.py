"""Every example page loads in headless Chromium without a console error, reads well on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure.read.folder import find_reports
from disclosure.site.builder import Builder

from browser import browser
from conftest import CONTENT, ROOT

REPORTS = find_reports(CONTENT)
SHOTS = ROOT / "out" / "screenshots"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("site")
    builder = Builder(out, ("html",))
    found = {}
    for folder in REPORTS:
        assert builder.build(folder).status == "built"
        found[f"{folder.parent.name}-{folder.name}"] = out / folder.parent.name / folder.name / "report.html"
    return found


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


@pytest.mark.parametrize("name", [f"{f.parent.name}-{f.name}" for f in REPORTS])
def test_page_loads_without_errors_and_screenshot(chromium, pages, name):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"requestfailed: {r.url}"))
    page.goto(pages[name].as_uri())
    assert problems == []
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    title = page.inner_text("h1")
    assert title == page.title() and ("决算" in title or "绩效自评结果" in title)
    # Nine public tables (or the evaluation tables), each with a caption; every td@headers id
    # points at a th in its own table.
    assert page.locator("table").count() >= (9 if "决算" in title else 1)
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


@pytest.mark.parametrize("name", [f"{f.parent.name}-{f.name}" for f in REPORTS][:1])
def test_wide_tables_scroll_inside_their_box_on_a_phone(chromium, pages, name):
    page = chromium.new_page(viewport={"width": 375, "height": 800})
    page.goto(pages[name].as_uri())
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "整页出现横向滚动：宽表应在自己的滚动框内滚动"
    scrollers = page.evaluate("[...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > e.clientWidth).length")
    assert scrollers >= 1  # the wide tables (04, 06, 07) do scroll, inside their box
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"))
    page.close()


def test_print_layout_repeats_table_headers(chromium, pages):
    page = chromium.new_page()
    page.goto(next(iter(pages.values())).as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    assert page.evaluate("getComputedStyle(document.querySelector('.toc')).breakAfter") in ("page", "always")
    page.close()
