"""A full disk and a pulled USB stick during an action: the action is not applied, the
message says in Chinese what happened and what to do, nothing acknowledged is lost."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError, StorageError
from gongtui_desktop.store.verify import verify_file
from tests.store.sample import OPERATOR


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB file system of its own (tmpfs), where the machine allows mounting one."""
    if shutil.which("mount") is None:  # Windows has no mount command
        pytest.skip("cannot mount a small file system here")
    folder = tmp_path / "U盘"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "占满.bin"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_leaves_the_action_unapplied_and_says_what_to_do(
    small_disk: Path, sample_path: Path
) -> None:
    path = small_disk / sample_path.name
    shutil.copyfile(sample_path, path)
    election = ElectionFile.open(path)
    try:
        election.add_person(OPERATOR, "之前的人", MemberStatus.FULL)
        before = election.audit_length
        filler = fill(small_disk)
        with pytest.raises(StorageError) as caught:
            for number in range(200):
                election.add_person(OPERATOR, f"新人{number}" + "备注" * 2000, MemberStatus.FULL)
        message = str(caught.value)
        assert "磁盘空间已满" in message and "没有保存" in message and "腾出磁盘空间" in message
        assert "database or disk is full" not in message
        written = election.audit_length
        filler.unlink()
        # The program goes on: the next action is saved.
        election.add_person(OPERATOR, "之后的人", MemberStatus.FULL)
        names = [p.person.name for p in election.people()]
        assert "之前的人" in names and "之后的人" in names
        assert election.audit_length == written + 1 >= before + 1
    finally:
        election.close()
    assert verify_file(path).ok


def test_a_pulled_stick_is_told_in_words(sample_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "U盘"
    folder.mkdir()
    path = folder / sample_path.name
    shutil.copyfile(sample_path, path)
    election = ElectionFile.open(path)
    election.add_person(OPERATOR, "拔出前", MemberStatus.FULL)
    kept = tmp_path / "拔出前的文件.gongtui"
    election.copy_to(kept)
    shutil.rmtree(folder)
    with pytest.raises(ElectionFileError) as caught:
        election.add_person(OPERATOR, "拔出后", MemberStatus.FULL)
    message = str(caught.value)
    assert "U 盘被拔出" in message and "没有保存" in message and "I/O" not in message
    election.close()
    with ElectionFile.open(kept, read_only=True) as copy:
        assert "拔出前" in [p.person.name for p in copy.people()]
