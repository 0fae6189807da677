"""Qualification review (资格审查): which plan conditions a person fails (N4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongtui_desktop.domain.dates import whole_years
from gongtui_desktop.domain.people import Discipline, MemberStatus, Person

DEFAULT_MIN_PARTY_YEARS = 2


class Condition(StrEnum):
    """N4 conditions; the values are the plan's option keys."""

    REQUIRE_FULL_MEMBER = "require_full_member"
    REQUIRE_FULL_RIGHTS = "require_full_rights"
    MIN_PARTY_YEARS = "min_party_years"
    MAX_AGE = "max_age"
    REQUIRE_LOCAL_RELATION = "require_local_relation"


@dataclass(frozen=True, slots=True)
class ReviewConditions:
    """The conditions a plan sets; ``None``/False means not checked (N4)."""

    require_full_member: bool = False
    require_full_rights: bool = False
    min_party_years: int | None = None
    max_age: int | None = None
    require_local_relation: bool = False

    def describe(self) -> tuple[str, ...]:
        lines = []
        if self.require_full_member:
            lines.append("中共正式党员")
        if self.require_full_rights:
            lines.append("未受留党察看处分、未被留置或逮捕")
        if self.min_party_years is not None:
            lines.append(f"党龄（自转正之日起）{self.min_party_years} 年以上")
        if self.max_age is not None:
            lines.append(f"年龄 {self.max_age} 周岁以下")
        if self.require_local_relation:
            lines.append("组织关系在本单位")
        return tuple(lines)


@dataclass(frozen=True, slots=True)
class Failure:
    condition: Condition
    detail: str


@dataclass(frozen=True)
class ReviewResult:
    """N4: the failed conditions, each with what the roster says."""

    reference_date: date
    failures: tuple[Failure, ...]

    @property
    def eligible(self) -> bool:
        return not self.failures

    @property
    def failed(self) -> frozenset[Condition]:
        return frozenset(f.condition for f in self.failures)


def review(person: Person, conditions: ReviewConditions, reference_date: date) -> ReviewResult:
    """N4: check each condition the plan sets; whole years count at the reference date
    (an anniversary reached on the same month and day; 以下 includes the limit).
    """
    failures: list[Failure] = []
    if conditions.require_full_member and person.status is not MemberStatus.FULL:
        failures.append(
            Failure(Condition.REQUIRE_FULL_MEMBER, f"身份为{person.status.label}，不是正式党员")
        )
    if conditions.require_full_rights and person.discipline is not Discipline.NONE:
        failures.append(
            Failure(Condition.REQUIRE_FULL_RIGHTS, f"处于{person.discipline.label}状态")
        )
    if conditions.min_party_years is not None:
        needed = conditions.min_party_years
        if person.confirmed is None:
            failures.append(Failure(Condition.MIN_PARTY_YEARS, "没有转正日期，党龄无法计算"))
        else:
            years = whole_years(person.confirmed, reference_date)
            if years < needed:
                failures.append(
                    Failure(Condition.MIN_PARTY_YEARS, f"党龄 {years} 年，不足 {needed} 年")
                )
    if conditions.max_age is not None:
        if person.birth is None:
            failures.append(Failure(Condition.MAX_AGE, "没有出生日期，年龄无法计算"))
        else:
            age = whole_years(person.birth, reference_date)
            if age > conditions.max_age:
                failures.append(
                    Failure(Condition.MAX_AGE, f"{age} 周岁，超过 {conditions.max_age} 周岁")
                )
    if conditions.require_local_relation and not person.local_relation:
        failures.append(Failure(Condition.REQUIRE_LOCAL_RELATION, "组织关系不在本单位"))
    return ReviewResult(reference_date, tuple(failures))
