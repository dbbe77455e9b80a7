"""A readable dump of a DOCX file, for golden files and for reviewing what the writer made.

One line per paragraph: the style name in brackets, then the text. Bold runs are shown as
**…**, a tab as “⇥”, a line break as “↵”, a field as ⟦instruction|result⟧, a bookmark as
“#name” after the text and a link as “→name”. Tables are drawn row by row: “H” marks a
repeated header row, “←” a position covered by a column span, “〃” one covered by a row span,
“›” one level of indentation. Section breaks show the page size, orientation, footer and
page numbering; as in WordprocessingML they close the section above them. Empty paragraphs
are left out. A reviewer sees the layout of the whole report in a diff.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_R = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _text(element: etree._Element) -> tuple[str, list[str]]:
    """The text of a paragraph (or any element) with fields, breaks and bold marked; and its bookmarks."""
    out: list[str] = []
    marks: list[str] = []
    in_instruction = False
    for node in element.iter():
        tag = node.tag
        if tag == f"{W}t":
            run = node.getparent()
            bold = run.find(f"{W}rPr/{W}b") is not None if run is not None else False
            text = node.text or ""
            out.append(f"**{text}**" if bold and text.strip() else text)
        elif tag == f"{W}tab" and node.getparent().tag == f"{W}r":
            out.append("⇥")
        elif tag == f"{W}br":
            out.append("↵")
        elif tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            if kind == "begin":
                out.append("⟦")
                in_instruction = True
            elif kind == "separate":
                out.append("|")
                in_instruction = False
            else:
                out.append("⟧")
        elif tag == f"{W}instrText" and in_instruction:
            out.append((node.text or "").strip())
        elif tag == f"{W}bookmarkStart":
            marks.append("#" + node.get(f"{W}name"))
        elif tag == f"{W}hyperlink" and node.get(f"{W}anchor"):
            marks.append("→" + node.get(f"{W}anchor"))
    return "".join(out).replace("****", ""), marks


def _paragraph(p: etree._Element, names: dict[str, str]) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    name = names.get(style.get(f"{W}val"), style.get(f"{W}val")) if style is not None else "Normal"
    text, marks = _text(p)
    flags = []
    page_break = p.find(f"{W}pPr/{W}pageBreakBefore")
    if page_break is not None and page_break.get(f"{W}val") not in ("0", "false"):
        flags.append("分页")
    jc = p.find(f"{W}pPr/{W}jc")
    if jc is not None:
        flags.append({"right": "居右", "center": "居中", "left": "居左"}.get(jc.get(f"{W}val"), jc.get(f"{W}val")))
    if p.find(f"{W}pPr/{W}tabs") is not None:
        flags.append("制表位")
    head = f"[{name}{'，' + '，'.join(flags) if flags else ''}]"
    return " ".join(part for part in (head, text, " ".join(marks)) if part)


def _cell_text(tc: etree._Element) -> str:
    parts = []
    for p in tc.iter(f"{W}p"):
        text, _ = _text(p)
        ind = p.find(f"{W}pPr/{W}ind")
        level = int(ind.get(f"{W}leftChars", "0")) // 100 if ind is not None else 0
        parts.append("›" * level + text)
    return " ".join(part for part in parts if part)


def _table(tbl: etree._Element) -> list[str]:
    widths = [col.get(f"{W}w") for col in tbl.iter(f"{W}gridCol")]
    lines = [f"[表格：{len(widths)} 列，列宽 {'/'.join(widths)}]"]
    for tr in tbl.iterfind(f"{W}tr"):
        cells = []
        for tc in tr.iterfind(f"{W}tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_el.get(f"{W}val")) if span_el is not None else 1
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continued = merge is not None and merge.get(f"{W}val") != "restart"
            text = "〃" if continued else (_cell_text(tc) or " ")
            cells.append(text)
            cells.extend(["←"] * (span - 1))
        header = tr.find(f"{W}trPr/{W}tblHeader") is not None
        lines.append(("H " if header else "  ") + "| " + " | ".join(cells) + " |")
    return lines


def _section(sect: etree._Element, footers: dict[str, str]) -> str:
    size = sect.find(f"{W}pgSz")
    width, height = int(size.get(f"{W}w")), int(size.get(f"{W}h"))
    landscape = size.get(f"{W}orient") == "landscape"
    mm = f"{round(width / 1440 * 25.4)}×{round(height / 1440 * 25.4)}mm"
    ref = sect.find(f"{W}footerReference")
    footer = f"页脚 {footers.get(ref.get(f'{R}id'), '?')}" if ref is not None else "无页脚"
    numbers = sect.find(f"{W}pgNumType")
    numbering = ""
    if numbers is not None:
        numbering = f"，页码 {numbers.get(f'{W}fmt', 'decimal')} 从 {numbers.get(f'{W}start', '续')} 起"
    return f"──── 本节完：{'横向' if landscape else '纵向'} {mm}，{footer}{numbering} ────"


def dump_docx(data: bytes) -> str:
    """Dump a DOCX file as text: properties, every paragraph and table row, section breaks, footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        core = etree.fromstring(archive.read("docProps/core.xml"))
        footer_parts = {
            rel.get("Id"): rel.get("Target")
            for rel in rels.iter(f"{PACKAGE_R}Relationship")
            if rel.get("Type").endswith("/footer")
        }
        footer_text = {target: _text(etree.fromstring(archive.read(f"word/{target}")))[0] for target in footer_parts.values()}
    names = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val") for s in styles.iter(f"{W}style")}
    lines = ["属性：" + "；".join(f"{etree.QName(el).localname}={el.text or ''}" for el in core)]
    lines += [f"页脚 {target}：{text}" for target, text in sorted(footer_text.items())]
    footers = {rid: target for rid, target in footer_parts.items()}
    for child in document.find(f"{W}body"):
        if child.tag == f"{W}p":
            sect = child.find(f"{W}pPr/{W}sectPr")
            text, _ = _text(child)
            if text:
                lines.append(_paragraph(child, names))
            if sect is not None:
                lines.append(_section(sect, footers))
        elif child.tag == f"{W}tbl":
            lines.extend(_table(child))
        elif child.tag == f"{W}sectPr":
            lines.append(_section(child, footers))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python tests/docx_dump.py report.docx
    import sys
    from pathlib import Path

    sys.stdout.write(dump_docx(Path(sys.argv[1]).read_bytes()))
