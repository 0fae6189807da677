"""Importing a roster: choose the header row and the columns, say what unknown values mean,
see every problem, then save all or nothing."""

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
    RosterMatch,
    SourceTable,
    Unresolved,
    check,
    guess_mapping,
    match_people,
    proposed_decisions,
    read_rows,
    row_description,
    save,
    sheet_names,
)
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError

SAMPLES = 3
ADD = 0  # the choice "add as a new person" in a match's box (person ids start at 1)
UNDECIDED = -1


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
        self.updated = 0
        self.matches: tuple[RosterMatch, ...] = ()
        self.resolutions: dict[tuple[str, str], object] = {}
        self.unresolved: tuple[Unresolved, ...] = ()
        self.setWindowTitle(f"导入党员名册：{self.path.name}")
        self.resize(980, 640)
        self.sheet = QComboBox()
        self.header_row = QComboBox()
        self.header_row.setMinimumContentsLength(24)
        self.values_label = QLabel(
            "下列取值程序不能确定含义（例如“党员”分不清是正式党员还是预备党员）："
            "请逐一选择它表示哪一项，程序不会替您猜。"
        )
        self.values_label.setWordWrap(True)
        self.values_table = QTableWidget(0, 4)
        self.values_table.setHorizontalHeaderLabels(("列", "表格中的写法", "出现在", "表示"))
        self.values_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.values_table.horizontalHeader().setStretchLastSection(True)
        self.values_table.verticalHeader().setVisible(False)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(("表格中的列", "示例", "导入为"))
        self.columns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.check_button = QPushButton("检查")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.matches_label = QLabel("")
        self.matches_label.setWordWrap(True)
        self.matches_table = QTableWidget(0, 4)
        self.matches_table.setHorizontalHeaderLabels(
            ("行", "表格中的这个人", "名册中已有的同名人员", "怎样处理")
        )
        self.matches_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.matches_table.horizontalHeader().setStretchLastSection(True)
        self.matches_table.verticalHeader().setVisible(False)
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
        self.header_row.currentIndexChanged.connect(self._header_row_changed)
        top = QHBoxLayout()
        top.addWidget(QLabel("工作表："))
        top.addWidget(self.sheet)
        top.addWidget(QLabel("表头在："))
        top.addWidget(self.header_row)
        top.addStretch(1)
        top.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("每一列导入为哪一项（已自动识别常用表头，可以修改）："))
        layout.addWidget(self.columns, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.values_label)
        layout.addWidget(self.values_table, 2)
        layout.addWidget(self.matches_label)
        layout.addWidget(self.matches_table, 3)
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
        self.header_row.blockSignals(True)
        self.header_row.clear()
        for row in self.table.top:
            text = "　".join(str(v) for v in row.values if v not in (None, ""))
            shown = text if len(text) <= 30 else text[:30] + "…"
            self.header_row.addItem(f"第 {row.number} 行：{shown}", row.number)
        self.header_row.setCurrentIndex(max(0, self.header_row.findData(self.table.header_row)))
        self.header_row.blockSignals(False)
        self._show_columns()

    def choose_header_row(self, row: int) -> None:
        """Take spreadsheet row ``row`` as the header, as picking it in the list does."""
        self.header_row.setCurrentIndex(self.header_row.findData(row))

    def _header_row_changed(self) -> None:
        row = self.header_row.currentData()
        if self.table is None or row is None or row == self.table.header_row:
            return
        try:
            self.table = self.table.with_header(int(row))
        except ImportFileError as error:
            self.summary.setText(str(error))
            return
        self._show_columns()

    def _show_columns(self) -> None:
        assert self.table is not None
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
        preview = check(self.table, self.mapping(), resolutions=self.resolutions)
        self.preview = preview
        self.problems.setRowCount(len(preview.problems) + (1 if preview.unlisted else 0))
        for row, problem in enumerate(preview.problems):
            values = (problem.sheet or "", str(problem.row), problem.column or "", problem.message)
            for column, value in enumerate(values):
                self.problems.setItem(row, column, QTableWidgetItem(value))
        if preview.unlisted:
            self.problems.setItem(
                len(preview.problems), 3, QTableWidgetItem(preview.unlisted_text())
            )
        self.problems.setVisible(bool(preview.problems) or not preview.rows)
        self._show_unresolved(preview.unresolved)
        self._show_matches(match_people(preview, self.election.people()) if preview.ok else ())
        self._decisions_changed()
        return preview

    def _show_unresolved(self, unresolved: tuple[Unresolved, ...]) -> None:
        """Each value of a coded column the program does not read, with a list to pick what
        it means; values already picked stay picked (their rows no longer have a problem)."""
        picked = [(item, True) for item in self.unresolved if item.key in self.resolutions]
        waiting = [(item, False) for item in unresolved if item.key not in self.resolutions]
        shown = [*waiting, *picked]
        self.unresolved = tuple(item for item, _ in shown)
        self.values_table.setRowCount(len(shown))
        for row, (item, _) in enumerate(shown):
            self.values_table.setItem(row, 0, QTableWidgetItem(FIELDS[item.field]))
            self.values_table.setItem(row, 1, QTableWidgetItem(f"“{item.text}”"))
            self.values_table.setItem(row, 2, QTableWidgetItem(item.where()))
            box = QComboBox()
            box.addItem("请选择…", None)
            for label, _value in item.choices:
                box.addItem(label, label)
            if item.key in self.resolutions:
                chosen = next(
                    label for label, value in item.choices if value == self.resolutions[item.key]
                )
                box.setCurrentIndex(box.findData(chosen))
            box.currentIndexChanged.connect(
                lambda _index, item=item, box=box: self._value_chosen(item, box)
            )
            self.values_table.setCellWidget(row, 3, box)
        self.values_table.resizeRowsToContents()
        self.values_label.setVisible(bool(shown))
        self.values_table.setVisible(bool(shown))

    def _value_chosen(self, item: Unresolved, box: QComboBox) -> None:
        label = box.currentData()
        if label is None:
            self.resolutions.pop(item.key, None)
        else:
            self.resolutions[item.key] = dict(item.choices)[label]
        self.run_check()

    def resolve(self, text: str, label: str) -> None:
        """Pick ``label`` for the value ``text`` in its list, as the user does."""
        for row, item in enumerate(self.unresolved):
            if item.text == text:
                box = self.values_table.cellWidget(row, 3)
                box.setCurrentIndex(box.findText(label))  # type: ignore[attr-defined]
                return
        raise LookupError(text)

    def _show_matches(self, matches: tuple[RosterMatch, ...]) -> None:
        """R2, R3: a name already on the roster is shown with what tells the people apart,
        and the user says whether the row updates that person or is someone new."""
        self.matches = matches
        proposed = proposed_decisions(matches)
        self.matches_table.setRowCount(len(matches))
        for row, match in enumerate(matches):
            self.matches_table.setItem(row, 0, QTableWidgetItem(str(match.row)))
            self.matches_table.setItem(
                row, 1, QTableWidgetItem(f"{match.name}（{row_description(match.values)}）")
            )
            self.matches_table.setItem(
                row, 2, QTableWidgetItem("\n".join(n.describe() for n in match.namesakes))
            )
            box = QComboBox()
            if match.index not in proposed:
                box.addItem("请选择…", UNDECIDED)
            for namesake in match.namesakes:
                box.addItem(f"更新名册中的{namesake.describe()}", namesake.record.id)
            box.addItem("作为新的人添加（与名册中的不是同一人）", ADD)
            wanted = proposed.get(match.index, UNDECIDED)
            box.setCurrentIndex(max(0, box.findData(ADD if wanted is None else wanted)))
            box.currentIndexChanged.connect(self._decisions_changed)
            self.matches_table.setCellWidget(row, 3, box)
        self.matches_table.resizeRowsToContents()
        self.matches_label.setVisible(bool(matches))
        self.matches_table.setVisible(bool(matches))
        if matches:
            self.matches_label.setText(
                f"以下 {len(matches)} 人在名册中已有同名的人（例如新建选举时录入的候选人）："
                "请逐一确认是更新名册中的这个人，还是作为新的人添加。"
                "同名的人以出生日期、性别、联系方式区分。"
            )

    def decisions(self) -> dict[int, int | None] | None:
        """Row index → person to update, or None to add; None when one is not chosen yet."""
        result: dict[int, int | None] = {}
        for row, match in enumerate(self.matches):
            choice = self.matches_table.cellWidget(row, 3).currentData()  # type: ignore[attr-defined]
            if choice == UNDECIDED:
                return None
            result[match.index] = None if choice == ADD else int(choice)
        return result

    def choose(self, name: str, text: str) -> None:
        """Choose for the row of ``name`` the entry of its box that contains ``text``."""
        for row, match in enumerate(self.matches):
            if match.name == name:
                box = self.matches_table.cellWidget(row, 3)
                for item in range(box.count()):  # type: ignore[attr-defined]
                    if text in box.itemText(item):  # type: ignore[attr-defined]
                        box.setCurrentIndex(item)  # type: ignore[attr-defined]
                        return

    def _decisions_changed(self) -> None:
        preview = self.preview
        if preview is None:
            return
        if not preview.ok:
            waiting = sum(1 for item in self.unresolved if item.key not in self.resolutions)
            choose = f"有 {waiting} 个取值须选择含义（见上表）；" if waiting else ""
            more = f"，{preview.unlisted_text()}" if preview.unlisted else ""
            self.summary.setText(
                f"发现 {preview.problem_count} 处问题（见下表{more}）：{choose}"
                "请在表格中改正后重新导入，或调整表头行和表头对应。有问题时一个人也不会导入。"
            )
            self.save_button.setEnabled(False)
            return
        decisions = self.decisions()
        if not self.matches:
            self.summary.setText(f"检查通过：{len(preview.rows)} 人可以导入。")
        elif decisions is None:
            waiting = sum(
                1
                for row in range(len(self.matches))
                if self.matches_table.cellWidget(row, 3).currentData() == UNDECIDED  # type: ignore[attr-defined]
            )
            self.summary.setText(
                f"检查通过：{len(preview.rows)} 人。还有 {waiting} 人须选择怎样处理（见下表），"
                "选好后才能导入。"
            )
        else:
            updated = sum(1 for person in decisions.values() if person is not None)
            targets = [person for person in decisions.values() if person is not None]
            if len(set(targets)) != len(targets):
                self.summary.setText("有两行选择了更新名册中的同一个人：请改正其中一行。")
                self.save_button.setEnabled(False)
                return
            self.summary.setText(
                f"检查通过：{len(preview.rows)} 人，将新增 {len(preview.rows) - updated} 人，"
                f"更新名册中已有的 {updated} 人。"
            )
        self.save_button.setEnabled(decisions is not None)

    def commit(self) -> None:
        decisions = self.decisions()
        if self.preview is None or not self.preview.ok or decisions is None:
            return
        try:
            self.saved = save(self.election, self.operator, self.preview, self.path.name, decisions)
        except (ValueError, ElectionFileError) as error:
            self.summary.setText(f"没有导入：{error}")
            return
        self.updated = sum(1 for person in decisions.values() if person is not None)
        self.accept()
