"""What a scrutineer reads is Chinese: Qt's own buttons too, and no rule codes."""

from __future__ import annotations

import re

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from gongtui_desktop.ui.main_window import MainWindow
from tests.ui.test_entry_modes import menu_action

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def test_the_wizard_and_standard_buttons_speak_chinese(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, list[str]] = {}

    def look_and_cancel() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, QWizard):
            QTimer.singleShot(20, look_and_cancel)
            return
        seen["wizard"] = [
            wizard.button(which).text()
            for which in (
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.CancelButton,
                QWizard.WizardButton.FinishButton,
            )
        ]
        wizard.reject()

    QTimer.singleShot(0, look_and_cancel)
    menu_action(window, "文件", "新建选举…").trigger()
    assert seen["wizard"] and all(text for text in seen["wizard"])
    assert not [t for t in seen["wizard"] if LATIN_WORD.search(t.replace("&", ""))], seen

    box = QMessageBox(
        QMessageBox.Icon.Question,
        "关闭",
        "关闭吗？",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel,
    )
    qtbot.addWidget(box)
    texts = [b.text().replace("&", "") for b in box.buttons()]
    assert not [t for t in texts if LATIN_WORD.search(t)], texts


def test_the_wizard_headings_are_not_cut(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFontMetrics

    from gongtui_desktop.ui.wizard import NewElectionWizard

    wizard = NewElectionWizard(tmp_path)
    qtbot.addWidget(wizard)
    wizard.resize(1000, 700)
    wizard.show()
    wizard.next()
    table = wizard.contests.table
    header = table.horizontalHeader()
    metrics = QFontMetrics(header.font())
    for column in range(table.columnCount()):
        text = table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= metrics.horizontalAdvance(text), text
