"""The 民主测评 tab: forms keyed one key per cell, live results with the veto, closing (#7)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from gongtui_desktop.domain.evaluation import RaterGroup
from gongtui_desktop.ui.evaluation_tab import EvaluationTab
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.projector import ProjectorMode
from tests.builders import RECOMMENDED, recommended_election
from tests.ui.conftest import answer_message, click_message_button

NAMES = RECOMMENDED


def prepared(tmp_path: Path) -> Path:
    return recommended_election(tmp_path / "e.gongtui")


def key(qtbot, grid, *keys: str) -> None:  # type: ignore[no-untyped-def]
    codes = {"*": Qt.Key.Key_Asterisk}
    for k in keys:
        qtbot.keyClick(grid, codes.get(k) or Qt.Key(ord(k)))


def button(page: QWidget, text: str) -> QPushButton:
    """A button as a person finds it: by its words."""
    return next(b for b in page.findChildren(QPushButton) if b.text() == text)


def register_counts(qtbot, tab: EvaluationTab, issued: int, returned: int) -> None:  # type: ignore[no-untyped-def]
    """测评设置: the 党员 forms issued and returned, typed into the boxes and saved."""
    tab.pages.setCurrentIndex(0)
    for which, value in (("issued", issued), ("returned", returned)):
        box = tab.count_boxes[(RaterGroup.MEMBER, which)]
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, str(value))
    qtbot.mouseClick(button(tab, "保存设置"), Qt.MouseButton.LeftButton)
    assert tab.message.text() == "设置已保存"


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
    assert "“能”优秀率 33.33%，未超过 50.00%" in tab.results.item(zhou, 8).text()
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

    register_counts(qtbot, tab, 3, 3)
    tab.pages.setCurrentIndex(2)
    click_message_button("结束民主测评")
    qtbot.mouseClick(button(tab, "结束民主测评…"), Qt.MouseButton.LeftButton)
    assert tab.election.stage_status("evaluation") == "closed"
    assert (
        "4 名预备人选成为“委员”的选举候选人（按姓氏笔画）：刘建国、陈晓红、项上桢、郭卫民"
        in tab.message.text()
    )
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
    # Cells left blank are allowed (E2) once a person says the paper is so.
    click_message_button("按空白录入")
    qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.forms_label.text() == "已录入 1 张"
    tab.undo_form()
    assert tab.forms_label.text() == "已录入 0 张"
    assert not tab.commit_form() and "空白" in tab.message.text()


def test_a_form_with_cells_not_keyed_is_asked_about(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Two cells keyed of a form of five people: Ctrl+Enter asks; 返回填写 (also Enter, the
    default) keeps the form and puts the cursor on the first cell not keyed."""
    window.open_file(prepared(tmp_path))
    tab = window.evaluation
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    tab.pages.setCurrentIndex(1)
    grid = tab.grid
    grid.setFocus()
    grid.setCurrentCell(0, 0)
    key(qtbot, grid, "1", "2")
    seen: list[str] = []
    answer_message(Qt.Key.Key_Return, seen)
    qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert seen == [
        "这张测评表共 25 格，只填了 2 格，还有 23 格没有填（第一个是项上桢的“勤”）。\n\n"
        "测评表上这些格子确实是空白的，就按空白录入（不计入有效评价）；否则返回接着填。"
    ]
    assert tab.election.evaluation_form_ids() == []
    assert (grid.currentRow(), grid.currentColumn()) == (0, 2)
    assert "没有录入：还有 23 格没有填" in tab.message.text()
    assert grid.item(0, 0).text() == "优" and grid.item(0, 1).text() == "良"

    # Blanks keyed with 0 are what the rater left: the form goes in without a question.
    grid.setCurrentCell(0, 2)
    key(qtbot, grid, "0", "0", "0", "1")  # 勤纪廉 blank, overall 满意
    for _ in range(4):
        key(qtbot, grid, "*", "0")
    qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.forms_label.text() == "已录入 1 张" and tab.message.text() == "已录入"


