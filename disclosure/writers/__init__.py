"""Stage 6, write: Document → the bytes of each output format, styled by a theme.

Each writer draws the same Document in its own way, dispatching on the block type: html.py a
self-contained accessible page, docx.py a Word file after GB/T 9704, pdf.py a PDF/A typeset by
Typst from the same theme settings, markdown.py the review copy, odt.py an OpenDocument file
through pandoc. `WRITERS` is the one registry of formats;
a writer's module is imported only when its format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..document import Document
from ..resources import Theme


@dataclass(frozen=True)
class Writer:
    """One output format: the module and function that write it, and the file it makes.

    The function takes the Document and the theme and returns the file's bytes, or, when `file`
    is empty, a mapping of file names to bytes (a format of several files, such as one CSV per table).
    """

    module: str
    function: str
    file: str = ""

    def load(self) -> Callable[[Document, Theme], bytes | dict[str, bytes]]:
        function: Callable[[Document, Theme], bytes | dict[str, bytes]] = getattr(
            importlib.import_module(f"{__name__}.{self.module}"), self.function
        )
        return function


WRITERS: dict[str, Writer] = {
    "html": Writer("html", "write_html", "report.html"),
    "docx": Writer("docx", "write_docx", "report.docx"),
    "pdf": Writer("pdf", "write_pdf", "report.pdf"),
    "odt": Writer("odt", "write_odt", "report.odt"),
    "md": Writer("markdown", "write_markdown", "report.md"),
}
FORMATS = tuple(WRITERS)
DEFAULT_FORMATS = ("html", "docx", "md")  # ODT (through pandoc) only when asked for


def write(document: Document, theme: Theme, formats: Sequence[str]) -> dict[str, bytes]:
    """Every requested format of a document, as bytes keyed by file name (report.html …); nothing is written."""
    files: dict[str, bytes] = {}
    for name in FORMATS:  # registry order: the same files in the same order whatever the request's order
        if name not in formats:
            continue
        writer = WRITERS[name]
        made = writer.load()(document, theme)
        if isinstance(made, dict):
            files.update(made)
        else:
            files[writer.file] = made
    return files
