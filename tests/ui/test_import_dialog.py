"""The import window with a typical 花名册: the header under a title is found, another
header row can be picked, a value such as "党员" waits for the user to say what it means."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton

from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.ui.import_dialog import ImportDialog
from gongtui_desktop.ui.main_window import MainWindow


def open_roster(window: MainWindow, tmp_path: Path):  # type: ignore[no-untyped-def]
    window.open_file(write_demo(tmp_path / "demo.gongtui"))
    roster = window.roster
    assert roster is not None
    window.tabs.setCurrentWidget(roster)
    return roster


def title_roster(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "花名册"
    sheet["A1"] = "机关第一党支部党员花名册"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "填报单位：机关第一党支部"
    sheet.append(["序号", "姓名", "性别", "出生年月", "党员类别"])
    sheet.append([1, "新甲", "男", "1980.05", "党员"])
    sheet.append([2, "新乙", "女", "1990.03", "预备党员"])
    sheet.append([3, "新丙", "男性", "1975.02", "党员"])
    sheet.append(["合计", "3人"])
    book.save(path)
    return path


def pick(box: QComboBox, text: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Choose an entry of a drop-down list by keyboard, as a person does."""
    box.setFocus()
    index = box.findText(text)
    assert index >= 0, text
    while box.currentIndex() != index:
        key = Qt.Key.Key_Down if box.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(box, key)


def button(dialog: ImportDialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_a_roster_with_a_title_imports_after_the_user_says_what_party_member_means(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    roster = open_roster(window, tmp_path)
    dialog = ImportDialog(roster.election, roster.operator, title_roster(tmp_path / "花.xlsx"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.header_row.currentText().startswith("第 3 行：序号")
    assert dialog.mapping() == {1: "name", 2: "gender", 3: "birth", 4: "status"}
    assert not dialog.save_button.isEnabled()
    assert dialog.values_table.isVisible() and dialog.values_table.rowCount() == 1
    assert dialog.values_table.item(0, 1).text() == "“党员”"
    assert dialog.values_table.item(0, 2).text() == "第 4、6 行"
    assert "须选择含义" in dialog.summary.text()

    pick(dialog.values_table.cellWidget(0, 3), "正式党员", qtbot)
    assert dialog.save_button.isEnabled(), dialog.summary.text()
    qtbot.mouseClick(button(dialog, "全部导入"), Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    added = {p.person.name: p.person.status for p in roster.election.people()}
    assert added["新甲"] is MemberStatus.FULL and added["新丙"] is MemberStatus.FULL
    assert added["新乙"] is MemberStatus.PROBATIONARY
    assert "合计" not in added and "3人" not in added


def test_the_header_row_is_picked_from_the_list(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roster = open_roster(window, tmp_path)
    dialog = ImportDialog(roster.election, roster.operator, title_roster(tmp_path / "花.xlsx"))
    qtbot.addWidget(dialog)
    dialog.show()
    pick(dialog.header_row, "第 2 行：填报单位：机关第一党支部", qtbot)
    assert dialog.table is not None and dialog.table.header_row == 2
    assert dialog.mapping() == {}
    assert "没有找到“姓名”列" in dialog.problems.item(0, 3).text()
    pick(dialog.header_row, dialog.header_row.itemText(2), qtbot)
    assert dialog.table.header_row == 3 and dialog.mapping()[1] == "name"


def test_more_than_200_problems_say_how_many_are_not_listed(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    roster = open_roster(window, tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份", "出生日期"])
    for number in range(250):
        sheet.append([f"人{number}", "正式党员", "不是日期"])
    path = tmp_path / "错.xlsx"
    book.save(path)
    dialog = ImportDialog(roster.election, roster.operator, path)
    qtbot.addWidget(dialog)
    assert dialog.problems.rowCount() == 201
    assert dialog.problems.item(200, 3).text() == "还有 50 个问题未列出"
    assert "还有 50 个问题未列出" in dialog.summary.text()
    assert "发现 250 处问题" in dialog.summary.text()
