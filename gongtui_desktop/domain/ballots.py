"""Ballot papers as entered: one mark per printed name, write-ins, void declarations (R5, R6).

A paper is stored exactly as read out; what it means is decided by
:mod:`gongtui_desktop.domain.counting`, so a change of plan option never
requires re-entering papers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gongtui_desktop.domain.names import clean_name


class Mark(StrEnum):
    """The mark beside a printed name (R6)."""

    FOR = "O"
    AGAINST = "X"
    NONE = "-"

    @property
    def label(self) -> str:
        return {"O": "赞成", "X": "不赞成", "-": "弃权"}[self.value]

    @property
    def symbol(self) -> str:
        return {"O": "○", "X": "×", "-": ""}[self.value]


@dataclass(frozen=True, slots=True)
class WriteIn:
    """另选他人: a name written on the paper, with or without the approval mark ○ (R6)."""

    name: str
    marked: bool = True

    def __post_init__(self) -> None:
        cleaned = normalize_name(self.name)
        if not cleaned:
            raise ValueError("另选他人的姓名不能为空")
        object.__setattr__(self, "name", cleaned)


@dataclass(frozen=True, slots=True)
class BallotPaper:
    """One collected paper for one contest section.

    ``void_reason`` is set when the scrutineers declared the paper void for a
    reason other than too many approvals (R5), e.g. identifying marks.
    """

    marks: tuple[Mark, ...]
    write_ins: tuple[WriteIn, ...] = ()
    void_reason: str | None = None

    def __post_init__(self) -> None:
        if self.void_reason is not None and not self.void_reason.strip():
            raise ValueError("宣布作废须写明理由")


def normalize_name(name: str) -> str:
    """Names compare without surrounding or inner blanks (people type 张 三 for 张三), in
    NFC and without invisible format characters (``clean_name``)."""
    return "".join(clean_name(name).split())


def parse_shorthand(text: str, candidates: int) -> BallotPaper:
    """Read a paper from the scenario shorthand (``shared/scenarios/FORMAT.md``).

    ``OX-`` one character per printed name, then `` +NAME`` (written with ○) or
    `` ?NAME`` (written without it); a leading ``!`` declares the paper void.
    Anything else is an error of the text, never an invalid paper.
    """
    void = text.startswith("!")
    body = text[1:] if void else text
    head, *extras = body.split(" ")
    if len(head) != candidates:
        raise ValueError(f"选票 {text!r} 有 {len(head)} 个标记，应为 {candidates} 个")
    try:
        marks = tuple(Mark(ch) for ch in head)
    except ValueError as error:
        raise ValueError(f"选票 {text!r} 含有无法识别的标记") from error
    write_ins: list[WriteIn] = []
    for extra in extras:
        if len(extra) < 2 or extra[0] not in "+?":
            raise ValueError(f"选票 {text!r} 的另选他人 {extra!r} 应写作 +姓名 或 ?姓名")
        write_ins.append(WriteIn(extra[1:], marked=extra[0] == "+"))
    return BallotPaper(marks, tuple(write_ins), "监票人宣布作废" if void else None)


def format_shorthand(paper: BallotPaper) -> str:
    """The inverse of :func:`parse_shorthand` (void reason reduced to ``!``)."""
    head = ("!" if paper.void_reason else "") + "".join(m.value for m in paper.marks)
    extras = [("+" if w.marked else "?") + w.name for w in paper.write_ins]
    return " ".join([head, *extras])
