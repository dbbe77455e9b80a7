"""The site build: index pages, incremental rebuilds, parallel workers, shards, failures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure import writers
from disclosure.pipeline import render
from disclosure.read.folder import find_reports, read_report
from disclosure.resources import Project
from disclosure.site.builder import build_site, shard_of

from browser import browser
from conftest import CONTENT, ROOT

FORMATS = ("html", "md")


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def site(root: Path, out: Path, **options):
    return build_site(root, find_reports(root), out, formats=options.pop("formats", FORMATS), **options)


def test_index_lists_every_department_and_year_with_links(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = site(content, out, jobs=1)
    assert result.count("built") == len(find_reports(content)) and not result.failed
    index = (out / "index.html").read_text(encoding="utf-8")
    for folder in find_reports(content):
        assert f'href="{folder.parent.name}/{folder.name}/report.html"' in index
        assert f'href="{folder.parent.name}/index.html"' in index
    assert "青川市临江区医疗保障局" in index and 'id="filter-name"' in index
    assert "2024年度“三公”经费说明" in index  # a separate 三公经费 statement says what it is
    department = (out / "linjiang-yibaoju" / "index.html").read_text(encoding="utf-8")
    assert department.index("2024年度") < department.index("2023年度")  # newest first
    assert 'href="../linjiang-yibaoju/2023/report.html"' in department
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    departments = {folder.parent.name for folder in find_reports(content)}
    assert sitemap.count("<url>") == 1 + len(departments) + len(find_reports(content))  # the index, each department, each report


def test_sitemap_uses_the_address_from_site_yaml(content: Path, tmp_path: Path):
    (content / "site.yaml").write_text(
        "网站名称: 临江区部门决算公开\n网址: https://www.example.gov.cn/juesuan/\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    site(content, out, jobs=1)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://www.example.gov.cn/juesuan/linjiang-yibaoju/2024/report.html</loc>" in sitemap
    assert "<title>临江区部门决算公开</title>" in (out / "index.html").read_text(encoding="utf-8")


def test_no_op_rebuild_skips_everything_and_a_change_rebuilds_only_that_report(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    again = site(content, out, jobs=1)
    assert again.count("unchanged") == len(find_reports(content)) and again.count("built") == 0
    assert again.pages == ()  # the index did not change either

    notes = content / "linjiang-jiancezhongxin" / "2024" / "notes.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace("严格执行公务接待标准", "严格执行公务接待标准和审批制度"), encoding="utf-8"
    )
    changed = site(content, out, jobs=1)
    assert [o.folder.split("/")[-2] for o in changed.outcomes if o.status == "built"] == ["linjiang-jiancezhongxin"]
    assert "审批制度" in (out / "linjiang-jiancezhongxin" / "2024" / "report.md").read_text(encoding="utf-8")


def test_a_single_folder_build_keeps_every_other_reports_state(content: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    one = content / "linjiang-nongyeju" / "2024"
    (one / "report.yaml").write_text((one / "report.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    single = build_site(content, [one], out, formats=FORMATS, jobs=1)
    assert [o.status for o in single.outcomes] == ["built"]
    # The next whole build reads no file of the other reports again: their digests were kept.
    from disclosure.site import state

    opened: list[str] = []  # the files whose bytes the fingerprints read

    def counted(path, *args, **kwargs):
        opened.append(str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(state, "open", counted, raising=False)
    again = site(content, out, jobs=1)
    assert again.count("unchanged") == len(find_reports(content)) and opened == []


def test_a_touched_file_is_read_once_and_rebuilds_nothing(content: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    notes = content / "linjiang-yibaoju" / "2023" / "notes.yaml"  # an input of 2023 and of 2024
    os.utime(notes, ns=(notes.stat().st_atime_ns, notes.stat().st_mtime_ns + 5_000_000_000))
    from disclosure.site import state

    opened: list[str] = []

    def counted(path, *args, **kwargs):
        opened.append(os.path.relpath(path, content))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(state, "open", counted, raising=False)
    touched = site(content, out, jobs=1)
    assert touched.count("unchanged") == len(find_reports(content)) and touched.pages == ()
    # The two reports whose stamp changed had their files hashed again; no other report's were.
    assert {"/".join(Path(p).parts[:2]) for p in opened} == {"linjiang-yibaoju/2023", "linjiang-yibaoju/2024"}
    opened.clear()
    again = site(content, out, jobs=1)
    assert again.count("unchanged") == len(find_reports(content)) and opened == []


def test_a_deleted_output_file_is_made_again(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    made = out / "linjiang-nongyeju" / "2024" / "report.md"
    kept = made.read_bytes()
    made.unlink()
    again = site(content, out, jobs=1)
    assert [o.folder.split("/")[-2] for o in again.outcomes if o.status == "built"] == ["linjiang-nongyeju"]
    assert made.read_bytes() == kept
    assert site(content, out, jobs=1).count("built") == 0


def test_last_years_folder_is_an_input_of_this_years_report(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    notes = content / "linjiang-yibaoju" / "2023" / "notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rebuilt = {"/".join(o.folder.split("/")[-2:]) for o in site(content, out, jobs=1).outcomes if o.status == "built"}
    assert rebuilt == {"linjiang-yibaoju/2023", "linjiang-yibaoju/2024"}


def test_force_and_a_template_change_rebuild(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    forced = site(content, out, jobs=1, force=True)
    assert forced.count("built") == len(find_reports(content))
    assert all(o.written == () for o in forced.outcomes)  # rebuilt, but the bytes are the same: nothing rewritten
    assert site(content, out, jobs=1, formats=("html", "md", "docx")).count("unchanged") == 0  # a new format


def test_parallel_build_gives_the_same_bytes(content: Path, tmp_path: Path):
    one, two = tmp_path / "one", tmp_path / "two"
    site(content, one, jobs=1)
    result = site(content, two, jobs=2)
    assert not result.failed
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file() and not p.name.startswith("."))
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_a_failing_report_neither_stops_the_others_nor_touches_its_output(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    broken = out / "linjiang-jiancezhongxin" / "2024"
    before = {p.name: p.read_bytes() for p in broken.iterdir()}
    tables = content / "linjiang-jiancezhongxin" / "2024" / "tables.yaml"
    tables.write_text(tables.read_text(encoding="utf-8").replace("公开01表:", "公开01表:\n  其它: 1", 1), encoding="utf-8")
    other = content / "linjiang-yibaoju" / "2024" / "notes.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("新录用工作人员", "新录用的工作人员"), encoding="utf-8")
    result = site(content, out, jobs=2)
    statuses = {o.folder.split("/")[-2] + "/" + o.folder.split("/")[-1]: o.status for o in result.outcomes}
    assert statuses["linjiang-jiancezhongxin/2024"] == "failed"
    assert statuses["linjiang-yibaoju/2024"] == "built"
    assert {p.name: p.read_bytes() for p in broken.iterdir()} == before
    assert result.failed
    assert "linjiang-jiancezhongxin/2024/report.html" in (out / "index.html").read_text(encoding="utf-8")


def test_shards_partition_the_reports_and_shard_one_writes_the_index(content: Path, tmp_path: Path):
    reports = find_reports(content)
    shards = {f: shard_of(f, content, 3) for f in reports}
    assert all(1 <= s <= 3 for s in shards.values())
    assert shards == {f: shard_of(f, content, 3) for f in reports}  # deterministic
    merged = tmp_path / "merged"
    for i in (1, 2, 3):
        out = tmp_path / f"shard{i}"
        result = site(content, out, jobs=1, shard=(i, 3))
        assert {Path(o.folder).name for o in result.outcomes} <= {f.name for f, s in shards.items() if s == i}
        assert len(result.outcomes) == sum(1 for s in shards.values() if s == i)
        assert (out / "index.html").is_file() == (i == 1)
        shutil.copytree(out, merged, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".disclosure-state.json"))
    whole = tmp_path / "whole"
    site(content, whole, jobs=1)
    for path in whole.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert (merged / path.relative_to(whole)).read_bytes() == path.read_bytes(), path


def test_cli_summary_and_bad_shard(tmp_path: Path):
    out = tmp_path / "out"
    ok = subprocess.run(
        [sys.executable, "build.py", "--out", str(out), "--format", "html", "--jobs", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert ok.returncode == 0 and re.search(r"共 \d+ 份报告，新生成 \d+ 份，未变化 0 份，失败 0 份", ok.stdout)
    assert ok.stderr == ""  # no progress bar when not on a terminal
    bad = subprocess.run([sys.executable, "build.py", "--shard", "3/2"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "序号/总数" in bad.stderr


def test_filter_box_filters_in_chromium(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    with browser() as chromium:
        page = chromium.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((out / "index.html").as_uri())
        rows = page.locator("tbody tr")
        total = rows.count()
        assert total == len({folder.parent for folder in find_reports(content)})  # one row per department
        page.fill("#filter-name", "临江区医疗保障")
        assert page.locator("tbody tr:visible").count() == 1
        assert "医疗保障局" in page.locator("tbody tr:visible").inner_text()
        assert "筛选出1个部门" in page.inner_text("#filter-count")  # no space between Chinese and a number
        page.fill("#filter-name", "不存在的部门")
        assert page.locator("tbody tr:visible").count() == 0 and page.locator("#filter-none").is_visible()
        page.fill("#filter-name", "")
        assert page.locator("tbody tr:visible").count() == total
        page.click("text=青川市临江区检验检测中心")
        assert page.url.endswith("linjiang-jiancezhongxin/index.html")
        assert errors == []


def test_diff_shows_what_a_corrected_figure_changes_and_writes_nothing(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    site(content, out, jobs=1)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    notes = content / "linjiang-yibaoju" / "2024" / "notes.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").replace("货物: 8.60", "货物: 9.60").replace("服务: 21.40", "服务: 20.40"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "diff", str(content), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    removed = [line for line in result.stdout.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in result.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1
    assert "政府采购货物支出8.60万元" in removed[0] and "政府采购货物支出9.60万元" in added[0]
    assert f"共 {len(find_reports(content))} 份报告，1 份有变化" in result.stdout
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_bug_met_on_one_report_fails_that_report_only(content: Path, tmp_path: Path, monkeypatch):
    from disclosure.site import builder as site_module

    real = site_module.build_report

    def build_report(folder, toolkit, formats):
        if folder.parent.name == "linjiang-nongyeju":
            raise ZeroDivisionError("simulated bug")
        return real(folder, toolkit, formats)

    monkeypatch.setattr(site_module, "build_report", build_report)
    result = site(content, tmp_path / "out", jobs=1)
    failed = [o for o in result.outcomes if o.failed]
    assert [o.folder.split("/")[-2] for o in failed] == ["linjiang-nongyeju"]
    assert "程序内部错误" in failed[0].messages[0] and "ZeroDivisionError: simulated bug" in failed[0].messages[0]
    assert result.count("built") == len(find_reports(content)) - 1


# ---------------------------------------------------------------------------- links between a report's files


def test_a_report_page_links_the_other_files_written_and_the_theme_names_them(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    site(content, out, jobs=1, formats=("html", "docx", "md"))
    page = (out / "linjiang-yibaoju" / "2024" / "report.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="site-links"') : page.index("</nav>")]
    # The theme's names (names.html.j2), not the file names: Word for report.docx; report.md,
    # the review copy, is not offered; the department page and the index are one and two levels up.
    assert '<a href="report.docx">Word</a>' in nav and "report.md" not in nav
    assert '<a href="../index.html">青川市临江区医疗保障局</a>' in nav and '<a href="../../index.html">' in nav
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="linjiang-yibaoju/2024/report.docx">Word</a>' in index and "report.md" not in index
    department = (out / "linjiang-yibaoju" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../linjiang-yibaoju/2024/report.html">网页</a>' in department
    # Built alone, the page links no other file of the report.
    site(content, tmp_path / "alone", jobs=1, formats=("html",))
    alone = (tmp_path / "alone" / "linjiang-yibaoju" / "2024" / "report.html").read_text(encoding="utf-8")
    assert 'class="downloads"' not in alone and '<a href="../index.html">' in alone


def test_a_format_of_several_files_is_linked_file_by_file():
    """A writer that makes several files (one CSV per public table) gets one link each, under the format's name."""
    document = render(read_report(CONTENT / "linjiang-yibaoju" / "2024")).document
    files = writers.write(document, Project().theme("default"), ("csv", "html", "md"))
    csvs = [f"report-0{n}.csv" for n in range(1, 10)]
    # Registry order, the HTML page first although it is written last.
    assert list(files) == ["report.html", "report.md", *csvs]
    page = files["report.html"].decode()
    group = page[page.index('<span class="download-group">') :]
    group = group[: group.index("</span>")]
    assert group.startswith('<span class="download-group">CSV数据（')  # the theme's name of the format
    assert csvs == re.findall(r'<a href="([^"]+)">\1</a>', group)
    assert group.count("</a>、<a") == 8  # a line may break between two links on a phone


