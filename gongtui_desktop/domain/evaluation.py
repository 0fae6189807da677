"""Five-dimension evaluation (德能勤纪廉): shares, judgement, veto, composite and 预备人选 (E1–E5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from gongtui_desktop.domain.numbers import percent, share
from gongtui_desktop.domain.shortlist import Shortlist, make_shortlist, shortlist_size

DIMENSIONS = ("德", "能", "勤", "纪", "廉")
FOUR_FIFTHS = Fraction(4, 5)


class Rating(StrEnum):
    """E2: the four grades, stored by meaning; their printed labels are a plan option."""

    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


RATING_ORDER = (Rating.EXCELLENT, Rating.GOOD, Rating.FAIR, Rating.POOR)
DEFAULT_LABELS = ("优", "良", "中", "差")


class Overall(StrEnum):
    """E2: the optional overall judgement."""

    SATISFIED = "satisfied"
    BASICALLY = "basically"
    UNSATISFIED = "unsatisfied"

    @property
    def label(self) -> str:
        return {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}[self.value]


class RaterGroup(StrEnum):
    """E1: members and non-members are counted separately."""

    MEMBER = "member"
    NON_MEMBER = "non_member"

    @property
    def label(self) -> str:
        return "党员" if self is RaterGroup.MEMBER else "群众"


class ThresholdRule(StrEnum):
    """Option ``threshold_rule`` (E3)."""

    MORE_THAN = "more_than"
    AT_LEAST = "at_least"

    def passes(self, value: Fraction, threshold: Fraction) -> bool:
        return value > threshold if self is ThresholdRule.MORE_THAN else value >= threshold


@dataclass(frozen=True, slots=True)
class CandidateRating:
    """One rater's grades for one candidate: five dimensions (None = blank) and the overall."""

    grades: tuple[Rating | None, ...]
    overall: Overall | None = None

    def __post_init__(self) -> None:
        if len(self.grades) != len(DIMENSIONS):
            raise ValueError(
                f"测评须对{''.join(DIMENSIONS)}五个方面评价，收到 {len(self.grades)} 项"
            )


@dataclass(frozen=True)
class EvaluationForm:
    """One returned evaluation form (测评表)."""

    group: RaterGroup
    ratings: Mapping[str, CandidateRating]


@dataclass(frozen=True)
class EvaluationOptions:
    """Plan options of the evaluation (E1–E5)."""

    threshold: Fraction = Fraction(1, 2)
    threshold_rule: ThresholdRule = ThresholdRule.MORE_THAN
    veto: bool = True
    labels: tuple[str, str, str, str] = DEFAULT_LABELS
    points: tuple[int, int, int, int] = (100, 80, 60, 0)
    weights: tuple[Fraction, ...] = (Fraction(1),) * len(DIMENSIONS)
    ratio: Fraction = Fraction(1, 5)
    require_participation: bool = False

    def __post_init__(self) -> None:
        if len(self.weights) != len(DIMENSIONS):
            raise ValueError("五个方面各需一个权重")
        if sum(self.weights) <= 0:
            raise ValueError("权重之和须大于 0")

    def label(self, rating: Rating) -> str:
        return self.labels[RATING_ORDER.index(rating)]

    def parse_grade(self, text: str) -> Rating | None:
        """A label (or ``-`` for blank) back to its rating."""
        if text in ("-", ""):
            return None
        if text in self.labels:
            return RATING_ORDER[self.labels.index(text)]
        raise ValueError(f"无法识别的评价“{text}”，应为 {'/'.join(self.labels)} 或空白")


@dataclass(frozen=True, slots=True)
class Participation:
    """E1: forms returned against forms issued, per rater group."""

    issued: int
    returned: int

    @property
    def rate(self) -> Fraction:
        return share(self.returned, self.issued)

    @property
    def over_four_fifths(self) -> bool:
        return self.rate > FOUR_FIFTHS


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """E3: one dimension of one candidate."""

    dimension: str
    counts: tuple[int, int, int, int]
    blank: int
    share: Fraction
    excellent: bool

    @property
    def rated(self) -> int:
        return sum(self.counts)

    @property
    def no_ratings(self) -> bool:
        """无有效评价: nobody rated this dimension; share 0, not judged 优."""
        return self.rated == 0


