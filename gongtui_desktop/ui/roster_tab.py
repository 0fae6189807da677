"""Tab 党员名册: the roster with computed age, party standing and rights (R1), edited in place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.domain.date_text import parse_date_text
from gongtui_desktop.domain.dates import format_chinese_date, whole_years
from gongtui_desktop.domain.people import Discipline, MemberStatus, person_rights
from gongtui_desktop.services.roster_export import export_roster, write_template
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.records import PersonRecord
from gongtui_desktop.ui.import_dialog import ImportDialog
from gongtui_desktop.ui.models import HeaderedTableModel

Index = QModelIndex | QPersistentModelIndex
STATUS_BY_LABEL = {status.label: status for status in MemberStatus}
DISCIPLINE_BY_LABEL = {d.label: d for d in Discipline} | {
    "留置": Discipline.DETAINED,
    "逮捕": Discipline.DETAINED,
    "": Discipline.NONE,
}
EMPLOYMENT = {"在职": "working", "退休": "retired"}
EMPLOYMENT_LABELS = {value: label for label, value in EMPLOYMENT.items()}
LEFT_BRUSH = QBrush(QColor("#eeeeee"))

# (header, field, editable)
COLUMNS = (
    ("姓名", "name", True),
    ("性别", "gender", True),
    ("出生日期", "birth", True),
    ("入党日期", "joined", True),
    ("转正日期", "confirmed", True),
    ("身份", "status", True),
    ("在职/退休", "employment", True),
    ("组织关系在本单位", "local_relation", True),
    ("处分/权利状态", "discipline", True),
    ("联系方式", "contact", True),
    ("备注", "note", True),
    ("年龄", "age", False),
    ("党龄", "standing", False),
    ("权利", "rights", False),
    ("在册", "left_on", False),
)


def _date_text(value: date | None) -> str:
    return "" if value is None else value.isoformat()


class RosterModel(HeaderedTableModel):
    """Every person of the election file; edits go straight to the file, one audited change each."""

    message = Signal(str)
    HEADERS = tuple(label for label, _, _ in COLUMNS)

    def __init__(self, election: ElectionFile, operator: str) -> None:
        super().__init__()
        self.election = election
        self.operator = operator
        self.people: list[PersonRecord] = []
        self.reference = date.today()
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.people = self.election.people()
        reference = self.election.election_details().get("reference_date")
        self.reference = date.fromisoformat(str(reference)) if reference else date.today()
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.people)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and COLUMNS[index.column()][2]:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def text(self, record: PersonRecord, field: str) -> str:
        person = record.person
        if field == "name":
            return person.name
        if field == "gender":
            return record.gender or ""
        if field in ("birth", "joined", "confirmed"):
            return _date_text(getattr(person, field))
        if field == "status":
            return person.status.label
        if field == "employment":
            return EMPLOYMENT_LABELS.get(record.employment, record.employment)
        if field == "local_relation":
            return "是" if person.local_relation else "否"
        if field == "discipline":
            return person.discipline.label
        if field in ("contact", "note"):
            return str(getattr(record, field))
        if field == "age":
            return "" if person.birth is None else str(whole_years(person.birth, self.reference))
        if field == "standing":
            if person.status is MemberStatus.PROBATIONARY:
                return "预备期"
            if person.confirmed is None:
                return ""
            return f"{whole_years(person.confirmed, self.reference)} 年"
        if field == "rights":
            rights = person_rights(person)
            return "有表决权、选举权和被选举权" if rights.vote else "列席"
        if field == "left_on":
            return "在册" if record.left_on is None else f"{record.left_on} 离开"
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        record = self.people[index.row()]
        field = COLUMNS[index.column()][1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.text(record, field)
        if role == Qt.ItemDataRole.ToolTipRole and field == "rights":
            return person_rights(record.person).reason
        if role == Qt.ItemDataRole.BackgroundRole and record.left_on is not None:
            return LEFT_BRUSH
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        record = self.people[index.row()]
        field = COLUMNS[index.column()][1]
        try:
            changes = self._validate(record, field, str(value).strip())
        except ValueError as error:
            self.message.emit(f"{record.person.name}：{error}")
            return False
        if not changes:
            return False
        try:
            self.election.update_person(self.operator, record.id, **changes)
        except ElectionFileError as error:
            self.message.emit(str(error))
            return False
        self.people[index.row()] = next(p for p in self.election.people() if p.id == record.id)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1))
        self.message.emit(f"已保存：{record.person.name} 的{COLUMNS[index.column()][0]}")
        return True

    def _validate(self, record: PersonRecord, field: str, text: str) -> dict[str, object]:
        """The change a typed value means, or ValueError saying what is wrong (in Chinese)."""
        person = record.person
        if field == "name":
            if not text:
                raise ValueError("姓名不能为空")
            return {"name": text}
        if field == "gender":
            if text not in ("", "男", "女"):
                raise ValueError(f"性别“{text}”应为 男 或 女")
            return {"gender": text or None}
        if field in ("birth", "joined", "confirmed"):
            value = parse_date_text(text)
            dates = {"birth": person.birth, "joined": person.joined, "confirmed": person.confirmed}
            dates[field] = value
            if dates["joined"] and dates["confirmed"] and dates["confirmed"] < dates["joined"]:
                raise ValueError("转正日期早于入党日期")
            if dates["birth"] and dates["joined"] and dates["joined"] < dates["birth"]:
                raise ValueError("入党日期早于出生日期")
            if value is not None and value > date.today():
                raise ValueError(f"日期 {format_chinese_date(value)} 还没有到")
            return {field: value}
        if field == "status":
            if text not in STATUS_BY_LABEL:
                raise ValueError(f"身份“{text}”应为 正式党员、预备党员 或 群众")
            return {"status": STATUS_BY_LABEL[text].value}
        if field == "employment":
            if text not in EMPLOYMENT:
                raise ValueError(f"“{text}”应为 在职 或 退休")
            return {"employment": EMPLOYMENT[text]}
        if field == "local_relation":
            if text not in ("是", "否"):
                raise ValueError(f"“{text}”应为 是 或 否")
            return {"local_relation": text == "是"}
        if field == "discipline":
            if text not in DISCIPLINE_BY_LABEL:
                raise ValueError(f"“{text}”应为 无、留党察看、留置 或 逮捕")
            return {"discipline": DISCIPLINE_BY_LABEL[text].value}
        return {field: text}


class RosterFilter(QSortFilterProxyModel):
    """Filter by part of a name (or any shown text) and by 身份."""

    def __init__(self) -> None:
        super().__init__()
        self.status = ""
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def set_status(self, status: str) -> None:
        self.status = status
        self.invalidate()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if self.status:
            model = self.sourceModel()
            if model.data(model.index(row, 5, parent)) != self.status:
                return False
        return super().filterAcceptsRow(row, parent)


class RosterTab(QWidget):
    """The branch's people; import and export come from the roster services."""

    roster_changed = Signal()

    def __init__(self, election: ElectionFile, operator: str) -> None:
        super().__init__()
        self.election = election
        self.operator = operator
        self.model = RosterModel(election, operator)
        self.proxy = RosterFilter()
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("按姓名或任一栏的内容筛选")
        self.status_filter = QComboBox()
        self.status_filter.addItem("全部身份", "")
        for status in MemberStatus:
            self.status_filter.addItem(status.label, status.label)
        self.count_label = QLabel("")
        self.message = QLabel("")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # Start in the roster's own order; a click on a header sorts.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setVisible(False)
        self.add_button = QPushButton("添加人员…")
        self.delete_button = QPushButton("删除…")
        self.left_button = QPushButton("标记为已离开…")
        self.import_button = QPushButton("从 Excel/CSV 导入…")
        self.export_button = QPushButton("导出到 Excel…")
        self.template_button = QPushButton("保存导入模板…")
        self.buttons = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.left_button):
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        for button in (self.import_button, self.export_button, self.template_button):
            self.buttons.addWidget(button)

        top = QHBoxLayout()
        top.addWidget(self.filter, 2)
        top.addWidget(self.status_filter)
        top.addWidget(self.count_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(self.buttons)

        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.textChanged.connect(self._count)
        self.status_filter.currentIndexChanged.connect(
            lambda: (self.proxy.set_status(self.status_filter.currentData()), self._count())
        )
        self.model.message.connect(self.message.setText)
        self.model.dataChanged.connect(lambda *_: self.roster_changed.emit())
        self.add_button.clicked.connect(self.ask_new_person)
        self.delete_button.clicked.connect(self.delete_selected)
        self.left_button.clicked.connect(self.ask_left)
        self.import_button.clicked.connect(self.ask_import)
        self.export_button.clicked.connect(self.ask_export)
        self.template_button.clicked.connect(self.ask_template)
        self.table.resizeColumnsToContents()
        self._count()

    def _count(self) -> None:
        voters = sum(
            1 for p in self.model.people if person_rights(p.person).vote and p.left_on is None
        )
        self.count_label.setText(
            f"显示 {self.proxy.rowCount()} 人 / 共 {len(self.model.people)} 人，有表决权 {voters} 人"
        )

    def reload(self) -> None:
        self.model.reload()
        self._count()
        self.roster_changed.emit()

    def selected(self) -> PersonRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.people[self.proxy.mapToSource(rows[0]).row()]

    def ask_new_person(self) -> None:
        name, ok = QInputDialog.getText(self, "添加人员", "姓名（其他信息在表格中填写）：")
        if ok and name.strip():
            self.add_person(name.strip(), MemberStatus.FULL)

    def add_person(self, name: str, status: MemberStatus) -> None:
        try:
            self.election.add_person(self.operator, name, status)
        except ElectionFileError as error:
            self.message.setText(str(error))
            return
        self.reload()
        self.message.setText(f"已添加 {name}")

    def delete_selected(self) -> None:
        person = self.selected()
        if person is None:
            return
        try:
            self.election.delete_person(self.operator, person.id)
        except ElectionFileError as error:
            QMessageBox.information(self, "不能删除", str(error))
            return
        self.reload()
        self.message.setText(f"已删除 {person.person.name}")

    def ask_left(self) -> None:
        person = self.selected()
        if person is None:
            return
        text, ok = QInputDialog.getText(
            self,
            "标记为已离开",
            f"{person.person.name}离开（组织关系转出）的日期：",
            text=date.today().isoformat(),
        )
        if ok:
            self.mark_left(person, text)

    def mark_left(self, person: PersonRecord, text: str) -> None:
        try:
            when = parse_date_text(text) or date.today()
            self.election.update_person(self.operator, person.id, left_on=when)
        except (ValueError, ElectionFileError) as error:
            self.message.setText(str(error))
            return
        self.reload()
        self.message.setText(
            f"{person.person.name} 已标记为 {when.isoformat()} 离开，不再计入应到会人数"
        )

    # ---- import and export ---------------------------------------------------

    def _folder(self) -> str:
        return str(self.election.path.parent)

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "导入党员名册", self._folder(), "名册 (*.xlsx *.csv)"
        )
        if path:
            dialog = ImportDialog(self.election, self.operator, Path(path), self)
            self.finish_import(dialog, dialog.exec() == QDialog.DialogCode.Accepted)

    def finish_import(self, dialog: ImportDialog, accepted: bool) -> None:
        if accepted and (dialog.saved or dialog.updated):
            self.reload()
            total = len(dialog.saved) + dialog.updated
            detail = (
                f"（新增 {len(dialog.saved)} 人，更新名册中已有的 {dialog.updated} 人）"
                if dialog.updated
                else ""
            )
            self.message.setText(f"已从 {dialog.path.name} 导入 {total} 人{detail}")

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出党员名册", str(Path(self._folder()) / "党员名册.xlsx"), "Excel (*.xlsx)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        try:
            export_roster(path, self.election.people(), self.model.reference)
        except OSError as error:
            self.message.setText(f"没有导出：{error}")
            return
        self.message.setText(f"已导出到 {path}")

    def ask_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "保存导入模板",
            str(Path(self._folder()) / "党员名册导入模板.xlsx"),
            "Excel (*.xlsx)",
        )
        if path:
            try:
                write_template(Path(path))
            except OSError as error:
                self.message.setText(f"没有保存：{error}")
                return
            self.message.setText(f"导入模板已保存到 {path}")