def test_the_index_and_department_pages_link_the_pdf_and_the_open_data_where_built(content: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = build_site(content, find_reports(content), out, formats=("html", "pdf", "xlsx", "csv", "json"), jobs=1)
    assert not result.failed
    index = (out / "index.html").read_text(encoding="utf-8")
    for report in ("linjiang-yibaoju/2024", "linjiang-jiancezhongxin/2024", "linjiang-nongyeju/2024"):
        department = (out / report.split("/")[0] / "index.html").read_text(encoding="utf-8")
        for name in ("report.pdf", "report.json"):
            assert (out / report / name).is_file()
            assert f'<a href="{report}/{name}">' in index and f'<a href="../{report}/{name}">' in department, (report, name)
    # The standalone self-evaluation has no public tables: no workbook, so none linked.
    assert '<a href="linjiang-yibaoju/2024/report.xlsx">' in index
    assert not (out / "linjiang-nongyeju/2024/report.xlsx").exists() and "linjiang-nongyeju/2024/report.xlsx" not in index
    # The nine CSV files are linked one by one from the report's own page.
    page = (out / "linjiang-yibaoju/2024/report.html").read_text(encoding="utf-8")
    assert all(f'<a href="report-0{n}.csv">' in page for n in range(1, 10))


def test_check_of_a_large_folder_uses_workers_and_prints_as_one_process(tmp_path: Path, capsys):
    from disclosure.cli import REPORTS_PER_WORKER, main

    root = tmp_path / "content"
    for i in range(2 * REPORTS_PER_WORKER + 3):
        shutil.copytree(CONTENT / "linjiang-nongyeju" / "2024", root / f"dept{i:02d}" / "2024")
    broken = root / "dept07" / "2024" / "report.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("公开日期:", "公开日期: 2024-13-40\n旧公开日期:"), encoding="utf-8"
    )
    printed = {}
    for jobs in ("1", "2"):
        capsys.readouterr()
        assert main(["check", str(root), "--jobs", jobs]) == 1
        printed[jobs] = capsys.readouterr().out
    assert printed["1"] == printed["2"]  # the same messages in the same order
    assert "dept07/2024/report.yaml" in printed["2"] and f"共 {2 * REPORTS_PER_WORKER + 3} 份报告" in printed["2"]
    assert "1 份报告有问题" in printed["2"]


