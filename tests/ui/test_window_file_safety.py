"""The file at the meeting: a half-keyed paper is not lost to a closed window, a second
window on a locked file is plainly read-only, a copy for a USB stick holds everything, and
a box station never looks like the main station."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox, QPushButton

from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.verify import verify_file
from gongtui_desktop.ui.main_window import MainWindow
from tests.ui.conftest import answer_message, click_message_button
from tests.ui.test_counting_station import press
from tests.ui.test_entry_modes import menu_action


def open_demo(window: MainWindow, tmp_path: Path) -> Path:
    path = write_demo(tmp_path / "demo.gongtui")
    assert window.open_file(path)
    return path


def counted_in_plain_copy(path: Path, tmp_path: Path) -> int:
    """Papers in a plain file copy of the .gongtui alone (no -wal beside it)."""
    copy = tmp_path / "copied-by-hand.gongtui"
    shutil.copyfile(path, copy)
    with sqlite3.connect(copy) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM papers").fetchone()[0])


def test_closing_with_a_half_keyed_paper_asks_first(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    open_demo(window, tmp_path)
    tab = window.counting
    assert tab is not None
    press(qtbot, tab, "1", "3")
    seen: list[str] = []
    answer_message(seen=seen)  # Enter: 回去录完
    window.close()
    assert "还没有按 Enter 录入" in seen[0]
    assert window.isVisible() and window.election is not None
    press(qtbot, tab, "Enter")
    assert len(tab.station.counted) == 1  # the paper was finished after all
    press(qtbot, tab, "2")
    click_message_button("关闭，不录这张")
    menu_action(window, "文件", "关闭选举").trigger()
    assert window.election is None


def test_a_second_window_on_a_locked_file_is_plainly_read_only(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = write_demo(tmp_path / "demo.gongtui")
    holder = ElectionFile.open(path)
    try:
        asked: list[str] = []

        def yes(parent, title, text, *args):  # type: ignore[no-untyped-def]
            asked.append(text)
            return QMessageBox.StandardButton.Yes

        monkeypatch.setattr(QMessageBox, "question", yes)
        assert window.open_file(path)
        assert window.read_only_banner.isVisible()
        assert window.read_only_banner.text().startswith("只读：")
        assert "不能录入或修改" in window.read_only_banner.text()
        tab = window.counting
        assert tab is not None and tab.editor.keypad is None
        assert "只读" in tab.editor.heading.text()
        press(qtbot, tab, "1", "Enter")
        assert tab.station.counted == [] or len(tab.station.counted) == 0
        for page in (window.roster, window.meeting, window.recommendation, window.evaluation):
            assert page is not None
            assert not [b.text() for b in page.findChildren(QPushButton) if b.isEnabled()]
            assert not [e for e in page.findChildren(QLineEdit) if e.isEnabled()]
        assert not [
            b.text()
            for b in tab.findChildren(QPushButton)
            if b.isEnabled() and b is not tab.export_button
        ]
    finally:
        window.close_election()
        holder.close()


def test_a_copy_for_a_usb_stick_holds_every_acknowledged_paper(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = open_demo(window, tmp_path)
    tab = window.counting
    assert tab is not None
    for key in "123":
        press(qtbot, tab, key, "Enter")
    stick = tmp_path / "U盘"
    stick.mkdir()
    target = stick / "demo.gongtui"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    answer_message()
    menu_action(window, "文件", "复制选举文件到（U 盘）…").trigger()
    assert verify_file(target).ok
    with ElectionFile.open(target, read_only=True) as copy:
        assert len(copy.papers(tab.station.round.id)) == 3  # type: ignore[union-attr]
    # And a plain copy by hand, taken a few seconds after the last Enter, holds it too.
    press(qtbot, tab, "4", "Enter")
    qtbot.waitUntil(lambda: counted_in_plain_copy(path, tmp_path) == 4, timeout=10_000)


def test_the_status_line_follows_every_action_and_names_the_station(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = open_demo(window, tmp_path)
    assert window.file_state.text().startswith("主计票机　demo.gongtui")
    assert "主计票机" in window.windowTitle()
    tab = window.counting
    assert tab is not None
    before = window.election.short_hash  # type: ignore[union-attr]
    press(qtbot, tab, "1", "Enter")
    after = window.election.short_hash  # type: ignore[union-attr]
    assert after != before
    qtbot.waitUntil(lambda: window.file_state.text().endswith(f"校验码 {after}"), timeout=10_000)

    box_file = tmp_path / "demo-第2票箱.gongtui"
    window.election.issue_box("李计票", box_file, "第2票箱")  # type: ignore[union-attr]
    window.close_election()
    window.open_file(box_file)
    assert "第2票箱（分箱计票）" in window.windowTitle()
    assert window.file_state.text().startswith("第2票箱（分箱计票）")
    assert window.counting is not None
    assert window.counting.pass_label.text().startswith("第2票箱（分箱计票）　正在录入第 ")
    assert path.exists()
