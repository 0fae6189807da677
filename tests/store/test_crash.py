"""Crash test: a writer killed (SIGKILL; TerminateProcess on Windows) at random moments never
loses a returned entry.

Run alone with ``python -m pytest -m crash``.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.verify import verify_file

KILLS = 50

WRITER = """
import sys
from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.store.election_file import ElectionFile

election = ElectionFile.open(sys.argv[1])
round_id = int(sys.argv[2])
papers = [parse_shorthand(t, 3) for t in ("OO-", "O-X", "-OO +钱七", "XXX", "!OO-", "---")]
print("ready", flush=True)
number = 0
while True:
    record = election.enter_paper("计票人", round_id, papers[number % len(papers)])
    number += 1
    print(record.entry_no, flush=True)
"""


@pytest.mark.crash
def test_killed_writer_loses_nothing_that_was_confirmed(tmp_path: Path) -> None:
    path = tmp_path / "crash.gongtui"
    with ElectionFile.create(
        path, title="断电测试", organization="支部", operator="甲"
    ) as election:
        for name in ("张三", "李四", "王五"):
            election.add_person("甲", name, MemberStatus.FULL)
        contest = election.add_contest(
            "甲", Position.COMMITTEE, 2, [(None, "张三"), (None, "李四"), (None, "王五")]
        )
        round_id = election.open_round("甲", contest, present_voters=100_000)
    rng = random.Random(20261124)
    confirmed: set[int] = set()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(round_id)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.12))
        # SIGKILL on POSIX, TerminateProcess on Windows: no chance to clean up either way.
        child.kill()
        out, _ = child.communicate(timeout=30)
        confirmed.update(int(line) for line in out.split())
        with ElectionFile.open(path) as election:
            stored = {p.entry_no for p in election.papers(round_id)}
        assert confirmed <= stored, f"lost entries {sorted(confirmed - stored)}"
        report = verify_file(path)
        assert report.ok, report.lines()
    assert len(confirmed) > KILLS
