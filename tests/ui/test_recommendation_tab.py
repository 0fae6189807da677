"""The 民主推荐 tab: seed 1 entered as a user would, forms by keyboard, review and close (#6)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QScrollArea, QWidget

from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.ui.main_window import MainWindow
from gongtui_desktop.ui.projector import ProjectorMode
from gongtui_desktop.ui.recommendation_tab import RecommendationTab

# Seed 1: 34 forms issued, 31 returned; six names; five 初步人选.
SEED1 = (
    ("xsz", 17, 10),  # 项上桢
    ("gwm", 15, 11),  # 郭卫民
    ("cxh", 12, 6),  # 陈晓红
    ("ljg", 9, 8),  # 刘建国
    ("zlp", 8, 5),  # 周丽萍
    ("wht", 3, 2),  # 吴海涛
)


def open_tab(window: MainWindow, tmp_path: Path) -> RecommendationTab:
    window.open_file(write_demo(tmp_path / "demo.gongtui"))
    tab = window.recommendation
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    return tab


def settings(tab: RecommendationTab, committee: int) -> None:
    tab.seat_boxes[Position.COMMITTEE].setValue(committee)
    tab.count_boxes[("member", "issued")].setValue(20)
    tab.count_boxes[("member", "returned")].setValue(19)
    tab.count_boxes[("mass", "issued")].setValue(14)
    tab.count_boxes[("mass", "returned")].setValue(12)
    tab.ratio.setText("40")
    tab.max_age.setValue(0)
    assert tab.save_settings()


def test_seed1_hand_counted_totals_give_five_preliminary_candidates(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = open_tab(window, tmp_path)
    settings(tab, 3)
    tab.pages.setCurrentIndex(1)
    for initials, member, mass in SEED1:
        for kind, votes in (("member", member), ("mass", mass)):
            qtbot.keyClicks(tab.total_person.edit, initials)
            qtbot.keyClick(tab.total_person.edit, Qt.Key.Key_Return)
            tab.total_kind.setCurrentIndex(tab.total_kind.findData(kind))
            tab.total_votes.setValue(votes)
            tab.total_button.click()
    assert "收回 31 张（发出 34 张，收回率 91.18%）" in tab.forms_label.text()
    tab.pages.setCurrentIndex(2)
    cell = lambda r, c: tab.ranking.item(r, c).text()  # noqa: E731
    assert tab.ranking.rowCount() == 6
    assert [cell(r, 1) for r in range(6)] == [
        "项上桢",
        "郭卫民",
        "陈晓红",
        "刘建国",
        "周丽萍",
        "吴海涛",
    ]
    assert [cell(r, 6) for r in range(6)] == ["27", "26", "18", "17", "13", "5"]
    assert cell(0, 7) == "17 + 10 = 27"
    assert [cell(r, 8) for r in range(6)] == ["✓"] * 5 + [""]
    assert "初步人选 5 名" in tab.line_label.text()
    assert tab.review.rowCount() == 5

    # The projector can show the ranking.
    tab.projector_button.click()
    assert window.projector is not None and window.projector.mode is ProjectorMode.RECOMMENDATION
    before = window.projector.paints
    window.projector.grab()
    assert window.projector.paints == before + 1

    # Review decisions, then closing hands the approved people to the evaluation.
    for row in tab.review_rows:
        tab.set_decision(row.name, row.name != "周丽萍", "审查小组意见")
    tab.save_review()
    assert tab.close_stage()
    assert "初步人选已交民主测评：委员：项上桢、郭卫民、陈晓红、刘建国" in tab.message.text()
    assert not tab.commit_button.isEnabled()
    names = {p.id: p.person.name for p in tab.election.people()}
    assert [names[i] for i in tab.election.evaluation_candidates()] == [
        "项上桢",
        "郭卫民",
        "陈晓红",
        "刘建国",
    ]


def test_forms_by_keyboard(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = open_tab(window, tmp_path)
    settings(tab, 2)
    tab.pages.setCurrentIndex(1)
    picker = tab.pickers[Position.COMMITTEE]
    qtbot.keyClicks(picker.edit, "xsz")
    assert picker.hint.text() == "回车选：项上桢"
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    picker.edit.insert("卫民")  # Chinese arrives through the input method
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert [n for _, n in picker.chosen] == ["项上桢", "郭卫民"]
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(tab.election.recommendation_form_records()) == 1 and picker.chosen == []
    # Three names for two seats: shown as invalid for the position (N2), still entered.
    for initials in ("xsz", "gwm", "cxh"):
        qtbot.keyClicks(picker.edit, initials)
        qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert "本职务无效：推荐 3 人，多于职数 2 人" in picker.state.text()
    qtbot.keyClick(picker.edit, Qt.Key.Key_Backspace)  # empty field: drops the last name
    assert [n for _, n in picker.chosen] == ["项上桢", "郭卫民"]
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    tab.channel.setCurrentIndex(tab.channel.findData("mass"))
    qtbot.keyClicks(picker.edit, "cxh")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    tab.undo_form()
    assert len(tab.election.recommendation_form_records()) == 2
    tab.pages.setCurrentIndex(2)
    figures = {
        tab.ranking.item(r, 1).text(): (
            tab.ranking.item(r, 2).text(),
            tab.ranking.item(r, 3).text(),
        )
        for r in range(tab.ranking.rowCount())
    }
    assert figures == {"项上桢": ("2", "0"), "郭卫民": ("2", "0")}


def test_rules_per_position_and_fixed_once_entry_starts(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from fractions import Fraction

    tab = open_tab(window, tmp_path)
    settings(tab, 3)
    tab.settings_position.setCurrentIndex(tab.settings_position.findData(Position.SECRETARY.value))
    tab.seat_boxes[Position.SECRETARY].setValue(1)
    tab.ratio.setText("100")
    tab.min_years.setValue(5)
    assert tab.save_settings()
    rules = tab.election.recommendation_settings()
    assert (
        rules[Position.SECRETARY][1].ratio == 1
        and rules[Position.SECRETARY][2].min_party_years == 5
    )
    assert rules[Position.COMMITTEE][1].ratio == Fraction(2, 5)
    tab.ratio.setText("abc")
    assert not tab.save_settings() and "不是数字" in tab.message.text()
    # Once a form is entered the rules are fixed; seats and form counts are not rules.
    picker = tab.pickers[Position.COMMITTEE]
    qtbot.keyClicks(picker.edit, "xsz")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    tab.commit_form()
    tab.refresh()
    assert not tab.ratio.isEnabled() and not tab.method.isEnabled()
    assert tab.count_boxes[("member", "issued")].isEnabled()


def test_weighted_rate_without_returned_forms_is_shown_in_red(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from gongtui_desktop.domain.nomination import ScoringMethod

    tab = open_tab(window, tmp_path)
    settings(tab, 3)
    tab.count_boxes[("mass", "issued")].setValue(0)
    tab.count_boxes[("mass", "returned")].setValue(0)
    tab.method.setCurrentIndex(tab.method.findData(ScoringMethod.WEIGHTED_RATE.value))
    assert tab.save_settings()
    tab.pages.setCurrentIndex(1)
    qtbot.keyClicks(tab.total_person.edit, "xsz")
    qtbot.keyClick(tab.total_person.edit, Qt.Key.Key_Return)
    tab.total_kind.setCurrentIndex(tab.total_kind.findData("mass"))
    tab.total_votes.setValue(10)
    tab.total_button.click()
    tab.pages.setCurrentIndex(2)
    assert "⚠ 委员：群众推荐有得票，但没有登记收回的推荐票数" in tab.line_label.text()
    assert "b00020" in tab.line_label.styleSheet()


def test_ctrl_enter_takes_a_name_still_typed_or_refuses_the_form(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Text left in a name field is never dropped: one person found is taken, none or
    several refuse the form and say why (N1, N2)."""
    tab = open_tab(window, tmp_path)
    settings(tab, 3)
    tab.pages.setCurrentIndex(1)
    picker = tab.pickers[Position.COMMITTEE]
    picker.edit.setFocus()
    qtbot.keyClicks(picker.edit, "xsz")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(picker.edit, "gwm")
    assert picker.hint.text() == "回车选：郭卫民"
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    forms = tab.election.recommendation_forms()
    assert len(forms) == 1
    assert forms[0][2][Position.COMMITTEE] == ["项上桢", "郭卫民"]
    assert tab.message.text() == "已录入" and picker.edit.text() == ""

    # "x" finds 项上桢 and 许静 equally well: the form is refused, the text stays.
    qtbot.keyClicks(picker.edit, "cxh")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(picker.edit, "x")
    assert picker.hint.text() == "回车选：项上桢（另有 1 人相符）"
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(tab.election.recommendation_forms()) == 1
    assert "没有录入" in tab.message.text()
    assert "“x”对应 2 人（项上桢、许静）" in tab.message.text()
    assert picker.edit.text() == "x" and [n for _, n in picker.chosen] == ["陈晓红"]
    assert "已录入" not in tab.message.text().replace("没有录入", "")

    # Nobody found: refused as well, through the button this time.
    picker.edit.clear()
    qtbot.keyClicks(picker.edit, "qqq")
    assert picker.hint.text() == "名册中没有"
    qtbot.mouseClick(tab.commit_button, Qt.MouseButton.LeftButton)
    assert len(tab.election.recommendation_forms()) == 1
    assert "“qqq”在名册中找不到" in tab.message.text()

    # Typed a little more: now one person, taken with the form.
    picker.edit.clear()
    qtbot.keyClicks(picker.edit, "xj")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    forms = tab.election.recommendation_forms()
    assert len(forms) == 2 and forms[1][2][Position.COMMITTEE] == ["陈晓红", "许静"]


