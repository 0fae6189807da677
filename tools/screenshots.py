"""Renders the program offscreen into docs/screenshots/ (needs fonts-noto-cjk).

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py

Opens a demo election and saves every tab at 1366×768 and 1024×768 (the laptop and an
old projector mirrored), the counting tab's states a scrutineer meets (a correction, a
paper beyond those collected, double entry), a box station, and the projector at
1920×1080 and 1024×768.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.domain.evaluation import CandidateRating, Overall, RaterGroup, Rating
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.scanning.imaging import to_qimage
from gongtui_desktop.scanning.synthetic import marked_page
from gongtui_desktop.services.demo import COMMITTEE_PAPERS, write_demo
from gongtui_desktop.services.recommendation import review_rows
from gongtui_desktop.ui.app import application
from gongtui_desktop.ui.evaluation_tab import EvaluationTab
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.projector import ProjectorMode
from gongtui_desktop.ui.recommendation_tab import RecommendationTab
from gongtui_desktop.ui.scan_review import ScanReviewDialog

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZES = ((1366, 768), (1024, 768))


def _every_size(app: QApplication, window: MainWindow, name: str) -> None:
    """The window as it is now, at each laptop size."""
    for width, height in SIZES:
        window.resize(width, height)
        app.processEvents()
        window.grab().save(str(OUT / f"{name}-{width}x{height}.png"))


def _tabs(app: QApplication, window: MainWindow) -> None:
    """Every tab of the demo at both sizes, as a new user first sees them."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        name = {
            "党员名册": "tab-roster",
            "民主推荐": "tab-recommendation",
            "民主测评": "tab-evaluation",
            "会议签到": "tab-meeting",
            "选举计票": "tab-counting",
        }[window.tabs.tabText(index)]
        _every_size(app, window, name)


def _counting_states(app: QApplication, window: MainWindow, folder: Path) -> None:
    """The counting tab in a correction, with a paper beyond those collected, in double
    entry, and on a box station."""
    window.open_file(write_demo(folder / "状态.gongtui"))
    tab = window.counting
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    for text in COMMITTEE_PAPERS[:3]:
        tab.station.enter(parse_shorthand(text, 4))
    tab.collected.setValue(2)
    tab.save_papers.click()
    tab.start_correction(2)
    _every_size(app, window, "counting-correction")
    window.close_election()
    path = write_demo(folder / "双人.gongtui")
    window.open_file(path)
    tab = window.counting
    assert tab is not None
    election = tab.station.election
    election.issue_box("李计票", folder / "双人-第2票箱.gongtui", "第2票箱")
    window.close_election()
    window.open_file(folder / "双人-第2票箱.gongtui")
    _every_size(app, window, "box-station")
    window.close_election()


def _recommend(tab: RecommendationTab) -> None:
    """Seed 1's hand-counted totals (17/10, 15/11, 12/6, 9/8, 8/5, 3/2)."""
    election = tab.election
    ids = {p.person.name: p.id for p in election.people()}
    election.set_recommendation_seats("李计票", Position.COMMITTEE, 3)
    election.set_form_count("李计票", "recommendation", "member", 20, 19)
    election.set_form_count("李计票", "recommendation", "mass", 14, 12)
    totals = (
        ("项上桢", 17, 10),
        ("郭卫民", 15, 11),
        ("陈晓红", 12, 6),
        ("刘建国", 9, 8),
        ("周丽萍", 8, 5),
        ("吴海涛", 3, 2),
    )
    for name, member, mass in totals:
        election.set_recommendation_total("李计票", Position.COMMITTEE, ids[name], "member", member)
        election.set_recommendation_total("李计票", Position.COMMITTEE, ids[name], "mass", mass)
    tab.refresh()


def _evaluate(recommendation: RecommendationTab, evaluation: EvaluationTab) -> None:
    """Approve the 初步人选, close the recommendation, enter a few evaluation forms."""
    election = recommendation.election
    for row in review_rows(election):
        election.decide_review("李计票", row.position, row.person_id, True, "符合条件")
    recommendation.refresh()
    recommendation.close_stage()
    evaluation.refresh()
    people = election.evaluation_candidates()
    good = CandidateRating((Rating.EXCELLENT,) * 5, Overall.SATISFIED)
    weaker = CandidateRating(
        (Rating.EXCELLENT, Rating.GOOD, Rating.EXCELLENT, Rating.EXCELLENT, Rating.GOOD),
        Overall.BASICALLY,
    )
    for number in range(6):
        ratings = {
            pid: (weaker if index == 4 and number % 2 else good) for index, pid in enumerate(people)
        }
        group = RaterGroup.MEMBER if number < 4 else RaterGroup.NON_MEMBER
        election.enter_evaluation_form("李计票", group, ratings)
    evaluation.refresh()
    # A form half keyed in, as the grid looks while typing.
    evaluation.grid.setCurrentCell(0, 0)
    for row in range(2):
        for column in range(6):
            evaluation.grid.set_cell(row, column, "1")
    evaluation.grid.setCurrentCell(2, 0)


