"""Tab 会议签到: sign-in by name or pinyin initials, exclusions, the quorum, scrutineers."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.domain.attendance import ExclusionReason
from gongtui_desktop.domain.date_text import parse_date_text
from gongtui_desktop.domain.people import person_rights
from gongtui_desktop.domain.scrutineers import ScrutineerRole
from gongtui_desktop.pinyin_data import initials_table
from gongtui_desktop.services.attendance import (
    MEETINGS,
    STATUS_LABELS,
    MeetingFigures,
    meeting_figures,
    search_order,
    sign_in_target,
)
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.records import PersonRecord
from gongtui_desktop.ui.models import HeaderedTableModel

Index = QModelIndex | QPersistentModelIndex
STATUS_BRUSH = {
    "present": QBrush(QColor("#d9f2d9")),
    "leave": QBrush(QColor("#fff2cc")),
}


class AttendanceModel(HeaderedTableModel):
    """People of one meeting: voters first, then observers (列席, R1)."""

    HEADERS = ("姓名", "身份", "参会身份", "签到", "不计入应到会人数")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PersonRecord] = []
        self.figures: MeetingFigures | None = None
        self.reasons: dict[int, str] = {}

    def show(self, figures: MeetingFigures, reasons: dict[int, str], query: str) -> None:
        self.beginResetModel()
        self.figures = figures
        self.reasons = reasons
        people = list(figures.voters) + list(figures.observers)
        self.rows = search_order(initials_table(), people, figures.status, query)
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.figures is None:
            return None
        record = self.rows[index.row()]
        status = self.figures.status.get(record.id, "")
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return record.person.name
            if column == 1:
                return record.person.status.label
            if column == 2:
                return "有表决权" if person_rights(record.person).vote else "列席"
            if column == 3:
                return STATUS_LABELS[status]
            return self.reasons.get(record.id, "")
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_BRUSH.get(status)
        return None


class ExclusionDialog(QDialog):
    """R2: one of the listed reasons, with the higher organization's consent."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{name}不计入应到会人数")
        self.reason = QComboBox()
        for reason in ExclusionReason:
            self.reason.addItem(reason.label, reason.value)
        self.consent = QLineEdit()
        self.consent.setPlaceholderText("例如：经区级机关党工委同意（2026年11月20日）")
        self.note = QLineEdit()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("原因：", self.reason)
        layout.addRow("上级党组织同意：", self.consent)
        layout.addRow("说明：", self.note)
        layout.addRow(buttons)


# The 会议记录 fields of a meeting: (store key, label, placeholder).
RECORD_FIELDS = (
    ("held_on", "日期", "例如 2026-11-24"),
    ("starts_at", "开始时间", "例如 09:00"),
    ("ends_at", "结束时间", "例如 11:30"),
    ("place", "地点", "例如 机关三楼会议室"),
    ("chair", "主持人", "姓名"),
    ("recorder", "记录人", "姓名"),
    ("delegate", "列席（上级党组织派员）", "姓名、单位和职务"),
)


class MeetingRecordBox(QGroupBox):
    """Date, time, place, chair, recorder and the higher organisation's delegate of one
    meeting: what its 会议记录 prints. Enter in a field or the button saves them."""

    saved = Signal(str)

    def __init__(self, election: ElectionFile, operator: str) -> None:
        super().__init__("会议记录信息（打印在会议记录上）")
        self.election = election
        self.operator = operator
        self.kind = ""
        self.fields: dict[str, QLineEdit] = {}
        grid = QGridLayout(self)
        for number, (key, label, hint) in enumerate(RECORD_FIELDS):
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(label)
            edit.returnPressed.connect(self.save)
            self.fields[key] = edit
            row, column = (0, number) if number < 4 else (1, number - 4)
            grid.addWidget(QLabel(label + "："), row, column * 2)
            grid.addWidget(edit, row, column * 2 + 1)
        self.save_button = QPushButton("保存会议信息")
        self.save_button.clicked.connect(self.save)
        grid.addWidget(self.save_button, 1, 7)

    def show_meeting(self, kind: str) -> None:
        self.kind = kind
        record = self.election.meeting_record(kind)
        for key, edit in self.fields.items():
            edit.setText(str(record.get(key) or ""))

    def save(self) -> None:
        values: dict[str, object] = {k: e.text().strip() for k, e in self.fields.items()}
        held = str(values.pop("held_on"))
        try:
            values["held_on"] = parse_date_text(held) if held else None
        except ValueError:
            QMessageBox.warning(self, "会议信息", f"日期“{held}”无法识别，请写成 2026-11-24")
            return
        try:
            self.election.update_meeting_record(self.operator, self.kind, **values)
        except ElectionFileError as error:
            QMessageBox.warning(self, "会议信息", str(error))
            return
        self.show_meeting(self.kind)
        self.saved.emit(f"{MEETINGS[self.kind]}的会议信息已保存")


