"""Shortlists: 初步人选 from recommendation, 预备人选 from evaluation (N5, E5)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction


def shortlist_size(seats: int, ratio: Fraction) -> int:
    """N5: ⌈seats × (1 + ratio)⌉ (3 seats, 40% → 5; 20% → 4)."""
    if seats < 1:
        raise ValueError("应选人数至少为 1")
    if ratio < 0:
        raise ValueError("差额比例不能为负数")
    return math.ceil(seats * (1 + ratio))


@dataclass(frozen=True)
class Shortlist:
    """The people above the line, best first; those tied at the cut-off are all kept (N5)."""

    size: int
    ranking: tuple[tuple[str, Fraction], ...]
    chosen: tuple[str, ...]
    tied_at_cutoff: tuple[str, ...]

    @property
    def over_size(self) -> bool:
        """More people kept than the size because of a tie at the cut-off."""
        return len(self.chosen) > self.size


def make_shortlist(scores: Mapping[str, Fraction], size: int) -> Shortlist:
    """N5: the ``size`` best scores; everyone tied with the last one is kept and flagged.

    People with equal scores keep the order in which ``scores`` lists them.
    """
    ranking = tuple(sorted(scores.items(), key=lambda item: -item[1]))
    if len(ranking) <= size:
        return Shortlist(size, ranking, tuple(name for name, _ in ranking), ())
    if size == 0:
        return Shortlist(size, ranking, (), ())
    cutoff = ranking[size - 1][1]
    chosen = tuple(name for name, score in ranking if score >= cutoff)
    tied = tuple(name for name, score in ranking if score == cutoff) if len(chosen) > size else ()
    return Shortlist(size, ranking, chosen, tied)
