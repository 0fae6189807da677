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


def closing_problems(election: ElectionFile) -> list[str]:
    """Why the evaluation cannot be closed yet, in words (empty: it can).

    E1: forms of a rater group were keyed but its issued/returned counts were never
    entered, or more forms were keyed than returned: the participation cannot be stated,
    so closing waits, whatever the plan says about the four-fifths rule. When the plan
    requires it, returns must be more than four fifths of those issued.
    """
    problems: list[str] = []
    forms = election.evaluation_forms()
    if not forms:
        problems.append("还没有录入测评表")
    keyed = {group: sum(1 for f in forms if f.group is group) for group in RaterGroup}
    figures = participation(election)
    for group, counts in figures.items():
        label = f"{group.label}测评表"
        if keyed[group] and not counts.issued:
            problems.append(
                f"请先登记{label}的发出和收回数：已录入 {keyed[group]} 张，"
                f"登记的却是发出 {counts.issued} 张、收回 {counts.returned} 张（在“测评设置”中登记）"
            )
            continue
        if keyed[group] > counts.returned:
            problems.append(
                f"{label}录入了 {keyed[group]} 张，多于登记收回的 {counts.returned} 张："
                "请核对收回数或撤销多录的测评表"
            )
        if counts.returned > counts.issued:
            problems.append(f"{label}收回 {counts.returned} 张，多于发出的 {counts.issued} 张")
        if (
            election.plan().evaluation.require_participation
            and counts.issued
            and not counts.over_four_fifths
        ):
            problems.append(
                f"{label}收回 {counts.returned}/{counts.issued}，未超过五分之四，测评无效"
            )
    return problems


@dataclass(frozen=True)
class EvaluationClosed:
    """What closing the evaluation did: each position's 预备人选 handed to a contest, and in
    words what became of every position evaluated (also when nothing was handed on)."""

    chosen: dict[Position, list[str]]
    outcome: tuple[str, ...]


def close_evaluation(election: ElectionFile, operator: str) -> EvaluationClosed:
    """Freeze the evaluation (audit, backup) and make each position's 预备人选 the candidates
    of its contests: committee in 姓氏笔画 order (R11), secretary/deputy in ranking order;
    every hand-off is checked for 差额 (R10) and participation (E1) before anything is
    written."""
    problems = closing_problems(election)
    if problems:
        raise ElectionFileError("；".join(problems))
    handoff: list[tuple[int, list[tuple[int, str]]]] = []
    chosen: dict[Position, list[str]] = {}
    outcome: list[str] = []
    results = {r.position: r for r in evaluation_results(election)}
    received: set[Position] = set()
    for record in election.contests():
        result = results.get(record.contest.position)
        if result is None:
            continue
        title = record.contest.display_title
        if record.contest.restricted_to is not None:
            outcome.append(f"“{title}”的候选人从前一项的当选人中产生，不用预备人选")
            received.add(record.contest.position)
            continue
        if election.rounds(record.id):
            outcome.append(f"“{title}”已经开始投票，候选人没有改变")
            received.add(record.contest.position)
            continue
        people = [(int(k), result.name(k)) for k in result.overall.shortlist.chosen]
        if record.contest.position.stroke_ordered:
            order = stroke_table().order([name for _, name in people]).names
            people.sort(key=lambda p: order.index(p[1]))
        slate = record.contest.slate(len(people))
        if not slate.ok:
            raise ElectionFileError(f"{title}：{slate.explanation()}")
        handoff.append((record.id, people))
        chosen[record.contest.position] = [name for _, name in people]
        received.add(record.contest.position)
        order_note = "（按姓氏笔画）" if record.contest.position.stroke_ordered else ""
        outcome.append(
            f"{len(people)} 名预备人选成为“{title}”的选举候选人{order_note}："
            + "、".join(name for _, name in people)
        )
    for position, result in results.items():
        if position not in received:
            names = "、".join(result.name(k) for k in result.overall.shortlist.chosen)
            outcome.append(
                f"{position.label}：选举方案中没有这一职务的选举项目，"
                f"预备人选（{names or '无'}）没有成为选举候选人"
            )
    election.close_stage(operator, "evaluation")
    for contest_id, people in handoff:
        election.set_contest_candidates(operator, contest_id, people)
    return EvaluationClosed(chosen, tuple(outcome))
