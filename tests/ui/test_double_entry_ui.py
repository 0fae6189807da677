"""Double entry and ballot boxes from the window (issue #10)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from gongtui_desktop.store.records import RoundStatus
from gongtui_desktop.ui.counting_tab import CountingTab
from gongtui_desktop.ui.main_window import MainWindow
from tests.ui.conftest import answer_dialog, answer_message
from tests.ui.test_counting_station import make_election, press


def choose_pass(tab: CountingTab, which: str, operator: str) -> None:
    """The operator picks the pass in the box and gives their name in the dialog."""
    answer_dialog(text=operator)
    tab.entry_pass.setCurrentIndex(tab.entry_pass.findText(which))


def double_entry_round(window: MainWindow, tmp_path: Path) -> CountingTab:
    """The demo-like election with a double-entry round of 3 papers open."""
    window.open_file(make_election(tmp_path))
    tab = window.counting
    assert tab is not None
    tab.double_entry_next.setChecked(True)
    tab.start_next_round(papers_issued=3)
    return tab


def test_double_entry_mismatch_settled_by_keyboard(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = double_entry_round(window, tmp_path)
    assert tab.entry_pass.isVisibleTo(tab) and tab.mismatches.isVisibleTo(tab)
    choose_pass(tab, "第一遍录入", "张一")
    for keys in (("1", "2"), ("3",), ("4",)):
        press(qtbot, tab, *keys, "Enter")
    assert len(tab.station.counted) == 0  # nothing agreed yet
    choose_pass(tab, "第二遍录入", "李二")
    for keys in (("1", "2"), ("2",), ("4",)):  # a slip on paper 2
        press(qtbot, tab, *keys, "Enter")
    assert len(tab.station.counted) == 2 and tab.mismatches.count() == 1
    projector = window.show_projector()
    assert projector is not None and projector.unsettled == 1  # shown as 双人录入待核对 1 张
    assert tab.mismatches.item(0).text() == "第 2 张不一致：第一遍 赞成 3 丙三｜第二遍 赞成 2 丁四"
    tab.start_settling(2)
    assert "正在核定第 2 张" in tab.mode_banner.text() and tab.mode_banner.isVisible()
    seen: list[str] = []
    answer_message(seen=seen)  # both readings and the settled one shown; Enter confirms
    answer_dialog(text="王监票")  # the 监票人 who read the paper
    press(qtbot, tab, "Delete", "3", "Enter")  # the scrutineers read paper 2: 丙三
    assert "第一遍：赞成 3" in seen[0] and "第二遍：赞成 2" in seen[0] and "改为：赞成 3" in seen[0]
    assert len(tab.station.counted) == 3 and not tab.mode_banner.isVisible()
    assert tab.mismatches.count() == 1  # listed as settled, by whom, to be settled again
    assert tab.mismatches.item(0).text() == "第 2 张已由王监票核定为：赞成 3 丙三（双击可重新核定）"
    tab.collected.setValue(3)
    tab.save_papers.click()
    tab.close_button.click()
    assert tab.station.round is not None and tab.station.round.status is RoundStatus.CLOSED
    assert (
        tab.tally_model.result is not None
        and tab.tally_model.result.votes_of("丙三").approvals == 1
    )


def test_boxes_exported_and_imported_from_the_menu(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    main = make_election(tmp_path)
    window.open_file(main)
    assert window.counting is not None
    window.counting.start_next_round(papers_issued=9)
    box_file = tmp_path / "box1.gongtui"
    assert window.election is not None
    window.election.issue_box("李计票", box_file)  # 分箱计票 → 为一个票箱复制选举文件…
    window.close_election()
    window.open_file(box_file)
    tab = window.counting
    assert tab is not None
    tab.collected.setValue(2)
    tab.save_papers.click()
    for keys in (("1", "4"), ("4",)):
        press(qtbot, tab, *keys, "Enter")
    batch = tmp_path / "第1票箱.gtbatch"
    assert window.export_batch(batch)
    box_code = window.election.short_hash  # type: ignore[union-attr]  # on the box's status line
    qtbot.waitUntil(lambda: window.file_state.text().endswith(f"校验码 {box_code}"))
    window.close_election()
    window.open_file(main)
    messages = window.import_batches([batch, batch])
    assert messages[0] == (
        f"已导入票箱“第1票箱”：2 张选票，票箱校验码 {box_code}（请与该票箱签字的计票结果核对）"
    )
    assert "已经导入过" in messages[1]
    assert shown
    election = window.election
    assert election is not None
    round_id = election.rounds(election.contests()[0].id)[0].id
    # 甲一 is candidate 4 on the paper (姓氏笔画): both papers of the box approve them.
    assert election.count(round_id).votes_of("甲一").approvals == 2
    assert [b[0] for b in election.batches(round_id)] == ["第1票箱"]


def test_double_entry_undo_is_offered_in_each_pass_and_correction_never(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = double_entry_round(window, tmp_path)
    assert not tab.undo_button.isEnabled()
    choose_pass(tab, "第一遍录入", "张一")
    press(qtbot, tab, "1", "Enter")
    press(qtbot, tab, "2", "Enter")
    # Nothing counts yet (only one pass), but operator 1 can take back their own slip.
    assert len(tab.station.counted) == 0 and tab.undo_button.isEnabled()
    assert not tab.correct_button.isEnabled()
    tab.undo_button.click()
    press(qtbot, tab, "3", "Enter")
    choose_pass(tab, "第二遍录入", "李二")
    assert not tab.undo_button.isEnabled()  # operator 2 has keyed nothing yet
    press(qtbot, tab, "1", "Enter")
    press(qtbot, tab, "3", "Enter")
    check = tab.station.double_entry()
    assert check is not None and not check.pending and not check.mismatches
    assert len(tab.station.counted) == 2 and not tab.correct_button.isEnabled()
    assert tab.paper_model.rowCount() == 2  # the list shows the papers both passes agree on


def test_each_pass_is_chosen_with_its_operator_and_never_moves_a_paper(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = double_entry_round(window, tmp_path)
    assert tab.editor.keypad is None and "请先" in tab.editor.heading.text()
    press(qtbot, tab, "1", "Enter")  # nothing is keyed into a pass nobody chose
    assert tab.station.election.live_entries(tab.station.round.id, 1) == 0  # type: ignore[union-attr]
    choose_pass(tab, "第一遍录入", "张一")
    assert tab.pass_label.text() == "第一遍录入　录入人：张一　正在录入第 1 张"
    press(qtbot, tab, "1", "Enter")
    press(qtbot, tab, "2")  # half a paper, then the other pass is picked by mistake
    tab.entry_pass.setCurrentIndex(tab.entry_pass.findText("第二遍录入"))
    assert tab.entry_pass.currentText() == "第一遍录入" and "还没有录完" in tab.editor.hint.text()
    press(qtbot, tab, "Enter")
    assert tab.pass_label.text() == "第一遍录入　录入人：张一　正在录入第 3 张"
    assert tab.paper_model.rowCount() == 2  # the pass's own list, though nothing agrees yet
    papers = tab.station.election.paper_history(tab.station.round.id)  # type: ignore[union-attr]
    assert [(p.entry_pass, p.operator) for p in papers] == [(1, "张一"), (1, "张一")]

    # The file reopened: no pass is assumed.
    path = tab.station.election.path
    window.close_election()
    window.open_file(path)
    tab = window.counting
    assert tab is not None and tab.editor.keypad is None
    assert tab.pass_label.text() == "双人录入：请先选择录入遍次"
    choose_pass(tab, "第二遍录入", "李二")
    press(qtbot, tab, "1", "Enter")
    papers = tab.station.election.paper_history(tab.station.round.id)  # type: ignore[union-attr]
    assert [(p.entry_no, p.operator) for p in papers if p.entry_pass == 2] == [(1, "李二")]


def test_a_paper_skipped_in_the_second_pass_is_named(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.open_file(make_election(tmp_path))
    tab = window.counting
    assert tab is not None
    tab.double_entry_next.setChecked(True)
    tab.start_next_round(papers_issued=6)
    choose_pass(tab, "第一遍录入", "张一")
    for key in "123412":
        press(qtbot, tab, key, "Enter")
    choose_pass(tab, "第二遍录入", "李二")
    for key in "13412":  # paper 2 (丁四) skipped: everything after is one place early
        press(qtbot, tab, key, "Enter")
    assert "第二遍从第 2 张起与另一遍错开一张：像是漏录了一张选票" in tab.mismatch_label.text()


def test_a_settled_paper_is_settled_again_by_a_named_scrutineer(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = double_entry_round(window, tmp_path)
    choose_pass(tab, "第一遍录入", "张一")
    press(qtbot, tab, "1", "Enter")
    choose_pass(tab, "第二遍录入", "李二")
    press(qtbot, tab, "2", "Enter")
    tab.mismatches.itemActivated.emit(tab.mismatches.item(0))
    answer_message()
    answer_dialog(text="王监票")
    press(qtbot, tab, "Enter")  # the first pass was right
    assert tab.station.readings(1)[0].operator == "王监票"
    assert tab.mismatches.item(0).text().startswith("第 1 张已由王监票核定为：赞成 1 乙二")
    tab.mismatches.itemActivated.emit(tab.mismatches.item(0))  # looked again: it was 丁四
    assert tab.settling == 1
    answer_message()
    answer_dialog(text="赵监票")
    press(qtbot, tab, "Delete", "2", "Enter")
    settled = tab.station.readings(1)[0]
    assert settled.operator == "赵监票" and [m.value for m in settled.paper.marks] == [
        "-",
        "O",
        "-",
        "-",
    ]
    history = tab.station.election.paper_history(tab.station.round.id)  # type: ignore[union-attr]
    assert [p.operator for p in history if p.entry_pass == 0] == ["王监票", "赵监票"]
