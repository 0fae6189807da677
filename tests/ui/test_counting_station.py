"""A whole election driven through the real window with the keyboard (issue #4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt

from gongtui_desktop.domain.counting import RoundKind
from gongtui_desktop.domain.plan import PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.new_election import ContestDraft, create_election
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.records import RoundStatus
from gongtui_desktop.store.verify import verify_file
from gongtui_desktop.ui.counting_tab import CountingTab
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.projector import ProjectorMode
from tests.ui.conftest import answer_dialog, answer_message

KEYS = {
    "*": Qt.Key.Key_Asterisk,
    "-": Qt.Key.Key_Minus,
    "/": Qt.Key.Key_Slash,
    ".": Qt.Key.Key_Period,
    "+": Qt.Key.Key_Plus,
    "Enter": Qt.Key.Key_Return,
    "Esc": Qt.Key.Key_Escape,
    "Delete": Qt.Key.Key_Delete,
}


def press(qtbot, tab: CountingTab, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        code = KEYS.get(key) or Qt.Key(ord(key))
        qtbot.keyClick(tab.editor, code)


def screen_figures(tab: CountingTab) -> dict[str, tuple[int, object, object]]:
    """What the tally table shows: name → (for, against, abstain)."""
    model = tab.tally_model
    rows = {}
    for row in range(model.rowCount()):
        name = str(model.data(model.index(row, 1))).removesuffix("（另选）")
        rows[name] = tuple(model.data(model.index(row, c)) for c in (2, 3, 4))
    return rows  # type: ignore[return-value]


def engine_figures(tab: CountingTab) -> dict[str, tuple[int, object, object]]:
    record = tab.station.round
    assert record is not None
    result = tab.station.election.count(record.id)
    return {
        p.name: (p.approvals, p.against if p.listed else "", p.abstain if p.listed else "")
        for p in result.votes
    }


def make_election(tmp_path: Path, voters: int = 9) -> Path:
    """Four candidates plus other members; everyone signed in at the election meeting."""
    path = create_election(
        tmp_path / "统计局.gongtui",
        title="统计局党支部换届选举",
        organization="统计局党支部",
        higher_organization="机关党工委",
        meeting_date=date(2026, 11, 24),
        drafts=[ContestDraft(Position.COMMITTEE, 3, ("甲一", "乙二", "丙三", "丁四"))],
        plan=PlanOptions(),
        operator="李计票",
    )
    with ElectionFile.open(path) as election:
        others = [{"name": f"党员{i}", "status": "full"} for i in range(1, voters - 3)]
        election.add_people("李计票", others, "导入党员名册")
        for person in election.people():
            election.set_attendance("李计票", "election", person.id, "present")
    return path


def test_whole_election_by_keyboard(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_election(tmp_path)
    assert window.open_file(path)
    tab = window.counting
    assert tab is not None
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "党员名册",
        "民主推荐",
        "民主测评",
        "会议签到",
        "选举计票",
    ]
    projector = window.show_projector()
    assert projector is not None
    qtbot.waitUntil(window.isActiveWindow)

    # Round 1: 9 voters present, 9 papers issued and collected.
    answer_dialog(number=9)
    tab.next_button.click()
    record = tab.station.round
    assert record is not None and record.spec.candidates == ("乙二", "丁四", "丙三", "甲一")  # R11
    tab.collected.setValue(9)
    tab.save_papers.click()
    # Candidates on the paper (姓氏笔画): 1 乙二, 2 丁四, 3 丙三, 4 甲一.
    press(qtbot, tab, "4", "1", "3", "Enter")
    press(qtbot, tab, "4", "1", "3", "Enter")
    press(qtbot, tab, "4", "1", "2", "Enter")
    press(qtbot, tab, "4", "3", "2", "Enter")
    press(qtbot, tab, "4", "1", "Enter")
    press(qtbot, tab, "4", "3", "Enter")
    # An over-vote: shown first, entered as invalid on the second Enter (R5).
    press(qtbot, tab, "*", "Enter")
    assert "所选人数多于应选人数" in tab.editor.hint.text()
    assert len(tab.station.counted) == 6
    press(qtbot, tab, "Enter")
    # A paper declared void by the scrutineers, with its reason.
    press(qtbot, tab, "4")
    answer_dialog(text="选票上有可以辨认投票人身份的记号")
    press(qtbot, tab, ".")
    qtbot.waitUntil(lambda: len(tab.station.counted) == 8)
    # A write-in (另选他人) not on the roster, plus 甲一.
    press(qtbot, tab, "+")
    assert window.focusWidget() is tab.editor.write_in
    tab.editor.write_in.insert("钱七")  # Chinese arrives through the input method
    qtbot.keyClick(tab.editor.write_in, Qt.Key.Key_Return)
    press(qtbot, tab, "4", "Enter")
    assert len(tab.station.counted) == 9

    assert screen_figures(tab) == engine_figures(tab)
    assert screen_figures(tab)["甲一"] == (7, 0, 0)
    assert tab.paper_model.rowCount() == 9
    invalid = [tab.paper_model.data(tab.paper_model.index(r, 3)) for r in (6, 7)]
    assert invalid[0].startswith("所选人数多于应选人数") and "监票人宣布作废" in invalid[1]
    assert projector.paints > 0 and "第 1 轮" in projector.contest_title

    assert tab.close_button.isEnabled()
    tab.close_button.click()
    assert tab.station.round is not None and tab.station.round.status is RoundStatus.CLOSED
    answer_dialog(text="王监票")
    tab.confirm_button.click()
    qtbot.waitUntil(lambda: tab.station.round.status is RoundStatus.CONFIRMED)
    assert tab.progress is not None and tab.progress.elected == ("甲一",)
    assert "另行选举" in tab.result_label.text()

    # Round 2: the by-election for 2 seats among 乙二, 丙三, 丁四 (R9, R10).
    answer_dialog(number=9)
    tab.next_button.click()
    record = tab.station.round
    assert record.spec.kind is RoundKind.BY_ELECTION and record.spec.seats == 2
    assert record.spec.candidates == ("乙二", "丙三", "丁四")
    tab.collected.setValue(9)
    tab.save_papers.click()
    for keys in (("1", "2"),) * 3 + (("1", "3"),) * 3 + (("2", "3"),) * 2:
        press(qtbot, tab, *keys, "Enter")
    press(qtbot, tab, "/")  # a blank paper is one key
    assert screen_figures(tab) == engine_figures(tab)
    tab.close_button.click()
    answer_dialog(text="王监票")
    tab.confirm_button.click()
    qtbot.waitUntil(lambda: tab.station.round.status is RoundStatus.CONFIRMED)
    assert tab.progress.elected == ("甲一", "乙二")
    assert (
        tab.progress.next_round is not None and tab.progress.next_round.kind is RoundKind.TIE_BREAK
    )

    # Round 3: the tie-break between 丙三 and 丁四 for the last seat (R8).
    answer_dialog(number=9)
    tab.next_button.click()
    record = tab.station.round
    assert record.spec.kind is RoundKind.TIE_BREAK and set(record.spec.candidates) == {
        "丙三",
        "丁四",
    }
    tab.collected.setValue(9)
    tab.save_papers.click()
    for key in "111112222":
        press(qtbot, tab, key, "Enter")
    assert screen_figures(tab) == engine_figures(tab)
    tab.close_button.click()
    answer_dialog(text="王监票")
    offered: list[str] = []
    answer_message(Qt.Key.Key_Escape, offered)  # the export is offered; not now
    tab.confirm_button.click()
    qtbot.waitUntil(lambda: tab.station.round.status is RoundStatus.CONFIRMED)
    assert tab.progress.done and tab.progress.elected == ("甲一", "乙二", "丙三")
    assert "选举完毕" in tab.result_label.text()
    assert "导出归档材料" in offered[0]
    assert tab.export_button.isVisible()  # and stays at hand on the tab

    window.set_projector_mode(ProjectorMode.FINAL)
    assert projector.mode is ProjectorMode.FINAL
    window.close_election()
    assert verify_file(path).ok
    with ElectionFile.open(path, read_only=True) as election:
        assert len(election.rounds(election.contests()[0].id)) == 3


def test_undo_and_correction_keep_history(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_election(tmp_path)
    window.open_file(path)
    tab = window.counting
    assert tab is not None
    tab.start_next_round(papers_issued=5)
    press(qtbot, tab, "1", "2", "Enter")
    press(qtbot, tab, "3", "Enter")
    qtbot.keyClick(tab.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [p.entry_no for p in tab.station.counted] == [1]
    assert tab.paper_model.rowCount() == 1
    tab.start_correction(1)
    assert tab.mode_banner.isVisible() and "正在更正第 1 张" in tab.mode_banner.text()
    seen: list[str] = []
    answer_message(seen=seen)  # old and new shown side by side; Enter confirms
    press(qtbot, tab, "1", "4", "Enter")  # 1 (乙二) cycles ○ → ×, 4 (甲一) gets ○
    assert "原来：赞成 1 乙二、2 丁四" in seen[0]
    assert "改为：赞成 2 丁四、4 甲一；不赞成 1 乙二" in seen[0]
    assert not tab.mode_banner.isVisible()
    assert [m.value for m in tab.station.counted[0].paper.marks] == ["X", "O", "-", "O"]
    assert screen_figures(tab) == engine_figures(tab)
    states = [(p.entry_no, p.state.value) for p in tab.station.history()]
    assert states == [(1, "corrected"), (1, "counted"), (2, "withdrawn")]


def test_more_papers_collected_than_issued_shows_a_big_warning(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.open_file(make_election(tmp_path))
    tab = window.counting
    assert tab is not None
    tab.start_next_round(papers_issued=5)
    tab.collected.setValue(6)
    tab.save_papers.click()
    assert tab.warning.isVisible() and "本轮选举无效" in tab.warning.text()


def test_void_round_is_held_again_and_candidates_cannot_confirm(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    window.open_file(make_election(tmp_path))
    tab = window.counting
    assert tab is not None
    tab.start_next_round(papers_issued=5)
    tab.collected.setValue(6)
    tab.save_papers.click()
    for _ in range(6):
        press(qtbot, tab, "4", "Enter")
    tab.close_button.click()
    assert not tab.station.result().round_valid  # type: ignore[union-attr]
    tab.confirm("甲一")  # a candidate may not confirm as 监票人 (R12)
    assert (
        warnings
        and warnings[0] == "甲一是本项选举的候选人，不能担任监票人"
        and "R12" not in warnings[0]
    )
    assert tab.station.round is not None and tab.station.round.status is RoundStatus.CLOSED
    tab.confirm("王监票")
    assert tab.progress is not None and tab.progress.elected == ()
    assert tab.progress.next_round is not None and (
        tab.progress.next_round.reason == "收回选票 6 张多于发出 5 张，本轮选举无效，重新投票"
    )
    tab.start_next_round(papers_issued=5)
    record = tab.station.round
    assert record is not None and record.number == 2 and record.spec.kind is RoundKind.REGULAR
    assert record.spec.seats == 3
