"""Election file speed: entering papers one transaction each, and opening a big file to a count.

Targets (issue #3, this machine): p95 per paper ≤ 5 ms with the fsync of each
commit included; opening a file holding 10,000 papers to its full count ≤ 500 ms.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from gongtui_desktop.domain.ballots import BallotPaper, Mark, WriteIn
from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.store.election_file import ElectionFile

CANDIDATES = 60
SEATS = 40


def _papers(count: int, seed: int) -> list[BallotPaper]:
    rng = random.Random(seed)
    papers = []
    for number in range(count):
        marks = [Mark.NONE] * CANDIDATES
        for index in rng.sample(range(CANDIDATES), rng.randint(30, SEATS)):
            marks[index] = Mark.FOR
        for index in rng.sample(range(CANDIDATES), 5):
            if marks[index] is Mark.NONE:
                marks[index] = Mark.AGAINST
        write_ins = (WriteIn(f"另选{rng.randrange(10)}"),) if number % 40 == 0 else ()
        papers.append(BallotPaper(tuple(marks), write_ins))
    return papers


def _election(path: Path, voters: int) -> tuple[ElectionFile, int]:
    election = ElectionFile.create(path, title="基准", organization="支部", operator="甲")
    names = [f"候选人{i:02d}" for i in range(CANDIDATES)]
    ids = election.add_people(
        "甲", [{"name": n, "status": MemberStatus.FULL} for n in names], "导入"
    )
    contest = election.add_contest(
        "甲", Position.COMMITTEE, SEATS, list(zip(ids, names, strict=True))
    )
    return election, election.open_round("甲", contest, present_voters=voters)


def main() -> list[tuple[str, float, float, str]]:
    """Each figure as (label, measured, target, unit)."""
    with tempfile.TemporaryDirectory(dir=Path.home()) as folder:
        election, round_id = _election(Path(folder) / "entry.gongtui", 2_000)
        timings = []
        for paper in _papers(2_000, 1):
            start = time.perf_counter()
            election.enter_paper("计票人", round_id, paper)
            timings.append(time.perf_counter() - start)
        election.close()
        quantiles = statistics.quantiles(timings, n=100)

        path = Path(folder) / "big.gongtui"
        election, round_id = _election(path, 10_000)
        for paper in _papers(10_000, 2):
            election.enter_paper("计票人", round_id, paper)
        election.close()
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            with ElectionFile.open(path) as reopened:
                result = reopened.count(round_id)
            best = min(best, time.perf_counter() - start)
            assert result.papers_collected == 10_000
    return [
        ("enter one paper, own transaction + fsync: p50", quantiles[49] * 1000, 5.0, "ms"),
        ("enter one paper, own transaction + fsync: p95", quantiles[94] * 1000, 5.0, "ms"),
        (f"open a file of 10,000 papers × {CANDIDATES} and count", best * 1000, 500.0, "ms"),
    ]


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<52} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
