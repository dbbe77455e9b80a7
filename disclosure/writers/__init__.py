"""Stage 6, write: Document → the bytes of each output format, styled by a theme.

Each writer draws the same Document in its own way, dispatching on the block type: html.py a
self-contained accessible page, docx.py a Word file after GB/T 9704, pdf.py a PDF/A typeset by
Typst from the same theme settings, markdown.py the review copy, odt.py an OpenDocument file
through pandoc, xlsx.py and opendata.py the tables as data. `WRITERS` is the one registry of formats;
a writer's module is imported only when its format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry is read by the command line before any report: it imports no stage
    from ..document import Document
    from ..resources import Theme


@dataclass(frozen=True)
class Writer:
    """One output format: the module and function that write it, and the file it makes.

    The function takes the Document and the theme and returns the file's bytes, or, when `file`
    is empty, a mapping of file names to bytes (a format of several files, such as one CSV per table).
    A writer that `links` the report's other files (the HTML page) is written after them and gets
    them as `links=[(format, file name), …]`.
    """

    module: str
    function: str
    file: str = ""
    pattern: str = ""  # the files of a format of several files, as a glob
    links: bool = False

    def present(self, folder: Path) -> bool:
        """Tell whether a folder holds this format's output (from this build or an earlier one)."""
        if self.file:
            return (folder / self.file).is_file()
        return any(path.is_file() for path in folder.glob(self.pattern)) if self.pattern else False

    def load(self) -> Callable[..., bytes | dict[str, bytes]]:
        function: Callable[..., bytes | dict[str, bytes]] = getattr(
            importlib.import_module(f"{__name__}.{self.module}"), self.function
        )
        return function


WRITERS: dict[str, Writer] = {
    "html": Writer("html", "write_html", "report.html", links=True),
    "docx": Writer("docx", "write_docx", "report.docx"),
    "pdf": Writer("pdf", "write_pdf", "report.pdf"),
    "odt": Writer("odt", "write_odt", "report.odt"),
    "md": Writer("markdown", "write_markdown", "report.md"),
    "xlsx": Writer("xlsx", "write_xlsx", "report.xlsx"),
    "csv": Writer("opendata", "write_csv", pattern="report-*.csv"),
    "json": Writer("opendata", "write_json", "report.json"),
}
FORMATS = tuple(WRITERS)
DEFAULT_FORMATS = ("html", "docx", "md")  # ODT (through pandoc) only when asked for


def write(document: Document, theme: Theme, formats: Sequence[str]) -> dict[str, bytes]:
    """Every requested format of a document, as bytes keyed by file name (report.html …); nothing is written.

    The files come in registry order whatever the request's order; a writer that links the
    others is written last, with the names of the files the others made.
    """
    wanted = [name for name in FORMATS if name in formats]
    made: dict[str, dict[str, bytes]] = {}
    for name in sorted(wanted, key=lambda n: WRITERS[n].links):  # the linking writers last
        writer = WRITERS[name]
        if writer.links:
            others = [(other, file) for other in wanted if other in made for file in made[other]]
            result = writer.load()(document, theme, links=others)
        else:
            result = writer.load()(document, theme)
        made[name] = result if isinstance(result, dict) else {writer.file: result}
    return {file: data for name in wanted for file, data in made[name].items()}
