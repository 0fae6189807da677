"""The command line as Windows runs it: output through a pipe in the ANSI code page, and the
windowed program (no console: ``sys.stdout`` is None) given a command."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongtui_desktop.cli import main
from gongtui_desktop.services.demo import write_demo

RARE = "𬭚䶮"  # standard characters that GBK lacks


def run(*args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    """The command with its output through a pipe, as Python on Windows writes it: in the
    ANSI code page, which PYTHONIOENCODING sets here."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUTF8"}
    env.update(PYTHONIOENCODING=encoding, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run(
        [sys.executable, "-m", "gongtui_desktop", *args],
        capture_output=True,
        env=env,
        timeout=300,
    )


def test_chinese_through_a_cp1252_pipe(tmp_path: Path) -> None:
    path = tmp_path / f"{RARE}支部.gongtui"
    done = run("demo", str(path), "--completed", encoding="cp1252")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert f"已写出演示选举文件：{path}" in done.stdout.decode("utf-8")
    checked = run("verify", str(path), encoding="cp1252")
    assert checked.returncode == 0, checked.stderr.decode("utf-8", "replace")
    assert "结论：文件完整" in checked.stdout.decode("utf-8")
    missing = run("verify", str(tmp_path / "没有.gongtui"), encoding="cp1252")
    assert missing.returncode == 2  # "could not check", as documented; not 1, "altered"
    assert "找不到选举文件" in missing.stderr.decode("utf-8")


def test_self_test_through_a_cp1252_pipe() -> None:
    done = run("--self-test", encoding="cp1252")
    assert done.returncode == 0, done.stdout.decode("utf-8", "replace")
    assert "结论：全部通过" in done.stdout.decode("utf-8")


def test_names_gbk_lacks_through_a_gbk_pipe(tmp_path: Path) -> None:
    path = tmp_path / f"{RARE}支部.gongtui"
    done = run("demo", str(path), encoding="gbk")
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    # cmd and a Chinese PowerShell read GBK: kept, the two missing characters as "?".
    assert "已写出演示选举文件" in done.stdout.decode("gbk") and "??支部" in done.stdout.decode(
        "gbk"
    )
    assert path.is_file()


def test_error_output_in_cp1252(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(raw, encoding="cp1252"))
    assert main(["export", str(tmp_path / f"{RARE}.gongtui"), str(tmp_path / "out")]) == 2
    sys.stderr.flush()
    assert "无法导出" in raw.getvalue().decode("utf-8")


def close_dialog_later(qtbot, found: list[object], answer: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """When the modal window appears, note it and close it (typing ``answer`` if it asks)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(20, look)
            return
        found.append(widget)
        if isinstance(widget, QInputDialog):
            widget.setTextValue(answer or "")
            widget.accept()
            QTimer.singleShot(20, look)  # then the result
            return
        found.append(
            (widget.headline.text(), widget.output.toPlainText(), widget.hint.text())  # type: ignore[attr-defined]
        )
        widget.close()

    QTimer.singleShot(20, look)


def windowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The packaged windowed program on Windows has no console streams (set in the test
    itself: pytest puts its own streams back between a fixture and the test)."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)


def test_the_windowed_program_shows_verify_in_a_window(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = write_demo(tmp_path / "演示.gongtui", completed=True)
    windowed(monkeypatch)
    found: list[object] = []
    close_dialog_later(qtbot, found)
    assert main(["verify", str(path)]) == 0
    headline, output, hint = found[-1]  # type: ignore[misc]
    assert headline == "校验通过：文件完整。" and "结论：文件完整" in output
    assert f"gongtui-desktop-cli verify {path}" in hint


def test_the_windowed_program_asks_for_the_code_in_a_window(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from gongtui_desktop.reports.packet import export_packet

    packet = export_packet(write_demo(tmp_path / "演示.gongtui", completed=True), tmp_path)
    from gongtui_desktop.store.audit import short_hash

    code = short_hash(packet.chain_hash)
    windowed(monkeypatch)
    found: list[object] = []
    close_dialog_later(qtbot, found, answer=code)
    assert main(["verify", str(packet.folder)]) == 0
    headline, output, _ = found[-1]  # type: ignore[misc]
    assert headline.startswith("校验通过") and "归档材料完整" in output


def test_the_windowed_program_shows_help_and_mistakes(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    windowed(monkeypatch)
    found: list[object] = []
    close_dialog_later(qtbot, found)
    assert main(["--help"]) == 0
    assert "verify" in found[-1][1]  # type: ignore[index]
    close_dialog_later(qtbot, found)
    assert main(["verify"]) == 2
    assert "file" in found[-1][1] and found[-1][0].startswith("无法校验")  # type: ignore[index]


def test_help_names_the_console_program_on_windows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "gongtui-desktop-cli verify 文件" in out and "usage: gongtui-desktop-cli" in out
