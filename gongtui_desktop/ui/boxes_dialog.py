"""票箱一览: every box the main station issued, where each stands in a round, the totals,
and the 监票人's way out of a wrong import (remove it, or replace it with a corrected box)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.services.batches import import_batch
from gongtui_desktop.store.audit import short_hash
from gongtui_desktop.store.boxes import BatchReplacement
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError

HEADERS = (
    "票箱",
    "复制的文件",
    "状态",
    "发出",
    "收回",
    "导入选票",
    "计入选票",
    "校验码",
    "导入时间",
)


def confirm_replacement(parent: QWidget, error: BatchReplacement) -> str | None:
    """Show the old and the new figures; the 监票人 who confirms types their name."""
    name, ok = QInputDialog.getText(
        parent,
        "替换票箱的导入",
        f"{error}\n\n替换后，原来导入的选票不再计入（仍留在记录中）。\n确认替换的监票人姓名：",
    )
    name = name.strip()
    return name if ok and name else None


def import_with_confirmation(
    parent: QWidget, election: ElectionFile, operator: str, path: Path
) -> str:
    """Import one batch file; a box already imported with other content is replaced only
    after a 监票人 confirms. The message says what happened (refusals included)."""
    try:
        return import_batch(election, operator, path)
    except BatchReplacement as replacement:
        who = confirm_replacement(parent, replacement)
        if who is None:
            return f"{path.name}：{replacement.box}没有替换，仍按原来导入的结果计票"
        try:
            return import_batch(election, operator, path, replace_confirmed_by=who)
        except ElectionFileError as error:
            return f"{path.name}：{error}"
    except ElectionFileError as error:
        return f"{path.name}：{error}"


class BoxesDialog(QDialog):
    """The boxes of one round as the main station sees them."""

    changed = Signal()

    def __init__(
        self, election: ElectionFile, operator: str, round_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.election = election
        self.operator = operator
        self.round_id = round_id
        record = election.round(round_id)
        contest = election.contest(record.contest_id)
        self.setWindowTitle("票箱一览")
        self.resize(1100, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{contest.contest.display_title}　第 {record.number} 轮"))
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.remove_button = QPushButton("移除所选票箱的导入…")
        self.replace_button = QPushButton("用更正后的票箱文件替换…")
        close = QPushButton("关闭")
        for button in (self.remove_button, self.replace_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.remove_button.clicked.connect(self.remove_selected)
        self.replace_button.clicked.connect(self.replace_selected)
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.names: list[str | None] = []
        self.refresh()

    def refresh(self) -> None:
        record = self.election.round(self.round_id)
        imports = self.election.box_imports(self.round_id)
        by_id = {b.box_id: b for b in imports if b.box_id is not None}
        rows: list[tuple[str | None, list[str]]] = []
        for box in self.election.issued_boxes():
            found = by_id.get(box.id)
            if found is None:
                rows.append((None, [box.name, box.copy_name, "已复制，未导入", *[""] * 6]))
                continue
            rows.append((found.name, self._import_cells(found, box.copy_name, "已导入")))
        for found in imports:
            if found.box_id is None:
                rows.append(
                    (found.name, self._import_cells(found, "", "已导入（旧版文件，无票箱编号）"))
                )
        self.names = [name for name, _ in rows]
        self.table.setRowCount(len(rows) + 1)
        for row, (_, cells) in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        issued = sum(b.papers_issued for b in imports)
        collected = sum(b.papers_collected for b in imports)
        brought = sum(b.papers for b in imports)
        counted_boxes = sum(b.counted for b in imports)
        total = ["合计", "", f"已导入 {len(imports)} 个", str(issued), str(collected)]
        total += [str(brought), str(counted_boxes), "", ""]
        for column, text in enumerate(total):
            self.table.setItem(len(rows), column, QTableWidgetItem(text))
        counted = self.election.papers(self.round_id)
        own = sum(1 for p in counted if not p.box)
        registered = (
            "未登记" if record.papers_collected is None else f"{record.papers_collected} 张"
        )
        self.summary.setText(
            f"本轮收回选票（登记）：{registered}，其中各票箱收回 {collected} 张"
            f"（导入票箱时自动加上，移除时自动减去）。"
            f"计入选票 {len(counted)} 张：各票箱 {counted_boxes} 张，本机录入 {own} 张。"
        )
        self._selection_changed()

    @staticmethod
    def _import_cells(found, copy_name: str, state: str) -> list[str]:  # type: ignore[no-untyped-def]
        return [
            found.name,
            copy_name,
            state,
            str(found.papers_issued),
            str(found.papers_collected),
            str(found.papers),
            str(found.counted),
            "" if found.box_hash is None else short_hash(found.box_hash),
            found.imported_at[:16].replace("T", " "),
        ]

    def selected_box(self) -> str | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.names[row] if row < len(self.names) else None

    def select_box(self, name: str) -> None:
        for row, box in enumerate(self.names):
            if box == name:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        chosen = self.selected_box() is not None
        self.remove_button.setEnabled(chosen and not self.election.read_only)
        self.replace_button.setEnabled(chosen and not self.election.read_only)

    def remove_selected(self) -> None:
        name = self.selected_box()
        if name is None:
            return
        found = next(b for b in self.election.box_imports(self.round_id) if b.name == name)
        reason, ok = QInputDialog.getText(
            self,
            "移除票箱的导入",
            f"移除{name}的导入：它的 {found.counted} 张选票不再计入（仍留在记录中），"
            f"本轮收回减去 {found.papers_collected} 张。\n移除的理由：",
        )
        if not ok or not reason.strip():
            return
        who, ok = QInputDialog.getText(
            self, "移除票箱的导入", f"移除{name}的导入，理由：{reason.strip()}\n确认的监票人姓名："
        )
        if not ok or not who.strip():
            return
        try:
            count = self.election.remove_box_import(self.operator, self.round_id, name, who, reason)
        except ElectionFileError as error:
            QMessageBox.warning(self, "移除票箱的导入", str(error))
            return
        self.refresh()
        self.changed.emit()
        QMessageBox.information(
            self, "移除票箱的导入", f"已移除{name}的导入：{count} 张选票不再计入"
        )

    def replace_selected(self) -> None:
        name = self.selected_box()
        if name is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            f"选择{name}更正后导出的计票结果",
            str(self.election.path.parent),
            "分箱计票 (*.gtbatch)",
        )
        if not path:
            return
        message = import_with_confirmation(self, self.election, self.operator, Path(path))
        self.refresh()
        self.changed.emit()
        QMessageBox.information(self, "替换票箱的导入", message)
