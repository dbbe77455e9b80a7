"""Unit tests of exact numbers: reading typed text, half-up rounding, printing, ratios."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclosure.amounts import (
    NumberError,
    format_amount,
    format_percent,
    format_plain,
    normalize,
    parse_decimal,
    quantize,
    ratio,
    same_at,
)

D = Decimal


# ---------------------------------------------------------------------------- parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", D("0")),
        ("123", D("123")),
        ("702.36", D("702.36")),
        ("0.35", D("0.35")),
        ("  28.50  ", D("28.50")),
        ("100.000001", D("100.000001")),  # six places is the limit, still accepted
    ],
)
def test_plain_numbers_are_read_exactly(text: str, expected: Decimal) -> None:
    value = parse_decimal(text)
    assert isinstance(value, Decimal)
    assert value == expected
    # The typed precision is kept: 28.50 has two places, not one.
    assert value.as_tuple().exponent == expected.as_tuple().exponent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", D("1234.50")),
        ("1,234", D("1234")),
        ("12,345,678.90", D("12345678.90")),
        ("-1,234.5", D("-1234.5")),
    ],
)
def test_correctly_grouped_thousands_are_accepted(text: str, expected: Decimal) -> None:
    assert parse_decimal(text, negative=True) == expected


@pytest.mark.parametrize("text", ["1,00.00", "12,34", "1234,567", ",123", "1,2345", "1,234,56", "123,"])
def test_misplaced_commas_are_rejected(text: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_decimal(text)
    assert str(caught.value) == f"数值“{text}”中的逗号位置不对：千分位逗号应每三位一个，或者干脆不写逗号"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２３", D("123")),
        ("１２３．４５", D("123.45")),
        ("１，２３４．５０", D("1234.50")),
        ("　１００　", D("100")),  # full-width spaces around it are stripped too
    ],
)
def test_full_width_digits_are_accepted(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


def test_full_width_minus_is_a_minus() -> None:
    assert parse_decimal("－５", negative=True) == D("-5")
    with pytest.raises(NumberError, match="不能为负数"):
        parse_decimal("－５")


@pytest.mark.parametrize("text", ["96万", "96.5万元", "3000元", "1亿", "100.00万元"])
def test_numbers_with_a_unit_are_rejected(text: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_decimal(text, unit="金额")
    assert str(caught.value) == (f"数值“{text}”带了单位：金额单位在 report.yaml 的“金额单位”中统一设定，这里只填数字")


def test_percent_is_rejected_naming_the_field() -> None:
    with pytest.raises(NumberError) as caught:
        parse_decimal("100%", unit="金额")
    assert str(caught.value) == "这里应填金额，不能填百分比“100%”"
    with pytest.raises(NumberError) as caught:
        parse_decimal("97.5%")
    assert str(caught.value) == "这里应填数值，不能填百分比“97.5%”"
    # The message quotes what the user typed, not the normalized text.
    with pytest.raises(NumberError) as caught:
        parse_decimal("１００％", unit="金额")
    assert str(caught.value) == "这里应填金额，不能填百分比“１００％”"


def test_too_many_decimals() -> None:
    with pytest.raises(NumberError) as caught:
        parse_decimal("1.1234567")
    assert str(caught.value) == "数值“1.1234567”的小数位过多（最多 6 位）"
    with pytest.raises(NumberError) as caught:
        parse_decimal("9.625", max_places=2)
    assert str(caught.value) == "数值“9.625”的小数位过多（最多 2 位）"
    assert parse_decimal("9.62", max_places=2) == D("9.62")


def test_negatives_only_where_allowed() -> None:
    with pytest.raises(NumberError) as caught:
        parse_decimal("-1")
    assert str(caught.value) == "数值“-1”不能为负数"
    assert parse_decimal("-1", negative=True) == D("-1")
    assert parse_decimal("-0.50", negative=True) == D("-0.50")
    # A negative zero is zero, not a negative amount.
    assert parse_decimal("-0") == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "缺少数值"),
        ("   ", "缺少数值"),
        ("abc", "“abc”不是数值"),
        # Decimal() itself would accept these; a finance table must not.
        ("1e3", "“1e3”不是数值"),
        ("NaN", "“NaN”不是数值"),
        ("Infinity", "“Infinity”不是数值"),
        (".inf", "“.inf”不是数值"),
        ("0x10", "“0x10”不是数值"),
        ("1_000", "“1_000”不是数值"),
        ("¥100", "“¥100”不是数值"),
        ("1 000", "数值“1 000”的数字之间有空格：请去掉空格"),
        ("1\u3000000", "数值“1\u3000000”的数字之间有空格：请去掉空格"),
        # Digits Python's Decimal and int() read, and a finance officer would not mean.
        ("٥٠٤٠٢", "“٥٠٤٠٢”中的“٥”不是 0–9 的数字（例如阿拉伯-印度数字）：请改用 0–9 书写"),
        ("1000000000000000", "数值“1000000000000000”过大（整数部分最多 15 位）"),
        (".5", "数值“.5”请写成 0.5 的形式"),
        ("100。00", "数值“100。00”中的“。”是句号，小数点应为“.”"),
    ],
)
def test_other_bad_texts(text: str, message: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_decimal(text)
    assert str(caught.value) == message


def test_normalize_maps_full_width_one_to_one() -> None:
    assert normalize("　－１，２３４．５６％　") == "-1,234.56%"


# ---------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("0.125", 2, "0.13"),
        ("2.675", 2, "2.68"),  # float: round(2.675, 2) == 2.67
        ("1.005", 2, "1.01"),  # float: round(1.005, 2) == 1.0
        ("0.124999", 2, "0.12"),
        ("2.5", 0, "3"),  # banker's rounding would give 2
        ("3.5", 0, "4"),
        ("0.5", 0, "1"),
        ("-0.125", 2, "-0.13"),  # 四舍五入 rounds the magnitude
        ("-2.5", 0, "-3"),
        ("97.015", 2, "97.02"),
        ("7", 2, "7.00"),
    ],
)
def test_quantize_is_half_up(value: str, places: int, expected: str) -> None:
    result = quantize(D(value), places)
    assert str(result) == expected


def test_float_would_get_these_wrong() -> None:
    # The reason for Decimal: the binary float closest to 2.675 lies below it.
    assert round(2.675, 2) == 2.67
    assert quantize(D("2.675"), 2) == D("2.68")


def test_same_at_compares_printed_values() -> None:
    assert same_at(D("1.004"), D("0.995"), 2)  # both print 1.00
    assert not same_at(D("1.005"), D("1.004"), 2)  # 1.01 against 1.00


# ---------------------------------------------------------------------------- printing


@pytest.mark.parametrize(
    ("value", "places", "grouping", "expected"),
    [
        ("1234.5", 2, False, "1234.50"),
        ("1234.5", 2, True, "1,234.50"),
        ("1234567.891", 2, True, "1,234,567.89"),
        ("0.125", 2, False, "0.13"),
        ("2.675", 2, False, "2.68"),
        ("0", 2, False, "0.00"),
        ("-0.001", 2, False, "0.00"),
        ("-0.004", 2, True, "0.00"),
        ("-0.005", 2, False, "-0.01"),
        ("-1234.5", 2, True, "-1,234.50"),
        ("5", 0, False, "5"),
        ("791.35", 4, False, "791.3500"),
    ],
)
def test_format_amount(value: str, places: int, grouping: bool, expected: str) -> None:
    assert format_amount(D(value), places, grouping) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("12.345", 2, "12.35%"),
        ("97.015", 2, "97.02%"),
        ("100", 2, "100.00%"),
        ("12.5", 0, "13%"),
        ("-0.004", 2, "0.00%"),
        ("-3.456", 1, "-3.5%"),
        ("33.333333", 2, "33.33%"),
    ],
)
def test_format_percent(value: str, places: int, expected: str) -> None:
    assert format_percent(D(value), places) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("10", 2, "10"),
        ("10.00", 2, "10"),
        ("9.60", 2, "9.6"),
        ("8.625", 2, "8.63"),
        ("100", 2, "100"),
        ("100", 0, "100"),
        ("0", 2, "0"),
        ("-0.001", 2, "0"),
        ("-0.4", 0, "0"),
        ("0.005", 2, "0.01"),
        ("9.995", 2, "10"),
    ],
)
def test_format_plain(value: str, places: int, expected: str) -> None:
    assert format_plain(D(value), places) == expected


# ---------------------------------------------------------------------------- ratios


def test_ratio_is_percent_and_unrounded() -> None:
    assert ratio(D("50"), D("200")) == D("25")
    assert ratio(D("-1"), D("4")) == D("-25")
    third = ratio(D("1"), D("3"))
    assert third is not None
    assert format_percent(third, 2) == "33.33%"
    assert third != quantize(third, 2)  # not rounded before printing


@pytest.mark.parametrize("base", [D("0"), D("0.00"), D("-0")])
@pytest.mark.parametrize("part", [D("0"), D("1"), D("-5.5")])
def test_ratio_with_zero_base_is_not_comparable(part: Decimal, base: Decimal) -> None:
    assert ratio(part, base) is None
