"""Recommendation (公推): tallies from forms or hand counts, ranking, review, hand-off (N1–N6).

Per position and form channel the votes come from the entered forms (N2 applied
per form) or, when no form was entered for that channel, from the totals typed
from a hand count; 组织推荐 and 个人自荐 come from their own records. Scores and
the 初步人选 line use the plan's method, weights and ratio (N3, N5); the review
checks each shortlisted person against the plan's conditions (N4).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from gongtui_desktop.domain.nomination import (
    FormTallies,
    NominationResult,
    ScoringMethod,
    Tally,
    rank_nominations,
    tally_forms,
)
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.review import ReviewResult, review
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.stroke_data import stroke_table

FORM_CHANNELS = ("member", "mass")
CHANNEL_LABELS = {
    "member": "党员推荐",
    "mass": "群众推荐",
    "organization": "组织推荐",
    "self": "个人自荐",
}


@dataclass(frozen=True)
class PositionRanking:
    """One position's recommendation: who, with which votes, the score and the line (N1–N5)."""

    position: Position
    seats: int
    ratio: Fraction
    names: dict[str, str]  # person id (as text) → name
    tallies: dict[str, Tally]
    valid_forms: dict[str, int]
    invalid_forms: dict[str, int]
    result: NominationResult
    problems: tuple[str, ...] = ()  # why the scores cannot be trusted yet

    def name(self, key: str) -> str:
        return self.names.get(key, key)


def planned_seats(election: ElectionFile) -> dict[Position, int]:
    """The seats to recommend for: those recorded, or, while none are, each position's seats
    in the election's contests (a contest whose candidates come from the one before is not
    recommended for), so a plan with 3 委员 proposes 3 rather than 0."""
    recorded = election.recommendation_seats()
    if recorded:
        return recorded
    planned: dict[Position, int] = {}
    for record in election.contests():
        if record.contest.restricted_to is None:
            planned.setdefault(record.contest.position, record.contest.seats)
    return {position: planned[position] for position in Position if position in planned}


def record_planned_seats(election: ElectionFile, operator: str) -> dict[Position, int]:
    """Before the first form or total is written: the proposed seats become the recorded
    ones (with their audit entry), so what was shown is what the forms are counted by."""
    if not election.recommendation_seats():
        for position, seats in planned_seats(election).items():
            election.set_recommendation_seats(operator, position, seats)
    return election.recommendation_seats()


def reference_date(election: ElectionFile) -> date:
    value = election.election_details().get("reference_date")
    return date.fromisoformat(str(value)) if value else date.today()


def _form_tallies(election: ElectionFile) -> dict[tuple[Position, str], FormTallies]:
    """N2 per form, per position and channel."""
    seats = election.recommendation_seats()
    grouped: dict[tuple[Position, str], list[list[str]]] = {}
    for _, _, channel, names in election.recommendation_form_records():
        for position in seats:
            people = [
                str(pid) if pid is not None else name for pid, name in names.get(position, [])
            ]
            grouped.setdefault((position, channel), []).append(people)
    return {key: tally_forms(forms, seats[key[0]]) for key, forms in grouped.items()}


def rankings(election: ElectionFile) -> list[PositionRanking]:
    """Every position the plan recommends for, in the order 委员, 书记, 副书记."""
    settings = election.recommendation_settings()
    seats = {position: value[0] for position, value in settings.items()}
    names = {str(p.id): p.person.name for p in election.people()}
    forms = _form_tallies(election)
    totals = election.recommendation_totals()
    counts = election.form_counts("recommendation")
    result = []
    for position in Position:
        if position not in seats:
            continue
        votes: dict[str, Counter[str]] = {c: Counter() for c in FORM_CHANNELS}
        valid: dict[str, int] = {}
        invalid: dict[str, int] = {}
        for channel in FORM_CHANNELS:
            tallies = forms.get((position, channel))
            if tallies is not None:
                votes[channel].update(tallies.votes)
                valid[channel], invalid[channel] = tallies.valid_forms, tallies.invalid_forms
            else:
                for (pos, person_id, ch), n in totals.items():
                    if pos is position and ch == channel:
                        votes[channel][str(person_id)] += n
                valid[channel] = counts.get(channel, (0, 0))[1]
                invalid[channel] = 0
        nominated: dict[str, set[str]] = {}
        for pos, person_id, channel, _ in election.nominations():
            if pos is position:
                nominated.setdefault(str(person_id), set()).add(channel)
        people = set(votes["member"]) | set(votes["mass"]) | set(nominated)
        tallies_by_person = {
            key: Tally(
                votes["member"][key],
                votes["mass"][key],
                "organization" in nominated.get(key, set()),
                "self" in nominated.get(key, set()),
            )
            for key in sorted(people, key=lambda k: (names.get(k, k), k))
        }
        nomination = settings[position][1]
        # N3: a rate over 0 forms scores 0, which would silently drop the channel's votes.
        problems = tuple(
            f"{position.label}：{CHANNEL_LABELS[channel]}有得票，但没有登记收回的推荐票数，"
            "按比例计分时这部分得分为 0；请先登记发出和收回的推荐票数"
            for channel in FORM_CHANNELS
            if nomination.method is ScoringMethod.WEIGHTED_RATE
            and sum(votes[channel].values()) > 0
            and not valid.get(channel, 0)
        )
        ranked = rank_nominations(
            tallies_by_person,
            seats[position],
            nomination.ratio,
            nomination.method,
            nomination.weights,
            valid.get("member", 0),
            valid.get("mass", 0),
        )
        result.append(
            PositionRanking(
                position,
                seats[position],
                nomination.ratio,
                names,
                tallies_by_person,
                valid,
                invalid,
                ranked,
                problems,
            )
        )
    return result


