"""Build reports into out/: one folder per department and year, written atomically.

A report with a shape error or a rule error is not built, and its previous output stays in
place untouched; the others build regardless.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import assemble
from .compose import Composer
from .content import read_report
from .errors import Finding, ReportError, display_path
from .output import write_atomic
from .pipeline import check_report
from .writers.html import theme_folder, write_html
from .writers.markdown import write_markdown

FORMATS = ("html", "md")


@dataclass(frozen=True)
class Outcome:
    """What happened to one report: built, unchanged or failed, and what the user must read."""

    folder: str
    status: str  # built | unchanged | failed
    written: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()  # rendered errors (failed) or warnings (built)
    warnings: int = 0
    errors: int = 0

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def output_folder(out: Path, slug: str, year: int) -> Path:
    return out / slug / str(year)


@dataclass
class Builder:
    """Builds single reports; holds what is shared between them (the Jinja environments)."""

    out: Path
    formats: Sequence[str] = FORMATS
    composer: Composer = field(default_factory=Composer)
    with_source: bool = True

    def build(self, folder: Path) -> Outcome:
        shown = display_path(folder)
        try:
            report = read_report(folder)
            checked = check_report(report)
            if checked.errors:
                return Outcome(shown, "failed", messages=tuple(self._render(checked.errors)),
                               warnings=len(checked.warnings), errors=len(checked.errors))
            assembled = assemble(report, self.composer)
            theme = theme_folder(report.manifest.theme)
            files = {}
            if "md" in self.formats:
                files["report.md"] = write_markdown(assembled.document)
            if "html" in self.formats:
                files["report.html"] = write_html(assembled.document, theme)
        except ReportError as exc:
            return Outcome(shown, "failed", messages=(exc.render(self.with_source),), errors=1)
        target = output_folder(self.out, report.slug, report.manifest.year)
        written = tuple(display_path(target / name) for name, data in files.items() if write_atomic(target / name, data))
        return Outcome(shown, "built" if written else "unchanged", written, tuple(self._render(checked.warnings)),
                       warnings=len(checked.warnings))

    def _render(self, findings: Iterable[Finding]) -> list[str]:
        return [f.render(self.with_source) for f in findings]
