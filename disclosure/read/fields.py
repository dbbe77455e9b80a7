"""The field type system of the content format: read nodes into values, and describe them as JSON Schema.

Each type reads a node (raising ReportError with the node's location and a Chinese message) and
can describe itself as JSON Schema, so the published schema and the reader never disagree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..amounts import NumberError, foreign_digit, foreign_digit_message, normalize, parse_decimal
from ..errors import Location, ReportError, raise_all
from .source import Mapping, Node, Scalar, Sequence, describe, fullwidth_colon_hint


def _scalar(node: Node, what: str) -> Scalar:
    if not isinstance(node, Scalar):
        raise ReportError(node.loc, f"这里应填{what}，而不是{describe(node)}")
    return node


def each(read: Callable[[Any], Any], items: Seq[Any]) -> list[Any]:
    """Read independent items (the rows of a list, the entries of a map) and report every item's problems together."""
    results: list[Any] = []
    problems: list[ReportError] = []
    for item in items:
        try:
            results.append(read(item))
        except ReportError as exc:
            problems.append(exc)
    raise_all(problems)
    return results


class Type:
    """A value type of the format."""

    doc = ""

    def read(self, node: Node) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def schema(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def missing(self, node: Node) -> bool:
        """Tell whether a node means “not given” (an empty value)."""
        return isinstance(node, Scalar) and (node.is_null or (not node.quoted and node.text.strip() == ""))


# What no printed text may hold, though a YAML escape ("\x07", "\u202e") can write it: control
# characters (the DOCX's XML and its core properties reject them), the byte-order mark and the
# non-characters, and the direction overrides that make a text read other than it is.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_TEXT = 20_000  # characters: the longest real text (主要职能, a 原因) is a few thousand
MAX_NAME = 200  # a name, a title, a term


def checked_text(text: str, loc: Location, limit: int = MAX_TEXT) -> str:
    """A text within its length, without invisible characters; a ReportError at `loc` otherwise."""
    found = _INVISIBLE.search(text)
    if found:
        char = found.group()
        kind = "文字方向控制字符" if "\u202a" <= char <= "\u2069" else "不可见的控制字符"
        raise ReportError(loc, f"文字中含有{kind}（U+{ord(char):04X}，第 {found.start() + 1} 个字符）：请删除")
    if len(text) > limit:
        raise ReportError(loc, f"文字过长（{len(text)} 个字符，这一项最多 {limit} 个）")
    return text


class Text(Type):
    """Free text; paragraphs are separated by blank lines."""

    def __init__(self, doc: str = "文字", max_length: int = MAX_TEXT):
        self.doc = doc
        self.max_length = max_length

    def read(self, node: Node) -> str:
        scalar = _scalar(node, "文字")
        return checked_text(scalar.text.strip(), scalar.loc, self.max_length)

    def schema(self) -> dict:
        return {"type": ["string", "number"], "maxLength": self.max_length}


class Amount(Type):
    """Money in the report's unit, read exactly from the typed text."""

    doc = "金额（按 report.yaml 的金额单位，只填数字）"

    def __init__(self, negative: bool = False):
        self.negative = negative

    def read(self, node: Node) -> Decimal:
        scalar = _scalar(node, "金额数字")
        try:
            return parse_decimal(scalar.text, unit="金额", negative=self.negative)
        except NumberError as exc:
            raise ReportError(scalar.loc, str(exc)) from None

    def schema(self) -> dict:
        return {"type": ["number", "string"], "pattern": r"^-?[0-9０-９,，]+([.．][0-9０-９]+)?$"}


class Number(Type):
    """A plain quantity (indicator values, products of a calculation basis)."""

    doc = "数值"

    def read(self, node: Node) -> Decimal:
        scalar = _scalar(node, "数值")
        try:
            return parse_decimal(scalar.text, unit="数值", max_places=8, max_digits=12)
        except NumberError as exc:
            raise ReportError(scalar.loc, str(exc)) from None

    def schema(self) -> dict:
        return {"type": ["number", "string"]}


MAX_SCORE = 1000  # points: a whole form weighs 100
MAX_PERCENT = 10_000  # %: an execution rate or a factor of a hundred times is no real figure


class Score(Type):
    """A score or weight in points; a trailing “分” is accepted."""

    doc = "分值（数字，可带“分”字）"

    def read(self, node: Node) -> Decimal:
        scalar = _scalar(node, "分数")
        text = normalize(scalar.text)
        if text.endswith("%"):
            raise ReportError(scalar.loc, f"这里应填分数，不能填百分比“{scalar.text}”（例如执行率100%对应的得分是 10 分）")
        if text.endswith("分"):
            text = text[:-1].strip()
        try:
            value = parse_decimal(text, unit="分数", max_places=4)
        except NumberError as exc:
            raise ReportError(scalar.loc, str(exc)) from None
        if value > MAX_SCORE:
            raise ReportError(scalar.loc, f"分值“{scalar.text}”过大（最多 {MAX_SCORE} 分）")
        return value

    def schema(self) -> dict:
        return {"type": ["number", "string"], "pattern": r"^[0-9０-９]+([.．][0-9０-９]+)?\s*分?$"}


class Percent(Type):
    """A percentage written with its sign, such as 97.02%."""

    doc = "百分比（须带“%”，例如 97.02%）"

    def read(self, node: Node) -> Decimal:
        scalar = _scalar(node, "百分比")
        text = normalize(scalar.text)
        if not text.endswith("%"):
            raise ReportError(scalar.loc, f"百分比要带“%”，例如 {text or '97.02'}%")
        try:
            value = parse_decimal(text[:-1], unit="百分比", max_places=6)
        except NumberError as exc:
            raise ReportError(scalar.loc, str(exc)) from None
        if value > MAX_PERCENT:
            raise ReportError(scalar.loc, f"百分比“{scalar.text}”过大（最多 {MAX_PERCENT}%）")
        return value

    def schema(self) -> dict:
        return {"type": "string", "pattern": r"^[0-9０-９]+([.．][0-9０-９]+)?[%％]$"}


MAX_COUNT = 10_000_000  # people, groups, vehicles: a department counts far fewer


class Count(Type):
    """A whole number of things or people."""

    doc = "个数（整数）"

    def __init__(self, doc: str = "个数（整数）", maximum: int | None = None):
        self.doc = doc if maximum is None else f"{doc}，0–{maximum}"
        self.maximum = maximum

    def read(self, node: Node) -> int:
        scalar = _scalar(node, "整数")
        text = normalize(scalar.text)
        char = foreign_digit(text)
        if char:
            raise ReportError(scalar.loc, foreign_digit_message(scalar.text, char))
        if re.fullmatch(r"[0-9]+", text):
            limit = self.maximum if self.maximum is not None else MAX_COUNT
            if len(text) > 12 or int(text) > limit:
                raise ReportError(scalar.loc, f"应为 0 到 {limit} 之间的整数，而不是 {text}")
            return int(text)
        unit = re.fullmatch(r"([0-9]+)\s*([^0-9]+)", text)
        if unit:
            raise ReportError(scalar.loc, f"只填数字 {unit.group(1)}，不要带“{unit.group(2)}”")
        raise ReportError(scalar.loc, f"“{scalar.text}”不是整数")

    def schema(self) -> dict:
        bounds = {"minimum": 0, "maximum": self.maximum if self.maximum is not None else MAX_COUNT}
        return {"type": ["integer", "string"], "pattern": r"^[0-9０-９]+$", **bounds}


class Year(Type):
    doc = "年度（四位数字，例如 2024）"

    def read(self, node: Node) -> int:
        scalar = _scalar(node, "年度")
        text = normalize(scalar.text).removesuffix("年度").removesuffix("年")
        if not re.fullmatch(r"(19|20|21)[0-9][0-9]", text):
            raise ReportError(scalar.loc, f"年度应为四位数字，例如 2024，而不是“{scalar.text}”")
        return int(text)

    def schema(self) -> dict:
        return {"type": ["integer", "string"], "minimum": 1900, "maximum": 2199}


class Date(Type):
    """A date: 2025-08-20, 2025/8/20 or 2025年8月20日."""

    doc = "日期（例如 2025-08-20 或 2025年8月20日）"

    def read(self, node: Node) -> dt.date:
        scalar = _scalar(node, "日期")
        text = normalize(scalar.text)
        match = re.fullmatch(r"([0-9]{4})[-/年]([0-9]{1,2})[-/月]([0-9]{1,2})日?", text)
        if not match:
            raise ReportError(scalar.loc, f"日期“{scalar.text}”无法识别，请写成 2025-08-20 的形式")
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ReportError(scalar.loc, f"日期“{scalar.text}”不存在") from None

    def schema(self) -> dict:
        return {"type": "string", "pattern": r"^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?$"}


class Code(Type):
    """A classification code of given digit lengths, kept as text."""

    def __init__(self, lengths: Seq[int], doc: str):
        self.lengths = tuple(lengths)
        self.doc = doc

    def read(self, node: Node) -> str:
        scalar = _scalar(node, "科目编码")
        text = normalize(scalar.text)
        if not re.fullmatch(r"[0-9]+", text) or len(text) not in self.lengths:
            shown = "、".join(str(n) for n in self.lengths)
            raise ReportError(scalar.loc, f"科目编码应为 {shown} 位数字，而不是“{scalar.text}”")
        return text

    def schema(self) -> dict:
        alternatives = "|".join(rf"\d{{{n}}}" for n in self.lengths)
        return {"type": ["string", "integer"], "pattern": f"^({alternatives})$"}


class Choice(Type):
    """One of a fixed set of words; aliases map to the canonical word."""

    def __init__(self, choices: Seq[str], doc: str = "", aliases: dict[str, str] | None = None):
        self.choices = tuple(choices)
        self.aliases = dict(aliases or {})
        self.doc = doc or "可选：" + "、".join(self.choices)

    def read(self, node: Node) -> str:
        scalar = _scalar(node, "、".join(self.choices) + " 之一")
        text = normalize(scalar.text)
        if text in self.choices:
            return text
        if text in self.aliases:
            return self.aliases[text]
        raise ReportError(
            scalar.loc, f"“{scalar.text}”不是可选值：应为 {'、'.join(self.choices)} 之一{_did_you_mean(text, self.choices)}"
        )

    def schema(self) -> dict:
        return {"type": "string", "enum": list(self.choices) + list(self.aliases)}


class Flag(Type):
    """是 or 否 (true/false are accepted too)."""

    YES = ("是", "true", "True", "yes")
    NO = ("否", "false", "False", "no")

    def __init__(self, doc: str = "是 或 否"):
        self.doc = doc

    def read(self, node: Node) -> bool:
        scalar = _scalar(node, "是 或 否")
        text = normalize(scalar.text)
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ReportError(scalar.loc, f"“{scalar.text}”应为“是”或“否”")

    def schema(self) -> dict:
        return {"type": ["string", "boolean"], "enum": ["是", "否", True, False]}


class Either(Type):
    """A record, or one of a few words that state there is nothing to give (不涉及, 未开展, 无)."""

    def __init__(self, record: Record, words: Seq[str]):
        self.record = record
        self.words = tuple(words)
        self.doc = f"见“{record.ref}”，或写“{'”“'.join(self.words)}”"

    def read(self, node: Node) -> Any:
        if isinstance(node, Scalar) and normalize(node.text) in self.words:
            return normalize(node.text)
        if isinstance(node, Scalar):
            raise ReportError(
                node.loc, f"这里应是若干“键: 值”（{self.record.name}），或写“{'”“'.join(self.words)}”，而不是“{node.text}”"
            )
        return self.record.read(node)

    def schema(self) -> dict:
        return {"anyOf": [self.record.schema(), {"type": "string", "enum": list(self.words)}]}


def _did_you_mean(word: str, options: Seq[str]) -> str:
    close = closest(word, options)
    return f"；是不是“{close}”？" if close else ""


def closest(word: str, options: Seq[str]) -> str:
    """The option a mistyped word most likely meant, or "" when none is close."""
    # Compare without the ending every option shares (…指标, …支出): otherwise “投入指标” looks
    # half like each of 产出指标, 效益指标 and 成本指标, and an arbitrary one would be suggested.
    ending = os.path.commonprefix([o[::-1] for o in options])[::-1] if len(options) > 1 else ""

    def core(text: str) -> str:
        return text[: -len(ending)] if ending and text.endswith(ending) and len(text) > len(ending) else text

    cores = {core(o): o for o in options}
    stem = core(word)
    close = difflib.get_close_matches(stem, list(cores), n=1, cutoff=0.4)
    if not close:
        # Short Chinese keys differ by one character; match on shared characters too.
        shared = [c for c in cores if c and len(set(c) & set(stem)) >= max(1, min(len(c), len(stem)) - 1)]
        close = shared[:1]
    return cores[close[0]] if close else ""


@dataclass(frozen=True)
class Field:
    """One key of a record: Chinese key, English attribute, type, and a line of documentation."""

    key: str
    attr: str
    type: Type
    required: bool = False
    default: Any = None
    doc: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Values:
    """What a record read: attribute values, their locations, and the record's own location."""

    attrs: dict[str, Any]
    where: dict[str, Location]
    loc: Location

    def __getitem__(self, attr: str) -> Any:
        return self.attrs[attr]


class Record(Type):
    """A mapping with known keys; unknown keys are rejected with a “did you mean” hint."""

    def __init__(
        self,
        name: str,
        fields: Seq[Field],
        build: Callable[[Values], Any] | None = None,
        doc: str = "",
        ref: str = "",
    ):
        self.name = name
        self.fields = tuple(fields)
        self.build = build
        self.doc = doc
        # The record's heading in the field reference: records that share a name in messages
        # (each table's 合计行) are documented each under its own heading.
        self.ref = ref or name
        self.by_key = {f.key: f for f in self.fields}
        self.by_key.update({alias: f for f in self.fields for alias in f.aliases})

    def read(self, node: Node) -> Any:
        if not isinstance(node, Mapping):
            hint = fullwidth_colon_hint(node.text) if isinstance(node, Scalar) else ""
            raise ReportError(node.loc, f"这里应是若干“键: 值”（{self.name}），而不是{describe(node)}{hint}")
        attrs: dict[str, Any] = {}
        where: dict[str, Location] = {}
        previous: Field | None = None
        # The fields of a record are independent: every problem among them is reported in one run.
        problems: list[ReportError] = []
        failed: set[str] = set()
        for key, value in node.items:
            spec = self.by_key.get(key.text)
            if spec is None:
                problems.append(ReportError(key.loc, self._unknown(key.text, previous)))
                # A mistyped key is one problem: the field it was meant for is not also “missing”.
                meant = self.by_key.get(closest(key.text, [f.key for f in self.fields]))
                if meant is not None:
                    failed.add(meant.attr)
                continue
            if spec.attr in where:
                problems.append(ReportError(key.loc, f"“{key.text}”与前面的“{spec.key}”是同一项，请只写一次"))
                continue
            previous = spec
            where[spec.attr] = value.loc
            if spec.type.missing(value):
                continue
            try:
                read = spec.type.read(value)
                if spec.required and read == "":  # `""` or `"  "`: quoted, but still nothing
                    raise ReportError(value.loc, f"“{spec.key}”不能为空（{spec.doc or spec.type.doc}）")
                attrs[spec.attr] = read
            except ReportError as exc:
                problems.append(exc)
                failed.add(spec.attr)
        for spec in self.fields:
            if spec.attr in attrs or spec.attr in failed:
                continue
            if spec.required and spec.attr in where:  # the key is there, its value is empty
                problems.append(ReportError(where[spec.attr], f"“{spec.key}”不能为空（{spec.doc or spec.type.doc}）"))
            elif spec.required:
                problems.append(ReportError(node.loc, f"{self.name}缺少必填项“{spec.key}”（{spec.doc or spec.type.doc}）"))
            else:
                attrs[spec.attr] = spec.default() if callable(spec.default) else spec.default
        raise_all(problems)
        values = Values(attrs, where, node.loc)
        return self.build(values) if self.build else values

    def _unknown(self, key: str, previous: Field | None) -> str:
        text = f"{self.name}中没有“{key}”这一项"
        if re.fullmatch(r"\d{3}(\.\d+)?", key) and previous is not None and isinstance(previous.type, Amount):
            return text + f"：看起来“{previous.key}”的金额写了千分位逗号，而在 {{…}} 中逗号是分隔符；请去掉逗号，或给金额加引号"
        known = [f.key for f in self.fields]
        hint = _did_you_mean(key, known)
        return text + (hint or f"；可填的项有：{'、'.join(known)}")

    def schema(self) -> dict:
        # Every alias the reader accepts is a property of its own, so an editor never rejects what
        # the tool reads; a required field with aliases is required under any one of its names.
        properties = {}
        for f in self.fields:
            kind = f.type.schema() if f.required else _nullable(f.type.schema())
            described = {**kind, "description": f.doc or f.type.doc}
            properties[f.key] = described
            for alias in f.aliases:
                properties[alias] = {**described, "description": f"同“{f.key}”：{described['description']}"}
        either = [
            {"anyOf": [{"required": [name]} for name in (f.key, *f.aliases)]} for f in self.fields if f.required and f.aliases
        ]
        return {
            "type": "object",
            "title": self.name,
            **({"description": self.doc} if self.doc else {}),
            "additionalProperties": False,
            "required": [f.key for f in self.fields if f.required and not f.aliases],
            **({"allOf": either} if either else {}),
            "properties": properties,
        }


def _nullable(schema: dict) -> dict:
    """A field that may be left empty (`键:` reads as not given): its schema accepts null too."""
    kinds = schema.get("type")
    if kinds is None:
        return schema
    nullable = {**schema, "type": [*(kinds if isinstance(kinds, list) else [kinds]), "null"]}
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


class ListOf(Type):
    """A list of items of one type; a single item may not stand in for a list."""

    def __init__(self, item: Type, doc: str = "", min_items: int = 0):
        self.item = item
        self.doc = doc
        self.min_items = min_items

    def read(self, node: Node) -> tuple:
        if isinstance(node, Mapping) and not node.items:
            node = Sequence(node.loc, ())  # an empty file is an empty list too (glossary.yaml)
        if not isinstance(node, Sequence):
            raise ReportError(node.loc, f"这里应是列表（每项以“- ”开头），而不是{describe(node)}")
        if len(node.items) < self.min_items:
            raise ReportError(node.loc, f"列表至少要有 {self.min_items} 项")
        return tuple(each(self.item.read, node.items))

    def schema(self) -> dict:
        return {"type": "array", "items": self.item.schema(), **({"minItems": self.min_items} if self.min_items else {})}


@dataclass(frozen=True)
class Entry:
    """One key of a free-keyed mapping with its value and location."""

    key: str
    value: Any
    loc: Location


class MapOf(Type):
    """A mapping whose keys come from a fixed list (or any text), each with a value of one type."""

    def __init__(self, name: str, keys: Seq[str] | None, value: Type, doc: str = "", aliases: dict[str, str] | None = None):
        self.name = name
        self.keys = tuple(keys) if keys is not None else None
        self.value = value
        self.doc = doc
        self.aliases = dict(aliases or {})

    def read(self, node: Node) -> tuple[Entry, ...]:
        if not isinstance(node, Mapping):
            hint = fullwidth_colon_hint(node.text) if isinstance(node, Scalar) else ""
            raise ReportError(node.loc, f"这里应是若干“键: 值”（{self.name}），而不是{describe(node)}{hint}")

        def entry(pair: tuple[Scalar, Node]) -> Entry:
            key, value = pair
            name = self.aliases.get(checked_text(key.text, key.loc, MAX_NAME), key.text)
            if self.keys is not None and name not in self.keys:
                raise ReportError(
                    key.loc,
                    f"{self.name}中没有“{key.text}”：应为 {'、'.join(self.keys)} 之一{_did_you_mean(key.text, self.keys)}",
                )
            return Entry(name, self.value.read(value), key.loc)

        return tuple(each(entry, node.items))

    def schema(self) -> dict:
        if self.keys is None:
            return {"type": "object", "additionalProperties": self.value.schema()}
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: self.value.schema() for k in (*self.keys, *self.aliases)},
        }


@dataclass
class FileSpec:
    """One file of a report folder: its name, whether it must exist, and its top-level record."""

    name: str
    record: Type
    required: bool = True
    doc: str = ""
    examples: list[str] = field(default_factory=list)