def test_the_index_is_redrawn_when_the_toolkit_changes_and_only_then(content: Path, tmp_path: Path, monkeypatch):
    from disclosure.site import builder

    drawn: list[str] = []
    real_index, real_department = builder.index_page, builder.department_page
    monkeypatch.setattr(builder, "index_page", lambda *a: drawn.append("index") or real_index(*a))
    monkeypatch.setattr(
        builder, "department_page", lambda site, group, theme: drawn.append(group.slug) or real_department(site, group, theme)
    )
    out = tmp_path / "out"
    site(content, out, jobs=1, formats=("md",))
    departments = len({f.parent for f in find_reports(content)})
    assert drawn.count("index") == 1 and len(drawn) == 1 + departments
    drawn.clear()
    site(content, out, jobs=1, formats=("md",))
    assert drawn == []  # nothing changed: no page is even drawn
    real = builder.toolkit_digest
    monkeypatch.setattr(builder, "toolkit_digest", lambda state: real(state) + "+upgrade")  # a new version's code
    site(content, out, jobs=1, formats=("md",))
    assert drawn.count("index") == 1 and len(drawn) == 1 + departments  # every page drawn by the new code


def test_a_page_that_could_not_be_written_is_drawn_again_and_the_pages_written_are_not(
    content: Path, tmp_path: Path, monkeypatch
):
    from disclosure.site import builder

    out = tmp_path / "out"
    site(content, out, jobs=1, formats=("md",))
    real_write, real_department, real_digest = builder.write_atomic, builder.department_page, builder.toolkit_digest
    drawn: list[str] = []
    monkeypatch.setattr(
        builder, "department_page", lambda site, group, theme: drawn.append(group.slug) or real_department(site, group, theme)
    )

    def full_disk(path: Path, data: bytes) -> bool:
        if path == out / "linjiang-nongyeju" / "index.html":
            raise OSError(28, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(builder, "write_atomic", full_disk)
    monkeypatch.setattr(builder, "toolkit_digest", lambda state: real_digest(state) + "+upgrade")  # every page is redrawn
    failed = site(content, out, jobs=1, formats=("md",))
    assert any("磁盘已满" in problem for problem in failed.problems)
    assert drawn[-1] == "linjiang-nongyeju" and len(drawn) > 1  # pages were written before the one that failed
    before = drawn[:-1]
    monkeypatch.setattr(builder, "write_atomic", real_write)
    drawn.clear()
    site(content, out, jobs=1, formats=("md",))
    # The pages written before the failure are current; the one that failed and those after it are drawn now.
    assert drawn[0] == "linjiang-nongyeju" and not set(before) & set(drawn)
    assert len(before) + len(drawn) == len({f.parent for f in find_reports(content)})


def test_a_build_that_finds_every_report_unchanged_does_not_list_them_for_the_pages_unless_a_page_needs_it(
    content: Path, tmp_path: Path, monkeypatch
):
    from disclosure.site import builder

    listed: list[int] = []
    drawn: list[str] = []
    real_entries, real_department, real_write = builder._index_entries, builder.department_page, builder.write_atomic
    monkeypatch.setattr(builder, "_index_entries", lambda *a: listed.append(1) or real_entries(*a))
    monkeypatch.setattr(
        builder, "department_page", lambda site, group, theme: drawn.append(group.slug) or real_department(site, group, theme)
    )
    out = tmp_path / "out"
    site(content, out, jobs=1, formats=("md",))
    assert listed == [1]
    listed.clear()
    drawn.clear()
    assert site(content, out, jobs=1, formats=("md",)).count("unchanged") == len(find_reports(content))
    assert listed == [] and drawn == []  # the pages show the same records with the same look
    # A page removed from out/ is drawn again, and only that page.
    (out / "linjiang-nongyeju" / "index.html").unlink()
    site(content, out, jobs=1, formats=("md",))
    assert listed == [1] and drawn == ["linjiang-nongyeju"]
    # A report rebuilt while its pages could not be written: the next build, which finds every report
    # unchanged, draws them from the new record (the publication date the department page shows).
    manifest = content / "linjiang-nongyeju" / "2024" / "report.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("公开日期: 2025-09-05", "公开日期: 2025-09-06"), "utf-8")

    def full_disk(path: Path, data: bytes) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(builder, "write_atomic", full_disk)
    failed = site(content, out, jobs=1, formats=("md",))
    assert failed.count("built") == 1 and any("磁盘已满" in problem for problem in failed.problems)
    monkeypatch.setattr(builder, "write_atomic", real_write)
    listed.clear()
    drawn.clear()
    again = site(content, out, jobs=1, formats=("md",))
    assert again.count("unchanged") == len(find_reports(content)) and listed == [1] and drawn == ["linjiang-nongyeju"]
    assert "公开日期：2025-09-06" in (out / "linjiang-nongyeju" / "index.html").read_text(encoding="utf-8")
    # A new look (site.yaml) draws every page again.
    listed.clear()
    drawn.clear()
    (content / "site.yaml").write_text("网站名称: 临江区部门决算公开\n", encoding="utf-8")
    site(content, out, jobs=1, formats=("md",))
    assert listed == [1] and len(drawn) == len({f.parent for f in find_reports(content)})


def test_a_build_lists_each_report_folder_once_and_still_sees_every_change(content: Path, tmp_path: Path, monkeypatch, capsys):
    """The plan takes the entries discovery listed: each report folder is listed once per build, and a
    file changed, added or removed in it is still seen."""
    from disclosure.cli import main

    out = tmp_path / "out"
    args = [str(content), "--out", str(out), "--format", "md", "--jobs", "1"]
    assert main(args) == 0
    reports = [os.fspath(f) for f in find_reports(content)]
    listed: list[str] = []
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int):  # shutil.rmtree lists by file descriptor
            listed.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(args) == 0
    assert "新生成 0 份" in capsys.readouterr().out
    listed_reports = [p for p in listed if p in reports]
    assert sorted(listed_reports) == sorted(reports)  # once each, by discovery only
    evaluations = content / "linjiang-nongyeju" / "2024" / "evaluations"
    first = sorted(evaluations.iterdir())[0]
    (evaluations / "09-copy.yaml").write_bytes(first.read_bytes().replace("名称: ".encode(), "名称: 另一".encode(), 1))
    assert main(args) == 0
    assert "新生成 1 份" in capsys.readouterr().out
    (evaluations / "09-copy.yaml").unlink()
    assert main(args) == 0
    assert "新生成 1 份" in capsys.readouterr().out
    assert main(args) == 0
    assert "新生成 0 份" in capsys.readouterr().out


def test_the_collector_is_paused_only_while_the_build_plans_and_nothing_stays_frozen(content: Path, tmp_path: Path, monkeypatch):
    import gc

    from disclosure.site import builder

    during: list[tuple[bool, int]] = []
    real_plan, real_build = builder._plan, builder.Builder.build
    monkeypatch.setattr(builder, "_plan", lambda *a: during.append((gc.isenabled(), gc.get_freeze_count())) or real_plan(*a))
    monkeypatch.setattr(
        builder.Builder, "build", lambda self, f: during.append((gc.isenabled(), gc.get_freeze_count())) or real_build(self, f)
    )
    assert gc.isenabled() and gc.get_freeze_count() == 0
    site(content, tmp_path / "out", jobs=1)
    planning, *building = during
    assert planning == (False, 0)  # no collection while the plan reads the state and lists the folders
    assert building and all(enabled and frozen > 0 for enabled, frozen in building)  # what the plan holds set aside
    assert gc.isenabled() and gc.get_freeze_count() == 0  # and handed back at the end
