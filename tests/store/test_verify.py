"""``verify`` finds every change made outside the program and names where it starts."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from gongtui_desktop.cli import main
from gongtui_desktop.store.audit import short_hash
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.verify import verify_file
from tests.store.sample import OPERATOR


def tamper(path: Path, *statements: str) -> None:
    """Change the file the way someone with an SQLite tool would, triggers and all."""
    connection = sqlite3.connect(path)
    for trigger in (
        "papers_never_updated",
        "papers_never_deleted",
        "audit_log_append_only_update",
        "audit_log_append_only_delete",
        "write_ins_never_deleted",
    ):
        connection.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def paper_entry(path: Path, entry_no: int) -> tuple[int, int]:
    """(paper id, audit seq that wrote it) of a counted paper of round 1."""
    with ElectionFile.open(path, read_only=True) as election:
        paper = next(p for p in election.papers(1) if p.entry_no == entry_no)
        seq = next(
            e.seq for e in election.audit_entries() if e.action == f"录入第 {entry_no} 张选票"
        )
    return paper.id, seq


def test_an_intact_file_verifies(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = verify_file(sample_path)
    assert report.ok and report.rounds_checked == 2 and report.entries > 50
    assert main(["verify", str(sample_path)]) == 0
    out = capsys.readouterr().out
    assert "结论：文件完整" in out and short_hash(report.chain_hash) in out


def test_changed_marks_are_found_at_their_entry(sample_path: Path) -> None:
    paper_id, seq = paper_entry(sample_path, 3)
    tamper(sample_path, f"UPDATE papers SET marks = 'OOO-' WHERE id = {paper_id}")
    report = verify_file(sample_path)
    assert not report.ok
    first = report.first_problem()
    assert first is not None and first.seq == seq
    assert "marks 现为 'OOO-'，应为 'OO-O'" in first.message
    assert any("重新计票" in p.message for p in report.problems)


def test_a_deleted_row_is_found(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper_id, seq = paper_entry(sample_path, 4)
    tamper(sample_path, f"DELETE FROM papers WHERE id = {paper_id}")
    report = verify_file(sample_path)
    assert report.first_problem().seq == seq  # type: ignore[union-attr]
    assert "已被删除" in report.first_problem().message  # type: ignore[union-attr]
    assert main(["verify", str(sample_path)]) == 1
    assert f"问题从第 {seq} 条审计记录开始" in capsys.readouterr().out


def test_reordered_rows_are_found(sample_path: Path) -> None:
    second, seq2 = paper_entry(sample_path, 2)
    fifth, _ = paper_entry(sample_path, 5)
    tamper(
        sample_path,
        f"UPDATE papers SET entry_no = 99 WHERE id = {second}",
        f"UPDATE papers SET entry_no = 2 WHERE id = {fifth}",
        f"UPDATE papers SET entry_no = 5 WHERE id = {second}",
    )
    report = verify_file(sample_path)
    assert report.first_problem().seq == seq2  # type: ignore[union-attr]
    assert "entry_no" in report.first_problem().message  # type: ignore[union-attr]


def test_a_row_written_outside_the_program_is_found(sample_path: Path) -> None:
    tamper(
        sample_path,
        "INSERT INTO papers (round_id, entry_no, marks, operator, entered_at)"
        " VALUES (1, 7, 'OOO-', '外人', '2026-11-24')",
    )
    report = verify_file(sample_path)
    assert any("在程序之外写入" in p.message for p in report.problems)


def test_an_edited_audit_entry_is_found(sample_path: Path) -> None:
    tamper(sample_path, "UPDATE audit_log SET operator = '别人' WHERE seq = 7")
    report = verify_file(sample_path)
    assert report.first_problem().seq == 7  # type: ignore[union-attr]
    assert "内容被改动" in report.first_problem().message  # type: ignore[union-attr]


def test_a_deleted_audit_entry_is_found(sample_path: Path) -> None:
    tamper(sample_path, "DELETE FROM audit_log WHERE seq = 12")
    report = verify_file(sample_path)
    assert report.first_problem().seq == 12  # type: ignore[union-attr]
    assert "缺失" in report.first_problem().message  # type: ignore[union-attr]


def test_expect_proves_nothing_was_cut_from_the_end(sample_path: Path, tmp_path: Path) -> None:
    printed = short_hash(verify_file(sample_path).chain_hash)
    assert verify_file(sample_path, expect=printed).ok
    # More work after the report was printed is fine ...
    with ElectionFile.open(sample_path) as election:
        election.update_meeting(OPERATOR, "election", chair="项主持")
    assert verify_file(sample_path, expect=printed).ok
    # ... but cutting the log back, rows and all, is not: the chain alone still looks whole.
    copy = tmp_path / "cut.gongtui"
    shutil.copyfile(sample_path, copy)
    tamper(
        copy,
        "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
        "UPDATE meetings SET chair = '' WHERE kind = 'election'",
    )
    assert verify_file(copy).ok
    cut = verify_file(copy, expect=short_hash(verify_file(sample_path).chain_hash))
    assert not cut.ok and "找不到" in cut.problems[0].message
    assert main(["verify", str(copy), "--expect", "12"]) == 1


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.gongtui"
    bad.write_text("不是数据库", encoding="utf-8")
    assert main(["verify", str(bad)]) == 2
    assert "不是选举文件" in capsys.readouterr().err


MINUTE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$")
MILLISECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}([+-]\d\d:\d\d|Z)$")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_sign_ins_are_timed_to_the_minute_and_the_rest_to_the_millisecond(
    sample_path: Path,
) -> None:
    """A sign-in's audit entry keeps no seconds (it could be matched against the order of
    casting); other entries keep their full time; the chain still verifies."""
    with ElectionFile.open(sample_path, read_only=True) as election:
        entries = election.audit_entries()
    sign_ins = [e for e in entries if '"table":"attendance"' in e.changes]
    assert len(sign_ins) == 6
    assert all(MINUTE.match(e.at) for e in sign_ins), [e.at for e in sign_ins]
    others = [e for e in entries if e not in sign_ins]
    assert others and all(MILLISECONDS.match(e.at) for e in others)
    assert verify_file(sample_path).ok


def test_an_older_file_with_sign_ins_to_the_millisecond_still_verifies(tmp_path: Path) -> None:
    """Files written before sign-ins were cut to the minute keep their entries as they were
    hashed; a sign-in changed afterwards is timed to the minute, and the mixed chain verifies."""
    path = tmp_path / "旧文件.gongtui"
    shutil.copyfile(FIXTURES / "election-v4.gongtui", path)
    with ElectionFile.open(path) as election:
        old = [e for e in election.audit_entries() if e.action == "签到"]
        assert old and all(MILLISECONDS.match(e.at) for e in old)
        person = next(iter(election.attendance("election")))
        election.set_attendance(OPERATOR, "election", person, "leave")
        newest = election.audit_entries()[-1]
        assert newest.action == "签到" and MINUTE.match(newest.at), newest.at
        assert election.attendance("election")[person] == "leave"
    report = verify_file(path)
    assert report.ok, report.lines()
    # The minute entry is covered by the chain like any other: changing it is found.
    tamper(
        path,
        f"UPDATE audit_log SET at = '{newest.at[:17]}59{newest.at[19:]}' WHERE seq = {newest.seq}",
    )
    assert not verify_file(path).ok
