"""Small fits to Windows for the window: the Chinese font under either of its names, and
the projector moved to another screen while it is full screen."""

from __future__ import annotations

from PySide6.QtGui import QFont, QScreen
from PySide6.QtWidgets import QWidget

# Windows may list Microsoft YaHei under its Chinese name when the system is Chinese.
CJK_FAMILIES = (
    "Microsoft YaHei",
    "微软雅黑",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)


def chinese_font(point_size: int = 11) -> QFont:
    """The program's font: the first of the Chinese families this computer has, whatever
    name it lists it under (setFamilies lets Qt choose, a single name may miss)."""
    font = QFont()
    font.setFamilies(list(CJK_FAMILIES))
    font.setPointSize(point_size)
    return font


def full_screen_on(window: QWidget, screen: QScreen) -> None:
    """Full screen on ``screen``. Windows keeps a full-screen window on the screen it is on
    when it is only given another one: it is made normal first, then moved."""
    if window.isFullScreen():
        window.showNormal()
    window.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()
