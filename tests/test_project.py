"""A project's own templates/ and themes/ override the package's file by file, key by key for labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure.errors import ReportError
from disclosure.pipeline import Toolkit, build_report
from disclosure.resources import PACKAGE, Project

from conftest import CONTENT, ROOT

REPORT = CONTENT / "linjiang-yibaoju" / "2024"
GOLDEN = ROOT / "tests" / "golden" / "linjiang-yibaoju" / "2024" / "report.md"


def copy_report(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "yb" / "2024"
    shutil.copytree(REPORT, folder)
    shutil.copytree(REPORT.parent / "2023", folder.parent / "2023")
    return folder


def build(project: Path, folder: Path, formats=("md", "html")) -> dict[str, str]:
    built = build_report(folder, Toolkit(Project(project)), formats)
    return {name: data.decode("utf-8") for name, data in built.files.items() if not name.endswith(".docx")}


def test_without_project_folders_the_package_defaults_are_used(tmp_path: Path):
    assert build(tmp_path / "empty", copy_report(tmp_path))["report.md"] == GOLDEN.read_text(encoding="utf-8")


def test_a_label_changed_by_the_project_changes_only_that_label(tmp_path: Path):
    project = tmp_path / "project"
    (project / "templates" / "_shared").mkdir(parents=True)
    (project / "templates" / "_shared" / "labels.yaml").write_text(
        "tables:\n  note01: 注：本表是{{ S }}全年收支的总表。\n", encoding="utf-8"
    )
    text = build(project, copy_report(tmp_path))["report.md"]
    golden = GOLDEN.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(golden.splitlines(), text.splitlines(), strict=True) if a != b]
    assert changed == [("注：本表反映部门本年度的总收支和年初、年末结转结余情况。", "注：本表是部门全年收支的总表。")]


def test_a_template_file_of_the_project_replaces_the_packages_one(tmp_path: Path):
    project = tmp_path / "project"
    sections = project / "templates" / "_shared" / "sections"
    sections.mkdir(parents=True)
    shutil.copy(PACKAGE / "templates" / "_shared" / "sections" / "glossary.md.j2", sections / "glossary.md.j2")
    (sections / "glossary.md.j2").write_text('以下名词按表中出现的顺序排列。\n\n{{ island("glossary") }}\n', encoding="utf-8")
    text = build(project, copy_report(tmp_path))["report.md"]
    assert "# 第四部分 名词解释\n\n以下名词按表中出现的顺序排列。\n\n1\\. **财政拨款收入**" in text
    assert text.count("以下名词按") == 1


def test_a_profile_of_the_project_sits_beside_the_packages(tmp_path: Path):
    project = tmp_path / "project"
    own = project / "templates" / "brief"
    own.mkdir(parents=True)
    (own / "名称.txt").write_text("简明\n", encoding="utf-8")
    (own / "report.md.j2").write_text(
        '{% include "sections/cover.md.j2" %}\n\n# 概况\n\n{% include "sections/overview.md.j2" %}\n', encoding="utf-8"
    )
    folder = copy_report(tmp_path)
    manifest = folder / "report.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("提纲: 财政部", "提纲: 简明"), encoding="utf-8")
    text = build(project, folder)["report.md"]
    assert "# 第一部分 概况\n\n## 一、部门职责" in text and "决算情况说明" not in text
    assert Toolkit(Project(project)).project.profiles["简明"] == "brief"
    assert Toolkit(Project(project)).project.profiles["财政部"] == "mof"  # the package's profiles are still there


def test_a_theme_file_of_the_project_replaces_the_packages_one(tmp_path: Path):
    project = tmp_path / "project"
    theme = project / "themes" / "default"
    theme.mkdir(parents=True)
    css = (PACKAGE / "themes" / "default" / "style.css").read_text(encoding="utf-8")
    (theme / "style.css").write_text(css + "\n/* 本站的样式 */\n", encoding="utf-8")
    page = build(project, copy_report(tmp_path), ("html",))["report.html"]
    assert "/* 本站的样式 */" in page
    assert '<meta name="viewport"' in page  # page.html.j2 still comes from the package


def test_a_new_theme_of_the_project_takes_the_default_themes_other_files(tmp_path: Path):
    project = tmp_path / "project"
    (project / "themes" / "plain").mkdir(parents=True)
    (project / "themes" / "plain" / "style.css").write_text("body { color: black; }\n", encoding="utf-8")
    folder = copy_report(tmp_path)
    manifest = folder / "report.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("主题: default", "主题: plain"), encoding="utf-8")
    built = build_report(folder, Toolkit(Project(project)), ("html", "docx"))
    assert "body { color: black; }" in built.files["report.html"].decode("utf-8")
    assert built.files["report.docx"].startswith(b"PK")  # docx.yaml comes from the default theme


def test_an_unknown_theme_is_a_message_at_the_report_yaml_line(tmp_path: Path):
    folder = copy_report(tmp_path)
    manifest = folder / "report.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("主题: default", "主题: 无此主题"), encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        build(tmp_path / "empty", folder)
    assert caught.value.location.line == 7 and "没有名为“无此主题”的主题；可选：default" in caught.value.message


def test_a_slip_in_the_standard_glossary_is_a_located_message(tmp_path: Path):
    project = tmp_path / "project"
    (project / "templates" / "_shared").mkdir(parents=True)
    (project / "templates" / "_shared" / "glossary.yaml").write_text(
        "标准名词:\n  - 名词: 财政拨款收入\n    解释：指本级财政当年拨付的资金。\n科目解释: {}\n", encoding="utf-8"
    )
    with pytest.raises(ReportError) as caught:
        build(project, copy_report(tmp_path))
    error = caught.value
    assert error.location.file.endswith("templates/_shared/glossary.yaml") and error.location.line == 3
    assert "全角冒号" in error.message and "Traceback" not in error.render()
