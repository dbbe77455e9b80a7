"""Hostile and broken input (issue 16): every one is a located Chinese message, never a traceback,
a hang, a crash of the whole site or a silent misreading.

Each test here failed before its fix; the fuzz test (test_fuzz.py) holds the same line over
hundreds of generated mutations.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import time
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import pytest

from disclosure.cli import main
from disclosure.errors import Location, ReportError
from disclosure.pipeline import Toolkit, build_report, check_report, checked
from disclosure.read.folder import discover, find_reports, read_report, slug_of
from disclosure.read.source import MAX_DEPTH, Mapping, load_yaml, parse_yaml
from disclosure.resources import PACKAGE, Project
from disclosure.site.builder import build_site

from conftest import CONTENT


def error(text: str) -> ReportError:
    with pytest.raises(ReportError) as caught:
        parse_yaml(text, "t.yaml")
    return caught.value


def load_error(path: Path, name: str = "t.yaml") -> ReportError:
    with pytest.raises(ReportError) as caught:
        load_yaml(path, name)
    return caught.value


# ---------------------------------------------------------------------------- YAML bombs (§4)


def test_an_alias_bomb_is_refused_at_once() -> None:
    # Nine levels of nine aliases: 9**9 = 387 million values from a 420-byte file.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        name, below = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [{','.join(['*' + below] * 9)}]")
    text = "\n".join(lines) + "\n"
    assert len(text) < 500
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    exc = error(text)
    assert time.perf_counter() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB: nothing was expanded
    assert exc.message.startswith("文件中的内容过多（超过 200000 项，引用“*名称”展开后的内容也计算在内）")
    # Level e holds 9**5 = 59049 values and f 9**6 = 531441: the file is refused at f's line.
    assert exc.location.line == 6


def test_aliases_within_the_bound_still_read() -> None:
    root = parse_yaml("甲: &x 12.5\n乙: *x\n", "t.yaml")
    assert isinstance(root, Mapping)
    assert [value.text for _, value in root.items] == ["12.5", "12.5"]  # type: ignore[attr-defined]


def test_a_recursive_alias_is_a_message() -> None:
    exc = error("a: &a [1, *a]\n")
    assert exc.location == Location("t.yaml", 1, 11)
    assert exc.message == "引用“*a”指向包含它自己的内容（循环引用）：请删除这个引用"


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 500 + "]" * 500 + "\n",
        "a: " + "{b: " * 500 + "1" + "}" * 500 + "\n",
        "".join("  " * i + "-\n" for i in range(500)),
        # libyaml's C composer recursed and crashed the process on this one (segmentation fault).
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    ],
    ids=["flow-500", "mapping-500", "block-500", "flow-100000"],
)
def test_deep_nesting_is_a_message(text: str) -> None:
    exc = error(text)
    assert exc.message == f"内容嵌套过深（超过 {MAX_DEPTH} 层）：请检查缩进和括号，报告的文件用不到这么多层"
    assert exc.location.line >= 1 and exc.location.path == ""


def test_nesting_as_deep_as_the_bound_reads() -> None:
    parse_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "t.yaml")


# ---------------------------------------------------------------------------- control characters and encodings (§13)


@pytest.mark.parametrize(
    ("text", "line", "column", "code"),
    [
        ("a: 1\nb: 中文\x07\n", 2, 6, "0007"),
        ("a: 1\r\nb: x\x1b[31m\r\n", 2, 5, "001B"),
        ("a: '\x00'\n", 1, 5, "0000"),
        ("a: 1\n\n\n# 注释\x7f\n", 4, 5, "007F"),
    ],
)
def test_a_control_character_is_pointed_at(text: str, line: int, column: int, code: str) -> None:
    exc = error(text)
    assert exc.location == Location("t.yaml", line, column)
    assert exc.message == f"文件中含有不可见的控制字符（U+{code}），请删除"


def test_a_message_never_sends_a_control_character_to_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"a: 1\nb: x\x1b[2J\n")
    rendered = load_error(path, str(path)).render()
    assert "\x1b" not in rendered
    assert rendered.splitlines()[1] == "    2 | b: x\u241b[2J"  # ␛ shows where the escape is


def test_a_truncated_utf8_file_is_said_to_be_truncated(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_bytes("原因: 办公费增加\n用途: 日常办公".encode()[:-2])  # the last 公 cut in half
    exc = load_error(path, "notes.yaml")
    assert exc.location == Location("notes.yaml", 2, 8)
    assert exc.message == "文件在这里被截断：最后一个字只有一半（文件可能没有保存完整，或复制时中断）"


def test_gbk_pasted_into_a_utf8_file_is_pointed_at(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_bytes("原因: 办公费增加\n用途: ".encode() + "日常办公".encode("gbk") + b"\n")
    exc = load_error(path, "notes.yaml")
    assert exc.location == Location("notes.yaml", 2, 5)
    assert exc.message.startswith("从这里起的文字不是 UTF-8 编码（前面的文字是）")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 22 + b"word/document.xml", "Word 文档（.docx）"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 22 + b"xl/workbook.xml", "Excel 工作簿（.xlsx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Word 或 Excel 文件（.doc、.xls、.wps）"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF 文件"),
        (b"\x00\x01\x02\x80\x81\xfe", "二进制文件"),
    ],
    ids=["docx", "xlsx", "doc", "pdf", "binary"],
)
def test_a_file_that_is_no_text_is_named_for_what_it_is(tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "tables.yaml"
    path.write_bytes(data)
    exc = load_error(path, "tables.yaml")
    assert exc.location == Location("tables.yaml")
    assert exc.message.startswith(f"这是一个{kind}，不是 YAML 文本文件")


def test_a_utf16_file_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "overview.yaml"
    path.write_bytes("主要职能: 负责医疗保障工作。\n".encode("utf-16"))
    notices: list = []
    root = load_yaml(path, "overview.yaml", notices)
    assert isinstance(root, Mapping) and root.keys() == ["主要职能"]
    assert [n.message for n in notices] == ["文件是 UTF-16 编码，已按 UTF-16 读取；请在编辑器中“另存为”UTF-8 编码"]


# ---------------------------------------------------------------------------- report folders


@pytest.fixture()
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled content at <tmp>/content, read from <tmp> (paths print as content/…)."""
    shutil.copytree(CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return Path("content")


YIBAO = Path("content/linjiang-yibaoju/2024")
NONGYE = Path("content/linjiang-nongyeju/2024")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: {old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def unlabelled(text: str) -> str:
    """A message as these tests state it: its location and text, the label 错误 (checked here) left out."""
    assert ": 错误：" in text, text
    return text.replace(": 错误：", ": ", 1)


def check_error(folder: Path) -> str:
    """The first line of the message `check` prints for a report that does not read."""
    with pytest.raises(ReportError) as caught:
        check_report(folder)
    return unlabelled(caught.value.render(with_source=False))


def markdown(folder: Path) -> str:
    built = build_report(folder, Toolkit(), ("md",))
    assert not built.errors, [f.render() for f in built.errors]
    return built.files["report.md"].decode("utf-8")


class Timeout(Exception):
    pass


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: a FIFO opened for reading waits for a writer forever."""

    def expire(signum, frame):
        raise Timeout(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_link_out_of_the_content_folder_is_refused_and_never_quoted(content: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (YIBAO / "tables.yaml").unlink()
    (YIBAO / "tables.yaml").symlink_to(secret)
    message = check_error(YIBAO)
    assert message == (
        "content/linjiang-yibaoju/2024/tables.yaml: 这是一个指向内容文件夹以外的符号链接："
        "工具不读取内容文件夹以外的文件，请把文件复制进来"
    )
    assert "root" not in message


def test_a_link_inside_the_content_folder_is_read(content: Path) -> None:
    # The same glossary for two years: a link to the other year's file stays inside content/.
    glossary = YIBAO / "glossary.yaml"
    glossary.write_text("- 名词: 医疗救助\n  解释: 对困难群众参保和就医给予的资助。\n", encoding="utf-8")
    linked = Path("content/linjiang-yibaoju/2023/glossary.yaml")
    linked.unlink(missing_ok=True)
    linked.symlink_to(Path("../2024/glossary.yaml"))
    assert check_report(linked.parent).report.glossary[0].name == "医疗救助"


def test_a_year_folder_that_links_out_is_refused(content: Path, tmp_path: Path) -> None:
    shutil.move(str(NONGYE), tmp_path / "elsewhere")
    NONGYE.symlink_to(tmp_path / "elsewhere")
    assert check_error(NONGYE).endswith(
        "这个报告文件夹是一个指向内容文件夹以外的符号链接：工具不读取内容文件夹以外的文件，请把文件夹复制进来"
    )


@pytest.mark.parametrize("kind", ["folder", "loop", "fifo", "dangling"])
def test_an_odd_entry_in_evaluations_fails_that_report_with_a_message(content: Path, kind: str) -> None:
    entry = YIBAO / "evaluations" / "04-备份.yaml"
    if kind == "folder":
        entry = YIBAO / "evaluations" / "备份"
        shutil.copytree(YIBAO / "evaluations", Path("backup"))
        shutil.move("backup", entry)
    elif kind == "loop":
        entry.symlink_to(entry.name)
    elif kind == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to("05-没有这个文件.yaml")
    expected = {
        "folder": "evaluations/ 中不能有文件夹（是备份吗？）：自评表文件直接放在 evaluations/ 中，备份请移出报告文件夹",
        "loop": "这是一个循环的符号链接（链接最终指向它自己）：请换成文件",
        "fifo": "evaluations/ 中的这一项不是文件，而是一个管道（FIFO）：请删除",
        "dangling": "这是一个失效的符号链接（它指向的文件不存在）：请换成文件",
    }[kind]
    with deadline(20):
        assert check_error(YIBAO) == f"{entry}: {expected}"
        # The site build fingerprints every entry before building: the others still build.
        result = build_site(Path("content"), find_reports(Path("content")), Path("out"), formats=("md",), jobs=1)
    failed = [o.folder for o in result.outcomes if o.failed]
    assert failed == [str(YIBAO)]
    assert result.count("built") == len(result.outcomes) - 1


def test_a_fifo_in_place_of_a_file_does_not_hang(content: Path) -> None:
    (YIBAO / "notes.yaml").unlink()
    os.mkfifo(YIBAO / "notes.yaml")
    with deadline(20):
        assert check_error(YIBAO) == f"{YIBAO}/notes.yaml: 这不是一个普通文件，而是一个管道（FIFO）：请换成文件"


def test_the_same_evaluation_under_two_names_is_refused(content: Path) -> None:
    # Counted twice, the evaluated projects came to 126.77% of the project spending.
    shutil.copy(YIBAO / "evaluations" / "01-jumin-yibao-buzhu.yaml", YIBAO / "evaluations" / "01-copy.yaml")
    assert check_error(YIBAO) == (
        f"{YIBAO}/evaluations/01-jumin-yibao-buzhu.yaml:5: 名称: 与 evaluations/01-copy.yaml 是同一张自评表"
        "（项目支出“城乡居民医保区级财政补助资金”）：同一张表只能有一个文件，否则会计算两次；请删除其中一个"
    )


def test_a_repeated_06_code_is_refused(content: Path) -> None:
    tables = YIBAO / "tables.yaml"
    text = tables.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if '编码: "30101"' in x)
    edit(tables, line + "\n", line + "\n" + line + "\n")
    number = text.splitlines().index(line) + 2
    assert check_error(YIBAO) == (
        f"{YIBAO}/tables.yaml:{number}: 公开06表.人员经费[3].编码: 经济分类科目 30101 重复出现（第 {number - 1} 行已有）：请删除或合并其中一行"
    )


def test_a_workbook_named_by_a_path_is_refused(content: Path) -> None:
    edit(YIBAO / "report.yaml", "部门名称:", "公开表文件: ../../../../etc/book.xlsx\n部门名称:")
    assert check_error(YIBAO).endswith("公开表文件只写文件名（工作簿放在报告文件夹中），不能写路径“../../../../etc/book.xlsx”")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("javascript:alert(1)", "含有“:”，网址和文件名中不能使用"),
        ("a#b", "含有“#”，网址和文件名中不能使用"),
        ("a%2e%2e", "含有“%”，网址和文件名中不能使用"),
        ("a\x07b", "含有不可见字符 U+0007，网址和文件名中不能使用"),
        ("-rf", "不能以“.”“~”“-”或空格开头，也不能以空格或“.”结尾"),
        ("CON", "是 Windows 的保留名称"),
        ("a" * 101, "过长（101 个字符，最多 100 个）"),
    ],
)
def test_a_department_folder_the_web_cannot_serve_is_refused(content: Path, name: str, problem: str) -> None:
    folder = Path("content") / name / "2024"
    shutil.move("content/linjiang-nongyeju", folder.parent)
    shown = name.replace("\x07", "\u2407")  # a message shows a control character as its picture
    assert check_error(folder) == (
        f"content/{shown}/2024: 部门文件夹名“{shown}”{problem}：它是发布网站上的地址的一部分，请改用拼音、数字和连字符（例如 linjiang-yibaoju）"
    )


def test_chinese_and_spaces_in_a_department_folder_are_served(content: Path) -> None:
    folder = Path("content/临江 农业局/2024")
    shutil.move("content/linjiang-nongyeju", folder.parent)
    assert check_report(folder).report.slug == "临江 农业局"


@pytest.mark.parametrize("given", ["content/linjiang-nongyeju/2024/../2024", "content/linjiang-nongyeju/2024/."])
def test_a_folder_given_with_dots_names_the_real_folders(content: Path, given: str) -> None:
    # Path("…/2024/../2024").parent.name is "..": the report went to out/../2024, outside --out.
    assert slug_of(Path(given)) == "linjiang-nongyeju"
    result = build_site(Path("content"), [Path(given)], Path("out"), formats=("md",), jobs=1)
    assert not result.failed
    assert Path("out/linjiang-nongyeju/2024/report.md").is_file()
    assert sorted(p.name for p in Path(".").iterdir()) == ["content", "out"]  # nothing beside out/


def test_a_year_folder_named_with_a_character_is_refused(content: Path) -> None:
    # Read as the department “2024年” of year 2024, it published out/2024年/2024/.
    folder = Path("content/linjiang-nongyeju/2024年")
    NONGYE.rename(folder)
    assert check_error(folder) == (
        f"{folder}: 年度文件夹的名称应只有四位数字，例如 2024，而不是“2024年”：否则“2024年”会被当作部门文件夹名"
    )


@pytest.mark.parametrize("name", ["report.yml", "Report.yaml", "report.yaml.txt", "REPORT.YAML"])
def test_a_manifest_under_another_name_is_said(content: Path, name: str) -> None:
    (NONGYE / "report.yaml").rename(NONGYE / name)
    found = discover(Path("content"))
    assert NONGYE not in found.reports
    assert [unlabelled(p.render(with_source=False)) for p in found.problems] == [
        f"{NONGYE}/{name}: 报告清单的文件名应为 report.yaml（全部小写，扩展名 .yaml），而不是“{name}”：请改名，否则这份报告不会生成"
    ]


def test_report_files_without_a_manifest_are_said(content: Path) -> None:
    (NONGYE / "report.yaml").unlink()
    assert [unlabelled(p.render(with_source=False)) for p in discover(Path("content")).problems] == [
        f"{NONGYE}: 这个文件夹中有 evaluations，却没有 report.yaml：它不会生成；请补上 report.yaml（或把这个文件夹移出 content/）"
    ]


def test_a_linked_year_folder_is_said(content: Path, tmp_path: Path) -> None:
    shutil.move(str(NONGYE), tmp_path / "2024")
    NONGYE.symlink_to(tmp_path / "2024")
    assert [unlabelled(p.render(with_source=False)) for p in discover(Path("content")).problems] == [
        f"{NONGYE}: 这个文件夹是一个符号链接，工具不进入链接的文件夹，其中的报告不会生成：请把文件夹复制过来（或删除这个链接）"
    ]


def test_a_report_folder_inside_another_is_said_and_the_outer_one_builds(content: Path) -> None:
    shutil.copytree(NONGYE, Path("nested"))
    shutil.move("nested", NONGYE / "2023")
    found = discover(Path("content"))
    assert NONGYE in found.reports and NONGYE / "2023" not in found.reports
    assert [unlabelled(p.render(with_source=False)) for p in found.problems] == [
        f"{NONGYE}/2023: 报告文件夹 {NONGYE} 中又有一个报告文件夹：它不会生成；每份报告应放在 content/<部门>/<年度>/，请把它移出来"
    ]
    assert not check_report(NONGYE).errors


def test_the_cli_counts_a_vanishing_report_as_a_failure(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (NONGYE / "report.yaml").rename(NONGYE / "report.yml")
    assert main(["check", "content"]) == 1
    printed = capsys.readouterr().out
    assert f"{NONGYE}/report.yml: 错误：报告清单的文件名应为 report.yaml" in printed
    assert "1 份报告有问题" in printed


# ---------------------------------------------------------------------------- theme and outline names (§1)

ESCAPE = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "主题: default/../../elsewhere",
            "主题: 主题只写 themes/ 下的一个文件夹名，不能写路径“default/../../elsewhere”；可选：default",
        ),
        ("主题: /tmp", "主题: 主题只写 themes/ 下的一个文件夹名，不能写路径“/tmp”；可选：default"),
        ("主题: ..", "主题: 主题只写 themes/ 下的一个文件夹名，不能写路径“..”；可选：default"),
        ("主题: _shared", "主题: 主题只写 themes/ 下的一个文件夹名，不能写路径“_shared”；可选：default"),
        (
            "提纲: ../../../etc",
            "提纲: 提纲只写提纲的名称或 templates/ 下的一个文件夹名，不能写路径“../../../etc”；可选：云南、云南省、四川、四川省、安徽、安徽省、财政部、财政部标准",
        ),
        (
            "提纲: C:\\temp",
            "提纲: 提纲只写提纲的名称或 templates/ 下的一个文件夹名，不能写路径“C:\\temp”；可选：云南、云南省、四川、四川省、安徽、安徽省、财政部、财政部标准",
        ),
    ],
)
def test_a_theme_or_outline_given_as_a_path_is_refused_by_check(content: Path, line: str, message: str) -> None:
    key = line.split(":")[0]
    manifest = YIBAO / "report.yaml"
    old = next(x for x in manifest.read_text(encoding="utf-8").splitlines() if x.startswith(f"{key}:"))
    edit(manifest, old, line)
    number = manifest.read_text(encoding="utf-8").splitlines().index(line) + 1
    with pytest.raises(ReportError) as caught:
        checked(read_report(YIBAO))
    assert unlabelled(caught.value.render(with_source=False)) == f"{manifest}:{number}: {message}"


def test_a_theme_folder_linked_out_of_themes_is_no_theme(tmp_path: Path, content: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(PACKAGE / "themes" / "default", elsewhere)
    (elsewhere / "page.html.j2").write_text(ESCAPE, encoding="utf-8")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "linked").symlink_to(elsewhere)
    project = Project(tmp_path)
    assert project.theme("linked") is None and "linked" not in project.themes
    edit(YIBAO / "report.yaml", "主题: default", "主题: linked")
    with pytest.raises(ReportError) as caught:
        build_report(YIBAO, Toolkit(project), ("html",))
    assert caught.value.message == "没有名为“linked”的主题；可选：default"
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("page", ["page.html.j2", "index.html.j2", "department.html.j2"])
def test_a_page_template_runs_sandboxed(tmp_path: Path, content: Path, page: str) -> None:
    # Even the project's own theme (the build server's, not a department's) cannot run a command.
    theme = tmp_path / "themes" / "default"
    theme.mkdir(parents=True)
    (theme / page).write_text(ESCAPE, encoding="utf-8")
    project = Project(tmp_path)
    if page == "page.html.j2":
        with pytest.raises(ReportError) as caught:
            build_report(YIBAO, Toolkit(project), ("html",))
        message = caught.value.message
    else:
        result = build_site(
            Path("content"), [NONGYE], Path("out"), formats=("html",), jobs=1
        )  # the project is the working folder
        assert result.count("built") == 1
        message = result.problems[0]
    assert "主题模板出错" in message and "unsafe" in message
    assert not (tmp_path / "PWNED").exists()


def test_an_outline_template_runs_sandboxed(tmp_path: Path, content: Path) -> None:
    templates = tmp_path / "templates" / "mof"
    templates.mkdir(parents=True)
    (templates / "report.md.j2").write_text(f"# 测试\n{ESCAPE}\n", encoding="utf-8")
    edit(YIBAO / "report.yaml", "提纲: 财政部", "提纲: mof")
    with pytest.raises(ReportError) as caught:
        build_report(YIBAO, Toolkit(Project(tmp_path)), ("md",))
    assert caught.value.message.startswith("模板出错：模板不能读取")
    assert not (tmp_path / "PWNED").exists()


# ---------------------------------------------------------------------------- addresses (§2)


def test_every_address_on_the_site_is_percent_encoded(content: Path) -> None:
    folder = Path("content/临江 农业局#1/2024")
    shutil.move("content/linjiang-nongyeju", folder.parent)
    assert check_error(folder).endswith(
        "含有“#”，网址和文件名中不能使用：它是发布网站上的地址的一部分，请改用拼音、数字和连字符（例如 linjiang-yibaoju）"
    )
    folder = folder.parent.rename("content/临江 农业局") / "2024"
    Path("content/site.yaml").write_text("网址: https://例子.gov.cn/决算/\n", encoding="utf-8")
    result = build_site(Path("content"), find_reports(Path("content")), Path("out"), formats=("html",), jobs=1)
    assert not result.failed, result.problems
    index = Path("out/index.html").read_text(encoding="utf-8")
    encoded = "%E4%B8%B4%E6%B1%9F%20%E5%86%9C%E4%B8%9A%E5%B1%80"  # 临江 农业局, UTF-8, percent-encoded
    assert f'href="{encoded}/index.html"' in index and f'href="{encoded}/2024/report.html"' in index
    hrefs = re.findall(r'href="([^"]*)"', index)
    assert all(not re.search(r"[\s\u0080-\uffff]", h) for h in hrefs), hrefs  # every address plain ASCII
    sitemap = ElementTree.fromstring(Path("out/sitemap.xml").read_bytes())  # well-formed XML
    locs = [e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"https://%E4%BE%8B%E5%AD%90.gov.cn/%E5%86%B3%E7%AE%97/{encoded}/2024/report.html" in locs
    assert Path(f"out/{folder.parent.name}/2024/report.html").is_file()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "www.example.gov.cn", "https://a b.cn/", "https://x.cn/\u00a0y"])
def test_a_site_address_that_is_no_web_address_is_refused(content: Path, url: str) -> None:
    Path("content/site.yaml").write_text(f"网址: {json.dumps(url)}\n", encoding="utf-8")
    result = build_site(Path("content"), [NONGYE], Path("out"), formats=("md",), jobs=1)
    shown = url
    assert [unlabelled(p.splitlines()[0]) for p in result.problems] == [
        f"content/site.yaml:1: 网址: 网址应是以 http:// 或 https:// 开头、不含空格的网站地址，"
        f"例如 https://www.example.gov.cn/juesuan/，而不是“{shown}”"
    ]


# ---------------------------------------------------------------------------- bounds: check passing means build succeeds (§6)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # The DOCX core properties reject a control character, and a title over 255 characters.
        (
            "部门名称: 青川市临江区医疗保障局",
            '部门名称: "青川市临江区\\x07医疗保障局"',
            "文字中含有不可见的控制字符（U+0007，第 7 个字符）：请删除",
        ),
        (
            "部门名称: 青川市临江区医疗保障局",
            '部门名称: "青川市\\u202e局障保疗医区江临"',
            "文字中含有文字方向控制字符（U+202E，第 4 个字符）：请删除",
        ),
        ("部门名称: 青川市临江区医疗保障局", "部门名称: " + "临" * 246, "文字过长（246 个字符，这一项最多 100 个）"),
    ],
)
def test_a_text_check_would_pass_and_build_would_crash_on_is_refused(content: Path, old: str, new: str, message: str) -> None:
    edit(YIBAO / "report.yaml", old, new)
    assert check_error(YIBAO) == f"{YIBAO}/report.yaml:8: 部门名称: {message}"


def test_an_amount_beyond_decimals_precision_is_refused(content: Path) -> None:
    # 26 digits: Decimal's 28-digit context raised InvalidOperation when the table printed it to 2 places.
    edit(YIBAO / "tables.yaml", "年初预算: 708.62}", "年初预算: 12345678901234567890123456}")
    message = check_error(YIBAO)
    assert message.endswith("数值“12345678901234567890123456”过大（整数部分最多 15 位）")


def test_a_count_and_a_score_beyond_plausibility_are_refused(content: Path) -> None:
    notes = YIBAO / "notes.yaml"
    line = next(x for x in notes.read_text(encoding="utf-8").splitlines() if "车辆合计:" in x)
    edit(notes, line, line.split(":")[0] + ": 99999999999999999999999")
    assert check_error(YIBAO).endswith("应为 0 到 10000000 之间的整数，而不是 99999999999999999999999")


def test_a_huge_paragraph_is_refused_quickly(content: Path) -> None:
    started = time.perf_counter()
    edit(YIBAO / "overview.yaml", "主要职能: ", "主要职能: " + "职" * 1_000_000 + "。")
    assert re.search(r"主要职能: 文字过长（100[0-9]{4} 个字符，这一项最多 20000 个）$", check_error(YIBAO))
    (YIBAO / "overview.yaml").write_text("主要职能: " + "职" * 4_000_000 + "\n", encoding="utf-8")
    assert check_error(YIBAO).endswith("文件过大（12.0 MB，最多 5 MB）：报告的文件通常只有几十 KB")
    assert time.perf_counter() - started < 10


# ---------------------------------------------------------------------------- misreadings (§11)

INDICATOR = "{名称: 享受财政补助的参保人数, 性质: ≥, 指标值: 5.3, 单位: 万人, 完成值: 5.04, 分值: 15,"
EVALUATION = YIBAO / "evaluations" / "01-jumin-yibao-buzhu.yaml"


def with_actual(value: str) -> str:
    """The indicator without a unit, its 完成值 written as `value`; report.md, or the message."""
    text = EVALUATION.read_text(encoding="utf-8")
    start = text.index(INDICATOR)
    EVALUATION.write_text(
        text[:start]
        + f"{{名称: 享受财政补助的参保人数, 性质: ≥, 指标值: 53000, 完成值: {value}, 分值: 15,"
        + text[start + len(INDICATOR) :],
        encoding="utf-8",
    )
    try:
        return markdown(YIBAO)
    except ReportError as exc:
        return unlabelled(exc.render(with_source=False))
    finally:
        EVALUATION.write_text(text, encoding="utf-8")


def test_an_actual_value_grouped_by_thousands_is_read_whole(content: Path) -> None:
    plain = with_actual("50402")
    assert "50402" in plain  # the form prints the value as typed
    # Read as 50 before: the indicator's score fell from 14.26 to 0.01 and the grade changed.
    for grouped in ('"50,402"', '"５０，４０２"', "５０，４０２"):
        assert with_actual(grouped).replace("50,402", "50402").replace("５０，４０２", "50402") == plain


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"50 402"', "“50 402”中的数字写法不清楚：千分位逗号应每三位一个（例如 50,402），或者不写逗号和空格（50402）"),
        ('"50,40"', "“50,40”中的数字写法不清楚：千分位逗号应每三位一个（例如 50,402），或者不写逗号和空格（50402）"),
        ("٥٠٤٠٢", "“٥٠٤٠٢”中的“٥”不是 0–9 的数字（例如阿拉伯-印度数字）：请改用 0–9 书写"),
    ],
)
def test_an_actual_value_that_cannot_be_read_whole_is_refused(content: Path, value: str, message: str) -> None:
    assert with_actual(value).endswith(f"完成值: {message}")


def test_arabic_indic_digits_in_an_amount_are_refused(content: Path) -> None:
    edit(YIBAO / "tables.yaml", "年初预算: 708.62}", "年初预算: ٧٠٨.٦٢}")
    assert check_error(YIBAO).endswith("“٧٠٨.٦٢”中的“٧”不是 0–9 的数字（例如阿拉伯-印度数字）：请改用 0–9 书写")


def test_a_required_text_given_as_empty_quotes_is_refused(content: Path) -> None:
    # Read as “”, it built a title without a department: “2024年度部门决算”.
    edit(YIBAO / "report.yaml", "部门名称: 青川市临江区医疗保障局", '部门名称: ""')
    assert check_error(YIBAO) == f"{YIBAO}/report.yaml:8: 部门名称: “部门名称”不能为空（部门（单位）全称）"


def test_a_budget_that_prints_as_zero_gives_no_rate(content: Path) -> None:
    edit(YIBAO / "tables.yaml", "年初预算: 708.62}", "年初预算: 0.000001}")
    text = markdown(YIBAO)
    assert "年初预算为0.00万元，年初预算数为0，完成年初预算的比例不可比。" in text  # was “完成年初预算的71389000000.00%”
    assert not re.search(r"[0-9]{7,}\.[0-9]{2}%", text)


def _workbook_in_place_of_tables(folder: Path) -> Path:
    (folder / "tables.yaml").unlink()
    return folder / "公开表.xlsx"


def test_a_workbook_whose_sheet_reaches_the_last_cell_is_refused_quickly(content: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "收入支出决算总表"
    book.active["XFD1048576"] = 1  # one cell at the far corner: the reader would lay out 17 billion cells
    book.save(_workbook_in_place_of_tables(YIBAO))
    started = time.monotonic()
    assert check_error(YIBAO).endswith(
        "工作表有 1048576 行、16384 列，远大于财务系统导出的公开表工作簿：请确认放对了文件，或只保留公开表所在的工作表后另存"
    )
    assert time.monotonic() - started < 10


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_unopened(content: Path) -> None:
    import zipfile

    path = _workbook_in_place_of_tables(YIBAO)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"\0" * 1_000_000
            for _ in range(300):  # 300 MB of zeros, a few hundred KB packed
                part.write(block)
    assert path.stat().st_size < 2_000_000
    assert check_error(YIBAO).endswith(
        "文件解压后超过 200 MB，远大于财务系统导出的公开表工作簿：请确认放对了文件，或只保留公开表所在的工作表后另存"
    )


def test_a_workbook_too_large_to_be_an_export_is_refused(content: Path) -> None:
    path = _workbook_in_place_of_tables(YIBAO)
    path.write_bytes(b"PK\x03\x04" + os.urandom(21_000_000))
    assert check_error(YIBAO).endswith(
        "文件有 21 MB，远大于财务系统导出的公开表工作簿：请确认放对了文件，或只保留公开表所在的工作表后另存"
    )
