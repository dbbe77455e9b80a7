"""Read YAML files into node trees that remember file, line, column and field path."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

from ..errors import LINE_BREAK, Finding, Location, ReportError, warning

try:  # libyaml's C parser is ten times faster; fall back only where libyaml is missing.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - libyaml ships with the PyYAML wheels we use
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner

    class _Parser(_Reader, _Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream):
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            _PyParser.__init__(self)

        def dispose(self) -> None:
            pass


_NULL_TAG = "tag:yaml.org,2002:null"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))

# Bounds a hostile or broken file meets long before a real one does: the deepest real nesting is
# about seven levels (evaluations/: 绩效指标 → 一级 → 二级 → list → 三级 → field), the largest
# real file holds a few thousand values and a few dozen KB.
MAX_DEPTH = 32
MAX_NODES = 200_000  # values after expanding the aliases (*名称): an alias bomb stops here
MAX_BYTES = 5_000_000


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


def load_yaml(path: Path, shown: str | None = None, notices: list[Finding] | None = None) -> Node:
    """Read one YAML file into a node tree; raise ReportError on any syntax problem.

    Only a regular file is read (a FIFO would block, a folder is no file); a file in GB18030 or
    UTF-16 is read with a warning appended to `notices` when a list is given.
    """
    name = shown or str(path)
    raw = read_regular(path, name, MAX_BYTES)
    text, encoding = decode(raw, name)
    if encoding and notices is not None:
        notices.append(warning(Location(name), f"文件是 {encoding} 编码，已按 {encoding} 读取；请在编辑器中“另存为”UTF-8 编码"))
    return parse_yaml(text, name)


def read_regular(path: Path, name: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or a ReportError saying what the path is instead."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file ignores the flag.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ReportError(Location(name), _unreadable(exc)) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise ReportError(Location(name), f"这不是一个普通文件，而是{kind_of(info.st_mode)}：请换成文件")
        if info.st_size > limit:
            size = f"{info.st_size / 1e6:.1f}"
            raise ReportError(Location(name), f"文件过大（{size} MB，最多 {limit // 1_000_000} MB）：报告的文件通常只有几十 KB")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            raw = stream.read(limit + 1)
    except OSError as exc:
        raise ReportError(Location(name), _unreadable(exc)) from None
    finally:
        os.close(handle)
    if len(raw) > limit:  # it grew while being read
        raise ReportError(Location(name), f"文件过大（最多 {limit // 1_000_000} MB）")
    return raw


def kind_of(mode: int) -> str:
    """Name what a non-regular path is, in the user's words."""
    if stat.S_ISDIR(mode):
        return "一个文件夹"
    if stat.S_ISFIFO(mode):
        return "一个管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "一个套接字"
    if stat.S_ISLNK(mode):
        return "一个符号链接"
    return "一个设备文件"


