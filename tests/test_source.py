"""The YAML loader: node locations and field paths, raw scalar text, and its syntax messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosure.errors import Location, ReportError
from disclosure.read.source import Mapping, Node, Scalar, Sequence, describe, fullwidth_colon_hint, load_yaml, parse_yaml

SAMPLE = """\
# 注释行不占节点
公开01表:
  收入:
    一般公共预算财政拨款收入: 702.36
  合计: {本年收入合计: 731.21, 其他收入: 0.35}
  科目:
    - {编码: "208", 名称: 社会保障和就业支出}
    - 编码: '210'
      本年支出: ~
年度: 2024
列表: [甲, 乙]
空:
"""


def at(node: Node, *keys: str | int) -> Node:
    """Follow mapping keys and 1-based list positions down a node tree."""
    for key in keys:
        if isinstance(key, int):
            assert isinstance(node, Sequence)
            node = node.items[key - 1]
        else:
            assert isinstance(node, Mapping)
            found = node.get(key)
            assert found is not None, key
            node = found
    return node


def key_of(mapping: Node, name: str) -> Scalar:
    assert isinstance(mapping, Mapping)
    return next(key for key, _ in mapping.items if key.text == name)


@pytest.fixture
def root() -> Node:
    return parse_yaml(SAMPLE, "t.yaml")


def test_top_level_is_a_mapping_in_order(root: Node) -> None:
    assert isinstance(root, Mapping)
    assert root.keys() == ["公开01表", "年度", "列表", "空"]
    assert root.loc == Location("t.yaml", 2, 1, "")


def test_nested_keys_carry_line_column_and_path(root: Node) -> None:
    income = at(root, "公开01表", "收入")
    key = key_of(income, "一般公共预算财政拨款收入")
    assert key.loc == Location("t.yaml", 4, 5, "公开01表.收入.一般公共预算财政拨款收入")
    value = at(income, "一般公共预算财政拨款收入")
    # Columns count characters, not bytes: 12 Chinese characters, “: ” and four spaces.
    assert value.loc == Location("t.yaml", 4, 19, "公开01表.收入.一般公共预算财政拨款收入")


def test_a_block_collection_is_located_at_its_key(root: Node) -> None:
    # The user looks at the line of the key, not at the first line of the block under it.
    assert at(root, "公开01表").loc == Location("t.yaml", 2, 1, "公开01表")
    assert at(root, "公开01表", "收入").loc == Location("t.yaml", 3, 3, "公开01表.收入")
    assert at(root, "公开01表", "科目").loc == Location("t.yaml", 6, 3, "公开01表.科目")


def test_flow_mapping_locations(root: Node) -> None:
    total = at(root, "公开01表", "合计")
    assert total.loc == Location("t.yaml", 5, 7, "公开01表.合计")  # the “{”
    assert key_of(total, "其他收入").loc == Location("t.yaml", 5, 24, "公开01表.合计.其他收入")
    assert at(total, "其他收入").loc == Location("t.yaml", 5, 30, "公开01表.合计.其他收入")
    flow_list = at(root, "列表")
    assert isinstance(flow_list, Sequence)
    assert flow_list.loc == Location("t.yaml", 11, 5, "列表")
    assert [item.loc.column for item in flow_list.items] == [6, 9]


def test_list_items_have_one_based_paths(root: Node) -> None:
    first = at(root, "公开01表", "科目", 1)
    assert first.loc == Location("t.yaml", 7, 7, "公开01表.科目[1]")
    assert at(first, "编码").loc == Location("t.yaml", 7, 12, "公开01表.科目[1].编码")
    second = at(root, "公开01表", "科目", 2)
    assert second.loc == Location("t.yaml", 8, 7, "公开01表.科目[2]")
    assert key_of(second, "本年支出").loc == Location("t.yaml", 9, 7, "公开01表.科目[2].本年支出")


def test_scalars_keep_the_raw_text(root: Node) -> None:
    amount = at(root, "公开01表", "收入", "一般公共预算财政拨款收入")
    assert isinstance(amount, Scalar) and amount.text == "702.36" and not amount.quoted
    code = at(root, "公开01表", "科目", 1, "编码")
    assert isinstance(code, Scalar) and code.text == "208" and code.quoted
    single = at(root, "公开01表", "科目", 2, "编码")
    assert isinstance(single, Scalar) and single.text == "210" and single.quoted
    year = at(root, "年度")
    assert isinstance(year, Scalar) and year.text == "2024"


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("值: 0.10", "0.10"),  # not 0.1
        ("值: 1,234.50", "1,234.50"),
        ("值: 2025-08-20", "2025-08-20"),  # not a date object
        ("值: yes", "yes"),  # not True
        ("值: 0700", "0700"),  # not octal 448
        ("值: 1e3", "1e3"),
        ("值: ０.５", "０.５"),
    ],
)
def test_no_implicit_conversion(text: str, raw: str) -> None:
    value = at(parse_yaml(text, "t.yaml"), "值")
    assert isinstance(value, Scalar)
    assert value.text == raw


def test_a_list_at_the_top() -> None:
    root = parse_yaml("- 名词: 财政拨款\n- 名词: 结转\n", "glossary.yaml")
    assert isinstance(root, Sequence)
    assert [item.loc.path for item in root.items] == ["[1]", "[2]"]


@pytest.mark.parametrize(
    ("text", "null"),
    [("值: ~", True), ("值: null", True), ("值:", True), ("值: ''", False), ('值: "~"', False), ("值: 0", False)],
)
def test_null_values(text: str, null: bool) -> None:
    value = at(parse_yaml(text, "t.yaml"), "值")
    assert isinstance(value, Scalar)
    assert value.is_null is null
    assert (describe(value) == "空值") is null


def test_describe_names_node_kinds(root: Node) -> None:
    assert describe(at(root, "公开01表")) == "若干“键: 值”"
    assert describe(at(root, "列表")) == "列表"
    assert describe(at(root, "年度")) == "“2024”"
    assert describe(parse_yaml("", "t.yaml")) == "空内容"


# ---------------------------------------------------------------------------- messages


def error(text: str) -> ReportError:
    with pytest.raises(ReportError) as caught:
        parse_yaml(text, "t.yaml")
    return caught.value


def test_duplicate_key() -> None:
    exc = error("类型: 决算\n口径: 部门\n口径: 单位\n")
    assert exc.location == Location("t.yaml", 3, 1, "口径")
    assert exc.message == "重复的键“口径”：第 2 行已经写过，请删除或合并其中一处"


def test_duplicate_key_nested_and_in_flow_mapping() -> None:
    exc = error("政府采购:\n  货物: 1\n  服务: 2\n  货物: 3\n")
    assert str(exc) == "t.yaml:4: 政府采购.货物: 重复的键“货物”：第 2 行已经写过，请删除或合并其中一处"
    exc = error("合计: {合计: 1, 基本支出: 2, 合计: 3}\n")
    assert str(exc) == "t.yaml:1: 合计.合计: 重复的键“合计”：第 1 行已经写过，请删除或合并其中一处"
    assert exc.location.column == 22


def test_same_key_in_different_mappings_is_fine() -> None:
    parse_yaml("甲:\n  合计: 1\n乙:\n  合计: 1\n", "t.yaml")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("类型: 决算\n\t口径: 部门\n", 2),  # a tab before a top-level key
        ("三公经费:\n\t因公出国: 0\n", 2),  # a tab where the nested block starts
        ("三公经费:\n  团组数: 0\n\t\t人次: 0\n", 3),
        ("说明: |\n\t第一段\n", 2),  # in a block scalar
    ],
)
def test_tab_indentation(text: str, line: int) -> None:
    exc = error(text)
    assert exc.location.line == line
    assert exc.message == "这一行用了 Tab 键缩进，YAML 只能用空格缩进"


def test_unclosed_quote_points_at_the_opening_quote() -> None:
    exc = error('类型: 决算\n部门名称: "临江区医疗保障局\n年度: 2024\n')
    assert (exc.location.line, exc.location.column) == (2, 7)
    assert exc.message == "引号没有闭合：从这里开始的引号直到文件末尾都没有配对的结束引号"


def test_unclosed_brace_points_at_its_line() -> None:
    exc = error("合计: {本年收入合计: 731.21, 其他收入: 0.35\n科目: 1\n")
    assert (exc.location.line, exc.location.column) == (1, 5)
    assert exc.message == "花括号 { } 内各项之间要用半角逗号分隔，并以“}”结束"


def test_full_width_comma_in_braces() -> None:
    exc = error("合计: {本年收入合计: 731.21，其他收入: 0.35}\n")
    assert exc.location.line == 1
    assert exc.message == "花括号 { } 内各项之间要用半角逗号分隔，并以“}”结束；这一行用了全角逗号“，”"


@pytest.mark.parametrize("last", [True, False])
def test_full_width_colon_is_named_on_its_own_line(last: bool) -> None:
    text = "类型: 决算\n口径：部门\n" + ("" if last else "年度: 2024\n")
    exc = error(text)
    assert exc.location.line == 2
    assert exc.message == "这里用了全角冒号“：”：每一项应写成“键: 值”（半角冒号，冒号后加一个空格）"


def test_missing_space_after_colon() -> None:
    exc = error("类型: 决算\n口径:部门\n年度: 2024\n")
    assert exc.location.line == 2
    assert exc.message == "冒号“:”后面要加一个空格：每一项应写成“键: 值”"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("类型: 决算\n  口径: 部门\n", 2, "此处不能出现“键: 值”：可能是缩进不对，或者值里含有“: ”（请给整个值加引号）"),
        ("a:\n  - b: 1\n   - c: 2\n", 3, "列表项缩进不对齐：同一列表的“- ”应在同一列"),
        ("a: - 甲\n", 1, "此处不能开始列表：列表项“- ”要另起一行，并比上一级多缩进"),
        ("提纲: @财政部\n", 1, "值不能以“@”开头，请给整个值加引号"),
        ("提纲: `财政部`\n", 1, "值不能以“`”开头，请给整个值加引号"),
        ("a: 1\n---\na: 2\n", 2, "一个文件只能有一份内容，请删除多余的“---”"),
        ('a: "C:\\d"\n', 1, "双引号中的反斜杠“\\”不合法：请改用单引号，或写成“\\\\”"),
        ("a: *x\n", 1, "引用了未定义的锚点（*名称）：如果这是文字，请给整个值加引号"),
        ("备注: *不含上年结转\n", 1, "值不能以“*”开头，请给整个值加引号"),
        ("备注: &说明\n", 1, "值不能以“&”开头，请给整个值加引号"),
        ("[甲, 乙]: 1\n", 1, "键必须是简单文字"),
    ],
)
def test_other_syntax_messages(text: str, line: int, message: str) -> None:
    exc = error(text)
    assert exc.location.line == line
    assert exc.message == message


def test_unknown_libyaml_problems_are_not_shown_in_english() -> None:
    exc = error("%YAML 1.1\n%YAML 1.1\n---\na: 1\n")
    assert exc.message == "YAML 格式错误：请检查这一行的缩进、冒号“: ”和引号"


def test_control_character() -> None:
    exc = error("a: 1\nb: 中文\x07\n")
    # libyaml names no place for it; the scan before parsing points at line 2, after “b: 中文”.
    assert exc.location == Location("t.yaml", 2, 6)
    assert exc.message == "文件中含有不可见的控制字符（U+0007），请删除"


# ---------------------------------------------------------------------------- files


def test_a_gbk_file_is_read_as_gb18030_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "overview.yaml"
    path.write_bytes("主要职能: 负责医疗保障工作。\n".encode("gbk"))
    notices: list = []
    root = load_yaml(path, "overview.yaml", notices)
    assert at(root, "主要职能").text == "负责医疗保障工作。"
    assert [n.render() for n in notices] == [
        "overview.yaml: 警告：文件是 GB18030 编码，已按 GB18030 读取；请在编辑器中“另存为”UTF-8 编码"
    ]


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes("\ufeff年度: 2024\n".encode())
    root = load_yaml(path, "report.yaml")
    assert isinstance(root, Mapping) and root.keys() == ["年度"]
    assert at(root, "年度").loc == Location("report.yaml", 1, 5, "年度")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as caught:
        load_yaml(tmp_path / "nothing.yaml", "nothing.yaml")
    assert caught.value.render() == "nothing.yaml: 错误：无法读取文件（No such file or directory）"


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n", "---\n", "~\n"])
def test_empty_file_is_an_empty_mapping(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text(text, encoding="utf-8")
    root = load_yaml(path, "notes.yaml")
    assert isinstance(root, Mapping)
    assert root.items == ()
    assert root.loc == Location("notes.yaml", 1, 1)


def test_messages_show_the_line_with_a_caret_under_wide_characters(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_text("类型: 决算\n部门名称: '临江区\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_yaml(path, str(path))
    lines = caught.value.render().splitlines()
    assert lines[0] == f"{path}:2: 错误：引号没有闭合：从这里开始的引号直到文件末尾都没有配对的结束引号"
    assert lines[1] == "    2 | 部门名称: '临江区"
    # Four wide characters take eight cells, then “: ”: the caret sits under the quote.
    assert lines[2] == " " * len("    2 | ") + " " * 10 + "^"
    assert caught.value.render(with_source=False) == lines[0]


# ---------------------------------------------------------------------------- hints


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("主要职能：负责", "（这里用了全角冒号“：”，应使用半角冒号“:”，并在冒号后加一个空格）"),
        ("主要职能:负责", "（冒号“:”后面要加一个空格）"),
        ("负责全区医疗保障工作", ""),
        ("时间 10:30", ""),  # a colon inside ordinary text is not a key
    ],
)
def test_fullwidth_colon_hint(text: str, hint: str) -> None:
    assert fullwidth_colon_hint(text) == hint


def test_a_file_outside_the_working_folder_is_shown_by_its_real_path_when_that_is_inside(tmp_path, monkeypatch):
    """A message names a file relative to the working folder even when it was reached through a link
    (a linked folder, a linked file), and by the path as given when it really lies elsewhere."""
    from disclosure.errors import display_path

    work = tmp_path / "work"
    (work / "content" / "yibaoju" / "2024").mkdir(parents=True)
    (work / "content" / "yibaoju" / "2024" / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "via").symlink_to(work)  # a folder link to the working folder
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked.yaml").symlink_to(work / "content" / "yibaoju" / "2024" / "notes.yaml")
    (outside / "real.yaml").write_text("x: 1\n", encoding="utf-8")
    monkeypatch.chdir(work)
    through_folder = tmp_path / "via" / "content" / "yibaoju" / "2024" / "notes.yaml"
    assert display_path(through_folder) == "content/yibaoju/2024/notes.yaml"
    assert display_path(outside / "linked.yaml") == "content/yibaoju/2024/notes.yaml"
    assert display_path(outside / "real.yaml") == str(outside / "real.yaml")
    # “..” after a link climbs from where the link leads (the working folder's parent is tmp_path).
    assert display_path(tmp_path / "via" / "content" / ".." / "content" / "yibaoju") == "content/yibaoju"
    assert display_path(tmp_path / "via" / ".." / "outside" / "real.yaml") == str(
        tmp_path / "via" / ".." / "outside" / "real.yaml"
    )
