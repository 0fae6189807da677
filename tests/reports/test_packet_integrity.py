"""What the archive packet promises a reader who opens or checks it: no cell a spreadsheet
runs as a formula, no time finer than the minute, a MANIFEST that sha256sum -c accepts,
and a packet (folder or zip) that verifies as a whole — the shipped sample included."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from gongtui_desktop.domain.people import MemberStatus
from gongtui_desktop.reports.packet import export_packet, verify_packet
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.services.roster_export import export_roster
from gongtui_desktop.store.election_file import ElectionFile

STAMP = datetime(2026, 11, 24, 18, 0, tzinfo=timezone(timedelta(hours=8)))
DANGEROUS = (
    '=HYPERLINK("http://example.com","点此")',
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
)
REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "docs" / "samples"


@pytest.fixture(scope="module")
def completed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "done.gongtui", completed=True)


@pytest.fixture(scope="module")
def packet(completed: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return export_packet(completed, tmp_path_factory.mktemp("out"), STAMP)


def _audit_rows(folder: Path) -> list[list[str]]:
    with open(folder / "审计日志.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_audit_csv_neutralises_every_formula_start(tmp_path: Path) -> None:
    path = write_demo(tmp_path / "d.gongtui", completed=True)
    with ElectionFile.open(path) as election:
        for text in DANGEROUS:
            election.update_meeting(text, "election", place=text)
        stored = [e.operator for e in election.audit_entries()[-len(DANGEROUS) :]]
    packet = export_packet(path, tmp_path / "out", STAMP)
    rows = _audit_rows(packet.folder)
    operators = [row[2] for row in rows[1:]]
    assert operators[-len(DANGEROUS) :] == ["'" + text for text in stored]
    for text in stored:
        # Shown as typed behind an apostrophe, so a spreadsheet shows it and never runs it.
        assert text.startswith(("=", "+", "-", "@", "\t", "\r")) and text not in operators
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_audit_csv_times_are_no_finer_than_the_minute(packet) -> None:  # type: ignore[no-untyped-def]
    rows = _audit_rows(packet.folder)
    assert len(rows) > 50
    for row in rows[1:]:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[1]), row[1]
        # No time to the second inside the change records either (entered_at of papers,
        # sign-ins): nothing in the archive orders papers against voters finer than this.
        for cell in row[3:5]:
            assert not re.search(r"\d\d:\d\d:\d\d", cell), cell[:200]


def test_roster_export_keeps_dangerous_names_as_text(tmp_path: Path) -> None:
    path = write_demo(tmp_path / "d.gongtui")
    with ElectionFile.open(path) as election:
        for number, text in enumerate(DANGEROUS[:4]):
            election.add_person("甲", f"{text}{number}", MemberStatus.FULL, note=text, contact=text)
        people = election.people()
    target = export_roster(tmp_path / "名册.xlsx", people, date(2026, 11, 24))
    sheet = openpyxl.load_workbook(target)["党员名册"]
    found = 0
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                assert cell.data_type == "s", (cell.coordinate, cell.value)
                found += 1
    assert found == 12  # name, contact and note of the four people
    names = [c.value for c in sheet["A"][1:]]
    assert '=HYPERLINK("http://example.com","点此")0' in names and "-2+32" in names


def test_manifest_is_exactly_what_sha256sum_checks(packet) -> None:  # type: ignore[no-untyped-def]
    text = (packet.folder / "MANIFEST.txt").read_text("utf-8")
    for line in text.splitlines():
        assert line.startswith("# ") or re.fullmatch(r"[0-9a-f]{64}  \S.*", line), line
    assert "# 程序版本：gongtui-desktop " in text
    assert f"# 审计链最终校验值：{packet.chain_hash}" in text
    readme = (packet.folder / "说明.txt").read_text("utf-8")
    assert "certutil -hashfile" in readme and "sha256sum -c MANIFEST.txt" in readme
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "--strict", "-c", "MANIFEST.txt"],
            cwd=packet.folder,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "improperly formatted" not in done.stderr
        assert done.stdout.count(": OK") == len(packet.files) - 1


def test_verify_packet_folder_and_zip(packet, completed: Path) -> None:  # type: ignore[no-untyped-def]
    with ElectionFile.open(completed, read_only=True) as election:
        code = election.short_hash
    for target in (packet.folder, packet.archive):
        check = verify_packet(target, code)
        assert check.ok, "\n".join(check.lines)
        assert "结论：归档材料完整，未发现改动。" in check.lines
    asked = verify_packet(packet.folder, None)
    assert not asked.ok and asked.needs_code
    assert not verify_packet(packet.folder, "0000-0000-0000").ok


def test_verify_packet_names_a_changed_an_added_and_a_missing_file(
    packet, tmp_path: Path, completed: Path
) -> None:  # type: ignore[no-untyped-def]
    with ElectionFile.open(completed, read_only=True) as election:
        code = election.short_hash
    copy = tmp_path / "copy"
    shutil.copytree(packet.folder, copy)
    report = copy / "02-选举结果报告.docx"
    report.write_bytes(report.read_bytes() + b"\0")
    (copy / "05-资格审查情况.docx").unlink()
    (copy / "多出来的.txt").write_text("x", "utf-8")
    check = verify_packet(copy, code)
    text = "\n".join(check.lines)
    assert not check.ok
    assert "文件已被改动（校验值不符）：02-选举结果报告.docx" in text
    assert "缺少文件：05-资格审查情况.docx" in text
    assert "MANIFEST.txt 中没有列出的文件：多出来的.txt" in text


def _sample_folder() -> Path:
    folders = [p for p in SAMPLES.iterdir() if p.is_dir() and p.name.endswith("-归档材料")]
    assert len(folders) == 1
    return folders[0]


def test_shipped_sample_packet_passes_its_own_manifest() -> None:
    """As a user would check it: every file MANIFEST lists is there (and in the repository,
    not kept out by .gitignore), sha256sum -c accepts it, and the program's check passes."""
    folder = _sample_folder()
    listed = [
        line.split("  ", 1)[1]
        for line in (folder / "MANIFEST.txt").read_text("utf-8").splitlines()
        if not line.startswith("#")
    ]
    for name in listed:
        assert (folder / name).is_file(), name
        if (REPO / ".git").exists() and shutil.which("git"):
            ignored = subprocess.run(
                ["git", "check-ignore", "-q", str((folder / name).relative_to(REPO))],
                cwd=REPO,
            )
            assert ignored.returncode == 1, f"{name} is kept out of the repository"
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "--strict", "-c", "MANIFEST.txt"], cwd=folder, capture_output=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    code = next(
        line.split("：", 1)[1]
        for line in (folder / "MANIFEST.txt").read_text("utf-8").splitlines()
        if line.startswith("# 审计链校验码")
    )
    check = verify_packet(folder, code)
    assert check.ok, "\n".join(check.lines)


