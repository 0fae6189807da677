"""差额/等额: how many candidates a contest needs (R10)."""

from __future__ import annotations

from dataclasses import dataclass

from gongtui_desktop.domain.positions import Position


@dataclass(frozen=True, slots=True)
class SlateCheck:
    """Whether a candidate list is long enough (R10)."""

    seats: int
    candidates: int
    minimum_candidates: int
    position: Position
    equal_approved: bool

    @property
    def ok(self) -> bool:
        return self.candidates >= self.minimum_candidates

    def explanation(self) -> str:
        if self.position is Position.COMMITTEE:
            rule = f"委员候选人应多于应选人数的20%（{self.seats} 名应选至少 {self.minimum_candidates} 名）"
        elif self.equal_approved:
            rule = f"{self.position.label}经上级党组织同意可等额选举（至少 {self.minimum_candidates} 名）"
        else:
            rule = f"{self.position.label}差额选举，至少 {self.minimum_candidates} 名候选人"
        state = "符合" if self.ok else f"不符合：现有 {self.candidates} 名"
        return f"{rule}，{state}"


def minimum_candidates(seats: int, position: Position, equal_approved: bool = False) -> int:
    """R10: committee seats + 20% of seats rounded up; secretary/deputy seats (+1 unless 等额 approved)."""
    if seats < 1:
        raise ValueError("应选人数至少为 1")
    if position is Position.COMMITTEE:
        return seats + -(-seats // 5)
    return seats if equal_approved else seats + 1


def check_slate(
    seats: int, candidates: int, position: Position, equal_approved: bool = False
) -> SlateCheck:
    """R10 for a candidate list of ``candidates`` people."""
    return SlateCheck(
        seats,
        candidates,
        minimum_candidates(seats, position, equal_approved),
        position,
        equal_approved,
    )
