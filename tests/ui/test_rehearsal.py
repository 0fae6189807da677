"""A whole meeting rehearsed through the window only: the new-election wizard, a messy
roster from Excel, sign-in by pinyin initials, recommendation and evaluation forms by
keyboard, the committee round with a correction abandoned and one confirmed, a paper
beyond those collected refused, the secretary contest, and the archive exported from the
menu and read back. Every step is a key, a click on a button found by its words, a menu
action or an answer to a dialog; every check is on what the screen or the files show."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
import openpyxl
import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QWidget,
    QWizard,
)

from gongtui_desktop.domain.evaluation import RaterGroup
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.ui.counting_tab import CandidateDialog
from gongtui_desktop.ui.import_dialog import ImportDialog
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.wizard import NewElectionWizard
from tests.ui.conftest import answer_dialog, answer_message, click_message_button
from tests.ui.test_counting_station import press
from tests.ui.test_entry_modes import menu_action
from tests.ui.test_wizard import raise_failures, when_modal

# 24 people of the branch: 20 full members, 2 probationary, 2 not in the Party. Each is
# reached at sign-in by the initials beside the name (none of them finds two people).
FULL = (
    ("王建华", "wjh"),
    ("李红梅", "lhm"),
    ("张国强", "zgq"),
    ("陈静", "cj"),
    ("赵志刚", "zzg"),
    ("刘芳", "lf"),
    ("孙立新", "slx"),
    ("周文斌", "zwb"),
    ("吴海燕", "why"),
    ("郑晓东", "zxd"),
    ("冯雪", "fx"),
    ("何永胜", "hys"),
    ("高秀英", "gxy"),
    ("林小平", "lxp"),
    ("马俊", "mj"),
    ("罗丹", "ld"),
    ("梁宇", "ly"),
    ("宋佳", "sj"),
    ("唐伟", "tw"),
    ("韩冬梅", "hdm"),
)
PROBATIONARY = ("曹磊", "许明")
MASSES = ("邓丽", "彭涛")
INITIALS = dict(FULL)


def clicked(qtbot, parent: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click the visible button whose words (without a shortcut's &) are ``text``."""
    for button in parent.findChildren(QAbstractButton):
        if button.isVisible() and button.text().replace("&", "") == text:
            assert button.isEnabled(), f"“{text}”是灰的"
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    raise AssertionError(f"没有按钮“{text}”")


