"""The new-election wizard as a person goes through it: 公推直选 without candidates typed
(they come from 民主推荐 and 民主测评, R10, R11, N5), and a roster import that completes the
people typed as candidates instead of adding them again (R1–R3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLineEdit,
    QWidget,
    QWizard,
)

from gongtui_desktop.domain.positions import Position
from gongtui_desktop.ui.import_dialog import ImportDialog
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.wizard import NewElectionWizard


def button(parent: QWidget, *texts: str) -> QAbstractButton:
    """The visible button whose text (without the & of its shortcut) contains one of texts."""
    for candidate in parent.findChildren(QAbstractButton):
        label = candidate.text().replace("&", "")
        if candidate.isVisible() and any(text in label for text in texts):
            return candidate
    raise AssertionError(f"没有按钮 {texts}")


def menu_action(window: MainWindow, text: str) -> None:
    for menu_action_ in window.menuBar().actions():
        for action in menu_action_.menu().actions():
            if action.text() == text:
                action.trigger()
                return
    raise AssertionError(f"菜单中没有 {text}")


failures: list[BaseException] = []


def when_modal(kind: type, act: Callable[[QWidget], None]) -> None:
    """Run act on the next modal dialog of that kind, once it is shown; a failed assertion
    closes the dialog and is raised by ``raise_failures``."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, attempt)
            return
        try:
            act(dialog)
        except BaseException as error:  # reported after the dialog closes, not lost in Qt
            failures.append(error)
            dialog.reject()  # type: ignore[attr-defined]

    QTimer.singleShot(0, attempt)


def raise_failures() -> None:
    if failures:
        error = failures[0]
        failures.clear()
        raise error


def type_into(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)  # Chinese arrives through the input method


def new_election(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    path: Path,
    on_contests: Callable[[NewElectionWizard], None] | None = None,
) -> list[str]:
    """File → 新建选举…, answered page by page with 下一步 and 完成; returns what page 2 said."""
    said: list[str] = []

    def answer(wizard: QWidget) -> None:
        assert isinstance(wizard, NewElectionWizard)
        type_into(qtbot, wizard.details.organization, "区统计局党支部")
        type_into(qtbot, wizard.details.path, str(path))
        qtbot.mouseClick(button(wizard, "下一步", "Next"), Qt.MouseButton.LeftButton)
        assert wizard.currentPage() is wizard.contests
        if on_contests is not None:
            on_contests(wizard)
        qtbot.mouseClick(button(wizard, "下一步", "Next"), Qt.MouseButton.LeftButton)
        said.append(wizard.contests.problems.text())
        assert wizard.currentPage() is wizard.options, wizard.contests.problems.text()
        type_into(qtbot, wizard.options.operator, "王组织")
        qtbot.mouseClick(button(wizard, "完成", "Finish"), Qt.MouseButton.LeftButton)

    when_modal(QWizard, answer)
    menu_action(window, "新建选举…")
    raise_failures()
    return said


