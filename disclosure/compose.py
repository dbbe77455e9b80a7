"""Compose a report into Markdown through the Jinja templates of its outline profile.

Every value a template prints passes through `finalize`, which escapes Markdown syntax, so a
department name such as `<script>` or `**x**` is printed literally. Tables, the glossary and the
evaluation tables are not written in Markdown: templates place islands (fenced blocks with the
info string `island`) that the document stage replaces with structured objects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__
from . import model as m
from .amounts import format_amount, format_percent, format_plain
from .errors import Location, ReportError
from .figures import Figures, compute
from .scoring import Scored, Summary, score, summarize

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SHARED = "_shared"
STANDARD_GLOSSARY = TEMPLATES / SHARED / "glossary.yaml"  # the standard terms and 项 explanations
_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~!&{}])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)
CN_DIGITS = "〇一二三四五六七八九"


def md_escape(text: str) -> str:
    """Escape Markdown syntax in user text so that it prints literally (CommonMark backslash escapes)."""
    escaped = _ESCAPE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda mt: mt.group(1) + re.sub(r"([-+=.)])", r"\\\1", mt.group(2), count=1), escaped)


def md_unescape(text: str) -> str:
    """Undo md_escape (used for island contents, which Markdown does not parse)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def cn_number(n: int) -> str:
    """Write 1–99 in Chinese numerals: 一, 十, 十一, 二十三."""
    units = "零一二三四五六七八九"
    if n < 10:
        return units[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else units[tens]) + "十" + (units[ones] if ones else "")


def cn_year_month(date: dt.date) -> str:
    """Write 2025-09-02 as 二〇二五年九月 (cover style)."""
    return "".join(CN_DIGITS[int(d)] for d in str(date.year)) + f"年{cn_number(date.month)}月"


@dataclass(frozen=True)
class Formats:
    """How numbers print in one report: money unit, percent precision, zero display."""

    unit: str = "万元"
    percent_places: int = 2
    zero_blank: bool = False

    def amount(self, value: Decimal) -> str:
        return format_amount(value, 2, grouping=self.unit == "元")

    def cell(self, value: Decimal | None) -> str:
        """A table cell: an amount not given is zero; zero is blank when the report says so."""
        if value is None:
            value = Decimal(0)
        if value == 0 and self.zero_blank:
            return ""
        return self.amount(value)

    def percent(self, value: Decimal | None) -> str:
        if value is None:
            return "--（基数为0，不可比）"
        return format_percent(value, self.percent_places)

    @classmethod
    def of(cls, manifest: m.Manifest) -> Formats:
        return cls(manifest.unit, manifest.percent_places, manifest.zero == "空白")


def island(kind: str, *args: object) -> Markup:
    """Place a structured block (table, glossary, evaluation table, cover, toc) in the Markdown."""
    body = "\n".join(md_escape(str(a)) for a in args)
    return Markup(f"\n```island {kind}\n{body}\n```\n")


@cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (a rebuild of one report need not recompile them).

    The folder is private to this toolkit version and to these environment settings, since
    Jinja's cache key holds the template's name and source but not the settings it was
    compiled with. Without a writable temporary folder, templates are simply compiled.
    """
    settings = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6).hexdigest()
    folder = Path(tempfile.gettempdir()) / f"disclosure-jinja-{__version__}-{settings}-{os.getuid() if hasattr(os, 'getuid') else 0}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(folder))
    except OSError:
        return None


class Composer:
    """Jinja environments per outline profile, created once and reused for every report."""

    def __init__(self, root: Path = TEMPLATES):
        self.root = root
        self._environments: dict[str, jinja2.Environment] = {}
        self._profiles: dict[str, str] | None = None

    def profiles(self) -> dict[str, str]:
        """Map each profile's folder name and Chinese name to its folder name (read once per composer)."""
        if self._profiles is not None:
            return self._profiles
        names: dict[str, str] = {}
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("_")):
            names[folder.name] = folder.name
            title = folder / "名称.txt"
            if title.is_file():
                for alias in title.read_text(encoding="utf-8").split():
                    names[alias] = folder.name
        self._profiles = names
        return names

    def environment(self, profile: str) -> jinja2.Environment:
        env = self._environments.get(profile)
        if env is None:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader([str(self.root / profile), str(self.root / SHARED)]),
                undefined=jinja2.StrictUndefined,
                finalize=_finalize,
                # With autoescape on, macro results come back as Markup and are not escaped twice;
                # finalize has already turned every other value into escaped Markdown.
                autoescape=True,
                trim_blocks=False,  # block-tag lines leave blank lines: harmless in Markdown, and paragraphs stay apart
                lstrip_blocks=True,
                keep_trailing_newline=True,
                bytecode_cache=_bytecode_cache(),
            )
            env.filters.update(FILTERS)
            env.globals.update(island=island, cn_number=cn_number)
            self._environments[profile] = env
        return env

    def compose(self, prepared: Prepared) -> str:
        """Render the report's Markdown through its profile's `report.md.j2`."""
        profiles = self.profiles()
        manifest = prepared.report.manifest
        profile = profiles.get(manifest.profile)
        if profile is None:
            choices = "、".join(sorted({k for k in profiles if not k.isascii()} or profiles))
            raise ReportError(manifest.at("profile", "提纲"), f"没有名为“{manifest.profile}”的提纲；可选：{choices}")
        env = self.environment(profile)
        name = "evaluation.md.j2" if manifest.kind == "绩效自评" else "report.md.j2"
        try:
            template = env.get_template(name)
            return template.render(**context(prepared))
        except jinja2.TemplateSyntaxError as exc:
            raise ReportError(Location(exc.filename or name, exc.lineno), f"模板语法错误：{exc.message}") from None
        except jinja2.TemplateError as exc:
            raise ReportError(_template_location(exc, self.root, profile, name), f"模板出错：{exc}") from None


