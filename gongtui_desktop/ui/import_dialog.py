"""Importing a roster: choose the columns, see every problem, then save all or nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.services.roster_import import (
    FIELDS,
    REQUIRED_FIELDS,
    ImportFileError,
    ImportPreview,
    SourceTable,
    check,
    existing_keys,
    guess_mapping,
    read_rows,
    save,
    sheet_names,
)
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError

SAMPLES = 3


class ImportDialog(QDialog):
    """Column mapping (recognized headers preset), the preview of problems, the save."""

    def __init__(
        self, election: ElectionFile, operator: str, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.election = election
        self.operator = operator
        self.path = Path(path)
        self.table: SourceTable | None = None
        self.preview: ImportPreview | None = None
        self.saved: list[int] = []
        self.setWindowTitle(f"导入党员名册：{self.path.name}")
        self.resize(980, 640)
        self.sheet = QComboBox()
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(("表格中的列", "示例", "导入为"))
        self.columns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.check_button = QPushButton("检查")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.problems = QTableWidget(0, 4)
        self.problems.setHorizontalHeaderLabels(("工作表", "行", "列", "问题"))
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(
            "全部导入", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.commit)
        self.check_button.clicked.connect(self.run_check)
        self.sheet.currentIndexChanged.connect(lambda: self.load(self.sheet.currentText() or None))
        top = QHBoxLayout()
        top.addWidget(QLabel("工作表："))
        top.addWidget(self.sheet)
        top.addStretch(1)
        top.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("每一列导入为哪一项（已自动识别常用表头，可以修改）："))
        layout.addWidget(self.columns, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 3)
        layout.addWidget(self.buttons)
        self.error = ""
        try:
            names = sheet_names(self.path) if self.path.suffix.lower() == ".xlsx" else []
        except ImportFileError as error:
            names = []
            self.error = str(error)
        self.sheet.blockSignals(True)
        self.sheet.addItems(names)
        self.sheet.setEnabled(len(names) > 1)
        self.sheet.blockSignals(False)
        if not self.error:
            self.load(names[0] if names else None)
        else:
            self.summary.setText(self.error)

    def load(self, sheet: str | None) -> None:
        try:
            self.table = read_rows(self.path, sheet)
        except ImportFileError as error:
            self.error = str(error)
            self.summary.setText(self.error)
            self.check_button.setEnabled(False)
            return
        mapping = guess_mapping(self.table.headers)
        self.columns.setRowCount(len(self.table.headers))
        for index in range(len(self.table.headers)):
            self.columns.setItem(index, 0, QTableWidgetItem(self.table.column_name(index)))
            samples = [
                str(row.values[index])
                for row in self.table.rows[:SAMPLES]
                if row.values[index] not in (None, "")
            ]
            self.columns.setItem(index, 1, QTableWidgetItem("、".join(samples)))
            box = QComboBox()
            box.addItem("（不导入）", "")
            for field, label in FIELDS.items():
                box.addItem(label + ("（必填）" if field in REQUIRED_FIELDS else ""), field)
            box.setCurrentIndex(max(0, box.findData(mapping.get(index, ""))))
            box.currentIndexChanged.connect(self._mapping_changed)
            self.columns.setCellWidget(index, 2, box)
        self.run_check()

    def mapping(self) -> dict[int, str]:
        result = {}
        for index in range(self.columns.rowCount()):
            field = self.columns.cellWidget(index, 2).currentData()  # type: ignore[attr-defined]
            if field:
                result[index] = str(field)
        return result

    def set_field(self, column: int, field: str) -> None:
        box = self.columns.cellWidget(column, 2)
        box.setCurrentIndex(box.findData(field))  # type: ignore[attr-defined]

    def _mapping_changed(self) -> None:
        self.save_button.setEnabled(False)
        self.summary.setText("表头对应已修改：请点“检查”。")

    def run_check(self) -> ImportPreview | None:
        if self.table is None:
            return None
        preview = check(self.table, self.mapping(), existing_keys(self.election.people()))
        self.preview = preview
        self.problems.setRowCount(len(preview.problems))
        for row, problem in enumerate(preview.problems):
            values = (problem.sheet or "", str(problem.row), problem.column or "", problem.message)
            for column, value in enumerate(values):
                self.problems.setItem(row, column, QTableWidgetItem(value))
        if preview.ok:
            self.summary.setText(f"检查通过：{len(preview.rows)} 人可以导入。")
        else:
            self.summary.setText(
                f"发现 {len(preview.problems)} 处问题（见下表）：请在表格中改正后重新导入，"
                "或调整表头对应。有问题时一个人也不会导入。"
            )
        self.save_button.setEnabled(preview.ok)
        return preview

    def commit(self) -> None:
        if self.preview is None or not self.preview.ok:
            return
        try:
            self.saved = save(self.election, self.operator, self.preview, self.path.name)
        except (ValueError, ElectionFileError) as error:
            self.summary.setText(f"没有导入：{error}")
            return
        self.accept()
