"""Rule options of the election plan that affect counting (R6, R8).

Defaults are those of RULES.md; every export states the options in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WriteInWithoutMark(StrEnum):
    """Option ``writein_without_mark``: a name written without ○ (R6)."""

    IGNORE = "ignore"
    COUNT_AS_FOR = "count_as_for"

    @property
    def label(self) -> str:
        if self is WriteInWithoutMark.IGNORE:
            return "另选他人未画○的，不计票"
        return "另选他人未画○的，按赞成计"


@dataclass(frozen=True, slots=True)
class CountOptions:
    """The plan options that change how one round is counted."""

    writein_without_mark: WriteInWithoutMark = WriteInWithoutMark.IGNORE
    tie_break_requires_majority: bool = False

    def describe(self) -> tuple[str, ...]:
        """The options in force, in the wording of the exports."""
        tie = (
            "重新投票时，得票须超过实到会有选举权人数的半数"
            if self.tie_break_requires_majority
            else "重新投票时，以得票多者当选"
        )
        return (self.writein_without_mark.label, tie)
