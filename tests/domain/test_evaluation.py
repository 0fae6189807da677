"""E1–E5: participation, shares of 优, judgement, veto, composite and 预备人选."""

from __future__ import annotations

from fractions import Fraction

import pytest

from gongtui_desktop.domain.evaluation import (
    CandidateRating,
    EvaluationForm,
    EvaluationOptions,
    Overall,
    Participation,
    RaterGroup,
    Rating,
    ThresholdRule,
    evaluate,
)

E, G, F, P = Rating.EXCELLENT, Rating.GOOD, Rating.FAIR, Rating.POOR


def form(
    group: RaterGroup = RaterGroup.MEMBER, **ratings: tuple[Rating | None, ...]
) -> EvaluationForm:
    return EvaluationForm(group, {name: CandidateRating(g) for name, g in ratings.items()})


def test_share_is_among_non_blank_ratings() -> None:
    forms = [form(甲=(E, E, E, E, None)), form(甲=(E, G, E, E, None)), form(甲=(E, E, E, E, E))]
    result = evaluate(["甲"], forms, EvaluationOptions(), seats=1).of("甲")
    assert result.excellent_shares == (1, Fraction(2, 3), 1, 1, 1)
    assert result.dimensions[4].blank == 2 and result.dimensions[4].rated == 1


def test_exactly_half_under_both_threshold_rules() -> None:
    forms = [form(甲=(E, E, E, E, E)), form(甲=(G, E, E, E, E))]
    strict = evaluate(["甲"], forms, EvaluationOptions(), seats=1)
    assert strict.disqualified == ("甲",)
    assert strict.of("甲").veto_reasons == ("“德”优秀率 50.00%，未超过 50.00%",)
    inclusive = evaluate(
        ["甲"], forms, EvaluationOptions(threshold_rule=ThresholdRule.AT_LEAST), seats=1
    )
    assert inclusive.qualified == ("甲",)


def test_exactly_four_fifths_threshold() -> None:
    forms = [form(甲=(E,) * 5)] * 4 + [form(甲=(G,) * 5)]
    options = EvaluationOptions(threshold=Fraction(4, 5))
    assert evaluate(["甲"], forms, options, seats=1).disqualified == ("甲",)
    at_least = EvaluationOptions(threshold=Fraction(4, 5), threshold_rule=ThresholdRule.AT_LEAST)
    assert evaluate(["甲"], forms, at_least, seats=1).qualified == ("甲",)


def test_dimension_with_no_rating_is_flagged_and_vetoes() -> None:
    result = evaluate(["甲"], [form(甲=(E, E, E, E, None))], EvaluationOptions(), seats=1).of("甲")
    assert result.dimensions[4].no_ratings and result.vetoed
    assert "无有效评价" in result.veto_reasons[0]


def test_without_veto_nobody_is_disqualified_but_ranking_uses_composite() -> None:
    forms = [form(甲=(E, G, E, E, E), 乙=(E,) * 5, 丙=(P,) * 5)]
    result = evaluate(["甲", "乙", "丙"], forms, EvaluationOptions(veto=False), seats=1)
    assert result.disqualified == ()
    assert [name for name, _ in result.shortlist.ranking] == ["乙", "甲", "丙"]
    assert result.of("甲").composite == Fraction(100 * 4 + 80, 5)
    assert result.shortlist.chosen == ("乙", "甲")  # ⌈1 × 1.2⌉ = 2


def test_dimension_weights_and_points_are_plan_options() -> None:
    options = EvaluationOptions(
        veto=False, points=(4, 3, 2, 1), weights=(Fraction(2),) + (Fraction(1),) * 4
    )
    result = evaluate(["甲"], [form(甲=(G, E, E, E, E))], options, seats=1)
    assert result.of("甲").composite == Fraction(2 * 3 + 4 * 4, 6)


def test_groups_are_counted_separately() -> None:
    forms = [form(RaterGroup.MEMBER, 甲=(E,) * 5), form(RaterGroup.NON_MEMBER, 甲=(G,) * 5)]
    members = evaluate(["甲"], forms, EvaluationOptions(), seats=1, group=RaterGroup.MEMBER)
    masses = evaluate(["甲"], forms, EvaluationOptions(), seats=1, group=RaterGroup.NON_MEMBER)
    everyone = evaluate(["甲"], forms, EvaluationOptions(), seats=1)
    assert members.qualified == ("甲",) and masses.disqualified == ("甲",)
    assert everyone.of("甲").excellent_shares[0] == Fraction(1, 2)


def test_overall_and_labels() -> None:
    options = EvaluationOptions(labels=("优秀", "称职", "基本称职", "不称职"))
    assert options.parse_grade("称职") is G and options.parse_grade("-") is None
    with pytest.raises(ValueError, match="无法识别"):
        options.parse_grade("良")
    forms = [
        EvaluationForm(RaterGroup.MEMBER, {"甲": CandidateRating((E,) * 5, Overall.SATISFIED)})
    ]
    assert evaluate(["甲"], forms, options, seats=1).of("甲").overall[Overall.SATISFIED] == 1


def test_unknown_candidate_on_a_form_is_an_error() -> None:
    with pytest.raises(ValueError, match="不在名单中"):
        evaluate(["甲"], [form(乙=(E,) * 5)], EvaluationOptions(), seats=1)


def test_participation_must_exceed_four_fifths() -> None:
    assert not Participation(25, 20).over_four_fifths
    assert Participation(25, 21).over_four_fifths
    assert Participation(0, 0).rate == 0
