"""A figure against a base, and a part of a whole: the two shapes every derived number takes.

Both are computed when they are made (exact Decimals, nothing rounded except to decide a
direction word: a change that prints as 0.00 is 持平), so the templates and the checks read
plain values and nothing is computed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..amounts import ZERO, quantize, ratio


# The kinds of derived number a narrative prints. Each is an exact Decimal that says what it is,
# so that the open data can list every derived figure of the text with its kind.
class Share(Decimal):
    """A part's share of its whole, in % (“占 x%”)."""


class Growth(Decimal):
    """A change relative to its base, in % (“增长/下降 x%”)."""


class Completion(Decimal):
    """A figure against its budget, in % (“完成预算的 x%”, 执行率)."""


class Change(Decimal):
    """The difference between a figure and its base, in the money unit (“增加/减少 x万元”)."""


def share(part: Decimal, whole: Decimal) -> Share | None:
    """part / whole × 100 as a Share, or None (不可比) when the whole is 0."""
    value = ratio(part, whole)
    return None if value is None else Share(value)


def _as(kind: type[Decimal], value: Decimal | None) -> Decimal | None:
    return None if value is None else kind(value)


@dataclass(frozen=True)
class Compare:
    """A current figure against a base (last year or budget): difference and both ratios.

    `growth` is Δ / base × 100 (增长/下降); `ratio` is current / base × 100 (完成预算的 %).
    Both are None when the base is 0: the rate is 不可比, never 0% or 100%.
    """

    current: Decimal
    base: Decimal
    places: int = 2
    delta: Decimal = field(init=False, compare=False)
    sign: int = field(init=False, compare=False)  # +1, -1 or 0 by the difference as printed
    magnitude: Decimal = field(init=False, compare=False)  # for “增加/减少 {magnitude}”
    growth: Decimal | None = field(init=False, compare=False)
    growth_magnitude: Decimal | None = field(init=False, compare=False)  # for “增长/下降 {growth_magnitude}%”
    ratio: Decimal | None = field(init=False, compare=False)
    comparable: bool = field(init=False, compare=False)
    both_zero: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        delta = self.current - self.base
        printed = quantize(delta, self.places)
        # A base that prints as 0.00 is 0 to the reader: a rate against 0.000001 would print as
        # 71389000000.00% beside a table showing a budget of 0.00.
        base = self.base if quantize(self.base, self.places) != 0 else ZERO
        growth = ratio(delta, base)
        values = {
            "delta": Change(delta),
            "sign": (printed > 0) - (printed < 0),
            "magnitude": Change(abs(delta)),
            "growth": _as(Growth, growth),
            "growth_magnitude": None if growth is None else Growth(abs(growth)),
            "ratio": _as(Completion, ratio(self.current, base)),
            "comparable": base != 0,
            "both_zero": self.current == 0 and self.base == 0,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)


def compare(current: Decimal, base: Decimal | None, places: int = 2) -> Compare | None:
    """Compare a figure with its base, or None when there is no base to compare with."""
    return None if base is None else Compare(current, base, places)


@dataclass(frozen=True)
class Part:
    """A named part of a whole with its share of the whole (None when the whole is 0)."""

    name: str
    amount: Decimal
    share: Decimal | None
    code: str = ""
    key: str = ""


def parts(items: Iterable[tuple[str, Decimal]], whole: Decimal, keep_zero: bool = False) -> tuple[Part, ...]:
    """Return each (name, amount) with its share of `whole`, dropping zero items unless asked."""
    return tuple(Part(name, amount, share(amount, whole)) for name, amount in items if keep_zero or amount != 0)


def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of amounts (0 for none)."""
    return sum(values, ZERO)
