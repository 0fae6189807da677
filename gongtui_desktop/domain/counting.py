"""Counting one round of one contest (R4–R9).

A round is counted by :class:`RoundTally`, which accepts papers one at a time
(the live count at the table: constant work per paper) or in bulk (a recount
of a whole round), and turns its totals into a :class:`RoundResult`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from gongtui_desktop.domain.ballots import BallotPaper, Mark, normalize_name
from gongtui_desktop.domain.options import CountOptions, WriteInWithoutMark


class RoundKind(StrEnum):
    """Why a round is held: a contest is a sequence of rounds (R8, R9).

    A void round (R4) is held again with the same kind, seats and candidates.
    """

    REGULAR = "regular"
    TIE_BREAK = "tie_break"
    BY_ELECTION = "by_election"

    @property
    def label(self) -> str:
        return {
            "regular": "正式选举",
            "tie_break": "重新投票",
            "by_election": "另行选举",
        }[self.value]


@dataclass(frozen=True)
class RoundSpec:
    """What a round is about: seats to fill, names printed on the paper, voters present (R4)."""

    seats: int
    candidates: tuple[str, ...]
    present_voters: int
    papers_issued: int
    kind: RoundKind = RoundKind.REGULAR
    _index: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        names = tuple(normalize_name(c) for c in self.candidates)
        if any(not n for n in names):
            raise ValueError("候选人姓名不能为空")
        if len(set(names)) != len(names):
            raise ValueError("同一选票上的候选人姓名重复，请加以区分")
        if self.seats < 1:
            raise ValueError("应选人数至少为 1")
        if self.present_voters < 0 or self.papers_issued < 0:
            raise ValueError("实到人数和发出选票数不能为负数")
        object.__setattr__(self, "candidates", names)
        object.__setattr__(self, "_index", {n: i for i, n in enumerate(names)})

    @property
    def threshold(self) -> int:
        """R7: the least approvals that elect: more than half of voters present, not of papers."""
        return self.present_voters // 2 + 1

    def threshold_applies(self, options: CountOptions) -> bool:
        """R8: in a tie-break vote the most approvals win unless the plan asks for a majority."""
        return self.kind is not RoundKind.TIE_BREAK or options.tie_break_requires_majority

    def index_of(self, name: str) -> int | None:
        """The position of a printed name, or None for someone not on the paper."""
        return self._index.get(normalize_name(name))


class InvalidReason(StrEnum):
    """Why a paper is 废票 (R5)."""

    TOO_MANY = "too_many"
    DECLARED_VOID = "declared_void"

    @property
    def label(self) -> str:
        if self is InvalidReason.TOO_MANY:
            return "所选人数多于应选人数"
        return "监票人宣布作废"


@dataclass(frozen=True, slots=True)
class PaperJudgement:
    """What one paper means for one contest (R5, R6)."""

    valid: bool
    reason: InvalidReason | None
    approved_candidates: frozenset[int]
    approved_others: frozenset[str]
    ignored_write_ins: tuple[str, ...]
    detail: str = ""

    @property
    def approvals(self) -> int:
        """R5 counts distinct people approved."""
        return len(self.approved_candidates) + len(self.approved_others)

    def explanation(self) -> str:
        """The wording shown next to the paper, citing the rule."""
        if self.valid:
            return f"有效票：赞成 {self.approvals} 人"
        assert self.reason is not None
        suffix = f"：{self.detail}" if self.detail else ""
        return f"废票：{self.reason.label}{suffix}"


def _check_marks(paper: BallotPaper, spec: RoundSpec) -> None:
    if len(paper.marks) != len(spec.candidates):
        raise ValueError(
            f"选票有 {len(paper.marks)} 个标记，而候选人有 {len(spec.candidates)} 名：这是录入错误"
        )


def judge_paper(paper: BallotPaper, spec: RoundSpec, options: CountOptions) -> PaperJudgement:
    """R5/R6: whom a paper approves, and whether it is valid.

    A written name approves (with ○, or without it under ``count_as_for``); a
    written name that is printed on the paper approves that candidate whatever
    mark stands beside the printed name; nobody is approved twice on one paper.
    """
    _check_marks(paper, spec)
    approved = {i for i, mark in enumerate(paper.marks) if mark is Mark.FOR}
    others: set[str] = set()
    ignored: list[str] = []
    for write_in in paper.write_ins:
        approves = (
            write_in.marked or options.writein_without_mark is WriteInWithoutMark.COUNT_AS_FOR
        )
        if not approves:
            ignored.append(write_in.name)
            continue
        index = spec.index_of(write_in.name)
        if index is None:
            others.add(write_in.name)
        else:
            approved.add(index)
    if paper.void_reason is not None:
        return PaperJudgement(
            False,
            InvalidReason.DECLARED_VOID,
            frozenset(approved),
            frozenset(others),
            tuple(ignored),
            paper.void_reason,
        )
    count = len(approved) + len(others)
    if count > spec.seats:
        return PaperJudgement(
            False,
            InvalidReason.TOO_MANY,
            frozenset(approved),
            frozenset(others),
            tuple(ignored),
            f"赞成 {count} 人，应选 {spec.seats} 人",
        )
    return PaperJudgement(True, None, frozenset(approved), frozenset(others), tuple(ignored))


@dataclass(frozen=True, slots=True)
class PersonVotes:
    """One person's figures over the valid papers of a round (R14).

    A write-in person (``listed`` false) has no against or abstain figures (R6).
    """

    name: str
    listed: bool
    approvals: int
    against: int
    abstain: int
    electable: bool
    passed: bool


@dataclass(frozen=True)
class RoundResult:
    """The outcome of one round: every figure the report needs (R4–R9, R14)."""

    spec: RoundSpec
    papers_collected: int
    valid_papers: int
    invalid_by_reason: tuple[tuple[InvalidReason, int], ...]
    threshold_applied: bool
    votes: tuple[PersonVotes, ...]
    elected: tuple[str, ...]
    tied: tuple[str, ...]
    tie_seats: int
    unfilled_seats: int

    @property
    def round_valid(self) -> bool:
        """R4: more papers back than issued voids the round."""
        return self.papers_collected <= self.spec.papers_issued

    @property
    def invalid_papers(self) -> int:
        return self.papers_collected - self.valid_papers

    @property
    def threshold(self) -> int:
        return self.spec.threshold

    def votes_of(self, name: str) -> PersonVotes:
        wanted = normalize_name(name)
        for person in self.votes:
            if person.name == wanted:
                return person
        raise KeyError(name)

    def ranking(self) -> tuple[PersonVotes, ...]:
        """Everyone with figures, most approvals first (R8)."""
        return self.votes


class RoundTally:
    """Running totals of one round; adding or removing a paper costs one pass over its marks."""

    def __init__(self, spec: RoundSpec, options: CountOptions | None = None) -> None:
        self.spec = spec
        self.options = options or CountOptions()
        size = len(spec.candidates)
        self._for = [0] * size
        self._against = [0] * size
        self._others: Counter[str] = Counter()
        self._valid = 0
        self._invalid: Counter[InvalidReason] = Counter()

    @property
    def papers_collected(self) -> int:
        return self._valid + sum(self._invalid.values())

    def add(self, paper: BallotPaper) -> PaperJudgement:
        """Count one more paper; returns what it meant."""
        judgement = judge_paper(paper, self.spec, self.options)
        self._apply(paper, judgement, 1)
        return judgement

    def remove(self, paper: BallotPaper) -> PaperJudgement:
        """Take back a paper counted earlier (a correction voids and re-enters it).

        A paper that was never counted cannot be taken back: no figure goes below zero.
        """
        judgement = judge_paper(paper, self.spec, self.options)
        self._apply(paper, judgement, -1)
        negative = (
            self._valid < 0
            or any(n < 0 for n in self._for)
            or any(n < 0 for n in self._against)
            or any(n < 0 for n in self._invalid.values())
            or any(n < 0 for n in self._others.values())
        )
        if negative:
            self._apply(paper, judgement, 1)
            raise ValueError("这张选票没有计入本轮，不能撤销")
        return judgement

    def add_many(self, papers: Iterable[BallotPaper]) -> None:
        """Count many papers at once: same totals as :meth:`add` one by one, column-wise."""
        seats = self.spec.seats
        plain: list[tuple[Mark, ...]] = []
        for paper in papers:
            if paper.write_ins or paper.void_reason is not None:
                self.add(paper)
                continue
            _check_marks(paper, self.spec)
            if paper.marks.count(Mark.FOR) > seats:
                self._invalid[InvalidReason.TOO_MANY] += 1
            else:
                plain.append(paper.marks)
        self._valid += len(plain)
        # zip(*) transposes papers into per-candidate columns in C; tuple.count is C too.
        for index, column in enumerate(zip(*plain, strict=True)):
            self._for[index] += column.count(Mark.FOR)
            self._against[index] += column.count(Mark.AGAINST)

    def _apply(self, paper: BallotPaper, judgement: PaperJudgement, sign: int) -> None:
        if not judgement.valid:
            assert judgement.reason is not None
            self._invalid[judgement.reason] += sign
            return
        self._valid += sign
        approved = judgement.approved_candidates
        for index, mark in enumerate(paper.marks):
            if index in approved:
                self._for[index] += sign
            elif mark is Mark.AGAINST:
                self._against[index] += sign
        for name in judgement.approved_others:
            self._others[name] += sign

    def result(self, not_electable: frozenset[str] = frozenset()) -> RoundResult:
        """Decide the round: threshold (R7), ranking and ties (R8), shortfall (R9), R4 voiding.

        ``not_electable`` names people without the right to be elected (R1): their
        approvals are shown, but they are passed over when seats are filled (R6).
        """
        spec = self.spec
        applies = spec.threshold_applies(self.options)
        # Without the majority requirement a tie-break still needs at least one approval.
        needed = spec.threshold if applies else 1
        blocked = {normalize_name(n) for n in not_electable}
        rows: list[tuple[tuple[int, int, int | str], PersonVotes]] = []
        for index, name in enumerate(spec.candidates):
            approvals = self._for[index]
            against = self._against[index]
            electable = name not in blocked
            person = PersonVotes(
                name,
                True,
                approvals,
                against,
                self._valid - approvals - against,
                electable,
                electable and approvals >= needed,
            )
            rows.append(((-approvals, 0, index), person))
        # R8: a tie-break is held among the tied only; a name written in is shown, never elected.
        others_may_pass = spec.kind is not RoundKind.TIE_BREAK
        for name, approvals in self._others.items():
            if approvals == 0:
                continue
            electable = name not in blocked
            passed = others_may_pass and electable and approvals >= needed
            person = PersonVotes(name, False, approvals, 0, 0, electable, passed)
            rows.append(((-approvals, 1, name), person))
        rows.sort(key=lambda row: row[0])
        ranked = tuple(person for _, person in rows)
        invalid = tuple(
            sorted(self._invalid.items(), key=lambda item: list(InvalidReason).index(item[0]))
        )
        invalid = tuple((reason, n) for reason, n in invalid if n)
        collected = self.papers_collected
        if collected > spec.papers_issued:
            return RoundResult(
                spec, collected, self._valid, invalid, applies, ranked, (), (), 0, spec.seats
            )
        elected, tied, tie_seats, unfilled = fill_seats(
            [(p.name, p.approvals) for p in ranked if p.passed], spec.seats
        )
        return RoundResult(
            spec,
            collected,
            self._valid,
            invalid,
            applies,
            ranked,
            elected,
            tied,
            tie_seats,
            unfilled,
        )


def fill_seats(
    passing: Sequence[tuple[str, int]], seats: int
) -> tuple[tuple[str, ...], tuple[str, ...], int, int]:
    """R8/R9: seats in order of approvals among those who passed.

    ``passing`` is ordered by approvals, most first. Returns (elected, tied,
    tie_seats, unfilled_seats): equal approvals across the last seat send only
    the tied people to a tie-break for the remaining seats; too few passing
    leaves seats for a by-election; a seat is never filled below the threshold.
    """
    if len(passing) <= seats:
        return tuple(name for name, _ in passing), (), 0, seats - len(passing)
    boundary = passing[seats - 1][1]
    if passing[seats][1] != boundary:
        return tuple(name for name, _ in passing[:seats]), (), 0, 0
    elected = tuple(name for name, votes in passing if votes > boundary)
    tied = tuple(name for name, votes in passing if votes == boundary)
    return elected, tied, seats - len(elected), 0


def count_round(
    spec: RoundSpec,
    papers: Iterable[BallotPaper],
    options: CountOptions | None = None,
    not_electable: frozenset[str] = frozenset(),
) -> RoundResult:
    """Count a whole round from its papers (R4–R9)."""
    tally = RoundTally(spec, options)
    tally.add_many(papers)
    return tally.result(not_electable)
