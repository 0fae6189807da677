"""The paper being keyed in: candidates with their numbers and marks, driven by the keypad."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.domain.ballots import BallotPaper, Mark
from gongtui_desktop.domain.counting import RoundSpec
from gongtui_desktop.domain.options import CountOptions
from gongtui_desktop.services.keypad import Keypad, Outcome, Reply
from gongtui_desktop.ui.text import VOID_REASONS

KEY_TOKENS = {
    key.value: token
    for key, token in (
        (Qt.Key.Key_Asterisk, "*"),
        (Qt.Key.Key_Minus, "-"),
        (Qt.Key.Key_Slash, "/"),
        (Qt.Key.Key_Period, "."),
        (Qt.Key.Key_Plus, "+"),
        (Qt.Key.Key_Return, "Enter"),
        (Qt.Key.Key_Enter, "Enter"),
        (Qt.Key.Key_Escape, "Esc"),
        (Qt.Key.Key_Backspace, "Backspace"),
        (Qt.Key.Key_Delete, "Delete"),
    )
}
MARK_STYLE = {
    Mark.FOR: ("○", "color: #0a7a2f;"),
    Mark.AGAINST: ("×", "color: #b00020;"),
    Mark.NONE: ("", ""),
}
LEGEND = (
    "数字：画○（再按为×，三按清除） Ctrl+数字或 -数字：画×  *：全部画○再按编号去掉  "
    "/：空白票  .：宣布作废  +：另选他人  Enter：录入  Esc：清除（更正时放弃更正）  "
    "Delete：清除重录  Backspace：退一步"
)


class PaperEditor(QWidget):
    """Keyboard-first entry of one paper; emits ``reply`` for everything the keypad says."""

    reply = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.keypad: Keypad | None = None
        self._rows: list[tuple[QLabel, QLabel]] = []
        layout = QVBoxLayout(self)
        self.heading = QLabel("请选择选举项目和轮次")
        self.heading.setObjectName("paperHeading")
        layout.addWidget(self.heading)
        self.grid = QGridLayout()
        layout.addLayout(self.grid)
        write_in_row = QHBoxLayout()
        write_in_row.addWidget(QLabel("另选他人（按 + 输入，Enter 加入）："))
        self.write_in = QLineEdit()
        self.write_in.setPlaceholderText("姓名，可输入名册中的姓名")
        self.write_in.installEventFilter(self)
        write_in_row.addWidget(self.write_in, 1)
        self.unmarked = QCheckBox("名字旁未画○")
        write_in_row.addWidget(self.unmarked)
        layout.addLayout(write_in_row)
        self.write_ins_label = QLabel("")
        self.write_ins_label.setVisible(False)
        layout.addWidget(self.write_ins_label)
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        self.hint.setObjectName("paperHint")
        layout.addWidget(self.hint)
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #555; font-size: 9pt;")
        layout.addWidget(legend)
        layout.addStretch(1)
        self._roster: dict[str, int] = {}

    def set_round(
        self,
        spec: RoundSpec | None,
        options: CountOptions,
        roster: dict[str, int],
        closed_text: str = "请选择选举项目和轮次",
    ) -> None:
        """Show the candidates of a round (or nothing) and start a fresh paper."""
        self._roster = roster
        completer = QCompleter(sorted(roster))
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.write_in.setCompleter(completer)
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self._rows.clear()
        self.keypad = None if spec is None else Keypad(spec, options)
        self.write_in.setEnabled(spec is not None)
        self.unmarked.setEnabled(spec is not None)
        self.write_ins_label.setText("")
        self.hint.setText("")
        if spec is None:
            self.heading.setText(closed_text)
            return
        width = 1 if len(spec.candidates) <= 9 else 2
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.45)
        # Several columns keep the paper within a 768-pixel screen.
        columns = 1 if len(spec.candidates) <= 6 else 2 if len(spec.candidates) <= 12 else 3
        for index, name in enumerate(spec.candidates):
            number = QLabel(f"{index + 1:0{width}d}")
            number.setFont(big)
            number.setStyleSheet("color: #666;")
            label = QLabel(name)
            label.setFont(big)
            mark = QLabel("")
            mark.setFont(big)
            mark.setMinimumWidth(40)
            row, column = divmod(index, columns)
            self.grid.addWidget(number, row, column * 3)
            self.grid.addWidget(label, row, column * 3 + 1)
            self.grid.addWidget(mark, row, column * 3 + 2)
            self._rows.append((label, mark))
        for column in range(columns * 3):
            self.grid.setColumnStretch(column, 0)
        self.grid.setColumnStretch(columns * 3, 1)
        self.heading.setText(f"应选 {spec.seats} 名：每张选票赞成不超过 {spec.seats} 人")
        self.refresh()

    def refresh(self, message: str = "", warning: bool = False) -> None:
        if self.keypad is None:
            return
        draft = self.keypad.draft
        for (_, mark_label), mark in zip(self._rows, draft.marks, strict=True):
            text, style = MARK_STYLE[mark]
            mark_label.setText(text)
            mark_label.setStyleSheet(style)
        self.write_ins_label.setText(
            "另选："
            + "、".join(w.name + ("" if w.marked else "（未画○）") for w in draft.write_ins)
            if draft.write_ins
            else ""
        )
        self.write_ins_label.setVisible(bool(draft.write_ins))
        if not message:
            pending = f"  已输入编号：{draft.pending}" if draft.pending else ""
            against = "  下一个编号画×" if draft.against_next else ""
            mode = "  全部画○模式：按编号去掉" if draft.all_except else ""
            judgement = self.keypad.judgement()
            message = (
                (judgement.explanation() if not draft.empty else "") + pending + against + mode
            )
            warning = not judgement.valid
        self.hint.setText(message)
        self.hint.setStyleSheet("color: #b00020; font-weight: bold;" if warning else "color: #333;")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.keypad is None:
            super().keyPressEvent(event)
            return
        key = int(event.key())
        if Qt.Key.Key_0.value <= key <= Qt.Key.Key_9.value:
            token: str | None = chr(key)
        else:
            token = KEY_TOKENS.get(key)
        if token is None:
            super().keyPressEvent(event)
            return
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        pending = self.write_in.text().strip()
        if token == "Enter" and pending:
            # A name typed but not added is part of the paper: never commit without it.
            self.reply.emit(
                Reply(
                    Outcome.WARN,
                    f"另选他人一栏还有“{pending}”没有加入：按 + 回到该栏按 Enter 加入，"
                    "或在该栏按 Esc 清除后再录入",
                )
            )
            return
        self.reply.emit(self.keypad.press(token, control=control))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the write-in field adds the name; it must not also commit the paper."""
        if watched is self.write_in and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                popup = self.write_in.completer().popup() if self.write_in.completer() else None
                if popup is not None and popup.isVisible():
                    return False  # let the completer take the highlighted name first
                self._add_write_in()
                return True
            if key == Qt.Key.Key_Escape:
                self.write_in.clear()
                self.setFocus()
                return True
        return super().eventFilter(watched, event)

    def open_write_in(self) -> None:
        self.write_in.setFocus()

    def _add_write_in(self) -> None:
        name = self.write_in.text().strip()
        if self.keypad is None or not name:
            self.setFocus()
            return
        reply = self.keypad.add_write_in(
            name, not self.unmarked.isChecked(), self._roster.get(name)
        )
        self.write_in.clear()
        self.unmarked.setChecked(False)
        self.setFocus()
        self.reply.emit(reply)

    def void(self, reason: str) -> Reply:
        assert self.keypad is not None
        return self.keypad.void(reason)

    def load(self, paper: BallotPaper, write_in_people: tuple[int | None, ...]) -> None:
        """Start from an earlier paper (correction)."""
        if self.keypad is not None:
            self.keypad.load(paper, write_in_people)
            self.refresh()

    def follow(
        self,
        reply: Reply,
        commit: Callable[[Reply], None],
        idle: str = "",
        cleared: Callable[[], None] | None = None,
    ) -> None:
        """What a reply means for the editor itself — a warning, the void reason asked
        (R5), the write-in field opened — and a finished paper handed to ``commit``.
        ``idle`` is the line shown when nothing else needs saying (e.g. 正在更正第 3 张);
        ``cleared`` is told of Esc, which also ends a correction or a settling."""
        if reply.outcome is Outcome.COMMIT:
            commit(reply)
        elif reply.outcome is Outcome.CLEARED and cleared is not None:
            cleared()
        elif reply.outcome is Outcome.WARN:
            self.refresh(reply.message, warning=True)
        elif reply.outcome is Outcome.ASK_VOID_REASON:
            reason, ok = QInputDialog.getItem(self, "宣布作废", "作废理由：", VOID_REASONS, 0, True)
            if ok:
                self.follow(self.void(reason), commit, idle)
            self.window().activateWindow()  # typing goes on here after the dialog
            self.setFocus()
        elif reply.outcome is Outcome.OPEN_WRITE_IN:
            self.open_write_in()
        else:
            self.refresh(idle or reply.message)

    @staticmethod
    def is_commit(reply: Reply) -> bool:
        return reply.outcome is Outcome.COMMIT
