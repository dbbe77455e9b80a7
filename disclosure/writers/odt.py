"""HTML → ODT through pandoc (pypandoc-binary), for offices that file OpenDocument.

pandoc reads our own page (`-f html` keeps rowspan and colspan) and writes the ODT; the
timestamps inside come from the report's date through SOURCE_DATE_EPOCH, so the same report
gives the same bytes.
"""

from __future__ import annotations

import calendar
import os
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from ..errors import Location, ReportError
from ..resources import Theme
from .html import write_html


def write_odt(document: Document, theme: Theme) -> bytes:
    """Convert the page of a report to ODT; same page and date, same bytes."""
    html = write_html(document, theme, links=None)  # the page alone: no navigation in the ODT
    try:
        import pypandoc  # pandoc ships in the pypandoc-binary wheel, installed with the “odt” extra
    except ImportError:
        raise ReportError(
            Location(document.title), '生成 ODT 需要 pandoc：请安装 pypandoc-binary（pip install "disclosure[odt]"）'
        ) from None
    epoch = calendar.timegm(document.created.timetuple())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "report.odt"
        try:
            subprocess.run(
                [pypandoc.get_pandoc_path(), "-f", "html", "-t", "odt", "-o", str(target)],
                input=html,
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise ReportError(Location(document.title), f"用 pandoc 生成 ODT 失败：{exc}") from None
        return target.read_bytes()
