"""Starting the program with a window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from gongtui_desktop.resource_files import resource_path
from gongtui_desktop.ui.main_window import MainWindow

CJK_FONTS = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)


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
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(11)
            app.setFont(font)
            break
    return app


def run(file: str | None = None, demo: bool = False) -> int:
    """Open the main window: the demo, a file, or the start page."""
    app = application()
    window = MainWindow()
    window.show()
    if demo:
        window.open_demo()
    elif file:
        window.open_file(Path(file))
    return app.exec()
