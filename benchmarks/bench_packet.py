"""Archive packet speed: a 2,000-voter, 60-candidate election with three rounds.

Target (issue #8): the whole packet (documents, workbook, ballots, copy, audit CSV,
manifest, zip) in ≤ 10 s on this machine.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from gongtui_desktop.domain.ballots import BallotPaper, Mark
from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.reports.packet import export_packet
from gongtui_desktop.store.election_file import ElectionFile

VOTERS = 2_000
CANDIDATES = 60
SEATS = 40


def _paper(rng: random.Random, size: int, seats: int) -> BallotPaper:
    marks = [Mark.NONE] * size
    for index in rng.sample(range(size), rng.randint(max(1, seats // 2), seats)):
        marks[index] = Mark.FOR
    return BallotPaper(tuple(marks))


def _election(path: Path) -> None:
    """Three confirmed rounds: the regular round, and two by-elections."""
    rng = random.Random(8)
    with ElectionFile.create(
        path, title="基准选举", organization="基准党委", operator="甲"
    ) as election:
        people = [{"name": f"党员{i:04d}", "status": MemberStatus.FULL} for i in range(VOTERS)]
        ids = election.add_people("甲", people, "导入")
        for person_id in ids:
            election.set_attendance("甲", "election", person_id, "present")
        names = [f"党员{i:04d}" for i in range(CANDIDATES)]
        contest = election.add_contest(
            "甲", Position.COMMITTEE, SEATS, list(zip(ids[:CANDIDATES], names, strict=True))
        )
        for _ in range(3):
            progress = election.contest_progress(contest)
            if progress.done:
                break
            round_id = election.open_round("甲", contest, present_voters=VOTERS)
            spec = election.round(round_id).spec
            election.set_papers_collected("甲", round_id, VOTERS)
            for _ in range(VOTERS):
                election.enter_paper("甲", round_id, _paper(rng, len(spec.candidates), spec.seats))
            election.close_round("甲", round_id)
            election.confirm_round("甲", round_id, "监票人")


def main() -> list[tuple[str, float, float, str]]:
    """Each figure as (label, measured, target, unit)."""
    with tempfile.TemporaryDirectory(dir=Path.home()) as folder:
        path = Path(folder) / "big.gongtui"
        _election(path)
        with ElectionFile.open(path, read_only=True) as election:
            rounds = len(election.rounds(election.contests()[0].id))
        best = float("inf")
        for attempt in range(2):
            start = time.perf_counter()
            export_packet(path, Path(folder) / f"out{attempt}")
            best = min(best, time.perf_counter() - start)
    return [
        (
            f"archive packet, {VOTERS:,} voters × {CANDIDATES} candidates, {rounds} rounds",
            best,
            10.0,
            "s",
        )
    ]


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<60} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
