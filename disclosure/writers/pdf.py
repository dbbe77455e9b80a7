"""Document → a PDF that a government site can publish and archive as it is, typeset by Typst.

The writer emits Typst source from the Document, as docx.py emits WordprocessingML, and compiles
it in-process with the `typst` package (one wheel, no office suite). Page and type come from the
same docx.yaml settings as the DOCX (`docx_theme`), so a theme changes both; how each block looks
is the theme's pdf.typ. The source is three parts: `theme`, a dictionary of those settings with
every GB font name mapped to an installed font (pdf_fonts in docx.yaml); pdf.typ; and the report,
one call per block. User text enters the source only as string literals (typst_markup.string).

Typst does the rest: a contents page with the real page numbers, a bookmark for every heading,
header rows repeated on continued pages, rows never split, a table's title kept with its grid,
landscape pages for wide tables and forms, each form fitted to one page where it can be, fonts
embedded, PDF/A-2a with tags; the creation date is the report's own, so the bytes repeat.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ..document import Chart, Contents, Cover, Document, Glossary, Heading, Island, Paragraph, Table
from ..document.table import Cell
from ..errors import Location, ReportError
from ..resources import Theme
from . import typst_markup as t
from .chart import ChartStyle, chart_style, svg
from .docx import (
    LINE_STYLES,
    DocxTheme,
    TableMeasure,
    TextStyle,
    docx_theme,
    merged_headings,
    section_kinds,
    style_height,
    table_starts,
    text_height,
)
from .docx import THEME_FILE as DOCX_FILE
from .layout import cover_lines, lines, title_text

if TYPE_CHECKING:
    import typst

THEME_FILE = "pdf.typ"
# PDF/A-2a: the archival profile of PDF/A-2 that also requires the tags screen readers use.
STANDARDS: Final = "a-2a"
_NUMBERING = {"decimal": "1", "upperRoman": "I", "lowerRoman": "i"}

# ---------------------------------------------------------------------------- the engine


@dataclass(frozen=True)
class _Engine:
    """The Typst compiler of this process, the font families it sees, and the error it raises."""

    compiler: typst.Compiler
    families: frozenset[str]
    error: type[Exception]


_ENGINES: dict[int, _Engine] = {}  # by process id


def started() -> bool:
    """Whether this process has started Typst (its workers must then not be forked from it)."""
    return bool(_ENGINES)


def _engine() -> _Engine:
    """One compiler per process: scanning the fonts takes a tenth of a second, and Typst memoizes across compiles.

    Typst's thread pool does not survive fork(): a process forked after Typst ran would hang at
    its first compile, so it is stopped with an error instead (start such workers with "spawn" or
    "forkserver").
    """
    found = _ENGINES.get(os.getpid())
    if found is not None:
        return found
    if _ENGINES:
        raise RuntimeError(
            "this process was forked from one that had started Typst, whose threads do not survive fork(); "
            'start worker processes with the "spawn" or "forkserver" method'
        )
    try:
        import typst  # the “pdf” extra
    except ImportError:
        raise ReportError(Location("report.pdf"), '生成 PDF 需要 typst：请安装（pip install "disclosure[pdf]"）') from None
    fonts = typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)
    families = frozenset(f.casefold() for f in fonts.families())
    engine = _ENGINES[os.getpid()] = _Engine(typst.Compiler(font_paths=fonts), families, typst.TypstError)
    return engine


def _theme_file(theme: Theme, name: str) -> Location:
    path = theme.file(name)
    return Location(str(path) if path else f"themes/{theme.name}/{name}")


def _fonts(settings: DocxTheme, theme: Theme, available: frozenset[str]) -> dict[str, str]:
    """Each font name the styles use → the first installed font of its pdf_fonts list (itself first)."""
    names = dict.fromkeys([settings.latin, *(s.font for s in settings.styles.values())])
    found: dict[str, str] = {}
    for name in names:
        candidates = dict.fromkeys((name, *settings.pdf_fonts.get(name, ())))
        chosen = next((c for c in candidates if c.casefold() in available), None)
        if chosen is None:
            raise ReportError(
                _theme_file(theme, DOCX_FILE),
                f"生成 PDF 需要字体“{name}”，本机没有安装，也没有找到 pdf_fonts 为它列出的替代字体（已查找：{'、'.join(candidates)}）；"
                "请安装其中一种字体，或在 docx.yaml 的 pdf_fonts 中为它写上本机已有的字体",
            )
        found[name] = chosen
    return found


# ---------------------------------------------------------------------------- the theme dictionary


def _style(style: TextStyle, fonts: dict[str, str], latin: str, tracking: float = 0) -> dict[str, object]:
    # The Latin font sets only Latin letters and digits; the punctuation shared with Chinese
    # (“ ” — …) stays in the Chinese font, as Word's eastAsia hint does in the DOCX.
    font = [{"name": fonts[latin], "covers": "latin-in-cjk"}, fonts[style.font]]
    leading = style.line - style.size if style.line else style.size * 0.3
    return {
        "font": font,
        "size": t.pt(style.size),
        "line": t.pt(style.size + max(leading, 0)),
        "leading": t.pt(max(leading, 0)),
        "align": style.align,
        "bold": style.bold,
        "before": t.pt(style.before),
        "after": t.pt(style.after),
        "indent": style.indent,
        "left": style.left,
        "tracking": t.pt(tracking),
    }


def _tracking(settings: DocxTheme, name: str) -> float:
    """The letter spacing (points) of a style: body text condensed to the theme's characters a line, as in the DOCX."""
    same = settings.styles[name].size == settings.styles["body"].size
    return settings.letter / 20 if name in LINE_STYLES and same else 0


