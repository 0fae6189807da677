"""Properties of one round's count over random contests and papers (R4–R9)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn
from gongtui_desktop.domain.counting import (
    RoundKind,
    RoundSpec,
    RoundTally,
    count_round,
    judge_paper,
)
from gongtui_desktop.domain.options import CountOptions, WriteInWithoutMark

POOL = ("张三", "李四", "王五", "赵六", "钱七", "孙八")
OUTSIDERS = ("周九", "吴十")


@st.composite
def rounds(draw: st.DrawFn) -> tuple[RoundSpec, list[BallotPaper], CountOptions, frozenset[str]]:
    size = draw(st.integers(1, 5))
    candidates = POOL[:size]
    seats = draw(st.integers(1, size))
    writable = candidates + OUTSIDERS
    paper = st.builds(
        BallotPaper,
        st.lists(st.sampled_from(list(Mark)), min_size=size, max_size=size).map(tuple),
        st.lists(st.builds(WriteIn, st.sampled_from(writable), st.booleans()), max_size=2).map(
            tuple
        ),
        st.one_of(st.none(), st.none(), st.none(), st.just("有记号")),
    )
    papers = draw(st.lists(paper, max_size=25))
    present = draw(st.integers(len(papers), len(papers) + 6))
    # Now and then fewer papers issued than came back: the round is void (R4).
    issued = draw(st.integers(max(0, len(papers) - 2), present))
    kind = draw(st.sampled_from([RoundKind.REGULAR, RoundKind.BY_ELECTION, RoundKind.TIE_BREAK]))
    options = CountOptions(
        writein_without_mark=draw(st.sampled_from(list(WriteInWithoutMark))),
        tie_break_requires_majority=draw(st.booleans()),
    )
    blocked = frozenset(draw(st.lists(st.sampled_from(writable), max_size=1)))
    return RoundSpec(seats, candidates, present, issued, kind), papers, options, blocked


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_figures_add_up(
    case: tuple[RoundSpec, list[BallotPaper], CountOptions, frozenset[str]],
) -> None:
    spec, papers, options, blocked = case
    result = count_round(spec, papers, options, blocked)
    assert result.valid_papers + result.invalid_papers == len(papers)
    for person in result.votes:
        if person.listed:
            assert person.approvals + person.against + person.abstain == result.valid_papers
        else:
            assert person.against == person.abstain == 0
    assert len(result.elected) + result.tie_seats + result.unfilled_seats == spec.seats
    assert len(result.elected) + result.tie_seats <= spec.seats
    least = spec.threshold if result.threshold_applied else 1
    for name in result.elected + result.tied:
        person = result.votes_of(name)
        assert person.approvals >= least
        assert name not in blocked
    if not result.round_valid:
        assert len(papers) > spec.papers_issued
        assert result.elected == result.tied == () and result.unfilled_seats == spec.seats
    assert not set(result.elected) & set(result.tied)
    if result.tied:
        assert len(result.tied) > result.tie_seats


@settings(max_examples=200, deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_order_of_papers_does_not_matter(
    case: tuple[RoundSpec, list[BallotPaper], CountOptions, frozenset[str]], rng: random.Random
) -> None:
    spec, papers, options, blocked = case
    shuffled = list(papers)
    rng.shuffle(shuffled)
    assert count_round(spec, shuffled, options, blocked) == count_round(
        spec, papers, options, blocked
    )


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_one_by_one_equals_bulk(
    case: tuple[RoundSpec, list[BallotPaper], CountOptions, frozenset[str]],
) -> None:
    spec, papers, options, blocked = case
    tally = RoundTally(spec, options)
    for paper in papers:
        tally.add(paper)
    assert tally.result(blocked) == count_round(spec, papers, options, blocked)


@settings(max_examples=300, deadline=None)
@given(rounds(), st.data())
def test_one_more_approval_never_unelects(
    case: tuple[RoundSpec, list[BallotPaper], CountOptions, frozenset[str]], data: st.DataObject
) -> None:
    spec, papers, options, blocked = case
    before = count_round(spec, papers, options, blocked)
    for name in before.elected:
        index = spec.index_of(name)
        if index is None:
            continue
        for number, paper in enumerate(papers):
            judged = judge_paper(paper, spec, options)
            if not judged.valid or index in judged.approved_candidates:
                continue
            marks = list(paper.marks)
            marks[index] = Mark.FOR
            changed = BallotPaper(tuple(marks), paper.write_ins, paper.void_reason)
            if not judge_paper(changed, spec, options).valid:
                continue
            after = count_round(
                spec, [*papers[:number], changed, *papers[number + 1 :]], options, blocked
            )
            assert name in after.elected
