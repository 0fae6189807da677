"""Recommendation (公推): channels, form validity, scores and the 初步人选 shortlist (N1–N3, N5)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from gongtui_desktop.domain.ballots import normalize_name
from gongtui_desktop.domain.numbers import decimal_text, share
from gongtui_desktop.domain.shortlist import Shortlist, make_shortlist, shortlist_size


class Channel(StrEnum):
    """N1: the four ways a name is put forward."""

    MEMBER = "member"
    MASS = "mass"
    ORGANIZATION = "organization"
    SELF = "self"

    @property
    def label(self) -> str:
        return {
            "member": "党员推荐",
            "mass": "群众推荐",
            "organization": "组织推荐",
            "self": "个人自荐",
        }[self.value]


FORM_CHANNELS = (Channel.MEMBER, Channel.MASS)


@dataclass(frozen=True, slots=True)
class FormCount:
    """N1: recommendation forms issued and returned in one form channel."""

    issued: int
    returned: int

    def __post_init__(self) -> None:
        if self.issued < 0 or self.returned < 0:
            raise ValueError("推荐票数不能为负数")

    @property
    def return_rate(self) -> Fraction:
        return share(self.returned, self.issued)

    @property
    def more_back_than_issued(self) -> bool:
        return self.returned > self.issued


@dataclass(frozen=True, slots=True)
class FormJudgement:
    """N2: one returned form for one position."""

    valid: bool
    names: tuple[str, ...]
    reason: str = ""


def judge_form(names: Sequence[str], seats: int) -> FormJudgement:
    """N2: a form naming more people than seats is invalid for that position; a name counts once."""
    distinct = tuple(dict.fromkeys(n for n in (normalize_name(x) for x in names) if n))
    if len(distinct) > seats:
        return FormJudgement(False, distinct, f"推荐 {len(distinct)} 人，多于职数 {seats} 人")
    return FormJudgement(True, distinct)


@dataclass(frozen=True, slots=True)
class Tally:
    """One person's recommendation: votes on each form channel, and the two other channels."""

    member: int = 0
    mass: int = 0
    organization: bool = False
    self_nominated: bool = False


@dataclass(frozen=True)
class FormTallies:
    """The result of counting returned forms of one channel for one position (N2)."""

    valid_forms: int
    invalid_forms: int
    votes: Mapping[str, int] = field(default_factory=dict)


def tally_forms(forms: Iterable[Sequence[str]], seats: int) -> FormTallies:
    """Count one channel's returned forms for one position; invalid forms count no one (N2)."""
    votes: Counter[str] = Counter()
    valid = invalid = 0
    for names in forms:
        judgement = judge_form(names, seats)
        if judgement.valid:
            valid += 1
            votes.update(judgement.names)
        else:
            invalid += 1
    return FormTallies(valid, invalid, dict(votes))


class ScoringMethod(StrEnum):
    """Option ``method`` (N3)."""

    VOTE_SUM = "vote_sum"
    WEIGHTED_RATE = "weighted_rate"

    @property
    def label(self) -> str:
        if self is ScoringMethod.VOTE_SUM:
            return "得票相加（党员推荐票 + 群众推荐票）"
        return "加权得票率（各渠道得票率 × 权重之和）"


@dataclass(frozen=True, slots=True)
class Weights:
    """Plan weights of the four channels under ``weighted_rate`` (N3)."""

    member: Fraction = Fraction(0)
    mass: Fraction = Fraction(0)
    organization: Fraction = Fraction(0)
    self_nominated: Fraction = Fraction(0)


@dataclass(frozen=True, slots=True)
class Score:
    """A person's score with the formula written out (N3)."""

    value: Fraction
    formula: str


def score(
    tally: Tally, method: ScoringMethod, weights: Weights, member_forms: int, mass_forms: int
) -> Score:
    """N3: ``vote_sum`` adds member and non-member votes; ``weighted_rate`` sums
    weight × votes / valid forms over the form channels (0 when a channel has no
    forms), plus the weights of 组织推荐 and 自荐 when present.
    """
    if method is ScoringMethod.VOTE_SUM:
        value = Fraction(tally.member + tally.mass)
        return Score(value, f"{tally.member} + {tally.mass} = {decimal_text(value)}")
    parts: list[str] = []
    value = Fraction(0)
    for weight, votes, forms in (
        (weights.member, tally.member, member_forms),
        (weights.mass, tally.mass, mass_forms),
    ):
        value += weight * share(votes, forms)
        parts.append(f"{decimal_text(weight)}×{votes}/{forms}")
    if tally.organization:
        value += weights.organization
        parts.append(decimal_text(weights.organization))
    if tally.self_nominated:
        value += weights.self_nominated
        parts.append(decimal_text(weights.self_nominated))
    return Score(value, f"{' + '.join(parts)} = {decimal_text(value)}")


@dataclass(frozen=True)
class NominationResult:
    """Scores and the 初步人选 shortlist of one position (N3, N5)."""

    scores: Mapping[str, Score]
    shortlist: Shortlist


def rank_nominations(
    tallies: Mapping[str, Tally],
    seats: int,
    ratio: Fraction,
    method: ScoringMethod,
    weights: Weights,
    member_forms: int,
    mass_forms: int,
) -> NominationResult:
    """N3 + N5: score everyone and draw the shortlist line (ties at the cut-off all kept)."""
    scores = {
        name: score(tally, method, weights, member_forms, mass_forms)
        for name, tally in tallies.items()
    }
    size = shortlist_size(seats, ratio)
    return NominationResult(
        scores, make_shortlist({name: s.value for name, s in scores.items()}, size)
    )
