"""Tab 民主测评: settings, forms keyed as a grid, results with the veto and the 预备人选 (E1–E5)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from gongtui_desktop.domain.evaluation import (
    DIMENSIONS,
    RATING_ORDER,
    CandidateRating,
    EvaluationOptions,
    Overall,
    RaterGroup,
    Rating,
    ThresholdRule,
)
from gongtui_desktop.domain.numbers import decimal_text, parse_decimal, percent
from gongtui_desktop.services.evaluation import (
    GROUP_CHANNELS,
    PositionEvaluation,
    close_evaluation,
    closing_problems,
    evaluation_results,
    participation,
)
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.ui.percent_edit import PercentEdit

OVERALL_KEYS = {"1": Overall.SATISFIED, "2": Overall.BASICALLY, "3": Overall.UNSATISFIED}
PASS_BRUSH = QBrush(QColor("#d9f2d9"))
TIE_BRUSH = QBrush(QColor("#fff2cc"))
VETO_BRUSH = QBrush(QColor("#f8d7da"))


class GradeGrid(QTableWidget):
    """One form: people × 德能勤纪廉 + 总体评价. One key per cell and the cursor moves on:
    1 优 2 良 3 中 4 差 0 空白 (总体：1 满意 2 基本满意 3 不满意); * fills the row with 优;
    Backspace steps back and clears; Ctrl+Enter asks to commit."""

    commit_requested = Signal()

    def __init__(self) -> None:
        super().__init__(0, len(DIMENSIONS) + 1)
        self.setHorizontalHeaderLabels((*DIMENSIONS, "总体评价"))
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.labels: tuple[str, str, str, str] = ("优", "良", "中", "差")
        self.people: list[tuple[int, str]] = []
        self.grades: list[list[Rating | None]] = []
        self.overall: list[Overall | None] = []
        # Cells a key was pressed in: 0 is a blank the rater left, an unkeyed cell may be
        # a cell the operator skipped, so a form with unkeyed cells is asked about.
        self.keyed: set[tuple[int, int]] = set()

    def start(self, people: list[tuple[int, str]], labels: tuple[str, str, str, str]) -> None:
        self.people = people
        self.labels = labels
        self.setRowCount(len(people))
        self.setVerticalHeaderLabels([name for _, name in people])
        self.clear_form()

    def clear_form(self) -> None:
        self.grades = [[None] * len(DIMENSIONS) for _ in self.people]
        self.overall = [None for _ in self.people]
        self.keyed = set()
        for row in range(len(self.people)):
            for column in range(len(DIMENSIONS) + 1):
                self._show(row, column)
        if self.people:
            self.setCurrentCell(0, 0)

    def _show(self, row: int, column: int) -> None:
        if column < len(DIMENSIONS):
            grade = self.grades[row][column]
            text = "" if grade is None else self.labels[RATING_ORDER.index(grade)]
        else:
            overall = self.overall[row]
            text = "" if overall is None else overall.label
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setItem(row, column, item)

    def _advance(self, row: int, column: int) -> None:
        column += 1
        if column > len(DIMENSIONS):
            row, column = row + 1, 0
        if row < len(self.people):
            self.setCurrentCell(row, column)

    def set_cell(self, row: int, column: int, key: str, keyed: bool = True) -> None:
        if keyed:
            self.keyed.add((row, column))
        else:
            self.keyed.discard((row, column))
        if column < len(DIMENSIONS):
            self.grades[row][column] = None if key == "0" else RATING_ORDER[int(key) - 1]
        else:
            self.overall[row] = OVERALL_KEYS.get(key)
        self._show(row, column)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row, column = self.currentRow(), self.currentColumn()
        text = event.text()
        key = event.key()
        if (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.commit_requested.emit()
            return
        if row < 0 or not self.people:
            super().keyPressEvent(event)
            return
        valid = "01234" if column < len(DIMENSIONS) else "0123"
        if text and text in valid:
            self.set_cell(row, column, text)
            self._advance(row, column)
            return
        if text == "*":
            for dimension in range(len(DIMENSIONS)):
                self.set_cell(row, dimension, "1")
            self.setCurrentCell(row, len(DIMENSIONS))
            return
        if key == Qt.Key.Key_Backspace:
            back_row, back_column = (row, column - 1) if column > 0 else (row - 1, len(DIMENSIONS))
            if back_row >= 0:
                self.set_cell(back_row, back_column, "0", keyed=False)
                self.setCurrentCell(back_row, back_column)
            return
        super().keyPressEvent(event)

    def ratings(self) -> dict[int, CandidateRating]:
        return {
            person_id: CandidateRating(tuple(self.grades[row]), self.overall[row])
            for row, (person_id, _) in enumerate(self.people)
        }

    def empty(self) -> bool:
        """Nothing keyed at all (a form keyed 0 throughout is a blank form, not empty)."""
        return not self.keyed

    def cells(self) -> list[tuple[int, int]]:
        """The cells this form is expected to have: the five aspects of every row, and the
        overall column when the form uses it (some overall judgement was keyed)."""
        columns = len(DIMENSIONS) + (1 if any(c == len(DIMENSIONS) for _, c in self.keyed) else 0)
        return [(r, c) for r in range(len(self.people)) for c in range(columns)]

    def unkeyed(self) -> list[tuple[int, int]]:
        return [cell for cell in self.cells() if cell not in self.keyed]


class EvaluationTab(QWidget):
    """The evaluation stage of the election file."""

    results_changed = Signal()
    stage_closed = Signal()

    def __init__(self, election: ElectionFile, operator: str) -> None:
        super().__init__()
        self.election = election
        self.operator = operator
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.pages = QTabWidget()
        self.pages.addTab(self._settings_page(), "测评设置")
        self.pages.addTab(self._entry_page(), "录入测评表")
        self.pages.addTab(self._results_page(), "测评结果")
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        self.refresh()

    # ---- settings --------------------------------------------------------------

    def _settings_page(self) -> QWidget:
        page = QWidget()
        rules = QGroupBox("评价规则")
        form = QFormLayout(rules)
        self.threshold = PercentEdit("判定比例")
        self.threshold_rule = QComboBox()
        self.threshold_rule.addItem("超过", ThresholdRule.MORE_THAN.value)
        self.threshold_rule.addItem("达到", ThresholdRule.AT_LEAST.value)
        self.veto = QCheckBox("任一方面未评为“优”即取消候选人资格（一票否决）")
        self.labels = [QLineEdit() for _ in range(4)]
        self.points = [QSpinBox() for _ in range(4)]
        for box in self.points:
            box.setRange(0, 1000)
        self.dimension_weights = [QLineEdit() for _ in DIMENSIONS]
        for edit in self.dimension_weights:
            edit.setMaximumWidth(70)
        self.ratio = PercentEdit("预备人选差额比例")
        self.require_participation = QCheckBox("参与率须超过五分之四")
        threshold_row = QHBoxLayout()
        threshold_row.addWidget(QLabel("各方面“优”的比例须"))
        threshold_row.addWidget(self.threshold_rule)
        threshold_row.addWidget(self.threshold.with_sign(), 1)
        form.addRow("判定：", threshold_row)
        form.addRow(self.veto)
        grades = QGridLayout()
        grades.addWidget(QLabel("名称"), 0, 0)
        grades.addWidget(QLabel("分值"), 1, 0)
        for column, (label, points) in enumerate(zip(self.labels, self.points, strict=True), 1):
            label.setMaximumWidth(110)
            points.setMaximumWidth(110)
            grades.addWidget(label, 0, column)
            grades.addWidget(points, 1, column)
        grades.setColumnStretch(len(self.labels) + 1, 1)
        form.addRow("四个等次：", grades)
        weights_row = QHBoxLayout()
        for name, edit in zip(DIMENSIONS, self.dimension_weights, strict=True):
            weights_row.addWidget(QLabel(name))
            weights_row.addWidget(edit)
        weights_row.addStretch(1)
        form.addRow("各方面权重：", weights_row)
        form.addRow("预备人选差额比例：", self.ratio.with_sign())
        form.addRow(self.require_participation)
        counts = QGroupBox("测评表发出和收回")
        counts_form = QFormLayout(counts)
        self.count_boxes: dict[tuple[RaterGroup, str], QSpinBox] = {}
        for group in RaterGroup:
            row = QHBoxLayout()
            for which in ("issued", "returned"):
                box = QSpinBox()
                box.setRange(0, 100_000)
                box.setMaximumWidth(90)
                self.count_boxes[(group, which)] = box
                row.addWidget(QLabel("发出" if which == "issued" else "收回"))
                row.addWidget(box)
            row.addStretch(1)
            counts_form.addRow(f"{group.label}测评表：", row)
        self.save_settings_button = QPushButton("保存设置")
        self.save_settings_button.clicked.connect(self.save_settings)
        layout = QVBoxLayout(page)
        layout.addWidget(rules)
        layout.addWidget(counts)
        layout.addWidget(self.save_settings_button)
        layout.addStretch(1)
        return page

    def _load_settings(self) -> None:
        options = self.election.plan().evaluation
        self.threshold.set_share(options.threshold)
        self.threshold_rule.setCurrentIndex(
            self.threshold_rule.findData(options.threshold_rule.value)
        )
        self.veto.setChecked(options.veto)
        for edit, label in zip(self.labels, options.labels, strict=True):
            edit.setText(label)
        for box, points in zip(self.points, options.points, strict=True):
            box.setValue(points)
        for edit, weight in zip(self.dimension_weights, options.weights, strict=True):
            edit.setText(decimal_text(weight))
        self.ratio.set_share(options.ratio)
        self.require_participation.setChecked(options.require_participation)
        counts = self.election.form_counts("evaluation")
        for (group, which), box in self.count_boxes.items():
            issued, returned = counts.get(GROUP_CHANNELS[group], (0, 0))
            box.setValue(issued if which == "issued" else returned)
        fixed = bool(self.election.evaluation_form_ids())
        for widget in (
            self.threshold,
            self.threshold_rule,
            self.veto,
            *self.labels,
            *self.points,
            *self.dimension_weights,
            self.ratio,
            self.require_participation,
        ):
            widget.setEnabled(not fixed)

    def save_settings(self) -> bool:
        try:
            options = EvaluationOptions(
                threshold=self.threshold.share(),
                threshold_rule=ThresholdRule(self.threshold_rule.currentData()),
                veto=self.veto.isChecked(),
                labels=tuple(edit.text().strip() for edit in self.labels),  # type: ignore[arg-type]
                points=tuple(box.value() for box in self.points),  # type: ignore[arg-type]
                weights=tuple(
                    parse_decimal(edit.text(), f"“{d}”的权重")
                    for d, edit in zip(DIMENSIONS, self.dimension_weights, strict=True)
                ),
                ratio=self.ratio.share(),
                require_participation=self.require_participation.isChecked(),
            )
            if len(set(options.labels)) != 4 or not all(options.labels):
                raise ValueError("四个等次名称须各不相同且不能为空")
            plan = self.election.plan()
            if options != plan.evaluation:
                if self.election.evaluation_form_ids():
                    raise ValueError("已经录入测评表，评价规则不能再改")
                self.election.set_plan(self.operator, replace(plan, evaluation=options))
            counts = self.election.form_counts("evaluation")
            for group in RaterGroup:
                channel = GROUP_CHANNELS[group]
                pair = (
                    self.count_boxes[(group, "issued")].value(),
                    self.count_boxes[(group, "returned")].value(),
                )
                if pair != counts.get(channel, (0, 0)):
                    self.election.set_form_count(self.operator, "evaluation", channel, *pair)
        except (ValueError, ElectionFileError) as error:
            self._refuse(f"没有保存：{error}")
            return False
        self._say("设置已保存")
        self.refresh()
        return True

    # ---- entry -----------------------------------------------------------------

    def _entry_page(self) -> QWidget:
        page = QWidget()
        self.group = QComboBox()
        for group in RaterGroup:
            self.group.addItem(f"{group.label}测评表", group.value)
        self.grid = GradeGrid()
        self.grid.commit_requested.connect(self.commit_form)
        self.forms_label = QLabel("")
        self.commit_button = QPushButton("录入这张测评表（Ctrl+Enter）")
        self.commit_button.clicked.connect(self.commit_form)
        self.undo_button = QPushButton("撤销上一张")
        self.undo_button.clicked.connect(self.undo_form)
        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("本张是："))
        top.addWidget(self.group)
        top.addStretch(1)
        top.addWidget(self.forms_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.commit_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.legend)
        layout.addLayout(buttons)
        return page

    def commit_form(self) -> bool:
        if not self.grid.people:
            self._say("还没有测评对象：民主推荐结束后，通过资格审查的初步人选成为测评对象")
            return False
        if self.grid.empty():
            self._refuse("这张测评表是空白的：确认无误时请逐格按 0 后再录入")
            return False
        unkeyed = self.grid.unkeyed()
        if unkeyed and not self._confirm_unkeyed(unkeyed):
            row, column = unkeyed[0]
            self.grid.setCurrentCell(row, column)
            self.grid.setFocus()
            self._refuse(
                f"没有录入：还有 {len(unkeyed)} 格没有填，光标在第一个没填的格子上（空白请按 0）"
            )
            return False
        try:
            self.election.enter_evaluation_form(
                self.operator, RaterGroup(self.group.currentData()), self.grid.ratings()
            )
        except ElectionFileError as error:
            self._refuse(str(error))
            return False
        self.grid.clear_form()
        self.grid.setFocus()
        self._say("已录入")
        self.refresh_results()
        return True

    def _confirm_unkeyed(self, unkeyed: list[tuple[int, int]]) -> bool:
        """A form with cells never keyed: the rater may have left them blank, or the
        operator skipped them; only a person looking at the paper can tell."""
        total = len(self.grid.cells())
        first_row, first_column = unkeyed[0]
        headers = (*DIMENSIONS, "总体评价")
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("这张测评表没有填完")
        box.setText(
            f"这张测评表共 {total} 格，只填了 {total - len(unkeyed)} 格，"
            f"还有 {len(unkeyed)} 格没有填"
            f"（第一个是{self.grid.people[first_row][1]}的“{headers[first_column]}”）。\n\n"
            "测评表上这些格子确实是空白的，就按空白录入（不计入有效评价）；"
            "否则返回接着填。"
        )
        enter = box.addButton("按空白录入", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("返回填写", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        return box.clickedButton() is enter

    def undo_form(self) -> None:
        forms = self.election.evaluation_form_ids()
        if not forms:
            return
        try:
            self.election.withdraw_evaluation_form(self.operator, forms[-1][0])
        except ElectionFileError as error:
            self._refuse(str(error))
            return
        self._say(f"已撤销第 {forms[-1][1]} 张测评表（记录保留）")
        self.refresh_results()

    # ---- results ---------------------------------------------------------------

    def _results_page(self) -> QWidget:
        page = QWidget()
        self.result_position = QComboBox()
        self.result_position.currentIndexChanged.connect(self.refresh_results)
        self.participation_label = QLabel("")
        self.results = QTableWidget(0, len(DIMENSIONS) + 4)
        self.results.setHorizontalHeaderLabels(
            ("姓名", *DIMENSIONS, "综合得分", "预备人选", "否决理由")
        )
        # The five aspects and the reasons share the width and wrap (at the space before the
        # share): at 1024 pixels the 预备人选 and 否决理由 columns stay in view.
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (0, len(DIMENSIONS) + 1, len(DIMENSIONS) + 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.results.setWordWrap(True)
        self.results.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results.verticalHeader().setVisible(False)
        self.groups = QTableWidget(0, len(DIMENSIONS) + 1)
        self.groups.setHorizontalHeaderLabels(("姓名", *(f"{d}（党员｜群众）" for d in DIMENSIONS)))
        self.groups.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.groups.verticalHeader().setVisible(False)
        self.line_label = QLabel("")
        self.close_button = QPushButton("结束民主测评…")
        self.close_button.clicked.connect(self.ask_close)
        self.projector_button = QPushButton("在投影上显示测评结果")
        top = QHBoxLayout()
        top.addWidget(QLabel("职务："))
        top.addWidget(self.result_position)
        top.addWidget(self.line_label, 1)
        top.addWidget(self.projector_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.participation_label, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(QLabel("全部测评表：每格为各等次的票数和“优”占有效评价的比例"))
        layout.addWidget(self.results, 3)
        layout.addWidget(QLabel("党员、群众分开统计的“优”的比例"))
        layout.addWidget(self.groups, 2)
        layout.addLayout(bottom)
        return page

    def refresh(self) -> None:
        self._load_settings()
        options = self.election.plan().evaluation
        names = {p.id: p.person.name for p in self.election.people()}
        self.grid.start(
            [(pid, names[pid]) for pid in self.election.evaluation_candidates()], options.labels
        )
        labels = options.labels
        self.legend.setText(
            f"每格一个键，自动跳到下一格：1 {labels[0]}  2 {labels[1]}  3 {labels[2]}  4 {labels[3]}  0 空白；"
            "总体评价：1 满意  2 基本满意  3 不满意；* 本行五项全部为“"
            f"{labels[0]}”；Backspace 退回一格；Ctrl+Enter 录入"
        )
        open_stage = (
            self.election.stage_status("evaluation") == "open" and not self.election.read_only
        )
        for widget in (
            self.save_settings_button,
            self.commit_button,
            self.undo_button,
            self.close_button,
        ):
            widget.setEnabled(open_stage)
        self.refresh_results()
        if self.election.stage_status("evaluation") != "open":
            self._say("民主测评已经结束：以上为最终结果。")

    def current(self) -> PositionEvaluation | None:
        results = evaluation_results(self.election)
        keep = self.result_position.currentData()
        self.result_position.blockSignals(True)
        self.result_position.clear()
        for result in results:
            self.result_position.addItem(result.position.label, result.position.value)
        self.result_position.setCurrentIndex(max(0, self.result_position.findData(keep)))
        self.result_position.blockSignals(False)
        wanted = self.result_position.currentData()
        return next((r for r in results if r.position.value == wanted), None)

    def refresh_results(self) -> None:
        forms = self.election.evaluation_form_ids()
        figures = participation(self.election)
        self.forms_label.setText(f"已录入 {len(forms)} 张")
        self.participation_label.setText(
            "　".join(
                f"{group.label}测评表 收回 {p.returned}/{p.issued}"
                + (
                    f"（{percent(p.rate)}，{'超过' if p.over_four_fifths else '未超过'}五分之四）"
                    if p.issued
                    else ""
                )
                for group, p in figures.items()
            )
        )
        result = self.current()
        self.results.setRowCount(0)
        self.groups.setRowCount(0)
        if result is None:
            self.line_label.setText("")
            self.results_changed.emit()
            return
        shortlist = result.overall.shortlist
        self.line_label.setText(
            f"预备人选 {shortlist.size} 名（⌈{result.seats} ×（1 + {percent(self.election.plan().evaluation.ratio, 0)}）⌉）"
            + (
                f"；{'、'.join(result.name(k) for k in shortlist.tied_at_cutoff)} 综合得分相同，全部保留"
                if shortlist.tied_at_cutoff
                else ""
            )
        )
        order = [key for key, _ in shortlist.ranking] + [
            c.name for c in result.overall.candidates if c.vetoed
        ]
        for row, key in enumerate(order):
            candidate = result.overall.of(key)
            self.results.insertRow(row)
            cells = [result.name(key)]
            labels = self.election.plan().evaluation.labels
            for dimension in candidate.dimensions:
                spread = " ".join(
                    f"{label}{n}" for label, n in zip(labels, dimension.counts, strict=True)
                )
                cells.append(
                    f"无有效评价（空白 {dimension.blank}）"
                    if dimension.no_ratings
                    else f"{spread}　{percent(dimension.share)}"
                )
            cells.append(decimal_text(candidate.composite, 2))
            chosen = key in shortlist.chosen
            cells.append(("✓ 并列" if key in shortlist.tied_at_cutoff else "✓") if chosen else "")
            cells.append("；".join(candidate.veto_reasons))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if candidate.vetoed:
                    item.setBackground(VETO_BRUSH)
                elif chosen:
                    item.setBackground(TIE_BRUSH if key in shortlist.tied_at_cutoff else PASS_BRUSH)
                self.results.setItem(row, column, item)
            members = result.by_group[RaterGroup.MEMBER].of(key)
            masses = result.by_group[RaterGroup.NON_MEMBER].of(key)
            self.groups.insertRow(row)
            self.groups.setItem(row, 0, QTableWidgetItem(result.name(key)))
            for index in range(len(DIMENSIONS)):
                m, n = members.dimensions[index], masses.dimensions[index]
                text = f"{percent(m.share) if m.rated else '—'}｜{percent(n.share) if n.rated else '—'}"
                self.groups.setItem(row, index + 1, QTableWidgetItem(text))
        self.results_changed.emit()

    def ask_close(self) -> None:
        problems = closing_problems(self.election)
        if problems:
            text = "民主测评还不能结束：\n" + "\n".join(f"· {p}" for p in problems)
            self._refuse(text)
            QMessageBox.warning(self, "不能结束民主测评", text)
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("结束民主测评")
        box.setText(
            "结束后测评结果不能再修改（文件会自动备份），预备人选成为选举候选人。现在结束吗？"
        )
        close = box.addButton("结束民主测评", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is close:
            self.close_stage()

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;")

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("")

    def close_stage(self) -> bool:
        try:
            closed = close_evaluation(self.election, self.operator)
        except ElectionFileError as error:
            self._refuse(f"没有结束：{error}")
            return False
        self.refresh()
        self._say(
            "民主测评已结束（文件已自动备份）。\n" + "\n".join(closed.outcome)
            if closed.outcome
            else "民主测评已结束（文件已自动备份）；没有测评对象，选举候选人没有改变。"
        )
        self.stage_closed.emit()
        return True