@dataclass(frozen=True)
class ReviewRow:
    """N4 for one shortlisted person, with the review group's decision if made."""

    position: Position
    person_id: int
    name: str
    check: ReviewResult
    decision: bool | None
    note: str


def review_rows(election: ElectionFile) -> list[ReviewRow]:
    """Each 初步人选 checked against their position's conditions at the reference date (N4)."""
    settings = election.recommendation_settings()
    when = reference_date(election)
    people = {p.id: p for p in election.people()}
    decisions = election.review_decisions()
    rows = []
    for ranking in rankings(election):
        for key in ranking.result.shortlist.chosen:
            if not key.isdigit() or int(key) not in people:
                continue
            record = people[int(key)]
            decided = decisions.get((ranking.position, record.id))
            rows.append(
                ReviewRow(
                    ranking.position,
                    record.id,
                    record.person.name,
                    review(record.person, settings[ranking.position][2], when),
                    None if decided is None else decided[0],
                    "" if decided is None else decided[1],
                )
            )
    return rows


def close_recommendation(election: ElectionFile, operator: str) -> dict[Position, list[str]]:
    """Freeze the recommendation (audit, backup) and hand the approved 初步人选 on:
    to the evaluation when the plan has one, else to the election's contests (R11 order
    for the committee). Every shortlisted person needs the review group's decision first.
    """
    problems = [problem for ranking in rankings(election) for problem in ranking.problems]
    if problems:
        raise ElectionFileError("\n".join(problems))
    rows = review_rows(election)
    undecided = [row.name for row in rows if row.decision is None]
    if undecided:
        raise ElectionFileError(f"还有 {len(undecided)} 人未作资格审查决定：{'、'.join(undecided)}")
    approved: dict[Position, list[tuple[int, str]]] = {}
    for row in rows:
        if row.decision:
            approved.setdefault(row.position, []).append((row.person_id, row.name))
    if not approved:
        raise ElectionFileError("没有通过资格审查的初步人选")
    plan = election.plan()
    handoff: list[tuple[int, list[tuple[int, str]]]] = []
    if not plan.has_evaluation:
        # R10 is checked for every contest before anything is frozen, as at the
        # evaluation's close: a slate too short for its seats is not handed on.
        for contest in election.contests():
            people = approved.get(contest.contest.position)
            if (
                people is None
                or contest.contest.restricted_to is not None
                or election.rounds(contest.id)
            ):
                continue
            if contest.contest.position.stroke_ordered:
                order = stroke_table().order([name for _, name in people]).names
                people = sorted(people, key=lambda p: order.index(p[1]))
            slate = contest.contest.slate(len(people))
            if not slate.ok:
                raise ElectionFileError(f"{contest.contest.display_title}：{slate.explanation()}")
            handoff.append((contest.id, people))
    election.close_stage(operator, "recommendation")
    if plan.has_evaluation:
        seen: dict[int, None] = {}
        for people in approved.values():
            for person_id, _ in people:
                seen.setdefault(person_id)
        election.set_evaluation_candidates(operator, list(seen))
    for contest_id, people in handoff:
        election.set_contest_candidates(operator, contest_id, people)
    return {position: [name for _, name in people] for position, people in approved.items()}