@dataclass(frozen=True)
class CandidateEvaluation:
    """E3–E5 for one candidate."""

    name: str
    dimensions: tuple[DimensionResult, ...]
    overall: Mapping[Overall, int]
    composite: Fraction
    vetoed: bool
    veto_reasons: tuple[str, ...] = field(default=())

    @property
    def excellent_shares(self) -> tuple[Fraction, ...]:
        return tuple(d.share for d in self.dimensions)


@dataclass(frozen=True)
class EvaluationResult:
    """All candidates' results, the qualified ranking and the 预备人选 shortlist (E3–E5, N5)."""

    candidates: tuple[CandidateEvaluation, ...]
    shortlist: Shortlist

    def of(self, name: str) -> CandidateEvaluation:
        for candidate in self.candidates:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def qualified(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.candidates if not c.vetoed)

    @property
    def disqualified(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.candidates if c.vetoed)


def _dimension(
    index: int, grades: Sequence[Rating | None], options: EvaluationOptions
) -> DimensionResult:
    counts = tuple(sum(1 for g in grades if g is r) for r in RATING_ORDER)
    rated = sum(counts)
    excellent_share = share(counts[0], rated)
    judged = rated > 0 and options.threshold_rule.passes(excellent_share, options.threshold)
    return DimensionResult(
        DIMENSIONS[index],
        (counts[0], counts[1], counts[2], counts[3]),
        len(grades) - rated,
        excellent_share,
        judged,
    )


def _composite(dimensions: Sequence[DimensionResult], options: EvaluationOptions) -> Fraction:
    """E5: weighted mean over dimensions of the mean points of the non-blank ratings."""
    total = Fraction(0)
    for weight, result in zip(options.weights, dimensions, strict=True):
        if result.rated:
            points = sum(n * p for n, p in zip(result.counts, options.points, strict=True))
            total += weight * Fraction(points, result.rated)
    return total / sum(options.weights)


def evaluate_candidate(
    name: str, ratings: Sequence[CandidateRating], options: EvaluationOptions
) -> CandidateEvaluation:
    """E3 (share of 优 among non-blank ratings), E4 (veto), E5 (composite) for one candidate."""
    dimensions = tuple(
        _dimension(i, [r.grades[i] for r in ratings], options) for i in range(len(DIMENSIONS))
    )
    overall = {o: sum(1 for r in ratings if r.overall is o) for o in Overall}
    rule = "超过" if options.threshold_rule is ThresholdRule.MORE_THAN else "达到"
    reasons = tuple(
        f"“{d.dimension}”优秀率 {percent(d.share)}"
        + ("（无有效评价）" if d.no_ratings else "")
        + f"，未{rule} {percent(options.threshold)}"
        for d in dimensions
        if not d.excellent
    )
    vetoed = options.veto and bool(reasons)
    return CandidateEvaluation(
        name,
        dimensions,
        overall,
        _composite(dimensions, options),
        vetoed,
        reasons if vetoed else (),
    )


def evaluate(
    candidates: Sequence[str],
    forms: Iterable[EvaluationForm],
    options: EvaluationOptions,
    seats: int,
    group: RaterGroup | None = None,
) -> EvaluationResult:
    """E3–E5 over the returned forms (of one rater group, or all when ``group`` is None),
    then the shortlist of the qualified by composite with the evaluation's ratio (N5).

    A candidate left off a form counts as blank on every dimension of that form.
    """
    known = set(candidates)
    per_candidate: dict[str, list[CandidateRating]] = {name: [] for name in candidates}
    blank = CandidateRating((None,) * len(DIMENSIONS))
    for number, form in enumerate(forms, start=1):
        unknown = set(form.ratings) - known
        if unknown:
            raise ValueError(
                f"第 {number} 张测评表评价了不在名单中的人：{'、'.join(sorted(unknown))}"
            )
        if group is not None and form.group is not group:
            continue
        for name in candidates:
            per_candidate[name].append(form.ratings.get(name, blank))
    results = tuple(evaluate_candidate(name, per_candidate[name], options) for name in candidates)
    qualified = {c.name: c.composite for c in results if not c.vetoed}
    return EvaluationResult(
        results, make_shortlist(qualified, shortlist_size(seats, options.ratio))
    )