RULE_ID = re.compile(r"(?<![A-Za-z0-9])[RNE]\d{1,2}(?![0-9])")


def test_no_rule_ids_in_any_official_paper(packet) -> None:  # type: ignore[no-untyped-def]
    """R7, N3, E4 … are the program's; a 组织部 reader sees plain Chinese."""
    import docx

    for name in packet.files:
        path = packet.folder / name
        if name.endswith(".docx"):
            document = docx.Document(str(path))
            texts = [p.text for p in document.paragraphs]
            texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
        elif name.endswith(".xlsx"):
            book = openpyxl.load_workbook(path)
            texts = [
                str(c.value)
                for sheet in book.worksheets
                for row in sheet.iter_rows()
                for c in row
                if isinstance(c.value, str) and c.data_type != "f"
            ]
        else:
            continue
        found = [t for t in texts if RULE_ID.search(t)]
        assert found == [], (name, found[:3])


def test_word_documents_say_what_they_are_and_when(packet) -> None:  # type: ignore[no-untyped-def]
    import docx

    for name in packet.files:
        if not name.endswith(".docx"):
            continue
        path = packet.folder / name
        properties = docx.Document(str(path)).core_properties
        assert properties.title, name
        assert properties.created == properties.modified == STAMP, name
        assert "python-docx" not in (properties.comments or ""), name
        with zipfile.ZipFile(path) as inner:
            assert "docProps/thumbnail.jpeg" not in inner.namelist()
            assert b"Macintosh" not in inner.read("docProps/app.xml")
    report = docx.Document(str(packet.folder / "02-选举结果报告.docx")).core_properties
    assert report.title == "关于区统计局党支部选举结果的报告"
    assert report.author == "区统计局党支部"
