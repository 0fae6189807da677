"""The roster tab: edit in place with validation, filter, sort, delete or mark as left (issue #5)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.roster_tab import COLUMNS


def column(header: str) -> int:
    return next(n for n, (label, _, _) in enumerate(COLUMNS) if label == header)


def open_roster(window: MainWindow, tmp_path: Path):  # type: ignore[no-untyped-def]
    window.open_file(write_demo(tmp_path / "demo.gongtui"))
    roster = window.roster
    assert roster is not None
    window.tabs.setCurrentWidget(roster)
    return roster


def row_of(roster, name: str) -> int:  # type: ignore[no-untyped-def]
    for row in range(roster.proxy.rowCount()):
        if roster.proxy.data(roster.proxy.index(row, 0)) == name:
            return row
    raise LookupError(name)


def type_into_cell(qtbot, roster, row: int, col: int, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(5)  # let the previous editor close
    index = roster.proxy.index(row, col)
    roster.table.setCurrentIndex(index)
    roster.table.edit(index)
    # The open editor is the visible line edit in the view (closed ones await deletion).
    editors = [w for w in roster.table.findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    editor.selectAll()
    editor.insert(text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # Tab commits and moves on, as a user would


def test_edit_in_place_with_validation(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roster = open_roster(window, tmp_path)
    assert roster.model.rowCount() == 34
    row = row_of(roster, "陈晓红")
    type_into_cell(qtbot, roster, row, column("出生日期"), "1980年5月1日")
    type_into_cell(qtbot, roster, row, column("转正日期"), "2006/7/1")
    type_into_cell(qtbot, roster, row, column("入党日期"), "2005.7")
    person = next(p for p in roster.election.people() if p.person.name == "陈晓红")
    assert person.person.birth.isoformat() == "1980-05-01"
    assert person.person.joined.isoformat() == "2005-07-01"
    assert roster.proxy.data(roster.proxy.index(row, column("年龄"))) == "46"
    assert roster.proxy.data(roster.proxy.index(row, column("党龄"))) == "20 年"
    # 转正 before 入党 is refused with the reason, and nothing changes.
    type_into_cell(qtbot, roster, row, column("转正日期"), "2004-01-01")
    assert "转正日期早于入党日期" in roster.message.text()
    assert roster.proxy.data(roster.proxy.index(row, column("转正日期"))) == "2006-07-01"
    type_into_cell(qtbot, roster, row, column("身份"), "党员")
    assert "应为 正式党员、预备党员 或 群众" in roster.message.text()
    # Rights follow the discipline (R1): under 留党察看 she only attends.
    type_into_cell(qtbot, roster, row, column("处分/权利状态"), "留党察看")
    assert roster.proxy.data(roster.proxy.index(row, column("权利"))) == "列席"
    assert "应到 18" in window.meeting.figures_label.text()  # type: ignore[union-attr]


def test_filter_and_sort(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roster = open_roster(window, tmp_path)
    roster.filter.setText("建")
    names = {roster.proxy.data(roster.proxy.index(r, 0)) for r in range(roster.proxy.rowCount())}
    assert names == {"刘建国", "尤建平"}
    roster.filter.clear()
    roster.status_filter.setCurrentIndex(roster.status_filter.findData("群众"))
    assert roster.proxy.rowCount() == 14
    assert "显示 14 人 / 共 34 人" in roster.count_label.text()
    roster.status_filter.setCurrentIndex(0)
    roster.table.sortByColumn(column("身份"), Qt.SortOrder.AscendingOrder)
    statuses = [roster.proxy.data(roster.proxy.index(r, column("身份"))) for r in range(34)]
    assert statuses == sorted(statuses)


def test_delete_only_when_unreferenced_otherwise_mark_left(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    roster = open_roster(window, tmp_path)
    roster.add_person("新来的", MemberStatus.FULL)
    assert roster.model.rowCount() == 35
    roster.table.selectRow(row_of(roster, "新来的"))
    roster.delete_selected()
    assert roster.model.rowCount() == 34
    roster.table.selectRow(row_of(roster, "项上桢"))
    roster.delete_selected()
    assert "不能删除，只能标记为已离开" in shown[0] and roster.model.rowCount() == 34
    roster.mark_left(roster.selected(), "2026-11-01")
    assert "2026-11-01 离开" in roster.proxy.data(
        roster.proxy.index(row_of(roster, "项上桢"), column("在册"))
    )
    assert "应到 18" in window.meeting.figures_label.text()  # type: ignore[union-attr]


def test_import_with_mapping_and_preview_then_export(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from gongtui_desktop.services.roster_import import read_rows
    from gongtui_desktop.ui.import_dialog import ImportDialog

    roster = open_roster(window, tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名册"
    sheet.append(["姓名", "性别", "出生年月", "入党时间", "转正时间", "人员类别", "通讯"])
    sheet.append(["新甲", "男", "1990.5", "2015年7月1日", "2016/7/1", "正式党员", "13800000000"])
    sheet.append(["新乙", "女", "1992-03-04", "2019.06.30", "2018.1.1", "正式党员", ""])
    sheet.append(["", "男", "1993-03-04", "", "", "群众", ""])
    path = tmp_path / "名册.xlsx"
    book.save(path)

    dialog = ImportDialog(roster.election, roster.operator, path, window)
    qtbot.addWidget(dialog)
    preview = dialog.preview
    assert preview is not None and not preview.ok
    messages = [(p.row, p.column, p.message) for p in preview.problems]
    assert any(row == 3 and "转正" in message for row, _, message in messages)
    assert any(row == 4 and "姓名" in message for row, _, message in messages)
    assert not dialog.save_button.isEnabled()
    # "通讯" is not a header it knows: map it by hand to 联系方式.
    assert dialog.mapping().get(6) is None
    dialog.set_field(6, "contact")
    assert not dialog.save_button.isEnabled()

    # Fix the file, check again: now all can be saved, in one audited action.
    sheet["E3"] = "2020/7/1"
    sheet.delete_rows(4)
    book.save(path)
    dialog.load("名册")
    dialog.set_field(6, "contact")
    assert dialog.run_check().ok and dialog.save_button.isEnabled()
    before = roster.election.audit_length
    dialog.commit()
    roster.finish_import(dialog, True)
    assert roster.election.audit_length == before + 1
    assert roster.model.rowCount() == 36 and "导入 2 人" in roster.message.text()
    added = next(p for p in roster.election.people() if p.person.name == "新甲")
    assert added.contact == "13800000000" and added.person.birth.isoformat() == "1990-05-01"

    out = tmp_path / "导出.xlsx"
    roster.export_to(out)
    table = read_rows(out)
    assert len(table.rows) == 36 and "姓名" in table.headers
