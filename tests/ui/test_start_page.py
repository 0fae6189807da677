"""The start page says what to do first and where each election stands (名册 → 推荐 → 测评 →
签到 → 选举 → 归档); an election opens on the tab of its next stage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from gongtui_desktop.domain.plan import PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.services.new_election import ContestDraft, create_election
from gongtui_desktop.ui.main_window import MainWindow
from tests.builders import recommended_election


def new_election(path: Path) -> Path:
    """As the wizard leaves it for 公推直选: a 3-seat committee, no roster, no candidates."""
    return create_election(
        path,
        title="第一党支部换届选举",
        organization="第一党支部",
        higher_organization="机关党委",
        meeting_date=date(2026, 11, 24),
        drafts=[ContestDraft(Position.COMMITTEE, 3, (), candidates_later=True)],
        plan=PlanOptions(),
        operator="王组织",
    )


def button(window: MainWindow, text: str) -> QPushButton:
    found = [b for b in window.start.findChildren(QPushButton) if b.text() == text]
    assert found and found[0].isVisible(), f"开始页上没有“{text}”"
    return found[0]


def test_a_first_start_says_what_to_do_first(window: MainWindow) -> None:
    page = window.start
    assert page.election_title.text() == "还没有选举"
    assert page.hint.text().startswith("第一步：点“新建选举…”，按向导填写选举方案")
    assert page.stages.text() == "名册\n推荐\n测评\n签到\n选举\n归档"
    assert not page.continue_button.isVisible()


def test_the_last_election_shows_its_stages_and_goes_on_with_the_next(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = recommended_election(tmp_path / "换届.gongtui")
    window.open_file(path)
    window.close_election()
    page = window.start
    assert page.election_title.text() == "换届选举：进行到哪一步"
    assert page.stages.text() == (
        "名册 已完成 9 人\n推荐 已完成\n测评 未开始\n签到 未开始\n选举 未开始\n归档 未开始"
    )
    assert page.hint.text().startswith("下一步：民主测评。")
    qtbot.mouseClick(button(window, "继续：民主测评 →"), Qt.MouseButton.LeftButton)
    assert window.election is not None and window.election.path == path


def test_choosing_another_recent_file_shows_its_stages(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    finished = write_demo(tmp_path / "完成.gongtui", completed=True)
    started = new_election(tmp_path / "新.gongtui")
    window.open_file(finished)
    window.open_file(started)
    window.close_election()
    page = window.start
    assert page.election_title.text() == "第一党支部换届选举：进行到哪一步"
    assert page.stages.text().startswith("名册 未开始 还没有导入\n推荐 未开始\n")
    assert page.continue_button.text() == "继续：党员名册 →"
    page.recent.setFocus()
    qtbot.keyClick(page.recent, Qt.Key.Key_Down)
    assert page.stages.text().endswith("选举 已完成 已全部确认\n归档 未开始 可以导出归档材料")
    assert "导出归档材料：文件 → 导出归档材料…" in page.hint.text()
    assert page.continue_button.text() == "继续：选举计票 →"
    qtbot.keyClick(page.recent, Qt.Key.Key_Return)
    assert window.election is not None and window.election.path == finished


def test_an_election_opens_on_the_tab_of_its_next_stage(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A new election opens on 党员名册 (not on the last tab); one recommended and reviewed
    on 民主测评; the demo, voting, on 选举计票. Needs the main window's hook."""
    window.open_file(new_election(tmp_path / "新.gongtui"))
    assert window.tabs.tabText(window.tabs.currentIndex()) == "党员名册"
    window.open_file(recommended_election(tmp_path / "换届.gongtui"))
    assert window.tabs.tabText(window.tabs.currentIndex()) == "民主测评"
    window.open_file(write_demo(tmp_path / "demo.gongtui"))
    assert window.tabs.tabText(window.tabs.currentIndex()) == "选举计票"
