"""A contest as a sequence of rounds, and the plan's order of contests (R4, R8, R9, R10, R15).

A contest starts with a regular round; a void round (R4) is voted again, a tie
at the last seat (R8) sends the tied people to a tie-break round, a shortfall
(R9) leaves seats for a by-election (or, by the meeting's decision, fewer
seats). :func:`contest_progress` folds the rounds' results into the elected
list and says which round, if any, comes next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gongtui_desktop.domain.ballots import normalize_name
from gongtui_desktop.domain.counting import RoundKind, RoundResult, RoundSpec
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.slate import SlateCheck, check_slate, minimum_candidates


@dataclass(frozen=True)
class Contest:
    """One contest of the plan: a position, its seats and its candidates in paper order."""

    key: str
    position: Position
    seats: int
    candidates: tuple[str, ...]
    title: str = ""
    equal_approved: bool = False
    restricted_to: str | None = None

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError(f"{self.display_title}：应选人数至少为 1")
        names = tuple(normalize_name(c) for c in self.candidates)
        if len(set(names)) != len(names):
            raise ValueError(f"{self.display_title}：候选人姓名重复")
        object.__setattr__(self, "candidates", names)

    @property
    def display_title(self) -> str:
        return self.title or self.position.label

    def slate(self, candidates: int | None = None) -> SlateCheck:
        """R10 for this contest's candidate list, or for a list of ``candidates`` people
        about to be handed to it."""
        count = len(self.candidates) if candidates is None else candidates
        return check_slate(self.seats, count, self.position, self.equal_approved)

    def first_round(self, present_voters: int, papers_issued: int | None = None) -> RoundSpec:
        """The regular round; papers issued default to voters present (R4)."""
        issued = present_voters if papers_issued is None else papers_issued
        return RoundSpec(self.seats, self.candidates, present_voters, issued, RoundKind.REGULAR)


@dataclass(frozen=True, slots=True)
class NextRound:
    """The round a contest still needs, with the names proposed for its paper."""

    kind: RoundKind
    seats: int
    candidates: tuple[str, ...]
    reason: str
    tied_at_cutoff: tuple[str, ...] = ()

    def spec(self, present_voters: int, papers_issued: int | None = None) -> RoundSpec:
        issued = present_voters if papers_issued is None else papers_issued
        return RoundSpec(self.seats, self.candidates, present_voters, issued, self.kind)


@dataclass(frozen=True, slots=True)
class SeatReduction:
    """R9 alternative: the meeting decides to reduce the seats instead of a by-election.

    ``after_round`` is how many rounds had been held when the meeting decided.
    """

    seats: int
    decision: str
    after_round: int

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError("减少的名额至少为 1")
        if self.after_round < 1:
            raise ValueError("减少名额须在投票之后决定")
        if not self.decision.strip():
            raise ValueError("减少名额须记录会议的决定")


@dataclass(frozen=True)
class ContestProgress:
    """Where a contest stands after the rounds held so far."""

    contest: Contest
    elected: tuple[str, ...]
    seats_reduced: int
    next_round: NextRound | None

    @property
    def seats(self) -> int:
        return self.contest.seats - self.seats_reduced

    @property
    def seats_remaining(self) -> int:
        return self.seats - len(self.elected)

    @property
    def done(self) -> bool:
        return self.next_round is None


def propose_by_election(
    result: RoundResult, elected: Sequence[str], seats: int, position: Position
) -> NextRound:
    """R9: by-election candidates from the round's ranking, enough for 差额 (R10).

    People not elected and with the right to be elected, most approvals first;
    everyone tied with the last proposed name is proposed too, and flagged.
    """
    taken = set(elected)
    pool = [p for p in result.votes if p.electable and p.name not in taken]
    wanted = minimum_candidates(seats, position)
    if len(pool) <= wanted:
        chosen, tied = pool, []
    else:
        cutoff = pool[wanted - 1].approvals
        chosen = [p for p in pool if p.approvals >= cutoff]
        tied = [p for p in chosen if p.approvals == cutoff] if len(chosen) > wanted else []
    return NextRound(
        RoundKind.BY_ELECTION,
        seats,
        tuple(p.name for p in chosen),
        f"当选人数不足应选人数，差 {seats} 名，另行选举",
        tuple(p.name for p in tied),
    )


def contest_progress(
    contest: Contest,
    results: Sequence[RoundResult],
    reduction: SeatReduction | None = None,
) -> ContestProgress:
    """Fold the rounds of a contest, in the order held, into its elected list (R4, R8, R9).

    Each round must be the one the previous results called for (kind and seats);
    a round that does not fit is an error of the record, not a silent outcome.
    """
    elected: list[str] = []
    expected: NextRound | None = NextRound(
        RoundKind.REGULAR, contest.seats, contest.candidates, "正式选举"
    )
    reduced = 0
    if reduction is not None and reduction.after_round > len(results):
        raise ValueError(
            f"减少名额的决定在第 {reduction.after_round} 轮之后，但只有 {len(results)} 轮"
        )
    for number, result in enumerate(results, start=1):
        if expected is None:
            raise ValueError(f"{contest.display_title}已选举完毕，第 {number} 轮是多余的")
        spec = result.spec
        if spec.kind is not expected.kind or spec.seats != expected.seats:
            raise ValueError(
                f"{contest.display_title}第 {number} 轮应为{expected.kind.label}（应选 "
                f"{expected.seats} 名），记录为{spec.kind.label}（应选 {spec.seats} 名）"
            )
        expected = _after(contest, result, elected, number)
        if reduction is not None and reduction.after_round == number:
            expected = _reduce(expected, reduction)
            reduced = reduction.seats
    return ContestProgress(contest, tuple(elected), reduced, expected)


def _after(
    contest: Contest, result: RoundResult, elected: list[str], number: int
) -> NextRound | None:
    """The round a contest needs after ``result`` (R4, R8, R9); adds the newly elected."""
    spec = result.spec
    if not result.round_valid:
        return NextRound(
            spec.kind,
            spec.seats,
            spec.candidates,
            f"收回选票 {result.papers_collected} 张多于发出 {spec.papers_issued} 张，"
            "本轮选举无效，重新投票",
        )
    again = [name for name in result.elected if name in elected]
    if again:
        raise ValueError(f"第 {number} 轮选出的{'、'.join(again)}此前已经当选")
    elected.extend(result.elected)
    if result.tied:
        return NextRound(
            RoundKind.TIE_BREAK,
            result.tie_seats,
            result.tied,
            f"{'、'.join(result.tied)}得票相等，就剩余 {result.tie_seats} 个名额重新投票",
        )
    if result.unfilled_seats:
        return propose_by_election(result, elected, result.unfilled_seats, contest.position)
    return None


def _reduce(expected: NextRound | None, reduction: SeatReduction) -> NextRound | None:
    """R9 alternative, applied at the point of the contest where the meeting decided it."""
    if expected is None or expected.kind is not RoundKind.BY_ELECTION:
        raise ValueError("只有在当选人数不足、需要另行选举时，才能决定减少名额")
    if reduction.seats > expected.seats:
        raise ValueError(f"最多只能减少 {expected.seats} 个名额")
    left = expected.seats - reduction.seats
    if left == 0:
        return None
    return NextRound(
        RoundKind.BY_ELECTION,
        left,
        expected.candidates,
        f"{reduction.decision}；仍差 {left} 名，另行选举",
        expected.tied_at_cutoff,
    )


def check_contest_order(contests: Sequence[Contest]) -> tuple[str, ...]:
    """R15: a contest may only be restricted to a contest held before it."""
    problems: list[str] = []
    seen: set[str] = set()
    for contest in contests:
        if contest.key in seen:
            problems.append(f"选举项目“{contest.display_title}”重复")
        if contest.restricted_to is not None and contest.restricted_to not in seen:
            problems.append(
                f"“{contest.display_title}”限定在前一项选举的当选人中产生，但该项选举不在它之前"
            )
        seen.add(contest.key)
    return tuple(problems)


def restriction_violations(
    contest: Contest, progress_by_key: Mapping[str, ContestProgress]
) -> tuple[str, ...]:
    """R15: candidates of a restricted contest who were not elected in the earlier contest."""
    if contest.restricted_to is None:
        return ()
    earlier = progress_by_key.get(contest.restricted_to)
    if earlier is None or not earlier.done:
        raise ValueError(f"“{contest.display_title}”须待前一项选举完成后才能确定候选人")
    allowed = set(earlier.elected)
    return tuple(name for name in contest.candidates if name not in allowed)
