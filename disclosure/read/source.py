"""Read YAML files into node trees that remember file, line, column and field path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Location, ReportError

try:  # libyaml's C parser is ten times faster; fall back only where libyaml is missing.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - libyaml ships with the PyYAML wheels we use
    from yaml.composer import Composer as _Composer
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner

    class _Parser(_Reader, _Scanner, _PyParser, _Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            _PyParser.__init__(self)
            _Composer.__init__(self)


_NULL_TAG = "tag:yaml.org,2002:null"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _Loader(_Parser, yaml.resolver.BaseResolver):
    """Compose nodes without guessing types: every value stays the text the user typed.

    Only plain nulls are recognised (an empty value, ~ or null); numbers, dates and yes/no are
    read later from the raw text by the field's own type, which is also faster than PyYAML's
    implicit resolvers.
    """

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        yaml.resolver.BaseResolver.__init__(self)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULLS else self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


@dataclass(frozen=True)
class Node:
    """A YAML node with its location; `path` is the dotted field path in the user's terms."""

    loc: Location


@dataclass(frozen=True)
class Scalar(Node):
    """A scalar exactly as typed: `text` is the raw text, `quoted` tells whether it had quotes."""

    text: str
    quoted: bool = False
    is_null: bool = False


@dataclass(frozen=True)
class Mapping(Node):
    """A mapping as an ordered list of (key scalar, value node) pairs; keys are unique."""

    items: tuple[tuple[Scalar, Node], ...]

    def keys(self) -> list[str]:
        return [key.text for key, _ in self.items]

    def get(self, key: str) -> Node | None:
        for name, value in self.items:
            if name.text == key:
                return value
        return None


@dataclass(frozen=True)
class Sequence(Node):
    """A list of nodes."""

    items: tuple[Node, ...]


def describe(node: Node) -> str:
    """Name the kind of a node in the user's words, for messages."""
    if isinstance(node, Mapping):
        return "若干“键: 值”" if node.items else "空内容"
    if isinstance(node, Sequence):
        return "列表"
    if isinstance(node, Scalar) and node.is_null:
        return "空值"
    return f"“{node.text}”" if isinstance(node, Scalar) else "未知内容"


# `键：值` typed with a full-width colon, and `键:值` without the space YAML needs.
_FULLWIDTH_COLON = re.compile(r"^[^:：\s]{1,20}：")
_NO_SPACE_COLON = re.compile(r"^[^:\s]{1,20}:\S")

# libyaml's English problems, translated; the hint says what a finance officer most likely did.
_PROBLEMS = [
    ("found a tab character", "这一行用了 Tab 键缩进，YAML 只能用空格缩进"),
    ("mapping values are not allowed", "此处不能出现“键: 值”：可能是缩进不对，或者值里含有“: ”（请给整个值加引号）"),
    ("could not find expected ':'", "缺少“:”：每一项应写成“键: 值”（半角冒号，冒号后加一个空格）"),
    ("did not find expected key", "缩进不对齐，或上一行的值没有写完整（例如引号未闭合）"),
    ("did not find expected '-' indicator", "列表项缩进不对齐：同一列表的“- ”应在同一列"),
    ("did not find expected node content", "此处缺少内容，或有多余的符号"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    ("found unknown escape character", "双引号中的反斜杠“\\”不合法：请改用单引号，或写成“\\\\”"),
    ("expected ',' or '}'", "花括号 { } 内各项之间要用半角逗号分隔，并以“}”结束"),
    ("expected ',' or ']'", "方括号 [ ] 内各项之间要用半角逗号分隔，并以“]”结束"),
    ("found undefined alias", "引用了未定义的锚点（*名称）：如果这是文字，请给整个值加引号"),
    ("while scanning an alias", "值不能以“*”开头，请给整个值加引号"),
    ("while scanning an anchor", "值不能以“&”开头，请给整个值加引号"),
    ("block sequence entries are not allowed", "此处不能开始列表：列表项“- ”要另起一行，并比上一级多缩进"),
    ("control characters are not allowed", "文件中含有不可见的控制字符，请删除"),
    ("expected a single document", "一个文件只能有一份内容，请删除多余的“---”"),
    ("found duplicate anchor", "锚点（&名称）重复定义，请改用不同的名称"),
]


def _translate(problem: str, context: str = "", char: str = "") -> str:
    # libyaml names no character here (the pure-Python loader does): look at the text itself.
    if "cannot start any token" in problem:
        if char == "\t":
            return "这一行用了 Tab 键缩进，YAML 只能用空格缩进"
        if char:
            return f"值不能以“{char}”开头，请给整个值加引号"
    for said in (problem, context):
        for english, chinese in _PROBLEMS:
            if english in said:
                return chinese
    # Never show libyaml's English to a finance officer; the line and caret show where.
    return "YAML 格式错误：请检查这一行的缩进、冒号“: ”和引号"


def _line_text(text: str, mark) -> str:
    lines = text.split("\n")  # YAML's own line breaks, not str.splitlines()'s wider set
    return lines[mark.line].rstrip("\r") if mark is not None and mark.line < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _char_at(text: str, mark) -> str:
    line = _line_text(text, mark)
    return line[mark.column] if mark is not None and mark.column < len(line) else ""


def _colon_slip(line: str) -> str:
    """Name a `键：值` or `键:值` slip on a line, or return nothing."""
    item = line.strip().removeprefix("- ")
    if _FULLWIDTH_COLON.match(item):
        return "这里用了全角冒号“：”：每一项应写成“键: 值”（半角冒号，冒号后加一个空格）"
    if _NO_SPACE_COLON.match(item):
        return "冒号“:”后面要加一个空格：每一项应写成“键: 值”"
    return ""


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, name: str) -> ReportError:
    """Turn a libyaml error into a Chinese message at the line the user has to fix."""
    problem, context = exc.problem or str(exc), exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    message = _translate(problem, context, _char_at(text, exc.problem_mark))
    if exc.context_mark is not None and "unexpected end of stream" in problem and "quoted scalar" in context:
        # An unclosed quote runs to the end of the file; the opening quote is what needs fixing.
        mark = exc.context_mark
        message = "引号没有闭合：从这里开始的引号直到文件末尾都没有配对的结束引号"
    elif exc.context_mark is not None and "could not find expected ':'" in problem:
        # libyaml notices the missing colon on the next line; the key without it is the line before.
        mark = exc.context_mark
        message = _colon_slip(_line_text(text, mark)) or message
    elif exc.problem_mark is not None and exc.problem_mark.line > 0 and "mapping values are not allowed" in problem:
        # `键：值` (or `键:值`) is a plain text that runs on into the next line, where libyaml
        # then finds the colon it cannot place: the slip is on the line before.
        above = text.split("\n")[exc.problem_mark.line - 1].rstrip("\r")
        slip = _colon_slip(above)
        if slip:
            return ReportError(Location(name, exc.problem_mark.line, _indent(above) + 1), slip)
    elif exc.context_mark is not None and exc.problem_mark is not None and "while parsing a flow" in context:
        opening, stumbled = _line_text(text, exc.context_mark), _line_text(text, exc.problem_mark)
        if exc.problem_mark.line > exc.context_mark.line and _indent(stumbled) <= _indent(opening):
            # A line indented no deeper than the `{` cannot continue it: the brace was never
            # closed, and the `{` line is the one to fix, not the next key libyaml stumbled on.
            mark = exc.context_mark
        if "，" in _line_text(text, mark):
            message += "；这一行用了全角逗号“，”"
    loc = _location(name, mark) if mark is not None else Location(name)
    return ReportError(loc, message)


