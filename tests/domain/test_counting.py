"""Edges of R4–R9 for one round."""

from __future__ import annotations

import pytest

from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn, parse_shorthand
from gongtui_desktop.domain.counting import (
    InvalidReason,
    RoundKind,
    RoundSpec,
    RoundTally,
    count_round,
    judge_paper,
)
from gongtui_desktop.domain.options import CountOptions, WriteInWithoutMark

NAMES = ("张三", "李四", "王五", "赵六")


def spec(seats: int = 2, present: int = 10, issued: int | None = None, **kw: object) -> RoundSpec:
    return RoundSpec(seats, NAMES, present, present if issued is None else issued, **kw)  # type: ignore[arg-type]


def papers(*texts: str) -> list[BallotPaper]:
    return [parse_shorthand(t, len(NAMES)) for t in texts]


def test_threshold_is_more_than_half_of_present_not_of_papers() -> None:
    # 10 present but only 6 papers back: the threshold stays 6 (R7).
    result = count_round(spec(present=10), papers(*["OO--"] * 5, "----"))
    assert result.threshold == 6
    assert result.votes_of("张三").approvals == 5
    assert result.elected == ()
    assert result.unfilled_seats == 2


def test_exactly_half_fails_and_one_more_elects() -> None:
    half = count_round(spec(seats=1, present=4), papers("O---", "O---", "-O--", "----"))
    assert half.threshold == 3 and half.elected == ()
    more = count_round(spec(seats=1, present=4), papers("O---", "O---", "O---", "----"))
    assert more.elected == ("张三",)


def test_paper_with_exactly_as_many_approvals_as_seats_is_valid() -> None:
    options = CountOptions()
    exact = judge_paper(parse_shorthand("OO--", 4), spec(seats=2), options)
    over = judge_paper(parse_shorthand("OOO-", 4), spec(seats=2), options)
    assert exact.valid and exact.approvals == 2
    assert not over.valid and over.reason is InvalidReason.TOO_MANY
    assert over.explanation() == "废票：所选人数多于应选人数：赞成 3 人，应选 2 人"


def test_write_in_of_a_listed_name_counts_once_and_overrides_the_mark() -> None:
    judgement = judge_paper(parse_shorthand("XO-- +张三 +张三", 4), spec(seats=2), CountOptions())
    assert judgement.valid
    assert judgement.approved_candidates == frozenset({0, 1})
    assert judgement.approved_others == frozenset()
    result = count_round(spec(seats=2, present=1), papers("XO-- +张三"))
    assert (result.votes_of("张三").approvals, result.votes_of("张三").against) == (1, 0)


def test_write_in_marked_and_printed_mark_count_once_for_r5() -> None:
    # ○ beside 张三 and 张三 written again: one approval, so two approvals in all.
    paper = BallotPaper((Mark.FOR, Mark.FOR, Mark.NONE, Mark.NONE), (WriteIn("张 三"),))
    judgement = judge_paper(paper, spec(seats=2), CountOptions())
    assert judgement.valid and judgement.approvals == 2


def test_unmarked_write_in_follows_the_plan_option() -> None:
    paper = parse_shorthand("O--- ?钱七", 4)
    ignored = judge_paper(paper, spec(), CountOptions())
    counted = judge_paper(paper, spec(), CountOptions(WriteInWithoutMark.COUNT_AS_FOR))
    assert ignored.approvals == 1 and ignored.ignored_write_ins == ("钱七",)
    assert counted.approvals == 2 and counted.approved_others == frozenset({"钱七"})


def test_declared_void_keeps_its_reason_and_counts_nothing() -> None:
    paper = BallotPaper((Mark.FOR,) * 2 + (Mark.NONE,) * 2, (), "有记号")
    result = count_round(spec(present=3), [paper, *papers("OO--")])
    assert result.invalid_by_reason == ((InvalidReason.DECLARED_VOID, 1),)
    assert result.votes_of("张三").approvals == 1
    assert (
        judge_paper(paper, spec(), CountOptions()).explanation() == "废票：监票人宣布作废：有记号"
    )


def test_blank_paper_is_valid_and_abstains() -> None:
    result = count_round(spec(present=2), papers("----", "OX--"))
    assert result.valid_papers == 2
    assert [result.votes_of(n).abstain for n in NAMES] == [1, 1, 2, 2]


def test_more_papers_back_than_issued_voids_the_round_but_reports_counts() -> None:
    result = count_round(spec(present=3, issued=2), papers("O---", "O---", "O---"))
    assert not result.round_valid
    assert result.votes_of("张三").approvals == 3
    assert result.elected == () and result.tied == () and result.unfilled_seats == 2


