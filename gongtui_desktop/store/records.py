"""What the store hands out: domain values with the row ids and bookkeeping around them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gongtui_desktop.domain.ballots import BallotPaper
from gongtui_desktop.domain.contest import Contest
from gongtui_desktop.domain.counting import RoundSpec
from gongtui_desktop.domain.people import Person


@dataclass(frozen=True)
class PersonRecord:
    """A roster entry: the domain person plus what only the roster keeps."""

    id: int
    person: Person
    gender: str | None
    employment: str
    contact: str
    note: str
    left_on: str | None


@dataclass(frozen=True)
class ContestRecord:
    id: int
    ordinal: int
    contest: Contest
    candidate_people: tuple[int | None, ...]
    restricted_to_id: int | None


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CONFIRMED = "confirmed"

    @property
    def label(self) -> str:
        return {"open": "计票中", "closed": "已结束，待确认", "confirmed": "已确认"}[self.value]


@dataclass(frozen=True)
class RoundRecord:
    id: int
    contest_id: int
    number: int
    spec: RoundSpec
    candidate_people: tuple[int | None, ...]
    papers_collected: int | None
    status: RoundStatus
    opened_at: str
    double_entry: bool = False


class PaperState(StrEnum):
    COUNTED = "counted"
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"counted": "有效录入", "corrected": "已更正", "withdrawn": "已撤销"}[self.value]


@dataclass(frozen=True)
class PaperRecord:
    """One entered paper as stored, never changed: corrections and withdrawals are new rows."""

    id: int
    round_id: int
    entry_no: int
    paper: BallotPaper
    write_in_people: tuple[int | None, ...]
    supersedes: int | None
    operator: str
    entered_at: str
    state: PaperState = PaperState.COUNTED
    entry_pass: int = 1
    box: str = ""
    # Counted from a scanned image (issue #11): changed through adjudication, not 撤销.
    scanned: bool = False

    def same_reading(self, other: PaperRecord) -> bool:
        """Two entries of one paper agree: same marks, write-ins and void declaration."""
        return self.paper == other.paper


@dataclass(frozen=True)
class DoubleEntry:
    """双人录入核对: per entry number, what the two operators keyed and what was settled."""

    counted: tuple[PaperRecord, ...]
    mismatches: tuple[tuple[int, PaperRecord, PaperRecord], ...]
    pending: tuple[tuple[int, int], ...]  # (entry no., the one pass entered so far)

    @property
    def unsettled(self) -> int:
        return len(self.mismatches) + len(self.pending)


def pair_passes(history: Iterable[PaperRecord]) -> DoubleEntry:
    """双人录入核对: pair the two passes by entry number; a settled reading wins. Papers of an
    imported ballot box count as they came (their box paired them already)."""
    passes: dict[tuple[str, int], dict[int, PaperRecord]] = {}
    for paper in history:
        if paper.state is PaperState.COUNTED:
            passes.setdefault((paper.box, paper.entry_no), {})[paper.entry_pass] = paper
    counted: list[PaperRecord] = []
    mismatches: list[tuple[int, PaperRecord, PaperRecord]] = []
    pending: list[tuple[int, int]] = []
    for (box, entry_no), found in sorted(passes.items()):
        if box or 0 in found:
            counted.append(found.get(0) or found[min(found)])
        elif 1 in found and 2 in found:
            if found[1].same_reading(found[2]):
                counted.append(found[1])
            else:
                mismatches.append((entry_no, found[1], found[2]))
        else:
            pending.append((entry_no, min(found)))
    return DoubleEntry(tuple(counted), tuple(mismatches), tuple(pending))


@dataclass(frozen=True)
class BackupRecord:
    file_name: str
    stage: str
    chain_hash: str
    taken_at: str
