"""One writer at a time; a lock left by a crashed instance is taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError, FileLockedError
from gongtui_desktop.store.lock import lock_path
from tests.store.sample import OPERATOR


def test_second_writer_is_told_who_has_the_file(sample: ElectionFile) -> None:
    with pytest.raises(FileLockedError) as caught:
        ElectionFile.open(sample.path)
    holder = caught.value.holder
    assert holder is not None and holder.pid == os.getpid() and holder.host == socket.gethostname()
    assert "正由" in str(caught.value) and "只读方式" in str(caught.value)
    # Who, where and since when in words: no process number, no ISO time stamp.
    message = str(caught.value)
    assert f"在计算机“{socket.gethostname()}”上从今天 " in message
    assert str(os.getpid()) not in message and "T" not in message.split("上从今天")[1]
    with ElectionFile.open(sample.path, read_only=True) as reader:
        sample.add_person(OPERATOR, "新来的", MemberStatus.FULL)
        assert "新来的" in [p.person.name for p in reader.people()]


def test_lock_is_released_on_close(sample_path: Path) -> None:
    ElectionFile.open(sample_path).close()
    assert not lock_path(sample_path).exists()
    ElectionFile.open(sample_path).close()


def test_another_process_is_refused(sample_path: Path) -> None:
    code = (
        "import sys, time\n"
        "from gongtui_desktop.store.election_file import ElectionFile\n"
        f"e = ElectionFile.open({str(sample_path)!r})\n"
        "print('open', flush=True)\n"
        "sys.stdin.readline()\n"
        "e.close()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        with pytest.raises(FileLockedError) as caught:
            ElectionFile.open(sample_path)
        assert caught.value.holder is not None and caught.value.holder.pid == child.pid
    finally:
        child.communicate("\n", timeout=30)
    ElectionFile.open(sample_path).close()


def test_stale_lock_of_a_dead_instance_is_taken_over_and_noted(sample_path: Path) -> None:
    stale = {
        "host": "会议室电脑",
        "pid": 999999,
        "user": "李计票",
        "since": "2026-11-24T09:00:00+08:00",
    }
    lock_path(sample_path).write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")
    with ElectionFile.open(sample_path) as election:
        last = election.audit_entries()[-1]
        assert last.action == "接管异常退出后遗留的文件锁" and last.operator == "系统"
        assert "会议室电脑" in last.changes and "李计票" in last.changes
    from gongtui_desktop.store.verify import verify_file

    assert verify_file(sample_path).ok


def test_a_symlink_leads_to_the_same_lock(sample: ElectionFile, tmp_path: Path) -> None:
    link = tmp_path / "link.gongtui"
    try:
        link.symlink_to(sample.path)
    except OSError:
        # Windows allows symbolic links only with a privilege or in developer mode.
        pytest.skip("symbolic links need a privilege here")
    with pytest.raises(FileLockedError):
        ElectionFile.open(link)


def test_an_empty_stale_lock_is_taken_over_too(sample_path: Path) -> None:
    lock_path(sample_path).write_text("", encoding="utf-8")
    with ElectionFile.open(sample_path) as election:
        assert election.audit_entries()[-1].action == "接管异常退出后遗留的文件锁"


def _holder(path: Path, *, write_on_command: bool = False) -> subprocess.Popen[str]:
    """Another process that opens ``path`` for writing and waits; on a line "add" it adds a
    person and prints the outcome."""
    code = (
        "import sys\n"
        "from gongtui_desktop.domain.people import MemberStatus\n"
        "from gongtui_desktop.store.election_file import ElectionFile\n"
        "from gongtui_desktop.store.errors import ElectionFileError\n"
        f"e = ElectionFile.open({str(path)!r})\n"
        "print('open', flush=True)\n"
        "for line in sys.stdin:\n"
        "    if line.strip() != 'add':\n"
        "        break\n"
        "    try:\n"
        "        e.add_person('李计票', '另一进程', MemberStatus.FULL)\n"
        "        print('saved', flush=True)\n"
        "    except ElectionFileError as error:\n"
        "        print('refused ' + str(error), flush=True)\n"
        "e.close()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "open"
    return child


def test_a_hard_link_does_not_let_a_second_process_write(sample_path: Path) -> None:
    child = _holder(sample_path)
    try:
        link = sample_path.with_name("另一个名字.gongtui")
        os.link(sample_path, link)
        with pytest.raises(ElectionFileError) as caught:
            ElectionFile.open(link)
        message = str(caught.value)
        assert "硬链接" in message and "只读方式" in message and str(link) in message
        # The first writer is stopped too: both names now reach one file.
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("add\n")
        child.stdin.flush()
        answer = child.stdout.readline()
        assert answer.startswith("refused") and "硬链接" in answer
    finally:
        child.communicate("\n", timeout=30)
    with ElectionFile.open(link, read_only=True) as reader:
        assert "另一进程" not in [p.person.name for p in reader.people()]


def test_a_file_with_two_links_is_refused_for_writing_with_the_reason(sample_path: Path) -> None:
    os.link(sample_path, sample_path.with_name("副本.gongtui"))
    for name in (sample_path, sample_path.with_name("副本.gongtui")):
        with pytest.raises(ElectionFileError) as caught:
            ElectionFile.open(name)
        assert "2 个名字（硬链接）" in str(caught.value)
        assert "复制" in str(caught.value)
        with ElectionFile.open(name, read_only=True) as reader:
            assert reader.people()


def test_the_lock_follows_the_file_not_its_name(sample_path: Path) -> None:
    """A writer holds the file; it is renamed: a second process under the new name (whose
    lock file beside it is free) is still refused, and the first writer is told the file
    moved instead of a disk error."""
    child = _holder(sample_path)
    moved = sample_path.with_name("改名后.gongtui")
    try:
        os.rename(sample_path, moved)
        with pytest.raises(FileLockedError):
            ElectionFile.open(moved)
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("add\n")
        child.stdin.flush()
        answer = child.stdout.readline()
        assert answer.startswith("refused") and "改名" in answer and "重新打开" in answer
        assert "disk I/O" not in answer
    finally:
        child.communicate("\n", timeout=30)
    with ElectionFile.open(moved) as election:
        assert "另一进程" not in [p.person.name for p in election.people()]
