"""The window's fits to Windows: the font under its Chinese name, the projector moved
between screens while full screen, and packet texts old Notepad shows line by line."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from gongtui_desktop.reports.packet import export_packet
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.ui.platform_fit import chinese_font, full_screen_on


def test_the_font_names_microsoft_yahei_in_both_languages(qtbot) -> None:  # type: ignore[no-untyped-def]
    families = chinese_font().families()
    assert families[:2] == ["Microsoft YaHei", "微软雅黑"]
    assert chinese_font().pointSize() == 11


def test_a_full_screen_window_is_made_normal_before_it_moves(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QApplication, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    screen = QApplication.primaryScreen()
    window.showFullScreen()
    states: list[Qt.WindowState] = []

    class Watch(QObject):
        def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.WindowStateChange:
                states.append(window.windowState())
            return False

    watch = Watch()
    window.installEventFilter(watch)
    full_screen_on(window, screen)
    assert states and states[0] == Qt.WindowState.WindowNoState
    assert window.isFullScreen() and window.geometry() == screen.geometry()


def test_manifest_and_readme_have_windows_line_ends(tmp_path: Path) -> None:
    stamp = datetime(2026, 11, 24, 18, 0, tzinfo=timezone(timedelta(hours=8)))
    packet = export_packet(write_demo(tmp_path / "d.gongtui", completed=True), tmp_path, stamp)
    for name in ("MANIFEST.txt", "说明.txt"):
        data = (packet.folder / name).read_bytes()
        assert data.count(b"\n") > 5 and data.count(b"\n") == data.count(b"\r\n"), name
