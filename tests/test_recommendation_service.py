"""Recommendation through the election file: seed 1's figures, forms (N2), review (N4), hand-off."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from gongtui_desktop.domain.nomination import ScoringMethod, Weights
from gongtui_desktop.domain.plan import NominationSettings, PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.review import Condition, ReviewConditions
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.services.recommendation import close_recommendation, rankings, review_rows
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError

# Seed 1: 34 forms issued, 31 returned (19 members, 12 non-members), six names.
SEED1 = {
    "项上桢": (17, 10),
    "郭卫民": (15, 11),
    "陈晓红": (12, 6),
    "刘建国": (9, 8),
    "周丽萍": (8, 5),
    "吴海涛": (3, 2),
}


@pytest.fixture
def election(tmp_path: Path):  # type: ignore[no-untyped-def]
    with ElectionFile.open(write_demo(tmp_path / "demo.gongtui")) as election:
        yield election


def ids(election: ElectionFile) -> dict[str, int]:
    return {p.person.name: p.id for p in election.people()}


def enter_seed1(election: ElectionFile) -> None:
    people = ids(election)
    election.set_recommendation_seats("甲", Position.COMMITTEE, 3)
    election.set_form_count("甲", "recommendation", "member", 20, 19)
    election.set_form_count("甲", "recommendation", "mass", 14, 12)
    for name, (member, mass) in SEED1.items():
        election.set_recommendation_total("甲", Position.COMMITTEE, people[name], "member", member)
        election.set_recommendation_total("甲", Position.COMMITTEE, people[name], "mass", mass)


def test_seed1_vote_sum_gives_five_preliminary_candidates(election: ElectionFile) -> None:
    enter_seed1(election)
    (committee,) = rankings(election)
    scores = {committee.name(k): s.value for k, s in committee.result.scores.items()}
    assert scores == {
        "项上桢": 27,
        "郭卫民": 26,
        "陈晓红": 18,
        "刘建国": 17,
        "周丽萍": 13,
        "吴海涛": 5,
    }
    shortlist = committee.result.shortlist
    assert shortlist.size == 5  # ⌈3 × 1.4⌉ (N5)
    assert [committee.name(k) for k in shortlist.chosen] == [
        "项上桢",
        "郭卫民",
        "陈晓红",
        "刘建国",
        "周丽萍",
    ]
    assert committee.result.scores[str(ids(election)["项上桢"])].formula == "17 + 10 = 27"


def test_forms_are_judged_one_by_one(election: ElectionFile) -> None:
    people = ids(election)
    election.set_recommendation_seats("甲", Position.COMMITTEE, 2)
    pick = lambda *names: {Position.COMMITTEE: [(people[n], n) for n in names]}  # noqa: E731
    election.enter_recommendation_form("甲", "member", pick("项上桢", "郭卫民"))
    election.enter_recommendation_form("甲", "member", pick("项上桢"))
    election.enter_recommendation_form("甲", "member", pick("项上桢", "郭卫民", "陈晓红"))  # N2
    slip = election.enter_recommendation_form("甲", "mass", pick("陈晓红"))
    election.withdraw_recommendation_form("甲", slip)
    (committee,) = rankings(election)
    assert committee.valid_forms == {"member": 2, "mass": 0}
    assert committee.invalid_forms == {"member": 1, "mass": 0}
    votes = {committee.name(k): (t.member, t.mass) for k, t in committee.tallies.items()}
    assert votes == {"项上桢": (2, 0), "郭卫民": (1, 0)}


WEIGHTED = NominationSettings(
    ScoringMethod.WEIGHTED_RATE,
    Weights(Fraction(2, 5), Fraction(3, 10), Fraction(1, 5), Fraction(1, 10)),
    Fraction(1, 5),
)


def test_weighted_rate_with_organization_and_self(election: ElectionFile) -> None:
    people = ids(election)
    election.set_plan("甲", PlanOptions(nomination=WEIGHTED))
    enter_seed1(election)
    election.add_nomination(
        "甲", Position.COMMITTEE, people["吴海涛"], "organization", "党组织推荐"
    )
    election.add_nomination("甲", Position.COMMITTEE, people["吴海涛"], "self", "本人自荐")
    (committee,) = rankings(election)
    score = committee.result.scores[str(people["吴海涛"])]
    assert score.value == Fraction(2, 5) * Fraction(3, 19) + Fraction(3, 10) * Fraction(
        2, 12
    ) + Fraction(3, 10)
    assert "0.2 + 0.1" in score.formula


def test_review_names_failed_conditions_and_close_hands_over(election: ElectionFile) -> None:
    conditions = ReviewConditions(True, True, 2, 45, True)
    election.set_recommendation_position("甲", Position.COMMITTEE, 3, review=conditions)
    enter_seed1(election)
    people = ids(election)
    election.update_election("甲", reference_date=date(2026, 11, 24))
    with pytest.raises(ElectionFileError, match="不能再改"):
        election.set_recommendation_position("甲", Position.COMMITTEE, 3, review=ReviewConditions())
    rows = {row.name: row for row in review_rows(election)}
    assert set(rows) == {"项上桢", "郭卫民", "陈晓红", "刘建国", "周丽萍"}
    too_old = [name for name, row in rows.items() if Condition.MAX_AGE in row.check.failed]
    assert too_old  # the demo's older members are past 45
    with pytest.raises(ElectionFileError, match="未作资格审查决定"):
        close_recommendation(election, "甲")
    for name, row in rows.items():
        election.decide_review(
            "甲", Position.COMMITTEE, people[name], row.check.eligible, "审查组意见"
        )
    approved = close_recommendation(election, "甲")
    assert approved[Position.COMMITTEE] == [n for n in rows if rows[n].check.eligible]
    assert election.stage_status("recommendation") == "closed"
    assert election.evaluation_candidates() == [people[n] for n in approved[Position.COMMITTEE]]
    with pytest.raises(ElectionFileError, match="已经结束"):
        election.set_recommendation_total("甲", Position.COMMITTEE, people["项上桢"], "member", 1)


def test_without_evaluation_the_contests_get_the_candidates(election: ElectionFile) -> None:
    enter_seed1(election)
    people = ids(election)
    election.set_plan("甲", PlanOptions(has_evaluation=False, review=ReviewConditions()))
    committee_contest = election.contests()[0]
    # The demo already opened a round; a fresh committee contest takes the hand-off.
    fresh = election.add_contest(
        "甲",
        Position.COMMITTEE,
        3,
        [(None, "临时甲"), (None, "临时乙"), (None, "临时丙"), (None, "临时丁")],
    )
    for row in review_rows(election):
        election.decide_review("甲", Position.COMMITTEE, row.person_id, True)
    close_recommendation(election, "甲")
    assert election.contest(fresh).contest.candidates == (
        "刘建国",
        "陈晓红",
        "周丽萍",
        "项上桢",
        "郭卫民",
    )
    assert (
        election.contest(committee_contest.id).contest.candidates
        != election.contest(fresh).contest.candidates
    )
    assert people  # roster untouched


def test_each_position_has_its_own_ratio(election: ElectionFile) -> None:
    people = ids(election)
    election.set_recommendation_position(
        "甲", Position.SECRETARY, 1, NominationSettings(ratio=Fraction(1))
    )
    enter_seed1(election)
    election.set_recommendation_total("甲", Position.SECRETARY, people["项上桢"], "member", 15)
    election.set_recommendation_total("甲", Position.SECRETARY, people["郭卫民"], "member", 4)
    by_position = {r.position: r for r in rankings(election)}
    assert by_position[Position.COMMITTEE].result.shortlist.size == 5  # 3 × 1.4
    assert by_position[Position.SECRETARY].result.shortlist.size == 2  # 1 × 2
    assert by_position[Position.SECRETARY].ratio == 1


def test_without_evaluation_a_slate_too_short_is_not_handed_on(election: ElectionFile) -> None:
    enter_seed1(election)
    election.set_plan("甲", PlanOptions(has_evaluation=False, review=ReviewConditions()))
    fresh = election.add_contest(
        "甲",
        Position.COMMITTEE,
        3,
        [(None, "临时甲"), (None, "临时乙"), (None, "临时丙"), (None, "临时丁")],
    )
    rows = review_rows(election)
    for index, row in enumerate(rows):  # two of the five fail review: 3 left for 3 seats
        election.decide_review("甲", Position.COMMITTEE, row.person_id, index >= 2)
    with pytest.raises(ElectionFileError, match="不符合：现有"):
        close_recommendation(election, "甲")
    assert election.stage_status("recommendation") == "open"
    assert election.contest(fresh).contest.candidates == ("临时甲", "临时乙", "临时丙", "临时丁")


def test_weighted_rate_without_returned_forms_is_flagged_not_scored_zero(
    election: ElectionFile,
) -> None:
    people = ids(election)
    election.set_plan("甲", PlanOptions(nomination=WEIGHTED, review=ReviewConditions()))
    election.set_recommendation_seats("甲", Position.COMMITTEE, 3)
    for name, (member, _) in SEED1.items():  # hand-counted, no form counts registered yet
        election.set_recommendation_total("甲", Position.COMMITTEE, people[name], "member", member)
    (committee,) = rankings(election)
    assert committee.problems and "党员推荐有得票" in committee.problems[0]
    for row in review_rows(election):
        election.decide_review("甲", Position.COMMITTEE, row.person_id, True)
    with pytest.raises(ElectionFileError, match="没有登记收回的推荐票数"):
        close_recommendation(election, "甲")
    election.set_form_count("甲", "recommendation", "member", 20, 19)
    assert rankings(election)[0].problems == ()