EMPTY = (("", ""), ("", ""), ("", ""))


def _scanning(app: QApplication, window: MainWindow, folder: Path) -> None:
    """A fresh demo round counted from scans: the tab after the import, the review dialog."""
    window.open_file(write_demo(folder / "扫描.gongtui"))
    tab = window.counting
    assert tab is not None
    layout, code = tab.scanning.layout(), tab.scanning.expected_code().text
    scans = folder / "扫描"
    scans.mkdir()
    marks = [["O", "X", "", "O"], ["", "O", "O", ""], ["O", "?", "", "X"], ["", "", "O", ""]]
    write_ins = [EMPTY, EMPTY, EMPTY, (("W", "O"), ("", ""), ("", ""))]
    for number, (paper, slots) in enumerate(zip(marks, write_ins, strict=True), start=1):
        image = marked_page(
            layout, code, paper, slots, seed=number, quarter_turns=2 * (number == 2)
        )
        to_qimage(image).save(str(scans / f"{number}.png"))
    QMessageBox.information = lambda *args: None  # type: ignore[method-assign]
    tab.import_scan_folder(scans)
    app.processEvents()
    window.grab().save(str(OUT / "scan-imported.png"))
    dialog = ScanReviewDialog(tab.scanning, tab)
    dialog.resize(1400, 900)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(OUT / "scan-review.png"))
    dialog.close()
    window.close_election()


def main() -> int:
    app = application()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        window = MainWindow(operator="李计票")
        window.resize(1440, 900)
        window.show()
        app.processEvents()
        window.grab().save(str(OUT / "start-page.png"))
        path = write_demo(Path(folder) / "演示.gongtui")
        window.open_file(path)
        _tabs(app, window)
        window.close_election()
        _every_size(app, window, "start-page")
        window.open_file(path)
        window.resize(1440, 900)
        tab = window.counting
        assert tab is not None and window.meeting is not None
        window.tabs.setCurrentWidget(window.meeting)
        app.processEvents()
        window.grab().save(str(OUT / "meeting-tab.png"))
        assert window.roster is not None
        window.tabs.setCurrentWidget(window.roster)
        app.processEvents()
        window.grab().save(str(OUT / "roster-tab.png"))
        recommendation = window.recommendation
        assert recommendation is not None
        _recommend(recommendation)
        window.tabs.setCurrentWidget(recommendation)
        recommendation.pages.setCurrentIndex(2)
        app.processEvents()
        window.grab().save(str(OUT / "recommendation-tab.png"))
        evaluation = window.evaluation
        assert evaluation is not None
        _evaluate(recommendation, evaluation)
        window.tabs.setCurrentWidget(evaluation)
        evaluation.pages.setCurrentIndex(1)
        app.processEvents()
        window.grab().save(str(OUT / "evaluation-entry.png"))
        evaluation.pages.setCurrentIndex(2)
        app.processEvents()
        window.grab().save(str(OUT / "evaluation-results.png"))
        window.tabs.setCurrentWidget(tab)
        for text in COMMITTEE_PAPERS[:12]:
            tab.station.enter(parse_shorthand(text, 4))
        # A paper half keyed in, with an over-vote warning showing.
        for key in "123":
            tab.editor.keypad.press(key)  # type: ignore[union-attr]
        tab.editor.refresh()
        app.processEvents()
        window.grab().save(str(OUT / "entry-tab.png"))
        projector = window.show_projector()
        assert projector is not None
        window.set_projector_mode(ProjectorMode.ATTENDANCE)
        for width, height in ((1920, 1080), (1024, 768)):
            projector.resize(width, height)
            app.processEvents()
            projector.grab().save(str(OUT / f"projector-attendance-{width}x{height}.png"))
        window.set_projector_mode(ProjectorMode.LIVE)
        for width, height in ((1920, 1080), (1024, 768)):
            projector.resize(width, height)
            app.processEvents()
            projector.grab().save(str(OUT / f"projector-live-{width}x{height}.png"))
        tab.editor.keypad.clear()  # type: ignore[union-attr]
        for text in COMMITTEE_PAPERS[12:]:
            tab.station.enter(parse_shorthand(text, 4))
        tab.close_round()
        tab.confirm("周丽萍")
        window.set_projector_mode(ProjectorMode.FINAL)
        for width, height in ((1920, 1080), (1024, 768)):
            projector.resize(width, height)
            app.processEvents()
            projector.grab().save(str(OUT / f"projector-result-{width}x{height}.png"))
        app.processEvents()
        window.grab().save(str(OUT / "round-confirmed.png"))
        window.close_election()
        _counting_states(app, window, Path(folder))
        window.resize(1440, 900)
        _scanning(app, window, Path(folder))
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
