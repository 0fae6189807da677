"""Attendance, exclusions and quorum of a meeting through the real election file (R1–R3)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from gongtui_desktop.domain.attendance import ExclusionReason, QuorumRule
from gongtui_desktop.domain.people import Discipline, MemberStatus
from gongtui_desktop.domain.plan import PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.attendance import meeting_figures, open_next_round
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError


@pytest.fixture
def election(tmp_path: Path):  # type: ignore[no-untyped-def]
    election = ElectionFile.create(
        tmp_path / "a.gongtui", title="t", organization="o", operator="甲"
    )
    people = [{"name": f"党员{i:02d}", "status": "full"} for i in range(25)]
    people += [
        {"name": "预备甲", "status": "probationary"},
        {"name": "群众乙", "status": "non_member"},
        {"name": "察看丙", "status": "full", "discipline": "probation"},
    ]
    election.add_people("甲", people, "导入")
    yield election
    election.close()


def sign_in(election: ElectionFile, names: list[str], status: str = "present") -> None:
    ids = {p.person.name: p.id for p in election.people()}
    for name in names:
        election.set_attendance("甲", "election", ids[name], status)


def test_only_voters_count_and_observers_are_listed(election: ElectionFile) -> None:
    sign_in(election, [f"党员{i:02d}" for i in range(20)] + ["预备甲", "群众乙", "察看丙"])
    sign_in(election, ["党员20"], "leave")
    figures = meeting_figures(election, "election")
    assert (figures.expected, figures.present, figures.leave, figures.absent) == (25, 20, 1, 4)
    assert figures.observers_present == 3
    assert not figures.quorum.met and figures.quorum.minimum_present == 21
    assert figures.attendance_rate == Fraction(20, 25)
    assert "不能进行选举" in figures.announcement() and "还差 1 人" in figures.announcement()


def test_exclusion_with_consent_lowers_expected(election: ElectionFile) -> None:
    sign_in(election, [f"党员{i:02d}" for i in range(20)])
    ids = {p.person.name: p.id for p in election.people()}
    election.add_exclusion(
        "甲", "election", ids["党员24"], ExclusionReason.ABROAD, "机关党工委同意"
    )
    figures = meeting_figures(election, "election")
    assert figures.expected == 24 and figures.quorum.met  # 20 > 4/5 × 24 = 19.2
    assert figures.announcement().startswith("本次选举大会应到会有选举权的党员 24 人，实到会 20 人")
    assert "符合规定" in figures.announcement()
    # Someone excluded who comes anyway counts again.
    sign_in(election, ["党员24"])
    assert meeting_figures(election, "election").expected == 25


def test_at_least_four_fifths_option(election: ElectionFile) -> None:
    election.set_plan("甲", PlanOptions(quorum=QuorumRule.AT_LEAST_FOUR_FIFTHS))
    sign_in(election, [f"党员{i:02d}" for i in range(20)])
    assert meeting_figures(election, "election").quorum.met


def test_people_who_left_or_lost_rights_do_not_count(election: ElectionFile) -> None:
    ids = {p.person.name: p.id for p in election.people()}
    election.update_person("甲", ids["党员00"], left_on="2026-10-01")
    election.update_person("甲", ids["党员01"], discipline=Discipline.DETAINED.value)
    election.update_person("甲", ids["预备甲"], status=MemberStatus.FULL.value)
    assert meeting_figures(election, "election").expected == 24


def test_the_vote_cannot_start_before_the_quorum(election: ElectionFile) -> None:
    contest = election.add_contest(
        "甲", Position.SECRETARY, 1, [(None, "党员00"), (None, "党员01")]
    )
    sign_in(election, [f"党员{i:02d}" for i in range(20)])
    with pytest.raises(ElectionFileError, match="至少须 21 人"):
        open_next_round(election, "甲", contest)
    sign_in(election, ["党员20"])
    round_id = open_next_round(election, "甲", contest)
    spec = election.round(round_id).spec
    assert (spec.present_voters, spec.papers_issued) == (21, 21)


def test_deleting_a_referenced_person_is_refused(election: ElectionFile) -> None:
    ids = {p.person.name: p.id for p in election.people()}
    sign_in(election, ["党员00"])
    with pytest.raises(ElectionFileError, match="会议签到中，不能删除，只能标记为已离开"):
        election.delete_person("甲", ids["党员00"])
    election.delete_person("甲", ids["党员02"])
    assert "党员02" not in [p.person.name for p in election.people()]


def test_people_not_yet_signed_in_are_not_called_absent(election: ElectionFile) -> None:
    figures = meeting_figures(election, "recommendation")
    assert (figures.marked_absent, figures.not_signed_in) == (0, 25)
    assert "缺席 0　未签到 25" in figures.summary()
    assert "（请假 0 人，缺席 0 人，未签到 25 人）" in figures.announcement()
    assert figures.announcement().endswith("不能进行民主推荐。")  # not 选举 at this meeting
    sign_in(election, [f"党员{i:02d}" for i in range(21)])
    sign_in(election, ["党员21"], "absent")
    figures = meeting_figures(election, "election")
    assert (figures.marked_absent, figures.not_signed_in, figures.absent) == (1, 3, 4)
    assert "（请假 0 人，缺席 1 人，未签到 3 人）" in figures.announcement()
    assert figures.announcement().endswith("可以进行选举。")


def test_the_record_after_the_meeting_counts_everyone_not_there_as_absent(
    election: ElectionFile,
) -> None:
    sign_in(election, [f"党员{i:02d}" for i in range(21)])
    sign_in(election, ["党员21"], "absent")
    figures = meeting_figures(election, "election")
    assert "（请假 0 人，缺席 4 人）" in figures.announcement(after_meeting=True)
    assert "未签到" not in figures.announcement(after_meeting=True)
