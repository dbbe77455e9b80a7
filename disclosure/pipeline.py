"""The whole line for one report, stage by stage: read → derive → check → compose → document → write.

Each stage is a function of what the one before returned, and nothing downstream recomputes
what an earlier stage produced. To follow one figure from its YAML line to a DOCX cell, read
`build_report` and then one function per stage: `read` (read/folder.py), `derive`
(compute/__init__.py), `check` (check/__init__.py), `compose` (compose/__init__.py),
`document` (document/__init__.py) and `write` (writers/__init__.py).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import model as m
from .errors import Finding, Severity
from .read import read
from .read.glossary import StandardGlossary, profile_glossary
from .resources import Project, Theme
from .writers import DEFAULT_FORMATS

# The stages are imported when a report goes through them: `check` starts without the stages after
# the checks (Jinja, markdown-it, the writers), a build that finds every report unchanged without any.
if TYPE_CHECKING:
    from .compose import Composed, Composer
    from .compute import Derived
    from .document import Document


def settle_collector() -> None:
    """Tune the cyclic garbage collector for a worker that builds or checks report after report.

    A report makes tens of thousands of short-lived objects and almost no cycles; with Python's
    defaults the collector walked the whole heap (the toolkit, the compiled templates, the
    measuring caches) every dozen reports, about an eighth of a report's time. What start-up made
    is set aside for good, and the youngest generation is collected every 10,000 objects instead
    of 700, so cycles are still collected.
    """
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@contextlib.contextmanager
def collector_paused() -> Iterator[Callable[[], None]]:
    """Pause the cyclic garbage collector while a build plans, and give the build a function to call
    once the plan is made.

    Reading the state of ten thousand reports and listing their folders makes a million objects and
    no cycles, and the collector walked them all again and again (a tenth of a no-op build's time).
    Once planned, what the plan holds is set aside (as a worker's start-up is, settle_collector) and
    the collector runs as usual; at the end it is handed back, so that a process that goes on (the
    tests, `serve`) keeps nothing out of the collector's reach.
    """
    enabled = gc.isenabled()
    planned = False

    def done() -> None:
        nonlocal planned
        if not planned:
            planned = True
            gc.freeze()
            if enabled:
                gc.enable()

    gc.disable()
    try:
        yield done
    finally:
        if planned:
            gc.unfreeze()
        elif enabled:
            gc.enable()


@dataclass
class Toolkit:
    """What the reports of one build share: the project's templates (compiled once) and themes."""

    project: Project = field(default_factory=Project)

    @cached_property
    def composer(self) -> Composer:
        from .compose import Composer

        return Composer(self.project)

    def glossary(self, manifest: m.Manifest) -> StandardGlossary:
        """The standard glossary of a report's profile, which the checks read (no template is compiled)."""
        return profile_glossary(self.project, self.project.profile_of(manifest))

    def theme(self, manifest: m.Manifest) -> Theme:
        """The theme report.yaml names, or a message at its line listing the themes there are."""
        return self.project.theme_of(manifest)


@dataclass(frozen=True)
class Built:
    """One report through the line: its findings and, when it has no errors, its document and files."""

    derived: Derived
    findings: tuple[Finding, ...]
    document: Document | None = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def report(self) -> m.Report:
        return self.derived.report

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


def checked(report: m.Report, toolkit: Toolkit | None = None) -> Built:
    """Derive and check a report already read (nothing composed)."""
    from .check import check
    from .compute import derive

    toolkit = toolkit or Toolkit()
    toolkit.theme(report.manifest)  # a theme that does not exist is a finding of `check` too
    derived = derive(report)
    return Built(derived, check(derived, toolkit.glossary(report.manifest)))


def check_report(folder: Path, toolkit: Toolkit | None = None) -> Built:
    """Read, derive and check a report folder (nothing composed); raises ReportError on a shape error."""
    return checked(read(folder), toolkit)


@dataclass(frozen=True)
class Rendered:
    """A report composed and built into a Document, without checks or files (for previews and tests)."""

    composed: Composed
    document: Document

    @property
    def markdown(self) -> str:
        return self.composed.markdown

    @property
    def report(self) -> m.Report:
        return self.composed.report


def render(report: m.Report, toolkit: Toolkit | None = None) -> Rendered:
    """Derive, compose and build the Document of a report already read; nothing is checked or written."""
    from .compose import compose
    from .compute import derive
    from .document import document

    toolkit = toolkit or Toolkit()
    composed = compose(derive(report), toolkit.composer)
    return Rendered(composed, document(composed))


def build_report(folder: Path, toolkit: Toolkit, formats: Sequence[str] = DEFAULT_FORMATS) -> Built:
    """Run the whole line for one report folder; the files are returned, not written.

    A report with an error finding stops after the checks; a shape error (a YAML slip, a missing
    field) raises ReportError from the stage that met it.
    """
    from .check import check
    from .compose import compose
    from .compute import derive
    from .document import document
    from .writers import write

    report = read(folder)
    theme = toolkit.theme(report.manifest)
    derived = derive(report)
    findings = check(derived, toolkit.glossary(report.manifest))
    if any(f.severity is Severity.ERROR for f in findings):
        return Built(derived, findings)
    composed = compose(derived, toolkit.composer)
    doc = document(composed)
    return Built(derived, findings, doc, write(doc, theme, formats))
