"""A storage error no tab caught reaches one place: a message in words, the program runs on."""

from __future__ import annotations

import sqlite3
import sys

from PySide6.QtCore import Qt

from gongtui_desktop.store.errors import StorageError
from gongtui_desktop.ui.app import install_storage_error_hook, show_storage_error
from tests.ui.conftest import answer_message


def test_an_uncaught_disk_error_is_shown_in_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    answer_message(Qt.Key.Key_Return, seen)
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = 13  # type: ignore[attr-defined]
    assert show_storage_error(error)
    assert "磁盘空间已满" in seen[0] and "没有保存" in seen[0]


def test_the_hook_shows_store_errors_and_passes_on_the_rest(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    passed: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, trace: passed.append(error))
    install_storage_error_hook()
    seen: list[str] = []
    answer_message(Qt.Key.Key_Return, seen)
    sys.excepthook(StorageError, StorageError("无法写入选举文件 x"), None)
    assert seen == ["无法写入选举文件 x"] and passed == []
    bug = ValueError("a fault of the program")
    sys.excepthook(ValueError, bug, None)
    assert passed == [bug]
