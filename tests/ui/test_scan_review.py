"""扫描选票 in the window (issue #11): print the round's ballots, import a folder of scans,
and adjudicate the pages in doubt by keyboard beside their image."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gongtui_desktop.scanning.imaging import encode
from gongtui_desktop.scanning.layout import ballot_layout
from gongtui_desktop.scanning.synthetic import marked_page
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.scans import ScanStatus
from gongtui_desktop.ui.counting_tab import CountingTab
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.scan_review import IMAGE_WIDTH, ScanReviewDialog

CANDIDATES = ("刘建国", "陈晓红", "项上桢", "郭卫民")
EMPTY_SLOTS = (("", ""),) * 3


@pytest.fixture
def tab(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CountingTab:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert window.open_file(write_demo(tmp_path / "demo.gongtui"))
    counting = window.counting
    assert counting is not None
    counting.messages = shown  # type: ignore[attr-defined]
    return counting


def scans(tab: CountingTab, folder: Path) -> Path:
    """Three scans of the demo's first round: one clear, one scribbled, one with a write-in."""
    code = tab.scanning.expected_code().text
    layout = ballot_layout(CANDIDATES, 3)
    folder.mkdir()
    pages = (
        (["O", "X", "", "O"], EMPTY_SLOTS),
        (["O", "?", "", ""], EMPTY_SLOTS),
        (["", "", "O", ""], (("W", "O"), ("", ""), ("", ""))),
    )
    for number, (marks, write_ins) in enumerate(pages, start=1):
        image = marked_page(layout, code, marks, write_ins, seed=number)
        (folder / f"{number}.png").write_bytes(encode(image, "PNG"))
    return folder


def test_print_the_rounds_ballots(tab: CountingTab, tmp_path: Path) -> None:
    written = tab.print_ballots(tmp_path / "选票.docx", 3)
    assert written is not None and written.exists()
    assert len(docx.Document(str(written)).tables) == 3
    assert tab.print_button.isEnabled()


