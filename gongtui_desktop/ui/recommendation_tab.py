"""Tab 民主推荐: settings, forms by keyboard or hand-counted totals, live ranking, review (N1–N6)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.domain.nomination import ScoringMethod, Weights, judge_form
from gongtui_desktop.domain.numbers import decimal_text, parse_decimal, percent
from gongtui_desktop.domain.plan import NominationSettings
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.domain.review import ReviewConditions
from gongtui_desktop.services.recommendation import (
    CHANNEL_LABELS,
    PositionRanking,
    close_recommendation,
    planned_seats,
    rankings,
    record_planned_seats,
    review_rows,
)
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.ui.name_picker import NamePicker
from gongtui_desktop.ui.percent_edit import PercentEdit

SHORTLIST_BRUSH = QBrush(QColor("#d9f2d9"))
TIED_BRUSH = QBrush(QColor("#fff2cc"))
FORM_CHANNEL_LABELS = {"member": "党员推荐票", "mass": "群众推荐票"}


class RecommendationTab(QWidget):
    """The recommendation stage of the election file."""

    ranking_changed = Signal()
    stage_closed = Signal()

    def __init__(self, election: ElectionFile, operator: str) -> None:
        super().__init__()
        self.election = election
        self.operator = operator
        self.pages = QTabWidget()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.pages.addTab(self._settings_page(), "推荐设置")
        self.pages.addTab(self._entry_page(), "录入推荐票")
        self.pages.addTab(self._ranking_page(), "排名与资格审查")
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.commit_form)
        self.refresh()

    # ---- settings --------------------------------------------------------------

    def _settings_page(self) -> QWidget:
        page = QWidget()
        self.seat_boxes: dict[Position, QSpinBox] = {}
        seats = QGroupBox("推荐的职务和职数（0 表示不推荐）")
        seats_form = QFormLayout(seats)
        for position in Position:
            box = QSpinBox()
            box.setRange(0, 99)
            box.setMaximumWidth(90)
            self.seat_boxes[position] = box
            seats_form.addRow(position.label + "：", box)
        self.seats_note = QLabel("")
        self.seats_note.setWordWrap(True)
        self.seats_note.setStyleSheet("color: #555;")
        seats_form.addRow(self.seats_note)
        self.settings_position = QComboBox()
        for position in Position:
            self.settings_position.addItem(position.label, position.value)
        self.settings_position.currentIndexChanged.connect(self._load_rules)
        scoring = QGroupBox("计分方法和初步人选差额比例")
        scoring_form = QFormLayout(scoring)
        scoring_form.addRow("以下规则适用于：", self.settings_position)
        self.method = QComboBox()
        for method in ScoringMethod:
            self.method.addItem(method.label, method.value)
        self.weights = {key: QLineEdit() for key in ("member", "mass", "organization", "self")}
        self.ratio = PercentEdit("差额比例")
        scoring_form.addRow("方法：", self.method)
        weights = QGridLayout()
        for index, (key, edit) in enumerate(self.weights.items()):
            edit.setMaximumWidth(80)
            weights.addWidget(QLabel(CHANNEL_LABELS[key]), index // 2, (index % 2) * 2)
            weights.addWidget(edit, index // 2, (index % 2) * 2 + 1)
        weights.setColumnStretch(4, 1)
        scoring_form.addRow("权重：", weights)
        scoring_form.addRow("差额比例：", self.ratio.with_sign())
        conditions = QGroupBox("资格条件")
        conditions_form = QFormLayout(conditions)
        self.full_member = QCheckBox("须为中共正式党员")
        self.full_rights = QCheckBox("未受留党察看处分、未被留置或逮捕")
        self.local = QCheckBox("组织关系在本单位")
        self.min_years = QSpinBox()
        self.min_years.setRange(0, 60)
        self.min_years.setSpecialValueText("不限")
        self.max_age = QSpinBox()
        self.max_age.setRange(0, 100)
        self.max_age.setSpecialValueText("不限")
        for box in (self.full_member, self.full_rights, self.local):
            conditions_form.addRow(box)
        conditions_form.addRow("党龄（年以上）：", self.min_years)
        conditions_form.addRow("年龄（周岁以下）：", self.max_age)
        counts = QGroupBox("推荐票发出和收回")
        counts_form = QFormLayout(counts)
        self.count_boxes: dict[tuple[str, str], QSpinBox] = {}
        for channel, label in FORM_CHANNEL_LABELS.items():
            row = QHBoxLayout()
            for which in ("issued", "returned"):
                box = QSpinBox()
                box.setRange(0, 100_000)
                box.setMaximumWidth(90)
                self.count_boxes[(channel, which)] = box
                row.addWidget(QLabel("发出" if which == "issued" else "收回"))
                row.addWidget(box)
            row.addStretch(1)
            counts_form.addRow(label + "：", row)
        self.save_settings_button = QPushButton("保存设置")
        self.save_settings_button.clicked.connect(self.save_settings)
        # Two rows of two groups: three groups side by side needed 1,125 pixels, more than
        # a 1024-pixel screen has.
        grid = QGridLayout()
        grid.addWidget(seats, 0, 0)
        grid.addWidget(counts, 0, 1)
        grid.addWidget(scoring, 1, 0)
        grid.addWidget(conditions, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(grid)
        layout.addWidget(self.save_settings_button)
        layout.addStretch(1)
        return page

    def _load_settings(self) -> None:
        seats = planned_seats(self.election)
        for position, box in self.seat_boxes.items():
            box.setValue(seats.get(position, 0))
        proposed = seats and not self.election.recommendation_seats()
        self.seats_note.setText(
            "按选举方案预填：保存设置或录入第一张推荐票时记入选举文件" if proposed else ""
        )
        self.seats_note.setVisible(bool(proposed))
        self._load_rules()
        counts = self.election.form_counts("recommendation")
        for (channel, which), box in self.count_boxes.items():
            issued, returned = counts.get(channel, (0, 0))
            box.setValue(issued if which == "issued" else returned)

    def _rules(self, position: Position) -> tuple[NominationSettings, ReviewConditions]:
        plan = self.election.plan()
        settings = self.election.recommendation_settings().get(position)
        return (plan.nomination, plan.review) if settings is None else (settings[1], settings[2])

    def _load_rules(self) -> None:
        """The chosen position's scoring, ratio and conditions; fixed once entry has started."""
        nomination, review = self._rules(Position(self.settings_position.currentData()))
        self.method.setCurrentIndex(self.method.findData(nomination.method.value))
        w = nomination.weights
        for key, value in (
            ("member", w.member),
            ("mass", w.mass),
            ("organization", w.organization),
            ("self", w.self_nominated),
        ):
            self.weights[key].setText(decimal_text(value))
        self.ratio.set_share(nomination.ratio)
        self.full_member.setChecked(review.require_full_member)
        self.full_rights.setChecked(review.require_full_rights)
        self.local.setChecked(review.require_local_relation)
        self.min_years.setValue(review.min_party_years or 0)
        self.max_age.setValue(review.max_age or 0)
        fixed = self.election.recommendation_started()
        for widget in (
            self.method,
            self.ratio,
            *self.weights.values(),
            self.full_member,
            self.full_rights,
            self.local,
            self.min_years,
            self.max_age,
        ):
            widget.setEnabled(not fixed)

    def save_settings(self) -> bool:
        """Seats of every position, then the chosen position's rules; form counts (N1)."""
        try:
            weights = Weights(
                *(
                    parse_decimal(self.weights[k].text(), f"{CHANNEL_LABELS[k]}权重")
                    for k in ("member", "mass", "organization", "self")
                )
            )
            ratio = self.ratio.share()
            position = Position(self.settings_position.currentData())
            nomination = NominationSettings(
                ScoringMethod(self.method.currentData()), weights, ratio
            )
            review = ReviewConditions(
                self.full_member.isChecked(),
                self.full_rights.isChecked(),
                self.min_years.value() or None,
                self.max_age.value() or None,
                self.local.isChecked(),
            )
            current = self.election.recommendation_seats()
            for other, box in self.seat_boxes.items():
                if box.value() and box.value() != current.get(other):
                    self.election.set_recommendation_seats(self.operator, other, box.value())
            chosen_seats = self.seat_boxes[position].value()
            if chosen_seats and (nomination, review) != self._rules(position):
                self.election.set_recommendation_position(
                    self.operator, position, chosen_seats, nomination, review
                )
            counts = self.election.form_counts("recommendation")
            for channel in FORM_CHANNEL_LABELS:
                issued = self.count_boxes[(channel, "issued")].value()
                returned = self.count_boxes[(channel, "returned")].value()
                if (issued, returned) != counts.get(channel, (0, 0)):
                    self.election.set_form_count(
                        self.operator, "recommendation", channel, issued, returned
                    )
        except (ValueError, ElectionFileError) as error:
            self.message.setText(f"没有保存：{error}")
            return False
        self.message.setText("设置已保存")
        self.refresh()
        return True

    # ---- entering forms --------------------------------------------------------

    def _entry_page(self) -> QWidget:
        page = QWidget()
        self.channel = QComboBox()
        for channel, label in FORM_CHANNEL_LABELS.items():
            self.channel.addItem(label, channel)
        self.pickers_box = QVBoxLayout()
        self.pickers: dict[Position, NamePicker] = {}
        self.commit_button = QPushButton("录入这张推荐票（Ctrl+Enter）")
        self.commit_button.clicked.connect(self.commit_form)
        self.undo_button = QPushButton("撤销上一张")
        self.undo_button.clicked.connect(self.undo_form)
        self.forms_label = QLabel("")
        totals = QGroupBox("手工汇总的票数、组织推荐和个人自荐")
        totals_layout = QGridLayout(totals)
        self.total_position = QComboBox()
        self.total_kind = QComboBox()
        for key, label in CHANNEL_LABELS.items():
            self.total_kind.addItem(label + ("票数" if key in FORM_CHANNEL_LABELS else ""), key)
        self.total_votes = QSpinBox()
        self.total_votes.setRange(0, 100_000)
        self.total_note = QLineEdit()
        self.total_note.setPlaceholderText("说明（组织推荐、自荐）")
        self.total_person = NamePicker("人员：", [], single=True)
        self.total_button = QPushButton("登记")
        self.total_button.clicked.connect(self.record_total)
        # Two short rows rather than one long one: the line fits a 1024-pixel screen.
        self.total_votes.setMaximumWidth(100)
        top_left = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        totals_layout.addWidget(QLabel("职务："), 0, 0, top_left)
        totals_layout.addWidget(self.total_position, 0, 1, top_left)
        totals_layout.addWidget(self.total_person, 0, 2, 1, 4)
        totals_layout.addWidget(QLabel("登记："), 1, 0)
        totals_layout.addWidget(self.total_kind, 1, 1)
        totals_layout.addWidget(self.total_votes, 1, 2)
        totals_layout.addWidget(self.total_note, 1, 3, 1, 2)
        totals_layout.addWidget(self.total_button, 1, 5)
        totals_layout.setColumnStretch(3, 1)
        top = QHBoxLayout()
        top.addWidget(QLabel("本张是："))
        top.addWidget(self.channel)
        top.addStretch(1)
        top.addWidget(self.forms_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.commit_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addLayout(self.pickers_box)
        layout.addLayout(buttons)
        layout.addStretch(1)
        layout.addWidget(totals)
        return page

    def _people(self) -> list[tuple[int, str]]:
        return [(p.id, p.person.name) for p in self.election.people() if p.left_on is None]

    def _build_pickers(self) -> None:
        seats = planned_seats(self.election)
        people = self._people()
        while self.pickers_box.count():
            widget = self.pickers_box.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.pickers = {}
        for position in Position:
            if position in seats:
                picker = NamePicker(f"{position.label}（{seats[position]} 名）：", people)
                picker.changed.connect(lambda p=position: self._judge(p))
                picker.commit_requested.connect(self.commit_form)
                self.pickers_box.addWidget(picker)
                self.pickers[position] = picker
        self.total_person.people = people
        self.total_position.clear()
        for position in seats:
            self.total_position.addItem(position.label, position.value)

    def _judge(self, position: Position) -> None:
        picker = self.pickers[position]
        seats = planned_seats(self.election)[position]
        judgement = judge_form([name for _, name in picker.chosen], seats)
        picker.state.setText("" if judgement.valid else f"本职务无效：{judgement.reason}")
        picker.state.setStyleSheet("color: #b00020;" if not judgement.valid else "")

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;")

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("")

    def commit_form(self) -> bool:
        """Ctrl+Enter or the button: names still typed in a field are taken when they find
        exactly one person, otherwise nothing is saved and the field says why."""
        if not self.pickers:
            return False
        for picker in self.pickers.values():
            problem = picker.take_pending()
            if problem is not None:
                self._refuse(f"这张推荐票没有录入：{problem}")
                picker.edit.setFocus()
                return False
        names = {position: list(picker.chosen) for position, picker in self.pickers.items()}
        try:
            record_planned_seats(self.election, self.operator)
            self.election.enter_recommendation_form(
                self.operator, str(self.channel.currentData()), names
            )
        except ElectionFileError as error:
            self._refuse(str(error))
            return False
        for picker in self.pickers.values():
            picker.clear()
        first = next(iter(self.pickers.values()))
        first.edit.setFocus()
        self._say("已录入" if any(names.values()) else "已录入一张空白推荐票（有效，未推荐任何人）")
        self.refresh_ranking()
        return True

    def undo_form(self) -> None:
        forms = self.election.recommendation_form_records()
        if not forms:
            return
        try:
            self.election.withdraw_recommendation_form(self.operator, forms[-1][0])
        except ElectionFileError as error:
            self.message.setText(str(error))
            return
        self.message.setText(f"已撤销第 {forms[-1][1]} 张推荐票（记录保留）")
        self.refresh_ranking()

    def record_total(self) -> bool:
        problem = self.total_person.take_pending()
        if problem is not None:
            self._refuse(f"没有登记：{problem}")
            return False
        if not self.total_person.chosen or self.total_position.currentData() is None:
            self._refuse("请选择职务和人员")
            return False
        person_id, name = self.total_person.chosen[0]
        position = Position(self.total_position.currentData())
        kind = str(self.total_kind.currentData())
        try:
            record_planned_seats(self.election, self.operator)
            if kind in FORM_CHANNEL_LABELS:
                self.election.set_recommendation_total(
                    self.operator, position, person_id, kind, self.total_votes.value()
                )
            else:
                self.election.add_nomination(
                    self.operator, position, person_id, kind, self.total_note.text().strip()
                )
        except ElectionFileError as error:
            self.message.setText(str(error))
            return False
        self._say(f"已登记：{name} {CHANNEL_LABELS[kind]}")
        self.total_person.clear()
        self.total_note.clear()
        self.refresh_ranking()
        return True

    # ---- ranking and review ----------------------------------------------------

    def _ranking_page(self) -> QWidget:
        page = QWidget()
        self.ranking_position = QComboBox()
        self.ranking_position.currentIndexChanged.connect(self.refresh_ranking)
        self.line_label = QLabel("")
        self.ranking = QTableWidget(0, 9)
        self.ranking.setHorizontalHeaderLabels(
            ("名次", "姓名", "党员推荐", "群众推荐", "组织推荐", "自荐", "得分", "计算", "初步人选")
        )
        self.ranking.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.ranking.horizontalHeader().setStretchLastSection(True)
        self.review = QTableWidget(0, 5)
        self.review.setHorizontalHeaderLabels(("职务", "姓名", "对照资格条件", "审查决定", "说明"))
        self.review.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.review.horizontalHeader().setStretchLastSection(True)
        self.ranking.verticalHeader().setVisible(False)
        self.review.verticalHeader().setVisible(False)
        self.save_review_button = QPushButton("保存审查决定")
        self.save_review_button.clicked.connect(self.save_review)
        self.publicity_start = QDateEdit(QDate.currentDate())
        self.publicity_end = QDateEdit(QDate.currentDate().addDays(5))
        for edit in (self.publicity_start, self.publicity_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy年M月d日")
        self.publicity_button = QPushButton("登记公示日期")
        self.publicity_button.clicked.connect(self.save_publicity)
        self.close_button = QPushButton("结束民主推荐…")
        self.close_button.clicked.connect(self.ask_close)
        self.projector_button = QPushButton("在投影上显示排名")
        top = QHBoxLayout()
        top.addWidget(QLabel("职务："))
        top.addWidget(self.ranking_position)
        top.addWidget(self.line_label, 1)
        top.addWidget(self.projector_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_review_button)
        bottom.addWidget(QLabel("公示："))
        bottom.addWidget(self.publicity_start)
        bottom.addWidget(QLabel("至"))
        bottom.addWidget(self.publicity_end)
        bottom.addWidget(self.publicity_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.ranking, 3)
        layout.addWidget(QLabel("资格审查（初步人选逐一对照资格条件，审查小组作出决定）"))
        layout.addWidget(self.review, 2)
        layout.addLayout(bottom)
        return page

    def current_ranking(self) -> PositionRanking | None:
        wanted = self.ranking_position.currentData()
        for ranking in rankings(self.election):
            if ranking.position.value == wanted:
                return ranking
        return None

    def refresh(self) -> None:
        self._load_settings()
        self._build_pickers()
        open_stage = self.election.stage_status("recommendation") == "open"
        for widget in (
            self.save_settings_button,
            self.commit_button,
            self.undo_button,
            self.total_button,
            self.save_review_button,
            self.close_button,
            self.publicity_button,
        ):
            widget.setEnabled(open_stage and not self.election.read_only)
        keep = self.ranking_position.currentData()
        self.ranking_position.blockSignals(True)
        self.ranking_position.clear()
        for position in self.election.recommendation_seats():
            self.ranking_position.addItem(position.label, position.value)
        index = self.ranking_position.findData(keep)
        self.ranking_position.setCurrentIndex(max(0, index))
        self.ranking_position.blockSignals(False)
        self.refresh_ranking()
        if not open_stage:
            self.message.setText("民主推荐已经结束：以上为最终结果。")

    def refresh_ranking(self) -> None:
        forms = self.election.recommendation_form_records()
        counts = self.election.form_counts("recommendation")
        returned = sum(r for _, r in counts.values())
        issued = sum(i for i, _ in counts.values())
        self.forms_label.setText(
            f"已录入 {len(forms)} 张 / 收回 {returned} 张（发出 {issued} 张，收回率 {percent(Fraction(returned, issued)) if issued else '—'}）"
        )
        ranking = self.current_ranking()
        self.ranking.setRowCount(0)
        if ranking is not None:
            shortlist = ranking.result.shortlist
            self.line_label.setText(
                f"初步人选 {shortlist.size} 名（⌈{ranking.seats} ×（1 + {percent(ranking.ratio, 0)}）⌉）"
                + (
                    f"；{'、'.join(ranking.name(k) for k in shortlist.tied_at_cutoff)} 在线上得分相同，全部保留"
                    if shortlist.tied_at_cutoff
                    else ""
                )
                + "".join(f"\n⚠ {problem}" for problem in ranking.problems)
            )
            self.line_label.setStyleSheet("color: #b00020;" if ranking.problems else "")
            for row, (key, score_value) in enumerate(shortlist.ranking):
                tally = ranking.tallies[key]
                score = ranking.result.scores[key]
                chosen = key in shortlist.chosen
                cells = (
                    str(row + 1),
                    ranking.name(key),
                    str(tally.member),
                    str(tally.mass),
                    "是" if tally.organization else "",
                    "是" if tally.self_nominated else "",
                    decimal_text(score_value),
                    score.formula,
                    ("✓ 并列" if key in shortlist.tied_at_cutoff else "✓") if chosen else "",
                )
                self.ranking.insertRow(row)
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if chosen:
                        item.setBackground(
                            TIED_BRUSH if key in shortlist.tied_at_cutoff else SHORTLIST_BRUSH
                        )
                    self.ranking.setItem(row, column, item)
        self._show_review()
        self.ranking_changed.emit()

    def _show_review(self) -> None:
        self.review_rows = review_rows(self.election)
        self.review.setRowCount(len(self.review_rows))
        for row, item in enumerate(self.review_rows):
            self.review.setItem(row, 0, QTableWidgetItem(item.position.label))
            self.review.setItem(row, 1, QTableWidgetItem(item.name))
            failures = "；".join(f.detail for f in item.check.failures)
            result = QTableWidgetItem(
                "符合全部条件" if item.check.eligible else f"不符合：{failures}"
            )
            result.setForeground(QBrush(QColor("#0a7a2f" if item.check.eligible else "#b00020")))
            self.review.setItem(row, 2, result)
            box = QComboBox()
            box.addItem("待定", None)
            box.addItem("通过", True)
            box.addItem("不通过", False)
            box.setCurrentIndex({None: 0, True: 1, False: 2}[item.decision])
            self.review.setCellWidget(row, 3, box)
            self.review.setCellWidget(row, 4, QLineEdit(item.note))

    def set_decision(self, name: str, passed: bool, note: str = "") -> None:
        for row, item in enumerate(self.review_rows):
            if item.name == name:
                self.review.cellWidget(row, 3).setCurrentIndex(1 if passed else 2)  # type: ignore[attr-defined]
                self.review.cellWidget(row, 4).setText(note)  # type: ignore[attr-defined]

    def save_review(self) -> None:
        try:
            for row, item in enumerate(self.review_rows):
                decision = self.review.cellWidget(row, 3).currentData()  # type: ignore[attr-defined]
                note = self.review.cellWidget(row, 4).text().strip()  # type: ignore[attr-defined]
                if decision is not None and (decision, note) != (item.decision, item.note):
                    self.election.decide_review(
                        self.operator, item.position, item.person_id, bool(decision), note
                    )
        except ElectionFileError as error:
            self.message.setText(str(error))
            return
        self.message.setText("审查决定已保存")
        self.refresh_ranking()

    def save_publicity(self) -> None:
        start, end = self.publicity_start.date(), self.publicity_end.date()
        try:
            self.election.set_publicity(
                self.operator,
                "recommendation",
                date(start.year(), start.month(), start.day()),
                date(end.year(), end.month(), end.day()),
            )
        except ElectionFileError as error:
            self.message.setText(str(error))
            return
        self.message.setText("公示日期已登记")

    def ask_close(self) -> None:
        answer = QMessageBox.question(
            self,
            "结束民主推荐",
            "结束后推荐结果和审查决定不能再修改（文件会自动备份）。现在结束吗？",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.close_stage()

    def close_stage(self) -> bool:
        try:
            approved = close_recommendation(self.election, self.operator)
        except ElectionFileError as error:
            self.message.setText(str(error))
            return False
        handed = "民主测评" if self.election.plan().has_evaluation else "选举候选人"
        names = "；".join(f"{p.label}：{'、'.join(n)}" for p, n in approved.items())
        self.refresh()
        self.message.setText(f"民主推荐已结束，通过资格审查的初步人选已交{handed}：{names}")
        self.stage_closed.emit()
        return True
