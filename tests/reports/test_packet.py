"""The archive packet: complete, checkable, repeatable, and safe when something goes wrong (#8)."""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import docx
import openpyxl
import pytest

from gongtui_desktop.cli import main
from gongtui_desktop.reports.packet import PacketError, export_packet, safe_name
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.verify import verify_file

STAMP = datetime(2026, 11, 24, 18, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def completed(tmp_path: Path) -> Path:
    return write_demo(tmp_path / "done.gongtui", completed=True)


def test_packet_is_complete_and_checkable(completed: Path, tmp_path: Path) -> None:
    packet = export_packet(completed, tmp_path / "out", STAMP)
    assert packet.finished and packet.folder.is_dir() and packet.archive.is_file()
    names = set(packet.files)
    for expected in (
        "01-选举大会会议记录.docx",
        "02-选举结果报告.docx",
        "03-计票结果报告单-01支部委员会委员-第1轮.docx",
        "03-计票结果报告单-02支部书记-第1轮.docx",
        "08-计票统计表.xlsx",
        "09-选票-01支部委员会委员-第1轮.docx",
        "选举文件副本.gongtui",
        "审计日志.csv",
        "MANIFEST.txt",
    ):
        assert expected in names
    manifest = (packet.folder / "MANIFEST.txt").read_text("utf-8").splitlines()
    listed = dict(
        line.split("  ", 1)[::-1]
        for line in manifest
        if "  " in line and len(line.split("  ", 1)[0]) == 64
    )
    assert set(listed) == names - {"MANIFEST.txt"}
    for name, digest in listed.items():
        assert hashlib.sha256((packet.folder / name).read_bytes()).hexdigest() == digest
    with zipfile.ZipFile(packet.archive) as bundle:
        assert sorted(n.split("/", 1)[1] for n in bundle.namelist()) == sorted(names)
    # The copy of the election file verifies, and its hash is the one the documents print.
    with ElectionFile.open(completed, read_only=True) as election:
        short = election.short_hash
        entries = len(election.audit_entries())
    assert verify_file(packet.folder / "选举文件副本.gongtui", expect=short).ok
    footer = "\n".join(
        p.text
        for p in docx.Document(str(packet.folder / "02-选举结果报告.docx"))
        .sections[0]
        .footer.paragraphs
    )
    assert short in footer and short in "\n".join(manifest)
    with open(packet.folder / "审计日志.csv", encoding="utf-8-sig") as handle:
        assert len(list(csv.reader(handle))) == entries + 1
    workbook = openpyxl.load_workbook(packet.folder / "08-计票统计表.xlsx", read_only=True)
    assert len(workbook.sheetnames) >= 3


def test_exporting_twice_gives_the_same_contents(completed: Path, tmp_path: Path) -> None:
    first = export_packet(completed, tmp_path / "a", STAMP)
    second = export_packet(completed, tmp_path / "b", STAMP)
    for name in first.files:
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name
    later = export_packet(completed, tmp_path / "c", STAMP + timedelta(hours=1))
    differing = [
        n for n in first.files if (first.folder / n).read_bytes() != (later.folder / n).read_bytes()
    ]
    # Only the time changes: the zips' entry times, the workbook's dates and the manifest.
    assert "MANIFEST.txt" in differing
    manifest_a = (first.folder / "MANIFEST.txt").read_text("utf-8").splitlines()
    manifest_c = (later.folder / "MANIFEST.txt").read_text("utf-8").splitlines()
    assert [
        a
        for a, c in zip(manifest_a, manifest_c, strict=True)
        if a != c and "导出时间" not in a and len(a.split("  ")[0]) != 64
    ] == []
    for name in first.files:
        if name.endswith(".docx"):
            text = lambda p: [x.text for x in docx.Document(str(p)).paragraphs]  # noqa: E731
            assert text(first.folder / name) == text(later.folder / name)


def test_unfinished_election_is_exported_and_marked(tmp_path: Path) -> None:
    packet = export_packet(write_demo(tmp_path / "open.gongtui"), tmp_path / "out", STAMP)
    assert not packet.finished
    assert "选举状态：未完成" in (packet.folder / "MANIFEST.txt").read_text("utf-8")
    minutes = "\n".join(
        p.text for p in docx.Document(str(packet.folder / "01-选举大会会议记录.docx")).paragraphs
    )
    assert "未完成" in minutes


def test_names_windows_refuses_are_made_safe(tmp_path: Path) -> None:
    path = write_demo(tmp_path / "d.gongtui")
    with ElectionFile.open(path) as election:
        election.update_election("甲", title='统计局:党支部/换届*选举?"2026" ')
    packet = export_packet(path, tmp_path / "out", STAMP)
    assert packet.folder.name == "统计局_党支部_换届_选举__2026_-归档材料"
    assert safe_name("CON") == "_CON" and safe_name(" . ") == "选举"


@pytest.mark.skipif(sys.platform == "win32", reason="chmod cannot make a folder read-only there")
def test_unwritable_folder_leaves_nothing(completed: Path, tmp_path: Path) -> None:
    target = tmp_path / "光盘"
    target.mkdir()
    mounted = False
    if (
        shutil.which("mount")
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro", "tmpfs", str(target)], capture_output=True
        ).returncode
        == 0
    ):
        mounted = True
    else:
        target.chmod(0o555)
    try:
        with pytest.raises(PacketError, match=r"可写的文件夹|写入归档材料失败"):
            export_packet(completed, target, STAMP)
        assert list(target.iterdir()) == []
        assert main(["export", str(completed), str(target)]) == 2
    finally:
        if mounted:
            subprocess.run(["umount", str(target)], check=False)
        else:
            target.chmod(0o755)