def test_closing_without_forms_issued_and_returned_is_refused_with_the_reason(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.open_file(prepared(tmp_path))
    tab = window.evaluation
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    tab.pages.setCurrentIndex(1)
    grid = tab.grid
    grid.setFocus()
    for _ in range(2):
        grid.setCurrentCell(0, 0)
        for _ in range(5):
            key(qtbot, grid, "*", "1")
        qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.forms_label.text() == "已录入 2 张"
    tab.pages.setCurrentIndex(2)
    seen: list[str] = []
    answer_message(Qt.Key.Key_Return, seen)
    qtbot.mouseClick(button(tab, "结束民主测评…"), Qt.MouseButton.LeftButton)
    reason = (
        "请先登记党员测评表的发出和收回数：已录入 2 张，"
        "登记的却是发出 0 张、收回 0 张（在“测评设置”中登记）"
    )
    assert seen == [f"民主测评还不能结束：\n· {reason}"]
    assert reason in tab.message.text()
    assert tab.election.stage_status("evaluation") == "open"
    # Registered, it closes, and the message says where the 预备人选 went.
    register_counts(qtbot, tab, 2, 2)
    tab.pages.setCurrentIndex(2)
    click_message_button("结束民主测评")
    qtbot.mouseClick(button(tab, "结束民主测评…"), Qt.MouseButton.LeftButton)
    assert tab.election.stage_status("evaluation") == "closed"
    assert tab.message.text().endswith(
        "成为“委员”的选举候选人（按姓氏笔画）：刘建国、陈晓红、周丽萍、项上桢、郭卫民"
    )
    assert "候选人：\n" not in tab.message.text() and not tab.message.text().endswith("：")


def test_threshold_and_ratio_are_shown_and_typed_in_percent(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from fractions import Fraction

    window.open_file(prepared(tmp_path))
    tab = window.evaluation
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    tab.pages.setCurrentIndex(0)
    assert tab.threshold.text() == "50" and tab.ratio.text() == "20"
    tab.ratio.setFocus()
    tab.ratio.selectAll()
    qtbot.keyClicks(tab.ratio, "0.4")
    qtbot.mouseClick(button(tab, "保存设置"), Qt.MouseButton.LeftButton)
    assert "预备人选差额比例按百分数填写：40% 就填 40" in tab.message.text()
    assert tab.election.plan().evaluation.ratio == Fraction(1, 5)
    tab.ratio.selectAll()
    qtbot.keyClicks(tab.ratio, "40")
    tab.threshold.selectAll()
    tab.threshold.setFocus()
    qtbot.keyClicks(tab.threshold, "60")
    qtbot.mouseClick(button(tab, "保存设置"), Qt.MouseButton.LeftButton)
    options = tab.election.plan().evaluation
    assert (options.ratio, options.threshold) == (Fraction(2, 5), Fraction(3, 5))
    assert tab.ratio.text() == "40" and tab.threshold.text() == "60"


def test_results_keep_the_shortlist_and_reasons_in_view_at_1024_pixels(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.open_file(prepared(tmp_path))
    tab = window.evaluation
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    window.resize(1024, 768)
    tab.pages.setCurrentIndex(1)
    grid = tab.grid
    grid.setFocus()
    grid.setCurrentCell(0, 0)
    for row in range(5):
        key(qtbot, grid, *(("1", "2", "1", "1", "1", "1") if row == 4 else ("*", "1")))
    qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    tab.pages.setCurrentIndex(2)
    qtbot.wait(10)
    assert tab.results.horizontalScrollBar().maximum() == 0
    last = tab.results.columnCount() - 1
    viewport = tab.results.viewport().width()
    assert tab.results.columnViewportPosition(last) + 60 < viewport  # 否决理由 begins in view
