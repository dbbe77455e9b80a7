"""The straight pipeline of one report: read, check, compose, write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import model as m
from .appraisal import evaluation_rules
from .checks import check, ordered
from .content import read_report
from .errors import Finding, Severity


@dataclass(frozen=True)
class Checked:
    """A report and every finding on it."""

    report: m.Report
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


def check_report(report: m.Report) -> Checked:
    """Run every rule (决算 tables and notes, self-evaluations) on a parsed report."""
    return Checked(report, tuple(ordered([*check(report), *evaluation_rules(report)])))


def load_and_check(folder: Path) -> Checked:
    """Read a report folder and check it; raises ReportError on a shape error."""
    return check_report(read_report(folder))
