"""分箱计票 records and the checks a box's batch passes before anything is written.

A box is an identity, not a name: the main station issues each box copy with a random
id and records the copy's starting chain hash; the copy records which box it is; a batch
names its box by id. The checks below hold a batch's papers to the same rules as papers
keyed on this station (marks one per candidate, a void paper has a reason, a write-in
has a name), and every refusal names the paper and what is wrong, in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn
from gongtui_desktop.store.errors import ElectionFileError

BATCH_FORMAT = "gongtui-batch-2"
OLD_BATCH_FORMAT = "gongtui-batch-1"

_MARKS = {mark.value: mark for mark in Mark}


@dataclass(frozen=True, slots=True)
class IssuedBox:
    """A box copy the main station made: its id, number, name and the copy's first hash."""

    id: str
    number: int
    name: str
    start_hash: str
    copy_name: str
    issued_by: str
    issued_at: str


@dataclass(frozen=True, slots=True)
class BoxIdentity:
    """What a box copy knows about itself (absent in the main station's file)."""

    box_id: str
    number: int
    name: str
    main_hash: str


@dataclass(frozen=True, slots=True)
class BoxImport:
    """A box imported into a round: its figures as the batch carried them, and the papers
    of the box that count now; ``box_hash`` is the box file's 校验码 when it was exported."""

    id: int
    box_id: str | None
    name: str
    station: str
    papers_issued: int
    papers_collected: int
    papers: int
    counted: int
    box_hash: str | None
    imported_at: str


@dataclass(frozen=True, slots=True)
class BoxPaper:
    entry_no: int
    paper: BallotPaper
    write_in_people: tuple[int | None, ...]
    operator: str


@dataclass(frozen=True, slots=True)
class BoxFigures:
    """What a box brings to a round: issued, collected, papers, valid papers, approvals."""

    issued: int
    collected: int
    papers: int
    valid: int
    approvals: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        votes = "、".join(f"{name} {count}" for name, count in self.approvals)
        return (
            f"发出 {self.issued} 张，收回 {self.collected} 张，选票 {self.papers} 张，"
            f"有效 {self.valid} 张；赞成票：{votes}"
        )


class BatchReplacement(ElectionFileError):
    """A box already imported into the round arrives with different content: it replaces
    the earlier import only when a 监票人 confirms, having seen both sets of figures."""

    def __init__(self, box: str, old: BoxFigures, new: BoxFigures) -> None:
        super().__init__(
            f"{box}已经导入过另一份不同的计票结果：用这份替换须经监票人确认。\n"
            f"已导入：{old.describe()}\n这一份：{new.describe()}"
        )
        self.box = box
        self.old = old
        self.new = new


class BatchError(Exception):
    """A batch's content breaks a rule; ``str(error)`` is the Chinese message."""


def _int(value: object, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BatchError(f"{what}应为不小于 {minimum} 的整数，文件中是 {value!r}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise BatchError(f"{what}应为文字，文件中是 {value!r}")
    return value


def check_box_papers(
    content: Mapping[str, object], candidates: int, known_people: set[int]
) -> tuple[int, int, list[BoxPaper]]:
    """(papers issued, papers collected, papers) of a batch, every rule checked first."""
    issued = _int(content.get("papers_issued"), "票箱的发出选票数")
    collected = _int(content.get("papers_collected"), "票箱的收回选票数")
    items = content.get("papers")
    if not isinstance(items, list):
        raise BatchError("文件中没有选票清单")
    if len(items) > collected:
        raise BatchError(f"票箱收回 {collected} 张选票，文件里却有 {len(items)} 张选票")
    papers: list[BoxPaper] = []
    seen: set[int] = set()
    for position, item in enumerate(items, start=1):
        where = f"第 {position} 张选票"
        if not isinstance(item, Mapping):
            raise BatchError(f"{where}的内容不完整")
        entry_no = _int(item.get("entry_no"), f"{where}的序号", 1)
        where = f"第 {entry_no} 张选票"
        if entry_no in seen:
            raise BatchError(f"序号 {entry_no} 在文件中出现了两次")
        seen.add(entry_no)
        marks_text = _text(item.get("marks"), f"{where}的标记")
        if len(marks_text) != candidates:
            raise BatchError(f"{where}有 {len(marks_text)} 个标记，本轮候选人有 {candidates} 名")
        if any(mark not in _MARKS for mark in marks_text):
            raise BatchError(f"{where}的标记 {marks_text!r} 中有无法识别的符号")
        raw_write_ins = item.get("write_ins", [])
        if not isinstance(raw_write_ins, list):
            raise BatchError(f"{where}的另选他人不完整")
        write_ins = []
        for extra in raw_write_ins:
            if (
                not isinstance(extra, list)
                or len(extra) != 2
                or not isinstance(extra[0], str)
                or not isinstance(extra[1], bool)
            ):
                raise BatchError(f"{where}的另选他人 {extra!r} 不完整")
            try:
                write_ins.append(WriteIn(extra[0], extra[1]))
            except ValueError as error:
                raise BatchError(f"{where}：{error}") from error
        void = item.get("void_reason")
        if void is not None:
            void = _text(void, f"{where}的作废理由")
        try:
            paper = BallotPaper(tuple(_MARKS[m] for m in marks_text), tuple(write_ins), void)
        except ValueError as error:
            raise BatchError(f"{where}：{error}") from error
        raw_people = item.get("write_in_people", [])
        if not isinstance(raw_people, list) or len(raw_people) > len(write_ins):
            raise BatchError(f"{where}的另选人与名册的对应不完整")
        people: list[int | None] = []
        for person_id in raw_people:
            if person_id is None:
                people.append(None)
                continue
            person_id = _int(person_id, f"{where}的另选人编号", 1)
            if person_id not in known_people:
                raise BatchError(f"{where}的另选人不在本机的名册中")
            people.append(person_id)
        people += [None] * (len(write_ins) - len(people))
        operator = _text(item.get("operator", ""), f"{where}的录入人")
        papers.append(BoxPaper(entry_no, paper, tuple(people), operator or "票箱计票员"))
    return issued, collected, papers
