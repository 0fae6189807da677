"""The scan review dialog as a person uses it: keys to the focused widget, buttons found by
their text, dialogs answered. Esc puts the page's reading back (never an empty or half-keyed
paper for the next Enter); Enter refuses a page whose written-in name was not typed (R6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QPushButton, QWidget

from gongtui_desktop.domain.ballots import Mark
from gongtui_desktop.scanning.imaging import encode
from gongtui_desktop.scanning.layout import ballot_layout
from gongtui_desktop.scanning.synthetic import marked_page
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.scans import ScanStatus
from gongtui_desktop.ui.counting_tab import CountingTab
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.scan_review import ScanReviewDialog
from tests.ui.conftest import answer_dialog

CANDIDATES = ("刘建国", "陈晓红", "项上桢", "郭卫民")
EMPTY_SLOTS = (("", ""),) * 3
KEYS = {
    "-": Qt.Key.Key_Minus,
    "+": Qt.Key.Key_Plus,
    "/": Qt.Key.Key_Slash,
    "Enter": Qt.Key.Key_Return,
    "Esc": Qt.Key.Key_Escape,
}


@pytest.fixture
def tab(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CountingTab:
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    assert window.open_file(write_demo(tmp_path / "demo.gongtui"))
    assert window.counting is not None
    return window.counting


def import_pages(tab: CountingTab, folder: Path, pages) -> None:  # type: ignore[no-untyped-def]
    code = tab.scanning.expected_code().text
    layout = ballot_layout(CANDIDATES, 3)
    folder.mkdir()
    for number, (marks, write_ins) in enumerate(pages, start=1):
        image = marked_page(layout, code, marks, write_ins, seed=number)
        (folder / f"{number}.png").write_bytes(encode(image, "PNG"))
    assert tab.import_scan_folder(folder) is not None


@pytest.fixture
def review(qtbot, tab: CountingTab) -> Iterator[ScanReviewDialog]:  # type: ignore[no-untyped-def]
    def open_dialog(queue: bool = True) -> ScanReviewDialog:
        dialog = ScanReviewDialog(tab.scanning, tab)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitActive(dialog)
        if queue:  # a page in doubt is shown at once, with the typing in the editor
            qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.editor)
        return dialog

    yield open_dialog  # type: ignore[misc]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot, *keys: str, control: bool = False) -> None:  # type: ignore[no-untyped-def]
    modifier = Qt.KeyboardModifier.ControlModifier if control else Qt.KeyboardModifier.NoModifier
    for key in keys:
        qtbot.keyClick(focused(), KEYS.get(key) or Qt.Key(ord(key)), modifier)


def button(dialog: ScanReviewDialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def button_or_box(dialog: ScanReviewDialog, text: str) -> QAbstractButton:
    return next(b for b in dialog.findChildren(QAbstractButton) if b.text() == text)


def marks(dialog: ScanReviewDialog) -> str:
    assert dialog.editor.keypad is not None
    return "".join(m.value for m in dialog.editor.keypad.draft.marks)


# ---- Esc ---------------------------------------------------------------------------------


def test_esc_puts_the_reading_back_and_says_so(qtbot, tab: CountingTab, review, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_pages(tab, tmp_path / "扫描", [(["O", "?", "", "X"], EMPTY_SLOTS)])
    dialog = review()
    assert marks(dialog) == "O--X"  # the reading, 陈晓红 in doubt left blank
    press(qtbot, "2", "3")  # 陈晓红 ○, 项上桢 ○ — then the operator thinks better of it
    assert marks(dialog) == "OOOX"
    press(qtbot, "Esc")
    assert marks(dialog) == "O--X"
    assert "已按 Esc 恢复为程序读出的结果" in dialog.editor.hint.text()
    assert dialog.isVisible() and dialog.page is not None  # the dialog stays on the page
    assert tab.station.election.pending_scans(1) == 1

    # A half-keyed state is gone too: "-" (next number ×) then Esc, then 2 marks ○.
    press(qtbot, "-")
    press(qtbot, "Esc")
    press(qtbot, "2")
    assert marks(dialog) == "OO-X"
    press(qtbot, "Enter")
    papers = tab.station.election.papers(1)
    assert len(papers) == 1 and "".join(m.value for m in papers[0].paper.marks) == "OO-X"


def test_esc_then_enter_counts_the_reading_not_an_empty_paper(
    qtbot, tab: CountingTab, review, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import_pages(tab, tmp_path / "扫描", [(["O", "?", "", ""], EMPTY_SLOTS)])
    dialog = review()
    press(qtbot, "Esc", "Enter")
    papers = tab.station.election.papers(1)
    assert len(papers) == 1 and papers[0].paper.marks[0] is Mark.FOR
    assert "已计入，为第 1 张选票" in dialog.status.text()


def test_esc_on_a_counted_page_restores_its_paper(
    qtbot, tab: CountingTab, review, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import_pages(tab, tmp_path / "扫描", [(["O", "", "X", ""], EMPTY_SLOTS)])
    dialog = review(queue=False)
    assert dialog.pages.count() == 0  # counted at once: nothing waits
    qtbot.mouseClick(button_or_box(dialog, "显示全部扫描页"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.editor)
    assert dialog.count_button.text() == "更正（Enter）" and marks(dialog) == "O-X-"
    press(qtbot, "1", "4")
    press(qtbot, "Esc")
    assert marks(dialog) == "O-X-"
    assert "已按 Esc 恢复为已计入的这张选票" in dialog.editor.hint.text()
    press(qtbot, "Enter")
    counted = tab.station.counted
    assert len(counted) == 1 and "".join(m.value for m in counted[0].paper.marks) == "O-X-"


# ---- a written-in name must be typed ----------------------------------------------------


WRITE_IN_PAGE = (["", "", "O", ""], (("W", "O"), ("", ""), ("", "")))


def test_enter_refuses_a_write_in_page_until_the_name_is_typed(
    qtbot, tab: CountingTab, review, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import_pages(tab, tmp_path / "扫描", [WRITE_IN_PAGE])
    dialog = review()
    assert "另选他人第 1 格写有姓名，请录入" in dialog.reasons.text()
    assert marks(dialog) == "--O-"
    press(qtbot, "Enter")
    assert tab.station.election.papers(1) == []
    assert tab.station.election.pending_scans(1) == 1
    hint = dialog.editor.hint.text()
    assert "另选他人第 1 格写有姓名，还没有录入" in hint and "按 + 键入姓名" in hint
    assert marks(dialog) == "--O-"  # the paper as keyed stays on screen
    press(qtbot, "Enter")  # a second bare Enter is refused just the same
    assert tab.station.election.papers(1) == []

    press(qtbot, "+")
    assert focused() is dialog.editor.write_in
    dialog.editor.write_in.setText("周丽萍")  # typed through the input method
    press(qtbot, "Enter")  # adds the name
    assert focused() is dialog.editor
    press(qtbot, "Enter")  # counts the paper
    papers = tab.station.election.papers(1)
    assert len(papers) == 1 and [w.name for w in papers[0].paper.write_ins] == ["周丽萍"]
    assert "".join(m.value for m in papers[0].paper.marks) == "--O-"
    assert tab.station.election.scan_pages(1)[0].status is ScanStatus.COUNTED


def test_writing_that_is_no_name_is_said_so_with_a_reason(
    qtbot, tab: CountingTab, review, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import_pages(tab, tmp_path / "扫描", [WRITE_IN_PAGE])
    dialog = review()
    press(qtbot, "Enter")
    assert tab.station.election.papers(1) == []
    answer_dialog("字迹无法辨认")
    qtbot.mouseClick(button(dialog, "另选他人格不是姓名…"), Qt.MouseButton.LeftButton)
    papers = tab.station.election.papers(1)
    assert len(papers) == 1 and papers[0].paper.write_ins == ()
    page = tab.station.election.scan_pages(1)[0]
    assert page.status is ScanStatus.COUNTED
    assert page.decision is not None and "另选他人格不计：字迹无法辨认" in page.decision


def test_a_void_declaration_answers_the_write_in(qtbot, tab: CountingTab, review, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_pages(tab, tmp_path / "扫描", [WRITE_IN_PAGE])
    review()
    press(qtbot, "Enter")
    assert tab.station.election.papers(1) == []  # refused: the name is not typed
    answer_dialog("无法辨认")
    qtbot.keyClick(focused(), Qt.Key.Key_Period)
    papers = tab.station.election.papers(1)
    assert len(papers) == 1 and papers[0].paper.void_reason == "无法辨认"
