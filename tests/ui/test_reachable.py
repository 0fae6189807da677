"""Every feature the README and docs/ name can be reached from the window: each
"菜单 → 项目" is in that menu, each “…” command is a menu item or a button a person can
see; and no screen shows English words or rule codes."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QGroupBox,
    QLabel,
    QMenu,
    QTabWidget,
    QWidget,
)

from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.scan_review import ScanReviewDialog

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MENU_PATH = re.compile(r"(文件|分箱计票|投影) ?→ ?((?:[^”“，。；、（(\s]|（[^）]*）)+…?)")
QUOTED_COMMAND = re.compile(r"“([^“”→]{2,24}…)”")
# Words a screen may show in Latin letters: file formats, keys and program names.
ALLOWED_LATIN = {
    "Excel", "Word", "CSV", "PDF", "PNG", "JPEG", "TIFF", "WPS", "USB", "Enter", "Esc",
    "Ctrl", "Delete", "Backspace", "Tab", "Shift", "Alt", "F5", "F11", "zip", "xlsx",
    "docx", "csv", "gongtui", "gtbatch", "txt", "png", "pdf", "jpg", "jpeg", "tif",
    "tiff", "MANIFEST", "sha256sum", "certutil", "SHA", "ID",
}  # fmt: skip
RULE_CODE = re.compile(r"[（(](?:R|N|E)\d{1,2}(?:[–-](?:R|N|E)?\d{1,2})?[)）]")


def menus(window: MainWindow) -> dict[str, list[str]]:
    return {
        menu.title(): [a.text() for a in menu.actions() if a.text()]
        for menu in window.menuBar().findChildren(QMenu)
    }


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every label, button, box title and tab a person can read."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        name = type(widget).__name__
        if isinstance(widget, (QLabel, QAbstractButton, QCheckBox)):
            found.append((name, widget.text()))
        if isinstance(widget, QGroupBox):
            found.append((name, widget.title()))
        if isinstance(widget, QTabWidget):
            found += [(name, widget.tabText(i)) for i in range(widget.count())]
        if widget.toolTip():
            found.append((name + " 提示", widget.toolTip()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model (completer, list widget): one column
                columns = 1
            for column in range(columns):
                found.append(
                    (name + " 表头", str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
                )
            for row in range(min(model.rowCount(), 60)):
                for column in range(columns):
                    value = model.data(model.index(row, column))
                    if isinstance(value, str):
                        found.append((name + " 表格", value))
    return found


def english(text: str) -> list[str]:
    if "/" in text or "\\" in text:
        return []  # a file's path is the user's own, not the program's wording
    words = re.findall(r"[A-Za-z][A-Za-z]+", text.replace("&", ""))
    return [w for w in words if w not in ALLOWED_LATIN]


def test_every_menu_path_and_command_in_the_docs_is_in_the_window(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.open_file(write_demo(tmp_path / "demo.gongtui"))
    found = menus(window)
    commands = {text for items in found.values() for text in items}
    commands |= {b.text() for b in window.findChildren(QAbstractButton)}
    # The scan review is a dialog the counting tab opens (核定扫描选票): its buttons too.
    assert window.counting is not None
    review = ScanReviewDialog(window.counting.scanning, window.counting)
    qtbot.addWidget(review)
    commands |= {b.text() for b in review.findChildren(QAbstractButton)}
    paths = {
        (menu, item.rstrip("”"))
        for doc in DOCS
        for menu, item in MENU_PATH.findall(doc.read_text("utf-8"))
    }
    assert paths, "the docs name menu paths"
    missing = sorted(f"{m} → {i}" for m, i in paths if i not in found.get(m, []))
    assert not missing, f"菜单中没有：{missing}"
    quoted = {
        text
        for doc in DOCS
        for text in QUOTED_COMMAND.findall(doc.read_text("utf-8"))
        if "→" not in text
    }
    absent = sorted(t for t in quoted if not any(t in c for c in commands))
    assert not absent, f"窗口中找不到：{absent}"
    for items in found.values():
        for text in items:
            assert not english(text) and not RULE_CODE.search(text), text


def test_no_screen_shows_english_or_rule_codes(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.resize(1366, 768)
    window.open_file(write_demo(tmp_path / "demo.gongtui", completed=True))
    projector = window.show_projector()
    assert projector is not None
    problems = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        for where, text in visible_texts(window.tabs.widget(index)):
            if english(text) or RULE_CODE.search(text):
                problems.append(f"{window.tabs.tabText(index)} {where}：{text}")
    for where, text in visible_texts(window.start):
        if english(text) or RULE_CODE.search(text):
            problems.append(f"开始页 {where}：{text}")
    assert not problems, "\n".join(problems)
