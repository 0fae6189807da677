"""Counting station speed: from the Enter key to the tally table and the projector updated.

Targets (issue #4): with 2,000 papers × 60 candidates already entered, p95 ≤ 50 ms
from Enter to both windows repainted (the entry's own transaction and fsync
included); memory of the running program ≤ 300 MB. Runs offscreen.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from gongtui_desktop.domain.ballots import BallotPaper, Mark
from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.ui.app import application
from gongtui_desktop.ui.main_window import MainWindow

CANDIDATES = 60
SEATS = 40
ENTERED = 2_000
MEASURED = 200


def _paper(rng: random.Random) -> BallotPaper:
    marks = [Mark.NONE] * CANDIDATES
    for index in rng.sample(range(CANDIDATES), rng.randint(20, SEATS)):
        marks[index] = Mark.FOR
    return BallotPaper(tuple(marks))


def main() -> list[tuple[str, float, float, str]]:
    """Each figure as (label, measured, target, unit)."""
    app = application()
    rng = random.Random(4)
    with tempfile.TemporaryDirectory(dir=Path.home()) as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        path = Path(folder) / "big.gongtui"
        with ElectionFile.create(
            path, title="基准", organization="支部", operator="甲"
        ) as election:
            names = [f"候选人{i:02d}" for i in range(CANDIDATES)]
            people = [{"name": n, "status": MemberStatus.FULL} for n in names]
            ids = election.add_people("甲", people, "导入")
            contest = election.add_contest(
                "甲", Position.COMMITTEE, SEATS, list(zip(ids, names, strict=True))
            )
            round_id = election.open_round("甲", contest, present_voters=ENTERED + MEASURED)
            for _ in range(ENTERED):
                election.enter_paper("甲", round_id, _paper(rng))
        window = MainWindow(operator="计票人")
        window.resize(1440, 900)
        window.show()
        window.open_file(path)
        projector = window.show_projector()
        assert projector is not None and window.counting is not None
        projector.resize(1920, 1080)
        app.processEvents()
        editor = window.counting.editor
        timings = []
        for _ in range(MEASURED):
            assert editor.keypad is not None
            editor.keypad.load(_paper(rng))
            before = projector.paints
            start = time.perf_counter()
            QTest.keyClick(editor, Qt.Key.Key_Return)
            app.processEvents()  # both windows repaint here
            timings.append(time.perf_counter() - start)
            assert projector.paints > before
        assert len(window.counting.station.counted) == ENTERED + MEASURED
        window.close_election()
        window.close()
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    quantiles = statistics.quantiles(timings, n=100)
    return [
        (
            f"Enter → table + projector, {ENTERED:,} × {CANDIDATES} entered: p50",
            quantiles[49] * 1000,
            50.0,
            "ms",
        ),
        (
            f"Enter → table + projector, {ENTERED:,} × {CANDIDATES} entered: p95",
            quantiles[94] * 1000,
            50.0,
            "ms",
        ),
        ("peak memory of the program (max RSS)", memory, 300.0, "MB"),
    ]


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<60} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
