"""Counting speed: a round of 10,000 papers × 100 candidates, then one more paper.

Targets (issue #2, this 2-core machine): full count ≤ 100 ms; one more paper
(incremental, including the new result) ≤ 1 ms. Prints each figure beside its
target; the best of several repeats is reported, as timings only get slower
from noise.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn
from gongtui_desktop.domain.counting import RoundSpec, RoundTally, count_round

PAPERS = 10_000
CANDIDATES = 100
SEATS = 60


def make_round(seed: int = 2026) -> tuple[RoundSpec, list[BallotPaper]]:
    rng = random.Random(seed)
    names = tuple(f"候选人{i:03d}" for i in range(CANDIDATES))
    spec = RoundSpec(SEATS, names, PAPERS + 50, PAPERS + 50)
    marks = (Mark.FOR, Mark.AGAINST, Mark.NONE)
    papers = []
    for number in range(PAPERS):
        paper_marks = tuple(rng.choices(marks, weights=(5, 2, 3), k=CANDIDATES))
        write_ins = (WriteIn(f"另选{rng.randrange(20)}"),) if number % 50 == 0 else ()
        void = "有记号" if number % 997 == 0 else None
        papers.append(BallotPaper(paper_marks, write_ins, void))
    return spec, papers


def best_of(repeats: int, action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> list[tuple[str, float, float, str]]:
    """Each figure as (label, measured, target, unit)."""
    spec, papers = make_round()
    full = best_of(7, lambda: count_round(spec, papers))

    tally = RoundTally(spec)
    tally.add_many(papers)
    extra = papers[1]
    incremental = float("inf")
    for _ in range(200):
        begin = time.perf_counter()
        tally.add(extra)
        tally.result()
        incremental = min(incremental, time.perf_counter() - begin)
        tally.remove(extra)  # the undo is not part of entering the paper
    return [
        (f"full count, {PAPERS:,} papers × {CANDIDATES} candidates", full * 1000, 100.0, "ms"),
        ("one more paper: add it and decide the new result", incremental * 1000, 1.0, "ms"),
    ]


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<52} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
