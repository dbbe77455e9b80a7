"""Stage 6, write: Document → the bytes of each output format, styled by a theme.

Each writer draws the same Document in its own way, dispatching on the block type: html.py a
self-contained accessible page, docx.py a Word file after GB/T 9704, markdown.py the review
copy, odt.py an OpenDocument file through pandoc. `write` is the one registry of formats.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..document import Document
from ..resources import Theme

FORMATS = ("html", "docx", "odt", "md")
DEFAULT_FORMATS = ("html", "docx", "md")  # ODT (through pandoc) only when asked for


def write(document: Document, theme: Theme, formats: Sequence[str]) -> dict[str, bytes]:
    """Every requested format of a document, as bytes keyed by file name (report.html …); nothing is written."""
    files: dict[str, bytes] = {}
    html = b""
    if "html" in formats or "odt" in formats:
        from .html import write_html

        html = write_html(document, theme)
        if "html" in formats:
            files["report.html"] = html
    if "docx" in formats:
        from .docx import write_docx  # python-docx is imported only when a DOCX is asked for

        files["report.docx"] = write_docx(document, theme)
    if "odt" in formats:
        from .odt import write_odt

        files["report.odt"] = write_odt(html, document)
    if "md" in formats:
        from .markdown import write_markdown

        files["report.md"] = write_markdown(document)
    return files
