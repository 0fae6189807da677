"""A yes/no question in the scrutineers' words, answered by Enter or Esc."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(
    parent: QWidget,
    title: str,
    text: str,
    yes: str,
    no: str,
    enter_means_yes: bool,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> bool:
    """True when the person chose ``yes``. Esc always means ``no``; Enter takes ``yes``
    only where going ahead is the safe default (confirming what was just checked)."""
    box = QMessageBox(
        icon,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.button(QMessageBox.StandardButton.Yes).setText(yes)
    box.button(QMessageBox.StandardButton.No).setText(no)
    box.setDefaultButton(
        QMessageBox.StandardButton.Yes if enter_means_yes else QMessageBox.StandardButton.No
    )
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
