"""Document → readable Markdown (report.md): the review copy and the golden file of a report.

Headings carry their generated numbers, tables are drawn as pipe tables with every spanned
position marked (“〃” below a row span, “←” beside a column span) so that a reviewer sees the
whole layout in a diff, and user text is escaped so it reads literally.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..compose import md_escape
from ..document import Chart, Contents, Cover, Document, Glossary, Heading, Island, Paragraph, Table
from ..resources import Theme

# How a reviewer sees a span in the pipe table (notation of this review copy, not the report's wording).
ROW_SPAN, COL_SPAN = "〃", "←"
NUMBERED, GAP = "（{}）", "　　"  # the 表号 after the title, the space between 编制单位 and 金额单位

# “&” too: “&amp;” in a cell would otherwise render as an entity, not as the text typed.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")


@lru_cache(maxsize=1 << 14)
def _cell(text: str) -> str:
    """Escape a cell's text for a pipe table (no block syntax can start inside a cell); kept per text,
    as tables repeat theirs (0.00, the headings)."""
    return _INLINE.sub(r"\\\1", text).replace("\n", " ") or " "


def table_markdown(table: Table) -> str:
    """Draw a Table as a pipe table; spans are marked so the layout survives in plain text."""
    grid: dict[tuple[int, int], str] = {}
    head = len(table.head)
    for line in table.grid:
        for cell, row, col in line:
            text = _cell(cell.text)
            if cell.header and row < head:
                text = f"**{text}**" if text.strip() else text
            grid[(row, col)] = text
            if cell.rowspan > 1 or cell.colspan > 1:
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if (dr, dc) != (0, 0):
                            grid[(row + dr, col + dc)] = COL_SPAN if dr == 0 else ROW_SPAN
    rows = len(table.rows)
    out = [f"**{md_escape(table.title)}**" + (NUMBERED.format(table.number) if table.number else ""), ""]
    if table.org or table.unit:
        out.append(f"{md_escape(table.org)}{GAP}{md_escape(table.unit)}")
        out.append("")
    for r in range(rows):
        out.append("| " + " | ".join(grid.get((r, c), " ") for c in range(table.columns)) + " |")
        if r == 0:
            out.append("|" + "|".join(" ---: " if c in table.numeric_columns else " --- " for c in range(table.columns)) + "|")
    if table.empty_note:
        out += ["", md_escape(table.empty_note)]
    if table.note:
        out += ["", md_escape(table.note)]
    return "\n".join(out)


def write_markdown(document: Document, theme: Theme | None = None) -> bytes:
    """Render a Document as Markdown text (the review copy has no theme)."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {md_escape(block.title)}")
        elif isinstance(block, Paragraph):
            text = "".join((f"**{md_escape(r.text)}**" if r.bold else md_escape(r.text)) for r in block.runs)
            out.append(("- " if block.kind == "item" else "") + text)
        elif isinstance(block, Island):
            value = block.value
            if isinstance(value, Table):
                out.append(table_markdown(value))
            elif isinstance(value, Chart):  # the review copy shows the chart's figures
                out.append(table_markdown(value.table))
            elif isinstance(value, Glossary):
                sep = md_escape(value.separator)
                out.append(
                    "\n".join(
                        f"{i}\\. **{md_escape(e.term)}**{sep}{md_escape(e.text)}" for i, e in enumerate(value.entries, start=1)
                    ).replace("\n", "\n\n")
                )
            elif isinstance(value, Contents):
                top = min((h.level for h in value.headings), default=1)
                entries = "\n".join(f"{'  ' * (h.level - top)}- {md_escape(h.title)}" for h in value.headings)
                out.append(f"**{md_escape(value.title)}**\n\n{entries}")
            elif isinstance(value, Cover):
                lines = [f"**{md_escape(value.title)}**", md_escape(value.date)]
                out.append("\n\n".join(line for line in lines if line))
            else:
                raise TypeError(f"the Markdown writer cannot draw an island of {type(value).__name__}")
        else:
            raise TypeError(f"the Markdown writer cannot draw a block of {type(block).__name__}")
    return ("\n\n".join(out) + "\n").encode("utf-8")
