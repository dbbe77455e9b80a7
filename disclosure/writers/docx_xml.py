"""WordprocessingML helpers: every raw XML string of the DOCX writer is made here.

Like python-docx's `oxml` layer, but the helpers return text: the writer joins a report's body
from these strings and packs it once, which is many times faster than building python-docx
objects cell by cell. Every piece of user text goes through `esc` (escaped, XML-illegal
characters dropped), so nothing from the content can become markup.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT_NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

# Zip members get this date, so two builds of the same report are byte-identical.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------------------- units and text


def esc(text: str) -> str:
    """Escape text for element content, dropping characters XML cannot hold."""
    return _ILLEGAL.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: object) -> str:
    """Escape a value for a double-quoted attribute."""
    return esc(str(value)).replace('"', "&quot;")


def mm(value: float) -> int:
    """Millimetres to twips (twentieths of a point)."""
    return round(value * 1440 / 25.4)


def pt(value: float) -> int:
    """Points to twips."""
    return round(value * 20)


def fonts(east_asian: str, latin: str) -> str:
    """Explicit fonts for every script: theme font attributes are never used.

    The eastAsia hint makes Word set characters shared by both scripts (“ ” — … ≥) in the Chinese
    font, as Chinese typesetting expects; digits and Latin letters still take the Latin font.
    """
    return (
        f'<w:rFonts w:ascii="{attr(latin)}" w:hAnsi="{attr(latin)}" w:eastAsia="{attr(east_asian)}" '
        f'w:cs="{attr(latin)}" w:hint="eastAsia"/>'
    )


# ---------------------------------------------------------------------------- runs and paragraphs

_BOLD = "<w:b/><w:bCs/>"
_ITALIC = "<w:i/><w:iCs/>"


def run(text: str, bold: bool = False, italic: bool = False, size: float = 0) -> str:
    """One run (in a font size other than its style's when `size` is given); a newline becomes a line
    break, a tab a tab character."""
    props = (_BOLD if bold else "") + (_ITALIC if italic else "")
    if size:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    if "\n" not in text and "\t" not in text:
        return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>' if text else ""
    parts: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


TAB = "<w:r><w:tab/></w:r>"
PICTURE_BEFORE = 6  # points above a picture's line
# A picture's line gets the descent of its run's and paragraph mark's font below the picture; in a
# 1-point type that is a fraction of a point in every reader.
_HAIRLINE = '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'


def ppr(
    style: str,
    *,
    jc: str = "",
    page_break: bool | None = None,
    keep_next: bool = False,
    tabs: Sequence[tuple[str, int]] = (),
    line: float = 0,
    single: bool = False,
    left_chars: int = 0,
    left: int = 0,
    outline: int | None = None,
    section: str = "",
) -> str:
    """Paragraph properties: a style, and the few direct settings the writer needs (schema order):
    `line` an exact line height in points, `outline` an outline level (for a heading set in another style)."""
    if page_break is None and not (jc or keep_next or tabs or line or single or left_chars or outline is not None or section):
        return f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
    out = [f'<w:pStyle w:val="{style}"/>']
    if keep_next:
        out.append("<w:keepNext/>")
    if page_break is not None:
        out.append("<w:pageBreakBefore/>" if page_break else '<w:pageBreakBefore w:val="0"/>')
    if tabs:
        out.append("<w:tabs>" + "".join(f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in tabs) + "</w:tabs>")
    if line:
        out.append(f'<w:spacing w:line="{pt(line)}" w:lineRule="exact"/>')
    elif single:  # a picture's paragraph: a line as tall as what it holds (an exact height would crop it)
        out.append(f'<w:spacing w:before="{PICTURE_BEFORE * 20}" w:after="0" w:line="240" w:lineRule="auto"/>')
    if left_chars:
        out.append(f'<w:ind w:leftChars="{left_chars}" w:left="{left}" w:firstLineChars="0" w:firstLine="0"/>')
    if jc:
        out.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        out.append(f'<w:outlineLvl w:val="{outline}"/>')
    if single:  # the paragraph mark in a hairline type, so the line is the picture's height, not a font's
        out.append(_HAIRLINE)
    out.append(section)
    return f"<w:pPr>{''.join(out)}</w:pPr>"


def paragraph(style: str, content: str = "", **props) -> str:
    """A paragraph of a style holding ready-made runs."""
    return f"<w:p>{ppr(style, **props)}{content}</w:p>"


def bookmark(ident: int, name: str, content: str) -> str:
    """Wrap runs in a bookmark (the target of a table-of-contents entry)."""
    return f'<w:bookmarkStart w:id="{ident}" w:name="{attr(name)}"/>{content}<w:bookmarkEnd w:id="{ident}"/>'


def hyperlink(anchor: str, content: str) -> str:
    """An internal link to a bookmark."""
    return f'<w:hyperlink w:anchor="{attr(anchor)}" w:history="1">{content}</w:hyperlink>'


def field_begin(instruction: str) -> str:
    """The start of a complex field up to its result: begin, instruction, separate."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def field(instruction: str, result: str) -> str:
    """A complex field with a ready result (shown until the field is updated)."""
    return field_begin(instruction) + result + FIELD_END


# ---------------------------------------------------------------------------- tables


def cell(width: int, content: str, span: int = 1, merge: str = "") -> str:
    """A table cell: width, column span, vertical merge (restart | continue), vertically centred."""
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    return f'<w:tc><w:tcPr>{props}<w:vAlign w:val="center"/></w:tcPr>{content}</w:tc>'


def row(cells: Iterable[str], header: bool = False) -> str:
    """A table row that never splits across pages; header rows repeat on every page."""
    return f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if header else ''}</w:trPr>{''.join(cells)}</w:tr>"


