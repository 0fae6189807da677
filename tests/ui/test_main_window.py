"""Start page, demo, recent files, read-only opening, the projector, the CLI's demo files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from gongtui_desktop.cli import main
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.records import RoundStatus
from gongtui_desktop.store.verify import verify_file
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.projector import ProjectorMode


def test_start_page_demo_and_recent_files(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.stack.currentWidget() is window.start
    path = window.open_demo()
    assert path is not None and path.exists() and window.counting is not None
    tab = window.counting
    record = tab.station.round
    assert record is not None and record.spec.candidates == ("刘建国", "陈晓红", "项上桢", "郭卫民")
    assert record.papers_collected == 18 and record.spec.present_voters == 18
    window.close_election()
    assert window.stack.currentWidget() is window.start
    assert window.start.recent.count() == 1
    assert Path(window.recent_files()[0]) == path.resolve()
    again = MainWindow(operator="李计票")
    qtbot.addWidget(again)
    assert again.recent_files() == window.recent_files()


def test_window_geometry_is_remembered(qtbot) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(operator="甲")
    qtbot.addWidget(first)
    first.resize(640, 480)
    first.close()
    assert QSettings().value("window/geometry") is not None
    second = MainWindow(operator="甲")
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (640, 480)


def test_locked_file_offers_read_only(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = write_demo(tmp_path / "demo.gongtui")
    holder = ElectionFile.open(path)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    try:
        assert window.open_file(path)
        assert window.election is not None and window.election.read_only
        assert "只读" in window.windowTitle()
    finally:
        window.close_election()
        holder.close()


def test_bad_file_is_refused_with_a_message(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.gongtui"
    bad.write_text("不是数据库", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert not window.open_file(bad)
    assert "不是选举文件" in shown[0] and window.stack.currentWidget() is window.start


def test_projector_modes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.open_demo()
    projector = window.show_projector()
    assert projector is not None
    images = {}
    for mode in ProjectorMode:
        window.set_projector_mode(mode)
        before = projector.paints
        images[mode] = projector.grab().toImage()
        assert projector.paints == before + 1
    # Each mode shows something different: bars, "计票中", the result.
    assert images[ProjectorMode.LIVE] != images[ProjectorMode.HIDDEN]
    assert images[ProjectorMode.LIVE] != images[ProjectorMode.FINAL]


def test_secretary_among_the_committee_elected(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """R15 in the window: after the committee, the secretary's candidates come from its elected."""
    path = write_demo(tmp_path / "demo.gongtui")
    window.open_file(path)
    tab = window.counting
    assert tab is not None
    papers = ("-OOO",) * 9 + ("O-OO",) * 4 + ("OO-O",) * 5
    from gongtui_desktop.domain.ballots import parse_shorthand

    for text in papers:
        tab.station.enter(parse_shorthand(text, 4))
    tab.close_round()
    tab.confirm("周丽萍")
    assert tab.progress is not None and tab.progress.done
    secretary_index = tab.contest_box.findText("支部书记")
    tab.contest_box.setCurrentIndex(secretary_index)
    assert not tab.candidates_button.isHidden()
    assert not tab.next_button.isEnabled()
    tab.set_candidates(["项上桢", "郭卫民"])
    assert tab.next_button.isEnabled()
    tab.start_next_round(papers_issued=18)
    record = tab.station.round
    assert record is not None and record.spec.candidates == ("项上桢", "郭卫民")
    assert record.status is RoundStatus.OPEN


def test_cli_writes_demo_files(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["demo", str(tmp_path / "a.gongtui")]) == 0
    assert main(["demo", str(tmp_path / "b.gongtui"), "--completed"]) == 0
    assert "已写出演示选举文件" in capsys.readouterr().out
    assert main(["demo", str(tmp_path / "b.gongtui")]) == 2
    assert "已存在" in capsys.readouterr().err
    for name in ("a.gongtui", "b.gongtui"):
        assert verify_file(tmp_path / name).ok
    with ElectionFile.open(tmp_path / "b.gongtui", read_only=True) as election:
        contests = election.contests()
        assert all(election.contest_progress(c.id).done for c in contests)
        assert all(
            r.status is RoundStatus.CONFIRMED for c in contests for r in election.rounds(c.id)
        )
        assert election.contest_progress(contests[1].id).elected == ("项上桢",)


def test_new_election_wizard_writes_the_file(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gongtui_desktop.domain.positions import Position
    from gongtui_desktop.ui.wizard import NewElectionWizard

    wizard = NewElectionWizard(tmp_path)
    qtbot.addWidget(wizard)
    wizard.details.organization.setText("区统计局党支部")
    wizard.details.path.setText(str(tmp_path / "新选举.gongtui"))
    wizard.contests.table.cellWidget(0, 3).setText("张三、王五 李四，丁一")
    wizard.contests.add_row(Position.SECRETARY, 1, "", restricted=True)
    assert wizard.contests.validatePage()
    wizard.contests.table.cellWidget(0, 3).setText("张三、王五")
    assert not wizard.contests.validatePage()
    assert "委员候选人应多于应选人数的20%" in wizard.contests.problems.text()
    wizard.contests.table.cellWidget(0, 3).setText("张三、王五 李四，丁一")
    wizard.options.operator.setText("王组织")
    wizard.accept()
    assert wizard.created == tmp_path / "新选举.gongtui"
    with ElectionFile.open(wizard.created, read_only=True) as election:
        contests = election.contests()
        assert contests[0].contest.candidates == ("丁一", "王五", "李四", "张三")
        assert contests[1].restricted_to_id == contests[0].id
        assert election.audit_entries()[0].operator == "王组织"


def test_run_opens_the_demo(qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from gongtui_desktop.ui import app as app_module

    opened: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    monkeypatch.setattr(MainWindow, "show", lambda self: opened.append(self))
    monkeypatch.setattr(
        "gongtui_desktop.ui.main_window.QInputDialog.getText", lambda *a, **k: ("李计票", True)
    )
    assert app_module.run(demo=True) == 0
    window = opened[0]
    assert window.election is not None and window.election.path.name.startswith("演示选举-")
    assert window.operator == "李计票"
    window.close_election()