def test_hand_counted_total_refuses_a_name_that_finds_several(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = open_tab(window, tmp_path)
    settings(tab, 3)
    tab.pages.setCurrentIndex(1)
    qtbot.keyClicks(tab.total_person.edit, "z")
    tab.total_votes.setValue(4)
    qtbot.mouseClick(tab.total_button, Qt.MouseButton.LeftButton)
    assert tab.election.recommendation_totals() == {}
    assert "“z”对应 5 人" in tab.message.text()
    tab.total_person.edit.clear()
    qtbot.keyClicks(tab.total_person.edit, "zlp")
    qtbot.mouseClick(tab.total_button, Qt.MouseButton.LeftButton)
    assert list(tab.election.recommendation_totals().values()) == [4]
    assert tab.message.text().startswith("已登记：周丽萍")


def button(page: QWidget, text: str) -> QPushButton:
    return next(b for b in page.findChildren(QPushButton) if b.text() == text)


def test_seats_default_to_the_contests_and_the_ratio_is_in_percent(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The demo plans 3 委员: the settings propose 3 (not 0) and the first form records
    them; 差额比例 reads 40 %, and the old way of writing it, 0.4, is refused."""
    from fractions import Fraction

    tab = open_tab(window, tmp_path)
    assert tab.election.recommendation_seats() == {}
    tab.pages.setCurrentIndex(0)
    assert tab.seat_boxes[Position.COMMITTEE].value() == 3
    assert tab.seat_boxes[Position.SECRETARY].value() == 0
    assert tab.seats_note.text().startswith("按选举方案预填")
    assert tab.ratio.text() == "40"
    tab.ratio.setFocus()
    tab.ratio.selectAll()
    qtbot.keyClicks(tab.ratio, "0.4")
    qtbot.mouseClick(button(tab, "保存设置"), Qt.MouseButton.LeftButton)
    assert "差额比例按百分数填写：40% 就填 40" in tab.message.text()
    assert tab.election.recommendation_seats() == {}
    tab.ratio.selectAll()
    qtbot.keyClicks(tab.ratio, "60%")
    tab.max_age.setValue(0)
    qtbot.mouseClick(button(tab, "保存设置"), Qt.MouseButton.LeftButton)
    assert tab.message.text() == "设置已保存"
    rules = tab.election.recommendation_settings()
    assert rules[Position.COMMITTEE][0] == 3 and rules[Position.COMMITTEE][1].ratio == Fraction(
        3, 5
    )
    assert tab.ratio.text() == "60" and not tab.seats_note.isVisible()


def test_the_first_form_records_the_proposed_seats(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tab = open_tab(window, tmp_path)
    tab.pages.setCurrentIndex(1)
    picker = tab.pickers[Position.COMMITTEE]
    assert picker.field_name() == "委员（3 名）"
    picker.edit.setFocus()
    for initials in ("xsz", "gwm", "cxh", "ljg"):
        qtbot.keyClicks(picker.edit, initials)
        qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert "多于职数 3 人" in picker.state.text()
    qtbot.keyClick(picker.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.message.text() == "已录入"
    assert tab.election.recommendation_seats() == {Position.COMMITTEE: 3}
    assert tab.election.recommendation_forms()[0][2][Position.COMMITTEE] == [
        "项上桢",
        "郭卫民",
        "陈晓红",
    ]


def test_every_page_fits_a_1024_pixel_screen(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """1024×768 (a laptop mirrored to an old projector): no page scrolls sideways."""
    tab = open_tab(window, tmp_path)
    window.resize(1024, 768)
    scroller = tab.parentWidget().parentWidget()
    assert isinstance(scroller, QScrollArea)
    for index in range(tab.pages.count()):
        tab.pages.setCurrentIndex(index)
        qtbot.wait(10)
        assert tab.pages.widget(index).minimumSizeHint().width() <= 1000, tab.pages.tabText(index)
        assert scroller.horizontalScrollBar().maximum() == 0, tab.pages.tabText(index)