def table(style: str, columns: Sequence[int], rows: Iterable[str]) -> str:
    """A centred, fixed-layout table of the given column widths (twips)."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in columns)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(columns)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


# ---------------------------------------------------------------------------- sections


def section(
    width: int,
    height: int,
    margins: dict[str, int],
    *,
    landscape: bool = False,
    footers: bool = False,
    start: int = 0,
    number_format: str = "",
) -> str:
    """Section properties: page size and orientation, margins, the odd and even footers, page numbering."""
    refs = (
        f'<w:footerReference w:type="default" r:id="{FOOTER_RID}"/><w:footerReference w:type="even" r:id="{EVEN_FOOTER_RID}"/>'
        if footers
        else ""
    )
    orient = ' w:orient="landscape"' if landscape else ""
    numbers = ""
    if start or number_format:
        numbers = (
            "<w:pgNumType"
            + (f' w:fmt="{number_format}"' if number_format else "")
            + (f' w:start="{start}"' if start else "")
            + "/>"
        )
    m = margins
    return (
        f'<w:sectPr>{refs}<w:type w:val="nextPage"/><w:pgSz w:w="{width}" w:h="{height}"{orient}/>'
        f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}" '
        f'w:header="{m["header"]}" w:footer="{m["footer"]}" w:gutter="0"/>{numbers}<w:cols w:space="425"/></w:sectPr>'
    )


# ---------------------------------------------------------------------------- styles


def paragraph_style(
    ident: str,
    name: str,
    *,
    font: str,
    latin: str,
    size: float,
    based_on: str = "Normal",
    line: float = 0,
    align: str = "",
    bold: bool = False,
    before: float = 0,
    after: float = 0,
    first_chars: float = 0,
    left_chars: float = 0,
    page_break: bool = False,
    keep_next: bool = False,
    outline: int | None = None,
    tabs: Sequence[tuple[str, str, int]] = (),
    default: bool = False,
    hidden: bool = False,
    letter: int = 0,
) -> str:
    """A paragraph style with explicit fonts for every script, fixed line spacing and indents in characters;
    `letter` condenses (negative) or expands the characters, in twentieths of a point."""
    ppr_parts = []
    if keep_next:
        ppr_parts.append("<w:keepNext/><w:keepLines/>")
    ppr_parts.append(f'<w:pageBreakBefore w:val="{1 if page_break else 0}"/>')
    if default:
        # No single line of a paragraph alone at the foot or head of a page, in every reader (LibreOffice
        # does this unasked; Word and WPS only when the file says so).
        ppr_parts.append("<w:widowControl/>")
    if tabs:
        ppr_parts.append(
            "<w:tabs>"
            + "".join(f'<w:tab w:val="{kind}" w:leader="{leader}" w:pos="{pos}"/>' for kind, leader, pos in tabs)
            + "</w:tabs>"
        )
    spacing = f'<w:spacing w:before="{pt(before)}" w:beforeLines="0" w:after="{pt(after)}" w:afterLines="0"'
    spacing += f' w:line="{pt(line)}" w:lineRule="exact"/>' if line else ' w:line="240" w:lineRule="auto"/>'
    ppr_parts.append(spacing)
    char = pt(size)  # one character of this size, in twips
    ppr_parts.append(
        f'<w:ind w:leftChars="{round(left_chars * 100)}" w:left="{round(left_chars * char)}" '
        f'w:firstLineChars="{round(first_chars * 100)}" w:firstLine="{round(first_chars * char)}"/>'
    )
    if align:
        ppr_parts.append(f'<w:jc w:val="{align}"/>')
    if outline is not None:
        ppr_parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    rpr = (
        fonts(font, latin)
        + (_BOLD if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
        + (f'<w:spacing w:val="{letter}"/>' if letter else "")
        + f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    )
    flags = ' w:default="1"' if default else ""
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on and not default else ""
    extra = "<w:semiHidden/>" if hidden else "<w:qFormat/>"
    return (
        f'<w:style w:type="paragraph"{flags} w:styleId="{ident}"><w:name w:val="{attr(name)}"/>{based}{extra}'
        f"<w:pPr>{''.join(ppr_parts)}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def table_style(
    ident: str,
    name: str,
    *,
    font: str,
    latin: str,
    size: float,
    border: int,
    cell_margin: int,
    cell_padding: int = 0,
    default: bool = False,
) -> str:
    """A table style: fonts, single-line borders (eighths of a point), cell margins left/right and top/bottom (twips)."""
    edges = "".join(
        f'<w:{edge} w:val="{"single" if border else "nil"}" w:sz="{border}" w:space="0" w:color="000000"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    flags = ' w:default="1"' if default else ""
    return (
        f'<w:style w:type="table"{flags} w:styleId="{ident}"><w:name w:val="{attr(name)}"/>'
        f'<w:rPr>{fonts(font, latin)}<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/></w:rPr>'
        f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{edges}</w:tblBorders>'
        f'<w:tblCellMar><w:top w:w="{cell_padding}" w:type="dxa"/><w:left w:w="{cell_margin}" w:type="dxa"/>'
        f'<w:bottom w:w="{cell_padding}" w:type="dxa"/><w:right w:w="{cell_margin}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )


def character_style(ident: str, name: str, *, font: str, latin: str, default: bool = False) -> str:
    flags = ' w:default="1"' if default else ""
    return (
        f'<w:style w:type="character"{flags} w:styleId="{ident}"><w:name w:val="{attr(name)}"/><w:semiHidden/>'
        f"<w:rPr>{fonts(font, latin)}</w:rPr></w:style>"
    )


def styles_part(*, font: str, latin: str, size: float, styles: Iterable[str]) -> str:
    """styles.xml: document defaults with explicit fonts (no theme fonts), then the styles."""
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{fonts(font, latin)}"
        f'<w:kern w:val="2"/><w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    return f"{_DECLARATION}<w:styles {_ROOT_NS}>{defaults}{''.join(styles)}</w:styles>"


# ---------------------------------------------------------------------------- package parts


def document_part(body: str) -> str:
    return f"{_DECLARATION}<w:document {_ROOT_NS}><w:body>{body}</w:body></w:document>"


def footer_part(content: str) -> str:
    return f"{_DECLARATION}<w:ftr {_ROOT_NS}>{content}</w:ftr>"


def settings_part(tab_stop: int) -> str:
    """settings.xml, in the schema's order: odd and even footers differ (page numbers on the outside
    edge), and fields are refreshed on opening, so the contents' page numbers come from the reader's
    own layout (Word asks once; see the README on the contents' page numbers)."""
    return (
        f"{_DECLARATION}<w:settings {_ROOT_NS}>"
        f'<w:zoom w:percent="100"/><w:defaultTabStop w:val="{tab_stop}"/><w:evenAndOddHeaders/>'
        '<w:characterSpacingControl w:val="doNotCompress"/><w:updateFields w:val="true"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


def font_table_part(names: Iterable[str], substitutes: dict[str, str], latin: str, panose: dict[str, str]) -> str:
    """fontTable.xml: every font in use. A font a reader lacks is replaced by the one most like it:
    East Asian fonts carry the GB2312 charset, the font to use instead (altName) and their PANOSE
    class, so Word and WPS fall back to an installed 仿宋/楷体/宋体/黑体 and never to a Latin face."""
    out = []
    for name in names:
        alt = f'<w:altName w:val="{attr(substitutes[name])}"/>' if name in substitutes else ""
        kind = f'<w:panose1 w:val="{attr(panose[name])}"/>' if name in panose else ""
        charset = "00" if name == latin else "86"
        family = "roman" if name == latin else "auto"
        out.append(
            f'<w:font w:name="{attr(name)}">{alt}{kind}<w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
            '<w:pitch w:val="variable"/></w:font>'
        )
    return f"{_DECLARATION}<w:fonts {_ROOT_NS}>{''.join(out)}</w:fonts>"


_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def relationships(items: Iterable[tuple[str, str, str]]) -> str:
    rels = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in items)
    return f'{_DECLARATION}<Relationships xmlns="{_RELS_NS}">{rels}</Relationships>'


def package_relationships() -> str:
    """The package's parts; python-docx adds docProps/core.xml when it writes the core properties."""
    return relationships(
        [
            ("rId1", f"{_OFFICE_REL}/officeDocument", "word/document.xml"),
            ("rId3", f"{_OFFICE_REL}/extended-properties", "docProps/app.xml"),
        ]
    )


FOOTER_RID = "rId4"  # the footer of odd pages (and of every page when odd and even are not told apart)
EVEN_FOOTER_RID = "rId5"


def document_relationships(images: Sequence[tuple[str, str]] = ()) -> str:
    """The document's parts; `images` are (relationship id, file name under word/media/)."""
    return relationships(
        [
            ("rId1", f"{_OFFICE_REL}/styles", "styles.xml"),
            ("rId2", f"{_OFFICE_REL}/settings", "settings.xml"),
            ("rId3", f"{_OFFICE_REL}/fontTable", "fontTable.xml"),
            (FOOTER_RID, f"{_OFFICE_REL}/footer", "footer1.xml"),
            (EVEN_FOOTER_RID, f"{_OFFICE_REL}/footer", "footer2.xml"),
            *((rid, f"{_OFFICE_REL}/image", f"media/{name}") for rid, name in images),
        ]
    )


def image_rid(index: int) -> str:
    """The relationship id of the document's `index`-th image (after the fixed parts' ids)."""
    return f"rId{10 + index}"


_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
EMU_PER_MM = 36000


def inline_picture(rid: str, ident: int, name: str, description: str, width_mm: float, height_mm: float) -> str:
    """A run holding a picture in line with the text, `description` its alternative text (read aloud)."""
    cx, cy = round(width_mm * EMU_PER_MM), round(height_mm * EMU_PER_MM)
    names = f'id="{ident}" name="{attr(name)}" descr="{attr(description)}"'
    return (
        f'<w:r>{_HAIRLINE}<w:drawing><wp:inline xmlns:wp="{_WP_NS}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr {names}/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_A_NS}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{_A_NS}"><a:graphicData uri="{_PIC_NS}"><pic:pic xmlns:pic="{_PIC_NS}">'
        f"<pic:nvPicPr><pic:cNvPr {names}/><pic:cNvPicPr/></pic:nvPicPr>"
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def content_types(images: bool = False) -> str:
    overrides = [
        ("/word/document.xml", f"{_CT}.document.main+xml"),
        ("/word/styles.xml", f"{_CT}.styles+xml"),
        ("/word/settings.xml", f"{_CT}.settings+xml"),
        ("/word/fontTable.xml", f"{_CT}.fontTable+xml"),
        ("/word/footer1.xml", f"{_CT}.footer+xml"),
        ("/word/footer2.xml", f"{_CT}.footer+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ]
    return (
        f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + ('<Default Extension="png" ContentType="image/png"/>' if images else "")
        + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
        + "</Types>"
    )


def app_part(*, company: str) -> str:
    return (
        f'{_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>disclosure</Application><DocSecurity>0</DocSecurity><Company>{esc(company)}</Company>"
        "</Properties>"
    )


def repack(data: bytes) -> bytes:
    """Rewrite a zip with fixed dates and attributes, members in their order: same parts, same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return zip_members((info.filename, source.read(info)) for info in source.infolist())


def pack(parts: Sequence[tuple[str, str]], media: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """Zip XML parts (then binary parts such as images) in the given order with fixed dates and attributes."""
    return zip_members([*((name, text.encode("utf-8")) for name, text in parts), *media])


def zip_members(members: Iterable[tuple[str, bytes]]) -> bytes:
    """Zip the parts in the given order with fixed dates and attributes: identical input, identical bytes.

    Level 3 deflates a report in half the time of the default 6, for a file about a sixth larger
    (38 KB against 32 KB for linjiang-yibaoju 2024)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data, compresslevel=3)
    return buffer.getvalue()