def _location(file: str, mark, path: str = "") -> Location:
    return Location(file, mark.line + 1, mark.column + 1, path)


def load_yaml(path: Path, shown: str | None = None) -> Node:
    """Read one YAML file into a node tree; raise ReportError on any syntax problem."""
    name = shown or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReportError(Location(name), f"无法读取文件（{exc.strerror}）") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportError(
            Location(name), "文件不是 UTF-8 编码：请在编辑器中“另存为”UTF-8 编码（常见于 GBK/GB2312 编码的文件）"
        ) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> Node:
    """Parse YAML text into a node tree; `name` is the file name shown in messages."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()  # what yaml.compose does, without its loader-type bookkeeping
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, name) from None
    except yaml.YAMLError as exc:
        raise ReportError(Location(name), _translate(str(exc))) from None
    finally:
        loader.dispose()
    node = _convert(root, name, "") if root is not None else None
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return Mapping(Location(name, 1, 1), ())  # an empty file (or only “---” or “~”) states nothing
    return node


def _convert(node: yaml.Node, file: str, path: str, mark=None) -> Node:
    loc = _location(file, mark or node.start_mark, path)
    if isinstance(node, yaml.ScalarNode):
        # Plain style is None in PyYAML's Python loader but "" in the C loader: test falsiness.
        null = not node.style and node.tag == "tag:yaml.org,2002:null"
        return Scalar(loc, node.value, quoted=node.style in ("'", '"'), is_null=null)
    if isinstance(node, yaml.SequenceNode):
        return Sequence(loc, tuple(_convert(child, file, f"{path}[{i + 1}]") for i, child in enumerate(node.value)))
    if isinstance(node, yaml.MappingNode):
        items: list[tuple[Scalar, Node]] = []
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ReportError(_location(file, key_node.start_mark, path), "键必须是简单文字")
            key = key_node.value
            key_path = f"{path}.{key}" if path else key
            key_loc = _location(file, key_node.start_mark, key_path)
            if key in seen:
                raise ReportError(key_loc, f"重复的键“{key}”：第 {seen[key]} 行已经写过，请删除或合并其中一处")
            seen[key] = key_loc.line
            # A block collection under a key is reported at the key's line, where the user looks.
            block = not isinstance(value_node, yaml.ScalarNode) and not value_node.flow_style
            items.append((Scalar(key_loc, key), _convert(value_node, file, key_path, key_node.start_mark if block else None)))
        return Mapping(loc, tuple(items))
    raise ReportError(loc, "无法识别的 YAML 内容")  # pragma: no cover - compose yields only these


def fullwidth_colon_hint(text: str) -> str:
    """Say so when a scalar looks like `键：值` typed with a full-width colon."""
    if _FULLWIDTH_COLON.match(text):
        return "（这里用了全角冒号“：”，应使用半角冒号“:”，并在冒号后加一个空格）"
    if _NO_SPACE_COLON.match(text):
        return "（冒号“:”后面要加一个空格）"
    return ""