def test_candidates_from_recommendation_pass_page_two_and_reach_the_contest(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "公推直选.gongtui"

    def contests(wizard: NewElectionWizard) -> None:
        page = wizard.contests
        assert page.later.isChecked()  # 公推直选: the default
        assert page.table.cellWidget(0, 3).placeholderText() == "由民主推荐、民主测评产生"

    new_election(qtbot, window, path, contests)
    election = window.election
    assert election is not None and election.path == path
    assert election.people() == []  # no blank people made from typed names
    (contest,) = election.contests()
    assert contest.contest.candidates == () and contest.contest.seats == 3
    # The recommendation is ready for the contest's seats.
    assert election.recommendation_seats() == {Position.COMMITTEE: 3}
    assert window.recommendation is not None
    assert window.recommendation.seat_boxes[Position.COMMITTEE].value() == 3
    # The counting tab opens on a contest without candidates yet.
    assert window.counting is not None


def test_typed_candidates_are_completed_by_the_roster_not_added_twice(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "已定候选人.gongtui"

    def contests(wizard: NewElectionWizard) -> None:
        page = wizard.contests
        edit = page.table.cellWidget(0, 3)
        type_into(qtbot, edit, "张伟、李娜 王芳，刘洋")
        assert page.typed.isChecked()  # typing names means the candidates are known

    new_election(qtbot, window, path, contests)
    election = window.election
    assert election is not None
    assert [p.person.name for p in election.people()] == ["张伟", "李娜", "王芳", "刘洋"]

    # The branch's real roster: 24 people, two of them named 张伟; 2 without a vote.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "出生年月", "身份", "联系电话"])
    sheet.append(["张伟", "男", "1975-03-02", "正式党员", "13900000001"])
    sheet.append(["张伟", "男", "1990-08-15", "正式党员", "13900000002"])
    sheet.append(["李娜", "女", "1980-01-01", "正式党员", ""])
    sheet.append(["王芳", "女", "1982-02-02", "正式党员", ""])
    sheet.append(["刘洋", "男", "1984-04-04", "预备党员", ""])
    for n in range(17):
        sheet.append(
            [f"党员{'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午'[n]}", "男", "1970-01-01", "正式党员", ""]
        )
    sheet.append(["群众甲", "女", "1970-01-01", "群众", ""])
    sheet.append(["群众乙", "女", "1970-01-01", "群众", ""])
    roster_file = tmp_path / "党员花名册.xlsx"
    book.save(roster_file)
    assert sheet.max_row == 25

    roster = window.roster
    assert roster is not None
    window.tabs.setCurrentWidget(roster)
    seen: dict[str, object] = {}

    def pick_file(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(roster_file))
        dialog.accept()

    def answer_import(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportDialog)
        table = dialog.matches_table
        seen["rows"] = table.rowCount()
        seen["shown"] = [
            (table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())
        ]
        save = button(dialog, "全部导入")
        seen["save before"] = save.isEnabled()
        seen["summary before"] = dialog.summary.text()
        # The first 张伟 is the candidate typed in the wizard; the second is someone else.
        dialog.choose("张伟", "更新名册中的张伟")
        second = [r for r, m in enumerate(dialog.matches) if m.name == "张伟"][1]
        box = table.cellWidget(second, 3)
        box.setCurrentIndex(box.findText("作为新的人添加（与名册中的不是同一人）"))
        seen["summary after"] = dialog.summary.text()
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    when_modal(QFileDialog, pick_file)
    when_modal(ImportDialog, answer_import)
    qtbot.mouseClick(roster.import_button, Qt.MouseButton.LeftButton)
    raise_failures()

    # Every namesake was shown with what tells the people apart, and the user asked.
    assert seen["rows"] == 5  # 张伟 twice, 李娜, 王芳, 刘洋
    assert (
        "张伟（1975年3月2日生，男，正式党员，联系方式 13900000001）",
        "张伟（未填出生日期，正式党员）",
    ) in seen["shown"]  # type: ignore[operator]
    assert seen["save before"] is False
    assert "还有 2 人须选择" in str(seen["summary before"])
    assert "将新增 20 人，更新名册中已有的 4 人" in str(seen["summary after"])
    people = election.people()
    assert len(people) == 24  # not 28
    assert "导入 24 人（新增 20 人，更新名册中已有的 4 人）" in roster.message.text()
    zhang = [p for p in people if p.person.name == "张伟"]
    assert [(p.id, p.person.birth.isoformat(), p.contact) for p in zhang] == [
        (1, "1975-03-02", "13900000001"),
        (zhang[1].id, "1990-08-15", "13900000002"),
    ]
    liu = next(p for p in people if p.person.name == "刘洋")
    assert liu.person.status.label == "预备党员" and liu.person.birth.isoformat() == "1984-04-04"
    # 应到会人数: 21 full members of 24 (R1), so the four-fifths line is the right one (R3).
    assert "有表决权 21 人" in roster.count_label.text()
    meeting = window.meeting
    assert meeting is not None and "应到 21" in meeting.figures_label.text()
