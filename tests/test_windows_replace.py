"""Backups, copies and box batch files are put in place even while antivirus holds the
file for a moment (simulated: tests/windows_sim.py); a file held for good is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongtui_desktop import safe_files
from gongtui_desktop.domain.positions import Position
from gongtui_desktop.services.batches import read_batch, write_batch
from gongtui_desktop.store.backup import backup_folder
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.verify import verify_file
from tests.windows_sim import Held


def election(path: Path) -> tuple[ElectionFile, int]:
    main = ElectionFile.create(path, title="分箱", organization="党委", operator="甲")
    contest = main.add_contest("甲", Position.COMMITTEE, 1, [(None, "甲一"), (None, "乙二")])
    return main, main.open_round("甲", contest, present_voters=3)


def test_a_copy_over_a_scanned_file_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main, _ = election(tmp_path / "主.gongtui")
    target = tmp_path / "U盘" / "主.gongtui"
    target.parent.mkdir()
    main.copy_to(target)
    held = Held(monkeypatch)
    held.hold(target, times=2)  # the scanner still reads the previous copy
    main.copy_to(target)
    main.close()
    assert held.refusals == 2
    assert verify_file(target).ok


def test_a_backup_is_kept_while_its_part_file_is_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main, _ = election(tmp_path / "主.gongtui")
    held = Held(monkeypatch)
    original = safe_files.replace

    def replace(source, target):  # type: ignore[no-untyped-def]
        # The scanner opens each freshly written backup before it can be renamed.
        held.hold(Path(source), times=2)
        original(source, target)

    monkeypatch.setattr(safe_files, "replace", replace)
    path = main.backup("甲", "测试")
    main.close()
    assert held.refusals == 2 and path.is_file() and path.parent == backup_folder(main.path)
    assert not list(path.parent.glob("*.part"))


def test_a_batch_file_held_for_a_moment_is_written_held_for_good_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_files, "PAUSE", 0.01)
    main, round_id = election(tmp_path / "主.gongtui")
    main.issue_box("甲", tmp_path / "box.gongtui", "一箱")
    main.close()
    with ElectionFile.open(tmp_path / "box.gongtui") as box:
        box.set_papers_collected("箱", round_id, 0)
        batch = write_batch(box, round_id, tmp_path / "1.gtbatch")
        held = Held(monkeypatch)
        held.hold(batch, times=3)
        assert write_batch(box, round_id, batch) == batch
        assert held.refusals == 3
        before = batch.read_bytes()
        held.hold(batch)  # open in another program for good
        with pytest.raises(ElectionFileError, match=r"1\.gtbatch"):
            write_batch(box, round_id, batch)
    assert batch.read_bytes() == before and read_batch(batch)[0]["box"]
    assert not list(tmp_path.glob("*.part"))
