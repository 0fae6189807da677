"""Keyboard entry of one ballot paper: the key grammar of the counting station (R5, R6).

Pure state machine so the key counts can be tested without a window:

- a candidate's number marks ○; the same number again cycles ○ → × → no mark;
  with 10 or more candidates every number is typed with two digits (01 … 99);
- ``-`` then a number, or Ctrl with the number, marks × directly;
- ``*`` marks everyone ○ ("all except …"): numbers typed after it take the mark off;
- ``/`` on an empty paper enters a blank paper at once (all abstain, R5);
- ``.`` declares the paper void: the caller asks for the reason (R5);
- ``+`` opens the write-in field (另选他人, R6);
- Enter commits; an over-vote is shown with its reason first and is committed as an
  invalid paper only on a second Enter; Esc clears (and ends a correction: the
  reply says so); Delete clears and stays in a correction; Backspace takes back one key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn
from gongtui_desktop.domain.counting import PaperJudgement, RoundSpec, judge_paper
from gongtui_desktop.domain.options import CountOptions

DIGITS = "0123456789"
CYCLE = {Mark.NONE: Mark.FOR, Mark.FOR: Mark.AGAINST, Mark.AGAINST: Mark.NONE}


class Outcome(Enum):
    CHANGED = "changed"
    COMMIT = "commit"
    WARN = "warn"
    ASK_VOID_REASON = "ask_void_reason"
    OPEN_WRITE_IN = "open_write_in"
    CLEARED = "cleared"  # Esc: the caller also leaves any correction it was in


@dataclass(frozen=True)
class Draft:
    """The paper being keyed in."""

    marks: tuple[Mark, ...]
    write_ins: tuple[WriteIn, ...] = ()
    write_in_people: tuple[int | None, ...] = ()
    all_except: bool = False
    pending: str = ""
    against_next: bool = False
    over_vote_shown: bool = False

    @property
    def empty(self) -> bool:
        return all(m is Mark.NONE for m in self.marks) and not self.write_ins and not self.pending

    def paper(self, void_reason: str | None = None) -> BallotPaper:
        return BallotPaper(self.marks, self.write_ins, void_reason)


@dataclass(frozen=True)
class Reply:
    outcome: Outcome
    message: str = ""
    paper: BallotPaper | None = None
    write_in_people: tuple[int | None, ...] = ()


@dataclass
class Keypad:
    """Turns key presses into a paper for one round."""

    spec: RoundSpec
    options: CountOptions = field(default_factory=CountOptions)
    draft: Draft = field(init=False)
    _history: list[Draft] = field(init=False, default_factory=list)
    keys_pressed: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.draft = self._blank()

    def _blank(self) -> Draft:
        return Draft((Mark.NONE,) * len(self.spec.candidates))

    @property
    def width(self) -> int:
        """Digits per candidate number: 1 up to 9 candidates, 2 from 10 on."""
        return 1 if len(self.spec.candidates) <= 9 else 2

    def judgement(self) -> PaperJudgement:
        return judge_paper(self.draft.paper(), self.spec, self.options)

    def clear(self) -> None:
        self.draft = self._blank()
        self._history.clear()

    def _set(self, draft: Draft) -> Reply:
        self._history.append(self.draft)
        self.draft = replace(draft, over_vote_shown=False)
        return Reply(Outcome.CHANGED)

    def press(self, key: str, control: bool = False) -> Reply:
        """One key: a digit, ``* - / . +``, ``Enter``, ``Esc``, ``Delete`` or ``Backspace``."""
        self.keys_pressed += 1
        draft = self.draft
        if key in DIGITS:
            pending = draft.pending + key
            against = draft.against_next or control
            if len(pending) < self.width:
                self._history.append(draft)
                self.draft = replace(draft, pending=pending, against_next=against)
                return Reply(Outcome.CHANGED)
            number = int(pending)
            if not 1 <= number <= len(self.spec.candidates):
                self.draft = replace(draft, pending="", against_next=False)
                return Reply(Outcome.WARN, f"没有第 {number} 号候选人")
            return self._set(self._mark(replace(draft, pending=""), number - 1, against))
        if key == "-":
            self._history.append(draft)
            self.draft = replace(draft, against_next=True)
            return Reply(Outcome.CHANGED)
        if key == "*":
            return self._set(
                replace(draft, marks=(Mark.FOR,) * len(draft.marks), all_except=True, pending="")
            )
        if key == "/":
            if not draft.empty:
                return Reply(Outcome.WARN, "这张选票已有标记：按 Esc 清除后，再按 / 录入空白票")
            paper = self._blank().paper()
            self.clear()
            return Reply(Outcome.COMMIT, "空白票：全部弃权", paper)
        if key == ".":
            return Reply(Outcome.ASK_VOID_REASON)
        if key == "+":
            return Reply(Outcome.OPEN_WRITE_IN)
        if key == "Esc":
            self.clear()
            return Reply(Outcome.CLEARED)
        if key == "Delete":
            # Clears the marks but, unlike Esc, keeps a correction going.
            self.clear()
            return Reply(Outcome.CHANGED)
        if key == "Backspace":
            if self._history:
                self.draft = self._history.pop()
            return Reply(Outcome.CHANGED)
        if key == "Enter":
            return self._commit()
        return Reply(Outcome.WARN, f"这个键没有用途：{key}")

    def _mark(self, draft: Draft, index: int, against: bool) -> Draft:
        marks = list(draft.marks)
        current = marks[index]
        if against:
            marks[index] = Mark.NONE if current is Mark.AGAINST else Mark.AGAINST
        elif draft.all_except:
            marks[index] = Mark.NONE if current is Mark.FOR else Mark.FOR
        else:
            marks[index] = CYCLE[current]
        return replace(draft, marks=tuple(marks), against_next=False)

    def add_write_in(self, name: str, marked: bool = True, person_id: int | None = None) -> Reply:
        """另选他人 (R6): a name written on the paper, with or without ○."""
        write_in = WriteIn(name, marked)
        draft = self.draft
        return self._set(
            replace(
                draft,
                write_ins=(*draft.write_ins, write_in),
                write_in_people=(*draft.write_in_people, person_id),
            )
        )

    def _commit(self) -> Reply:
        draft = self.draft
        if draft.pending:
            return Reply(Outcome.WARN, f"编号还差一位：已输入 {draft.pending}")
        if draft.empty:
            return Reply(Outcome.WARN, "这张选票没有任何标记：空白票请按 /")
        judgement = self.judgement()
        if not judgement.valid and not draft.over_vote_shown:
            self.draft = replace(draft, over_vote_shown=True)
            return Reply(
                Outcome.WARN, f"{judgement.explanation()}。再按 Enter 作为废票录入，按 Esc 修改"
            )
        paper, people = draft.paper(), draft.write_in_people
        self.clear()
        return Reply(Outcome.COMMIT, judgement.explanation(), paper, people)

    def load(self, paper: BallotPaper, write_in_people: tuple[int | None, ...] = ()) -> None:
        """Start from an entered paper (a correction re-keys it from there)."""
        self.clear()
        people = write_in_people + (None,) * (len(paper.write_ins) - len(write_in_people))
        self.draft = Draft(paper.marks, paper.write_ins, people)

    def void(self, reason: str) -> Reply:
        """The scrutineers declare the paper void (R5); what was keyed stays on record."""
        if not reason.strip():
            return Reply(Outcome.WARN, "宣布作废须写明理由")
        paper = self.draft.paper(reason.strip())
        people = self.draft.write_in_people
        self.clear()
        return Reply(Outcome.COMMIT, f"废票：监票人宣布作废：{reason.strip()}", paper, people)
