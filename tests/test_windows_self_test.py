"""--self-test reports even when the temporary folder cannot be removed at the end:
antivirus still scanning a file in it (simulated: a patched shutil.rmtree)."""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

import pytest

from gongtui_desktop import safe_files
from gongtui_desktop.cli import main


def test_self_test_reports_when_cleanup_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    temp = tmp_path / "Temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(safe_files, "PAUSE", 0.01)
    real_rmtree = shutil.rmtree
    refused: list[Path] = []

    def rmtree(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).parent == temp:
            refused.append(Path(path))
            raise PermissionError(
                errno.EACCES, "另一个程序正在使用此文件", str(Path(path) / "自检.gongtui")
            )
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert "结论：全部通过" in out and out.count("通过　") == 5
    assert refused  # the cleanup was tried and refused
