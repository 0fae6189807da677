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

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

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


def _measure(double_entry: bool) -> list[float]:
    """Seconds from Enter to both windows repainted, for MEASURED papers.

    In a double-entry round pass 1 already holds every paper and pass 2 is keyed (the
    count is taken afresh from the file after each entry, so this is the slower path).
    """
    app = application()
    rng = random.Random(4)
    stack = [_paper(rng) for _ in range(ENTERED + MEASURED)]
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
            round_id = election.open_round(
                "甲", contest, present_voters=ENTERED + MEASURED, double_entry=double_entry
            )
            if double_entry:
                for paper in stack:
                    election.enter_paper("甲", round_id, paper, entry_pass=1)
            for paper in stack[:ENTERED]:
                election.enter_paper("甲", round_id, paper, entry_pass=2 if double_entry else 1)
        window = MainWindow(operator="计票人")
        window.resize(1440, 900)
        window.show()
        window.open_file(path)
        projector = window.show_projector()
        assert projector is not None and window.counting is not None
        if double_entry:
            # The operator picks 第二遍录入 and gives their name in the dialog that follows.
            def answer() -> None:
                dialog = QApplication.activeModalWidget()
                if isinstance(dialog, QInputDialog):
                    dialog.setTextValue("乙")
                    dialog.accept()
                else:
                    QTimer.singleShot(20, answer)

            QTimer.singleShot(0, answer)
            choice = window.counting.entry_pass
            choice.setCurrentIndex(choice.findText("第二遍录入"))
        projector.resize(1920, 1080)
        app.processEvents()
        editor = window.counting.editor
        timings = []
        for paper in stack[ENTERED:]:
            assert editor.keypad is not None
            editor.keypad.load(paper)
            before = projector.paints
            start = time.perf_counter()
            QTest.keyClick(editor, Qt.Key.Key_Return)
            app.processEvents()  # both windows repaint here
            timings.append(time.perf_counter() - start)
            assert projector.paints > before
        assert len(window.counting.station.counted) == ENTERED + MEASURED
        window.close_election()
        window.close()
    return timings


def main() -> list[tuple[str, float, float, str]]:
    """Each figure as (label, measured, target, unit)."""
    single = statistics.quantiles(_measure(double_entry=False), n=100)
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    double = statistics.quantiles(_measure(double_entry=True), n=100)
    shown = f"{ENTERED:,} × {CANDIDATES} entered"
    return [
        (f"Enter → table + projector, {shown}: p50", single[49] * 1000, 50.0, "ms"),
        (f"Enter → table + projector, {shown}: p95", single[94] * 1000, 50.0, "ms"),
        ("peak memory of the program (max RSS)", memory, 300.0, "MB"),
        (f"double entry, pass 2, {shown}: p50", double[49] * 1000, 50.0, "ms"),
        (f"double entry, pass 2, {shown}: p95", double[94] * 1000, 50.0, "ms"),
    ]


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<60} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
