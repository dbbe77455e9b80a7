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
_PLAIN = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_PLAIN_FULL = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # for fullmatch: no space, no full-width form to normalize
_GROUPED = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
# Plausible bounds: a department's amounts stay far below 10**15 (in 元 as in 万元), and within them
# every sum, difference and ratio is exact in Decimal's 28 digits.
MAX_DIGITS = 15


class NumberError(ValueError):
    """Raised with a Chinese message saying why a text is not an acceptable number."""


def normalize(text: str) -> str:
    """Map full-width digits, signs and separators to ASCII and strip spaces."""
    return text.translate(_FULLWIDTH).strip()


def foreign_digit(text: str) -> str:
    """The first digit of a text that is not 0–9 nor a full-width digit (٥, ۵, ५ …), or ""."""
    if text.isascii():  # the common case: the only ASCII digits are 0–9
        return ""
    for char in text:
        if char.isdigit() and not ("0" <= char <= "9" or "０" <= char <= "９"):
            return char
    return ""


def foreign_digit_message(text: str, char: str) -> str:
    """Say that a number is written with digits the tool does not read."""
    return f"“{text}”中的“{char}”不是 0–9 的数字（例如阿拉伯-印度数字）：请改用 0–9 书写"


def parse_decimal(
    text: str, *, unit: str = "", max_places: int = 6, negative: bool = False, max_digits: int = MAX_DIGITS
) -> Decimal:
    """Read a number from the text exactly as typed; `unit` names the field's unit for hints."""
    if _PLAIN_FULL.fullmatch(text):  # the common case, which the checks below all let through as it is
        return _bounded(text, text, max_places, negative, max_digits)
    raw = normalize(text)
    if raw == "":
        raise NumberError("缺少数值")
    char = foreign_digit(raw)
    if char:
        raise NumberError(foreign_digit_message(text, char))
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
        if re.fullmatch(r"-?[0-9]+([\s\u00a0\u2009\u202f\u3000]+[0-9]+)+(\.[0-9]+)?", raw):
            raise NumberError(f"数值“{text}”的数字之间有空格：请去掉空格")
        raise NumberError(f"“{text}”不是数值")
    return _bounded(raw, text, max_places, negative, max_digits)


def _bounded(raw: str, text: str, max_places: int, negative: bool, max_digits: int) -> Decimal:
    """The number a plain decimal text `raw` writes, within its bounds; `text` is what was typed, for messages."""
    value = Decimal(raw)
    if value.adjusted() >= max_digits:
        raise NumberError(f"数值“{text}”过大（整数部分最多 {max_digits} 位）")
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
