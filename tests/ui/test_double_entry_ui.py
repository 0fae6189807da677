"""Double entry and ballot boxes from the window (issue #10)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from gongtui_desktop.store.records import RoundStatus
from gongtui_desktop.ui.counting_tab import CountingTab
from gongtui_desktop.ui.main_window import MainWindow
from tests.ui.conftest import answer_message
from tests.ui.test_counting_station import make_election, press


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
    for keys in (("1", "2"), ("3",), ("4",)):
        press(qtbot, tab, *keys, "Enter")
    assert len(tab.station.counted) == 0  # nothing agreed yet
    tab.entry_pass.setCurrentIndex(1)
    for keys in (("1", "2"), ("2",), ("4",)):  # a slip on paper 2
        press(qtbot, tab, *keys, "Enter")
    assert len(tab.station.counted) == 2 and tab.mismatches.count() == 1
    projector = window.show_projector()
    assert projector is not None and projector.unsettled == 1  # shown as 双人录入待核对 1 张
    assert tab.mismatches.item(0).text().startswith("第 2 张：第一遍")
    tab.start_settling(2)
    assert "正在核定第 2 张" in tab.mode_banner.text() and tab.mode_banner.isVisible()
    seen: list[str] = []
    answer_message(seen=seen)  # both readings and the settled one shown; Enter confirms
    press(qtbot, tab, "Delete", "3", "Enter")  # the scrutineers read paper 2: 丙三
    assert "第一遍：赞成 3" in seen[0] and "第二遍：赞成 2" in seen[0] and "改为：赞成 3" in seen[0]
    assert tab.mismatches.count() == 0 and len(tab.station.counted) == 3
    assert not tab.mode_banner.isVisible()
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
    window.close_election()
    window.open_file(main)
    messages = window.import_batches([batch, batch])
    assert messages[0] == "已导入票箱“第1票箱”：2 张选票" and "已经导入过" in messages[1]
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
    press(qtbot, tab, "1", "Enter")
    press(qtbot, tab, "2", "Enter")
    # Nothing counts yet (only one pass), but operator 1 can take back their own slip.
    assert len(tab.station.counted) == 0 and tab.undo_button.isEnabled()
    assert not tab.correct_button.isEnabled()
    tab.undo_button.click()
    press(qtbot, tab, "3", "Enter")
    tab.entry_pass.setCurrentIndex(1)
    assert not tab.undo_button.isEnabled()  # operator 2 has keyed nothing yet
    press(qtbot, tab, "1", "Enter")
    press(qtbot, tab, "3", "Enter")
    check = tab.station.double_entry()
    assert check is not None and not check.pending and not check.mismatches
    assert len(tab.station.counted) == 2 and not tab.correct_button.isEnabled()
    assert tab.paper_model.rowCount() == 2  # the list shows the papers both passes agree on
