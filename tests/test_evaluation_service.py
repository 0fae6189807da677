"""The evaluation through the election file: groups, veto, 预备人选, hand-off with R10/R11 (#7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongtui_desktop.domain.evaluation import CandidateRating, RaterGroup, Rating
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.evaluation import close_evaluation, evaluation_results, participation
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from tests.builders import RECOMMENDED, recommended_election

E, G = Rating.EXCELLENT, Rating.GOOD
NAMES = RECOMMENDED


@pytest.fixture
def election(tmp_path: Path):  # type: ignore[no-untyped-def]
    with ElectionFile.open(recommended_election(tmp_path / "e.gongtui")) as election:
        yield election


def ids(election: ElectionFile) -> dict[str, int]:
    return {p.person.name: p.id for p in election.people()}


def form(election: ElectionFile, group: RaterGroup, **special: tuple[Rating, ...]) -> None:
    people = ids(election)
    ratings = {people[name]: CandidateRating(special.get(name, (E,) * 5)) for name in NAMES}
    election.enter_evaluation_form("甲", group, ratings)


def test_groups_side_by_side_and_veto(election: ElectionFile) -> None:
    assert [ids(election)[n] for n in NAMES] == election.evaluation_candidates()
    form(election, RaterGroup.MEMBER)
    form(election, RaterGroup.MEMBER, 周丽萍=(E, G, E, E, E))
    form(election, RaterGroup.NON_MEMBER, 周丽萍=(E, G, E, E, E))
    (committee,) = evaluation_results(election)
    zhou = str(ids(election)["周丽萍"])
    assert committee.overall.of(zhou).excellent_shares[1] == pytest.approx(1 / 3)
    assert committee.overall.of(zhou).vetoed
    assert "“能”优秀率 33.33%" in committee.overall.of(zhou).veto_reasons[0]
    assert committee.by_group[RaterGroup.MEMBER].of(zhou).excellent_shares[1] == 0.5
    assert committee.by_group[RaterGroup.NON_MEMBER].of(zhou).excellent_shares[1] == 0
    # 4 qualified, ⌈3 × 1.2⌉ = 4 预备人选.
    assert len(committee.overall.shortlist.chosen) == 4


def test_close_hands_the_shortlist_to_the_committee_in_stroke_order(election: ElectionFile) -> None:
    form(election, RaterGroup.MEMBER)
    form(election, RaterGroup.MEMBER)
    form(election, RaterGroup.MEMBER, 周丽萍=(E, E, E, E, G))  # qualifies, ranks last
    election.set_form_count("甲", "evaluation", "member", 3, 3)
    closed = close_evaluation(election, "甲")
    assert election.stage_status("evaluation") == "closed"
    contest = election.contests()[0]
    assert contest.contest.candidates == ("刘建国", "陈晓红", "项上桢", "郭卫民")  # R11
    assert closed.chosen[Position.COMMITTEE] == list(contest.contest.candidates)
    assert closed.outcome == (
        "4 名预备人选成为“委员”的选举候选人（按姓氏笔画）：刘建国、陈晓红、项上桢、郭卫民",
    )
    with pytest.raises(ElectionFileError, match="已经结束"):
        form(election, RaterGroup.MEMBER)


def test_too_few_left_after_the_veto_is_refused(election: ElectionFile) -> None:
    bad = (E, G, G, E, E)
    form(election, RaterGroup.MEMBER, 项上桢=bad, 郭卫民=bad)
    election.set_form_count("甲", "evaluation", "member", 1, 1)
    with pytest.raises(ElectionFileError, match="不符合：现有"):
        close_evaluation(election, "甲")
    assert election.stage_status("evaluation") == "open"


def test_participation_is_checked_when_the_plan_requires_it(election: ElectionFile) -> None:
    from dataclasses import replace

    plan = election.plan()
    election.set_plan(
        "甲", replace(plan, evaluation=replace(plan.evaluation, require_participation=True))
    )
    election.set_form_count("甲", "evaluation", "member", 10, 8)
    form(election, RaterGroup.MEMBER)
    assert not participation(election)[RaterGroup.MEMBER].over_four_fifths
    with pytest.raises(ElectionFileError, match="未超过五分之四，测评无效") as refused:
        close_evaluation(election, "甲")
    assert "E1" not in str(refused.value)  # plain words for the organizers, no rule code


def test_form_counts_are_fixed_once_the_evaluation_is_closed(election: ElectionFile) -> None:
    election.set_form_count("甲", "evaluation", "member", 10, 9)
    form(election, RaterGroup.MEMBER)
    close_evaluation(election, "甲")
    with pytest.raises(ElectionFileError, match="民主测评已经结束"):
        election.set_form_count("甲", "evaluation", "member", 100, 3)
    assert election.form_counts("evaluation") == {"member": (10, 9)}


def test_participation_without_issued_figures_is_not_skipped(election: ElectionFile) -> None:
    from dataclasses import replace

    plan = election.plan()
    election.set_plan(
        "甲", replace(plan, evaluation=replace(plan.evaluation, require_participation=True))
    )
    form(election, RaterGroup.MEMBER)
    with pytest.raises(ElectionFileError, match="请先登记党员测评表的发出和收回数"):
        close_evaluation(election, "甲")
    election.set_form_count("甲", "evaluation", "member", 1, 1)
    close_evaluation(election, "甲")  # no 群众 forms were keyed, so none are asked for


def test_a_form_is_withdrawn_once(election: ElectionFile) -> None:
    people = ids(election)
    form_id = election.enter_evaluation_form(
        "甲", RaterGroup.MEMBER, {people[n]: CandidateRating((E,) * 5) for n in NAMES}
    )
    election.withdraw_evaluation_form("甲", form_id)
    with pytest.raises(ElectionFileError, match="已经撤销过了"):
        election.withdraw_evaluation_form("甲", form_id)
    with pytest.raises(ElectionFileError, match="没有编号为"):
        election.withdraw_evaluation_form("甲", form_id + 100)


def test_forms_without_issued_and_returned_counts_are_not_closed(election: ElectionFile) -> None:
    """E1: the plan does not ask for four fifths (the default), yet forms keyed with 0/0
    registered leave the participation unstated: closing waits and says why."""
    assert not election.plan().evaluation.require_participation
    form(election, RaterGroup.MEMBER)
    form(election, RaterGroup.MEMBER)
    with pytest.raises(ElectionFileError) as refused:
        close_evaluation(election, "甲")
    assert str(refused.value) == (
        "请先登记党员测评表的发出和收回数：已录入 2 张，"
        "登记的却是发出 0 张、收回 0 张（在“测评设置”中登记）"
    )
    assert election.stage_status("evaluation") == "open"
    # More forms keyed than were returned cannot be right either.
    election.set_form_count("甲", "evaluation", "member", 3, 1)
    with pytest.raises(ElectionFileError, match="党员测评表录入了 2 张，多于登记收回的 1 张"):
        close_evaluation(election, "甲")
    election.set_form_count("甲", "evaluation", "member", 3, 2)
    assert close_evaluation(election, "甲").chosen[Position.COMMITTEE]


def test_the_outcome_says_what_became_of_each_position(tmp_path: Path) -> None:
    """Every position evaluated is accounted for in words: the committee's 预备人选 become its
    candidates, the 书记 is elected from the committee, the 副书记 has no contest at all."""
    from datetime import date

    from gongtui_desktop.domain.plan import PlanOptions
    from gongtui_desktop.domain.review import ReviewConditions
    from gongtui_desktop.services.new_election import ContestDraft, create_election
    from gongtui_desktop.services.recommendation import close_recommendation, review_rows

    path = create_election(
        tmp_path / "e.gongtui",
        title="换届选举",
        organization="统计局党支部",
        higher_organization="",
        meeting_date=date(2026, 11, 24),
        drafts=[
            ContestDraft(Position.COMMITTEE, 3, (), candidates_later=True),
            ContestDraft(Position.SECRETARY, 1, (), restricted_to_previous=True),
        ],
        plan=PlanOptions(),
        operator="甲",
    )
    with ElectionFile.open(path) as election:
        people = election.add_people("甲", [{"name": n, "status": "full"} for n in NAMES], "导入")
        for position, seats in (
            (Position.COMMITTEE, 3),
            (Position.SECRETARY, 1),
            (Position.DEPUTY_SECRETARY, 1),
        ):
            election.set_recommendation_position("甲", position, seats, review=ReviewConditions())
            for person_id, votes in zip(people, (20, 18, 15, 12, 10), strict=True):
                election.set_recommendation_total("甲", position, person_id, "member", votes)
        for row in review_rows(election):
            election.decide_review("甲", row.position, row.person_id, True)
        close_recommendation(election, "甲")
        form(election, RaterGroup.MEMBER)
        election.set_form_count("甲", "evaluation", "member", 1, 1)
        closed = close_evaluation(election, "甲")
    assert closed.outcome == (  # all rated alike: tied at the line, all five kept
        "5 名预备人选成为“委员”的选举候选人（按姓氏笔画）：刘建国、陈晓红、周丽萍、项上桢、郭卫民",
        "“书记”的候选人从前一项的当选人中产生，不用预备人选",
        "副书记：选举方案中没有这一职务的选举项目，预备人选（项上桢、郭卫民）没有成为选举候选人",
    )
