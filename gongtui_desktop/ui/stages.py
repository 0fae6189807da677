"""The stages of an election in the order a branch goes through them, each with its state,
and the one to do next: 名册 → 推荐 → 测评 → 签到 → 选举 → 归档.

The start page shows them for the last election opened; the main window opens an election
on the tab of its next stage (:func:`show_next_stage`). Everything is read from the file;
nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtWidgets import QTabWidget

from gongtui_desktop.services.attendance import meeting_figures
from gongtui_desktop.services.recommendation import planned_seats
from gongtui_desktop.store.election_file import ElectionFile

STAGES = ("roster", "recommendation", "evaluation", "meeting", "election", "archive")
STAGE_LABELS = {
    "roster": "名册",
    "recommendation": "推荐",
    "evaluation": "测评",
    "meeting": "签到",
    "election": "选举",
    "archive": "归档",
}
# The tab where each stage is done; the archive is exported from the counting tab (and 文件).
STAGE_TABS = {
    "roster": "党员名册",
    "recommendation": "民主推荐",
    "evaluation": "民主测评",
    "meeting": "会议签到",
    "election": "选举计票",
    "archive": "选举计票",
}


class StageState(StrEnum):
    DONE = "done"
    STARTED = "started"
    TODO = "todo"
    SKIPPED = "skipped"

    @property
    def label(self) -> str:
        return {"done": "已完成", "started": "进行中", "todo": "未开始", "skipped": "不进行"}[
            self.value
        ]


@dataclass(frozen=True)
class Stage:
    key: str
    state: StageState
    detail: str = ""

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.key]

    @property
    def tab(self) -> str:
        return STAGE_TABS[self.key]

    @property
    def finished(self) -> bool:
        return self.state in (StageState.DONE, StageState.SKIPPED)


def _candidates_fixed(election: ElectionFile) -> bool:
    """Every contest already has its candidates (typed in the wizard, or handed on), or takes
    them from the contest before: nothing waits for a recommendation."""
    contests = election.contests()
    return bool(contests) and all(
        record.contest.candidates or record.contest.restricted_to is not None for record in contests
    )


def election_stages(election: ElectionFile) -> list[Stage]:
    """Each stage's state, with a few words on where it stands."""
    people = [p for p in election.people() if p.left_on is None]
    roster = Stage(
        "roster",
        StageState.DONE if people else StageState.TODO,
        f"{len(people)} 人" if people else "还没有导入",
    )

    forms = len(election.recommendation_form_records())
    if election.stage_status("recommendation") == "closed":
        recommendation = Stage("recommendation", StageState.DONE)
    elif forms or election.recommendation_started():
        recommendation = Stage("recommendation", StageState.STARTED, f"已录入 {forms} 张")
    elif _candidates_fixed(election) or not planned_seats(election):
        recommendation = Stage("recommendation", StageState.SKIPPED, "候选人已经确定")
    else:
        recommendation = Stage("recommendation", StageState.TODO)

    evaluated = len(election.evaluation_form_ids())
    if not election.plan().has_evaluation:
        evaluation = Stage("evaluation", StageState.SKIPPED, "方案不进行测评")
    elif election.stage_status("evaluation") == "closed":
        evaluation = Stage("evaluation", StageState.DONE)
    elif evaluated:
        evaluation = Stage("evaluation", StageState.STARTED, f"已录入 {evaluated} 张")
    elif recommendation.state is StageState.SKIPPED:
        evaluation = Stage("evaluation", StageState.SKIPPED, "候选人已经确定")
    else:
        evaluation = Stage("evaluation", StageState.TODO)

    contests = election.contests()
    rounds = [r for record in contests for r in election.rounds(record.id)]
    figures = meeting_figures(election, "election")
    signed = f"实到 {figures.present}／应到 {figures.expected}"
    if rounds or (figures.expected and figures.quorum.met):
        meeting = Stage("meeting", StageState.DONE, signed)
    elif figures.present:
        meeting = Stage("meeting", StageState.STARTED, signed)
    else:
        meeting = Stage("meeting", StageState.TODO)

    done = bool(contests) and all(election.contest_progress(r.id).done for r in contests)
    if election.stage_status("election") == "closed" or done:
        vote = Stage("election", StageState.DONE, "已全部确认")
    elif rounds:
        vote = Stage("election", StageState.STARTED, f"已投票 {len(rounds)} 轮")
    else:
        vote = Stage("election", StageState.TODO)

    archive = Stage(
        "archive", StageState.TODO, "可以导出归档材料" if vote.state is StageState.DONE else ""
    )
    return [roster, recommendation, evaluation, meeting, vote, archive]


def next_stage(election: ElectionFile) -> str:
    """The first stage not yet finished (``archive`` once everything else is)."""
    return next(stage.key for stage in election_stages(election) if not stage.finished)


def show_next_stage(tabs: QTabWidget, election: ElectionFile) -> None:
    """Bring the tab of the election's next stage to the front."""
    title = STAGE_TABS[next_stage(election)]
    for index in range(tabs.count()):
        if tabs.tabText(index) == title:
            tabs.setCurrentIndex(index)
            return
