"""Ballot boxes at the main station, as the 监票人 and the operators use them: boxes issued
from the menu, exported and imported, a corrected box replacing its import after a
confirmation that shows both figures, 票箱一览 with each box and the totals, a wrong import
removed so the round can close."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QPushButton

from gongtui_desktop.ui.main_window import MainWindow
from tests.ui.test_counting_station import make_election, press


def menu_action(window: MainWindow, menu: str, text: str):  # type: ignore[no-untyped-def]
    bar = next(a.menu() for a in window.menuBar().actions() if a.text() == menu)
    return next(a for a in bar.actions() if a.text() == text)


def answer_input(text: str, seen: list[str]) -> None:
    """Answer the next QInputDialog with ``text``, keeping what it asked."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.labelText())
        dialog.setTextValue(text)
        dialog.accept()

    QTimer.singleShot(0, answer)


def count_box(qtbot, window: MainWindow, copy: Path, keys: list[tuple[str, ...]]) -> None:  # type: ignore[no-untyped-def]
    window.open_file(copy)
    tab = window.counting
    assert tab is not None
    tab.collected.setValue(len(keys))
    tab.save_papers.click()
    for paper in keys:
        press(qtbot, tab, *paper, "Enter")


def test_boxes_issued_imported_replaced_listed_and_removed_from_the_menus(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda p, t, text, *a: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *a: shown.append(text))
    main = make_election(tmp_path)
    window.open_file(main)
    assert window.counting is not None
    window.counting.start_next_round(papers_issued=9)
    copies = [tmp_path / "东箱.gongtui", tmp_path / "西箱.gongtui"]
    for copy, name in zip(copies, ("东区票箱", "西区票箱"), strict=True):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, c=copy, **k: (str(c), ""))
        answer_input(name, asked)
        menu_action(window, "分箱计票", "为一个票箱复制选举文件…").trigger()
        assert copy.exists() and shown[-1].startswith(f"已为{name}复制选举文件")
    assert asked[0].endswith("票箱名称：")
    window.close_election()
    batches = [tmp_path / "东.gtbatch", tmp_path / "西.gtbatch"]
    for copy, batch, keys in zip(copies, batches, ([("1", "4"), ("4",)], [("2",)]), strict=True):
        count_box(qtbot, window, copy, keys)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, b=batch, **k: (str(b), ""))
        menu_action(window, "分箱计票", "导出本机票箱的计票结果…").trigger()
        assert batch.exists()
        window.close_election()
    # The east box is found to have one more paper after it was sent: counted and re-sent.
    count_more = tmp_path / "东-更正.gtbatch"
    window.open_file(copies[0])
    tab = window.counting
    assert tab is not None
    tab.collected.setValue(3)
    tab.save_papers.click()
    press(qtbot, tab, "1", "Enter")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(count_more), ""))
    menu_action(window, "分箱计票", "导出本机票箱的计票结果…").trigger()
    window.close_election()

    window.open_file(main)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(b) for b in batches], "")
    )
    menu_action(window, "分箱计票", "导入票箱的计票结果…").trigger()
    lines = shown[-1].split("\n")
    assert [line.split("，票箱校验码")[0] for line in lines] == [
        "已导入票箱“东区票箱”：2 张选票",
        "已导入票箱“西区票箱”：1 张选票",
    ]
    assert all(re.search(r"票箱校验码 [0-9A-F]{4}(-[0-9A-F]{4}){3}（", line) for line in lines)
    election = window.election
    assert election is not None
    round_id = election.rounds(election.contests()[0].id)[0].id
    assert election.round(round_id).papers_collected == 3  # 收回 summed from the boxes
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(count_more)], ""))
    answer_input("王监票", asked)
    menu_action(window, "分箱计票", "导入票箱的计票结果…").trigger()
    assert "东区票箱已经导入过另一份不同的计票结果" in asked[-1]
    assert "已导入：发出 9 张，收回 2 张，选票 2 张" in asked[-1]
    assert "这一份：发出 9 张，收回 3 张，选票 3 张" in asked[-1]
    assert shown[-1].startswith(
        "已替换票箱“东区票箱”的导入：现为 3 张选票（监票人 王监票 确认），票箱校验码 "
    )
    assert shown[-1].endswith("（请与该票箱签字的计票结果核对）")
    assert election.round(round_id).papers_collected == 4

    menu_action(window, "分箱计票", "票箱一览…").trigger()
    dialog = window.boxes_dialog
    qtbot.waitUntil(dialog.isVisible)
    table = dialog.table
    cells = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    assert cells[0][:7] == ["东区票箱", "东箱.gongtui", "已导入", "9", "3", "3", "3"]
    assert cells[1][:7] == ["西区票箱", "西箱.gongtui", "已导入", "9", "1", "1", "1"]
    assert len(cells[0][7]) >= 12  # the box file's 校验码, to compare with its signed paper
    assert cells[2][:7] == ["合计", "", "已导入 2 个", "18", "4", "4", "4"]
    assert "本轮收回选票（登记）：4 张" in dialog.summary.text()
    # The west box was a mistake (its papers belong to another contest): removed.
    dialog.select_box("西区票箱")
    remove = next(b for b in dialog.findChildren(QPushButton) if b.text() == "移除所选票箱的导入…")
    assert remove.isEnabled()
    answer_input("误导入", asked)
    QTimer.singleShot(0, lambda: answer_input("王监票", asked))
    remove.click()
    assert "移除西区票箱的导入" in asked[-2] and "确认的监票人姓名" in asked[-1]
    assert shown[-1] == "已移除西区票箱的导入：1 张选票不再计入"
    assert table.item(1, 2).text() == "已复制，未导入"
    assert election.round(round_id).papers_collected == 3
    assert window.counting is not None and window.counting.collected.value() == 3
    dialog.accept()
    window.close_election()
    from gongtui_desktop.store.verify import verify_file

    assert verify_file(main).ok
