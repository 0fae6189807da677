"""N1–N5: forms, scores, shortlists and qualification review."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from gongtui_desktop.domain.dates import whole_years
from gongtui_desktop.domain.nomination import (
    FormCount,
    ScoringMethod,
    Tally,
    Weights,
    judge_form,
    rank_nominations,
    score,
    tally_forms,
)
from gongtui_desktop.domain.numbers import decimal_text, exact, percent
from gongtui_desktop.domain.people import Discipline, MemberStatus, Person
from gongtui_desktop.domain.review import Condition, ReviewConditions, review
from gongtui_desktop.domain.shortlist import make_shortlist, shortlist_size


def test_form_naming_more_people_than_seats_is_invalid() -> None:
    assert judge_form(["甲", "乙", "丙"], 3).valid
    assert judge_form(["甲", "乙", "乙 "], 2).valid  # a name counts once
    over = judge_form(["甲", "乙", "丙", "丁"], 3)
    assert not over.valid and over.reason == "推荐 4 人，多于职数 3 人"


def test_tally_forms_skips_invalid_forms() -> None:
    tallies = tally_forms([["甲", "乙"], ["甲"], ["甲", "乙", "丙"], []], seats=2)
    assert (tallies.valid_forms, tallies.invalid_forms) == (3, 1)
    assert tallies.votes == {"甲": 2, "乙": 1}


def test_seed1_forms_issued_and_returned() -> None:
    forms = FormCount(issued=34, returned=31)
    assert percent(forms.return_rate) == "91.18%" and not forms.more_back_than_issued


def test_weighted_rate_formula_is_written_out() -> None:
    weights = Weights(exact(0.4), exact(0.3), exact(0.2), exact(0.1))
    result = score(Tally(12, 15, True, True), ScoringMethod.WEIGHTED_RATE, weights, 13, 19)
    assert result.value == Fraction(2, 5) * Fraction(12, 13) + Fraction(3, 10) * Fraction(
        15, 19
    ) + Fraction(3, 10)
    assert result.formula == "0.4×12/13 + 0.3×15/19 + 0.2 + 0.1 = 0.9061"


def test_weighted_rate_with_no_forms_in_a_channel_contributes_nothing() -> None:
    weights = Weights(exact(0.5), exact(0.5))
    assert score(Tally(3, 4), ScoringMethod.WEIGHTED_RATE, weights, 6, 0).value == Fraction(1, 4)


def test_vote_sum() -> None:
    result = score(Tally(17, 10, True), ScoringMethod.VOTE_SUM, Weights(), 19, 12)
    assert (result.value, result.formula) == (27, "17 + 10 = 27")


@pytest.mark.parametrize(
    ("seats", "ratio", "size"), [(3, "0.4", 5), (3, "0.2", 4), (5, "0.2", 6), (3, "0", 3)]
)
def test_shortlist_size(seats: int, ratio: str, size: int) -> None:
    assert shortlist_size(seats, exact(ratio)) == size


def test_shortlist_keeps_everyone_tied_at_the_cut_off() -> None:
    scores = {
        "甲": Fraction(9),
        "乙": Fraction(7),
        "丙": Fraction(7),
        "丁": Fraction(7),
        "戊": Fraction(1),
    }
    result = make_shortlist(scores, 2)
    assert result.chosen == ("甲", "乙", "丙", "丁")
    assert result.tied_at_cutoff == ("乙", "丙", "丁") and result.over_size
    clean = make_shortlist(scores, 4)
    assert clean.chosen == ("甲", "乙", "丙", "丁") and clean.tied_at_cutoff == ()


def test_rank_nominations_seed1() -> None:
    tallies = {"项一": Tally(17, 10), "郭二": Tally(15, 11), "吴六": Tally(3, 2)}
    result = rank_nominations(tallies, 1, exact(1), ScoringMethod.VOTE_SUM, Weights(), 19, 12)
    assert result.shortlist.chosen == ("项一", "郭二")


def test_whole_years_counts_the_anniversary_day() -> None:
    assert whole_years(date(2024, 11, 24), date(2026, 11, 24)) == 2
    assert whole_years(date(2024, 11, 25), date(2026, 11, 24)) == 1
    # A 29 February anniversary in a common year falls on 1 March.
    assert whole_years(date(2024, 2, 29), date(2025, 2, 28)) == 0
    assert whole_years(date(2024, 2, 29), date(2025, 3, 1)) == 1
    assert whole_years(date(2024, 2, 29), date(2028, 2, 29)) == 4


ALL = ReviewConditions(True, True, 2, 45, True)
REFERENCE = date(2026, 11, 24)


def person(**changes: object) -> Person:
    base = dict(
        key="k",
        name="甲",
        status=MemberStatus.FULL,
        discipline=Discipline.NONE,
        birth=date(1985, 3, 2),
        joined=date(2010, 6, 1),
        confirmed=date(2011, 6, 1),
        local_relation=True,
    )
    base.update(changes)
    return Person(**base)  # type: ignore[arg-type]


def test_party_standing_exactly_n_years_ago_passes() -> None:
    assert review(person(confirmed=date(2024, 11, 24)), ALL, REFERENCE).eligible
    late = review(person(confirmed=date(2024, 11, 25)), ALL, REFERENCE)
    assert late.failed == {Condition.MIN_PARTY_YEARS}
    assert late.failures[0].detail == "党龄 1 年，不足 2 年"


def test_age_exactly_at_the_limit_passes() -> None:
    assert review(person(birth=date(1981, 11, 24)), ALL, REFERENCE).eligible  # 45 today
    older = review(person(birth=date(1981, 11, 23)), ALL, REFERENCE)  # 45 yesterday, still 45
    assert older.eligible
    assert review(person(birth=date(1980, 11, 24)), ALL, REFERENCE).failed == {Condition.MAX_AGE}


def test_each_condition_named_when_failed() -> None:
    result = review(
        person(
            status=MemberStatus.PROBATIONARY,
            confirmed=None,
            discipline=Discipline.DETAINED,
            local_relation=False,
            birth=None,
        ),
        ALL,
        REFERENCE,
    )
    assert result.failed == set(Condition)
    assert "没有转正日期" in [f.detail for f in result.failures][2]


def test_unset_conditions_are_not_checked() -> None:
    assert review(
        person(status=MemberStatus.NON_MEMBER, confirmed=None), ReviewConditions(), REFERENCE
    ).eligible


def test_display_helpers() -> None:
    assert decimal_text(Fraction(2, 3)) == "0.6667" and decimal_text(Fraction(27)) == "27"
    assert percent(Fraction(1, 8)) == "12.50%"
    assert exact(0.1) == Fraction(1, 10)


def test_parse_decimal() -> None:
    from gongtui_desktop.domain.numbers import parse_decimal

    assert parse_decimal(" 0.4 ", "比例") == Fraction(2, 5) and parse_decimal("", "权重") == 0
    with pytest.raises(ValueError, match="比例“四成”不是数字"):
        parse_decimal("四成", "比例")
    with pytest.raises(ValueError, match="不能为负数"):
        parse_decimal("-1", "权重")
