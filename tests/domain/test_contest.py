"""A contest as a sequence of rounds (R4, R8, R9), R10 proposals and R15 order."""

from __future__ import annotations

import pytest

from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.contest import (
    Contest,
    SeatReduction,
    check_contest_order,
    contest_progress,
    restriction_violations,
)
from gongtui_desktop.domain.counting import RoundKind, RoundResult, RoundSpec, count_round
from gongtui_desktop.domain.positions import Position

COMMITTEE = Contest("committee", Position.COMMITTEE, 3, ("张三", "李四", "王五", "赵六", "钱七"))


def run(spec: RoundSpec, *texts: str) -> RoundResult:
    return count_round(spec, [parse_shorthand(t, len(spec.candidates)) for t in texts])


def test_clean_contest_is_done_after_one_round() -> None:
    first = run(COMMITTEE.first_round(3), "OOO--", "OOO--", "OO-O-")
    progress = contest_progress(COMMITTEE, [first])
    assert progress.done and progress.elected == ("张三", "李四", "王五")
    assert progress.seats_remaining == 0


def test_tie_then_tie_break_completes_the_contest() -> None:
    first = run(COMMITTEE.first_round(5), "OOO--", "OOO--", "OO-O-", "OO-O-", "--OO-")
    progress = contest_progress(COMMITTEE, [first])
    assert progress.elected == ("张三", "李四")
    nxt = progress.next_round
    assert nxt is not None and nxt.kind is RoundKind.TIE_BREAK
    assert (nxt.seats, set(nxt.candidates)) == (1, {"王五", "赵六"})
    assert nxt.reason == "王五、赵六得票相等，就剩余 1 个名额重新投票"
    second = run(nxt.spec(5), "O-", "O-", "-O", "--", "--")
    done = contest_progress(COMMITTEE, [first, second])
    assert done.done and done.elected == ("张三", "李四", "王五")


def test_shortfall_proposes_by_election_candidates_with_difference() -> None:
    first = run(COMMITTEE.first_round(5), "OO---", "OO---", "OO---", "-OOO-", "---OO")
    progress = contest_progress(COMMITTEE, [first])
    assert progress.elected == ("李四", "张三")
    nxt = progress.next_round
    assert nxt is not None and nxt.kind is RoundKind.BY_ELECTION and nxt.seats == 1
    # 1 seat needs 2 candidates (R10): 赵六 (2) then 王五 and 钱七 tied with 1 — all kept, flagged.
    assert nxt.candidates == ("赵六", "王五", "钱七")
    assert nxt.tied_at_cutoff == ("王五", "钱七")
    by_election = run(nxt.spec(5), "O--", "O--", "O--", "-O-", "--O")
    assert contest_progress(COMMITTEE, [first, by_election]).elected == ("李四", "张三", "赵六")


def test_meeting_may_reduce_seats_instead() -> None:
    first = run(COMMITTEE.first_round(5), "OO---", "OO---", "OO---", "-OOO-", "---OO")
    reduced = contest_progress(
        COMMITTEE, [first], SeatReduction(1, "经大会表决，委员职数减为 2 名", 1)
    )
    assert reduced.done and reduced.seats == 2 and reduced.seats_remaining == 0
    with pytest.raises(ValueError, match="最多只能减少 1"):
        contest_progress(COMMITTEE, [first], SeatReduction(2, "减少", 1))
    with pytest.raises(ValueError, match="会议的决定"):
        SeatReduction(1, " ", 1)


def test_void_round_is_voted_again_with_the_same_paper() -> None:
    void = run(COMMITTEE.first_round(2), "OOO--", "OOO--", "OOO--")
    progress = contest_progress(COMMITTEE, [void])
    nxt = progress.next_round
    assert progress.elected == () and nxt is not None
    assert (nxt.kind, nxt.seats, nxt.candidates) == (RoundKind.REGULAR, 3, COMMITTEE.candidates)
    assert nxt.reason == "收回选票 3 张多于发出 2 张，本轮选举无效，重新投票"


def test_a_round_that_does_not_fit_is_refused() -> None:
    first = run(COMMITTEE.first_round(3), "OOO--", "OOO--", "OO-O-")
    with pytest.raises(ValueError, match="多余"):
        contest_progress(COMMITTEE, [first, first])
    wrong = run(RoundSpec(1, ("王五", "赵六"), 4, 4, RoundKind.BY_ELECTION), "O-")
    tie = run(COMMITTEE.first_round(5), "OOO--", "OOO--", "OO-O-", "OO-O-", "--OO-")
    with pytest.raises(ValueError, match="应为重新投票"):
        contest_progress(COMMITTEE, [tie, wrong])


def test_secretary_among_those_elected_to_the_committee() -> None:
    secretary = Contest(
        "secretary", Position.SECRETARY, 1, ("张三", "孙八"), restricted_to="committee"
    )
    assert check_contest_order([COMMITTEE, secretary]) == ()
    assert check_contest_order([secretary, COMMITTEE])[0] == (
        "“书记”限定在前一项选举的当选人中产生，但该项选举不在它之前"
    )
    first = run(COMMITTEE.first_round(3), "OOO--", "OOO--", "OO-O-")
    done = {"committee": contest_progress(COMMITTEE, [first])}
    assert restriction_violations(secretary, done) == ("孙八",)
    with pytest.raises(ValueError, match="前一项选举完成"):
        restriction_violations(secretary, {})


def test_contest_slate_check() -> None:
    assert COMMITTEE.slate().ok
    assert not Contest("c", Position.COMMITTEE, 3, ("甲", "乙", "丙")).slate().ok


def test_partial_reduction_then_by_election() -> None:
    """3 seats, 1 elected; the meeting cuts one seat, the last one goes to a by-election."""
    first = run(COMMITTEE.first_round(5), "O----", "O----", "O----", "-O---", "--O--")
    reduction = SeatReduction(1, "减为 2 名", 1)
    progress = contest_progress(COMMITTEE, [first], reduction)
    nxt = progress.next_round
    assert nxt is not None and nxt.kind is RoundKind.BY_ELECTION and nxt.seats == 1
    second = run(
        nxt.spec(5), *["O" + "-" * (len(nxt.candidates) - 1)] * 3, *["-" * len(nxt.candidates)] * 2
    )
    done = contest_progress(COMMITTEE, [first, second], reduction)
    assert done.done and done.seats == 2 and len(done.elected) == 2


def test_someone_elected_twice_is_an_error_of_the_record() -> None:
    first = run(COMMITTEE.first_round(5), "OO---", "OO---", "OO---", "-OOO-", "---OO")
    by_election = run(RoundSpec(1, ("张三", "王五"), 5, 5, RoundKind.BY_ELECTION), "O-", "O-", "O-")
    with pytest.raises(ValueError, match="此前已经当选"):
        contest_progress(COMMITTEE, [first, by_election])
