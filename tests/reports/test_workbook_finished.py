"""A workbook exported after the last round was confirmed in the window is not stamped
未完成: the window confirms rounds and never closes a separate election stage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongtui_desktop.reports.workbook import ROSTER_SHEET, UNFINISHED, write_workbook
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile


def test_every_contest_decided_is_a_finished_election(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    close_stage = ElectionFile.close_stage

    def as_the_window_does(self: ElectionFile, operator: str, stage: str) -> Path:
        # Recommendation and evaluation are closed on their tabs; the election stage never.
        return self.path if stage == "election" else close_stage(self, operator, stage)

    monkeypatch.setattr(ElectionFile, "close_stage", as_the_window_does)
    source = write_demo(tmp_path / "演示.gongtui", completed=True)
    with ElectionFile.open(source, read_only=True) as election:
        assert election.stage_status("election") != "closed"
        path = write_workbook(
            election, tmp_path / "计票统计表.xlsx", datetime(2026, 11, 25, tzinfo=UTC)
        )
    banner = str(load_workbook(path)[ROSTER_SHEET]["A2"].value)
    assert banner == "选举已结束：各轮结果均已确认"
    assert UNFINISHED not in banner
