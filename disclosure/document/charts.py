"""The charts a template places (`island chart <source>`), built from the derived figures.

A source names what a chart shows: `totals` and `fiscal` compare this year's 收、支总计 (or 财政拨款
收、支总计) with last year's as bars, `income`, `expenditure` and `general_classes` show a structure
as a pie. The figures are the ones the compute stage derived (amounts and shares, exact), printed
by the report's Formats; nothing is computed here. Every word comes from the `charts.*` labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from .. import model as m
from ..compose import Composed
from ..compute import Compare, Part
from .blocks import Chart, Series
from .table import Table, label, num, th

BAR, PIE = "bar", "pie"


class ChartBuilder:
    """Builds the charts of one composed report, numbered in the order the template places them."""

    def __init__(self, composed: Composed):
        self.composed = composed
        self.words = composed.labels
        self.fmt = composed.fmt
        self.count = 0
        self.sources: dict[str, Callable[[], Chart | None]] = {
            "totals": lambda: self._change("totals", self._figures().totals, self._figures().grand_total),
            "fiscal": lambda: self._change("fiscal", self._figures().fiscal, self._figures().fiscal_total),
            "income": lambda: self._pie("income", self._income()),
            "expenditure": lambda: self._pie("expenditure", self._figures().expenditure_parts),
            "general_classes": lambda: self._pie("general_classes", self._figures().general_classes),
        }

    def _figures(self):
        figures = self.composed.derived.figures
        assert figures is not None
        return figures

    def _income(self) -> tuple[Part, ...]:
        figures = self._figures()
        if self.composed.wording.fiscal_income == m.FISCAL_COMBINED:  # the one 财政拨款收入 line the text prints
            return tuple(p for p in figures.income_lines_combined if p.amount)
        return figures.income_parts

    def build(self, source: str) -> Chart | None:
        """The chart of a source, or None when the report has no figures for it (nothing to draw)."""
        make = self.sources.get(source)
        if make is None:
            raise KeyError(source)
        if self.composed.derived.figures is None:
            return None
        return make()

    # ------------------------------------------------------------ the two shapes
    def _next(self, source: str) -> tuple[str, str, str]:
        self.count += 1
        number = self.words("charts.number", n=str(self.count))
        title = self.words(f"charts.{source}")
        return f"chart{self.count}", number, title

    def _change(self, source: str, change: Compare | None, current: Decimal) -> Chart | None:
        """Bars of last year and this year (this year alone without a prior figure), income beside spending."""
        manifest = self.composed.report.manifest
        years = [str(manifest.year)]
        values = [current]
        if change is not None:
            years.insert(0, str(manifest.year - 1))
            values.insert(0, change.base)
        if not any(values):
            return None
        categories = tuple(self.words("charts.year", year=y) for y in years)
        # Income and spending totals are equal by the balance identity (收入总计 = 支出总计): both bars show it.
        series = tuple(
            Series(self.words(f"charts.{source}_{side}"), tuple(values), tuple(self.fmt.amount(v) for v in values))
            for side in ("income", "spending")
        )
        key, number, title = self._next(source)
        items = [
            self.words("charts.bar_item", category=category, name=s.name, amount=s.texts[i], unit=self.fmt.unit)
            for i, category in enumerate(categories)
            for s in series
        ]
        head = [
            th(self.words("charts.item")),
            *(th(self.words("charts.amount_of", name=s.name, unit=self.fmt.unit)) for s in series),
        ]
        body = [[label(category), *(num(s.texts[i], value=s.values[i]) for s in series)] for i, category in enumerate(categories)]
        caption = self.words("charts.caption", number=number, title=title)
        table = self._table(key, caption, [4, *([3] * len(series))], head, body)
        description = self.words("charts.describe_bar", items=self.words("charts.separator").join(items))
        return Chart(key, number, title, BAR, categories, series, self.fmt.unit, caption, description, table)

    def _pie(self, source: str, parts: Sequence[Part]) -> Chart | None:
        """Slices of a whole, each with its amount and share as the text prints them."""
        shown = [p for p in parts if p.amount and p.share is not None]
        if not shown:
            return None
        key, number, title = self._next(source)
        names = tuple(p.name for p in shown)
        texts = tuple(self.fmt.amount(p.amount) for p in shown)
        shares = tuple(self.fmt.percent(p.share) for p in shown if p.share is not None)
        series = (Series(title, tuple(p.amount for p in shown), texts),)
        unit = self.fmt.unit
        legend = tuple(
            self.words("charts.legend", name=n, amount=a, unit=unit, share=s)
            for n, a, s in zip(names, texts, shares, strict=True)
        )
        items = [
            self.words("charts.pie_item", name=n, amount=a, unit=unit, share=s)
            for n, a, s in zip(names, texts, shares, strict=True)
        ]
        head = [th(self.words("charts.item")), th(self.words("charts.amount", unit=unit)), th(self.words("charts.share"))]
        body = [[label(n), num(a, value=p.amount), num(s)] for n, a, s, p in zip(names, texts, shares, shown, strict=True)]
        caption = self.words("charts.caption", number=number, title=title)
        table = self._table(key, caption, [6, 3, 2], head, body)
        description = self.words("charts.describe_pie", items=self.words("charts.separator").join(items))
        return Chart(key, number, title, PIE, names, series, unit, caption, description, table, shares, legend)

    def _table(self, key: str, caption: str, widths: list[int], head: list, body: list) -> Table:
        return Table(
            key=f"{key}-data",
            number="",
            title=caption,
            org="",
            unit="",
            widths=tuple(widths),
            head=(tuple(head),),
            body=tuple(tuple(row) for row in body),
        )
