"""The windowed program given a command (``verify``, ``export``, ``--self-test``…): it has
no console to print to, and the console it was started from does not wait for it, so
the result is shown in a window, with the command that prints it in a console."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

TITLE = "公推直选计票"
CONSOLE_PROGRAM = "gongtui-desktop-cli"


def _application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        from gongtui_desktop.ui.app import install_chinese

        install_chinese(app)
    return app


def headline(argv: list[str], code: int) -> str:
    """What the exit code means for this command, in words."""
    command = argv[0] if argv else ""
    if command == "verify":
        return {0: "校验通过：文件完整。", 1: "校验未通过：发现问题，见下面的报告。"}.get(
            code, "无法校验，原因见下面的说明。"
        )
    if command == "export":
        return {0: "已导出归档材料。", 1: "选举文件未通过校验，没有导出任何材料。"}.get(
            code, "没有导出，原因见下面的说明。"
        )
    if command == "demo":
        return "已写出演示选举文件。" if code == 0 else "没有写出演示文件，原因见下面的说明。"
    if "--self-test" in argv:
        return "自检全部通过。" if code == 0 else "自检未通过，见下面的报告。"
    return "" if code == 0 else "命令没有完成，原因见下面的说明。"


def console_hint(argv: list[str]) -> str:
    example = " ".join([CONSOLE_PROGRAM, *argv]) if argv else f"{CONSOLE_PROGRAM} --help"
    return (
        "本程序是窗口程序，在命令提示符中运行时看不到输出，也不会等它结束。要在命令提示符中"
        f"看到结果和退出码，请运行同一文件夹中的 {CONSOLE_PROGRAM}.exe，例如：\n{example}"
    )


class CommandResult(QDialog):
    def __init__(self, argv: list[str], text: str, code: int) -> None:
        super().__init__()
        self.setWindowTitle(TITLE)
        layout = QVBoxLayout(self)
        self.headline = QLabel(headline(argv, code))
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        layout.addWidget(self.headline)
        self.output = QPlainTextEdit(text.rstrip("\n") or "（没有输出）")
        self.output.setReadOnly(True)
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.output.setMinimumSize(640, 320)
        layout.addWidget(self.output)
        self.hint = QLabel(console_hint(argv))
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("复制结果", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_command_result(argv: list[str], text: str, code: int) -> None:
    _application()
    CommandResult(argv, text, code).exec()


def ask_code() -> str:
    """The 校验码 on the signed report, asked in a window (there is no console to type in)."""
    _application()
    code, ok = QInputDialog.getText(
        None, TITLE, "请输入签字的计票结果报告单（或投影屏幕照片）上的校验码："
    )
    return code.strip() if ok else ""
