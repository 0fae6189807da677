"""Choosing roster people from the keyboard: part of a name or its pinyin initials, then Enter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from gongtui_desktop.pinyin_data import initials_table

Person = tuple[int, str]


class NamePicker(QWidget):
    """A field that turns typed letters into people: Enter takes the best match, Backspace on an
    empty field drops the last one, Ctrl+Enter asks to commit the whole form. The form calls
    :meth:`take_pending` before it saves, so nothing typed is dropped or guessed."""

    changed = Signal()
    commit_requested = Signal()

    def __init__(self, title: str, people: list[Person], single: bool = False) -> None:
        super().__init__()
        self.people = people
        self.single = single
        self.chosen: list[Person] = []
        self.title = QLabel(title)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("姓名或拼音首字母，回车选中")
        self.hint = QLabel("")
        self.hint.setStyleSheet("color: #555;")
        self.chosen_label = QLabel("")
        self.chosen_label.setWordWrap(True)
        self.state = QLabel("")
        row = QHBoxLayout()
        row.addWidget(self.title)
        row.addWidget(self.edit, 1)
        row.addWidget(self.hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.chosen_label)
        layout.addWidget(self.state)
        self.edit.textChanged.connect(self._update_hint)
        self.edit.installEventFilter(self)

    def best(self) -> Person | None:
        """The first of the best matches: what Enter takes, as the hint shows."""
        text = self.edit.text().strip()
        if not text:
            return None
        names = initials_table().rank([name for _, name in self.people], text)
        if not names:
            return None
        return next(p for p in self.people if p[1] == names[0])

    def matches(self) -> list[Person]:
        """Every person the typed text finds equally well (see ``InitialsTable.best``)."""
        names = [name for _, name in self.people]
        return [self.people[i] for i in initials_table().best(names, self.edit.text())]

    def field_name(self) -> str:
        """The field as the user sees it, for messages: ``委员（3 名）``."""
        return self.title.text().strip().rstrip("：:") or "姓名"

    def _update_hint(self) -> None:
        best = self.best()
        if self.edit.text().strip() and best is None:
            self.hint.setText("名册中没有")
            return
        others = len(self.matches()) - 1
        more = f"（另有 {others} 人相符）" if others > 0 else ""
        self.hint.setText("" if best is None else f"回车选：{best[1]}{more}")

    def take_best(self) -> bool:
        best = self.best()
        if best is None:
            return False
        self._take(best)
        return True

    def _take(self, person: Person) -> None:
        if self.single:
            self.chosen = [person]
        elif person not in self.chosen:
            self.chosen.append(person)
        self.edit.clear()
        self._show()

    def take_pending(self) -> str | None:
        """Before the form is saved: text still in the field that finds exactly one person
        is taken as if Enter had been pressed; text that finds nobody, or several people
        equally well, is not guessed at. Returns what is wrong, in words, or None."""
        text = self.edit.text().strip()
        if not text:
            return None
        found = self.matches()
        if len(found) == 1:
            self._take(found[0])
            return None
        if not found:
            return f"{self.field_name()}一栏的“{text}”在名册中找不到：请改正或删去后再录入"
        names = "、".join(name for _, name in found[:5]) + ("等" if len(found) > 5 else "")
        return (
            f"{self.field_name()}一栏的“{text}”对应 {len(found)} 人（{names}）："
            "请多输入几个字，或按回车选定后再录入"
        )

    def drop_last(self) -> None:
        if self.chosen:
            self.chosen.pop()
            self._show()

    def clear(self) -> None:
        self.chosen = []
        self.edit.clear()
        self._show()

    def _show(self) -> None:
        self.chosen_label.setText("、".join(name for _, name in self.chosen))
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    self.commit_requested.emit()
                else:
                    self.take_best()
                return True
            if key == Qt.Key.Key_Backspace and not self.edit.text():
                self.drop_last()
                return True
        return super().eventFilter(watched, event)
