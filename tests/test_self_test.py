"""``gongtui-desktop --self-test`` passes on a sound install and says what failed otherwise."""

from __future__ import annotations

import pytest

from gongtui_desktop.cli import main
from gongtui_desktop.services import self_test


def test_self_test_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert "结论：全部通过" in out and out.count("通过　") == 5
    assert "通过　扫描识别：选票二维码可印制、可读回；PNG 和 PDF 各一张扫描选票识别正确" in out


def test_self_test_reports_a_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("磁盘已满")

    monkeypatch.setattr(self_test, "export_packet", broken)
    assert self_test.main() == 1
    out = capsys.readouterr().out
    assert "失败　导出归档材料：OSError: 磁盘已满" in out and "结论：未通过" in out
    assert "校验" not in out.split("导出归档材料")[1]
