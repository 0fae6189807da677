"""At the table, as the operator does it: Esc leaves a correction or a settling, a
correction is confirmed with the old and new marks side by side, a paper beyond those
collected is asked about when it is keyed, and the archive is exported from the menu."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from gongtui_desktop.store.records import PaperState
from gongtui_desktop.ui.counting_tab import CountingTab
from gongtui_desktop.ui.main_window import MainWindow
from tests.ui.conftest import answer_dialog, answer_message, click_message_button
from tests.ui.test_counting_station import make_election, press
from tests.ui.test_double_entry_ui import choose_pass


def open_round(window: MainWindow, tmp_path: Path, issued: int = 5) -> CountingTab:
    window.open_file(make_election(tmp_path))
    tab = window.counting
    assert tab is not None
    tab.start_next_round(papers_issued=issued)
    return tab


def marks(tab: CountingTab) -> list[str]:
    return ["".join(m.value for m in p.paper.marks) for p in tab.station.counted]


def menu_action(window: MainWindow, menu_title: str, text: str) -> QAction:
    """The action as a person finds it: in the menu bar, by its words."""
    for menu in window.menuBar().findChildren(QMenu):
        if menu.title() == menu_title:
            for action in menu.actions():
                if action.text() == text:
                    return action
    raise AssertionError(f"菜单“{menu_title}”中没有“{text}”")


def test_esc_leaves_a_correction_and_the_next_paper_replaces_nothing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = open_round(window, tmp_path)
    for key in "123":
        press(qtbot, tab, key, "Enter")
    answer_dialog(number=2)  # 更正第几张选票：2
    qtbot.keyClick(tab.editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert tab.correcting == 2
    assert tab.mode_banner.isVisible() and "正在更正第 2 张选票" in tab.mode_banner.text()
    assert "原来：赞成 2 丁四" in tab.mode_banner.text()
    press(qtbot, tab, "Esc")
    assert tab.correcting is None and not tab.mode_banner.isVisible()
    assert "已放弃更正第 2 张选票" in tab.editor.hint.text()
    press(qtbot, tab, "4", "Enter")  # the next paper of the stack: a new paper
    assert marks(tab) == ["O---", "-O--", "--O-", "---O"]
    states = [(p.entry_no, p.state) for p in tab.station.history()]
    assert all(state is PaperState.COUNTED for _, state in states)


def test_a_correction_shows_old_and_new_and_esc_in_the_question_goes_back(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = open_round(window, tmp_path)
    press(qtbot, tab, "1", "Enter")
    press(qtbot, tab, "2", "Enter")
    tab.start_correction(1)
    seen: list[str] = []
    answer_message(Qt.Key.Key_Escape, seen)  # 回去修改
    press(qtbot, tab, "1", "3", "Enter")  # 乙二 ○ → ×, 丙三 ○
    assert "原来：赞成 1 乙二" in seen[0] and "改为：赞成 3 丙三；不赞成 1 乙二" in seen[0]
    assert marks(tab) == ["O---", "-O--"]  # nothing replaced yet
    assert tab.correcting == 1 and tab.mode_banner.isVisible()  # still correcting, marks kept
    assert [m.value for m in tab.editor.keypad.draft.marks] == ["X", "-", "O", "-"]  # type: ignore[union-attr]
    answer_message()  # Enter: 确认
    press(qtbot, tab, "Enter")
    assert marks(tab) == ["X-O-", "-O--"]
    assert tab.correcting is None and not tab.mode_banner.isVisible()
    assert "已更正第 1 张" in tab.editor.hint.text()


def test_esc_leaves_settling_a_double_entry_mismatch(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.open_file(make_election(tmp_path))
    tab = window.counting
    assert tab is not None
    tab.double_entry_next.setChecked(True)
    tab.start_next_round(papers_issued=3)
    choose_pass(tab, "第一遍录入", "张一")
    for key in "134":
        press(qtbot, tab, key, "Enter")
    choose_pass(tab, "第二遍录入", "李二")
    for key in "12":  # pass 2 differs on paper 2
        press(qtbot, tab, key, "Enter")
    assert tab.mismatches.count() == 1
    tab.mismatches.setCurrentRow(0)
    tab.mismatches.itemActivated.emit(tab.mismatches.item(0))  # double-click / Enter on it
    assert tab.settling == 2 and "正在核定第 2 张选票" in tab.mode_banner.text()
    press(qtbot, tab, "Esc")
    assert tab.settling is None and not tab.mode_banner.isVisible()
    press(qtbot, tab, "4", "Enter")  # pass 2 goes on with its third paper
    check = tab.station.double_entry()
    assert check is not None and len(check.mismatches) == 1 and len(check.counted) == 2
    assert tab.station.election.live_entries(tab.station.round.id, 2) == 3  # type: ignore[union-attr]


def test_a_paper_beyond_those_collected_is_asked_about_when_keyed(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = open_round(window, tmp_path)
    tab.collected.setValue(2)
    tab.save_papers.click()
    assert "发出 5 张　收回 2 张　已录入 0 张　有效 0　无效 0" in tab.summary.text()
    assert "还不能结束计票：已录入 0 张，收回 2 张" in tab.status_line.text()
    press(qtbot, tab, "1", "Enter")
    press(qtbot, tab, "2", "Enter")
    assert tab.close_button.isEnabled() and tab.status_line.text() == ""
    seen: list[str] = []
    answer_message(seen=seen)  # Enter takes the default: 不录入
    press(qtbot, tab, "3", "Enter")
    assert "这是第 3 张：多于收回的选票" in seen[0]
    assert marks(tab) == ["O---", "-O--"]
    assert "没有录入" in tab.editor.hint.text()
    assert [m.value for m in tab.editor.keypad.draft.marks] == ["-", "-", "O", "-"]  # type: ignore[union-attr]
    # The operator counted again and the paper really is there: 仍然录入.
    click_message_button("仍然录入")
    press(qtbot, tab, "Enter")
    assert len(marks(tab)) == 3
    assert tab.warning.isVisible() and "已录入 3 张，多于收回的 2 张" in tab.warning.text()
    assert not tab.close_button.isEnabled()
    assert "已录入 3 张，收回 2 张，两者相等才能结束" in tab.status_line.text()


def test_the_archive_is_exported_from_the_file_menu(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from gongtui_desktop.services.demo import write_demo

    window.open_file(write_demo(tmp_path / "demo.gongtui", completed=True))
    out = tmp_path / "归档"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kw: str(out))
    shown: list[str] = []
    missing: list[str] = []
    answer_message(seen=missing)  # Enter: 返回填写 — nothing is written yet
    action = menu_action(window, "文件", "导出归档材料…")
    assert action.isEnabled()
    action.trigger()
    assert "尚未填写" in missing[0] and list(out.iterdir()) == []
    click_message_button("仍然导出")
    action.trigger()
    answer_message(seen=shown)
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    assert "已导出" in shown[0]
    assert any(p.suffix == ".zip" for p in out.iterdir())
    assert window.counting is not None and window.counting.export_button.isVisible()
    window.close_election()
    assert not action.isEnabled()


def test_a_write_in_name_typed_but_not_added_stops_the_paper(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = open_round(window, tmp_path)
    press(qtbot, tab, "1", "+")
    assert tab.editor.write_in.hasFocus()
    tab.editor.write_in.insert("钱芳")  # typed through the input method
    qtbot.mouseClick(tab.editor, Qt.MouseButton.LeftButton)  # back to the marks by mouse
    assert tab.editor.hasFocus()
    press(qtbot, tab, "Enter")
    assert len(tab.station.counted) == 0
    assert "另选他人一栏还有“钱芳”没有加入" in tab.editor.hint.text()
    press(qtbot, tab, "+")
    qtbot.keyClick(tab.editor.write_in, Qt.Key.Key_Return)  # adds the name
    press(qtbot, tab, "Enter")
    assert len(tab.station.counted) == 1
    assert [w.name for w in tab.station.counted[0].paper.write_ins] == ["钱芳"]
