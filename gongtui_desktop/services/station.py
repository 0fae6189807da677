"""The counting station's use cases: enter, undo and correct papers with a live count.

Every change goes to the election file first (one audited transaction), then to
the running tally, then to the listeners (the tally table and the projector), so
what the room sees is always what is on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from gongtui_desktop.domain.ballots import BallotPaper
from gongtui_desktop.domain.counting import PaperJudgement, RoundResult, RoundTally
from gongtui_desktop.services.double_entry import own_pass, shift_hint
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.records import (
    DoubleEntry,
    PaperRecord,
    PaperState,
    RoundRecord,
    pair_passes,
)


class ChangeKind(Enum):
    ROUND_SELECTED = "round_selected"
    PAPER_ENTERED = "paper_entered"
    PAPER_UNDONE = "paper_undone"
    PAPER_CORRECTED = "paper_corrected"
    ROUND_UPDATED = "round_updated"
    # Double entry: the counted papers were paired afresh (same round, same candidates).
    PAPERS_RECOUNTED = "papers_recounted"
    CONTESTS_CHANGED = "contests_changed"


@dataclass(frozen=True)
class Change:
    """What changed, so each open window can decide whether to refresh."""

    kind: ChangeKind
    round_id: int | None
    paper: PaperRecord | None = None
    judgement: PaperJudgement | None = None


Listener = Callable[[Change], None]


class CountingStation:
    """One open election file and the round being counted."""

    def __init__(self, election: ElectionFile, operator: str = "") -> None:
        self.election = election
        self.operator = operator
        self._listeners: list[Listener] = []
        self.round: RoundRecord | None = None
        self._tally: RoundTally | None = None
        self._not_electable: frozenset[str] = frozenset()
        self._counted: list[PaperRecord] = []
        self._result: RoundResult | None = None
        self._pairing: tuple[tuple[int, int], DoubleEntry] | None = None
        # Double entry: every row of the round, as of (round id, audit length).
        self._history: tuple[tuple[int, int], list[PaperRecord]] | None = None
        # 双人录入: which operator's pass this station is keying (1 or 2).
        self.entry_pass = 1

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, change: Change) -> None:
        # Every change goes through here: the result is decided again, once, on first ask.
        self._result = None
        for listener in list(self._listeners):
            listener(change)

    def _require_operator(self) -> str:
        if not self.operator.strip():
            raise ElectionFileError("请先填写操作员姓名")
        return self.operator

    # ---- the round -------------------------------------------------------------

    def select_round(self, round_id: int | None) -> None:
        """Load a round's papers into a running tally (or none)."""
        if round_id is None:
            self.round, self._tally, self._counted = None, None, []
        else:
            self.round = self.election.round(round_id)
            self._counted = self.election.papers(round_id)
            self._tally = self.election.tally(round_id, self._counted)
            self._not_electable = self.election.not_electable(round_id)
        self._emit(Change(ChangeKind.ROUND_SELECTED, round_id))

    def refresh_round(self) -> None:
        """Re-read the round record (status, papers collected) after a change to it."""
        if self.round is not None:
            self.round = self.election.round(self.round.id)
            self._emit(Change(ChangeKind.ROUND_UPDATED, self.round.id))

    @property
    def counted(self) -> Sequence[PaperRecord]:
        """The papers that count, in entry order."""
        return self._counted

    def result(self) -> RoundResult | None:
        """The round's result now; the tally table and the projector share one computation."""
        if self._tally is None:
            return None
        if self._result is None:
            self._result = self._tally.result(self._not_electable)
        return self._result

    def _current(self) -> tuple[RoundRecord, RoundTally]:
        if self.round is None or self._tally is None:
            raise ElectionFileError("请先选择选举项目和轮次")
        return self.round, self._tally

    # ---- papers ----------------------------------------------------------------

    def enter(self, paper: BallotPaper, write_in_people: Sequence[int | None] = ()) -> Change:
        record, _ = self._current()
        if record.double_entry:
            before = self.election.audit_length
            stored = self.election.enter_paper(
                self._require_operator(), record.id, paper, write_in_people, self.entry_pass
            )
            self._extend_history(record.id, before, stored)
            return self._recount(stored)
        stored = self.election.enter_paper(
            self._require_operator(), record.id, paper, write_in_people
        )
        return self.take_counted(stored)

    def take_counted(self, stored: PaperRecord) -> Change:
        """A paper just stored for the round (keyed here, or a scanned page decided): into the
        running tally, then to the windows."""
        record, tally = self._current()
        judgement = tally.add(stored.paper)
        self._counted.append(stored)
        if stored.paper.write_ins:
            self._not_electable = self.election.not_electable(record.id)
        change = Change(ChangeKind.PAPER_ENTERED, record.id, stored, judgement)
        self._emit(change)
        return change

    def _recount(self, paper: PaperRecord) -> Change:
        """Double entry: only papers both operators read alike (or settled) count, so the
        passes are paired afresh after every entry; the tally takes only the difference."""
        record, tally = self._current()
        check = self.double_entry()
        assert check is not None
        before = {p.id: p for p in self._counted}
        after = {p.id: p for p in check.counted}
        changed = [before[i] for i in before.keys() - after.keys()]
        for gone in changed:
            tally.remove(gone.paper)
        for new_id in after.keys() - before.keys():
            tally.add(after[new_id].paper)
            changed.append(after[new_id])
        self._counted = list(check.counted)
        if any(p.paper.write_ins for p in changed):
            self._not_electable = self.election.not_electable(record.id)
        change = Change(ChangeKind.PAPERS_RECOUNTED, record.id, paper, None)
        self._emit(change)
        return change

    def _extend_history(self, round_id: int, before: int, stored: PaperRecord) -> None:
        """This station's own entry was the only change to the file (the audit grew by one
        entry): add it to the round's history instead of reading thousands of rows again."""
        if (
            self._history is not None
            and self._history[0] == (round_id, before)
            and self.election.audit_length == before + 1
        ):
            self._history = ((round_id, before + 1), [*self._history[1], stored])
            return
        self._history = None

    def _round_history(self, round_id: int) -> list[PaperRecord]:
        key = (round_id, self.election.audit_length)
        if self._history is None or self._history[0] != key:
            self._history = (key, self.election.paper_history(round_id))
        return self._history[1]

    def double_entry(self) -> DoubleEntry | None:
        """The pairing of the two passes; computed once per change to the file, since the
        table, the mismatch list and the projector all ask for it after every Enter."""
        record, _ = self._current()
        if not record.double_entry:
            return None
        key = (record.id, self.election.audit_length)
        if self._pairing is None or self._pairing[0] != key:
            self._pairing = (key, pair_passes(self._round_history(record.id)))
        return self._pairing[1]

    def settle(
        self,
        entry_no: int,
        paper: BallotPaper,
        write_in_people: Sequence[int | None] = (),
        decided_by: str = "",
    ) -> Change:
        """The scrutineers' reading of a paper the two entries disagree on (双人录入核对),
        recorded as the decision of the 监票人 named (else the station's operator); a paper
        settled before may be settled again, the earlier decision staying on record."""
        record, _ = self._current()
        stored = self.election.settle_paper(
            decided_by.strip() or self._require_operator(),
            record.id,
            entry_no,
            paper,
            write_in_people,
        )
        return self._recount(stored)

    def own_pass(self) -> list[PaperRecord]:
        """Double entry: the papers this station's pass keyed that still count."""
        record, _ = self._current()
        return own_pass(self._round_history(record.id), self.entry_pass)

    def shift_hint(self) -> str:
        """Double entry: where one pass runs a paper behind the other, in words."""
        record, _ = self._current()
        return shift_hint(self._round_history(record.id)) if record.double_entry else ""

    def readings(self, entry_no: int) -> dict[int, PaperRecord]:
        """Double entry: the live readings of one paper by pass (0 = the scrutineers')."""
        record, _ = self._current()
        return {
            p.entry_pass: p
            for p in self._round_history(record.id)
            if p.entry_no == entry_no and p.state is PaperState.COUNTED and not p.box
        }

    def settled(self) -> list[PaperRecord]:
        """Double entry: the papers the scrutineers settled (entry pass 0) that count."""
        record, _ = self._current()
        return [
            p
            for p in self._round_history(record.id)
            if p.entry_pass == 0 and p.state is PaperState.COUNTED and not p.box
        ]

    def undo_last(self) -> Change:
        """Withdraw the last counted paper (recorded, not erased)."""
        record, tally = self._current()
        if record.double_entry:
            mine = [
                p
                for p in self.election.paper_history(record.id)
                if p.entry_pass == self.entry_pass and p.state is PaperState.COUNTED and not p.box
            ]
            if not mine:
                raise ElectionFileError("这一遍还没有录入选票")
            self.election.withdraw_paper(self._require_operator(), mine[-1].id, "撤销上一张")
            return self._recount(mine[-1])
        # A scanned paper is changed through adjudication (its image stays the evidence).
        keyed = [p for p in self.keyed_here if not p.scanned]
        if not keyed:
            raise ElectionFileError("本机本轮还没有键入的选票")
        last = keyed[-1]
        self.election.withdraw_paper(self._require_operator(), last.id, "撤销上一张")
        tally.remove(last.paper)
        self._counted.remove(last)
        change = Change(ChangeKind.PAPER_UNDONE, record.id, last)
        self._emit(change)
        return change

    @property
    def keyed_here(self) -> list[PaperRecord]:
        """The counted papers keyed on this station (not imported from a ballot box)."""
        return [p for p in self._counted if not p.box]

    def find(self, entry_no: int) -> PaperRecord:
        """A paper keyed on this station, by its entry number."""
        for paper in self.keyed_here:
            if paper.entry_no == entry_no:
                return paper
        raise ElectionFileError(f"本机本轮没有第 {entry_no} 张选票")

    def correct(
        self, entry_no: int, paper: BallotPaper, write_in_people: Sequence[int | None] = ()
    ) -> Change:
        """Replace paper ``entry_no`` by a corrected one (the old row stays on record)."""
        record, tally = self._current()
        if record.double_entry:
            raise ElectionFileError(
                "双人录入的轮次不能直接更正：录错的一遍请撤销后重录，两遍不一致的由监票人核定"
            )
        old = self.find(entry_no)
        new = self.election.correct_paper(self._require_operator(), old.id, paper, write_in_people)
        tally.remove(old.paper)
        judgement = tally.add(new.paper)
        index = self._counted.index(old)
        self._counted[index] = new
        if new.paper.write_ins or old.paper.write_ins:
            self._not_electable = self.election.not_electable(record.id)
        change = Change(ChangeKind.PAPER_CORRECTED, record.id, new, judgement)
        self._emit(change)
        return change

    def history(self) -> list[PaperRecord]:
        record, _ = self._current()
        return self.election.paper_history(record.id)

    # ---- the round's life ------------------------------------------------------

    def set_papers(self, issued: int, collected: int | None) -> None:
        """R4: papers issued and collected, recorded before entry."""
        record, _ = self._current()
        operator = self._require_operator()
        if issued != record.spec.papers_issued:
            self.election.set_papers_issued(operator, record.id, issued)
            # The spec (issued) changed: rebuild the tally on the new spec.
            self._tally = self.election.tally(record.id)
        if collected is not None and collected != record.papers_collected:
            self.election.set_papers_collected(operator, record.id, collected)
        self.refresh_round()

    def close(self) -> RoundResult:
        record, _ = self._current()
        result = self.election.close_round(self._require_operator(), record.id)
        self.refresh_round()
        return result

    def confirm(self, confirmed_by: str) -> None:
        record, _ = self._current()
        self.election.confirm_round(self._require_operator(), record.id, confirmed_by)
        self.refresh_round()

    def reopen(self, reason: str) -> None:
        record, _ = self._current()
        self.election.reopen_round(self._require_operator(), record.id, reason)
        self.refresh_round()
