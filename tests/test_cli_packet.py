"""``gongtui-desktop verify PACKET`` always compares with the 校验码 printed on the signed
report: it asks for it when none is given."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gongtui_desktop.cli import main
from gongtui_desktop.reports.packet import export_packet
from gongtui_desktop.store.audit import short_hash
from tests.store.sample import build_sample


@pytest.fixture
def packet(tmp_path: Path) -> tuple[Path, Path, str]:
    path = tmp_path / "统计局.gongtui"
    election = build_sample(path)
    code = election.short_hash
    election.close()
    exported = export_packet(path, tmp_path / "out")
    return exported.folder, exported.archive, code


def test_the_printed_code_is_asked_for_and_checked(
    packet: tuple[Path, Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, archive, code = packet
    for target in (folder, archive):
        monkeypatch.setattr("sys.stdin", io.StringIO(code + "\n"))
        assert main(["verify", str(target)]) == 0
        out = capsys.readouterr().out
        assert "请输入签字的计票结果报告单" in out and "结论：归档材料完整" in out


def test_a_wrong_code_fails(
    packet: tuple[Path, Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, _, code = packet
    wrong = short_hash("f" * 64)
    monkeypatch.setattr("sys.stdin", io.StringIO(wrong + "\n"))
    assert main(["verify", str(folder)]) == 1
    assert f"报告上的校验码 {wrong} 在审计记录中找不到" in capsys.readouterr().out
    assert main(["verify", str(folder), "--expect", code]) == 0


def test_no_code_is_no_pass(
    packet: tuple[Path, Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, _, _ = packet
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["verify", str(folder)]) == 1
    assert "没有输入校验码" in capsys.readouterr().err
