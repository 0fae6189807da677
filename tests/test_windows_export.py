"""Exporting again over a packet that Windows programs hold open; paths Word cannot open.

The Windows behaviour is simulated (tests/windows_sim.py): a document open in Word can
neither be deleted nor have its folder renamed; a zip open in Explorer cannot be replaced.
"""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gongtui_desktop import safe_files
from gongtui_desktop.cli import main
from gongtui_desktop.reports.packet import PacketError, export_packet, safe_name, title_part
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile
from tests.windows_sim import Held

FIRST = datetime(2026, 11, 24, 18, 0, tzinfo=timezone(timedelta(hours=8)))
SECOND = FIRST + timedelta(days=1)
MINUTES = "01-选举大会会议记录.docx"


@pytest.fixture
def completed(tmp_path: Path) -> Path:
    return write_demo(tmp_path / "done.gongtui", completed=True)


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_files, "PAUSE", 0.01)


def contents(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def zipped_manifest(archive: Path) -> str:
    with zipfile.ZipFile(archive) as bundle:
        name = next(n for n in bundle.namelist() if n.endswith("/MANIFEST.txt"))
        return bundle.read(name).decode("utf-8")


def assert_agree(folder: Path, archive: Path) -> None:
    """The folder and the zip are the same export."""
    assert (folder / "MANIFEST.txt").read_bytes().decode("utf-8") == zipped_manifest(archive)


def test_a_document_open_in_word_leaves_the_old_packet_whole(
    completed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_retries: None
) -> None:
    out = tmp_path / "out"
    old = export_packet(completed, out, FIRST)
    before, zip_before = contents(old.folder), old.archive.read_bytes()
    held = Held(monkeypatch)
    held.hold(old.folder / MINUTES)
    with pytest.raises(PacketError) as raised:
        export_packet(completed, out, SECOND)
    message = str(raised.value)
    assert old.folder.name in message and "Word" in message and "关闭" in message
    assert "没有改动" in message
    assert contents(old.folder) == before  # not one file deleted
    assert old.archive.read_bytes() == zip_before
    assert sorted(p.name for p in out.iterdir()) == sorted([old.folder.name, old.archive.name])
    held.release(old.folder / MINUTES)
    new = export_packet(completed, out, SECOND)
    assert contents(new.folder) != before
    assert_agree(new.folder, new.archive)
    assert sorted(p.name for p in out.iterdir()) == sorted([new.folder.name, new.archive.name])


def test_a_zip_open_in_explorer_never_leaves_a_new_folder_beside_the_old_zip(
    completed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_retries: None
) -> None:
    out = tmp_path / "out"
    old = export_packet(completed, out, FIRST)
    before = contents(old.folder)
    Held(monkeypatch).hold(old.archive)
    with pytest.raises(PacketError, match="zip"):
        export_packet(completed, out, SECOND)
    assert contents(old.folder) == before
    assert_agree(old.folder, old.archive)
    assert sorted(p.name for p in out.iterdir()) == sorted([old.folder.name, old.archive.name])


def test_the_new_zip_failing_to_move_in_puts_the_old_packet_back(
    completed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_retries: None
) -> None:
    out = tmp_path / "out"
    old = export_packet(completed, out, FIRST)
    before = contents(old.folder)
    # Antivirus keeps scanning the freshly written zip for longer than the retries.
    Held(monkeypatch).hold(out / f".{old.archive.name}.part", times=safe_files.ATTEMPTS)
    with pytest.raises(PacketError):
        export_packet(completed, out, SECOND)
    assert contents(old.folder) == before
    assert_agree(old.folder, old.archive)
    assert sorted(p.name for p in out.iterdir()) == sorted([old.folder.name, old.archive.name])


def test_a_file_held_for_a_moment_is_replaced_after_a_retry(
    completed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    old = export_packet(completed, out, FIRST)
    held = Held(monkeypatch)
    held.hold(old.archive, times=2)
    new = export_packet(completed, out, SECOND)
    assert held.refusals == 2
    assert "2026-11-25" in (new.folder / "MANIFEST.txt").read_text("utf-8")
    assert_agree(new.folder, new.archive)


def test_cli_export_over_an_open_document_says_so_and_exits_2(
    completed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    quick_retries: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    old = export_packet(completed, out, FIRST)
    capsys.readouterr()
    Held(monkeypatch).hold(old.folder / MINUTES)
    assert main(["export", str(completed), str(out)]) == 2
    assert "请关闭" in capsys.readouterr().err


def test_titles_in_generated_names_are_capped(completed: Path, tmp_path: Path) -> None:
    long_title = "中共某某市某某区统计局机关第一党支部委员会" * 4
    with ElectionFile.open(completed) as election:
        election.update_election("甲", title=long_title)
    packet = export_packet(completed, tmp_path / "out", FIRST)
    assert packet.folder.name == f"{long_title[:40]}-归档材料"
    assert len(title_part(long_title)) == 40
    assert title_part("选举" + " " * 38 + "x") == "选举"  # never ends in a blank Windows drops
    assert safe_name(long_title) == long_title[:120]


def test_a_folder_too_deep_for_word_is_refused_before_writing(
    completed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_files, "IS_WINDOWS", True)
    deep = tmp_path / ("很长的文件夹名称" * 4)
    for _ in range(8):
        deep = deep / ("第二层文件夹名称" * 2)
    assert safe_files.windows_length(deep) > 200
    with pytest.raises(PacketError) as raised:
        export_packet(completed, deep, FIRST)
    message = str(raised.value)
    assert "路径太长" in message and "较短的文件夹" in message and "259" in message
    assert not deep.exists()


def test_the_excel_limit_is_lower(completed: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(safe_files, "IS_WINDOWS", True)
    base = tmp_path / "out"
    # Just short enough for Word, too long for Excel's 218 characters.
    pad = 230 - safe_files.windows_length(base / "区统计局党支部换届选举（演示）-归档材料" / "x")
    target = base
    while pad > 1:  # short ASCII folders: SQLite on Linux stops at 512 bytes a path
        step = min(20, pad - 1)
        target, pad = target / ("d" * step), pad - step - 1
    with pytest.raises(PacketError, match="Excel"):
        export_packet(completed, target, FIRST)
    monkeypatch.setattr(safe_files, "IS_WINDOWS", False)
    assert export_packet(completed, target, FIRST).folder.is_dir()


def test_utf16_length_counts_rare_characters_twice() -> None:
    assert safe_files.windows_length("𬭚䶮") == 3
