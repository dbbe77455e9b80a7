"""Stage 3, check: Derived → findings, every rule of the domain spec (§3.11, §6, §8.5) with its severity.

rules.py holds the two shapes of a rule (a total against its parts, two cells that must agree);
tables.py the identities of the nine tables; notes.py the notes against the tables and last
year's report; evaluations.py the self-evaluation tables; texts.py the report-wide rules. All
findings are collected and returned together, errors first.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..compute import Derived
from ..errors import Finding, Severity
from ..read.drafts import held_back
from ..read.glossary import StandardGlossary
from .dominance import dominance
from .evaluations import evaluation_rules
from .notes import notes
from .quoted import note_shares
from .tables import class_table, cross_tables, missing_tables, table_01, table_04, table_06, table_07, three_costs_against_06
from .texts import dates, glossary_rules, overview_rules, texts

__all__ = ["check", "ordered"]


def check(derived: Derived, standard: StandardGlossary | None = None) -> tuple[Finding, ...]:
    """Run every rule on a derived report; `standard` is the profile's glossary, for copied definitions."""
    report = derived.report
    findings: list[Finding] = []
    findings += report.notices  # what reading met: a file in another encoding
    findings += dates(report.manifest)
    findings += overview_rules(report)
    t = report.tables
    if t is not None:
        year = report.manifest.year
        for table in (t.t02, t.t03, t.t05, t.t08, t.t09):
            if table is not None:
                findings += class_table(table, year, report.function_names())
        if t.t01:
            findings += table_01(t.t01, year)
        if t.t04:
            findings += table_04(t.t04)
        if t.t06:
            findings += table_06(t.t06)
        if t.t07:
            three = report.notes.three_costs if report.notes else None
            findings += table_07(t.t07, three.prior if three else None)
        findings += cross_tables(t)
        findings += missing_tables(t, year)
        findings += t.notices
        findings += three_costs_against_06(t)
        findings += dominance(report)
        if report.notes is not None and derived.figures is not None:
            findings += notes(derived)
            findings += note_shares(derived)
    findings += texts(report)
    findings += glossary_rules(report, standard)
    findings += evaluation_rules(derived)
    # What a draft from `build.py new` still marks as to do, and the checks of it held back till then.
    findings = held_back(findings, report.marked) + list(report.marks)
    return tuple(ordered(findings))


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Drop repeated findings and sort them: errors first, then by file and line."""
    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=lambda x: (x.severity is not Severity.ERROR, x.sort_key()))