class MeetingTab(QWidget):
    """Sign-in of one meeting, its quorum (R3) and the scrutineers (R12)."""

    attendance_changed = Signal()
    announce = Signal()

    def __init__(self, election: ElectionFile, operator: str) -> None:
        super().__init__()
        self.election = election
        self.operator = operator
        self.model = AttendanceModel()
        self.meeting = QComboBox()
        for kind in ("election", "recommendation", "evaluation"):
            self.meeting.addItem(MEETINGS[kind], kind)
        self.figures_label = QLabel("")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        self.figures_label.setFont(big)
        self.announcement = QLabel("")
        self.announcement.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入姓名或拼音首字母（如 zs），回车签到")
        self.notice = QLabel("")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.present_button = QPushButton("到会（F5）")
        self.leave_button = QPushButton("请假（F6）")
        self.absent_button = QPushButton("缺席（F7）")
        self.exclude_button = QPushButton("不计入应到会人数…")
        self.include_button = QPushButton("恢复计入")
        self.announce_button = QPushButton("在投影上宣布到会情况")
        self.scrutineer_list = QListWidget()
        self.scrutineer_role = QComboBox()
        for role in ScrutineerRole:
            self.scrutineer_role.addItem(role.label, role.value)
        self.add_scrutineer_button = QPushButton("推选为")
        self.record_box = MeetingRecordBox(election, operator)

        top = QHBoxLayout()
        top.addWidget(QLabel("会议："))
        top.addWidget(self.meeting)
        top.addWidget(self.figures_label, 1)
        top.addWidget(self.announce_button)
        buttons = QHBoxLayout()
        for button in (
            self.present_button,
            self.leave_button,
            self.absent_button,
            self.exclude_button,
            self.include_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("选中的人"))
        buttons.addWidget(self.add_scrutineer_button)
        buttons.addWidget(self.scrutineer_role)
        side = QVBoxLayout()
        side.addWidget(QLabel("监票人、计票人"))
        side.addWidget(self.scrutineer_list)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.notice)
        left.addWidget(self.table, 1)
        left.addLayout(buttons)
        body.addLayout(left, 3)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.announcement)
        layout.addWidget(self.record_box)
        layout.addLayout(body, 1)

        self.meeting.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(self.refresh)
        self.search.textChanged.connect(lambda: self.notice.setText(""))
        self.search.returnPressed.connect(self.sign_in_first)
        self.present_button.clicked.connect(lambda: self.mark("present"))
        self.leave_button.clicked.connect(lambda: self.mark("leave"))
        self.absent_button.clicked.connect(lambda: self.mark("absent"))
        self.exclude_button.clicked.connect(self.ask_exclusion)
        self.include_button.clicked.connect(self.include_again)
        self.announce_button.clicked.connect(self.announce)
        self.add_scrutineer_button.clicked.connect(self.add_scrutineer)
        self.record_box.saved.connect(self.show_saved)
        QShortcut(QKeySequence("F5"), self, lambda: self.mark("present"))
        QShortcut(QKeySequence("F6"), self, lambda: self.mark("leave"))
        QShortcut(QKeySequence("F7"), self, lambda: self.mark("absent"))
        self.refresh()

    def kind(self) -> str:
        return str(self.meeting.currentData())

    def refresh(self) -> None:
        kind = self.kind()
        figures = meeting_figures(self.election, kind)
        reasons = {pid: reason.label for pid, reason, _, _ in self.election.exclusions(kind)}
        self.model.show(figures, reasons, self.search.text())
        if self.model.rowCount():
            self.table.selectRow(0)
        self.figures_label.setText(figures.summary())
        colour = "#0a7a2f" if figures.quorum.met else "#b00020"
        self.figures_label.setStyleSheet(f"color: {colour};")
        self.announcement.setText(figures.announcement())
        names = {p.id: p.person.name for p in self.election.people()}
        self.scrutineer_list.clear()
        for person_id, role in self.election.scrutineers():
            self.scrutineer_list.addItem(f"{role.label}：{names.get(person_id, '?')}")
        self.add_scrutineer_button.setEnabled(kind == "election")
        if self.record_box.kind != kind:  # text being typed is kept until saved
            self.record_box.show_meeting(kind)

    def show_saved(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #0a7a2f;")

    def selected(self) -> PersonRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.rows[rows[0].row()]

    def mark(self, status: str, person: PersonRecord | None = None) -> None:
        person = person or self.selected()
        if person is None:
            return
        try:
            self.election.set_attendance(self.operator, self.kind(), person.id, status)
        except ElectionFileError as error:
            QMessageBox.warning(self, "签到", str(error))
            return
        self.refresh()
        self.attendance_changed.emit()

    def sign_in_first(self) -> None:
        """Enter in the search field: the one person the text finds who is not yet present
        is signed in, ready for the next name; otherwise the field keeps the text and the
        line under it says why (someone already present, several or nobody found)."""
        figures = self.model.figures
        if figures is None:
            return
        people = list(figures.voters) + list(figures.observers)
        target = sign_in_target(initials_table(), people, figures.status, self.search.text())
        if target.person is None:
            self.notice.setText(target.message)
            self.notice.setStyleSheet("color: #b00020;")
            return
        self.search.clear()
        self.mark("present", target.person)
        self.notice.setText(f"{target.person.person.name} 已签到")
        self.notice.setStyleSheet("color: #0a7a2f;")

    def ask_exclusion(self) -> None:
        person = self.selected()
        if person is None:
            return
        dialog = ExclusionDialog(person.person.name, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.exclude(
                person,
                ExclusionReason(dialog.reason.currentData()),
                dialog.consent.text(),
                dialog.note.text(),
            )

    def exclude(
        self, person: PersonRecord, reason: ExclusionReason, consent: str, note: str = ""
    ) -> bool:
        if not consent.strip():
            QMessageBox.warning(
                self, "不计入应到会人数", "须经上级党组织同意：请填写同意的批复或说明"
            )
            return False
        if not person_rights(person.person).vote:
            QMessageBox.warning(
                self, "不计入应到会人数", f"{person.person.name}没有表决权，本不计入应到会人数"
            )
            return False
        try:
            self.election.add_exclusion(
                self.operator, self.kind(), person.id, reason, consent, note
            )
        except ElectionFileError as error:
            QMessageBox.warning(self, "不计入应到会人数", str(error))
            return False
        self.refresh()
        self.attendance_changed.emit()
        return True

    def include_again(self) -> None:
        person = self.selected()
        if person is None:
            return
        try:
            self.election.remove_exclusion(self.operator, self.kind(), person.id)
        except ElectionFileError as error:
            QMessageBox.warning(self, "恢复计入", str(error))
            return
        self.refresh()
        self.attendance_changed.emit()

    def add_scrutineer(self) -> None:
        """R12: chosen from the people present; a candidate is refused as 监票人 with the reason."""
        person = self.selected()
        if person is None:
            return
        if meeting_figures(self.election, "election").status.get(person.id) != "present":
            QMessageBox.warning(self, "监票人、计票人", f"{person.person.name}没有到会，不能担任")
            return
        role = ScrutineerRole(self.scrutineer_role.currentData())
        try:
            self.election.add_scrutineer(self.operator, person.id, role)
        except ElectionFileError as error:
            QMessageBox.warning(self, "监票人、计票人", str(error))
            return
        self.refresh()
