"""Scrutineers (R12): 监票人 come from members who are not candidates; 计票人 count under them."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from gongtui_desktop.domain.people import MemberStatus, Person


class ScrutineerRole(StrEnum):
    CHIEF = "chief"
    SCRUTINEER = "scrutineer"
    COUNTER = "counter"

    @property
    def label(self) -> str:
        return {"chief": "总监票人", "scrutineer": "监票人", "counter": "计票人"}[self.value]

    @property
    def supervises(self) -> bool:
        return self is not ScrutineerRole.COUNTER


def scrutineer_refusal(
    role: ScrutineerRole, person: Person, candidate_keys: Collection[str]
) -> str | None:
    """R12: why ``person`` may not take ``role``, or None when they may.

    A 监票人 (and the chief) must be a Party member and not a candidate in this
    election; a 计票人 works under their supervision and is not restricted here.
    """
    if not role.supervises:
        return None
    if person.status is MemberStatus.NON_MEMBER:
        return f"{person.name}不是党员，不能担任{role.label}"
    if person.key in candidate_keys:
        return f"{person.name}是本次选举的候选人，不能担任{role.label}"
    return None