def _page(settings: DocxTheme, landscape: bool) -> dict[str, object]:
    margins = settings.landscape_margins if landscape else settings.margins
    width, height = (settings.height, settings.width) if landscape else (settings.width, settings.height)
    footer = settings.styles["footer"]
    # Word puts the footer's foot `footer` twips above the paper's edge; Typst hangs it below the text.
    descent = (margins["bottom"] - margins["footer"]) / 20 - (footer.line or footer.size * 1.3)
    return {
        "width": t.pt(width / 20),
        "height": t.pt(height / 20),
        "margin": {side: t.pt(margins[side] / 20) for side in ("top", "bottom", "left", "right")},
        "descent": t.pt(max(descent, 0)),
    }


def _theme_values(document: Document, settings: DocxTheme, fonts: dict[str, str]) -> dict[str, object]:
    meta = document.meta
    return {
        "meta": {
            "title": document.title,
            "author": meta.get("department", ""),
            "description": meta.get("subject", ""),
            "keywords": [k for k in meta.get("keywords", "").split() if k],
        },
        "styles": {
            name: _style(style, fonts, settings.latin, _tracking(settings, name)) for name, style in settings.styles.items()
        },
        "pages": {"portrait": _page(settings, False), "landscape": _page(settings, True)},
        "folio": {"before": settings.page_number[0], "after": settings.page_number[1]},
        "table": {
            "border": t.pt(settings.border / 8),
            "margin": t.pt(settings.cell_margin / 20),
            "padding": t.pt(settings.cell_padding / 20),
            "indent": settings.indent,
        },
    }


# ---------------------------------------------------------------------------- the report


