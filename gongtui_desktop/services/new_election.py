"""Creating an election from the wizard's answers (R10, R11, R15)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.domain.plan import PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.slate import check_slate
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.stroke_data import stroke_table


def split_names(text: str) -> tuple[str, ...]:
    """Names as typed: separated by 、，, ; spaces or new lines."""
    return tuple(n for n in re.split(r"[、，,；;\s]+", text) if n)


@dataclass(frozen=True)
class ContestDraft:
    """One contest as typed in the wizard."""

    position: Position
    seats: int
    names: tuple[str, ...]
    title: str = ""
    restricted_to_previous: bool = False
    equal_approved: bool = False
    candidates_later: bool = False
    """No names now: the candidates come from 民主推荐 and 民主测评 when that stage closes."""

    @property
    def display_title(self) -> str:
        return self.title or self.position.label

    def ordered_names(self) -> tuple[str, ...]:
        """R11: committee candidates in 姓氏笔画 order; secretary/deputy as approved (typed)."""
        if self.position.stroke_ordered:
            return stroke_table().order(self.names).names
        return self.names


def check_drafts(drafts: Sequence[ContestDraft]) -> list[str]:
    """Everything wrong with the contests, in words for the user (R10, R11, R15)."""
    problems: list[str] = []
    if not drafts:
        problems.append("至少需要一个选举项目")
    for number, draft in enumerate(drafts, start=1):
        label = f"第 {number} 项“{draft.display_title}”"
        if draft.seats < 1:
            problems.append(f"{label}：应选人数至少为 1")
            continue
        if len(set(draft.names)) != len(draft.names):
            problems.append(f"{label}：候选人姓名重复")
        if draft.restricted_to_previous:
            if number == 1:
                problems.append(f"{label}：第一项不能限定在前一项的当选人中产生")
            if draft.names:
                problems.append(f"{label}：候选人在前一项选举结束后从当选人中确定，这里不用填写")
            continue
        if draft.candidates_later:
            if draft.names:
                problems.append(
                    f"{label}：候选人由民主推荐、民主测评产生，这里不用填写；"
                    "已经确定的候选人请选择“候选人已经确定，现在填写”"
                )
            continue
        if not draft.names:
            problems.append(f"{label}：请填写候选人，或选择“候选人由民主推荐、民主测评产生”")
            continue
        slate = check_slate(draft.seats, len(draft.names), draft.position, draft.equal_approved)
        if not slate.ok:
            problems.append(f"{label}：{slate.explanation()}")
        unknown = stroke_table().order(draft.names).unknown_characters
        if draft.position.stroke_ordered and unknown:
            problems.append(f"{label}：{'、'.join(sorted(unknown))} 缺少笔画数据，排在最后")
    return problems


def create_election(
    path: Path,
    *,
    title: str,
    organization: str,
    higher_organization: str,
    meeting_date: date,
    drafts: Sequence[ContestDraft],
    plan: PlanOptions,
    operator: str,
) -> Path:
    """Write a new election file. Candidates typed become full members of the roster (to be
    completed by the roster import, which matches them by name). A contest whose candidates
    come later starts empty: its position's recommendation seats are set to its seats, and
    the recommendation's or evaluation's close names its candidates (R10, R11, N5)."""
    problems = [p for p in check_drafts(drafts) if "缺少笔画数据" not in p]
    if problems:
        raise ValueError("；".join(problems))
    with ElectionFile.create(
        path,
        title=title,
        organization=organization,
        higher_organization=higher_organization,
        reference_date=meeting_date,
        operator=operator,
    ) as election:
        election.set_plan(operator, plan)
        election.update_meeting(operator, "election", held_on=meeting_date)
        names = list(dict.fromkeys(n for d in drafts for n in d.names))
        ids: dict[str, int] = {}
        if names:
            ids = dict(
                zip(
                    names,
                    election.add_people(
                        operator,
                        [{"name": n, "status": MemberStatus.FULL} for n in names],
                        "录入候选人",
                    ),
                    strict=True,
                )
            )
        later: dict[Position, int] = {}
        for draft in drafts:
            if draft.candidates_later:
                later.setdefault(draft.position, draft.seats)
        for position, seats in later.items():
            election.set_recommendation_seats(operator, position, seats)
        previous: int | None = None
        for draft in drafts:
            previous = election.add_contest(
                operator,
                draft.position,
                draft.seats,
                [(ids[n], n) for n in draft.ordered_names()],
                title=draft.title,
                equal_approved=draft.equal_approved,
                restricted_to=previous if draft.restricted_to_previous else None,
            )
    return path
