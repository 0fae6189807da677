"""A lock file that Windows would not let the program delete at a normal close (another
program had it open: simulated, tests/windows_sim.py) is not taken for a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.lock import WriterLock, lock_path
from tests.store.sample import build_sample
from tests.windows_sim import Held

TAKEOVER = "接管异常退出后遗留的文件锁"


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    path = tmp_path / "统计局.gongtui"
    build_sample(path).close()
    return path


def test_a_normal_close_whose_lock_file_stays_is_no_crash_but_a_crash_still_is(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = Held(monkeypatch)
    held.hold(lock_path(sample_path))  # the indexer or a second window has it open
    with ElectionFile.open(sample_path) as election:
        election.add_person("王计票", "新党员", MemberStatus.FULL)
    assert lock_path(sample_path).exists() and held.refusals >= 1
    lock = WriterLock.acquire(sample_path)
    assert lock.took_over is None
    mine = json.loads(lock_path(sample_path).read_text("utf-8"))
    # The process dies here: the operating system drops its locks, the file keeps its text.
    lock._handle.close()  # type: ignore[union-attr]
    lock._file.close()  # type: ignore[union-attr]
    held.release(lock_path(sample_path))
    with ElectionFile.open(sample_path) as election:
        actions = [entry.action for entry in election.audit_entries()]
        last = election.audit_entries()[-1]
    assert actions.count(TAKEOVER) == 1
    assert last.action == TAKEOVER and mine["user"] in last.changes
