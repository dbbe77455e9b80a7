"""Exact numbers: Decimal from the raw text, half-up rounding once, and their printed forms."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Full-width digits and signs typed with a Chinese input method map one-to-one onto ASCII,
# so they are accepted deliberately (documented in docs/格式说明.md).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


class NumberError(ValueError):
    """Raised with a Chinese message saying why a text is not an acceptable number."""


def normalize(text: str) -> str:
    """Map full-width digits, signs and separators to ASCII and strip spaces."""
    return text.translate(_FULLWIDTH).strip()


def parse_decimal(text: str, *, unit: str = "", max_places: int = 6, negative: bool = False) -> Decimal:
    """Read a number from the text exactly as typed; `unit` names the field's unit for hints."""
    raw = normalize(text)
    if raw == "":
        raise NumberError("缺少数值")
    if raw.endswith("%"):
        raise NumberError(f"这里应填{unit or '数值'}，不能填百分比“{text}”")
    if re.search(r"[万亿千百元]", raw) and re.match(r"^-?[\d.,]+", raw):
        raise NumberError(f"数值“{text}”带了单位：金额单位在 report.yaml 的“金额单位”中统一设定，这里只填数字")
    if _GROUPED.match(raw):
        raw = raw.replace(",", "")  # 1,234.50: a correctly grouped thousands separator is accepted.
    elif "," in raw:
        raise NumberError(f"数值“{text}”中的逗号位置不对：千分位逗号应每三位一个，或者干脆不写逗号")
    if not _PLAIN.match(raw):
        if re.fullmatch(r"-?\d+。\d+", raw):
            # The Chinese full stop typed for a decimal point: never guess, say so.
            raise NumberError(f"数值“{text}”中的“。”是句号，小数点应为“.”")
        if re.match(r"^[+]?\.\d+$", raw):
            raise NumberError(f"数值“{text}”请写成 0{raw.lstrip('+')} 的形式")
        raise NumberError(f"“{text}”不是数值")
    value = Decimal(raw)
    if value < 0 and not negative:
        raise NumberError(f"数值“{text}”不能为负数")
    places = -value.as_tuple().exponent  # type: ignore[operator]
    if places > max_places:
        raise NumberError(f"数值“{text}”的小数位过多（最多 {max_places} 位）")
    return value


def quantize(value: Decimal, places: int) -> Decimal:
    """Round half-up (四舍五入) to a number of decimal places; never banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio(part: Decimal, base: Decimal) -> Decimal | None:
    """Return part / base × 100 unrounded, or None (不可比) when the base is zero."""
    if base == 0:
        return None
    try:
        return part * HUNDRED / base
    except InvalidOperation:  # pragma: no cover - Decimal division of finite values is exact enough
        return None


@lru_cache(maxsize=8192)
def format_amount(value: Decimal, places: int = 2, grouping: bool = False) -> str:
    """Print an amount at fixed precision, half-up, optionally with thousands separators."""
    rounded = quantize(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.00"
    return f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"


def format_percent(value: Decimal, places: int) -> str:
    """Print a percentage (already × 100) at the document's precision, half-up, with “%”."""
    rounded = quantize(value, places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:.{places}f}%"


def format_plain(value: Decimal, places: int = 2) -> str:
    """Print a score or count without trailing zeros after half-up rounding: 10, 9.6, 8.63."""
    rounded = quantize(value, places)
    text = f"{rounded:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def same_at(a: Decimal, b: Decimal, places: int) -> bool:
    """Tell whether two values print the same at a precision."""
    return quantize(a, places) == quantize(b, places)
