"""Starting the program with a window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from gongtui_desktop.resource_files import resource_path
from gongtui_desktop.store.errors import ElectionFileError, is_storage_error, storage_message
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.platform_fit import chinese_font


def install_chinese(app: QApplication) -> bool:
    """Qt's own dialogs and wizards in Chinese (下一步、取消、是、否…), whatever the
    system language: the translations ship with PySide6 (and in the frozen build)."""
    if getattr(app, "_chinese", None) is not None:
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_zh_CN", folder):
        return False
    app.installTranslator(translator)
    app._chinese = translator  # type: ignore[attr-defined]  # kept alive with the app
    return True


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    install_chinese(app)
    app.setOrganizationName("gongtui")
    app.setApplicationName("gongtui-desktop")
    app.setApplicationDisplayName("公推直选计票")
    app.setWindowIcon(QIcon(str(resource_path("icons/gongtui.png"))))
    app.setFont(chinese_font(11))
    return app


def storage_error_text(error: BaseException) -> str | None:
    """The words for an error of the election file or its storage that reached the event
    loop uncaught; None for anything else (a fault of the program, reported as such)."""
    if isinstance(error, ElectionFileError):
        return str(error)
    if is_storage_error(error):
        return storage_message(error, "（当前的选举文件）")
    return None


def show_storage_error(error: BaseException) -> bool:
    """One place for every window: a storage error during a user action is shown in words
    and the program keeps running (the store rolled the action back). True when shown."""
    text = storage_error_text(error)
    if text is None:
        return False
    QMessageBox.warning(QApplication.activeWindow(), "没有保存", text)
    return True


def install_storage_error_hook() -> None:
    previous = sys.excepthook

    def hook(kind, error, trace):  # type: ignore[no-untyped-def]
        if not show_storage_error(error):
            previous(kind, error, trace)

    sys.excepthook = hook


def run(file: str | None = None, demo: bool = False) -> int:
    """Open the main window: the demo, a file, or the start page."""
    app = application()
    install_storage_error_hook()
    window = MainWindow()
    window.show()
    if demo:
        window.open_demo()
    elif file:
        window.open_file(Path(file))
    return app.exec()
