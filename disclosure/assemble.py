"""Assemble a report's Document: compose the Markdown, then resolve each island to its object.

Islands are placed by templates as fenced blocks (`island table 01`, `island evaluation 0`,
`island glossary`, `island cover`, `island toc`); here each becomes the Table, Glossary, Cover
or Contents object that every writer draws in its own way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import model as m
from .compose import STANDARD_GLOSSARY, Composer, Prepared, document_title, md_unescape, prepare
from .document import Contents, Cover, Document, build
from .errors import Location, ReportError
from .forms import evaluation_table
from .glossary import select
from .tables import Table, cells_of, public_tables


@dataclass(frozen=True)
class Assembled:
    """A report rendered to Markdown and to a Document, ready for the writers."""

    prepared: Prepared
    markdown: str
    document: Document

    @property
    def report(self) -> m.Report:
        return self.prepared.report


def _item_names(report: m.Report, names: dict[str, str]) -> list[str]:
    """The names of the 项 (7-digit) codes that appear in the report's tables, in code order."""
    tables = report.tables
    codes: set[str] = set()
    if tables is not None:
        for table in (tables.t02, tables.t03, tables.t05, tables.t08, tables.t09):
            codes.update(row.code for row in (table.rows if table else ()) if len(row.code) == 7)
    return [names[code] for code in sorted(codes) if code in names]


def assemble(report: m.Report, composer: Composer) -> Assembled:
    """Compose a checked report and build its Document with every island resolved."""
    prepared = prepare(report)
    markdown = composer.compose(prepared)
    tables = public_tables(report, prepared.figures, prepared.fmt) if prepared.figures else {}
    forms = [evaluation_table(s, report, prepared.fmt, f"ev{i + 1}") for i, s in enumerate(prepared.scored)]

    def used_text() -> str:
        drawn: list[Table] = [*tables.values(), *forms]
        return markdown + "\n".join(cell.text for table in drawn for cell in cells_of(table))

    def resolve(kind: str, lines: Sequence[str]) -> object:
        values = [md_unescape(line) for line in lines]
        if kind == "table":
            return tables[values[0]]
        if kind == "evaluation":
            return forms[int(values[0])]
        if kind == "glossary":
            names = prepared.figures.names if prepared.figures else {}
            return select(report, used_text(), _item_names(report, names), STANDARD_GLOSSARY)
        if kind == "cover":
            fields = dict(line.split(": ", 1) if ": " in line else (line.rstrip(":"), "") for line in values)
            return Cover(fields.get("title", ""), fields.get("name", ""), fields.get("subtitle", ""), fields.get("date", ""))
        if kind == "toc":
            return Contents(depth=int(values[0]) if values else 2)
        raise ReportError(Location(report.folder), f"模板中有无法识别的块“{kind}”")

    meta = {
        "department": report.manifest.department,
        "year": str(report.manifest.year),
        "kind": report.manifest.kind,
        "scope": report.manifest.scope,
        "date": report.manifest.publication_date.isoformat() if report.manifest.publication_date else "",
    }
    document = build(markdown, resolve, document_title(report.manifest), meta)
    return Assembled(prepared, markdown, document)

