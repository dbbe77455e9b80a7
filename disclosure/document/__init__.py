"""Stage 5, document: composed Markdown → Document, with every island resolved to its object.

parse.py turns the Markdown into blocks and numbers the headings; the islands a template placed
(`island table 01`, `island evaluation 0`, `island glossary`, `island cover`, `island toc`)
become the objects every writer draws: the nine public tables (public.py) and the forms
(forms.py) on the table model (table.py), the glossary (glossary.py), the cover and contents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from ..compose import Composed, Labels, md_unescape
from ..compose.text import cn_number
from ..errors import Location, ReportError
from .blocks import Block, Chart, Contents, Cover, Document, Heading, Island, Mention, Paragraph, Run, Series
from .changes import notice_name, superseded_name
from .charts import ChartBuilder
from .forms import evaluation_table
from .glossary import Entry, Glossary, select
from .parse import Numbering, build
from .public import PublicTables
from .table import Cell, Table, cells_of

__all__ = [
    "Block",
    "Cell",
    "Chart",
    "Contents",
    "Cover",
    "Document",
    "Entry",
    "Glossary",
    "Heading",
    "Island",
    "Mention",
    "Paragraph",
    "Run",
    "Series",
    "Table",
    "document",
]


def _fields(lines: Sequence[str]) -> dict[str, str]:
    """The `key: value` lines of an island."""
    fields: dict[str, str] = {}
    for line in lines:
        key, _, value = line.partition(": ")
        fields[key.rstrip(":")] = value
    return fields


def heading_numbers(labels: Labels) -> Numbering:
    """The heading numbers of a profile's labels: level and count → 第一部分 / 一、/（一）/ 1. /（1）."""

    def numbering(level: int, count: int) -> str:
        return labels(f"document.heading{min(level, 5)}", cn=cn_number(count), n=str(count))

    return numbering


def document(composed: Composed) -> Document:
    """Build the Document of a composed report, every island resolved."""
    derived, labels, fmt = composed.derived, composed.labels, composed.fmt
    report = derived.report
    figures = derived.figures
    # Each public table is built when the template places it: a 三公经费 statement places only 07表.
    builder = PublicTables(report, figures, fmt, labels, composed.table_titles) if figures is not None else None
    tables: dict[str, Table] = {}
    forms: dict[int, Table] = {}
    charts = ChartBuilder(composed)

    def used_text() -> str:
        drawn: list[Table] = [*tables.values(), *forms.values()]
        return composed.markdown + "\n".join(cell.text for table in drawn for cell in cells_of(table))

    def item_names() -> list[str]:
        """The names of the 项 (7-digit) codes that appear in the report's tables, in code order."""
        codes: set[str] = set()
        if report.tables is not None:
            t = report.tables
            for table in (t.t02, t.t03, t.t05, t.t08, t.t09):
                codes.update(row.code for row in (table.rows if table else ()) if len(row.code) == 7)
        names = figures.names if figures is not None else {}
        return [names[code] for code in sorted(codes) if code in names]

    def resolve(kind: str, lines: Sequence[str]) -> object:
        values = [md_unescape(line) for line in lines]
        if kind == "table":
            if builder is None:
                raise ReportError(Location(report.folder), f"模板放了公开{values[0]}表，但这份文档没有公开表")
            if values[0] not in tables:
                tables[values[0]] = builder.build(values[0])
            return tables[values[0]]
        if kind == "evaluation":
            index = int(values[0])
            forms[index] = evaluation_table(
                derived.scored[index], report, fmt, labels, f"ev{index + 1}", values[1] if len(values) > 1 else ""
            )
            return forms[index]
        if kind == "chart":  # drawn only when the wording says so (图表: 是), and only with figures to draw
            return charts.build(values[0]) if composed.wording.charts else None
        if kind == "glossary":
            return select(report, used_text(), item_names(), composed.glossary, labels("document.glossary_separator"))
        if kind == "cover":
            fields = _fields(values)
            return Cover(fields.get("title", ""), fields.get("name", ""), fields.get("subtitle", ""), fields.get("date", ""))
        if kind == "toc":
            fields = _fields(values)
            return Contents(title=fields.get("title", ""), depth=int(fields.get("depth", "2")))
        raise ReportError(Location(report.folder), f"模板中有无法识别的块“{kind}”")

    manifest = report.manifest
    meta = {
        "department": manifest.department,
        "year": str(manifest.year),
        "kind": manifest.kind,
        "scope": manifest.scope,
        "date": manifest.publication_date.isoformat() if manifest.publication_date else "",
        "unit": manifest.unit,
        "subject": labels("document.subject"),
        "keywords": labels("document.keywords"),
    }
    if manifest.corrections:
        # The page says when it was corrected and links the notice and the version it replaced.
        dates = [manifest.publication_date, *(c.date for c in manifest.corrections)]
        last, previous = dates[-1], dates[-2]
        if last is not None and previous is not None:
            meta["corrected"] = last.isoformat()
            meta["notice"] = notice_name(last.isoformat(), "html")
            meta["original"] = superseded_name("report.html", previous.isoformat())
    built = build(composed.markdown, resolve, composed.title, heading_numbers(labels), meta)
    blocks = tuple(b for b in built.blocks if not (isinstance(b, Island) and b.value is None))
    built = replace(built, blocks=blocks)
    return replace(built, figures=mentions(built.blocks, composed.printed, labels("document.sentence_end")))


def mentions(blocks: Sequence[Block], printed: Sequence[tuple[str, Decimal, str]], end: str) -> tuple[Mention, ...]:
    """Find each printed figure, in the order the text printed them, in its sentence (up to `end`, “。”)."""
    paragraphs: list[tuple[str, str]] = []  # (section heading, text)
    section = ""
    for block in blocks:
        if isinstance(block, Heading):
            section = block.title
        elif isinstance(block, Paragraph):
            paragraphs.append((section, block.text))
    found: list[Mention] = []
    at, offset = 0, 0  # the paragraph, and the place in it, where the last figure was found
    for kind, value, text in printed:
        for i in range(at, len(paragraphs)):
            heading, paragraph = paragraphs[i]
            pos = paragraph.find(text, offset if i == at else 0)
            if pos < 0:
                continue
            start = paragraph.rfind(end, 0, pos) + 1
            stop = paragraph.find(end, pos + len(text))
            sentence = paragraph[start : stop + len(end) if stop >= 0 else len(paragraph)]
            found.append(Mention(kind, value, text, sentence, heading))
            at, offset = i, pos + len(text)
            break
    return tuple(found)
