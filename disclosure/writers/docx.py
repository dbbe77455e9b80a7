"""Document → a Word file (DOCX) that looks right in Word, WPS and LibreOffice.

Typography follows GB/T 9704 as set in the theme's docx.yaml: A4, 小标宋 cover and titles,
黑体 / 楷体 headings, 仿宋 body at a fixed line spacing with a two-character first-line indent,
page numbers (“— 1 —”, as docx.yaml writes them) in the footer. Everything is done with paragraph styles; the few
direct settings (a cell's alignment or indent, a tab stop) come from the helpers in docx_xml.

The parts are built as XML strings (each table in one go, never `table.cell(r, c)`), opened as
a package by python-docx, which writes the core properties and saves it; the zip is rewritten
with fixed dates, so a build takes milliseconds and two builds are byte-identical.
The cover has a section of its own without a page number; the table of contents is a real TOC
field whose result already holds the entries (linked to bookmarks on the headings); wide tables
and self-evaluation forms sit in landscape sections that repeat the footer.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path

import yaml

from .. import __version__
from ..document import Chart, Contents, Cover, Document, Glossary, Heading, Island, Paragraph, Run, Table
from ..document.table import Cell
from ..errors import Location, ReportError, display_path
from ..resources import Theme, keep_cached, library_stamp, private_cache
from . import docx_xml as x
from .chart import ChartStyle, chart_style, png
from .layout import MARGIN, Break, Flow, Lines, Rows, Type, column_widths, cover_lines, lines, paginate, row_heights, title_text

THEME_FILE = "docx.yaml"
TOC_DEPTH_STYLES = 2  # toc1, toc2

# ---------------------------------------------------------------------------- theme


@dataclass(frozen=True)
class TextStyle:
    """One text style of the theme (font, size and spacing in points, indents in characters)."""

    font: str
    size: float
    line: float = 0
    align: str = ""
    bold: bool = False
    before: float = 0
    after: float = 0
    indent: float = 0
    left: float = 0
    page_break: bool = False


_ALIGN = {"", "left", "center", "right", "both"}
_NUMBER_FORMATS = {"none", "decimal", "upperRoman", "lowerRoman"}
_SIDES = {"outside", "center"}


@dataclass(frozen=True)
class DocxTheme:
    """The DOCX settings of a theme (docx.yaml), lengths converted to twips."""

    width: int
    height: int
    margins: dict[str, int]
    landscape_margins: dict[str, int]
    contents_numbers: str
    page_number: tuple[str, str]  # the text before and after the page number in the footer
    style_names: dict[str, str]
    latin: str
    substitutes: dict[str, str]
    styles: dict[str, TextStyle]
    border: int  # eighths of a point
    cell_margin: int
    cell_padding: int
    indent: float
    table_page_break: bool
    page_number_side: str = "outside"  # outside: odd pages right, even pages left
    form_min_size: float = 7.5  # the smallest type a form may be set in to stay on one page
    letter: int = 0  # body text: the character spacing (1/20 pt) that puts `chars_per_line` characters on a line
    panose: dict[str, str] = field(default_factory=dict)
    # For the PDF writer: each font name of the styles → the installed fonts to try, in order
    pdf_fonts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def text_width(self, landscape: bool) -> int:
        m = self.landscape_margins if landscape else self.margins
        return (self.height if landscape else self.width) - m["left"] - m["right"]


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ReportError(Location(str(path), mark.line + 1 if mark else 0), f"docx.yaml 不是有效的 YAML：{exc}") from None
    if not isinstance(data, dict):
        raise ReportError(Location(str(path)), "docx.yaml 的内容应是若干“设置: 值”")
    return data


def _merge(base: dict, override: dict, path: Path, where: str = "") -> dict:
    """Overlay a theme's settings on the default theme's; a key the default does not have is a typo."""
    merged = dict(base)
    for key, value in override.items():
        name = f"{where}.{key}" if where else str(key)
        if key not in base:
            raise ReportError(Location(str(path)), f"docx.yaml 中有无法识别的设置“{name}”")
        if key == "pdf_fonts" and isinstance(base[key], dict) and isinstance(value, dict):
            merged[key] = {**base[key], **value}  # a theme may map a font of its own
        elif isinstance(base[key], dict) and key not in ("substitutes", "panose"):
            if not isinstance(value, dict):
                raise ReportError(Location(str(path)), f"docx.yaml 中“{name}”应是若干“设置: 值”")
            merged[key] = _merge(base[key], value, path, name)
        else:
            merged[key] = value
    return merged


def _text_style(name: str, values: dict, path: Path) -> TextStyle:
    known = {f.name for f in fields(TextStyle)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ReportError(Location(str(path)), f"docx.yaml 中样式“{name}”有无法识别的设置“{unknown[0]}”")
    try:
        style = TextStyle(
            font=str(values["font"]),
            size=float(values["size"]),
            line=float(values.get("line") or 0),
            align=str(values.get("align") or ""),
            bold=bool(values.get("bold", False)),
            before=float(values.get("before") or 0),
            after=float(values.get("after") or 0),
            indent=float(values.get("indent") or 0),
            left=float(values.get("left") or 0),
            page_break=bool(values.get("page_break", False)),
        )
    except (KeyError, TypeError, ValueError):
        raise ReportError(Location(str(path)), f"docx.yaml 中样式“{name}”需要字体 font 和字号 size（数字）") from None
    if style.align not in _ALIGN:
        raise ReportError(Location(str(path)), f"docx.yaml 中样式“{name}”的 align 应为 left、center、right 或 both")
    return style


def _font_list(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("pdf_fonts 中每种字体应对应一个字体名称的列表")
    return tuple(value)


@cache
def docx_theme(theme: Theme) -> DocxTheme:
    """Load a theme's docx.yaml files, the most general first: each one's settings over the one before.

    The package's default theme has every setting; the project's default theme, the package's
    named theme and the project's named theme may each change some of them.
    """
    files = list(dict.fromkeys(p for p in (folder / THEME_FILE for folder in reversed(theme.folders)) if p.is_file()))
    if not files:
        raise ReportError(Location(f"themes/{theme.name}/{THEME_FILE}"), f"主题“{theme.name}”缺少文件 {THEME_FILE}")
    data = _read_yaml(files[0])
    source = files[0]
    for own in files[1:]:
        data = _merge(data, _read_yaml(own), own)
        source = own
    try:
        page = data["page"]
        margins = {k: x.mm(float(page["margins"][k])) for k in ("top", "bottom", "left", "right")}
        landscape = {k: x.mm(float(page["landscape_margins"][k])) for k in ("top", "bottom", "left", "right")}
        for m in (margins, landscape):
            # The page number sits at least 8 mm inside the bottom margin, whatever the margins.
            m["header"] = x.mm(float(page["header"]))
            m["footer"] = min(x.mm(float(page["footer"])), m["bottom"] - x.mm(8))
        table = data["table"]
        before, marker, after = str(page["page_number"]).partition("{page}")
        if not marker:
            raise ReportError(Location(display_path(source)), "docx.yaml 中 page.page_number 要含有 {page}（页码的位置）")
        result = DocxTheme(
            width=x.mm(float(page["width"])),
            height=x.mm(float(page["height"])),
            margins=margins,
            landscape_margins=landscape,
            contents_numbers=str(page.get("contents_numbers", "upperRoman")),
            page_number=(before, after),
            style_names={str(k): str(v) for k, v in data["style_names"].items()},
            latin=str(data["latin_font"]),
            substitutes={str(k): str(v) for k, v in (data.get("substitutes") or {}).items()},
            styles={name: _text_style(name, values, source) for name, values in data["styles"].items()},
            border=max(0, round(float(table["border"]) * 8)),
            cell_margin=x.mm(float(table["cell_margin"])),
            cell_padding=x.mm(float(table["cell_padding"])),
            indent=float(table["indent"]),
            table_page_break=bool(table["page_break"]),
            page_number_side=str(page.get("page_number_side", "outside")),
            form_min_size=float(table.get("form_min_size", 7.5)),
            letter=_letter(int(page.get("chars_per_line") or 0), page, margins, data),
            panose={str(k): str(v) for k, v in (data.get("panose") or {}).items()},
            pdf_fonts={str(k): _font_list(v) for k, v in (data.get("pdf_fonts") or {}).items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportError(Location(str(source)), f"docx.yaml 的设置有误：{exc}") from None
    if "signature" not in result.styles and "body" in result.styles:  # a theme made before the style existed
        result.styles["signature"] = replace(result.styles["body"], align="right", indent=0, left=0)
    missing = [name for name in _PARAGRAPH_STYLES if name not in result.styles]
    if missing:
        raise ReportError(Location(str(source)), f"docx.yaml 缺少样式“{missing[0]}”")
    if result.contents_numbers not in _NUMBER_FORMATS:
        raise ReportError(
            Location(str(source)), "docx.yaml 中 page.contents_numbers 应为 none、decimal、upperRoman 或 lowerRoman"
        )
    if result.page_number_side not in _SIDES:
        raise ReportError(Location(str(source)), "docx.yaml 中 page.page_number_side 应为 outside 或 center")
    return result


def _letter(chars: int, page: dict, margins: dict[str, int], data: dict) -> int:
    """The character spacing, in twentieths of a point, that puts `chars` characters of body text on a line.

    GB/T 9704 sets 28 characters of 三号 (16 pt) type in the 156 mm text width: a pitch of at most
    442.2 / 28 = 15.79 pt, so the characters are condensed by 5/20 pt (to 15.75 pt). A document grid
    would do the same in Word, but LibreOffice then spaces the table cells out too.
    """
    if not chars:
        return 0
    width = (x.mm(float(page["width"])) - margins["left"] - margins["right"]) / 20  # points
    size = float(data["styles"]["body"]["size"])
    return min(0, math.floor((width / chars - size) * 20))


# theme style key → (style id, built-in style name). Built-in names let Word, WPS and LibreOffice
# map them to their own 正文文本 / 标题 1 / 目录 1 …; the others are named by docx.yaml's style_names.
_PARAGRAPH_STYLES: dict[str, tuple[str, str]] = {
    "body": ("BodyText", "Body Text"),
    "item": ("ListParagraph", "List Paragraph"),
    "note": ("Note", ""),
    "signature": ("Signature", ""),
    "heading1": ("Heading1", "heading 1"),
    "heading2": ("Heading2", "heading 2"),
    "heading3": ("Heading3", "heading 3"),
    "heading4": ("Heading4", "heading 4"),
    "cover_title": ("CoverTitle", ""),
    "cover_subtitle": ("CoverSubtitle", ""),
    "cover_date": ("CoverDate", ""),
    "document_title": ("DocumentTitle", ""),
    "toc_heading": ("TOCHeading", "TOC Heading"),
    "toc1": ("TOC1", "toc 1"),
    "toc2": ("TOC2", "toc 2"),
    "table_title": ("TableTitle", ""),
    "table_caption": ("TableCaption", ""),
    "table_header": ("TableHeader", ""),
    "table_cell": ("TableText", ""),
    "table_note": ("TableNote", ""),
    "footer": ("Footer", "footer"),
}
_KEEP_NEXT = {
    "document_title",
    "heading1",
    "heading2",
    "heading3",
    "heading4",
    "toc_heading",
    "table_title",
    "table_caption",
    "cover_title",
    "cover_subtitle",
}
_TABLE_STYLE = "ReportTable"
_CONTENTS = "<!--contents-->"  # where the contents go once the body's pages are known
_FORM_HEAD = 2  # a form's first rows (项目名称, 主管部门) repeat if the form must continue on another page
LINE_STYLES = {"body", "item", "heading2", "heading3", "heading4"}  # text that runs the full line


def _styles(theme: DocxTheme) -> str:
    """styles.xml from the theme: Normal, the paragraph styles, the table styles."""
    s = theme.styles
    latin = theme.latin
    body = s["body"]
    portrait = theme.text_width(False)
    out = [
        x.paragraph_style(
            "Normal",
            "Normal",
            font=body.font,
            latin=latin,
            size=body.size,
            line=body.line,
            align=body.align or "both",
            default=True,
        ),
        x.character_style("DefaultParagraphFont", "Default Paragraph Font", font=body.font, latin=latin, default=True),
        x.table_style(
            "TableNormal", "Normal Table", font=body.font, latin=latin, size=body.size, border=0, cell_margin=108, default=True
        ),
    ]
    names = theme.style_names
    for key, (ident, builtin) in _PARAGRAPH_STYLES.items():
        st = s[key]
        name = builtin or names.get(key, ident)
        level = int(key[-1]) if key.startswith("heading") else None
        tabs = [("right", "dot", portrait)] if key.startswith("toc") and key != "toc_heading" else []
        out.append(
            x.paragraph_style(
                ident,
                name,
                font=st.font,
                latin=latin,
                size=st.size,
                line=st.line,
                align=st.align,
                bold=st.bold,
                before=st.before,
                after=st.after,
                first_chars=st.indent,
                left_chars=st.left,
                page_break=st.page_break,
                keep_next=key in _KEEP_NEXT,
                outline=level - 1 if level else None,
                tabs=tabs,
                # Body text in the body's size holds chars_per_line characters a line.
                letter=theme.letter if key in LINE_STYLES and st.size == body.size else 0,
            )
        )
    cell = s["table_cell"]
    for ident, key, align in (("TableCenter", "table_center", "center"), ("TableNumber", "table_number", "right")):
        out.append(
            x.paragraph_style(
                ident,
                names.get(key, ident),
                font=cell.font,
                latin=latin,
                size=cell.size,
                line=cell.line,
                align=align,
                based_on="TableText",
            )
        )
    # The paragraph that carries a section break: as small as possible, so it never spills a page.
    out.append(
        x.paragraph_style(
            "SectionBreak", names.get("section_break", "SectionBreak"), font=body.font, latin=latin, size=1, line=1, hidden=True
        )
    )
    out.append(
        x.table_style(
            _TABLE_STYLE,
            names.get("table", _TABLE_STYLE),
            font=cell.font,
            latin=latin,
            size=cell.size,
            border=theme.border,
            cell_margin=theme.cell_margin,
            cell_padding=theme.cell_padding,
        )
    )
    return x.styles_part(font=body.font, latin=latin, size=body.size, styles=out)


# ---------------------------------------------------------------------------- layout


def table_type(theme: DocxTheme) -> Type:
    """The type of the theme's tables, for measuring their columns and rows (writers/layout.py)."""
    head, cell = theme.styles["table_header"], theme.styles["table_cell"]
    return Type(
        head.size,
        cell.size,
        head.line or head.size * 1.3,
        cell.line or cell.size * 1.3,
        padding=2 * theme.cell_margin / 20,
        vertical=2 * theme.cell_padding / 20 + theme.border / 8,
    )


