"""Sign-in, exclusions, quorum and scrutineers through the 会议签到 tab (issue #5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gongtui_desktop.domain.attendance import ExclusionReason
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.projector import ProjectorMode


@pytest.fixture
def fresh_demo(tmp_path: Path) -> Path:
    """The demo branch with nobody signed in yet."""
    path = tmp_path / "demo.gongtui"
    write_demo(path)
    connection_free = ElectionFile.open(path)
    with connection_free as election:
        for person in election.people():
            if person.id in election.attendance("election"):
                election.set_attendance("演示", "election", person.id, "absent")
    return path


def test_sign_in_by_pinyin_initials_and_quorum(
    qtbot, window: MainWindow, fresh_demo: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    window.open_file(fresh_demo)
    meeting = window.meeting
    assert meeting is not None
    window.tabs.setCurrentWidget(meeting)
    assert meeting.model.rowCount() == 34
    # Voters first, observers (列席) after them (R1).
    assert meeting.model.data(meeting.model.index(19, 2)) == "列席"
    assert "应到 19　实到 0" in meeting.figures_label.text()

    # "xsz" = 项上桢: typing initials and Enter signs the best match in.
    qtbot.keyClicks(meeting.search, "xsz")
    assert meeting.model.rows[0].person.name == "项上桢"
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert meeting.search.text() == ""
    assert "实到 1" in meeting.figures_label.text()

    # Part of a name works too; F6 marks the selected person on leave.
    meeting.search.insert("卫民")
    assert [p.person.name for p in meeting.model.rows] == ["郭卫民"]
    qtbot.keyClick(meeting.table, Qt.Key.Key_F6)
    assert meeting.election.attendance("election")[meeting.model.rows[0].id] == "leave"
    meeting.search.clear()

    # Sign in 15 of the 18 others: 16 present of 19 is not more than 4/5 (15.2 → 16 needed).
    names = [
        p.person.name for p in meeting.model.rows[:19] if p.person.name not in ("项上桢", "郭卫民")
    ]
    for name in names[:14]:
        meeting.search.insert(name)
        qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert "实到 15" in meeting.figures_label.text() and "不足" in meeting.figures_label.text()
    counting = window.counting
    assert counting is not None and "不足" in counting.quorum_label.text()
    # The vote cannot start before the quorum is met.
    committee = counting.station.election.contests()[0].id
    rounds_before = len(counting.station.election.rounds(committee))
    assert rounds_before == 1  # the demo opened round 1 already; the check is on the next one
    meeting.search.insert(names[14])
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert "符合规定" in meeting.figures_label.text()
    assert "符合规定" in counting.quorum_label.text()
    assert (
        "应到会有选举权的党员 19 人，实到会 16 人（请假 1 人，缺席 2 人）"
        in meeting.announcement.text()
    )

    # An exclusion with consent lowers 应到 (R2); without consent it is refused.
    absent = next(
        p
        for p in meeting.model.rows[:19]
        if meeting.model.figures.status.get(p.id, "absent") == "absent"
    )
    assert not meeting.exclude(absent, ExclusionReason.ILLNESS, " ")
    assert "上级党组织同意" in warnings[-1]
    assert meeting.exclude(absent, ExclusionReason.ILLNESS, "机关党工委同意")
    assert "应到 18" in meeting.figures_label.text()

    # A candidate is refused as 监票人 (R12); someone present who is not a candidate is fine.
    meeting.search.insert("项上桢")
    meeting.scrutineer_role.setCurrentIndex(1)
    meeting.add_scrutineer()
    assert warnings[-1] == "项上桢是本次选举的候选人，不能担任监票人"
    meeting.search.clear()

    # The projector announces the attendance.
    projector = window.show_projector()
    assert projector is not None
    meeting.announce_button.click()
    assert projector.mode is ProjectorMode.ATTENDANCE
    before = projector.paints
    projector.grab()
    assert projector.paints == before + 1


def test_vote_refused_without_quorum(
    qtbot, window: MainWindow, fresh_demo: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    window.open_file(fresh_demo)
    counting = window.counting
    assert counting is not None
    secretary = counting.contest_box.findText("支部书记")
    counting.contest_box.setCurrentIndex(secretary)
    counting.start_next_round(papers_issued=18)
    assert warnings and "不能进行选举" in warnings[-1] and "R3" not in warnings[-1]


def test_enter_never_signs_in_twice_and_never_guesses(
    qtbot, window: MainWindow, fresh_demo: Path
) -> None:  # type: ignore[no-untyped-def]
    """Someone already present is reported, not signed in again; ``x`` then reaches 许静;
    text finding several people not yet present, or nobody, signs nobody in (R3)."""
    window.open_file(fresh_demo)
    meeting = window.meeting
    assert meeting is not None
    window.tabs.setCurrentWidget(meeting)
    meeting.search.setFocus()
    qtbot.keyClicks(meeting.search, "xsz")
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert "实到 1" in meeting.figures_label.text()
    assert meeting.notice.text() == "项上桢 已签到"
    audit = meeting.election.audit_length

    # The whole name of someone present: said so, nothing written, the text stays.
    meeting.search.insert("项上桢")
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert "项上桢已签到" in meeting.notice.text()
    assert meeting.search.text() == "项上桢"
    assert meeting.election.audit_length == audit and "实到 1" in meeting.figures_label.text()

    # "x" finds 项上桢 and 许静: the one not yet present comes first and is signed in.
    meeting.search.clear()
    qtbot.keyClicks(meeting.search, "x")
    assert meeting.model.rows[0].person.name == "许静"
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert meeting.election.attendance("election")[23] == "present"
    assert meeting.notice.text() == "许静 已签到" and meeting.search.text() == ""

    # Her initials again: reported, not a second sign-in.
    qtbot.keyClicks(meeting.search, "xj")
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert meeting.notice.text() == "许静已签到，不用再签"
    assert meeting.election.audit_length == audit + 1

    # Several people not yet present, or nobody: nobody is signed in.
    meeting.search.clear()
    qtbot.keyClicks(meeting.search, "l")
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert "“l”对应 3 位未签到的人（刘建国、李文斌、吕娜）" in meeting.notice.text()
    meeting.search.clear()
    qtbot.keyClicks(meeting.search, "qqq")
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert meeting.notice.text() == "名册中没有“qqq”"
    assert meeting.election.audit_length == audit + 1


def test_meeting_record_typed_on_the_tab_is_stored_and_printed(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """地点, 主持人, 记录人, 列席 and the times typed on 会议签到, Enter to save: stored in the
    election file and printed at the head of the 会议记录."""
    import docx

    from gongtui_desktop.reports.documents import write_minutes
    from gongtui_desktop.ui.export_dialog import missing_for_archive

    path = write_demo(tmp_path / "demo.gongtui", completed=True)
    window.open_file(path)
    meeting = window.meeting
    assert meeting is not None
    window.tabs.setCurrentWidget(meeting)
    box = meeting.record_box
    assert box.fields["place"].text() == "机关三楼会议室"
    assert "选举大会的记录人" in missing_for_archive(meeting.election)
    for key, text in (
        ("starts_at", "9:00"),
        ("ends_at", "11:30"),
        ("recorder", "沈佳怡"),
        ("delegate", "区级机关党工委组织委员 王林"),
    ):
        box.fields[key].setFocus()
        if text.isascii():
            qtbot.keyClicks(box.fields[key], text)
        else:  # Chinese arrives as committed input-method text
            box.fields[key].insert(text)
    qtbot.keyClick(box.fields["delegate"], Qt.Key.Key_Return)
    assert meeting.notice.text() == "选举大会的会议信息已保存"
    assert box.fields["starts_at"].text() == "09:00"
    record = meeting.election.meeting_record("election")
    assert record["recorder"] == "沈佳怡" and record["ends_at"] == "11:30"
    assert missing_for_archive(meeting.election) == []
    minutes = write_minutes(meeting.election, tmp_path / "m.docx")
    lines = [p.text for p in docx.Document(str(minutes)).paragraphs]
    assert "时间：2026年11月24日9:00至11:30" in lines and "记录人：沈佳怡" in lines

    # A time that does not exist is refused with the reason; nothing is stored.
    warnings: list[str] = []
    from tests.ui.conftest import answer_message

    answer_message(seen=warnings)
    box.fields["ends_at"].selectAll()
    qtbot.keyClicks(box.fields["ends_at"], "25:00")
    qtbot.keyClick(box.fields["ends_at"], Qt.Key.Key_Return)
    assert warnings == ["时间“25:00”不存在"]
    assert meeting.election.meeting_record("election")["ends_at"] == "11:30"


def test_export_asks_about_what_is_still_missing(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gongtui_desktop.ui.export_dialog import confirm_missing

    path = write_demo(tmp_path / "demo.gongtui", completed=True)
    window.open_file(path)
    seen: list[str] = []

    def remember_and(text: str) -> None:
        """Read the next message box, then click the button with ``text``."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QMessageBox):
                QTimer.singleShot(20, answer)
                return
            seen.append(dialog.text())
            next(b for b in dialog.buttons() if b.text() == text).click()

        QTimer.singleShot(0, answer)

    remember_and("返回填写")
    assert confirm_missing(window, window.election) is False
    assert "选举大会的记录人" in seen[0] and "选举大会的开始时间" in seen[0]
    assert "会议信息在“会议签到”页填写" in seen[0]
    remember_and("仍然导出")
    assert confirm_missing(window, window.election) is True
