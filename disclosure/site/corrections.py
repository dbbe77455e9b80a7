"""Corrections of a published report: the 更正说明, the superseded version kept under a dated name.

Each built report keeps its Document as data beside its files (document.json). `build.py diff
--notice` builds the corrected report in memory, compares its Document with the published one
(document/changes.py), and when anything changed: keeps the published files under dated names
(report-2025-09-02.html …), writes the notice in the report's formats (correction-<date>.html,
.docx, .md, .pdf) and then the corrected report, whose page says when it was corrected and
links both. Every word of the notice is in labels.yaml (`notice.*`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import model as m
from ..compose import Labels
from ..document import Cell, Document, Heading, Island, Paragraph, Run, Table
from ..document.changes import Change, compare, notice_name, superseded_name
from ..document.data import document_data, read_document
from ..errors import Location, ReportError, display_path
from ..pipeline import Toolkit, build_report
from ..writers import WRITERS
from .files import write_atomic

DOCUMENT_FILE = "document.json"
NOTICE_FORMATS = ("html", "docx", "md", "pdf")  # the notice is written in those of these the report is built in


def document_file(document: Document) -> bytes:
    """The bytes of the Document kept beside a report's files."""
    return document_data(document)


def corrections_of(manifest: m.Manifest) -> tuple[tuple[str, str], ...]:
    """(date, notice file) of each correction report.yaml lists, for the department page."""
    return tuple((c.date.isoformat(), notice_name(c.date.isoformat(), "html")) for c in manifest.corrections if c.date)


def pending_correction(target: Path, manifest: m.Manifest) -> ReportError | None:
    """A message when report.yaml names a correction whose notice is not written yet over a published report."""
    last = manifest.corrections[-1] if manifest.corrections else None
    if last is None or last.date is None or not (target / DOCUMENT_FILE).is_file():
        return None
    if (target / notice_name(last.date.isoformat(), "html")).is_file() or (
        target / notice_name(last.date.isoformat(), "md")
    ).is_file():
        return None
    return ReportError(
        last.at("date", "日期"),
        f"report.yaml 写了 {last.date.isoformat()} 的更正，但还没有写出更正说明：请先运行 build.py diff --notice，"
        "它保留已公开的原版本、写出更正说明，再生成更正后的报告（直接生成会覆盖已公开的版本）",
    )


def _date(labels: Labels, day: dt.date | None) -> str:
    return labels("notice.date", y=str(day.year), m=str(day.month), d=str(day.day)) if day else ""


def _place(change: Change, labels: Labels) -> str:
    p = change.place
    column = labels("notice.column_separator").join(p.column)
    if change.kind == "cell" and p.table:
        return labels("notice.place_cell", part=p.part, table=p.table, title=p.title, row=p.row, column=column)
    if change.kind == "row":
        return labels("notice.place_row", part=p.part, table=p.table, title=p.title, row=p.row)
    return labels("notice.place_sentence", part=p.part, section=p.section)


def _text(text: str, labels: Labels, key: str) -> str:
    return text if text else labels(key)


def notice_table(changes: Sequence[Change], labels: Labels) -> Table:
    """The table of changes: 序号, 位置, 原为, 更正为; each change's other places indented under it."""
    head = tuple(
        Cell(labels(f"notice.{k}"), header=True, align="center", scope="col") for k in ("number", "place", "before", "after")
    )
    body: list[tuple[Cell, ...]] = []
    for number, change in enumerate(changes, start=1):
        body.append(
            (
                Cell(str(number), align="center"),
                Cell(_place(change, labels)),
                Cell(_text(change.before, labels, "notice.added")),
                Cell(_text(change.after, labels, "notice.removed")),
            )
        )
        for related in change.related:
            body.append(
                (
                    Cell(""),
                    Cell(labels("notice.related", place=_place(related, labels)), indent=1),
                    Cell(_text(related.before, labels, "notice.added")),
                    Cell(_text(related.after, labels, "notice.removed")),
                )
            )
    return Table("notice", "", labels("notice.table_title"), "", "", (1, 6, 4, 4), (head,), tuple(body), breaks=False)


@dataclass(frozen=True)
class Correction:
    """A correction made or found: the changes, the date and reason, and the files it wrote."""

    changes: tuple[Change, ...]
    date: dt.date | None = None
    reason: str = ""
    written: tuple[str, ...] = ()
    recorded: bool = True  # report.yaml lists this correction (so the corrected page says so)