def test_import_then_adjudicate_by_keyboard(qtbot, tab: CountingTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert tab.scan_button.isEnabled() and not tab.review_button.isEnabled()
    summary = tab.import_scan_folder(scans(tab, tmp_path / "扫描"))
    assert summary is not None and (summary.counted, summary.pending) == (1, 2)
    assert "自动计入 1 张，待核定 2 张" in tab.messages[-1]  # type: ignore[attr-defined]
    assert tab.paper_model.rowCount() == 1  # the clear page is counted and listed at once
    operator = tab.paper_model.data(tab.paper_model.index(0, 4))
    assert operator == "李计票（扫描）"
    assert tab.review_button.isEnabled() and tab.review_button.text() == "核定扫描选票（2 张）"
    assert "扫描选票待核定 2 张" in tab.summary.text()
    assert not tab.close_button.isEnabled()
    assert not tab.undo_button.isEnabled() and tab.correct_button.isEnabled()

    dialog = ScanReviewDialog(tab.scanning, tab)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pages.count() == 2 and dialog.windowTitle() == "核定扫描选票（待核定 2 张）"
    assert "陈晓红" in dialog.reasons.text()
    pixmap = dialog.image.pixmap()
    assert not pixmap.isNull() and pixmap.width() == IMAGE_WIDTH
    # The proposal is keyed already (刘建国 ○); the adjudicator adds 陈晓红 × and presses Enter.
    assert dialog.editor.keypad is not None
    assert dialog.editor.keypad.draft.marks[0].value == "O"
    qtbot.keyClick(dialog.editor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.pages.count() == 1 and "已计入，为第 2 张选票" in dialog.status.text()
    assert "另选他人第 1 格写有姓名" in dialog.reasons.text()

    # The write-in: + opens the name field, the name is typed, Enter adds it, Enter counts.
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Plus)
    dialog.editor.write_in.setText("周丽萍")  # typed through the input method
    qtbot.keyClick(dialog.editor.write_in, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.pages.count() == 0 and not dialog.count_button.isEnabled()
    dialog.close()

    election = tab.station.election
    papers = election.papers(1)
    assert "".join(m.value for m in papers[1].paper.marks) == "OX--"
    assert papers[2].paper.write_ins[0].name == "周丽萍"
    assert "".join(m.value for m in papers[2].paper.marks) == "--O-"
    pages = election.scan_pages(1)
    assert [p.status for p in pages] == [ScanStatus.COUNTED] * 3
    assert len(tab.station.counted) == 3
    tab._show_figures()
    assert not tab.review_button.isEnabled()


def test_a_page_set_aside_from_the_dialog(qtbot, tab: CountingTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab.import_scan_folder(scans(tab, tmp_path / "扫描"))
    dialog = ScanReviewDialog(tab.scanning, tab)
    qtbot.addWidget(dialog)
    dialog.set_aside("同一张选票重复扫描")
    assert dialog.pages.count() == 1 and "不计入本轮：同一张选票重复扫描" in dialog.status.text()
    rejected = tab.station.election.scan_pages(1, ScanStatus.REJECTED)
    assert len(rejected) == 1 and rejected[0].decision == "同一张选票重复扫描"
    assert len(tab.station.election.papers(1)) == 1


def test_an_empty_folder_says_so(tab: CountingTab, tmp_path: Path) -> None:
    (tmp_path / "空").mkdir()
    assert tab.import_scan_folder(tmp_path / "空") is None
    assert "没有图像或 PDF 文件" in tab.messages[-1]  # type: ignore[attr-defined]


def test_a_sheet_scanned_twice_is_taken_back_and_a_page_corrected(
    qtbot, tab: CountingTab, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    code = tab.scanning.expected_code().text
    layout = ballot_layout(CANDIDATES, 3)
    folder = tmp_path / "扫描"
    folder.mkdir()
    image = marked_page(layout, code, ["O", "", "", ""], EMPTY_SLOTS, seed=1)
    (folder / "a.png").write_bytes(encode(image, "PNG"))
    (folder / "b-again.jpg").write_bytes(encode(image, "JPG", 90))  # the same sheet, other bytes
    outcome = tab.import_scan_folder(folder)
    # The second scan is not counted silently: it waits for a person, with the reason.
    assert outcome is not None and (outcome.counted, outcome.pending) == (1, 1)
    dialog = ScanReviewDialog(tab.scanning, tab)
    qtbot.addWidget(dialog)
    assert dialog.pages.count() == 1 and dialog.pages.item(0).text().startswith("b-again.jpg")
    assert "a.png" in dialog.reasons.text() and "几乎相同" in dialog.reasons.text()
    dialog.show_all.setChecked(True)
    assert dialog.pages.item(0).text() == "a.png　已计入"

    dialog.pages.setCurrentRow(1)
    dialog.set_aside("同一张选票重复扫描")
    assert len(tab.station.counted) == 1 and tab.paper_model.rowCount() == 1
    assert dialog.pages.item(1).text() == "b-again.jpg　不计入本轮"

    # The other copy was read right but the voter's × for 项上桢 was missed: corrected here.
    dialog.pages.setCurrentRow(0)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert "a.png 已更正，为第 1 张选票" in dialog.status.text()
    counted = tab.station.counted
    assert len(counted) == 1 and "".join(m.value for m in counted[0].paper.marks) == "O-X-"
    assert counted[0].scanned and tab.station.election.scan_page(1).paper_id == counted[0].id

    # Set aside by mistake: counted after all.
    dialog.pages.setCurrentRow(1)
    assert dialog.count_button.text() == "重新计入（Enter）"
    assert not dialog.set_aside_button.isEnabled()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert len(tab.station.counted) == 2
    dialog.close()


def test_an_unexpected_failure_mid_import_is_reported(
    tab: CountingTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = scans(tab, tmp_path / "扫描")
    calls: list[int] = []
    real_read = tab.scanning.read

    def failing_read(page, record=None):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError("内存不足")
        return real_read(page, record)

    with monkeypatch.context() as patched:  # only this patch: the message boxes stay quiet
        patched.setattr(tab.scanning, "read", failing_read)
        assert tab.import_scan_folder(folder) is None
    message = tab.messages[-1]  # type: ignore[attr-defined]
    assert message.startswith("导入中断（MemoryError：内存不足）")
    assert "已读入的每一页都已保存" in message
    assert len(tab.station.election.scan_pages(1)) == 1  # the first page stayed, nothing half
    again = tab.import_scan_folder(folder)
    assert again is not None and again.duplicates == ("1.png",) and again.pages == 3