def test_cli_export(completed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(completed), str(tmp_path / "out")]) == 0
    assert "已导出归档材料" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_documents_render_to_pdf_and_png(completed: Path, tmp_path: Path) -> None:
    packet = export_packet(completed, tmp_path / "out", STAMP)
    pdfs = tmp_path / "pdf"
    sources = [packet.folder / n for n in packet.files if n.endswith((".docx", ".xlsx"))]
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(pdfs), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert len(list(pdfs.glob("*.pdf"))) == len(sources)
    if shutil.which("pdftoppm"):
        minutes = next(pdfs.glob("01-*.pdf"))
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", str(minutes), str(tmp_path / "page")], check=True
        )
        assert list(tmp_path.glob("page-*.png"))


def test_export_from_the_window(qtbot, tmp_path: Path, completed: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from gongtui_desktop.ui.main_window import MainWindow

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))

    window = MainWindow(operator="李计票")
    qtbot.addWidget(window)
    window.open_file(completed)
    runner = window.export_to(tmp_path / "gui")
    assert runner is not None
    qtbot.waitUntil(runner.worker.isFinished, timeout=60_000)
    qtbot.waitUntil(lambda: runner.result is not None or runner.error != "", timeout=5_000)
    assert runner.result is not None and runner.result.folder.is_dir()
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    assert "已导出" in shown[0]
    window.close_election()


def tampered_copy(completed: Path, tmp_path: Path) -> Path:
    """A copy of the finished demo whose 书记 papers were changed through SQL: 8 papers for
    项上桢 now read 郭卫民, who would win the recount (14:3 becomes 6:11)."""
    import sqlite3

    copy = tmp_path / "改过.gongtui"
    shutil.copyfile(completed, copy)
    connection = sqlite3.connect(copy)
    connection.execute("DROP TRIGGER papers_never_updated")
    ids = [
        row[0]
        for row in connection.execute(
            "SELECT id FROM papers WHERE round_id = 2 AND marks = 'O-' ORDER BY id LIMIT 8"
        )
    ]
    assert len(ids) == 8
    connection.execute(f"UPDATE papers SET marks = '-O' WHERE id IN ({','.join(map(str, ids))})")
    connection.commit()
    connection.close()
    with ElectionFile.open(copy, read_only=True) as election:
        assert election.count(2).elected == ("郭卫民",)  # what a packet would have published
    return copy


def test_a_tampered_count_is_refused_and_nothing_written(
    completed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tampered_copy(completed, tmp_path)
    assert main(["verify", str(copy)]) == 1
    capsys.readouterr()
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PacketError, match="未通过校验，没有导出任何材料") as refused:
        export_packet(copy, out, STAMP)
    assert "选票（第 2 轮次记录中的第 1 张" in str(refused.value)
    assert "marks 现为 '-O'，应为 'O-'" in str(refused.value)
    assert list(out.iterdir()) == []
    assert main(["export", str(copy), str(out)]) == 1
    err = capsys.readouterr().err
    assert "无法导出：选举文件未通过校验" in err and "问题从第" in err
    assert "结论：文件已被改动或损坏" in err  # the whole report follows the refusal
    assert list(out.iterdir()) == []


def test_the_window_refuses_to_export_a_tampered_count(
    qtbot, tmp_path: Path, completed: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from gongtui_desktop.ui.main_window import MainWindow

    copy = tampered_copy(completed, tmp_path)
    out = tmp_path / "归档"
    out.mkdir()
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text)
    )
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text, *a: warnings.append(text)
    )
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    window = MainWindow(operator="李计票")
    qtbot.addWidget(window)
    window.show()
    assert window.open_file(copy, read_only=True)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "文件")
    action = next(a for a in file_menu.actions() if a.text() == "导出归档材料…")
    assert action.isEnabled()
    from tests.ui.conftest import click_message_button

    click_message_button("仍然导出")  # the meeting record's blanks are listed first
    action.trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=60_000)
    assert "选举文件未通过校验，没有导出任何材料" in warnings[0]
    assert "marks 现为 '-O'，应为 'O-'" in warnings[0]
    assert list(out.iterdir()) == []
    window.close_election()
