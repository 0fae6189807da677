"""Draws the program's icon (a ballot box mark) into resources/icons/ as PNG and ICO.

QT_QPA_PLATFORM=offscreen python tools/make_icon.py
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#c8102e"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.18, size * 0.18)
    pen = QPen(QColor("#ffd200"))
    pen.setWidthF(size * 0.09)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QRectF(size * 0.22, size * 0.22, size * 0.56, size * 0.56))
    font = QFont("Noto Sans CJK SC")
    font.setPixelSize(int(size * 0.34))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "票")
    painter.end()
    return image


def main() -> None:
    app = QGuiApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "gongtui.png"))
    draw(256).save(str(OUT / "gongtui.ico"))
    del app


if __name__ == "__main__":
    main()
