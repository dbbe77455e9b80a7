"""Performance self-evaluation scoring (domain spec §6): execution rate, indicators, total, grade.

Scores are computed from exact Decimals and rounded half-up once, at the configured places; the
total is the sum of the rounded scores, so the printed column always adds up to the printed total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType

from .. import model as m
from ..amounts import ZERO, quantize, ratio
from ..catalog import GRADES
from ..errors import Location
from .compare import Compare, Completion, share


def _completion(value: Decimal | None) -> Completion | None:
    return None if value is None else Completion(value)


ONE = Decimal(1)


def default_tiers(loc: Location) -> tuple[m.Band, ...]:
    """The three-tier bands of 财预〔2020〕10号: 100–80%, 80–60%, 60–0%."""
    bands = (("达成", "0.8", "1"), ("部分达成", "0.6", "0.8"), ("未达成", "0", "0.6"))
    return tuple(m.Band(loc=loc, name=n, low=Decimal(lo), high=Decimal(hi)) for n, lo, hi in bands)


def default_rules(loc: Location) -> m.ScoringRules:
    """The rules of 财预〔2020〕10号 when report.yaml sets none."""
    return m.ScoringRules(loc=loc, tiers=default_tiers(loc))


def rules_of(manifest: m.Manifest) -> m.ScoringRules:
    """The scoring rules of a report: report.yaml's, with the default bands where it sets none."""
    rules = manifest.scoring
    if rules is None:
        return default_rules(manifest.loc)
    if not rules.tiers:
        return replace(rules, tiers=default_tiers(rules.loc))
    return rules


@dataclass(frozen=True)
class IndicatorScore:
    """The computed score of one indicator and how it was reached."""

    indicator: m.Indicator
    exact: Decimal  # unrounded, by the rule
    score: Decimal  # printed: the stated score when given, else the computed one, rounded
    met: bool
    method: str
    band: m.Band | None = None
    # The printed score as a share of the weight, in % (the 得分系数 column of the Chongqing form).
    coefficient: Decimal = field(init=False, compare=False)

    def __post_init__(self) -> None:
        weight = self.indicator.weight
        object.__setattr__(self, "coefficient", self.score * 100 / weight if weight else ZERO)


@dataclass(frozen=True)
class Scored:
    """A self-evaluation table with every score settled."""

    evaluation: m.Evaluation
    rate: Decimal | None  # execution rate in %, unrounded; None when 全年预算数 is 0
    execution_exact: Decimal
    execution_score: Decimal
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    weight_total: Decimal
    grade: str
    execution: Compare | None  # 全年执行数 against 全年预算数, for “完成预算的 %”
    level1_weights: Mapping[str, Decimal]  # Σ weights of each 一级指标, in order of appearance
    execution_method: str = ""


def grade(total: Decimal) -> str:
    """Return the grade of a total: 优 (90–100), 良 (80–<90), 中 (60–<80) or 差 (<60), as the catalogue names them."""
    for floor, name in GRADES:
        if total >= floor:
            return name
    return GRADES[-1][1]


def execution(funds: m.Funds, rules: m.ScoringRules) -> tuple[Decimal | None, Decimal, str]:
    """Return the execution rate (%), the unrounded score and how it was computed."""
    total = funds.total
    if total is None:
        return None, ZERO, ""
    rate = _completion(ratio(total.spent, total.budget))
    if rate is None:
        return None, ZERO, "全年预算数为0，执行率不可比"
    weight = funds.weight
    if rules.execution == "分档":
        for step in rules.steps:
            if rate >= step.rate:
                return rate, weight * step.factor / 100, f"执行率不低于{step.rate}%，得分系数{step.factor}%"
        return rate, ZERO, "执行率低于最低一档"
    return rate, min(weight, rate * weight / 100), "执行率 × 分值，最高不超过分值"


def band_of(tier: str, rules: m.ScoringRules) -> m.Band | None:
    for band in rules.tiers:
        if band.name == tier:
            return band
    return None


def in_band(factor: Decimal, band: m.Band, top: bool) -> bool:
    """Tell whether a factor lies in a band: low inclusive, high inclusive only for the top band."""
    return band.low <= factor and (factor <= band.high if top else factor < band.high)


def band_for(factor: Decimal, rules: m.ScoringRules) -> m.Band | None:
    top = max(rules.tiers, key=lambda b: b.high)
    for band in rules.tiers:
        if in_band(factor, band, band is top):
            return band
    return None


