"""Self-evaluation scoring (domain spec §6): each rule by hand, then properties over all inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure import model as m
from disclosure.compute.scoring import default_rules, execution, grade, indicator, score
from disclosure.errors import Location

D = Decimal
HERE = Location("evaluation.yaml", 1)
RULES = default_rules(HERE)


def ind(relation: str, target: str | None, actual: str | None, weight: str = "10", **extra) -> m.Indicator:
    return m.Indicator(
        loc=HERE,
        level1="产出指标",
        level2="数量指标",
        name="指标",
        relation=relation,
        target=None if target is None else D(target),
        actual=None if actual is None else D(actual),
        weight=D(weight),
        **extra,
    )


def funds(budget: str, spent: str, weight: str = "10") -> m.Funds:
    total = m.FundRow(loc=HERE, name="年度资金总额", initial=D(budget), budget=D(budget), spent=D(spent))
    return m.Funds(loc=HERE, total=total, weight=D(weight))


# ---------------------------------------------------------------------------- the rules, by hand


@pytest.mark.parametrize(
    ("relation", "target", "actual", "expected"),
    [
        ("≥", "95", "97", "10"),  # met: full weight
        ("≥", "95", "95", "10"),
        ("≥", "5.3", "5.04", "9.51"),  # missed: 10 × 5.04 / 5.3 = 9.5094…
        ("≤", "10", "8", "10"),  # smaller is better, met
        ("≤", "10", "12", "8.33"),  # missed: 10 × 10 / 12 = 8.333…
        ("=", "100", "100", "10"),
        ("=", "100", "95", "9.5"),  # not equal: the smaller ratio
        ("=", "95", "100", "9.5"),
    ],
)
def test_quantitative_rules(relation, target, actual, expected):
    assert indicator(ind(relation, target, actual), RULES).score == D(expected)


def test_equal_can_be_all_or_nothing():
    rules = m.ScoringRules(loc=HERE, tiers=RULES.tiers, equal="全或无")
    assert indicator(ind("=", "100", "99.9"), rules).score == 0
    assert indicator(ind("=", "100", "100"), rules).score == 10


def test_qualitative_tiers_and_factors():
    assert indicator(ind("定性", None, None, tier="达成"), RULES).score == 10
    assert indicator(ind("定性", None, None, tier="部分达成", factor=D("0.75")), RULES).score == D("7.5")
    scored = indicator(ind("定性", None, None, "15", factor=D("0.65")), RULES)
    assert scored.score == D("9.75") and scored.band is not None and scored.band.name == "部分达成"


def test_execution_rate_score_is_capped_and_zero_budget_is_not_comparable():
    assert execution(funds("100", "75.15"), RULES)[1] == D("7.515")
    assert execution(funds("100", "120"), RULES)[1] == 10
    rate, points, how = execution(funds("0", "5"), RULES)
    assert rate is None and points == 0 and "不可比" in how


def test_banded_execution_score():
    steps = (
        m.RateStep(loc=HERE, rate=D(95), factor=D(100)),
        m.RateStep(loc=HERE, rate=D(90), factor=D(90)),
        m.RateStep(loc=HERE, rate=D(50), factor=D(70)),
    )
    rules = m.ScoringRules(loc=HERE, execution="分档", steps=steps, tiers=RULES.tiers)
    # Seed 004's banded scores: 97.02% → 9, 56.06% → 7 (with its own bands: ≥95 → 10 here).
    assert execution(funds("100", "97.02"), rules)[1] == 10
    assert execution(funds("100", "92"), rules)[1] == 9
    assert execution(funds("100", "56.06"), rules)[1] == 7
    assert execution(funds("100", "40"), rules)[1] == 0


@pytest.mark.parametrize(
    ("total", "expected"),
    [("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.5", "中"), ("60", "中"), ("59.99", "差"), ("0", "差")],
)
def test_grades(total, expected):
    assert grade(D(total)) == expected


def test_total_is_the_sum_of_the_printed_scores():
    evaluation = m.Evaluation(
        loc=HERE, funds=funds("24.35", "18.30"), indicators=(ind("≥", "5.3", "5.04", "45"), ind("≤", "10", "12", "45"))
    )
    scored = score(evaluation, RULES)
    assert scored.execution_score == D("7.52")  # 18.30 / 24.35 = 75.15…% of 10
    assert [s.score for s in scored.indicators] == [D("42.79"), D("37.50")]
    assert scored.total == D("87.81") and scored.grade == "良" and scored.weight_total == 100


# ---------------------------------------------------------------------------- properties

values = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=D("0.5"), max_value=D("50"), places=1, allow_nan=False, allow_infinity=False)
relations = st.sampled_from(["≥", "≤", "="])


@given(relations, values, values, weights)
def test_a_score_never_exceeds_its_weight_nor_falls_below_zero(relation, target, actual, weight):
    scored = indicator(ind(relation, str(target), str(actual), str(weight)), RULES)
    assert 0 <= scored.exact <= weight
    assert 0 <= scored.score <= weight
    assert isinstance(scored.score, Decimal) and isinstance(scored.exact, Decimal)


@given(relations, values, weights)
def test_met_targets_score_full(relation, target, weight):
    assert indicator(ind(relation, str(target), str(target), str(weight)), RULES).score == weight


@given(values, values, values, weights)
def test_scores_are_monotone_in_the_actual_value(target, a, b, weight):
    low, high = sorted((a, b))
    bigger_is_better = [indicator(ind("≥", str(target), str(v), str(weight)), RULES).exact for v in (low, high)]
    smaller_is_better = [indicator(ind("≤", str(target), str(v), str(weight)), RULES).exact for v in (low, high)]
    assert bigger_is_better[0] <= bigger_is_better[1]
    assert smaller_is_better[0] >= smaller_is_better[1]


@given(st.lists(st.tuples(relations, values, values, weights), min_size=1, max_size=8), values, values)
def test_total_equals_execution_plus_the_indicator_scores(rows, budget, spent):
    evaluation = m.Evaluation(
        loc=HERE, funds=funds(str(budget), str(spent)), indicators=tuple(ind(r, str(t), str(a), str(w)) for r, t, a, w in rows)
    )
    scored = score(evaluation, RULES)
    assert scored.total == scored.execution_score + sum((s.score for s in scored.indicators), D(0))
    assert 0 <= scored.execution_score <= 10
    assert scored.grade == grade(scored.total)
