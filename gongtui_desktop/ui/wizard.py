"""New election: organization and date, contests and candidates, rule options."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from gongtui_desktop.domain.attendance import QuorumRule
from gongtui_desktop.domain.options import CountOptions, WriteInWithoutMark
from gongtui_desktop.domain.plan import PlanOptions
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.new_election import (
    ContestDraft,
    check_drafts,
    create_election,
    split_names,
)
from gongtui_desktop.store.errors import ElectionFileError

POSITIONS = (Position.COMMITTEE, Position.SECRETARY, Position.DEPUTY_SECRETARY)


class DetailsPage(QWizardPage):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.setTitle("选举基本情况")
        self.title = QLineEdit("党支部换届选举")
        self.organization = QLineEdit()
        self.organization.setPlaceholderText("例如：区统计局党支部")
        self.higher = QLineEdit()
        self.higher.setPlaceholderText("例如：区级机关党工委")
        self.meeting_date = QDateEdit(QDate.currentDate())
        self.meeting_date.setCalendarPopup(True)
        self.meeting_date.setDisplayFormat("yyyy年M月d日")
        self.path = QLineEdit(str(folder / "换届选举.gongtui"))
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QFormLayout(self)
        layout.addRow("选举名称：", self.title)
        layout.addRow("党组织名称：", self.organization)
        layout.addRow("上级党组织：", self.higher)
        layout.addRow("选举大会日期：", self.meeting_date)
        layout.addRow("保存为：", row)
        self.registerField("organization*", self.organization)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "保存选举文件", self.path.text(), "选举文件 (*.gongtui)"
        )
        if path:
            self.path.setText(path if path.endswith(".gongtui") else path + ".gongtui")


class ContestsPage(QWizardPage):
    COLUMNS = (
        "职务",
        "名称",
        "应选",
        "候选人",
        "在前一项当选人中产生",
        "等额经上级批准",
    )

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("选举项目和候选人")
        self.setSubTitle(
            "公推直选的候选人由民主推荐、民主测评产生，现在只设选举项目和应选人数；"
            "候选人已经确定的，填写候选人（委员按姓氏笔画自动排序，书记、副书记按上级批准的顺序）。"
        )
        self.later = QRadioButton("候选人由民主推荐、民主测评产生（现在不填写）")
        self.typed = QRadioButton("候选人已经确定，现在填写")
        self.later.setChecked(True)
        self.later.toggled.connect(self._source_changed)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        # The yes/no columns as wide as their headings (never cut to "i一项当选人中产");
        # the candidates' column takes the rest.
        for column in (0, 1, 2, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        add = QPushButton("增加一项")
        add.clicked.connect(lambda: self.add_row(Position.SECRETARY, 1, "", restricted=True))
        remove = QPushButton("删除选中项")
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        self.problems = QLabel("")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        source = QHBoxLayout()
        source.addWidget(QLabel("候选人："))
        source.addWidget(self.later)
        source.addWidget(self.typed)
        source.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(source)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problems)
        self.add_row(Position.COMMITTEE, 3, "")

    def candidates_later(self) -> bool:
        return self.later.isChecked()

    def _source_changed(self) -> None:
        """Candidates from recommendation: the names column is emptied and shows why."""
        later = self.later.isChecked()
        for row in range(self.table.rowCount()):
            edit = self.table.cellWidget(row, 3)
            assert isinstance(edit, QLineEdit)
            if later:
                edit.blockSignals(True)
                edit.clear()
                edit.blockSignals(False)
            self._names_hint(edit)
        self.problems.setText("")

    def _names_hint(self, edit: QLineEdit) -> None:
        edit.setPlaceholderText(
            "由民主推荐、民主测评产生" if self.later.isChecked() else "按顿号或空格分隔"
        )

    def _names_typed(self, text: str) -> None:
        # Names typed mean the candidates are known: the choice follows what is on screen.
        if text.strip() and self.later.isChecked():
            self.typed.setChecked(True)

    def add_row(self, position: Position, seats: int, names: str, restricted: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        box = QComboBox()
        for item in POSITIONS:
            box.addItem(item.label, item.value)
        box.setCurrentIndex(POSITIONS.index(position))
        self.table.setCellWidget(row, 0, box)
        self.table.setCellWidget(row, 1, QLineEdit(""))
        spin = QSpinBox()
        spin.setRange(1, 99)
        spin.setValue(seats)
        self.table.setCellWidget(row, 2, spin)
        names_edit = QLineEdit(names)
        self._names_hint(names_edit)
        names_edit.textChanged.connect(self._names_typed)
        self.table.setCellWidget(row, 3, names_edit)
        if names:
            self._names_typed(names)
        restricted_box = QCheckBox()
        restricted_box.setChecked(restricted)
        self.table.setCellWidget(row, 4, restricted_box)
        self.table.setCellWidget(row, 5, QCheckBox())

    def drafts(self) -> list[ContestDraft]:
        result = []
        for row in range(self.table.rowCount()):
            position = Position(self.table.cellWidget(row, 0).currentData())  # type: ignore[attr-defined]
            restricted = self.table.cellWidget(row, 4).isChecked()  # type: ignore[attr-defined]
            result.append(
                ContestDraft(
                    position=position,
                    seats=self.table.cellWidget(row, 2).value(),  # type: ignore[attr-defined]
                    names=split_names(self.table.cellWidget(row, 3).text()),  # type: ignore[attr-defined]
                    title=self.table.cellWidget(row, 1).text().strip(),  # type: ignore[attr-defined]
                    restricted_to_previous=restricted,
                    equal_approved=self.table.cellWidget(row, 5).isChecked(),  # type: ignore[attr-defined]
                    candidates_later=self.candidates_later() and not restricted,
                )
            )
        return result

    def validatePage(self) -> bool:
        problems = check_drafts(self.drafts())
        blocking = [p for p in problems if "缺少笔画数据" not in p]
        self.problems.setText("\n".join(problems))
        return not blocking


class OptionsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("选举规则")
        self.setSubTitle(
            "默认值依照《中国共产党基层组织选举工作条例》；每份导出材料都会写明所用的规则。"
        )
        self.quorum = QComboBox()
        for rule in QuorumRule:
            self.quorum.addItem(rule.label, rule.value)
        self.write_in = QComboBox()
        for option in WriteInWithoutMark:
            self.write_in.addItem(option.label, option.value)
        self.tie_break = QCheckBox("重新投票时也须超过实到会有选举权人数的半数")
        self.operator = QLineEdit()
        self.operator.setPlaceholderText("您的姓名，记入每一条操作记录")
        layout = QFormLayout(self)
        layout.addRow("会议有效人数：", self.quorum)
        layout.addRow("另选他人未画○：", self.write_in)
        layout.addRow("", self.tie_break)
        layout.addRow("操作员：", self.operator)
        self.registerField("operator*", self.operator)

    def plan(self) -> PlanOptions:
        return PlanOptions(
            quorum=QuorumRule(self.quorum.currentData()),
            counting=CountOptions(
                WriteInWithoutMark(self.write_in.currentData()), self.tie_break.isChecked()
            ),
        )


class NewElectionWizard(QWizard):
    """Three short pages; on finish the election file is written and its path kept in ``created``."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建选举")
        self.details = DetailsPage(folder)
        self.contests = ContestsPage()
        self.options = OptionsPage()
        for page in (self.details, self.contests, self.options):
            self.addPage(page)
        self.created: Path | None = None
        self.error = ""

    def accept(self) -> None:
        details = self.details
        qdate = details.meeting_date.date()
        try:
            self.created = create_election(
                Path(details.path.text()),
                title=details.title.text().strip() or "党支部换届选举",
                organization=details.organization.text().strip(),
                higher_organization=details.higher.text().strip(),
                meeting_date=date(qdate.year(), qdate.month(), qdate.day()),
                drafts=self.contests.drafts(),
                plan=self.options.plan(),
                operator=self.options.operator.text().strip(),
            )
        except (ValueError, ElectionFileError) as error:  # nothing was written (create_election)
            self.error = str(error)
            self.options.setSubTitle(f"无法创建：{error}")
            return
        super().accept()
