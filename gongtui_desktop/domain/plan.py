"""The election plan's rule options, all in one value (every export states them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from gongtui_desktop.domain.attendance import QuorumRule
from gongtui_desktop.domain.evaluation import EvaluationOptions, ThresholdRule
from gongtui_desktop.domain.nomination import ScoringMethod, Weights
from gongtui_desktop.domain.numbers import decimal_text, percent
from gongtui_desktop.domain.options import CountOptions
from gongtui_desktop.domain.review import DEFAULT_MIN_PARTY_YEARS, ReviewConditions


@dataclass(frozen=True)
class NominationSettings:
    """N3 scoring and the N5 ratio of 初步人选."""

    method: ScoringMethod = ScoringMethod.VOTE_SUM
    weights: Weights = field(default_factory=Weights)
    ratio: Fraction = Fraction(2, 5)


def default_review() -> ReviewConditions:
    return ReviewConditions(
        require_full_member=True,
        require_full_rights=True,
        min_party_years=DEFAULT_MIN_PARTY_YEARS,
        max_age=None,
        require_local_relation=True,
    )


@dataclass(frozen=True)
class PlanOptions:
    """Every option of RULES.md, with its default."""

    quorum: QuorumRule = QuorumRule.MORE_THAN_FOUR_FIFTHS
    counting: CountOptions = field(default_factory=CountOptions)
    nomination: NominationSettings = field(default_factory=NominationSettings)
    review: ReviewConditions = field(default_factory=default_review)
    has_evaluation: bool = True
    evaluation: EvaluationOptions = field(default_factory=EvaluationOptions)

    def describe(self) -> tuple[str, ...]:
        """The options in force, in the words of the exports."""
        lines = [self.quorum.label, *self.counting.describe()]
        nomination = self.nomination
        lines.append(f"推荐计分：{nomination.method.label}")
        if nomination.method is ScoringMethod.WEIGHTED_RATE:
            w = nomination.weights
            lines.append(
                "权重：党员推荐 {}，群众推荐 {}，组织推荐 {}，个人自荐 {}".format(
                    *(decimal_text(x) for x in (w.member, w.mass, w.organization, w.self_nominated))
                )
            )
        lines.append(f"初步人选差额比例 {percent(nomination.ratio, 0)}")
        conditions = self.review.describe()
        lines.append("资格条件：" + ("；".join(conditions) if conditions else "无"))
        if self.has_evaluation:
            e = self.evaluation
            rule = "超过" if e.threshold_rule is ThresholdRule.MORE_THAN else "达到"
            lines.append(f"测评：各方面“{e.labels[0]}”的比例须{rule} {percent(e.threshold, 0)}")
            lines.append("一票否决：" + ("实行" if e.veto else "不实行"))
            lines.append(f"预备人选差额比例 {percent(e.ratio, 0)}")
        else:
            lines.append("不进行民主测评")
        return tuple(lines)
