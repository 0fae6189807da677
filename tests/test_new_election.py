"""The wizard's checks and the file it creates (R10, R11, R15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gongtui_desktop.domain.plan import PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.new_election import (
    ContestDraft,
    check_drafts,
    create_election,
    split_names,
)
from gongtui_desktop.store.election_file import ElectionFile


def test_names_split_on_chinese_and_latin_separators() -> None:
    assert split_names("张三、李四，王五 赵六\n钱七;孙八") == (
        "张三",
        "李四",
        "王五",
        "赵六",
        "钱七",
        "孙八",
    )


def test_checks_name_each_problem() -> None:
    drafts = [
        ContestDraft(Position.SECRETARY, 1, (), restricted_to_previous=True),
        ContestDraft(Position.COMMITTEE, 3, ("张三", "李四", "张三")),
        ContestDraft(Position.SECRETARY, 1, ("张三",)),
    ]
    problems = check_drafts(drafts)
    assert problems[0] == "第 1 项“书记”：第一项不能限定在前一项的当选人中产生"
    assert "第 2 项“委员”：候选人姓名重复" in problems
    assert any(p.startswith("第 2 项“委员”：委员候选人应多于应选人数的20%") for p in problems)
    assert "第 3 项“书记”：书记差额选举，至少 2 名候选人，不符合：现有 1 名" in problems
    assert check_drafts([ContestDraft(Position.SECRETARY, 1, ("张三",), equal_approved=True)]) == []


def test_created_file_orders_committee_by_strokes(tmp_path: Path) -> None:
    drafts = [
        ContestDraft(Position.COMMITTEE, 3, ("张三", "王五", "李四", "丁一"), title="支委会委员"),
        ContestDraft(Position.SECRETARY, 1, (), restricted_to_previous=True),
    ]
    path = create_election(
        tmp_path / "新.gongtui",
        title="换届选举",
        organization="某党支部",
        higher_organization="机关党工委",
        meeting_date=date(2026, 11, 24),
        drafts=drafts,
        plan=PlanOptions(),
        operator="甲",
    )
    with ElectionFile.open(path, read_only=True) as election:
        contests = election.contests()
        assert contests[0].contest.candidates == ("丁一", "王五", "李四", "张三")
        assert (
            contests[1].restricted_to_id == contests[0].id and contests[1].contest.candidates == ()
        )
        assert len(election.people()) == 4


def test_invalid_drafts_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="委员候选人应多于应选人数的20%"):
        create_election(
            tmp_path / "x.gongtui",
            title="t",
            organization="o",
            higher_organization="",
            meeting_date=date(2026, 1, 1),
            drafts=[ContestDraft(Position.COMMITTEE, 3, ("甲", "乙", "丙"))],
            plan=PlanOptions(),
            operator="甲",
        )
    assert list(tmp_path.iterdir()) == []


def test_candidates_later_need_no_names_and_arrive_when_evaluation_closes(tmp_path: Path) -> None:
    """公推直选: contests are set up without candidates; the recommendation's and the
    evaluation's close name them (N5, E5, R10, R11) and the first round can open."""
    from gongtui_desktop.domain.evaluation import CandidateRating, RaterGroup, Rating
    from gongtui_desktop.domain.people import MemberStatus
    from gongtui_desktop.services.evaluation import close_evaluation
    from gongtui_desktop.services.recommendation import close_recommendation, review_rows

    drafts = [
        ContestDraft(Position.COMMITTEE, 3, (), candidates_later=True),
        ContestDraft(Position.SECRETARY, 1, (), restricted_to_previous=True),
    ]
    assert check_drafts(drafts) == []
    assert check_drafts([ContestDraft(Position.COMMITTEE, 3, ())]) == [
        "第 1 项“委员”：请填写候选人，或选择“候选人由民主推荐、民主测评产生”"
    ]
    assert (
        "这里不用填写"
        in check_drafts([ContestDraft(Position.COMMITTEE, 3, ("甲",), candidates_later=True)])[0]
    )
    path = create_election(
        tmp_path / "公推直选.gongtui",
        title="换届选举",
        organization="某党支部",
        higher_organization="机关党工委",
        meeting_date=date(2026, 11, 24),
        drafts=drafts,
        plan=PlanOptions(),
        operator="甲",
    )
    with ElectionFile.open(path) as election:
        assert election.people() == []
        assert election.recommendation_seats() == {Position.COMMITTEE: 3}
        names = ["项上桢", "郭卫民", "陈晓红", "刘建国", "周丽萍", "吴海涛"]
        ids = election.add_people(
            "甲", [{"name": n, "status": MemberStatus.FULL} for n in names], "导入党员名册"
        )
        for votes, person in zip((9, 8, 7, 6, 5, 1), ids, strict=True):
            election.set_recommendation_total("甲", Position.COMMITTEE, person, "member", votes)
        for row in review_rows(election):
            election.decide_review("甲", row.position, row.person_id, True, "")
        close_recommendation(election, "甲")
        assert len(election.evaluation_candidates()) == 5  # ⌈3 × (1 + 40%)⌉ (N5)
        excellent = CandidateRating((Rating.EXCELLENT,) * 5)
        for _ in range(3):
            election.enter_evaluation_form(
                "甲", RaterGroup.MEMBER, dict.fromkeys(election.evaluation_candidates(), excellent)
            )
        election.set_form_count("甲", "evaluation", "member", 3, 3)
        close_evaluation(election, "甲")
        committee = election.contests()[0]
        assert committee.contest.candidates == (  # R11: 姓氏笔画
            "刘建国",
            "陈晓红",
            "周丽萍",
            "项上桢",
            "郭卫民",
        )
        assert election.open_round("甲", committee.id, 6) > 0
