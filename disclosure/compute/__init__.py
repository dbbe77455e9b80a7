"""Stage 2, compute: Report → Derived, every figure and score of a report, computed once.

compare.py holds the two shapes of a derived number (a figure against a base, a part of a whole);
figures.py derives the 决算 figures; scoring.py settles the self-evaluation scores. `derive`
runs them once per report, last year's figures included, and returns one frozen object that
the checks, the templates and the tables all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import model as m
from .compare import Compare, Part
from .figures import Figures, ItemLine, ThreeItem, class_path, compute, in_unit
from .scoring import Scored, Summary, rules_of, score, summarize

__all__ = [
    "Compare",
    "Derived",
    "Figures",
    "ItemLine",
    "Part",
    "Scored",
    "Summary",
    "ThreeItem",
    "class_path",
    "derive",
    "in_unit",
]


@dataclass(frozen=True)
class Derived:
    """A report with everything derived from it: its figures, last year's, the settled scores."""

    report: m.Report
    figures: Figures | None  # None for a document without tables (a standalone 绩效自评)
    prior: Figures | None  # last year's figures, in last year's unit, when its folder was read
    rules: m.ScoringRules
    scored: tuple[Scored, ...]
    performance: Summary


THREE_COSTS_KIND = "三公经费"  # a separate 三公经费 statement: its figures come from 07表 alone


def _figures(report: m.Report, prior: Figures | None = None) -> Figures | None:
    tables = report.tables
    if tables is None:
        return None
    if (tables.t01 is None or tables.t04 is None) and report.manifest.kind != THREE_COSTS_KIND:
        return None
    return compute(report, prior)


def derive(report: m.Report) -> Derived:
    """Compute every figure and score of a report once (last year's figures first)."""
    prior = _figures(report.prior) if report.prior is not None else None
    figures = _figures(report, prior)
    rules = rules_of(report.manifest)
    scored = tuple(score(e, rules) for e in report.evaluations)
    # The share of the evaluated projects is of the year's 项目支出 (03表), or of the 项目资金总额
    # stated in report.yaml for a standalone 绩效自评 document.
    t03 = report.tables.t03 if report.tables else None
    if t03 is not None and t03.total is not None:
        base = t03.total.value("project")
    else:
        base = report.manifest.project_total or Decimal(0)
    return Derived(report, figures, prior, rules, scored, summarize(scored, base))