class _Source:
    """Turns blocks into Typst calls, one method per kind of block, as in the DOCX writer."""

    def __init__(self, settings: DocxTheme, charts: ChartStyle | None = None) -> None:
        self.settings = settings
        self.charts = charts
        self.measure = TableMeasure(settings)
        self.out: list[str] = []

    def emit(self, code: str) -> None:
        self.out.append(f"#{code}\n")

    def block(self, block: object, lead: Sequence[Heading] = (), named: Heading | None = None) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Island):
            value = block.value
            if isinstance(value, Table):
                self.table(value, lead, named)
            elif isinstance(value, Chart):
                self.chart(value)
            elif isinstance(value, Glossary):
                self.glossary(value)
            elif isinstance(value, Contents):
                self.contents(value)
            elif isinstance(value, Cover):
                self.cover(value)
            else:
                raise TypeError(f"the PDF writer cannot draw an island of {type(value).__name__}")
        else:
            raise TypeError(f"the PDF writer cannot draw a block of {type(block).__name__}")

    # ------------------------------------------------------------ text
    def heading(self, heading: Heading) -> None:
        self.emit(t.call("heading", t.string(heading.title), level=max(heading.level, 1)))

    def paragraph(self, paragraph: Paragraph) -> None:
        kind = paragraph.kind if paragraph.kind in ("item", "note", "signature") else "body"
        self.emit(t.call("paragraph", kind, t.runs(paragraph.runs)))

    def glossary(self, glossary: Glossary) -> None:
        for i, entry in enumerate(glossary.entries, start=1):
            body = t.Code(f"[#{t.string(f'{i}. ')}#strong({t.string(entry.term)})#{t.string(glossary.separator + entry.text)}]")
            self.emit(t.call("paragraph", "body", body))

    def chart(self, chart: Chart) -> None:
        """A chart as the HTML page draws it (the same SVG), as wide as the DOCX sets it, with its caption."""
        assert self.charts is not None
        room = self.settings.text_width(False) / 20 * 25.4 / 72  # twips → mm
        width = min(self.charts.width, room)
        values = {
            "svg": svg(chart, self.charts),
            "width": t.Code(f"{t.number(width)}mm"),
            "alt": chart.description,
            "caption": chart.caption,
        }
        self.emit(t.call("report-chart", values))

    def cover(self, cover: Cover) -> None:
        """The cover as the DOCX has it: the department, then the rest of the title, then the date."""
        lines = cover_lines(cover)
        self.emit(t.call("cover", lines, cover.date or None))

    def contents(self, contents: Contents) -> None:
        self.emit(t.call("contents", contents.title, max(1, contents.depth)))

    # ------------------------------------------------------------ tables
    def table(self, table: Table, lead: Sequence[Heading], named: Heading | None = None) -> None:
        """Title, 公开NN表, org and unit, header rows (repeated on each page), body rows, notes.

        A form also gets the headings right before it (`lead`), which share its page when it fits one.
        `named` is a heading that only restates the table's title: as in the DOCX it is not printed;
        the title line is that heading, for the contents and the bookmarks. The columns are as wide
        as the DOCX makes them, from the text they hold.
        """
        width = self.settings.text_width(table.wide)
        scale, whole = 1.0, False
        if table.form:  # the largest type at which it fits the page below its headings, as the DOCX sets it
            room = text_height(self.settings, table.wide) - self.measure.furniture_height(table, width)
            for heading in lead:
                style = self.settings.styles[f"heading{min(max(heading.level, 1), 4)}"]
                room -= style_height(style, lines(heading.title, width / 20, style.size))
            scale, whole = self.measure.fitting(table, width, room) if room > 0 else (1.0, False)
        head = len(table.head)
        cells: tuple[list[t.Code], list[t.Code]] = ([], [])
        for line in table.grid:
            for placed in line:
                span = max(1, min(placed.cell.colspan, table.columns - placed.col))
                cells[placed.row >= head].append(
                    self.cell(placed.cell, placed.col, placed.row, span, placed.row < head, table.form)
                )
        values = {
            "title": table.title,
            "number": table.number or None,
            "org": table.org or None,
            "unit": table.unit or None,
            "columns": [t.pt(w / 20) for w in self.measure.widths(table, width, scale)],
            "heading": (max(named.level, 1), named.title) if named is not None else None,
            "head": cells[0],
            "body": cells[1],
            "note": table.note or None,
            "empty": table.empty_note or None,
            "form": table.form,
            "scale": scale,
            "whole": whole,
            "page": "landscape" if table.wide else "portrait",
        }
        self.emit(t.call("report-table", values))

    @staticmethod
    def cell(cell: Cell, x: int, y: int, span: int, in_head: bool, form: bool) -> t.Code:
        """A cell as the DOCX styles it: a header, a number (right), centred or text, 款/项 indented."""
        if cell.header and (in_head or form):
            kind = "h"
        elif cell.kind == "number" or cell.align == "right":
            kind = "n"
        else:
            kind = "c" if cell.align == "center" else "t"
        align = t.Code(cell.align) if kind == "h" and cell.align in ("left", "right") else None
        return t.call(
            "cell",
            x,
            y,
            cell.text,
            cs=span if span > 1 else None,
            rs=cell.rowspan if cell.rowspan > 1 else None,
            kind=kind,
            strong=cell.strong or None,
            indent=cell.indent or None,
            align=align,
        )


def _page_set(kind: str, numbering: str | None, restart: bool) -> str:
    """Switch pages (a new page): size and margins of the kind, the numbering and footer."""
    page = "landscape" if kind == "landscape" else "portrait"
    folio = "folio" if numbering else "none"
    shown = t.string(numbering) if numbering else "none"
    code = f"#set page(..pages({t.string(page)}), numbering: {shown}, footer: {folio})\n"
    return code + ("#counter(page).update(1)\n" if restart else "")


