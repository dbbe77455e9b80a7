"""Stage 4, compose: Derived + outline profile → Markdown, through the Jinja templates of the profile.

Every sentence, title and label of a document lives under templates/: the `*.md.j2` templates
write the narrative, and labels.yaml the words of the tables, forms and document furniture.
Templates run in a guarded sandbox (environment.py): they choose words and print the computed
figures through the project's filters, and cannot compute. Every value they print is escaped,
so a department name such as `<script>` or `**x**` prints literally. Tables, the glossary and
the forms are placed as islands (fenced blocks `island <kind>`) that the document stage fills.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import TracebackType

import jinja2
from markupsafe import Markup

from .. import model as m
from ..compute import Derived
from ..errors import Location, ReportError, display_path
from ..read.format import WORDING
from ..read.glossary import StandardGlossary, profile_glossary
from ..read.source import Mapping as MappingNode
from ..read.source import Node, Scalar, load_yaml
from ..resources import SHARED, Project
from .environment import PRINTED, GuardedEnvironment, Printed, guarded_environment
from .formats import Formats
from .text import md_escape, md_unescape

__all__ = ["Composed", "Composer", "Formats", "Labels", "compose", "island", "md_escape", "md_unescape"]

LABELS_FILE = "labels.yaml"
WORDING_FILE = "表述.yaml"  # a profile's wording choices (the same fields as report.yaml's 表述)
REPORT_TEMPLATE = "report.md.j2"
EVALUATION_TEMPLATE = "evaluation.md.j2"
EVALUATION_KIND = "绩效自评"  # the standalone 绩效自评结果 document
STATEMENT_TEMPLATE = "three_costs_statement.md.j2"
STATEMENT_KIND = "三公经费"  # the separate “三公”经费 (and 机关运行经费) statement


def island(kind: str, *args: object) -> Markup:
    """Place a structured block (table, glossary, evaluation table, cover, toc) in the Markdown.

    Each argument is one line of the block; text a macro wrote is already escaped.
    """
    body = "\n".join(str(a) if isinstance(a, Markup) else md_escape(str(a)) for a in args)
    return Markup(f"\n```island {kind}\n{body}\n```\n")


def _template_location(exc: BaseException, fallback: Location) -> Location:
    """Find the template file and line of a runtime template error from the traceback."""
    tb: TracebackType | None = exc.__traceback__
    found = fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = Location(display_path(Path(filename)), tb.tb_lineno)
        tb = tb.tb_next
    return found


# Jinja's own messages, said in Chinese to the person who edits the templates.
_JINJA_MESSAGES = (
    (
        re.compile(r"No filter named '([^']+)'"),
        "没有名为“{0}”的过滤器（数字只能经 money、amount、pct、plain、integer 输出；不能用 string、format、round 等）",
    ),
    (re.compile(r"No test named '([^']+)'"), "没有名为“{0}”的判断"),
    (re.compile(r"'([^']+)' is undefined"), "模板中没有“{0}”这个变量"),
    (
        re.compile(r"access to attribute '([^']+)' of '([^']+)' object is unsafe"),
        "模板不能读取 {1} 的“{0}”（不安全，或会绕过数字的格式化）",
    ),
    (re.compile(r"'([^']+)' object has no attribute '([^']+)'"), "{0} 没有“{1}”这一项"),
)


def _in_chinese(message: str) -> str:
    for pattern, text in _JINJA_MESSAGES:
        found = pattern.search(message)
        if found:
            return text.format(*found.groups())
    return message


def _template_error(exc: jinja2.TemplateError, fallback: Location) -> ReportError:
    message = _in_chinese(exc.message or str(exc))
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = Location(display_path(Path(exc.filename)), exc.lineno or 0) if exc.filename else fallback
        return ReportError(where, f"模板语法错误：{message}")
    return ReportError(_template_location(exc, fallback), f"模板出错：{message}")


_NAME = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


@dataclass(frozen=True)
class Label:
    """One entry of labels.yaml: its compiled text, or, when it only fills in names (“{{ S }}：{{ department }}”),
    its pieces: literal text at even places, the names to fill in at odd places."""

    template: jinja2.Template | tuple[str, ...]
    loc: Location

    def fill(self, values: Mapping[str, object]) -> str:
        pieces = self.template
        assert isinstance(pieces, tuple)
        out = []
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                out.append(piece)
                continue
            value = values.get(piece)
            if not isinstance(value, str):
                raise ReportError(self.loc, f"措辞中的“{{{{ {piece} }}}}”{'没有这个变量' if value is None else '不是文字'}")
            out.append(value)
        return "".join(out)


class Labels:
    """The words of one report's tables, forms and furniture: labels.yaml rendered for the report.

    A report asks for the same few words many times (every table's 项目, 栏次 …): each distinct
    request is rendered once.
    """

    def __init__(self, entries: Mapping[str, Label], context: Mapping[str, object]):
        self._entries = entries
        self._context = dict(context)
        self._done: dict[tuple, str] = {}

    def __call__(self, key: str, /, **values: object) -> str:
        request = (key, *values.items())
        done = self._done.get(request)
        if done is not None:
            return done
        entry = self._entries.get(key)
        if entry is None:
            raise ReportError(Location(LABELS_FILE), f"措辞文件中缺少“{key}”一项")
        if isinstance(entry.template, tuple):
            text = entry.fill(self._context | values if values else self._context)
        else:
            try:
                text = entry.template.render(self._context | values)
            except jinja2.TemplateError as exc:
                raise ReportError(entry.loc, f"措辞出错（{key}）：{exc.message or exc}") from None
        self._done[request] = text
        return text


@dataclass(frozen=True)
class Composed:
    """A report's Markdown and the words its islands are drawn with."""

    derived: Derived
    markdown: str
    labels: Labels
    title: str
    fmt: Formats
    glossary: StandardGlossary
    printed: tuple[tuple[str, Decimal, str], ...] = ()  # the derived figures the text prints: (kind, value, text)
    wording: m.Wording = m.WORDING_DEFAULTS  # the profile's choices with the report's over them

    @property
    def table_titles(self) -> Mapping[str, str]:
        return table_titles(self.derived, self.wording)

    @property
    def report(self) -> m.Report:
        return self.derived.report


def table_titles(derived: Derived, wording: m.Wording) -> dict[str, str]:
    """The title of each public table: the year's official one, or the one the wording names."""
    official = dict(derived.figures.table_titles) if derived.figures is not None else {}
    return official | dict(wording.titles)


def _flatten(node: Node, prefix: str, into: dict[str, tuple[str, Location]]) -> None:
    if isinstance(node, MappingNode):
        for key, value in node.items:
            _flatten(value, f"{prefix}.{key.text}" if prefix else key.text, into)
    elif isinstance(node, Scalar):
        into[prefix] = ("" if node.is_null else node.text, node.loc)
    else:
        raise ReportError(node.loc, "措辞文件中每一项应是一段文字")


class Composer:
    """The templates of a project: one guarded environment per outline profile, created once and reused."""

    def __init__(self, project: Project | None = None):
        self.project = project or Project()
        self._environments: dict[str, GuardedEnvironment] = {}
        self._labels: dict[str, dict[str, Label]] = {}
        self._wordings: dict[str, m.Wording] = {}

    def profile(self, manifest: m.Manifest) -> str:
        """The profile folder named by report.yaml (by folder name or Chinese name)."""
        return self.project.profile_of(manifest)

    def environment(self, profile: str) -> GuardedEnvironment:
        env = self._environments.get(profile)
        if env is None:
            env = guarded_environment(self.project.template_folders(profile))
            env.globals.update(island=island)
            self._environments[profile] = env
        return env

    def labels(self, profile: str) -> dict[str, Label]:
        """labels.yaml of a profile over the shared one, the project's over the package's, compiled once."""
        found = self._labels.get(profile)
        if found is not None:
            return found
        raw: dict[str, tuple[str, Location]] = {}
        roots = self.project.template_roots
        for folder in (root / name for name in (SHARED, profile) for root in reversed(roots)):
            path = folder / LABELS_FILE
            if path.is_file():
                _flatten(load_yaml(path, display_path(path)), "", raw)
        env = guarded_environment((), escape=str)  # labels print plain text, not Markdown
        found = {}
        for key, (text, loc) in raw.items():
            pieces = tuple(_NAME.split(text))
            if not any("{" in piece or "}" in piece for piece in pieces[::2]):
                found[key] = Label(pieces, loc)  # only names to fill in: no need to run Jinja
                continue
            try:
                found[key] = Label(env.from_string(text), loc)
            except jinja2.TemplateSyntaxError as exc:
                raise ReportError(loc, f"措辞语法错误（{key}）：{exc.message}") from None
        self._labels[profile] = found
        return found

    def wording(self, manifest: m.Manifest) -> m.Wording:
        """A report's wording choices: its own 表述 over its profile's 表述.yaml over the defaults."""
        profile = self.profile(manifest)
        found = self._wordings.get(profile)
        if found is None:
            found = m.WORDING_DEFAULTS
            path = self.project.template_file(profile, WORDING_FILE)
            if path is not None:
                found = WORDING.read(load_yaml(path, display_path(path))).over(found)
            self._wordings[profile] = found
        return manifest.wording.over(found) if manifest.wording is not None else found

    def words(self, manifest: m.Manifest) -> Labels:
        """The labels of a report, rendered with what every label may use (S, own, Y, department …)."""
        base: dict[str, object] = {
            "S": manifest.scope,
            "Y": str(manifest.year),
            "Y0": str(manifest.year - 1),
            "department": manifest.department,
            "unit": manifest.unit,
            "kind": manifest.kind,
        }
        labels = Labels(self.labels(self.profile(manifest)), base)
        base["own"] = labels("document.own")
        return Labels(self.labels(self.profile(manifest)), base)

    def glossary(self, manifest: m.Manifest) -> StandardGlossary:
        """The standard glossary of a report's profile (its own glossary.yaml, else the shared one)."""
        return profile_glossary(self.project, self.profile(manifest))

    def title(self, manifest: m.Manifest) -> str:
        """The title of a report (“2024年度……部门决算”), as the site index lists it."""
        return self.words(manifest)("document.title")

    def compose(self, derived: Derived) -> Composed:
        """Render a derived report's Markdown through its profile's report (or evaluation) template."""
        report = derived.report
        manifest = report.manifest
        profile = self.profile(manifest)
        labels = self.words(manifest)
        wording = self.wording(manifest)
        fmt = Formats.of(manifest, wording)
        title = labels("document.title")
        context = {
            "r": report,
            "m": manifest,
            "f": derived.figures,
            "fmt": fmt,
            "S": manifest.scope,
            "own": labels("document.own"),
            "Y": str(manifest.year),
            "Y0": str(manifest.year - 1),
            "title": title,
            "scored": derived.scored,
            "perf": derived.performance,
            "ws": wording,
            "titles": table_titles(derived, wording),
            PRINTED: (printed := Printed()),
        }
        name = {EVALUATION_KIND: EVALUATION_TEMPLATE, STATEMENT_KIND: STATEMENT_TEMPLATE}.get(manifest.kind, REPORT_TEMPLATE)
        fallback = Location(str(self.project.template_file(profile, name) or name))
        try:
            markdown = self.environment(profile).get_template(name).render(context)
        except jinja2.TemplateError as exc:
            raise _template_error(exc, fallback) from None
        composed = Composed(derived, markdown, labels, title, fmt, self.glossary(manifest), tuple(printed.items), wording)
        return composed


def compose(derived: Derived, composer: Composer) -> Composed:
    """Compose a derived report into Markdown with the templates of its outline profile."""
    return composer.compose(derived)
