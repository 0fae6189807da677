"""People and their rights (R1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongtui_desktop.domain.names import clean_name


class MemberStatus(StrEnum):
    """身份."""

    FULL = "full"
    PROBATIONARY = "probationary"
    NON_MEMBER = "non_member"

    @property
    def label(self) -> str:
        return {"full": "正式党员", "probationary": "预备党员", "non_member": "群众"}[self.value]


class Discipline(StrEnum):
    """处分/权利状态 that takes away or suspends rights (R1)."""

    NONE = "none"
    PROBATION = "probation"
    DETAINED = "detained"

    @property
    def label(self) -> str:
        return {"none": "无", "probation": "留党察看", "detained": "留置/逮捕"}[self.value]


@dataclass(frozen=True, slots=True)
class Person:
    """One person of the roster, as far as the rules need to know them."""

    key: str
    name: str
    status: MemberStatus
    discipline: Discipline = Discipline.NONE
    birth: date | None = None
    joined: date | None = None
    confirmed: date | None = None
    local_relation: bool = True


def person_name(name: str) -> str:
    """A roster name as stored: NFC, without invisible format characters and outer blanks
    (``clean_name``); inner blanks stay, as a foreign name has them."""
    return clean_name(name)


@dataclass(frozen=True, slots=True)
class Rights:
    """What a person may do at the meetings (R1)."""

    vote: bool
    be_elected: bool
    recommend: bool
    evaluate: bool
    reason: str

    @property
    def observer(self) -> bool:
        """列席: attends without a vote."""
        return not self.vote


def rights_of(status: MemberStatus, discipline: Discipline = Discipline.NONE) -> Rights:
    """R1: only a full member not under 留党察看 nor detained may vote and be elected.

    Probationary members, members under 留党察看 or detained, and non-members
    attend as observers; everyone may take part in recommendation and evaluation.
    """
    if status is MemberStatus.NON_MEMBER:
        return Rights(False, False, True, True, "群众不参加选举，可列席、参加推荐和测评")
    if status is MemberStatus.PROBATIONARY:
        return Rights(False, False, True, True, "预备党员没有表决权、选举权和被选举权")
    if discipline is Discipline.PROBATION:
        return Rights(False, False, True, True, "留党察看期间没有表决权、选举权和被选举权")
    if discipline is Discipline.DETAINED:
        return Rights(False, False, True, True, "被留置或逮捕，选举权和被选举权暂停行使")
    return Rights(True, True, True, True, "正式党员，享有表决权、选举权和被选举权")


def person_rights(person: Person) -> Rights:
    """R1 for one roster entry."""
    return rights_of(person.status, person.discipline)