def _unreadable(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "无法读取文件：这是一个循环的符号链接（链接最终指向它自己）"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "无法读取文件：没有读取权限"
    return f"无法读取文件（{exc.strerror}）"


# What a file that is no text at all really is, by its first bytes.
_SIGNATURES = (
    (b"PK\x03\x04", ""),  # a zip: told apart below
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word 或 Excel 文件（.doc、.xls、.wps）"),
    (b"%PDF", "PDF 文件"),
    (b"{\\rtf", "RTF 文件（写字板或 Word 另存的格式）"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
)


def _binary_kind(raw: bytes) -> str:
    for signature, kind in _SIGNATURES:
        if raw.startswith(signature):
            if kind:
                return kind
            head = raw[:4096]
            if b"word/" in head:
                return "Word 文档（.docx）"
            if b"xl/" in head:
                return "Excel 工作簿（.xlsx）"
            if b"opendocument" in head:
                return "OpenDocument 文件（.odt、.ods）"
            return "压缩包（.zip）"
    return ""


def position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a character index of a text, counted as libyaml counts them."""
    before = LINE_BREAK.split(text[:index])
    return len(before), len(before[-1]) + 1


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a file and, when it is not UTF-8, the encoding it was read in (else "").

    UTF-8 (with or without BOM) is the format; UTF-16 with a BOM (Notepad's “Unicode”) and
    GB18030, a superset of GBK and GB2312 (what Notepad saves on older Windows), are read too,
    with a warning. Anything else is said for what it is: a Word file, a truncated file, a file
    that mixes encodings, at the line and column of the first byte that does not fit.
    """
    kind = _binary_kind(raw)
    if kind:
        raise ReportError(Location(name), f"这是一个{kind}，不是 YAML 文本文件：请用文本编辑器按 YAML 格式填写")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise ReportError(
                Location(name), "文件以 UTF-16 标记开头，但内容不是完整的 UTF-16 文本：请另存为 UTF-8 编码"
            ) from None
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        bad = exc
    good = raw[: bad.start].decode("utf-8-sig")
    line, column = position(good, len(good))
    if b"\x00" in raw:
        raise ReportError(Location(name), "这是一个二进制文件，不是 YAML 文本文件：请用文本编辑器按 YAML 格式填写")
    if bad.reason == "unexpected end of data":
        raise ReportError(
            Location(name, line, column), "文件在这里被截断：最后一个字只有一半（文件可能没有保存完整，或复制时中断）"
        )
    if good.isascii():
        try:
            return raw.decode("gb18030"), "GB18030"
        except UnicodeDecodeError:
            pass
        raise ReportError(
            Location(name, line, column), "文件不是 UTF-8 编码，也不是 GB18030（GBK）编码：请在编辑器中“另存为”UTF-8 编码"
        )
    # The text before is UTF-8 with Chinese in it: this part was pasted from a file in another encoding.
    raise ReportError(
        Location(name, line, column),
        "从这里起的文字不是 UTF-8 编码（前面的文字是）：可能是从 GBK 编码的文件中粘贴的，请删除后重新输入",
    )


# What YAML allows in a file (YAML 1.1 §5.1, as libyaml reads it): tab, line breaks and printable characters.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def parse_yaml(text: str, name: str) -> Node:
    """Parse YAML text into a node tree; `name` is the file name shown in messages."""
    found = _NOT_PRINTABLE.search(text)
    if found:
        line, column = position(text, found.start())
        raise ReportError(Location(name, line, column), f"文件中含有不可见的控制字符（U+{ord(found.group()):04X}），请删除")
    parser = _Parser(text)
    try:
        node = _Composer(parser, name).document()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, name) from None
    except yaml.YAMLError as exc:
        raise ReportError(Location(name), _translate(str(exc))) from None
    finally:
        parser.dispose()
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return Mapping(Location(name, 1, 1), ())  # an empty file (or only “---” or “~”) states nothing
    return node


# A file holds a thousand values or more, and the composer makes a Scalar and a Location for each:
# set directly, as the frozen dataclasses' own __init__ would, they cost half as much. The field
# lists are checked against the classes', so that a new field cannot be missed.
_new = object.__new__
_set = object.__setattr__
if [f.name for f in fields(Location)] != ["file", "line", "column", "path", "sheet", "cell", "shown"] or [
    f.name for f in fields(Scalar)
] != ["loc", "text", "quoted", "is_null"]:
    raise AssertionError("read/source.py: _scalar_at does not set every field of Location and Scalar")


def _scalar_at(file: str, line: int, column: int, path: str, text: str, quoted: bool, is_null: bool) -> Scalar:
    """Scalar(Location(file, line, column, path), text, quoted, is_null), made directly."""
    loc = _new(Location)
    _set(loc, "__dict__", {"file": file, "line": line, "column": column, "path": path, "sheet": "", "cell": "", "shown": ""})
    scalar = _new(Scalar)
    _set(scalar, "__dict__", {"loc": loc, "text": text, "quoted": quoted, "is_null": is_null})
    return scalar


def _location(file: str, mark, path: str = "") -> Location:
    return Location(file, mark.line + 1, mark.column + 1, path)


@dataclass(frozen=True)
class _Mark:
    """A position as libyaml's marks give it (0-based), for a location taken from a key."""

    line: int
    column: int


@dataclass
class _Open:
    """A mapping or sequence being composed: where it is, what it holds so far, its anchor."""

    loc: Location
    anchor: str | None
    mapping: bool
    items: list = field(default_factory=list)
    key: Scalar | None = None  # a mapping's key waiting for its value
    seen: dict[str, int] = field(default_factory=dict)
    weight: int = 1


class _Composer:
    """Build the node tree from the parser's events, without recursion and within bounds.

    PyYAML's composers recurse (a deep file is a RecursionError, or a crash in libyaml's C
    code) and share an aliased node that the reader then walks once per alias (a few hundred
    bytes become minutes and gigabytes): here the nesting depth and the number of values,
    aliases expanded, are both bounded, and an alias may only name a finished node (a
    recursive alias is an error).
    """

    def __init__(self, parser, name: str):
        self.parser = parser
        self.name = name
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.stack: list[_Open] = []
        self.nodes = 0

    def document(self) -> Node | None:
        parser = self.parser
        parser.get_event()  # the stream's start
        if isinstance(parser.peek_event(), yaml.StreamEndEvent):
            return None
        parser.get_event()  # the document's start
        root: Node | None = None
        end = yaml.DocumentEndEvent
        while True:
            event = parser.get_event()
            if type(event) is end:
                break
            done = self._event(event)
            if done is not None:
                root = done
        extra = parser.get_event()
        if not isinstance(extra, yaml.StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", None, "but found another document", extra.start_mark
            )
        return root

    def _event(self, event) -> Node | None:
        """Take one event; return the root node once it is complete."""
        kind = type(event)
        stack = self.stack
        parent = stack[-1] if stack else None
        if kind is yaml.ScalarEvent and parent is not None and not event.anchor and self.nodes < MAX_NODES:
            # The common case, placed here without the general path below (_finish): a plain value or
            # key in a collection, not the one past the bound.
            self.nodes += 1
            parent.weight += 1
            mark = event.start_mark
            value = event.value
            if not parent.mapping:
                path = f"{parent.loc.path}[{len(parent.items) + 1}]"
            elif parent.key is None:  # a key
                path = f"{parent.loc.path}.{value}" if parent.loc.path else value
                key = _scalar_at(self.name, mark.line + 1, mark.column + 1, path, value, False, False)
                if value in parent.seen:
                    raise ReportError(key.loc, f"重复的键“{value}”：第 {parent.seen[value]} 行已经写过，请删除或合并其中一处")
                parent.seen[value] = mark.line + 1
                parent.key = key
                return None
            else:
                path = parent.key.loc.path
            null = not event.style and event.implicit[0] and value in _NULLS and event.tag in (None, "!", _NULL_TAG)
            scalar = _scalar_at(self.name, mark.line + 1, mark.column + 1, path, value, event.style in ("'", '"'), null)
            if parent.mapping:
                parent.items.append((parent.key, scalar))
                parent.key = None
            else:
                parent.items.append(scalar)
            return None
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()
            node: Node = Mapping(done.loc, tuple(done.items)) if done.mapping else Sequence(done.loc, tuple(done.items))
            return self._finish(node, done.weight, done.anchor)
        is_key = parent is not None and parent.mapping and parent.key is None
        mark = event.start_mark
        if parent is None:
            path = ""
        elif not parent.mapping:
            path = f"{parent.loc.path}[{len(parent.items) + 1}]"
        elif is_key:
            path = parent.loc.path
        else:
            assert parent.key is not None
            path = parent.key.loc.path
            if isinstance(event, yaml.CollectionStartEvent) and not event.flow_style:
                # A block collection under a key is reported at the key's line, where the user looks.
                mark = _Mark(parent.key.loc.line - 1, parent.key.loc.column - 1)
        if kind is yaml.AliasEvent:
            return self._alias(event, parent, is_key)
        if kind is yaml.ScalarEvent:
            if is_key:
                key_path = f"{path}.{event.value}" if path else event.value
                return self._finish(Scalar(_location(self.name, mark, key_path), event.value), 1, event.anchor)
            null = not event.style and event.implicit[0] and event.value in _NULLS and event.tag in (None, "!", _NULL_TAG)
            scalar = Scalar(_location(self.name, mark, path), event.value, quoted=event.style in ("'", '"'), is_null=null)
            return self._finish(scalar, 1, event.anchor)
        if is_key:
            raise ReportError(_location(self.name, event.start_mark, path), "键必须是简单文字")
        if len(stack) >= MAX_DEPTH:
            raise ReportError(
                _location(self.name, event.start_mark),
                f"内容嵌套过深（超过 {MAX_DEPTH} 层）：请检查缩进和括号，报告的文件用不到这么多层",
            )
        stack.append(_Open(_location(self.name, mark, path), event.anchor, kind is yaml.MappingStartEvent))
        return None

    def _alias(self, event, parent: _Open | None, is_key: bool) -> Node | None:
        found = self.anchors.get(event.anchor)
        where = _location(self.name, event.start_mark)
        if found is None:
            if any(frame.anchor == event.anchor for frame in self.stack):
                raise ReportError(where, f"引用“*{event.anchor}”指向包含它自己的内容（循环引用）：请删除这个引用")
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
        node, weight = found
        if is_key:
            if not isinstance(node, Scalar):
                raise ReportError(where, "键必须是简单文字")
            assert parent is not None
            key_path = f"{parent.loc.path}.{node.text}" if parent.loc.path else node.text
            node = Scalar(where.at(key_path), node.text)
        return self._finish(node, weight, None, where)

    def _finish(self, node: Node, weight: int, anchor: str | None, alias: Location | None = None) -> Node | None:
        """Place a finished node in its parent; `weight` is its size with aliases expanded (an alias adds all of it)."""
        self.nodes += weight if alias is not None else 1
        if self.nodes > MAX_NODES:
            raise ReportError(
                alias or node.loc,
                f"文件中的内容过多（超过 {MAX_NODES} 项，引用“*名称”展开后的内容也计算在内）：报告的文件用不到这么多项",
            )
        if anchor is not None:
            self.anchors[anchor] = (node, weight)
        if not self.stack:
            return node
        parent = self.stack[-1]
        parent.weight += weight
        if not parent.mapping:
            parent.items.append(node)
        elif parent.key is None:
            assert isinstance(node, Scalar)
            if node.text in parent.seen:
                raise ReportError(
                    node.loc, f"重复的键“{node.text}”：第 {parent.seen[node.text]} 行已经写过，请删除或合并其中一处"
                )
            parent.seen[node.text] = node.loc.line
            parent.key = node
        else:
            parent.items.append((parent.key, node))
            parent.key = None
        return None


def fullwidth_colon_hint(text: str) -> str:
    """Say so when a scalar looks like `键：值` typed with a full-width colon."""
    if _FULLWIDTH_COLON.match(text):
        return "（这里用了全角冒号“：”，应使用半角冒号“:”，并在冒号后加一个空格）"
    if _NO_SPACE_COLON.match(text):
        return "（冒号“:”后面要加一个空格）"
    return ""
