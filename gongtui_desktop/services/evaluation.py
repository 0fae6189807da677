"""Evaluation (测评): results per position and rater group, closing and hand-off (E1–E5, R10, R11).

The people evaluated are the approved 初步人选; each is judged with the others of
the position they were approved for, so the 预备人选 line uses that position's
seats. All figures come from :func:`gongtui_desktop.domain.evaluation.evaluate`,
the same code the scenario cases run through.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongtui_desktop.domain.evaluation import (
    EvaluationForm,
    EvaluationResult,
    Participation,
    RaterGroup,
    evaluate,
)
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.stroke_data import stroke_table

GROUP_CHANNELS = {RaterGroup.MEMBER: "member", RaterGroup.NON_MEMBER: "mass"}


@dataclass(frozen=True)
class PositionEvaluation:
    """One position's evaluation: everyone together, and each rater group on its own (E1)."""

    position: Position
    seats: int
    people: tuple[int, ...]
    names: dict[str, str]
    overall: EvaluationResult
    by_group: dict[RaterGroup, EvaluationResult]

    def name(self, key: str) -> str:
        return self.names.get(key, key)


def positions_of_candidates(election: ElectionFile) -> dict[Position, list[int]]:
    """Which position each evaluated person stands for: the one their review approved, else
    the contest listing them; everyone else is evaluated for the committee."""
    candidates = election.evaluation_candidates()
    result: dict[Position, list[int]] = {}
    approved = [(p, i) for (p, i), (passed, _) in election.review_decisions().items() if passed]
    listed = {
        person_id: record.contest.position
        for record in election.contests()
        for person_id in record.candidate_people
        if person_id is not None
    }
    for person_id in candidates:
        positions = [p for p, i in approved if i == person_id] or [
            listed.get(person_id, Position.COMMITTEE)
        ]
        for position in positions:
            result.setdefault(position, []).append(person_id)
    return {position: result[position] for position in Position if position in result}


def participation(election: ElectionFile) -> dict[RaterGroup, Participation]:
    """E1: forms returned of issued, members and non-members separately."""
    counts = election.form_counts("evaluation")
    return {
        group: Participation(*counts.get(channel, (0, 0)))
        for group, channel in GROUP_CHANNELS.items()
    }


def evaluation_results(election: ElectionFile) -> list[PositionEvaluation]:
    options = election.plan().evaluation
    forms = election.evaluation_forms()
    names = {str(p.id): p.person.name for p in election.people()}
    seats = {position: n for position, (n, _, _) in election.recommendation_settings().items()}
    for record in election.contests():
        seats.setdefault(record.contest.position, record.contest.seats)
    results = []
    for position, people in positions_of_candidates(election).items():
        keys = [str(p) for p in people]
        # A form rates everyone evaluated; for this position only its own people count.
        trimmed = [
            EvaluationForm(f.group, {k: v for k, v in f.ratings.items() if k in keys})
            for f in forms
        ]
        count = seats.get(position, 1)
        results.append(
            PositionEvaluation(
                position,
                count,
                tuple(people),
                names,
                evaluate(keys, trimmed, options, count),
                {group: evaluate(keys, trimmed, options, count, group) for group in RaterGroup},
            )
        )
    return results


def close_evaluation(election: ElectionFile, operator: str) -> dict[Position, list[str]]:
    """Freeze the evaluation (audit, backup) and make each position's 预备人选 the candidates
    of its contests: committee in 姓氏笔画 order (R11), secretary/deputy in ranking order;
    every hand-off is checked for 差额 (R10) before anything is written."""
    options = election.plan().evaluation
    if options.require_participation:
        keyed = {form.group for form in election.evaluation_forms()}
        for group, figures in participation(election).items():
            if group in keyed and not figures.issued:
                # Without the issued count E1 cannot be checked, so it is not skipped.
                raise ElectionFileError(
                    f"方案要求核对参与率：请先登记{group.label}测评表的发出和收回数"
                )
            if figures.issued and not figures.over_four_fifths:
                raise ElectionFileError(
                    f"{group.label}测评表收回 {figures.returned}/{figures.issued}，"
                    "未超过五分之四，测评无效"
                )
    if not election.evaluation_form_ids():
        raise ElectionFileError("还没有录入测评表")
    handoff: list[tuple[int, list[tuple[int, str]]]] = []
    chosen: dict[Position, list[str]] = {}
    results = {r.position: r for r in evaluation_results(election)}
    for record in election.contests():
        result = results.get(record.contest.position)
        if result is None or record.contest.restricted_to is not None or election.rounds(record.id):
            continue
        people = [(int(k), result.name(k)) for k in result.overall.shortlist.chosen]
        if record.contest.position.stroke_ordered:
            order = stroke_table().order([name for _, name in people]).names
            people.sort(key=lambda p: order.index(p[1]))
        slate = record.contest.slate(len(people))
        if not slate.ok:
            raise ElectionFileError(f"{record.contest.display_title}：{slate.explanation()}")
        handoff.append((record.id, people))
        chosen[record.contest.position] = [name for _, name in people]
    election.close_stage(operator, "evaluation")
    for contest_id, people in handoff:
        election.set_contest_candidates(operator, contest_id, people)
    return chosen