def _leads(blocks: Sequence[object]) -> dict[int, list[Heading]]:
    """Each table (block index) → the headings right before it."""
    leads: dict[int, list[Heading]] = {}
    for i, block in enumerate(blocks):
        if isinstance(block, Island) and isinstance(block.value, Table):
            j = i
            while j > 0 and isinstance(blocks[j - 1], Heading):
                j -= 1
            leads[i] = [b for b in blocks[j:i] if isinstance(b, Heading)]
    return leads


def _body(
    blocks: Sequence[object], settings: DocxTheme, title: str = "", department: str = "", charts: ChartStyle | None = None
) -> str:
    """The report: a page switch wherever the page kind changes, a weak page break before each table group."""
    kinds = section_kinds(blocks)
    starts = table_starts(blocks) if settings.table_page_break else set()
    breaking = {level for level in range(1, 5) if settings.styles[f"heading{level}"].page_break}
    leads = _leads(blocks)
    source = _Source(settings, charts)
    merged = merged_headings(blocks, kinds)
    # A document without parts (第一部分 …) has no title on its first text page: print one there, as the DOCX does.
    titled = bool(title) and not any(isinstance(b, Heading) and b.level == 1 for b in blocks)
    numbered = False  # the first body page restarts the page numbers at 1
    if not blocks:
        source.out.append(_page_set("portrait", "1", True))
    for i, block in enumerate(blocks):
        kind = kinds[i]
        if i == 0 or kinds[i - 1] != kind:
            if kind == "cover":
                source.out.append(_page_set(kind, None, False))
            elif kind == "contents":
                # Unnumbered when the theme says so (contents_numbers: none), as in the DOCX.
                source.out.append(_page_set(kind, _NUMBERING.get(settings.contents_numbers), True))
            else:
                source.out.append(_page_set(kind, "1", not numbered))
                numbered = True
        level = min(max(block.level, 1), 4) if isinstance(block, Heading) else 0
        if i in starts or level in breaking:
            source.out.append("#pagebreak(weak: true)\n")
        if i in merged:
            continue  # printed as the title line of the table after it
        if titled and kind == "portrait" and isinstance(block, Heading | Paragraph):
            size = settings.styles["document_title"].size
            shown = title_text(title, department, settings.text_width(False) / 20, size)
            source.emit(t.call("paragraph", "document_title", t.string(shown)))
            titled = False
        source.block(block, leads.get(i, ()), blocks[i - 1] if i - 1 in merged else None)  # type: ignore[arg-type]
    return "".join(source.out)


def typst_source(document: Document, theme: Theme) -> str:
    """The whole Typst source of a report: the theme's settings, the theme's pdf.typ, the report."""
    settings = docx_theme(theme)
    fonts = _fonts(settings, theme, _engine().families)
    path = theme.file(THEME_FILE)
    if path is None:
        raise ReportError(Location(f"themes/{theme.name}/{THEME_FILE}"), f"主题“{theme.name}”缺少文件 {THEME_FILE}")
    values = t.value(_theme_values(document, settings, fonts))
    charts = chart_style(theme) if any(True for _ in document.islands("chart")) else None
    return (
        f"#let theme = {values}\n"
        + path.read_text(encoding="utf-8")
        + "\n"
        + _body(document.blocks, settings, document.title, document.meta.get("department", ""), charts)
    )


def compile_source(source: str, created: dt.datetime) -> tuple[bytes, list[str]]:
    """Compile Typst source to PDF/A dated `created`, with the messages of Typst's warnings."""
    engine = _engine()
    pdf, warnings = engine.compiler.compile_with_warnings(
        input=source.encode("utf-8"), format="pdf", pdf_standards=STANDARDS, timestamp=created.replace(tzinfo=dt.UTC)
    )
    if not isinstance(pdf, bytes):
        raise TypeError(f"typst returned {type(pdf).__name__} for a PDF")
    return pdf, [w.message for w in warnings]


def write_pdf(document: Document, theme: Theme) -> bytes:
    """Render a Document as a PDF/A file styled by the theme's docx.yaml and pdf.typ; same input, same bytes."""
    source = typst_source(document, theme)
    try:
        return compile_source(source, document.created)[0]
    except _engine().error as exc:  # the theme's pdf.typ does not compile
        raise ReportError(_theme_file(theme, THEME_FILE), f"PDF 排版失败：{getattr(exc, 'message', exc)}") from None
