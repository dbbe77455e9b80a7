"""The Jinja environment templates run in: sandboxed, and unable to compute or print a raw number.

Templates choose words; every number they print was computed by the compute stage and passes
through one of the project's filters (money, amount, pct, plain, integer), rounded half-up once.
The guard holds because:

* the environment is Jinja's sandbox, so no attribute starting with “_” and no unsafe call;
* arithmetic (+ - * / // % **) and unary signs on a number fail, and so does “%” formatting of text;
* only the project's filters and a few structural built-ins (length, first, …) exist, so
  `|string`, `|format`, `|round`, `|sum`, `|join`, `|safe` cannot turn a figure into text;
* `~` (concatenation) refuses numbers, and attributes of numbers (Decimal.quantize …) and
  str.format are unsafe;
* constants are never folded into the page at compile time (Jinja would escape them before
  `finalize` sees them), and `finalize` lets only text through.

Every breach is a template error at the template's file and line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import FILTERS as BUILTIN_FILTERS
from jinja2.runtime import markup_join
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .. import __version__
from ..compute.compare import Change, Completion, Growth, Share
from ..resources import private_cache
from .formats import Formats
from .text import clause_text, cn_digits, cn_number, is_enumeration, md_escape

NUMBER = (int, float, Decimal)
# Built-in filters that only move values around (never turn a number into text).
STRUCTURAL = (
    "length",
    "first",
    "last",
    "list",
    "reverse",
    "sort",
    "unique",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
    "map",
    "default",
    "batch",
    "groupby",
    "dictsort",
    "items",
)


def _is_number(value: object) -> bool:
    return isinstance(value, NUMBER)  # bool is an int too: no arithmetic on truth values either


class _GuardedCodeGenerator(CodeGenerator):
    """Jinja's code generator with constant folding of output off and a guarded `~`."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        # Folded constants are escaped before finalize runs, so `{{ 0.1 + 0.2 }}` would print;
        # only literal text is folded, everything else is finalized at run time.
        if not isinstance(node, nodes.TemplateData) and not (isinstance(node, nodes.Const) and isinstance(node.value, str)):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.guarded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


_SAFE: dict[tuple[type, str, bool], bool] = {}


class GuardedEnvironment(SandboxedEnvironment):
    """A sandbox in which templates can only choose words, never compute or print a raw number."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset(("+", "-", "*", "/", "//", "%", "**"))
    intercepted_unops = frozenset(("+", "-"))

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise jinja2.TemplateRuntimeError("模板不能用“%”格式化文字：数字请用 money、amount、pct、plain、integer 过滤器输出")
        if _is_number(left) or _is_number(right):
            raise jinja2.TemplateRuntimeError(f"模板不能对数字做运算（“{operator}”）：所有数字都由程序计算，模板只选择措辞")
        return super().call_binop(context, operator, left, right)

    def call_unop(self, context: jinja2.runtime.Context, operator: str, arg: Any) -> Any:
        if _is_number(arg):
            raise jinja2.TemplateRuntimeError(f"模板不能对数字做运算（“{operator}”）：所有数字都由程序计算，模板只选择措辞")
        return super().call_unop(context, operator, arg)

    def wrap_str_format(self, value: Any) -> None:
        """Never run str.format: it could print a figure unformatted (is_safe_attribute refuses it)."""
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # The answer depends only on the kind of object and the attribute's name (Jinja's rules look
        # at the object's type and at names starting with “_”), so it is remembered per pair:
        # templates read the same few attributes of the same few types thousands of times.
        kind = obj if isinstance(obj, type) else type(obj)
        key = (kind, attr, isinstance(obj, type))
        safe = _SAFE.get(key)
        if safe is None:
            if _is_number(obj):
                safe = False  # Decimal.quantize, .to_eng_string, .real …: a figure is printed only by the filters
            elif isinstance(obj, str) and attr in ("format", "format_map"):
                safe = False
            else:
                safe = super().is_safe_attribute(obj, attr, value)
            _SAFE[key] = safe
        return safe

    @staticmethod
    def guarded_concat(values: Iterable[Any]) -> str:
        """`a ~ b`: join texts as Jinja does; a number must go through a filter first."""
        parts = tuple(values)
        if any(_is_number(value) or value is None for value in parts):  # an Undefined joins as Jinja's does
            raise jinja2.TemplateRuntimeError("“~”不能连接数字或空值：数字请先经 money、amount、pct、plain、integer 过滤器输出")
        return markup_join(parts)


def _finalize_with(escape: Callable[[str], str]) -> Callable[[object], object]:
    def finalize(value: object) -> object:
        if isinstance(value, Markup):
            return value
        if isinstance(value, str):
            return Markup(escape(value))
        if isinstance(value, jinja2.Undefined):
            return Markup(str(value))  # `{{ x if c }}` without else prints nothing; a strict Undefined raises
        if value is None:
            raise jinja2.TemplateRuntimeError("模板输出了空值（None）")
        if isinstance(value, bool):
            raise jinja2.TemplateRuntimeError("模板不能直接输出真假值")
        if isinstance(value, Decimal):
            raise jinja2.TemplateRuntimeError("金额和比例必须通过 money、amount、pct 或 plain 过滤器输出")
        if isinstance(value, int):
            raise jinja2.TemplateRuntimeError("整数（人数、个数、序号）必须通过 integer 过滤器输出")
        if isinstance(value, float):
            raise jinja2.TemplateRuntimeError("模板不能输出浮点数：所有数字都由程序精确计算")
        raise jinja2.TemplateRuntimeError(f"模板不能直接输出 {type(value).__name__}：只能输出文字")

    return finalize


# ---------------------------------------------------------------------------- the project's filters

PRINTED = "printed_figures"  # the context variable that collects the derived figures a render prints
KINDS: Mapping[type, str] = {Share: "share", Growth: "growth", Completion: "completion", Change: "change"}


class Printed:
    """The derived figures a render printed, in the order of the text: (kind, exact value, printed text)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Decimal, str]] = []

    def note(self, value: Decimal, text: str) -> None:
        kind = KINDS.get(type(value))
        if kind is not None:
            self.items.append((kind, value, text))


