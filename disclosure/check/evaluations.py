"""The consistency rules of the self-evaluation tables (domain spec §6 and §8.5 rule 13)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .. import model as m
from ..amounts import format_amount, format_plain, quantize
from ..compute import Derived, Scored
from ..compute.scoring import accepted, at_precision, band_of, in_band
from ..errors import Finding, Location, error, warning
from .quoted import evaluation_quotes
from .rules import HALF_CENT, money, sum_rule

HUNDRED = Decimal(100)


def evaluation_rules(derived: Derived) -> list[Finding]:
    """Check every self-evaluation table of a report against its settled scores."""
    rules, report = derived.rules, derived.report
    findings: list[Finding] = []
    for scored in derived.scored:
        evaluation = scored.evaluation
        findings += funds(scored, rules)
        findings += indicators(scored, rules)
        findings += totals(scored, rules)
        findings += calculations(evaluation, report.manifest.unit)
        findings += evaluation_quotes(scored, report.manifest.unit)
        if evaluation.kind == "部门整体支出":
            findings += department_funds(evaluation, report)
    findings += evaluations_stated(report)
    return findings


def evaluations_stated(report: m.Report) -> Iterator[Finding]:
    """A 决算 report says 未开展绩效自评 only when its notes say so, and never beside self-evaluation tables."""
    n = report.notes
    if report.manifest.kind != "决算" or n is None:
        return
    if report.evaluations and n.evaluations_stated:
        yield error(
            n.at("evaluations_stated", "绩效自评"),
            f"写了“绩效自评: {n.evaluations_stated}”，但 evaluations/ 中有 {len(report.evaluations)} 张自评表：请删除这一行",
            "EV-NONE",
        )
    elif not report.evaluations and not n.evaluations_stated:
        yield warning(
            Location(f"{report.folder}/evaluations"),
            "没有绩效自评表，文中不写绩效自评结果：请把自评表放在 evaluations/ 中；"
            "确实未开展绩效自评时，在 notes.yaml 中写“绩效自评: 未开展”",
            "EV-NONE",
        )


def _p(value: Decimal) -> str:
    return format_plain(value, 2)


def funds(scored: Scored, rules: m.ScoringRules) -> Iterator[Finding]:
    e = scored.evaluation
    f = e.funds
    assert f is not None and f.total is not None
    for part in f.parts:
        if part.weight is not None or part.score is not None:
            yield error(
                part.at("weight" if part.weight is not None else "score", "分值"),
                f"“{part.name}”是资金来源明细行，不计分：预算执行率只在“年度资金总额”行计 {_p(f.weight)} 分，"
                "其余分值应分配到绩效指标",
                "EV-FUNDS",
            )
    if f.total.weight is not None or f.total.score is not None:
        yield warning(f.total.loc, "执行率的分值和得分请填在“资金”下的“分值”“得分”中", "EV-FUNDS")
    if f.parts:
        for attr, label in (("initial", "年初预算数"), ("budget", "全年预算数"), ("spent", "全年执行数")):
            if all(getattr(row, attr) is None for row in (f.total, *f.parts)):
                continue  # 年初预算数 left blank everywhere: nothing stated to add up
            yield from sum_rule(
                getattr(f.total, attr) or Decimal(0),
                (getattr(p, attr) or Decimal(0) for p in f.parts),
                f.total.at(attr, label),
                f"年度资金总额的{label}应等于各资金来源之和",
                "EV-FUNDS",
            )
    rate, exact, method = scored.rate, scored.execution_exact, scored.execution_method
    if rate is None:
        yield error(
            f.total.at("budget", "全年预算数"), "全年预算数为 0，无法计算预算执行率（不可比）；请核对全年预算数", "EV-RATE"
        )
        return
    if f.rate is not None and not accepted(f.rate, rate, 2):
        yield error(
            f.at("rate", "执行率"),
            f"执行率应为 {format_amount(rate, 2)}%（全年执行数 {money(f.total.spent)} ÷ 全年预算数 "
            f"{money(f.total.budget)}），填写的是 {_p(f.rate)}%",
            "EV-RATE",
        )
    if f.score is not None and not at_precision(f.score, exact, rules.places):
        yield error(
            f.at("score", "得分"),
            f"执行率得分应为 {_p(quantize(exact, rules.places))}（{method}），填写的是 {_p(f.score)}",
            "EV-RATE",
        )
    if f.score is not None and f.score > f.weight:
        yield error(f.at("score", "得分"), f"执行率得分 {_p(f.score)} 超过了分值 {_p(f.weight)}", "EV-CAP")
    if rate < 90 and e.problems in ("", "无"):
        yield warning(
            e.at("problems", "问题及原因"), f"预算执行率 {format_amount(rate, 2)}% 低于 90%，请在“问题及原因”中说明", "EV-RATE"
        )


def indicators(scored: Scored, rules: m.ScoringRules) -> Iterator[Finding]:
    top = max(rules.tiers, key=lambda b: b.high)
    for s in scored.indicators:
        ind = s.indicator
        if ind.score is not None and ind.score > ind.weight:
            yield error(ind.at("score", "得分"), f"得分 {_p(ind.score)} 超过了本指标的分值 {_p(ind.weight)}", "EV-CAP")
            continue
        if ind.relation == "定性":
            band = band_of(ind.tier, rules) if ind.tier else None
            if ind.factor is not None and band is not None and not in_band(ind.factor, band, band is top):
                yield error(
                    ind.at("factor", "得分系数"),
                    f"得分系数 {_p(ind.factor * HUNDRED)}% 不在“{band.name}”档的区间 "
                    f"{_p(band.low * HUNDRED)}%–{_p(band.high * HUNDRED)}% 内",
                    "EV-SCORE",
                )
            if ind.score is not None and band is not None and ind.weight:
                factor = ind.score / ind.weight
                if not in_band(factor, band, band is top):
                    yield error(
                        ind.at("score", "得分"),
                        f"定性指标“{band.name}”的得分应在 {_p(ind.weight * band.low)}–"
                        f"{_p(ind.weight * band.high)} 之间，填写的是 {_p(ind.score)}",
                        "EV-SCORE",
                    )
            if (
                ind.factor is not None
                and ind.score is not None
                and not at_precision(ind.score, ind.weight * ind.factor, rules.places)
            ):
                yield error(
                    ind.at("score", "得分"),
                    f"得分应为 分值 × 得分系数 = {_p(ind.weight * ind.factor)}，填写的是 {_p(ind.score)}",
                    "EV-SCORE",
                )
            if ind.tier and ind.tier != "达成" and ind.factor is None and ind.score is None:
                yield error(ind.loc, f"定性指标为“{ind.tier}”时，要填写“得分系数”或“得分”", "EV-SCORE")
            continue
        due = quantize(s.exact, rules.places)
        if ind.factor is not None and not at_precision(ind.weight * ind.factor, s.exact, rules.places):
            # A quantitative row's 得分系数 is checked, never applied: the score follows from the values.
            yield error(
                ind.at("factor", "得分系数"),
                f"得分系数 {_p(ind.factor * HUNDRED)}% 与评分规则不符：分值 {_p(ind.weight)} × {_p(ind.factor * HUNDRED)}% = "
                f"{_p(ind.weight * ind.factor)}，按规则得分应为 {_p(due)}（{s.method}），得分系数应为 "
                f"{_p(s.exact * HUNDRED / ind.weight) if ind.weight else '0'}%",
                "EV-SCORE",
            )
        if ind.score is not None and not s.met and ind.score == ind.weight and due != ind.weight:
            yield error(
                ind.at("score", "得分"),
                f"指标“{ind.name}”未达到指标值（指标值 {ind.target_text}，完成值 {ind.actual_text}），不能得满分 "
                f"{_p(ind.weight)}：按规则得分应为 {_p(due)}（{s.method}）",
                "EV-SCORE",
            )
        elif ind.score is not None and not at_precision(ind.score, s.exact, rules.places):
            yield error(
                ind.at("score", "得分"),
                f"得分应为 {_p(due)}（{s.method}），填写的是 {_p(ind.score)}",
                "EV-SCORE",
            )
        if not s.met and not ind.deviation:
            yield warning(ind.loc, f"指标“{ind.name}”未达到指标值，请填写“偏差原因”", "EV-DEVIATION")
        if s.met and ind.relation == "≥" and ind.target and not ind.deviation:
            over = (ind.actual - ind.target) * HUNDRED / ind.target  # type: ignore[operator]
            if over >= rules.overshoot:
                yield warning(
                    ind.at("actual_raw", "完成值"),
                    f"完成值超过指标值 {format_amount(over, 0)}%，指标值可能设定偏低，请在“偏差原因”中说明",
                    "EV-OVERSHOOT",
                )


def totals(scored: Scored, rules: m.ScoringRules) -> Iterator[Finding]:
    e = scored.evaluation
    assert e.funds is not None
    if scored.weight_total != 100:
        parts = "、".join(f"{one or '绩效指标'} {_p(weight)}" for one, weight in scored.level1_weights.items())
        on_sources = sum((p.weight for p in e.funds.parts if p.weight is not None), Decimal(0))
        extra = f"；资金来源明细行上另填的 {_p(on_sources)} 分不计入" if on_sources else ""
        yield error(
            e.at("indicators", "绩效指标"),
            f"各项分值合计应为 100 分，现为 {_p(scored.weight_total)} 分（预算执行率 {_p(e.funds.weight)}、{parts}）{extra}",
            "EV-WEIGHT",
        )
    if e.total is not None and e.total != scored.total:
        # The stated scores may themselves break the rules (over the weight, not full when met):
        # then their sum is not the right total either, so also say what the rules give.
        by_rules = quantize(scored.execution_exact, rules.places) + sum(
            (quantize(s.exact, rules.places) for s in scored.indicators), Decimal(0)
        )
        extra = f"；各项得分按评分规则核对后，总分应为 {_p(by_rules)}" if by_rules != scored.total else ""
        yield error(e.at("total", "总分"), f"总分应为各项得分之和 {_p(scored.total)}，填写的是 {_p(e.total)}{extra}", "EV-TOTAL")


def calculations(e: m.Evaluation, unit: str) -> Iterator[Finding]:
    divisor = Decimal(10000) if unit == "万元" else Decimal(1)
    for c in e.calculations:
        product = c.quantity * c.standard / divisor
        if abs(quantize(product, 2) - c.amount) > HALF_CENT:
            yield error(
                c.at("amount", "金额"),
                f"{c.text}：{_p(c.quantity)} × {_p(c.standard)} 元 = {money(product)}{unit}，填写的是 {money(c.amount)}{unit}",
                "EV-CALC",
            )


def department_funds(e: m.Evaluation, report: m.Report) -> Iterator[Finding]:
    t = report.tables
    assert e.funds is not None and e.funds.total is not None
    if t is None or t.t03 is None or t.t03.total is None:
        return
    spent = t.t03.total.value("total")
    if e.funds.total.spent != spent:
        yield warning(
            e.funds.total.at("spent", "全年执行数"),
            f"部门整体的全年执行数 {money(e.funds.total.spent)} 与03表本年支出合计 {money(spent)} 不同，请核对口径",
            "EV-DEPT",
        )
