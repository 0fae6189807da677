"""Bad files and places: a clear Chinese message, nothing written, non-zero exit."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongtui_desktop.cli import main
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.schema import SCHEMA_VERSION


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def refuse(path: Path, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(path.parent)
    with pytest.raises(ElectionFileError, match=message):
        ElectionFile.open(path)
    with pytest.raises(ElectionFileError, match=message):
        ElectionFile.open(path, read_only=True)
    assert main(["verify", str(path)]) == 2
    assert message in capsys.readouterr().err
    assert snapshot(path.parent) == before


def test_not_an_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "名单.gongtui"
    path.write_bytes("姓名,性别\n张三,男\n".encode() * 20)
    refuse(path, "不是选举文件", capsys)


def test_another_sqlite_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.gongtui"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (a)")
    connection.commit()
    connection.close()
    refuse(path, "不是本程序的选举文件", capsys)


def test_truncated_file(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 3])
    refuse(sample_path, "已损坏", capsys)


def test_file_from_a_newer_version(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    connection = sqlite3.connect(sample_path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    refuse(sample_path, "更新版本的程序", capsys)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ElectionFileError, match="找不到选举文件"):
        ElectionFile.open(tmp_path / "none.gongtui")


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to: permissions for a normal user, a read-only mount for root."""
    if sys.platform == "win32":
        # No os.geteuid, and chmod cannot forbid writing into a folder there (only an ACL can).
        pytest.skip("a read-only folder needs an ACL on Windows")
    folder = tmp_path / "光盘"
    folder.mkdir()
    if os.geteuid() != 0:
        yield folder
        folder.chmod(0o555)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a read-only file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def make_read_only(folder: Path) -> None:
    if os.geteuid() != 0:
        folder.chmod(0o555)
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def test_read_only_location(read_only_folder: Path, sample_path: Path) -> None:
    target = read_only_folder / "统计局.gongtui"
    shutil.copyfile(sample_path, target)
    make_read_only(read_only_folder)
    before = snapshot(read_only_folder)
    with pytest.raises(ElectionFileError, match="只读"):
        ElectionFile.open(target)
    with pytest.raises(ElectionFileError, match="只读"):
        ElectionFile.create(
            read_only_folder / "新.gongtui", title="x", organization="y", operator="z"
        )
    with ElectionFile.open(target, read_only=True) as election:
        assert len(election.people()) == 10
    assert main(["verify", str(target)]) == 0
    assert snapshot(read_only_folder) == before


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_a_foreign_file_with_our_application_id_is_not_migrated_in_place(tmp_path: Path) -> None:
    """An old-format file whose rows were written outside the program: verified before the
    upgrade, refused, and left exactly as it was (no upgrade, no copy beside it)."""
    path = tmp_path / "外来.gongtui"
    shutil.copyfile(FIXTURES / "election-v1.gongtui", path)
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO people (name, status) VALUES ('外来的人', 'full')")
    connection.commit()
    connection.close()
    before = snapshot(tmp_path)
    with pytest.raises(ElectionFileError) as caught:
        ElectionFile.open(path)
    message = str(caught.value)
    assert "不能以编辑方式打开" in message and "不在审计记录中" in message
    assert "也没有升级它的格式" in message
    assert snapshot(tmp_path) == before


def test_orphan_backup_parts_are_removed_at_opening(sample_path: Path) -> None:
    folder = sample_path.parent / "backups"
    orphan = folder / f"{sample_path.stem}-20261124-101010-123-第1轮结果确认-0123abcd.gongtui.part"
    orphan.write_bytes(b"SQLite format 3\x00half")
    other = folder / "另一个选举-20261124-101010-123-x-0123abcd.gongtui.part"
    other.write_bytes(b"not ours")
    with ElectionFile.open(sample_path):
        pass
    assert not orphan.exists()
    assert other.exists()  # another election's backup may be in progress


def test_opening_read_only_leaves_orphan_parts(sample_path: Path) -> None:
    orphan = sample_path.parent / "backups" / f"{sample_path.stem}-x.gongtui.part"
    orphan.write_bytes(b"x")
    with ElectionFile.open(sample_path, read_only=True):
        pass
    assert orphan.exists()
