"""GUI tests: a real QApplication offscreen, settings in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox

from gongtui_desktop.ui.app import application
from gongtui_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # New elections and demos go to Documents\公推直选 for a user; in tests, a temporary one.
    documents = tmp_path / "文档" / "公推直选"
    documents.mkdir(parents=True)
    monkeypatch.setattr("gongtui_desktop.ui.main_window.data_folder", lambda: documents)
    yield


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    main = MainWindow(operator="李计票")
    qtbot.addWidget(main)
    main.resize(1440, 900)
    main.show()
    yield main
    main.close_election()


def answer_dialog(text: str | None = None, number: int | None = None) -> Callable[[], None]:
    """Answer the next modal input dialog (void reason, confirmation, voters present)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, answer)
            return
        if isinstance(dialog, QInputDialog):
            if text is not None:
                dialog.setTextValue(text)
            if number is not None:
                dialog.setIntValue(number)
        dialog.accept()

    QTimer.singleShot(0, answer)
    return answer


def answer_message(key: Qt.Key = Qt.Key.Key_Return, seen: list[str] | None = None) -> None:
    """Answer the next message box with a key, as the operator would (Enter takes the
    default button, Esc the escape button); its text is kept in ``seen``."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        if seen is not None:
            seen.append(dialog.text())
        QTest.keyClick(dialog, key)

    QTimer.singleShot(0, answer)


def click_message_button(text: str) -> None:
    """Click the button with these words in the next message box."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        next(b for b in dialog.buttons() if b.text() == text).click()

    QTimer.singleShot(0, answer)