def section_kinds(blocks: Sequence[object]) -> list[str]:
    """The section kind of every block: cover, contents, portrait or landscape.

    A wide table is landscape, and so are the headings right before it (its own heading, and a
    part heading that only introduces it), so a heading never sits alone above a new section.
    """
    kinds = []
    for block in blocks:
        value = block.value if isinstance(block, Island) else None
        if isinstance(value, Cover):
            kinds.append("cover")
        elif isinstance(value, Contents):
            kinds.append("contents")
        elif isinstance(value, Table) and value.wide:
            kinds.append("landscape")
        else:
            kinds.append("portrait")
    for i in range(len(blocks) - 2, -1, -1):
        if isinstance(blocks[i], Heading) and kinds[i + 1] == "landscape":
            kinds[i] = "landscape"
    return kinds


def _is_table(block: object) -> bool:
    return isinstance(block, Island) and isinstance(block.value, Table)


def table_starts(blocks: Sequence[object]) -> set[int]:
    """Blocks that begin a table group: the first of the headings leading to a table, or the table itself."""
    starts = set()
    for i, block in enumerate(blocks):
        if not _is_table(block) or not block.value.breaks:  # type: ignore[attr-defined]
            continue
        j = i
        while j > 0 and isinstance(blocks[j - 1], Heading):
            j -= 1
        starts.add(j)
    return starts


