"""Wording shared by the windows."""

from __future__ import annotations

from gongtui_desktop.domain.ballots import BallotPaper, Mark
from gongtui_desktop.domain.counting import RoundResult
from gongtui_desktop.store.records import RoundRecord


def marks_text(paper: BallotPaper) -> str:
    """``○ × · ○`` — one sign per printed name; · is no mark."""
    return " ".join(m.symbol or "·" for m in paper.marks)


def paper_in_words(
    paper: BallotPaper, candidates: tuple[str, ...] | list[str], names: bool = True
) -> str:
    """A paper as a scrutineer reads it aloud: 赞成 1 甲一、2 乙二；不赞成 3 丙三；另选 钱芳
    (``names=False``: 赞成 1 2；不赞成 3；另选 钱芳, short enough for a list)."""
    if paper.void_reason:
        return f"宣布作废（{paper.void_reason}）"
    groups: dict[Mark, list[str]] = {Mark.FOR: [], Mark.AGAINST: []}
    for number, (name, mark) in enumerate(zip(candidates, paper.marks, strict=False), start=1):
        if mark in groups:
            groups[mark].append(f"{number} {name}" if names else str(number))
    joiner = "、" if names else " "
    parts = [
        f"{label} " + joiner.join(groups[mark])
        for mark, label in ((Mark.FOR, "赞成"), (Mark.AGAINST, "不赞成"))
        if groups[mark]
    ]
    if paper.write_ins:
        parts.append("另选 " + write_ins_text(paper))
    return "；".join(parts) or "空白票（全部弃权）"


def write_ins_text(paper: BallotPaper) -> str:
    return "、".join(w.name + ("" if w.marked else "（未画○）") for w in paper.write_ins)


def round_title(record: RoundRecord) -> str:
    return f"第 {record.number} 轮（{record.spec.kind.label}，应选 {record.spec.seats} 名）"


def person_state(result: RoundResult, name: str, final: bool = True) -> str:
    """The state column: while counting, only what the figures so far say."""
    if name in result.elected:
        return "当选" if final else "过半数，目前在名额内"
    if name in result.tied:
        return "票数相等，重新投票" if final else "过半数，票数相等"
    person = result.votes_of(name)
    if not person.electable:
        return "无被选举权"
    if person.passed:
        return "过半数"
    return "未过半数" if result.threshold_applied else ""


# 宣布作废 (R5): the reasons offered when the scrutineers void a paper.
VOID_REASONS = ("选票上有可以辨认投票人身份的记号", "字迹模糊无法辨认", "选票被撕毁或涂改无法辨认")
