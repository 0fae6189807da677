"""Expected attendance (R2) and quorum (R3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gongtui_desktop.domain.people import Person, person_rights


class ExclusionReason(StrEnum):
    """The reasons for which a voter may be left out of 应到会人数 (R2)."""

    ILLNESS = "illness"
    ABROAD = "abroad"
    SENTENCE = "sentence"
    BEDRIDDEN = "bedridden"
    AWAY = "away"
    RETIRED_FAR = "retired_far"

    @property
    def label(self) -> str:
        return _EXCLUSION_LABELS[self]


_EXCLUSION_LABELS = {
    ExclusionReason.ILLNESS: "患有精神病或其他疾病导致不能表达本人意志",
    ExclusionReason.ABROAD: "自费出国半年以上",
    ExclusionReason.SENTENCE: "正在服刑",
    ExclusionReason.BEDRIDDEN: "年老体弱卧床不起、生活不能自理",
    ExclusionReason.AWAY: "工作调动、下派锻炼、外出务工半年以上未转走组织关系且无法参加",
    ExclusionReason.RETIRED_FAR: "退休后异地居住",
}


@dataclass(frozen=True, slots=True)
class Exclusion:
    """One voter left out of 应到会人数, with the higher organization's consent (R2)."""

    person_key: str
    reason: ExclusionReason
    consent: str
    note: str = ""

    def __post_init__(self) -> None:
        if not self.consent.strip():
            raise ValueError("不计入应到会人数须经上级党组织同意：请填写同意的批复或说明")


@dataclass(frozen=True, slots=True)
class ExpectedAttendance:
    """应到会人数 and how it was reached (R2)."""

    voters: tuple[str, ...]
    excluded: tuple[Exclusion, ...]

    @property
    def expected(self) -> int:
        return len(self.voters) - len(self.excluded)


def expected_attendance(
    people: Iterable[Person], exclusions: Iterable[Exclusion]
) -> ExpectedAttendance:
    """R2: members with voting rights, minus the consented exclusions; absence does not exclude."""
    voters = tuple(p.key for p in people if person_rights(p).vote)
    voter_set = set(voters)
    seen: set[str] = set()
    kept: list[Exclusion] = []
    for exclusion in exclusions:
        if exclusion.person_key not in voter_set:
            raise ValueError(f"{exclusion.person_key} 没有选举权，本不计入应到会人数，无需排除")
        if exclusion.person_key in seen:
            raise ValueError(f"{exclusion.person_key} 被重复排除")
        seen.add(exclusion.person_key)
        kept.append(exclusion)
    return ExpectedAttendance(voters, tuple(kept))


class QuorumRule(StrEnum):
    """Plan option ``quorum`` (R3)."""

    MORE_THAN_FOUR_FIFTHS = "more_than_four_fifths"
    AT_LEAST_FOUR_FIFTHS = "at_least_four_fifths"

    @property
    def label(self) -> str:
        if self is QuorumRule.MORE_THAN_FOUR_FIFTHS:
            return "实到会有选举权人数超过应到会人数的五分之四"
        return "实到会有选举权人数不少于应到会人数的五分之四"


@dataclass(frozen=True, slots=True)
class Quorum:
    """Whether the vote may start (R3)."""

    expected: int
    present: int
    rule: QuorumRule
    minimum_present: int

    @property
    def met(self) -> bool:
        return self.present >= self.minimum_present

    @property
    def missing(self) -> int:
        return max(0, self.minimum_present - self.present)


def minimum_present(expected: int, rule: QuorumRule) -> int:
    """R3: the least number of voters present that satisfies the quorum."""
    if expected < 0:
        raise ValueError("应到会人数不能为负数")
    if rule is QuorumRule.MORE_THAN_FOUR_FIFTHS:
        return expected * 4 // 5 + 1
    return -(-expected * 4 // 5)


def quorum(
    expected: int, present: int, rule: QuorumRule = QuorumRule.MORE_THAN_FOUR_FIFTHS
) -> Quorum:
    """R3: voters present must be more than (or, by option, at least) 4/5 of 应到会人数."""
    if present < 0:
        raise ValueError("实到会人数不能为负数")
    if present > expected:
        raise ValueError(f"实到会有选举权人数 {present} 多于应到会人数 {expected}")
    return Quorum(expected, present, rule, minimum_present(expected, rule))