def indicator(ind: m.Indicator, rules: m.ScoringRules) -> IndicatorScore:
    """Score one indicator by the rule for its relation (the stated score is checked elsewhere)."""
    w = ind.weight
    if ind.relation == "定性":
        band = band_of(ind.tier, rules) if ind.tier else None
        if ind.factor is not None:
            band = band or band_for(ind.factor, rules)
            return IndicatorScore(
                ind,
                w * ind.factor,
                _settle(ind, w * ind.factor, rules),
                ind.factor >= ONE,
                f"定性指标，得分系数{quantize(ind.factor * 100, 2).normalize()}%",
                band,
            )
        if ind.score is not None and w:
            factor = ind.score / w
            band = band or band_for(factor, rules)
            return IndicatorScore(ind, ind.score, _settle(ind, ind.score, rules), factor >= ONE, "定性指标，按填写的得分", band)
        if band is None:
            band = band_of("达成", rules)
        high = band.high if band else ONE
        return IndicatorScore(
            ind,
            w * high,
            _settle(ind, w * high, rules),
            high >= ONE,
            f"定性指标“{band.name if band else '达成'}”，取本档上限",
            band,
        )
    target, actual = ind.target or ZERO, ind.actual or ZERO
    if ind.relation == "≥":
        met = actual >= target
        exact = w if met else w * actual / target
        method = "达到指标值，得满分" if met else "未达到指标值，按 完成值÷指标值 × 分值"
    elif ind.relation == "≤":
        met = actual <= target
        exact = w if met else w * target / actual
        method = "达到指标值，得满分" if met else "未达到指标值（越小越好），按 指标值÷完成值 × 分值"
    else:
        met = actual == target
        if met:
            exact, method = w, "与指标值相等，得满分"
        elif rules.equal == "全或无" or actual == 0 or target == 0:
            exact, method = ZERO, "与指标值不相等，不得分"
        else:
            exact = w * min(actual / target, target / actual)
            method = "与指标值不相等，按较小比值 × 分值"
    exact = min(exact, w)
    return IndicatorScore(ind, exact, _settle(ind, exact, rules), met, method)


def _settle(ind: m.Indicator, exact: Decimal, rules: m.ScoringRules) -> Decimal:
    """The printed score: the stated one when given (checked elsewhere), else the computed one."""
    if ind.score is not None:
        return ind.score
    return quantize(exact, rules.places)


def accepted(stated: Decimal, exact: Decimal, places: int) -> bool:
    """Tell whether a stated figure is the exact one rounded half-up to 0…places decimals (a rate typed coarser)."""
    return any(stated == quantize(exact, p) for p in range(places + 1))


def at_precision(stated: Decimal, exact: Decimal, places: int) -> bool:
    """Tell whether a stated score is the exact one rounded half-up at the configured places (得分小数位), no coarser.

    5 for a rule score of 4.78 is not 4.78 “rounded to 0 places”: it is full marks on a missed target.
    """
    return stated == quantize(exact, places)


def score(evaluation: m.Evaluation, rules: m.ScoringRules) -> Scored:
    """Settle every score of a self-evaluation table."""
    funds = evaluation.funds
    assert funds is not None
    rate, exec_exact, method = execution(funds, rules)
    exec_score = funds.score if funds.score is not None else quantize(exec_exact, rules.places)
    scored = tuple(indicator(i, rules) for i in evaluation.indicators)
    total = exec_score + sum((s.score for s in scored), ZERO)
    weights = funds.weight + sum((i.weight for i in evaluation.indicators), ZERO)
    level1: dict[str, Decimal] = {}
    for ind in evaluation.indicators:
        level1[ind.level1] = level1.get(ind.level1, ZERO) + ind.weight
    spent = Compare(funds.total.spent, funds.total.budget) if funds.total is not None else None
    return Scored(
        evaluation, rate, exec_exact, exec_score, scored, total, weights, grade(total), spent, MappingProxyType(level1), method
    )


@dataclass(frozen=True)
class Summary:
    """The P12 figures: how many projects were evaluated, their money and its share, their grades."""

    projects: tuple[Scored, ...]
    department: Scored | None
    amount: Decimal  # Σ 全年执行数 of the evaluated projects
    share: Decimal | None  # of the year's 项目支出 (or of the stated 项目资金总额)
    count: int
    excellent: int  # how many projects were graded in the top grade (优)
    others: tuple[Scored, ...]  # the projects graded below the top grade (优)


def summarize(scored: Sequence[Scored], project_spending: Decimal) -> Summary:
    """Summarize the self-evaluations for the 预算绩效管理 paragraph."""
    projects = tuple(s for s in scored if s.evaluation.kind == "项目支出")
    department = next((s for s in scored if s.evaluation.kind == "部门整体支出"), None)
    amount = sum((s.evaluation.funds.total.spent for s in projects if s.evaluation.funds and s.evaluation.funds.total), ZERO)
    others = tuple(s for s in projects if s.grade != GRADES[0][1])
    return Summary(
        projects, department, amount, share(amount, project_spending), len(projects), len(projects) - len(others), others
    )
