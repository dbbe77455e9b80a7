"""Hostile and broken input (issue 16): every one is a located Chinese message, never a traceback,
a hang, a crash of the whole site or a silent misreading.

Each test here failed before its fix; the fuzz test (test_fuzz.py) holds the same line over
hundreds of generated mutations.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest

from disclosure.errors import Location, ReportError
from disclosure.read.source import MAX_DEPTH, Mapping, load_yaml, parse_yaml


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