def _noted(ctx: jinja2.runtime.Context, value: Decimal, text: str) -> Markup:
    printed = ctx.get(PRINTED)
    if isinstance(printed, Printed):
        printed.note(value, text)
    return Markup(text)


def _decimal(value: object, name: str) -> Decimal:
    if not isinstance(value, Decimal):
        raise jinja2.TemplateRuntimeError(f"{name} 过滤器只用于程序计算的金额或比例，而不是 {type(value).__name__}")
    return value


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise jinja2.TemplateRuntimeError(f"{name} 过滤器只用于文字，而不是 {type(value).__name__}")
    return value


@jinja2.pass_context
def _money(ctx: jinja2.runtime.Context, value: object) -> Markup:
    # Printed numbers hold only digits, “.”, “,”, “%” and the unit: nothing Markdown would parse.
    fmt: Formats = ctx["fmt"]
    amount = _decimal(value, "money")
    return _noted(ctx, amount, fmt.amount(amount) + fmt.unit)


@jinja2.pass_context
def _amount(ctx: jinja2.runtime.Context, value: object) -> Markup:
    amount = _decimal(value, "amount")
    return _noted(ctx, amount, ctx["fmt"].amount(amount))


@jinja2.pass_context
def _pct(ctx: jinja2.runtime.Context, value: object) -> Markup:
    if value is None:
        raise jinja2.TemplateRuntimeError("比例不可比（基数为0）：模板要先判断，再选择“不可比”的措辞")
    rate = _decimal(value, "pct")
    return _noted(ctx, rate, ctx["fmt"].percent(rate))


def _plain(value: object) -> Markup:
    return Markup(Formats.score(_decimal(value, "plain")))


def _integer(value: object) -> Markup:
    if not isinstance(value, int) or isinstance(value, bool):
        raise jinja2.TemplateRuntimeError(f"integer 过滤器只用于整数（人数、个数、序号），而不是 {type(value).__name__}")
    return Markup(str(value))


def _paragraphs(value: object) -> Markup:
    """Print user text as Markdown paragraphs, one per non-empty line, escaped."""
    lines = [md_escape(line.strip()) for line in _text(value, "paragraphs").splitlines() if line.strip()]
    return Markup("\n\n".join(lines))


def _clause(value: object) -> Markup:
    return Markup(md_escape(clause_text(_text(value, "clause"))))


def _join_items(items: Iterable[object], separator: str) -> Markup:
    return Markup(separator.join(md_escape(_text(i, "join_items")) for i in items))


def _cn_number(value: object) -> Markup:
    """一, 十, 二十三: a count or ordinal in Chinese numerals."""
    _integer(value)
    return Markup(cn_number(value))  # type: ignore[arg-type]


def _cn_digits(value: object) -> Markup:
    """二〇二五: a year digit by digit in Chinese numerals."""
    _integer(value)
    return Markup(cn_digits(value))  # type: ignore[arg-type]


FILTERS: Mapping[str, Callable[..., Any]] = {
    "money": _money,
    "amount": _amount,
    "pct": _pct,
    "plain": _plain,
    "integer": _integer,
    "paragraphs": _paragraphs,
    "clause": _clause,
    "join_items": _join_items,
    "cn_number": _cn_number,
    "cn_digits": _cn_digits,
}
TESTS: Mapping[str, Callable[..., bool]] = {
    "enumeration": lambda text: is_enumeration(_text(text, "enumeration")),
}


@cache
def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (a rebuild of one report need not recompile them).

    The folder is private to this toolkit version and to these environment settings, since
    Jinja's cache key holds the template's name and source but not the settings it was
    compiled with. Without a writable temporary folder, templates are simply compiled.
    """
    settings = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6).hexdigest()
    folder = private_cache(f"jinja-{__version__}-{settings}")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None


def guarded_environment(folders: Iterable[Path], escape: Callable[[str], str] = md_escape) -> GuardedEnvironment:
    """A guarded environment loading templates from `folders` in order; printed text is `escape`d."""
    env = GuardedEnvironment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize_with(escape),
        # With autoescape on, macro results come back as Markup and are not escaped twice;
        # finalize has already turned every other value into escaped Markdown.
        autoescape=True,
        trim_blocks=False,  # block-tag lines leave blank lines: harmless in Markdown, and paragraphs stay apart
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(),
    )
    env.filters = {name: BUILTIN_FILTERS[name] for name in STRUCTURAL} | dict(FILTERS)
    env.tests.update(TESTS)
    return env
