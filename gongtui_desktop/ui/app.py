"""Starting the program with a window."""

from __future__ import annotations

import sys
from pathlib import Path

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


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
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