def notice_document(
    report: Document, manifest: m.Manifest, changes: Sequence[Change], date: dt.date, reason: str, labels: Labels
) -> Document:
    """The 更正说明 as a Document every writer draws."""
    published = report.meta.get("corrected") or report.meta.get("date", "")
    values = {
        "report": report.title,
        "published": _date(labels, dt.date.fromisoformat(published)) if published else "",
        "date": _date(labels, date),
        "reason": reason,
        "count": str(len(changes)),
    }
    title = labels("notice.title", **values)
    blocks = (
        Heading(1, "", title, "notice"),
        Paragraph((Run(labels("notice.intro", **values)),)),
        Island("table", notice_table(changes, labels)),
        Paragraph((Run(labels("notice.reason", **values)),)),
        Paragraph((Run(labels("notice.closing", **values)),)),
        Paragraph((Run(labels("notice.signature", **values)),), "signature"),
        Paragraph((Run(labels("notice.date_line", **values)),), "signature"),
    )
    meta = {
        **{k: v for k, v in report.meta.items() if k in ("department", "year", "kind", "scope", "unit")},
        "date": date.isoformat(),
    }
    return Document(title, blocks, meta)


def published_document(folder: Path) -> Document | None:
    """The Document kept beside a published report, or None when there is none (built before it was kept)."""
    path = folder / DOCUMENT_FILE
    return read_document(path.read_bytes()) if path.is_file() else None


def correct(
    folder: Path, out: Path, toolkit: Toolkit, *, reason: str = "", date: dt.date | None = None, write: bool = True
) -> Correction:
    """Compare a report with its published version; with changes, keep the old files, write the notice.

    The corrected report itself is then written by the site build (its page links the notice).
    """
    report_formats = [f for f in WRITERS if f != "odt"]
    built = build_report(folder, toolkit, ["md"])
    if built.errors or built.document is None:
        raise ReportError(
            built.errors[0].location if built.errors else Location(display_path(folder)),
            "报告有错误，请先改正（运行 check 查看）",
        )
    manifest = built.report.manifest
    target = out / built.report.slug / str(manifest.year)
    old = published_document(target)
    if old is None:
        raise ReportError(
            Location(display_path(target / DOCUMENT_FILE)),
            "没有已公开版本的文档数据，无法比较：请用本工具生成并公开报告后再更正（旧版本工具生成的报告没有这个文件）",
        )
    labels = toolkit.composer.words(manifest)
    changes = tuple(compare(old, built.document, labels("document.sentence_end")))
    if not changes:
        return Correction(())
    last = manifest.corrections[-1] if manifest.corrections else None
    date = date or (last.date if last else None)
    reason = reason or (last.reason if last else "")
    if date is None or not reason:
        raise ReportError(
            manifest.at("corrections", "更正"),
            "报告与已公开的版本不同，需要更正说明：请在 report.yaml 的“更正”中写明日期和原因"
            "（例如 “更正: [{日期: 2025-10-15, 原因: …}]”），或用 --date 和 --reason 给出",
        )
    recorded = any(c.date == date for c in manifest.corrections)
    if not write:
        return Correction(changes, date, reason, recorded=recorded)
    formats = [f for f in report_formats if f in NOTICE_FORMATS and WRITERS[f].present(target)] or ["html", "md"]
    written = _keep_superseded(target, old)
    theme = toolkit.theme(manifest)
    notice = notice_document(old, manifest, changes, date, reason, labels)
    names = {f: notice_name(date.isoformat(), WRITERS[f].file.rsplit(".", 1)[1]) for f in formats}
    for format_ in formats:
        writer = WRITERS[format_]
        if writer.links:
            data = writer.load()(notice, theme, links=[(f, names[f]) for f in formats if f != format_])
        else:
            data = writer.load()(notice, theme)
        assert isinstance(data, bytes)
        if write_atomic(target / names[format_], data):
            written.append(display_path(target / names[format_]))
    return Correction(changes, date, reason, tuple(written), recorded)


def _keep_superseded(target: Path, old: Document) -> list[str]:
    """Copy the published files under the date of the version they are (kept once; links between them follow)."""
    version = old.meta.get("corrected") or old.meta.get("date") or "original"
    names = [p.name for p in sorted(target.iterdir()) if p.is_file() and p.name.startswith(("report.", "document."))]
    renamed = {name: superseded_name(name, version) for name in names}
    written = []
    for name, kept in renamed.items():
        if (target / kept).exists():
            continue
        data = (target / name).read_bytes()
        if name.endswith(".html"):  # the old page's downloads link the old files, not the corrected ones
            text = data.decode("utf-8")
            for other, other_kept in renamed.items():
                text = text.replace(f'href="{other}"', f'href="{other_kept}"')
            data = text.encode("utf-8")
        write_atomic(target / kept, data)
        written.append(display_path(target / kept))
    return written