def test_papers_back_equal_to_issued_stand() -> None:
    result = count_round(spec(present=3, issued=2), papers("O---", "O---"))
    assert result.round_valid and result.elected == ("张三",)


def test_tie_at_last_seat_sends_only_the_tied_to_a_tie_break() -> None:
    result = count_round(spec(seats=2, present=5), papers("OO--", "OO--", "O-O-", "O-O-", "-OO-"))
    assert result.elected == ("张三",)
    assert set(result.tied) == {"李四", "王五"}
    assert result.tie_seats == 1


def test_tie_inside_the_seats_is_no_tie() -> None:
    result = count_round(spec(seats=2, present=3), papers("OO--", "OO--", "OO--"))
    assert set(result.elected) == {"张三", "李四"} and result.tied == ()


def test_tie_break_round_elects_most_approvals_without_majority_by_default() -> None:
    tie_break = RoundSpec(1, ("李四", "王五"), 10, 10, RoundKind.TIE_BREAK)
    two = [parse_shorthand(t, 2) for t in ("O-", "O-", "-O", "--", "--", "--")]
    assert count_round(tie_break, two).elected == ("李四",)
    strict = count_round(tie_break, two, CountOptions(tie_break_requires_majority=True))
    assert strict.elected == () and strict.unfilled_seats == 1


def test_tie_break_with_no_approvals_elects_nobody() -> None:
    tie_break = RoundSpec(1, ("李四", "王五"), 3, 3, RoundKind.TIE_BREAK)
    result = count_round(tie_break, [parse_shorthand("--", 2)] * 3)
    assert result.elected == () and result.unfilled_seats == 1


def test_person_without_right_to_be_elected_is_shown_but_passed_over() -> None:
    result = count_round(
        spec(seats=2, present=3),
        papers("-O-- +钱七", "-O-- +钱七", "---- +钱七"),
        not_electable=frozenset({"钱七"}),
    )
    qian = result.votes_of("钱七")
    assert qian.approvals == 3 and not qian.electable and not qian.passed
    assert (qian.against, qian.abstain) == (0, 0)
    assert result.elected == ("李四",) and result.unfilled_seats == 1


def test_shortfall_leaves_seats_unfilled() -> None:
    result = count_round(spec(seats=3, present=5), papers(*["O---"] * 3, "-O--", "--O-"))
    assert result.elected == ("张三",) and result.unfilled_seats == 2


def test_wrong_number_of_marks_is_an_entry_error_not_an_invalid_paper() -> None:
    with pytest.raises(ValueError, match="标记"):
        count_round(spec(), [BallotPaper((Mark.FOR,))])
    with pytest.raises(ValueError, match="3 个标记"):
        parse_shorthand("OO-", 4)
    with pytest.raises(ValueError, match="另选他人"):
        parse_shorthand("OO-- 钱七", 4)


def test_incremental_tally_matches_full_count_and_can_take_back_a_paper() -> None:
    batch = papers("OO--", "OX-- +钱七", "!O---", "OOO-", "---- ?孙八", "-O-- +张三")
    tally = RoundTally(spec(present=7))
    for paper in batch:
        tally.add(paper)
    assert tally.result() == count_round(spec(present=7), batch)
    extra = parse_shorthand("X-O- +钱七", 4)
    tally.add(extra)
    tally.remove(extra)
    assert tally.result() == count_round(spec(present=7), batch)


def test_write_in_names_are_normalized() -> None:
    assert WriteIn(" 钱 七 ").name == "钱七"
    with pytest.raises(ValueError):
        WriteIn("  ")


def test_ranking_orders_by_approvals_then_paper_order() -> None:
    result = count_round(spec(seats=2, present=4), papers("-OO-", "-OO-", "---O", "---- +钱七"))
    assert [p.name for p in result.votes] == ["李四", "王五", "赵六", "钱七", "张三"]


def test_write_in_never_wins_a_tie_break() -> None:
    tie_break = RoundSpec(1, ("甲", "乙"), 5, 5, RoundKind.TIE_BREAK)
    texts = ("-- +丙", "-- +丙", "O-", "-O", "--")
    result = count_round(tie_break, [parse_shorthand(t, 2) for t in texts])
    assert result.votes_of("丙").approvals == 2 and not result.votes_of("丙").passed
    assert set(result.tied) == {"甲", "乙"} and result.elected == ()


def test_a_paper_never_counted_cannot_be_taken_back() -> None:
    tally = RoundTally(spec(present=3))
    tally.add(parse_shorthand("OO--", 4))
    with pytest.raises(ValueError, match="没有计入本轮"):
        tally.remove(parse_shorthand("O-O-", 4))
    assert tally.result() == count_round(spec(present=3), papers("OO--"))
