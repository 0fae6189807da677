"""A share typed and shown as a percentage: 40 for 40%, never 0.4."""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from gongtui_desktop.domain.numbers import decimal_text, parse_decimal


class PercentEdit(QLineEdit):
    """The plan keeps a fraction (2/5); the person sees and types ``40`` beside a ``%`` sign.

    A value between 0 and 1 is refused rather than read as a fraction of one per cent: it is
    almost surely the old way of writing a share (``0.4`` for 40%)."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what
        self.setMaximumWidth(90)
        self.setPlaceholderText("例如 40")

    def set_share(self, value: Fraction) -> None:
        self.setText(decimal_text(value * 100, 2))

    def share(self) -> Fraction:
        text = self.text().strip().rstrip("%％").strip()
        figure = parse_decimal(text, self.what)
        if 0 < figure < 1:
            raise ValueError(f"{self.what}按百分数填写：40% 就填 40；现在填的“{text}”会是 {text}%")
        return figure / 100

    def with_sign(self) -> QWidget:
        """The field with its ``%`` sign, for a form row."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self)
        row.addWidget(QLabel("%"))
        row.addStretch(1)
        return holder
