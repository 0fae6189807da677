"""The positions a branch elects: 委员, 书记, 副书记 (R10, R11, R15, N-rules)."""

from __future__ import annotations

from enum import StrEnum


class Position(StrEnum):
    """What a contest elects; decides the 差额 rule (R10) and the order on the paper (R11)."""

    COMMITTEE = "committee"
    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"

    @property
    def label(self) -> str:
        return {"committee": "委员", "secretary": "书记", "deputy_secretary": "副书记"}[self.value]

    @property
    def needs_higher_approval(self) -> bool:
        """书记/副书记 results await the higher organization's approval (R14)."""
        return self is not Position.COMMITTEE

    @property
    def stroke_ordered(self) -> bool:
        """Committee candidates in 姓氏笔画 order; secretary/deputy in the approved order (R11)."""
        return self is Position.COMMITTEE
