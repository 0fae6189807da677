"""The 民主测评 tab: forms keyed one key per cell, live results with the veto, closing (#7)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.projector import ProjectorMode
from tests.builders import RECOMMENDED, recommended_election

NAMES = RECOMMENDED


def prepared(tmp_path: Path) -> Path:
    return recommended_election(tmp_path / "e.gongtui")


def key(qtbot, grid, *keys: str) -> None:  # type: ignore[no-untyped-def]
    codes = {"*": Qt.Key.Key_Asterisk}
    for k in keys:
        qtbot.keyClick(grid, codes.get(k) or Qt.Key(ord(k)))


def test_forms_by_keyboard_veto_and_close(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.open_file(prepared(tmp_path))
    tab = window.evaluation
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    tab.pages.setCurrentIndex(1)
    grid = tab.grid
    assert [name for _, name in grid.people] == list(NAMES)
    # Three forms. Each row: "*" fills 德能勤纪廉 with 优, then one key for the overall.
    for paper in range(3):
        grid.setCurrentCell(0, 0)
        for row in range(5):
            if row == 4 and paper > 0:
                key(qtbot, grid, "1", "2", "1", "1", "1", "1")  # 周丽萍: 能 良
            elif row == 3 and paper == 2:
                key(qtbot, grid, "1", "1", "1", "1", "2", "2")  # 刘建国: 廉 良 once, 基本满意
            else:
                key(qtbot, grid, "*", "1")
        assert grid.currentRow() == 4
        qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.forms_label.text() == "已录入 3 张"
    tab.pages.setCurrentIndex(2)
    rows = {tab.results.item(r, 0).text(): r for r in range(tab.results.rowCount())}
    zhou, liu = rows["周丽萍"], rows["刘建国"]
    assert tab.results.item(zhou, 2).text() == "优1 良2 中0 差0　33.33%"
    assert "“能”优秀率 33.33%，未超过 50.00% (E4)" in tab.results.item(zhou, 8).text()
    assert tab.results.item(zhou, 7).text() == ""
    assert tab.results.item(liu, 5).text() == "优2 良1 中0 差0　66.67%"
    # 4 qualified, ⌈3 × 1.2⌉ = 4 预备人选; 刘建国 ranks last among them.
    chosen = [
        tab.results.item(r, 0).text()
        for r in range(tab.results.rowCount())
        if tab.results.item(r, 7).text()
    ]
    assert chosen == ["项上桢", "郭卫民", "陈晓红", "刘建国"]
    assert tab.groups.item(rows["周丽萍"], 2).text() == "33.33%｜—"

    tab.projector_button.click()
    assert window.projector is not None and window.projector.mode is ProjectorMode.EVALUATION
    before = window.projector.paints
    window.projector.grab()
    assert window.projector.paints == before + 1

    assert tab.close_stage()
    assert "预备人选成为选举候选人：委员：刘建国、陈晓红、项上桢、郭卫民" in tab.message.text()
    counting = window.counting
    assert counting is not None
    assert counting.station.election.contests()[0].contest.candidates == (
        "刘建国",
        "陈晓红",
        "项上桢",
        "郭卫民",
    )


def test_backspace_and_blank_cells(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.open_file(prepared(tmp_path))
    tab = window.evaluation
    assert tab is not None
    grid = tab.grid
    grid.setCurrentCell(0, 0)
    key(qtbot, grid, "1", "3")
    assert grid.item(0, 1).text() == "中" and grid.currentColumn() == 2
    qtbot.keyClick(grid, Qt.Key.Key_Backspace)
    assert grid.item(0, 1).text() == "" and grid.currentColumn() == 1
    key(qtbot, grid, "0", "4")
    assert grid.item(0, 1).text() == "" and grid.item(0, 2).text() == "差"
    # Cells left blank are allowed (E2): the form is entered as keyed.
    assert tab.commit_form() and tab.forms_label.text() == "已录入 1 张"
    tab.undo_form()
    assert tab.forms_label.text() == "已录入 0 张"
    assert not tab.commit_form() and "空白" in tab.message.text()