def _template_location(exc: Exception, root: Path, profile: str, name: str) -> Location:
    """Find the template file and line of a runtime template error from the traceback."""
    tb = exc.__traceback__
    found = Location(str(root / profile / name))
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = Location(filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise jinja2.UndefinedError("模板输出了空值（None）")
    if isinstance(value, bool | float):
        raise jinja2.TemplateRuntimeError(f"模板不能直接输出 {type(value).__name__}：请用过滤器格式化")
    if isinstance(value, Decimal):
        raise jinja2.TemplateRuntimeError("金额必须通过 money/amount/pct 过滤器输出")
    return Markup(md_escape(str(value)))


@jinja2.pass_context
def _money(ctx, value: Decimal) -> Markup:
    # Printed numbers hold only digits, “.”, “,”, “%” and the unit: nothing Markdown would parse.
    fmt: Formats = ctx["fmt"]
    return Markup(fmt.amount(value) + fmt.unit)


@jinja2.pass_context
def _amount(ctx, value: Decimal) -> Markup:
    return Markup(ctx["fmt"].amount(value))


@jinja2.pass_context
def _pct(ctx, value: Decimal | None) -> Markup:
    return Markup(ctx["fmt"].percent(value))


def _plain(value: Decimal) -> Markup:
    return Markup(format_plain(value, 2))


def _cn_date(value: dt.date) -> Markup:
    return Markup(f"{value.year}年{value.month}月{value.day}日")


def _paragraphs(text: str) -> Markup:
    """Print user text as Markdown paragraphs, one per non-empty line, escaped."""
    lines = [md_escape(line.strip()) for line in text.splitlines() if line.strip()]
    return Markup("\n\n".join(lines))


def clause_text(text: str) -> str:
    """User text as a clause: trailing 。；，. removed, so the sentence adds its own punctuation.

    Line breaks typed inside it (a YAML block) are joined: a clause sits inside one sentence, and a
    blank line would end the paragraph and could turn the rest into an indented code block.
    """
    joined = re.sub(r"[ \t　]*\n\s*", "", text.strip())
    return joined.rstrip("。；;，,.！!　 ")


def _clause(text: str) -> Markup:
    return Markup(md_escape(clause_text(text)))


_ENUMERATED = re.compile(r"^(一是|二是|1[.、．]|（1）|\(1\)|第一)")


def _lead_in(text: str) -> Markup:
    """The colon after “主要原因是” when the reason is an enumeration (“一是……；二是……”)."""
    return Markup("：" if _ENUMERATED.match(text.strip()) else "")


def _join(items, sep: str = "、") -> Markup:
    return Markup(sep.join(md_escape(str(i)) for i in items))


FILTERS = {
    "money": _money,
    "amount": _amount,
    "pct": _pct,
    "plain": _plain,
    "cn_date": _cn_date,
    "cn_year_month": cn_year_month,
    "paragraphs": _paragraphs,
    "join_items": _join,
    "clause": _clause,
    "lead_in": _lead_in,
}


@dataclass(frozen=True)
class Prepared:
    """A report with everything derived from it once: figures, settled scores, number formats."""

    report: m.Report
    figures: Figures | None
    scored: tuple[Scored, ...]
    fmt: Formats

    @property
    def summary(self) -> Summary:
        """The self-evaluations in figures; their share is of the year's 项目支出 (03表), or of the
        项目资金总额 stated in report.yaml for a standalone 绩效自评 document."""
        t03 = self.report.tables.t03 if self.report.tables else None
        if t03 is not None and t03.total is not None:
            base = t03.total.value("project")
        else:
            base = self.report.manifest.project_total or Decimal(0)
        return summarize(self.scored, base)


def document_title(manifest: m.Manifest) -> str:
    """The title of a report: “2024年度青川市临江区医疗保障局部门决算”, “…部门项目绩效自评结果”."""
    what = f"{manifest.scope}项目绩效自评结果" if manifest.kind == "绩效自评" else f"{manifest.scope}决算"
    return f"{manifest.year}年度{manifest.department}{what}"


def prepare(report: m.Report) -> Prepared:
    """Compute the figures and scores of a report (pure arithmetic, no wording)."""
    from .appraisal import rules_of

    rules = rules_of(report)
    figures = compute(report) if report.tables else None
    scored = tuple(score(e, rules) for e in report.evaluations)
    return Prepared(report, figures, scored, Formats.of(report.manifest))


def context(prepared: Prepared) -> dict:
    """Everything a template may use: the report, its figures, formats and wording."""
    report = prepared.report
    manifest = report.manifest
    return {
        "r": report,
        "m": manifest,
        "f": prepared.figures,
        "fmt": prepared.fmt,
        "S": manifest.scope,
        "own": f"本{manifest.scope}",
        "Y": manifest.year,
        "Y0": manifest.year - 1,
        "title": document_title(manifest),
        "scored": prepared.scored,
        "perf": prepared.summary,
    }