def typed(qtbot, edit: QLineEdit | QSpinBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a field as a person does: click in, select what is there, type over it;
    Chinese arrives as committed input-method text."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    elif isinstance(edit, QLineEdit):
        edit.insert(text)
    else:
        raise AssertionError(text)


def chosen(box: QComboBox, text: str) -> None:
    """Pick the entry with these words from a drop-down list."""
    index = box.findText(text)
    assert index >= 0, f"列表中没有“{text}”：{[box.itemText(i) for i in range(box.count())]}"
    box.setCurrentIndex(index)


def back_to(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The window active again after a dialog, as a desktop makes it (the offscreen
    platform of the tests leaves no window active when a dialog closes)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def column(model: QAbstractItemModel, number: int) -> list[str]:
    return [str(model.data(model.index(row, number))) for row in range(model.rowCount())]


def write_roster(path: Path) -> Path:
    """The branch's 花名册 as offices keep it: a title row, the header, a 合计 row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["机关第一党支部党员花名册"])
    sheet.merge_cells("A1:H1")
    sheet.append(["序号", "姓名", "性别", "出生年月", "入党时间", "转正时间", "身份", "联系电话"])
    recent = date.today() - timedelta(days=400)  # 赵志刚: a full member for about a year
    number = 0
    for name, _ in FULL:
        number += 1
        confirmed = recent if name == "赵志刚" else date(1998 + number % 10, 7, 1)
        joined = confirmed - timedelta(days=365)
        sheet.append(
            [
                number,
                name,
                "女" if number % 3 == 0 else "男",
                datetime(1968 + number, 1 + number % 12, 3),
                joined.isoformat(),
                confirmed.isoformat(),
                "正式党员",
                f"139{number:08d}",
            ]
        )
    for name in PROBATIONARY:
        number += 1
        sheet.append(
            [number, name, "男", datetime(1995, 5, number), "2025-12-01", None, "预备党员", ""]
        )
    for name in MASSES:
        number += 1
        sheet.append([number, name, "女", datetime(1990, 3, number), None, None, "群众", ""])
    sheet.append([None, "合计", f"{number}人", None, None, None, None, None])
    book.save(path)
    return path


@pytest.fixture
def closing(window: MainWindow) -> Iterator[MainWindow]:
    """After a failure halfway through a paper, closing the window at the end would ask
    about the paper and wait for an answer nobody gives: this window closes without asking
    (the test never closes it otherwise)."""
    window.may_close = lambda: True  # type: ignore[method-assign]
    yield window


def test_a_whole_meeting_through_the_window(qtbot, closing: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = closing
    election_path = tmp_path / "机关第一党支部换届选举.gongtui"

    # ---- 文件 → 新建选举…: candidates come from recommendation and evaluation ----------
    def wizard_pages(wizard: QWidget) -> None:
        assert isinstance(wizard, NewElectionWizard)
        details = wizard.details
        typed(qtbot, details.organization, "机关第一党支部")
        typed(qtbot, details.higher, "区级机关党工委")
        typed(qtbot, details.path, str(election_path))
        clicked(qtbot, wizard, "下一步(N) >")
        page = wizard.contests
        assert page.later.isChecked()
        clicked(qtbot, page, "增加一项")  # 支部书记, 1 名, among the committee just elected
        assert page.table.rowCount() == 2
        assert page.table.cellWidget(1, 0).currentText() == "书记"
        assert page.table.cellWidget(1, 4).isChecked()
        clicked(qtbot, wizard, "下一步(N) >")
        assert wizard.currentPage() is wizard.options, page.problems.text()
        typed(qtbot, wizard.options.operator, "王组织")
        clicked(qtbot, wizard, "完成(F)")

    when_modal(QWizard, wizard_pages)
    menu_action(window, "文件", "新建选举…").trigger()
    raise_failures()
    assert window.election is not None and window.election.path == election_path
    assert window.tabs.tabText(window.tabs.currentIndex()) == "党员名册"

    # ---- 党员名册: the messy Excel roster --------------------------------------------
    roster_file = write_roster(tmp_path / "党员花名册.xlsx")
    roster = window.roster
    assert roster is not None
    seen: dict[str, object] = {}

    def pick_file(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(roster_file))
        dialog.accept()

    def answer_import(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportDialog)
        seen["header"] = dialog.header_row.currentText()
        seen["columns"] = [
            dialog.columns.cellWidget(r, 2).currentText() for r in range(dialog.columns.rowCount())
        ]
        seen["summary"] = dialog.summary.text()
        clicked(qtbot, dialog, "全部导入")

    when_modal(QFileDialog, pick_file)
    when_modal(ImportDialog, answer_import)
    clicked(qtbot, roster, "从 Excel/CSV 导入…")
    raise_failures()
    assert str(seen["header"]).startswith("第 2 行：序号　姓名"), seen["header"]
    assert seen["columns"] == [
        "（不导入）",
        "姓名（必填）",
        "性别",
        "出生日期",
        "入党日期",
        "转正日期",
        "身份（必填）",
        "联系方式",
    ]
    assert seen["summary"] == "检查通过：24 人可以导入。"
    assert roster.message.text() == "已从 党员花名册.xlsx 导入 24 人"
    assert "共 24 人，有表决权 20 人" in roster.count_label.text()
    assert "合计" not in column(roster.model, 0)
    assert column(roster.model, 13).count("列席") == 4

    # ---- 会议签到: the recommendation meeting, by pinyin initials --------------------
    meeting = window.meeting
    assert meeting is not None
    window.tabs.setCurrentWidget(meeting)
    chosen(meeting.meeting, "推荐大会")
    assert "应到 20　实到 0" in meeting.figures_label.text()
    meeting.search.setFocus()
    for name, initials in FULL[:17]:
        qtbot.keyClicks(meeting.search, initials)
        qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
        assert meeting.notice.text() == f"{name} 已签到"
    for name in MASSES:  # the masses take part in recommending, by name
        meeting.search.insert(name)
        qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert "应到 20　实到 17" in meeting.figures_label.text()
    assert "符合规定" in meeting.figures_label.text()
    assert meeting.announcement.text().endswith("会议有效，可以进行民主推荐。")
    assert "实到会 17 人（请假 0 人，缺席 0 人，未签到 3 人）" in meeting.announcement.text()

    # ---- 民主推荐: settings, six forms by keyboard, the ranking ------------------------
    recommendation = window.recommendation
    assert recommendation is not None
    window.tabs.setCurrentWidget(recommendation)
    recommendation.pages.setCurrentIndex(0)
    assert recommendation.seat_boxes[Position.COMMITTEE].value() == 3  # from the wizard
    assert recommendation.ratio.text() == "40"
    for (channel, which), value in {
        ("member", "issued"): 20,
        ("member", "returned"): 5,
        ("mass", "issued"): 2,
        ("mass", "returned"): 1,
    }.items():
        typed(qtbot, recommendation.count_boxes[(channel, which)], str(value))
    clicked(qtbot, recommendation, "保存设置")
    assert recommendation.message.text() == "设置已保存"
    recommendation.pages.setCurrentIndex(1)
    picker = recommendation.pickers[Position.COMMITTEE]
    picker.edit.setFocus()
    member_forms = (
        ("wjh", "lhm", "zgq"),
        ("wjh", "lhm", "cj"),
        ("wjh", "zgq", "zzg"),
        ("lhm", "zgq", "cj"),
        ("wjh", "lhm", "zzg"),
    )
    for form in member_forms:
        for initials in form[:-1]:
            qtbot.keyClicks(picker.edit, initials)
            qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
        # The last name still typed when Ctrl+Enter is pressed is taken with the form.
        qtbot.keyClicks(picker.edit, form[-1])
        qtbot.keyClick(picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert recommendation.message.text() == "已录入"
    chosen(recommendation.channel, "群众推荐票")
    picker.edit.setFocus()
    qtbot.keyClicks(picker.edit, "wjh")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    picker.edit.insert("陈静")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(picker.edit, "lf")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picker.chosen_label.text() == "王建华、陈静、刘芳"
    clicked(qtbot, recommendation, "录入这张推荐票（Ctrl+Enter）")
    assert recommendation.message.text() == "已录入"
    assert "已录入 6 张 / 收回 6 张" in recommendation.forms_label.text()

    recommendation.pages.setCurrentIndex(2)
    ranking = recommendation.ranking
    shown = [
        tuple(ranking.item(r, c).text() for c in (1, 2, 3, 6, 8)) for r in range(ranking.rowCount())
    ]
    assert shown == [
        ("王建华", "4", "1", "5", "✓"),
        ("李红梅", "4", "0", "4", "✓"),
        ("张国强", "3", "0", "3", "✓"),
        ("陈静", "2", "1", "3", "✓"),
        ("赵志刚", "2", "0", "2", "✓"),
        ("刘芳", "0", "1", "1", ""),
    ], shown
    assert recommendation.line_label.text().startswith("初步人选 5 名")

    # Review: each 初步人选 against the conditions; the group decides, the tab records it.
    review = recommendation.review
    rows = {review.item(r, 1).text(): r for r in range(review.rowCount())}
    assert list(rows) == ["王建华", "李红梅", "张国强", "陈静", "赵志刚"]
    assert review.item(rows["王建华"], 2).text() == "符合全部条件"
    verdict = review.item(rows["赵志刚"], 2).text()
    assert verdict.startswith("不符合：") and "党龄" in verdict, verdict
    for name, row in rows.items():
        chosen(review.cellWidget(row, 3), "不通过" if name == "赵志刚" else "通过")
        note = review.cellWidget(row, 4)
        note.setFocus()
        note.insert("党龄不足两年" if name == "赵志刚" else "符合条件")
    clicked(qtbot, recommendation, "保存审查决定")
    assert recommendation.message.text() == "审查决定已保存"
    asked: list[str] = []
    answer_message(Qt.Key.Key_Return, asked)
    clicked(qtbot, recommendation, "结束民主推荐…")
    assert "结束后推荐结果和审查决定不能再修改" in asked[0]
    assert recommendation.message.text() == (
        "民主推荐已结束，通过资格审查的初步人选已交民主测评：委员：王建华、李红梅、张国强、陈静"
    ), recommendation.message.text()
    assert not recommendation.commit_button.isEnabled()

    # ---- 民主测评: three forms keyed one key per cell, then closed --------------------
    evaluation = window.evaluation
    assert evaluation is not None
    window.tabs.setCurrentWidget(evaluation)
    evaluation.pages.setCurrentIndex(0)
    typed(qtbot, evaluation.count_boxes[(RaterGroup.MEMBER, "issued")], "3")
    typed(qtbot, evaluation.count_boxes[(RaterGroup.MEMBER, "returned")], "3")
    clicked(qtbot, evaluation, "保存设置")
    assert evaluation.message.text() == "设置已保存"
    evaluation.pages.setCurrentIndex(1)
    grid = evaluation.grid
    assert [name for _, name in grid.people] == ["王建华", "李红梅", "张国强", "陈静"]
    grid.setFocus()
    for paper in range(3):
        assert (grid.currentRow(), grid.currentColumn()) == (0, 0)
        for row in range(4):
            # "*" gives 德能勤纪廉 优, then 1 满意; 陈静 once gets 能 良 and 基本满意.
            keys = ("1", "2", "1", "1", "1", "2") if (row, paper) == (3, 2) else ("*", "1")
            for key in keys:
                qtbot.keyClick(grid, Qt.Key.Key_Asterisk if key == "*" else Qt.Key(ord(key)))
        qtbot.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert evaluation.message.text() == "已录入"
    assert evaluation.forms_label.text() == "已录入 3 张"
    evaluation.pages.setCurrentIndex(2)
    results = evaluation.results
    by_name = {results.item(r, 0).text(): r for r in range(results.rowCount())}
    assert results.item(by_name["陈静"], 2).text() == "优2 良1 中0 差0　66.67%"
    assert [results.item(r, 7).text() for r in range(results.rowCount())] == ["✓"] * 4
    assert evaluation.line_label.text().startswith("预备人选 4 名")
    click_message_button("结束民主测评")
    clicked(qtbot, evaluation, "结束民主测评…")
    assert (
        "4 名预备人选成为“委员”的选举候选人（按姓氏笔画）：王建华、李红梅、张国强、陈静"
        in evaluation.message.text()
    ), evaluation.message.text()

    # ---- 会议签到: the election meeting, its record and the scrutineers ---------------
    window.tabs.setCurrentWidget(meeting)
    chosen(meeting.meeting, "选举大会")
    assert "应到 20　实到 0" in meeting.figures_label.text()
    assert "缺席 0　未签到 20" in meeting.figures_label.text()  # nobody is absent yet
    meeting.search.setFocus()
    absent = ("唐伟", "韩冬梅")
    for name, initials in FULL:
        if name not in absent:
            qtbot.keyClicks(meeting.search, initials)
            qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
            assert meeting.notice.text() == f"{name} 已签到"
    qtbot.keyClicks(meeting.search, "wjh")  # signed in twice by mistake: said, not counted
    qtbot.keyClick(meeting.search, Qt.Key.Key_Return)
    assert "王建华已签到" in meeting.notice.text()
    meeting.search.clear()
    assert "应到 20　实到 18" in meeting.figures_label.text()
    assert "符合规定" in meeting.figures_label.text()
    election_figures = meeting.figures_label.text()
    for key, text in (
        ("starts_at", "9:00"),
        ("ends_at", "11:30"),
        ("place", "机关三楼会议室"),
        ("chair", "孙立新"),
        ("recorder", "宋佳"),
        ("delegate", "区级机关党工委组织委员 王林"),
    ):
        typed(qtbot, meeting.record_box.fields[key], text)
    qtbot.keyClick(meeting.record_box.fields["delegate"], Qt.Key.Key_Return)
    assert meeting.notice.text() == "选举大会的会议信息已保存"
    for name, role in (("周文斌", "总监票人"), ("吴海燕", "监票人"), ("郑晓东", "计票人")):
        typed(qtbot, meeting.search, INITIALS[name])
        assert meeting.model.rows[0].person.name == name
        chosen(meeting.scrutineer_role, role)
        clicked(qtbot, meeting, "推选为")
    meeting.search.clear()
    scrutineers = meeting.scrutineer_list
    assert [scrutineers.item(i).text() for i in range(scrutineers.count())] == [
        "总监票人：周文斌",
        "监票人：吴海燕",
        "计票人：郑晓东",
    ]

    # ---- 选举计票: the committee, 18 papers by keyboard --------------------------------
    counting = window.counting
    assert counting is not None
    window.tabs.setCurrentWidget(counting)
    assert counting.contest_box.currentText() == "委员"
    assert counting.quorum_label.text() == "选举大会：" + election_figures
    assert counting.next_button.text() == "开始投票"
    answer_dialog(number=18)  # 发出选票数: the 18 present, as proposed
    clicked(qtbot, counting, "开始投票")
    assert counting.round_label.text().startswith("第 1 轮（正式选举，应选 3 名）")
    typed(qtbot, counting.collected, "18")
    clicked(qtbot, counting, "登记选票数")
    back_to(qtbot, window)
    qtbot.mouseClick(counting.editor, Qt.MouseButton.LeftButton)  # back to the paper
    assert counting.editor.hasFocus()
    assert counting.editor.heading.text() == "应选 3 名：每张选票赞成不超过 3 人"
    grid_names = [counting.editor.grid.itemAtPosition(r, 1).widget().text() for r in range(4)]
    assert grid_names == ["王建华", "李红梅", "张国强", "陈静"]  # 姓氏笔画
    for keys in [("1", "2", "3")] * 6 + [("1", "2", "4")] * 4:
        press(qtbot, counting, *keys, "Enter")
        assert counting.editor.hint.text().startswith("已录入")
    assert "已录入 10 张　有效 10　无效 0" in counting.summary.text()

    # Ctrl+E on paper 3, then Esc: the correction is abandoned, the next paper is new.
    answer_dialog(number=3)  # 更正第几张选票
    qtbot.keyClick(counting.editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert counting.mode_banner.isVisible()
    assert counting.mode_banner.text().startswith(
        "正在更正第 3 张选票　原来：赞成 1 王建华、2 李红梅、3 张国强"
    ), counting.mode_banner.text()
    back_to(qtbot, window)
    assert counting.editor.hasFocus()
    press(qtbot, counting, "Esc")
    assert not counting.mode_banner.isVisible()
    assert counting.editor.hint.text() == "已放弃更正第 3 张选票，选票没有改动。"
    for keys in [("1", "3", "4")] * 3 + [("2", "3", "4")]:
        press(qtbot, counting, *keys, "Enter")
    assert "已录入 14 张　有效 14　无效 0" in counting.summary.text()
    # Four names for three seats: shown first, entered as invalid on the second Enter.
    press(qtbot, counting, "*", "Enter")
    assert "所选人数多于应选人数" in counting.editor.hint.text()
    assert "已录入 14 张" in counting.summary.text()
    press(qtbot, counting, "Enter")
    press(qtbot, counting, "/")  # a blank paper goes in at once
    # 另选他人: 刘芳 written in beside two candidates.
    press(qtbot, counting, "1", "2", "+")
    assert counting.editor.write_in.hasFocus()
    counting.editor.write_in.insert("刘芳")
    popup = counting.editor.write_in.completer().popup()
    assert popup.isVisible()  # 刘芳 is on the roster: the list offers her
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # the first Enter takes the name offered
    assert not popup.isVisible() and counting.editor.write_in.text() == "刘芳"
    qtbot.keyClick(counting.editor.write_in, Qt.Key.Key_Return)  # the second adds it
    assert counting.editor.hasFocus() and counting.editor.write_ins_label.text() == "另选：刘芳"
    press(qtbot, counting, "Enter")
    press(qtbot, counting, "1", "2", "3", "Enter")
    assert "已录入 18 张　有效 17　无效 1" in counting.summary.text()

    # The real correction: paper 3 has a × beside 张国强, seen when the stack is checked.
    answer_dialog(number=3)
    qtbot.keyClick(counting.editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert "正在更正第 3 张选票" in counting.mode_banner.text()
    press(qtbot, counting, "3")  # ○ → ×
    asked = []
    answer_message(Qt.Key.Key_Return, asked)  # Enter: 确认
    press(qtbot, counting, "Enter")
    assert asked[0].startswith(
        "原来：赞成 1 王建华、2 李红梅、3 张国强\n改为：赞成 1 王建华、2 李红梅；不赞成 3 张国强"
    ), asked
    assert not counting.mode_banner.isVisible()
    assert counting.editor.hint.text().startswith("已更正第 3 张")
    assert "已录入 18 张　有效 17　无效 1" in counting.summary.text()
    papers = counting.paper_model
    assert papers.rowCount() == 18
    assert papers.data(papers.index(2, 2)) == "赞成 1 2；不赞成 3", papers.data(papers.index(2, 2))

    # A 19th paper for 18 collected: asked about when keyed; Enter keeps it out.
    warned: list[str] = []
    answer_message(Qt.Key.Key_Return, warned)
    press(qtbot, counting, "1", "Enter")
    assert "这是第 19 张：多于收回的选票" in warned[0]
    assert "没有录入" in counting.editor.hint.text()
    press(qtbot, counting, "Esc")  # the paper is put aside
    assert "已录入 18 张" in counting.summary.text() and not counting.warning.isVisible()

    tally = counting.tally_model
    figures = {
        row[1].removesuffix("（另选）"): list(row[2:5])
        for row in zip(*(column(tally, c) for c in range(6)), strict=True)
    }
    assert figures == {
        "王建华": ["15", "0", "2"],
        "李红梅": ["13", "0", "4"],
        "张国强": ["10", "1", "6"],
        "陈静": ["8", "0", "9"],
        "刘芳": ["1", "", ""],
    }, figures
    assert "当选须 ≥ 10 票" in counting.summary.text()
    committee_summary = counting.summary.text()
    clicked(qtbot, counting, "结束计票")
    assert counting.status_line.text() == "计票已结束：监票人核对后点“确认结果…”。"
    confirmed_by: list[str] = []

    def confirm_dialog(dialog: QWidget) -> None:
        confirmed_by.append(dialog.textValue())  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    when_modal(QInputDialog, confirm_dialog)
    clicked(qtbot, counting, "确认结果…")
    raise_failures()
    assert confirmed_by == ["周文斌、吴海燕"]  # the 监票人 of the meeting, proposed
    assert "已当选：王建华、李红梅、张国强" in counting.result_label.text()
    assert "委员选举完毕。" in counting.result_label.text()
    committee_tally = figures

    # ---- 书记: among the committee just elected, two names approved --------------------
    chosen(counting.contest_box, "书记")
    assert counting.candidates_button.isVisible()

    def approve(dialog: QWidget) -> None:
        assert isinstance(dialog, CandidateDialog)
        names = dialog.findChild(QListWidget)
        assert [names.item(i).text() for i in range(names.count())] == [
            "王建华",
            "李红梅",
            "张国强",
        ]
        names.item(2).setCheckState(Qt.CheckState.Unchecked)
        clicked(qtbot, dialog, "确定")

    when_modal(CandidateDialog, approve)
    clicked(qtbot, counting, "确定候选人…")
    raise_failures()
    answer_dialog(number=18)
    clicked(qtbot, counting, "开始投票")
    assert counting.round_label.text().startswith("第 1 轮（正式选举，应选 1 名）")
    typed(qtbot, counting.collected, "18")
    clicked(qtbot, counting, "登记选票数")
    back_to(qtbot, window)
    qtbot.mouseClick(counting.editor, Qt.MouseButton.LeftButton)
    assert [counting.editor.grid.itemAtPosition(r, 1).widget().text() for r in range(2)] == [
        "王建华",
        "李红梅",
    ]
    for keys in [("1", "Enter")] * 12 + [("2", "Enter")] * 5 + [("/",)]:
        press(qtbot, counting, *keys)
    assert "发出 18 张　收回 18 张　已录入 18 张　有效 18　无效 0" in counting.summary.text()
    secretary_tally = {
        row[1]: list(row[2:5]) for row in zip(*(column(tally, c) for c in range(6)), strict=True)
    }
    assert secretary_tally == {"王建华": ["12", "0", "6"], "李红梅": ["5", "0", "13"]}
    clicked(qtbot, counting, "结束计票")
    finished: list[str] = []
    answer_message(Qt.Key.Key_Escape, finished)  # 选举完毕: export later, from the menu
    when_modal(QInputDialog, confirm_dialog)
    clicked(qtbot, counting, "确认结果…")
    raise_failures()
    assert "全部选举已经完毕" in finished[0] and "文件 → 导出归档材料…" in finished[0]
    assert "已当选：王建华" in counting.result_label.text()
    assert counting.export_button.isVisible()

    # ---- 文件 → 导出归档材料… ----------------------------------------------------------
    out = tmp_path / "归档"
    out.mkdir()

    def pick_folder(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(out))
        dialog.accept()

    exported: list[str] = []
    when_modal(QFileDialog, pick_folder)
    answer_message(Qt.Key.Key_Return, exported)
    menu_action(window, "文件", "导出归档材料…").trigger()
    qtbot.waitUntil(lambda: bool(exported), timeout=30_000)
    raise_failures()
    assert exported[0].startswith("已导出 18 个文件到") and "未完成" not in exported[0]
    (packet,) = [p for p in out.iterdir() if p.is_dir()]

    # ---- the files written, read back against what the screen showed ------------------
    def table_of(document: docx.document.Document, index: int) -> dict[str, list[str]]:
        rows = document.tables[index].rows
        return {
            row.cells[0].text.removesuffix("（另选他人）"): [c.text for c in row.cells[1:4]]
            for row in rows[1:]
        }

    def as_shown(tally: dict[str, list[str]]) -> dict[str, list[str]]:
        return {name: [v or "—" for v in votes] for name, votes in tally.items()}

    sheet = docx.Document(str(packet / "03-计票结果报告单-01委员-第1轮.docx"))
    lines = [p.text for p in sheet.paragraphs]
    assert table_of(sheet, 0) == as_shown(committee_tally)
    assert (
        "实到会有选举权的党员 18 人，发出选票 18 张，收回选票 18 张，其中有效票 17 张，"
        "无效票 1 张（其中所选人数多于应选人数 1 张）。"
    ) in lines
    assert "发出 18 张　收回 18 张　已录入 18 张　有效 17　无效 1" in committee_summary
    assert "当选（按姓氏笔画为序）：王建华、李红梅、张国强。" in lines
    assert "按规定，得票超过实到会有选举权人数的半数（10 票以上）始得当选。" in lines
    secretary_sheet = docx.Document(str(packet / "03-计票结果报告单-02书记-第1轮.docx"))
    assert table_of(secretary_sheet, 0) == secretary_tally

    minutes = docx.Document(str(packet / "01-选举大会会议记录.docx"))
    lines = [p.text for p in minutes.paragraphs]
    assert "地点：机关三楼会议室" in lines and "主持人：孙立新" in lines
    assert "大会推选：总监票人 周文斌，监票人 吴海燕，计票人 郑晓东。" in lines
    attendance = next(line for line in lines if line.startswith("本次选举大会应到会"))
    assert "应到会有选举权的党员 20 人，实到会 18 人" in attendance
    assert "应到 20　实到 18" in election_figures
    assert "书记选举结果：王建华当选（按姓氏笔画为序）。" in lines

    book = openpyxl.load_workbook(packet / "08-计票统计表.xlsx")
    assert book["名册与签到"]["A2"].value == "选举已结束：各轮结果均已确认"
    summary_sheet = book["项目1-第1轮-汇总"]
    values = {row[0]: row[1] for row in summary_sheet.iter_rows(values_only=True)}
    assert (values["有效票"], values["无效票"], values["当选所需最少赞成票"]) == (17, 1, 10)
    votes = {
        row[0]: [str(v) if v is not None else "" for v in row[2:5]]
        for row in summary_sheet.iter_rows(values_only=True)
        if row[1] in ("候选人", "另选他人")
    }
    assert votes == committee_tally
    ranking_sheet = book["推荐统计"]
    rows_read = list(ranking_sheet.iter_rows(values_only=True))
    header = next(n for n, row in enumerate(rows_read) if row[0] == "名次")
    ranked = [
        (row[1], str(row[2]), str(row[3]), str(row[6]), "✓" if row[8] == "是" else "")
        for row in rows_read[header + 1 : header + 7]
    ]
    assert ranked == shown
    review_rows = {
        row[2]: (row[5], row[6])
        for row in ranking_sheet.iter_rows(values_only=True)
        if row[1] == "委员" and row[5] in ("通过", "不通过")
    }
    assert review_rows["赵志刚"] == ("不通过", "党龄不足两年")