# ---------------------------------------------------------------------------- rendering


def bookmark_name(anchor: str) -> str:
    """The bookmark of a heading: “_Toc” and its anchor with only the characters Word allows (≤ 40)."""
    return ("_Toc" + re.sub(r"[^0-9A-Za-z_]", "_", anchor))[:40]


def _runs(runs: Sequence[Run]) -> str:
    return "".join(x.run(r.text, r.bold, r.italic) for r in runs)


def _fit(widths: Sequence[int], total: int) -> list[int]:
    """Relative column widths → twips adding up to exactly `total`."""
    weights = [max(1, w) for w in widths]
    whole = sum(weights)
    columns = [w * total // whole for w in weights]
    columns[-1] += total - sum(columns)
    return columns


class TableMeasure:
    """A theme's tables measured as the DOCX sets them: column widths from the text they hold, row
    heights, and the type a form takes to stay on one page. The PDF writer measures with it too,
    so both set a table alike. Widths and heights are kept per table and type scale."""

    def __init__(self, theme: DocxTheme):
        self.theme = theme
        self.type = table_type(theme)
        self._columns: dict[tuple[int, int, float], list[int]] = {}
        self._rows: dict[tuple[int, int, float], list[float]] = {}

    def furniture_height(self, table: Table, width: int) -> float:
        """The height (points) of a table's title, 表号 and caption lines and its notes."""
        s = self.theme.styles
        height = style_height(s["table_title"]) + style_height(s["table_caption"], 2 if table.number else 1)
        note = s["table_note"]
        for text in (table.empty_note, table.note):
            if text:
                height += style_height(note, lines(text, width / 20, note.size))
        return height

    def fitting(self, table: Table, width: int, room: float) -> tuple[float, bool]:
        """The largest type scale, down to the theme's smallest form type, at which a form's grid fits
        `room` (points), and whether it fits at all."""
        smallest = self.theme.form_min_size / self.type.cell
        factor = 1.0
        while True:
            if sum(self.heights(table, width, factor)) <= room * MARGIN:
                return factor, True
            if factor <= smallest:
                return smallest, False
            factor = max(smallest, factor - 0.5 / self.type.cell)  # half a point smaller each time

    def widths(self, table: Table, width: int, factor: float = 1.0) -> list[int]:
        """The column widths (twips) of a table in a text width (twips), its type scaled by `factor`."""
        key = (id(table), width, factor)
        found = self._columns.get(key)
        if found is None:
            indent = self.type.cell * factor * self.theme.indent
            points = column_widths(table, width / 20, self.type.scaled(factor), indent)
            found = self._columns[key] = _fit([round(w * 20) for w in points], width)
        return found

    def heights(self, table: Table, width: int, factor: float = 1.0) -> list[float]:
        """The height (points) of every row in those widths."""
        key = (id(table), width, factor)
        found = self._rows.get(key)
        if found is None:
            columns = self.widths(table, width, factor)
            indent = self.type.cell * factor * self.theme.indent
            found = self._rows[key] = row_heights(table, [c / 20 for c in columns], self.type.scaled(factor), indent)
        return found


class _Renderer(TableMeasure):
    """Turns blocks into body XML; one method per kind of block, as in the HTML writer."""

    def __init__(self, theme: DocxTheme, pages: dict[str, str] | None = None, charts: ChartStyle | None = None):
        super().__init__(theme)
        self.charts = charts
        self.images: list[tuple[str, str, bytes]] = []  # (relationship id, file name, PNG)
        self.pages = pages or {}  # heading anchor → the page number to show until the reader updates it
        self.bookmarks = 0
        self.indent_twips = round(theme.styles["table_cell"].size * 20 * theme.indent)  # one level, in twips
        self.empty = {style: x.paragraph(style) for style in ("TableText", "TableHeader", "TableCenter", "TableNumber")}
        self._paragraphs: dict[tuple[str, str, bool, str, int, bool, float, float], str] = {}

    def block(self, block: object, width: int, page_break: bool | None) -> str:
        if isinstance(block, Heading):
            return self.heading(block, page_break)
        if isinstance(block, Paragraph):
            return self.paragraph(block, page_break)
        if isinstance(block, Island):
            value = block.value
            if isinstance(value, Table):
                return self.table(value, width, page_break)
            if isinstance(value, Glossary):
                return self.glossary(value, page_break)
            if isinstance(value, Chart):
                return self.chart(value, width, page_break)
            if isinstance(value, Contents):
                return self.contents(value)
            if isinstance(value, Cover):
                return self.cover(value)
            raise TypeError(f"the DOCX writer cannot draw an island of {type(value).__name__}")
        raise TypeError(f"the DOCX writer cannot draw a block of {type(block).__name__}")

    # ------------------------------------------------------------ text
    def heading(self, heading: Heading, page_break: bool | None) -> str:
        self.bookmarks += 1
        style = f"Heading{min(max(heading.level, 1), 4)}"
        content = x.bookmark(self.bookmarks, bookmark_name(heading.anchor), x.run(heading.title))
        return x.paragraph(style, content, page_break=page_break)

    def paragraph(self, paragraph: Paragraph, page_break: bool | None) -> str:
        style = {"item": "ListParagraph", "note": "Note", "signature": "Signature"}.get(paragraph.kind, "BodyText")
        return x.paragraph(style, _runs(paragraph.runs), page_break=page_break)

    def glossary(self, glossary: Glossary, page_break: bool | None) -> str:
        out = []
        for i, entry in enumerate(glossary.entries, start=1):
            content = x.run(f"{i}. ") + x.run(entry.term, bold=True) + x.run(f"{glossary.separator}{entry.text}")
            out.append(x.paragraph("BodyText", content, page_break=page_break if i == 1 else None))
        return "".join(out)

    def chart_size(self, width: int) -> tuple[float, float]:
        """A chart's width and height (mm): the theme's, scaled down to the text width when wider."""
        assert self.charts is not None
        w, h = self.charts.width, self.charts.height
        room = width / 20 * 25.4 / 72  # twips → mm
        return (w, h) if w <= room else (room, h * room / w)

    def chart_line(self, width: int) -> float:
        """The height (points) of a chart's line: the picture and the space above it (the hairline type's
        descent below the picture is a few hundredths of a point).

        Not an exact line height: LibreOffice sets a picture taller than the type on the baseline of an
        exact line and lets it run up over the lines before it.
        """
        return self.chart_size(width)[1] * 72 / 25.4 + x.PICTURE_BEFORE

    def chart(self, chart: Chart, width: int, page_break: bool | None) -> str:
        """A chart: its PNG in line (its figures as the alternative text), then its caption, kept together."""
        assert self.charts is not None
        rid = x.image_rid(len(self.images))
        name = f"{chart.key}.png"
        self.images.append((rid, name, png(chart, self.charts)))
        w, h = self.chart_size(width)
        picture = x.inline_picture(rid, 100 + len(self.images), chart.caption, chart.description, w, h)
        return x.paragraph(
            "TableCaption", picture, jc="center", single=True, keep_next=True, page_break=page_break
        ) + x.paragraph("TableCaption", x.run(chart.caption), jc="center")

    def cover(self, cover: Cover) -> str:
        """The cover: the department, then the rest of the title (“2024年度部门决算”), then the date."""
        lines = cover_lines(cover)
        out = [x.paragraph("CoverTitle" if i == 0 else "CoverSubtitle", x.run(line)) for i, line in enumerate(lines)]
        if cover.date:
            out.append(x.paragraph("CoverDate", x.run(cover.date)))
        return "".join(out)

    def contents(self, contents: Contents) -> str:
        """目录: one linked entry per heading, its page number a PAGEREF field to the heading's bookmark.

        The entries are not wrapped in a TOC field: inside one, LibreOffice shows only the stored
        results, while a PAGEREF field on its own is computed from the reader's layout (LibreOffice
        on loading; Word when it refreshes fields on opening, and always when printing or saving a
        PDF). The stored result is the page our own layout gives, for a reader that refreshes nothing.
        """
        out = [x.paragraph("TOCHeading", x.run(contents.title))]
        for heading in contents.headings:
            style = f"TOC{min(max(heading.level, 1), TOC_DEPTH_STYLES)}"
            mark = bookmark_name(heading.anchor)
            number = x.field(f"PAGEREF {mark} \\h", x.run(self.pages.get(heading.anchor, "")))
            out.append(x.paragraph(style, x.hyperlink(mark, x.run(heading.title) + x.TAB + number)))
        return "".join(out)

    # ------------------------------------------------------------ tables
    def table(
        self, table: Table, width: int, page_break: bool | None, heading: Heading | None = None, factor: float = 1.0
    ) -> str:
        """Title, 公开NN表, org and unit line, the grid, then the empty-table note and the footnote.

        `heading` is a heading that only restates the table's title: it is not printed twice; the
        title line carries its bookmark and outline level, so the contents still find it. `factor`
        scales the type of a form set smaller to stay on its page (see `fitting`).
        """
        title = x.run(table.title)
        if heading is not None:
            self.bookmarks += 1
            title = x.bookmark(self.bookmarks, bookmark_name(heading.anchor), title)
        level = min(max(heading.level, 1), 4) - 1 if heading is not None else None
        out = [x.paragraph("TableTitle", title, page_break=page_break, outline=level)]
        if table.number:
            out.append(x.paragraph("TableCaption", x.run(table.number), jc="right"))
        if table.org or table.unit:
            out.append(x.paragraph("TableCaption", x.run(table.org) + x.TAB + x.run(table.unit), tabs=[("right", width)]))
        notes = [note for note in (table.empty_note, table.note) if note]
        out.append(self.grid(table, width, factor))
        out += [x.paragraph("TableNote", x.run(note)) for note in notes]
        return "".join(out)

    def lines(self, key: str, text: str, width: int, keep: bool = False, anchor: str = "") -> Lines:
        """A paragraph of a style, measured: its lines at the text width, less its indents."""
        st = self.theme.styles[key]
        letter = self.theme.letter / 20 if key in LINE_STYLES and st.size == self.theme.styles["body"].size else 0
        room = width / 20 - st.left * st.size
        count = lines(text, room, st.size, letter, st.indent * (st.size + letter))
        return Lines(count, st.line or st.size * 1.3, st.before, st.after, keep, anchor)

    def measure(self, table: Table, width: int, factor: float, heading: Heading | None) -> list[Flow]:
        """A table's title, caption lines, rows and notes, measured as the grid draws them."""
        out: list[Flow] = [self.lines("table_title", table.title, width, keep=True, anchor=heading.anchor if heading else "")]
        if table.number:
            out.append(self.lines("table_caption", table.number, width, keep=True))
        if table.org or table.unit:
            out.append(self.lines("table_caption", table.org, width, keep=True))
        heights = tuple(self.heights(table, width, factor))
        head = len(table.head) or (_FORM_HEAD if table.form else 0)
        out.append(Rows(heights, head, 0 if table.form else max(0, len(heights) - 2)))
        for note in (table.empty_note, table.note):
            if note:
                out.append(self.lines("table_note", note, width))
        return out

    def grid(self, table: Table, width: int, factor: float = 1.0) -> str:
        """The w:tbl of a Table in one go: real merges, repeated header rows, column widths that fit the text.

        Rows never split. The last two rows keep with what follows them, so the last row is never
        alone on a page and the table's note stays with it; a form keeps all its rows together, so
        it stays on one page wherever it fits, and if it must continue, its first rows (the project
        and its departments) are repeated at the top of the next page. `factor` scales a form's type.
        """
        columns = self.widths(table, width, factor)
        rows = table.rows
        n, head_rows, form = table.columns, len(table.head), table.form
        head = head_rows or (_FORM_HEAD if form else 0)
        # Rows that keep with the next: a form's all but the last, a table's last two (with the note).
        keep = 0 if form else max(0, len(rows) - 2)
        last = len(rows) - 1 if form else len(rows)
        sized = self.type.scaled(factor) if factor != 1.0 else None
        paragraph, cell_xml = self.cell_paragraph, x.cell
        slots: list[list[tuple[int, int, str]]] = [[] for _ in rows]
        for line in table.grid:
            for c, row, col in line:
                span = max(1, min(c.colspan, n - col))
                cell_width = columns[col] if span == 1 else sum(columns[col : col + span])
                content = paragraph(c, row < head_rows, form, keep <= row < last, sized)
                if c.rowspan > 1:
                    slots[row].append((col, span, cell_xml(cell_width, content, span, "restart")))
                    style = self.cell_style(c, row < head_rows, form)
                    for r in range(row + 1, min(row + c.rowspan, len(rows))):
                        empty = x.paragraph(style, keep_next=True) if keep <= r < last else self.empty[style]
                        slots[r].append((col, span, cell_xml(cell_width, empty, span, "continue")))
                else:
                    slots[row].append((col, span, cell_xml(cell_width, content, span)))
        out = []
        for r, cells in enumerate(slots):
            cells.sort()  # by column: a row's columns are distinct
            filled: list[str] = []
            filler = x.paragraph("TableText", keep_next=True) if keep <= r < last else self.empty["TableText"]
            col = 0
            for start, span, xml in cells:
                while col < start:  # a row shorter than the grid: fill the gap with empty cells
                    filled.append(x.cell(columns[col], filler))
                    col += 1
                filled.append(xml)
                col = start + span
            while col < n:
                filled.append(x.cell(columns[col], filler))
                col += 1
            out.append(x.row(filled, header=r < head))
        return x.table(_TABLE_STYLE, columns, out)

    @staticmethod
    def cell_style(cell: Cell, in_head: bool, form: bool) -> str:
        if cell.header and (in_head or form):
            return "TableHeader"
        if cell.kind == "number" or cell.align == "right":
            return "TableNumber"
        return "TableCenter" if cell.align == "center" else "TableText"

    def cell_paragraph(self, cell: Cell, in_head: bool, form: bool, keep_next: bool = False, sized: Type | None = None) -> str:
        """A cell's paragraph: alignment from its style; only a 款/项 indent, an odd header alignment,
        keeping with the next row and a form's smaller type are direct. Made once per look and text
        in a document (a table repeats its 0.00 and its headings)."""
        style = self.cell_style(cell, in_head, form)
        if not cell.text and not keep_next and sized is None:
            return self.empty[style]
        size = line = 0.0
        if sized is not None:
            size, line = (sized.header, sized.header_line) if style == "TableHeader" else (sized.cell, sized.cell_line)
        key = (style, cell.text, cell.strong, cell.align, cell.indent, keep_next, size, line)
        found = self._paragraphs.get(key)
        if found is None:
            jc = cell.align if style == "TableHeader" and cell.align in ("left", "right") else ""
            found = self._paragraphs[key] = x.paragraph(
                style,
                x.run(cell.text, bold=cell.strong, size=size),
                jc=jc,
                keep_next=keep_next,
                line=line,
                left_chars=round(cell.indent * self.theme.indent * 100),
                left=cell.indent * self.indent_twips,
            )
        return found


# ---------------------------------------------------------------------------- the document


def _footer(theme: DocxTheme, side: str) -> str:
    """The page number (“— 1 —”) as a PAGE field between the theme's text, on one side of the page."""
    before, after = theme.page_number
    jc = side if theme.page_number_side == "outside" else "center"
    return x.footer_part(x.paragraph("Footer", x.run(before) + x.field("PAGE", x.run("1")) + x.run(after), jc=jc))


def _body(document: Document, theme: DocxTheme, renderer: _Renderer) -> str:
    blocks = document.blocks
    kinds = section_kinds(blocks)
    starts = table_starts(blocks) if theme.table_page_break else set()
    breaking = {f"Heading{level}" for level in range(1, 5) if theme.styles[f"heading{level}"].page_break}
    out: list[str] = []
    flow: list[Flow] = []  # what the body holds, measured, for the contents' page numbers
    numbered = False  # the first body section restarts page numbers at 1

    def close(kind: str, last: bool) -> None:
        nonlocal numbered
        landscape = kind == "landscape"
        size = (theme.height, theme.width) if landscape else (theme.width, theme.height)
        margins = theme.landscape_margins if landscape else theme.margins
        # The cover has no page number; the contents none either unless the theme numbers them
        # (a section without footer references would take the previous section's, here none).
        footers = kind != "cover" and (kind != "contents" or theme.contents_numbers != "none")
        start, fmt = 0, ""
        if kind == "contents" and footers:
            start, fmt = 1, theme.contents_numbers
        elif kind not in ("cover", "contents") and not numbered:
            start, fmt, numbered = 1, "decimal", True
        sect = x.section(*size, margins, landscape=landscape, footers=footers, start=start, number_format=fmt)
        if last:
            out.append(x.paragraph("SectionBreak") + sect)
        else:
            out.append(x.paragraph("SectionBreak", section=sect))

    merged = merged_headings(blocks, kinds)
    # A document without parts (第一部分 …) has no title on its first text page: print one there.
    titled = not any(isinstance(b, Heading) and b.level == 1 for b in blocks) and document.title
    first_of_section = True
    held: tuple[Heading, bool | None] | None = None  # a heading printed as its table's title line
    lead = 0.0  # height of what stands above a table on its page (its headings)
    contents: Contents | None = None
    counted = False  # whether the section being written counts its pages
    for i, block in enumerate(blocks):
        kind = kinds[i]
        landscape = kind == "landscape"
        width = theme.text_width(landscape)
        if first_of_section:
            restart = kind not in ("cover", "contents") and not any(isinstance(f, Break) and f.restart for f in flow)
            counted = kind not in ("cover", "contents") or (kind == "contents" and theme.contents_numbers != "none")
            flow.append(Break(text_height(theme, landscape), counted, restart))
        if isinstance(block, Heading) and f"Heading{min(max(block.level, 1), 4)}" in breaking:
            # The style breaks the page; at the top of a new section that would be a blank page.
            page_break: bool | None = False if first_of_section else None
        else:
            page_break = True if (i in starts and not first_of_section) else None
        if (
            page_break
            or (page_break is None and isinstance(block, Heading) and f"Heading{min(max(block.level, 1), 4)}" in breaking)
        ) and not first_of_section:
            flow.append(Break(text_height(theme, landscape), counted))
        if i in starts or first_of_section:
            lead = 0.0
        value = block.value if isinstance(block, Island) else None
        if i in merged:
            held = (block, page_break)  # type: ignore[assignment]
        elif isinstance(value, Table):
            heading, pending = held if held else (None, page_break)
            room = text_height(theme, landscape) - lead - renderer.furniture_height(value, width)
            factor = renderer.fitting(value, width, room)[0] if value.form and room > 0 else 1.0
            out.append(renderer.table(value, width, pending if held else page_break, heading, factor))
            flow.extend(renderer.measure(value, width, factor, heading))
            held = None
        elif isinstance(value, Contents):
            contents = value
            out.append(_CONTENTS)
        else:
            if titled and kind == "portrait" and isinstance(block, Heading | Paragraph):
                style = theme.styles["document_title"]
                title = title_text(document.title, document.meta.get("department", ""), width / 20, style.size)
                out.append(x.paragraph("DocumentTitle", x.run(title)))
                flow.append(renderer.lines("document_title", title, width, keep=True))
                titled = False
            out.append(renderer.block(block, width, page_break))
            if isinstance(block, Heading):
                key = f"heading{min(max(block.level, 1), 4)}"
                lead += style_height(theme.styles[key])
                flow.append(renderer.lines(key, block.title, width, keep=True, anchor=block.anchor))
            elif isinstance(block, Paragraph):
                key = {"item": "item", "note": "note", "signature": "signature"}.get(block.kind, "body")
                flow.append(renderer.lines(key, block.text, width))
            elif isinstance(value, Chart):
                caption = renderer.lines("table_caption", value.caption, width)
                flow.append(Lines(1, renderer.chart_line(width), keep=True))
                flow.append(caption)
            elif isinstance(value, Glossary):
                for n, entry in enumerate(value.entries, start=1):
                    flow.append(renderer.lines("body", f"{n}. {entry.term}{value.separator}{entry.text}", width))
        first_of_section = False
        if i + 1 < len(blocks) and kinds[i + 1] != kind:
            close(kind, last=False)
            first_of_section = True
    close(kinds[-1] if kinds else "portrait", last=True)
    body = "".join(out)
    if contents is not None:
        # The contents print the pages our own layout gives, until the reader computes its own.
        renderer.pages = {anchor: str(page) for anchor, page in paginate(flow).items()}
        body = body.replace(_CONTENTS, renderer.contents(contents), 1)
    return body


def merged_headings(blocks: Sequence[object], kinds: Sequence[str]) -> set[int]:
    """The headings that only restate the title of the table right after them (printed once, as its title)."""
    return {
        i
        for i, block in enumerate(blocks[:-1])
        if isinstance(block, Heading)
        and _is_table(blocks[i + 1])
        and kinds[i] == kinds[i + 1]
        and blocks[i + 1].value.title == block.text  # type: ignore[attr-defined]
    }


def style_height(style: TextStyle, lines: int = 1) -> float:
    """The height (points) of a paragraph of a style: its lines and the space around it."""
    return lines * (style.line or style.size * 1.3) + style.before + style.after


def text_height(theme: DocxTheme, landscape: bool) -> float:
    """The height (points) of a page's text area."""
    m = theme.landscape_margins if landscape else theme.margins
    return ((theme.width if landscape else theme.height) - m["top"] - m["bottom"]) / 20


def _font_names(theme: DocxTheme) -> list[str]:
    names = dict.fromkeys([theme.latin, *(s.font for s in theme.styles.values())])
    return list(names)


def write_docx(document: Document, theme: Theme) -> bytes:
    """Render a Document as a DOCX file styled by the theme's docx.yaml; same input, same bytes."""
    settings = docx_theme(theme)
    meta = document.meta
    department = meta.get("department", "")
    body_size = settings.styles["body"].size
    charts = chart_style(theme) if any(True for _ in document.islands("chart")) else None
    renderer = _Renderer(settings, charts=charts)
    body = x.document_part(_body(document, settings, renderer))
    images = renderer.images
    parts = [
        ("[Content_Types].xml", x.content_types(images=bool(images))),
        ("_rels/.rels", x.package_relationships()),
        ("docProps/app.xml", x.app_part(company=department)),
        ("word/document.xml", body),
        ("word/_rels/document.xml.rels", x.document_relationships([(rid, name) for rid, name, _ in images])),
        ("word/styles.xml", _styles(settings)),
        ("word/settings.xml", x.settings_part(x.pt(body_size * 2))),
        ("word/fontTable.xml", x.font_table_part(_font_names(settings), settings.substitutes, settings.latin, settings.panose)),
        ("word/footer1.xml", _footer(settings, "right")),  # odd pages: the outside edge is the right
        ("word/footer2.xml", _footer(settings, "left")),
    ]
    core = {
        "title": document.title,
        "subject": meta.get("subject", ""),
        "author": department,
        "keywords": meta.get("keywords", ""),
    }
    media = [(f"word/media/{name}", data) for _, name, data in images]
    return x.zip_members(_packaged(parts, media, core, document.created))


# Stand-ins for the core properties in the skeleton python-docx writes once per process; each is
# replaced by the report's own (escaped) value. Plain ASCII words, which no escaping changes.
_SLOTS = {key: f"DISCLOSURE-SLOT-{key.upper()}" for key in ("title", "subject", "author", "keywords")}
_SLOT_DATE = dt.datetime(1999, 9, 9, 9, 9, 9)


# The parts that say how the package hangs together; python-docx writes these itself when it saves.
_STRUCTURE = {"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


Skeleton = tuple[tuple[str, bytes | None], ...]


@cache
def _skeleton(structure: tuple[tuple[str, str], ...], names: tuple[str, ...], media: tuple[str, ...]) -> Skeleton:
    """The package python-docx makes of our structure parts and parts with these names, once per
    process and kept between runs: its content types, relationships and core properties (with
    stand-ins), in its order, and None where one of our parts goes. python-docx checks the package
    and writes the package parts; the report's own XML then takes the places of the stand-in parts,
    so python-docx never parses back the XML we wrote, and the file is compressed once. Kept in a
    private folder (resources.private_cache) by a digest of what makes it, a command that writes one
    DOCX does not even import python-docx (about a tenth of its time)."""
    key = hashlib.blake2b(
        repr((structure, names, media, _SKELETON_CODE, library_stamp("docx"))).encode("utf-8"), digest_size=16
    ).hexdigest()
    folder = private_cache(f"docx-{__version__}")
    found = _kept_skeleton(folder / f"{key}.json") if folder is not None else None
    if found is None:
        found = _made_skeleton(structure, names, media)
        if folder is not None:
            _keep_skeleton(folder / f"{key}.json", found)
    return found


# The code a skeleton is made by: this module's and docx_xml's (read once per process).
_SKELETON_CODE = hashlib.blake2b(Path(__file__).read_bytes() + Path(x.__file__).read_bytes(), digest_size=16).hexdigest()


def _kept_skeleton(path: Path) -> Skeleton | None:
    """A skeleton an earlier run kept, or None (none there, or not one: it is then made again)."""
    try:
        data = json.loads(path.read_bytes())
        return tuple((str(name), None if part is None else base64.b64decode(part, validate=True)) for name, part in data)
    except (OSError, ValueError, TypeError):
        return None


def _keep_skeleton(path: Path, skeleton: Skeleton) -> None:
    """Keep a skeleton for later runs (written whole, then renamed); not kept when it cannot be written."""
    data = [[name, None if part is None else base64.b64encode(part).decode("ascii")] for name, part in skeleton]
    keep_cached(path, json.dumps(data).encode("utf-8"))


def _made_skeleton(structure: tuple[tuple[str, str], ...], names: tuple[str, ...], media: tuple[str, ...]) -> Skeleton:
    """The skeleton as python-docx makes it (imported only here)."""
    import docx as python_docx

    stand_in = f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:document xmlns:w=\"{_W}\"/>"
    stand_ins = [*structure, *((name, stand_in) for name in names)]
    package = python_docx.Document(io.BytesIO(x.pack(stand_ins, [(name, b"") for name in media])))
    properties = package.core_properties
    properties.title = _SLOTS["title"]
    properties.subject = _SLOTS["subject"]
    properties.author = properties.last_modified_by = _SLOTS["author"]
    properties.keywords = _SLOTS["keywords"]
    properties.language = "zh-CN"
    properties.revision = 1
    properties.created = properties.modified = _SLOT_DATE
    saved = io.BytesIO()
    package.save(saved)
    with zipfile.ZipFile(saved) as archive:
        ours = {*names, *media}
        return tuple((i.filename, None if i.filename in ours else archive.read(i)) for i in archive.infolist())


def _packaged(
    parts: Sequence[tuple[str, str]], media: Sequence[tuple[str, bytes]], core: dict[str, str], created: dt.datetime
) -> list[tuple[str, bytes]]:
    """The members of the file in python-docx's order: our parts as we wrote them and the images, the
    package parts from the skeleton, the core properties with the report's values."""
    ours = {name: text.encode("utf-8") for name, text in parts} | dict(media)
    structure = tuple((name, text) for name, text in parts if name in _STRUCTURE)
    names = tuple(name for name, _ in parts if name not in _STRUCTURE)
    members = []
    for name, data in _skeleton(structure, names, tuple(name for name, _ in media)):
        if data is None:
            members.append((name, ours[name]))
            continue
        if name == "docProps/core.xml":
            text = data.decode("utf-8")
            for key, slot in _SLOTS.items():
                text = text.replace(slot, x.esc(core[key]))
            data = text.replace(_SLOT_DATE.strftime("%Y-%m-%dT%H:%M:%SZ"), created.strftime("%Y-%m-%dT%H:%M:%SZ")).encode()
        members.append((name, data))
    return members
