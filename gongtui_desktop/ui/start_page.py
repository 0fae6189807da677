"""The start page: what to do first, the stages of the last election opened with the
button to go on with it, recent files, new election, open a file, the demo election."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.ui.stages import STAGE_LABELS, STAGES, Stage, StageState, election_stages

FIRST_STEPS = (
    "第一步：点“新建选举…”，按向导填写选举方案；之后依次导入党员名册、民主推荐、民主测评、"
    "会议签到、选举计票，最后导出归档材料。想先看一看，可以打开“演示选举”。"
)
STATE_STYLES = {
    StageState.DONE: "background: #d9f2d9; color: #0a5a22;",
    StageState.STARTED: "background: #fff2cc; color: #5c4400; font-weight: bold;",
    StageState.TODO: "background: #f2f2f2; color: #333;",
    StageState.SKIPPED: "background: #fafafa; color: #999;",
}
NEXT_STYLE = "border: 2px solid #1f5fbf;"


class StagesStrip(QWidget):
    """名册 → 推荐 → 测评 → 签到 → 选举 → 归档, each box saying its state; the next stage framed."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: dict[str, QLabel] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for index, key in enumerate(STAGES):
            if index:
                row.addWidget(QLabel("→"))
            box = QLabel()
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.setMinimumWidth(96)
            box.setFrameShape(QFrame.Shape.StyledPanel)
            self.boxes[key] = box
            row.addWidget(box, 1)
        self.show_stages(None)

    def show_stages(self, stages: list[Stage] | None, next_key: str | None = None) -> None:
        for key, box in self.boxes.items():
            stage = next((s for s in stages or [] if s.key == key), None)
            if stage is None:
                box.setText(STAGE_LABELS[key])
                box.setStyleSheet(STATE_STYLES[StageState.TODO] + "padding: 6px;")
                continue
            detail = f"\n{stage.detail}" if stage.detail else ""
            box.setText(f"{stage.label}\n{stage.state.label}{detail}")
            box.setStyleSheet(
                STATE_STYLES[stage.state]
                + "padding: 6px;"
                + (NEXT_STYLE if key == next_key else "")
            )

    def text(self) -> str:
        """What the strip says, one stage per line (for reading aloud and for tests)."""
        return "\n".join(box.text().replace("\n", " ") for box in self.boxes.values())


class StartPage(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("公推直选计票")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel("从党员名册到归档材料：逐张录入选票，投影实时计票，不联网。")
        self.new_button = QPushButton("新建选举…")
        self.open_button = QPushButton("打开选举文件…")
        self.demo_button = QPushButton("演示选举")
        for button in (self.new_button, self.open_button, self.demo_button):
            button.setMinimumHeight(44)
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        self.recent = QListWidget()
        self.recent.itemActivated.connect(
            lambda item: self.recent_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.recent.currentRowChanged.connect(lambda _row: self.refresh_stages())
        self.election_title = QLabel("")
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.election_title.setFont(title_font)
        self.stages = StagesStrip()
        self.hint = QLabel(FIRST_STEPS)
        self.hint.setWordWrap(True)
        self.continue_button = QPushButton("")
        self.continue_button.setMinimumHeight(44)
        self.continue_button.clicked.connect(self._continue)
        self.stage_path: str | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(self.election_title)
        layout.addWidget(self.stages)
        layout.addWidget(self.hint)
        go_on = QHBoxLayout()
        go_on.addWidget(self.continue_button)
        go_on.addStretch(1)
        layout.addLayout(go_on)
        layout.addSpacing(16)
        layout.addWidget(QLabel("最近打开的选举文件（双击或回车打开）："))
        layout.addWidget(self.recent, 1)

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(f"{Path(path).stem}　　{path}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        if self.recent.count():
            self.recent.setCurrentRow(0)
        self.refresh_stages()

    def showEvent(self, event: QShowEvent) -> None:
        # The file may have changed while it was open: read it again when the page returns.
        super().showEvent(event)
        self.refresh_stages()

    def refresh_stages(self) -> None:
        """The stages of the election chosen in the list (the last one opened, unless another
        is selected), read without locking it; with no election yet, the first steps."""
        if not self.isVisible():
            return
        item = self.recent.currentItem()
        self.stage_path = None if item is None else str(item.data(Qt.ItemDataRole.UserRole))
        self.continue_button.setVisible(False)
        if self.stage_path is None:
            self.election_title.setText("还没有选举")
            self.stages.show_stages(None)
            self.hint.setText(FIRST_STEPS)
            return
        try:
            with ElectionFile.open(self.stage_path, read_only=True) as election:
                title = str(election.election_details()["title"])
                stages = election_stages(election)
        except (ElectionFileError, OSError, sqlite3.Error, ValueError, KeyError) as error:
            self.election_title.setText(Path(self.stage_path).stem)
            self.stages.show_stages(None)
            self.hint.setText(f"无法读取这个选举文件：{error}")
            return
        upcoming = next(stage for stage in stages if not stage.finished)
        self.election_title.setText(f"{title}：进行到哪一步")
        self.stages.show_stages(stages, upcoming.key)
        self.hint.setText(
            f"下一步：{upcoming.tab}"
            + ("（导出归档材料：文件 → 导出归档材料…）" if upcoming.key == "archive" else "")
            + "。点下面的按钮打开这个选举，直接到这一步。"
        )
        self.continue_button.setText(f"继续：{upcoming.tab} →")
        self.continue_button.setVisible(True)

    def _continue(self) -> None:
        if self.stage_path is not None:
            self.recent_chosen.emit(self.stage_path)
