"""R1 rights, R2 expected attendance, R3 quorum."""

from __future__ import annotations

import pytest

from gongtui_desktop.domain.attendance import (
    Exclusion,
    ExclusionReason,
    QuorumRule,
    expected_attendance,
    minimum_present,
    quorum,
)
from gongtui_desktop.domain.people import Discipline, MemberStatus, Person, rights_of


@pytest.mark.parametrize(
    ("status", "discipline", "votes"),
    [
        (MemberStatus.FULL, Discipline.NONE, True),
        (MemberStatus.FULL, Discipline.PROBATION, False),
        (MemberStatus.FULL, Discipline.DETAINED, False),
        (MemberStatus.PROBATIONARY, Discipline.NONE, False),
        (MemberStatus.NON_MEMBER, Discipline.NONE, False),
    ],
)
def test_rights(status: MemberStatus, discipline: Discipline, votes: bool) -> None:
    rights = rights_of(status, discipline)
    assert rights.vote is votes and rights.be_elected is votes
    assert rights.observer is not votes
    assert rights.recommend and rights.evaluate
    assert rights.reason.endswith(
        "选举权和被选举权" if votes else ("权和被选举权", "暂停行使", "推荐和测评")
    )
    assert "R1" not in rights.reason


def roster() -> list[Person]:
    people = [Person(f"p{i}", f"党员{i}", MemberStatus.FULL) for i in range(10)]
    people.append(Person("y1", "预备", MemberStatus.PROBATIONARY))
    people.append(Person("q1", "群众", MemberStatus.NON_MEMBER))
    people.append(Person("d1", "察看", MemberStatus.FULL, Discipline.PROBATION))
    return people


def test_expected_attendance_subtracts_consented_exclusions_only() -> None:
    exclusions = [Exclusion("p0", ExclusionReason.ABROAD, "区直机关工委同意", "赴美探亲一年")]
    attendance = expected_attendance(roster(), exclusions)
    assert attendance.expected == 9
    assert attendance.excluded[0].reason.label == "自费出国半年以上"


def test_exclusion_needs_consent_a_voter_and_no_repeat() -> None:
    with pytest.raises(ValueError, match="上级党组织同意"):
        Exclusion("p0", ExclusionReason.ILLNESS, " ")
    with pytest.raises(ValueError, match="没有选举权"):
        expected_attendance(roster(), [Exclusion("y1", ExclusionReason.ILLNESS, "同意")])
    twice = [Exclusion("p1", ExclusionReason.AWAY, "同意")] * 2
    with pytest.raises(ValueError, match="重复"):
        expected_attendance(roster(), twice)


@pytest.mark.parametrize(
    ("expected", "strict", "inclusive"),
    [(25, 21, 20), (24, 20, 20), (19, 16, 16), (5, 5, 4), (1, 1, 1), (0, 1, 0)],
)
def test_minimum_present(expected: int, strict: int, inclusive: int) -> None:
    assert minimum_present(expected, QuorumRule.MORE_THAN_FOUR_FIFTHS) == strict
    assert minimum_present(expected, QuorumRule.AT_LEAST_FOUR_FIFTHS) == inclusive


def test_exactly_four_fifths() -> None:
    assert not quorum(25, 20).met
    assert quorum(25, 20, QuorumRule.AT_LEAST_FOUR_FIFTHS).met
    assert quorum(25, 21).met and quorum(25, 20).missing == 1


def test_seed1_meeting_quorum() -> None:
    # Seed 1: 18 full members attended the election meeting.
    assert quorum(19, 18).met and quorum(19, 18).minimum_present == 16


def test_present_more_than_expected_is_an_error() -> None:
    with pytest.raises(ValueError, match="多于应到会人数"):
        quorum(10, 11)


def test_candidate_cannot_be_scrutineer() -> None:
    from gongtui_desktop.domain.scrutineers import ScrutineerRole, scrutineer_refusal

    member = Person("p1", "李四", MemberStatus.FULL)
    outsider = Person("q1", "赵六", MemberStatus.NON_MEMBER)
    assert scrutineer_refusal(ScrutineerRole.SCRUTINEER, member, {"p2"}) is None
    assert scrutineer_refusal(ScrutineerRole.CHIEF, member, {"p1"}) == (
        "李四是本次选举的候选人，不能担任总监票人"
    )
    assert "不是党员" in (scrutineer_refusal(ScrutineerRole.SCRUTINEER, outsider, set()) or "")
    assert scrutineer_refusal(ScrutineerRole.COUNTER, member, {"p1"}) is None
