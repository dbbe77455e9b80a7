"""How the numbers of one report print: money unit, percent precision, zero display.

Every printed figure passes through these, rounded half-up once at the printed precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .. import model as m
from ..amounts import format_amount, format_percent, format_plain

BLANK_ZERO = "空白"  # the 零值显示 setting that leaves zero cells empty
YUAN = "元"  # amounts in 元 are printed with thousands separators


@dataclass(frozen=True)
class Formats:
    """The number settings of one report (report.yaml)."""

    unit: str = "万元"
    percent_places: int = 2
    zero_blank: bool = False
    grouping: bool | None = None  # thousands separators; None: only for amounts in 元

    def amount(self, value: Decimal) -> str:
        grouping = self.unit == YUAN if self.grouping is None else self.grouping
        return format_amount(value, 2, grouping=grouping)

    def cell(self, value: Decimal | None) -> str:
        """A table cell: an amount not given is zero; zero is blank when the report says so."""
        if value is None:
            value = Decimal(0)
        if value == 0 and self.zero_blank:
            return ""
        return self.amount(value)

    def percent(self, value: Decimal) -> str:
        return format_percent(value, self.percent_places)

    @staticmethod
    def score(value: Decimal) -> str:
        """A score or weight without trailing zeros: 10, 9.6, 8.63."""
        return format_plain(value, 2)

    @classmethod
    def of(cls, manifest: m.Manifest, wording: m.Wording | None = None) -> Formats:
        grouping = wording.grouping if wording is not None else None
        return cls(manifest.unit, manifest.percent_places, manifest.zero == BLANK_ZERO, grouping)
