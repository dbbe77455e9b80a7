"""The two shapes of a consistency rule: a stated total against its parts, two cells that must agree.

Sums of rounded parts may differ from a stated total by up to 0.005 per part: a warning, not an
error; anything beyond is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from ..amounts import ZERO, format_amount
from ..errors import Finding, Location, error, warning

HALF_CENT = Decimal("0.005")


def money(value: Decimal) -> str:
    return format_amount(value, 2)


def sum_rule(
    stated: Decimal, parts: Iterable[Decimal], loc: Location, what: str, rule: str, count: int | None = None
) -> Iterator[Finding]:
    """Compare a stated total with the sum of its parts, with the rounding tolerance."""
    values = list(parts)
    total = sum(values, ZERO)
    diff = stated - total
    if diff == 0:
        return
    n = count if count is not None else max(len(values), 1)
    text = f"{what}：填写的 {money(stated)} 与 {money(total)} 不符（相差 {money(abs(diff))}）"
    if abs(diff) <= HALF_CENT * n:
        yield warning(loc, text + "，在各项四舍五入的误差范围内，请确认取数口径一致", rule)
    else:
        yield error(loc, text, rule)


def equal_rule(stated: Decimal, other: Decimal, loc: Location, what: str, rule: str) -> Iterator[Finding]:
    """Two cells that must hold the same figure (cross-table identities)."""
    if stated != other:
        diff = abs(stated - other)
        text = f"{what}：{money(stated)} 与 {money(other)} 不一致（相差 {money(diff)}）"
        yield (warning if diff <= HALF_CENT else error)(loc, text, rule)
