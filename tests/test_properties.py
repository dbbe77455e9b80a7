"""Property tests of the arithmetic: exact Decimals, half-up rounding, 不可比 for a zero base."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from disclosure import model as m
from disclosure.amounts import format_amount, format_percent, format_plain, parse_decimal, quantize, ratio
from disclosure.check.rules import sum_rule
from disclosure.compute import derive
from disclosure.compute.figures import Compare
from disclosure.compute.scoring import rules_of, score
from disclosure.errors import Location, Severity
from disclosure.read.fields import Amount, Field, Record
from disclosure.read.folder import read_report
from disclosure.read.format import MANIFEST
from disclosure.read.source import parse_yaml

EXAMPLE = Path("content/linjiang-yibaoju/2024")
HERE = Location("test.yaml", 1, 1)

# Amounts as a finance officer types them: whole cents, up to about a hundred billion.
cents = st.integers(min_value=-(10**13), max_value=10**13)


def exact(units: int, scale: int) -> Decimal:
    """The number units × 10^-scale, built without any float."""
    return Decimal(units).scaleb(-scale)


@st.composite
def decimals(draw, max_scale: int = 6) -> Decimal:
    """Signed Decimals of up to 14 digits and `max_scale` places, in plain notation."""
    units = draw(st.integers(min_value=-(10**14), max_value=10**14))
    return exact(units, draw(st.integers(min_value=0, max_value=max_scale)))


# ---------------------------------------------------------------------------- totals


@given(st.lists(cents, max_size=30), st.randoms(use_true_random=False))
def test_totals_do_not_depend_on_order(parts: list[int], rng) -> None:
    amounts = [exact(c, 2) for c in parts]
    shuffled = amounts[:]
    rng.shuffle(shuffled)
    oracle = exact(sum(parts), 2)  # integer arithmetic on cents
    assert sum(shuffled, Decimal(0)) == sum(amounts, Decimal(0)) == oracle
    # The rule that checks a stated total sees no difference either: exact sum → no finding.
    assert list(sum_rule(oracle, shuffled, HERE, "合计", "R")) == []
    assert list(sum_rule(oracle, amounts, HERE, "合计", "R")) == []


@given(st.lists(cents, min_size=1, max_size=30), st.integers(min_value=1, max_value=10**6), st.randoms(use_true_random=False))
def test_a_wrong_total_is_found_whatever_the_order(parts: list[int], off: int, rng) -> None:
    amounts = [exact(c, 2) for c in parts]
    stated = exact(sum(parts) + off, 2)
    shuffled = amounts[:]
    rng.shuffle(shuffled)
    first = list(sum_rule(stated, amounts, HERE, "合计", "R"))
    second = list(sum_rule(stated, shuffled, HERE, "合计", "R"))
    assert first == second
    assert len(first) == 1
    # Off by at most half a cent per part is a rounding warning; beyond that an error.
    tolerated = Decimal(off) / 100 <= Decimal("0.005") * len(parts)
    assert first[0].severity is (Severity.WARNING if tolerated else Severity.ERROR)


# ---------------------------------------------------------------------------- rounding


def half_up_oracle(units: int, scale: int, places: int) -> Decimal:
    """Round units × 10^-scale half-up to `places` with integers only (四舍五入 on the magnitude)."""
    if scale <= places:
        return exact(units, scale)
    step = 10 ** (scale - places)
    whole, rest = divmod(abs(units), step)
    if 2 * rest >= step:
        whole += 1
    return exact(whole if units >= 0 else -whole, places)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=0, max_value=8), st.integers(0, 4))
def test_quantize_is_half_up(units: int, scale: int, target: int) -> None:
    result = quantize(exact(units, scale), target)
    assert result == half_up_oracle(units, scale, target)
    assert result.as_tuple().exponent == -target  # printed at exactly that precision


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(0, 4))
def test_an_exact_half_always_rounds_away_from_zero(units: int, target: int) -> None:
    # units.5 at the last kept place: banker's rounding would send half of these down.
    value = exact(units * 10 + (5 if units >= 0 else -5), target + 1)
    rounded = quantize(value, target)
    assert abs(rounded) > abs(value)


# ---------------------------------------------------------------------------- 不可比


zeros = st.sampled_from([Decimal("0"), Decimal("0.00"), Decimal("-0"), Decimal("-0.00")])


@given(decimals(), zeros)
def test_zero_base_is_not_comparable(current: Decimal, base: Decimal) -> None:
    compare = Compare(current, base)
    assert compare.growth is None
    assert compare.growth_magnitude is None
    assert compare.ratio is None
    assert not compare.comparable
    assert compare.delta == current  # the difference is still stated in money
    assert ratio(current, base) is None


# Bases that print as 0.00: up to ±0.004999 in millionths, never 0 itself.
tiny_bases = st.integers(min_value=-4999, max_value=4999).filter(lambda n: n != 0).map(lambda n: exact(n, 6))


@given(decimals(), tiny_bases)
def test_a_base_that_prints_as_zero_is_not_comparable(current: Decimal, base: Decimal) -> None:
    # 0.000001 prints as 0.00 in the table beside the sentence: a rate against it would be absurd.
    assert base != 0 and quantize(base, 2) == 0
    compare = Compare(current, base)
    assert compare.growth is None and compare.ratio is None
    assert not compare.comparable
    assert compare.delta == current - base  # the difference is still exact


@given(decimals(), decimals().filter(lambda d: quantize(d, 2) != 0))
def test_nonzero_base_is_comparable(current: Decimal, base: Decimal) -> None:
    compare = Compare(current, base)
    assert compare.comparable
    assert compare.growth is not None and compare.ratio is not None
    assert isinstance(compare.growth, Decimal) and isinstance(compare.ratio, Decimal)
    # The sign of the growth rate follows the difference and the base, never lost in rounding.
    sign = (compare.delta > 0) - (compare.delta < 0)
    base_sign = 1 if base > 0 else -1
    assert (compare.growth > 0) - (compare.growth < 0) == sign * base_sign


# ---------------------------------------------------------------------------- reading numbers


@given(decimals())
def test_parse_reads_back_what_str_prints(value: Decimal) -> None:
    text = str(value)
    assert re.fullmatch(r"-?\d+(\.\d+)?", text)  # the strategy keeps to plain notation
    parsed = parse_decimal(text, negative=True)
    assert parsed == value
    assert str(parsed) == text  # trailing zeros, i.e. the typed precision, survive


@given(decimals())
def test_full_width_text_reads_the_same(value: Decimal) -> None:
    wide = str(value).translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    assert parse_decimal(wide, negative=True) == value


@given(decimals(), st.integers(0, 4))
def test_grouped_output_reads_back(value: Decimal, target: int) -> None:
    printed = format_amount(value, target, grouping=True)
    assert parse_decimal(printed, negative=True) == quantize(value, target)


# ---------------------------------------------------------------------------- printing


NEGATIVE_ZERO = re.compile(r"-0(\.0*)?%?")


@given(decimals(max_scale=8), st.integers(0, 4))
def test_no_negative_zero_is_ever_printed(value: Decimal, target: int) -> None:
    for printed in (
        format_amount(value, target),
        format_amount(value, target, grouping=True),
        format_percent(value, target),
        format_plain(value, target),
    ):
        assert not NEGATIVE_ZERO.fullmatch(printed), printed
        # A minus sign appears exactly when the printed value is below zero.
        assert printed.startswith("-") == (quantize(value, target) < 0), printed


@given(decimals(max_scale=8), st.integers(0, 4))
def test_printed_amount_has_fixed_places(value: Decimal, target: int) -> None:
    printed = format_amount(value, target)
    decimals_shown = len(printed.split(".")[1]) if "." in printed else 0
    assert decimals_shown == target
    assert Decimal(printed) == quantize(value, target)


# ---------------------------------------------------------------------------- no float anywhere


def _walk(value: object, trail: str, seen: set[int], out: list[str], counted: list[int]) -> None:
    """Collect the trail of every float reachable from a value (attributes, properties, items)."""
    if isinstance(value, float):
        out.append(trail)
        return
    if isinstance(value, Decimal):
        counted[0] += 1
        return
    if value is None or isinstance(value, (str, bool, int, Path, Location)):
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Mapping):  # dicts and the read-only mappings of the derived figures
        for key, item in value.items():
            _walk(key, f"{trail}[{key!r}]", seen, out, counted)
            _walk(item, f"{trail}[{key!r}]", seen, out, counted)
        return
    if isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            _walk(item, f"{trail}[{index}]", seen, out, counted)
        return
    if dataclasses.is_dataclass(value):
        for spec in dataclasses.fields(value):
            _walk(getattr(value, spec.name), f"{trail}.{spec.name}", seen, out, counted)
    for name in dir(type(value)):
        if not isinstance(getattr(type(value), name, None), property):
            continue
        if isinstance(value, m.ClassRow) and name == "level" and not value.code:
            continue  # a 合计 row has no code, hence no 类/款/项 level (model.py raises KeyError)
        _walk(getattr(value, name), f"{trail}.{name}", seen, out, counted)


def _floats(value: object, at_least: int = 0) -> list[str]:
    """Return where floats hide in a value, after checking that many Decimals were seen."""
    found: list[str] = []
    counted = [0]
    _walk(value, "", set(), found, counted)
    assert counted[0] >= at_least, f"only {counted[0]} Decimals reached"
    return found


def test_no_float_in_the_example_figures() -> None:
    report = read_report(EXAMPLE, with_prior=False)
    derived = derive(report)
    figures = derived.figures
    # Every derived figure is a field, computed once: the walk reaches them all.
    assert _floats(figures, at_least=200) == []
    assert figures.three_items and figures.fund_parts is not None and figures.general_class_budgets
    assert _floats(derived, at_least=500) == []  # the report, its figures, scores and summary
    assert _floats(Compare(Decimal("1.5"), Decimal("0"))) == []


@dataclasses.dataclass(frozen=True)
class _Halved:
    value: Decimal

    @property
    def half(self) -> object:
        return float(self.value) / 2


def test_the_walk_does_find_a_float() -> None:
    # Guard against a walk that silently visits nothing: fields, items and properties are seen.
    assert _floats(Compare(Decimal(1), Decimal(2))) == []
    assert _floats({"a": (m.Band(loc=HERE, name="达成", low=0.8, high=Decimal(1)),)}) == ["['a'][0].low"]  # type: ignore[arg-type]
    assert _floats([_Halved(Decimal(3))]) == ["[0].half"]


def test_no_float_in_the_parsed_example_or_its_scores() -> None:
    report = read_report(EXAMPLE, with_prior=False)
    assert _floats(report, at_least=300) == []
    rules = rules_of(report.manifest)
    for evaluation in report.evaluations:
        assert _floats(score(evaluation, rules)) == [], evaluation.source


def test_every_amount_of_the_example_is_a_decimal() -> None:
    report = read_report(EXAMPLE, with_prior=False)
    tables = report.tables
    assert tables is not None
    t01 = tables.t01
    values = [line.value() for line in t01.income.values()] + [line.value() for line in t01.classes]
    assert values and all(type(v) is Decimal for v in values)
    # 702.36 + 28.50 + 0.35 = 731.21 exactly as stated (no binary residue).
    income = sum((t01.income_value(k) for k in ("general", "fund", "other")), Decimal(0))
    assert income == t01.income_value("total_income") == Decimal("731.21")


# ---------------------------------------------------------------------------- YAML → Decimal


PAIR = Record("测试", (Field("甲", "a", Amount(), True), Field("乙", "b", Amount(), True)))


def test_yaml_amounts_that_float_misreads_are_exact() -> None:
    values = PAIR.read(parse_yaml("甲: 0.1\n乙: 0.2\n", "t.yaml"))
    assert type(values["a"]) is Decimal and type(values["b"]) is Decimal
    assert values["a"] + values["b"] == Decimal("0.3")
    assert 0.1 + 0.2 != 0.3  # what float would have done
    # Seventeen significant digits, the largest amount accepted (15 integer digits): float keeps about sixteen.
    big = PAIR.read(parse_yaml("{甲: 999999999999999.99, 乙: 0.01}", "t.yaml"))
    assert big["a"] == Decimal("999999999999999.99")
    assert big["a"] + big["b"] == Decimal("1000000000000000.00")
    assert float("999999999999999.99") == 1e15


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=2, max_size=2))
def test_yaml_amounts_are_decimal_and_add_exactly(units: list[int]) -> None:
    a, b = (exact(u, 2) for u in units)
    values = PAIR.read(parse_yaml(f"甲: {a}\n乙: {b}\n", "t.yaml"))
    assert type(values["a"]) is Decimal and type(values["b"]) is Decimal
    assert values["a"] + values["b"] == exact(units[0] + units[1], 2)


def test_yaml_numbers_in_a_manifest_are_not_floats() -> None:
    manifest = MANIFEST.read(parse_yaml("部门名称: 某局\n年度: 2024\n", "report.yaml"))
    assert manifest.year == 2024 and type(manifest.year) is int
