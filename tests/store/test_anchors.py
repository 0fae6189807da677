"""The chain rebuilt by someone holding the file: the anchors outside it still tell.

Each forgery is made through SQL on a copy, the way someone with an SQLite tool and
this program's source would: rows changed, the audit entries that wrote them changed to
match, every hash after them recomputed, the results re-counted."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from gongtui_desktop.cli import main
from gongtui_desktop.domain.ballots import parse_shorthand
from gongtui_desktop.store.audit import GENESIS, canonical, entry_hash, short_hash
from gongtui_desktop.store.backup import backup_folder
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.figures import result_figures
from gongtui_desktop.store.verify import round_code, verify_file
from tests.store.sample import OPERATOR


def forge(path: Path, table: str, key: dict[str, object], values: dict[str, object]) -> None:
    """Change one row and every audit entry that wrote it, then recompute the chain from
    there on; the ``backups`` rows are rewritten to the new hashes too."""
    connection = sqlite3.connect(path)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        connection.execute(f"DROP TRIGGER {name}")
    rows = connection.execute(
        "SELECT seq, at, operator, action, changes, prev_hash, hash FROM audit_log ORDER BY seq"
    ).fetchall()
    previous = GENESIS
    changed = False
    for seq, at, operator, action, text, _, _ in rows:
        changes = json.loads(text)
        for change in changes:
            row = change.get("row")
            if change.get("table") == table and all(row.get(k) == v for k, v in key.items()):
                row.update(values)
                changed = True
            if changed and change.get("table") == "backups" and change.get("op") == "insert":
                row["chain_hash"] = previous
                connection.execute(
                    "UPDATE backups SET chain_hash = ? WHERE id = ?", (previous, row["id"])
                )
        text = canonical(changes)
        digest = entry_hash(previous, seq, at, operator, action, text)
        connection.execute(
            "UPDATE audit_log SET changes = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            (text, previous, digest, seq),
        )
        previous = digest
    assignments = ", ".join(f"{c} = ?" for c in values)
    where = " AND ".join(f"{c} = ?" for c in key)
    connection.execute(
        f"UPDATE {table} SET {assignments} WHERE {where}", (*values.values(), *key.values())
    )
    connection.commit()
    connection.close()


def forge_another_winner(path: Path) -> None:
    """Round 1 of the sample: 李四's "for" on two papers moves to 赵六, and the stored
    result is re-counted, so the count, the tables and the chain all agree."""
    with ElectionFile.open(path, read_only=True) as election:
        papers = [
            p for p in election.papers(1) if "".join(m.value for m in p.paper.marks) == "OOO-"
        ]
    for paper in papers[:2]:
        forge(path, "papers", {"id": paper.id}, {"marks": "O-OO"})
    with ElectionFile.open(path, read_only=True) as election:
        stored = json.loads(election.stored_figures(1) or "{}")
        figures = result_figures(election.count(1))
    if "basis" in stored:
        figures["basis"] = stored["basis"]
    forge(path, "round_results", {"round_id": 1}, {"figures": canonical(figures)})


@pytest.fixture
def forged(sample_path: Path, tmp_path: Path) -> tuple[Path, str, str]:
    """(forged copy, 校验码 of round 1 as the projector showed it, chain head before)."""
    with ElectionFile.open(sample_path, read_only=True) as election:
        code = round_code(election._connection, 1)
        before = election.chain_hash
    assert code is not None
    forge_another_winner(sample_path)
    return sample_path, code, before


def test_the_round_code_is_the_confirmation_entry(sample_path: Path) -> None:
    with ElectionFile.open(sample_path, read_only=True) as election:
        confirmed = [e for e in election.audit_entries() if e.action == "第 1 轮结果确认"]
        assert round_code(election._connection, 1) == short_hash(confirmed[0].hash)
    assert verify_file(sample_path, round_code_of(sample_path, 1)).ok


def round_code_of(path: Path, round_id: int) -> str:
    with ElectionFile.open(path, read_only=True) as election:
        code = round_code(election._connection, round_id)
    assert code is not None
    return code


def test_an_open_round_has_no_code(sample: ElectionFile) -> None:
    contest = sample.contests()[1].id
    round_id = sample.open_round(OPERATOR, contest, present_voters=5)
    assert round_code(sample._connection, round_id) is None
    sample.set_papers_collected(OPERATOR, round_id, 1)
    sample.enter_paper(OPERATOR, round_id, parse_shorthand("O-", 2))
    sample.close_round(OPERATOR, round_id)
    assert round_code(sample._connection, round_id) is None
    sample.confirm_round(OPERATOR, round_id, "钱七")
    assert round_code(sample._connection, round_id) == short_hash(
        next(e for e in reversed(sample.audit_entries()) if e.action == "第 1 轮结果确认").hash
    )


def test_a_rebuilt_chain_passes_inside_the_file_but_not_against_the_backups(
    forged: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _, before = forged
    with ElectionFile.open(path, read_only=True) as election:
        assert "李四" not in election.count(1).elected  # another winner
    from gongtui_desktop.store.database import open_connection
    from gongtui_desktop.store.verify import verify_connection

    connection, _ = open_connection(path, read_only=True)
    try:
        inside = verify_connection(path, connection, anchors=False)
    finally:
        connection.close()
    assert inside.ok and inside.chain_hash != before  # the forgery is complete inside the file
    report = verify_file(path)
    assert not report.ok
    first = report.first_problem()
    assert first is not None and "备份" in first.message and "被改写" in first.message
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "结论：文件已被改动或损坏" in out and "backups 文件夹中的 4 份备份" in out


def test_with_the_backups_gone_the_printed_code_still_tells(
    forged: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, code, _ = forged
    shutil.rmtree(backup_folder(path))
    report = verify_file(path)
    assert report.ok  # nothing left inside or beside the file contradicts it
    assert "没有找到 backups 文件夹中的备份" in "\n".join(report.lines())
    assert not verify_file(path, code).ok
    assert main(["verify", str(path), "--expect", code]) == 1
    assert f"报告上的校验码 {code} 在审计记录中找不到" in capsys.readouterr().out


def test_backups_table_rows_not_rewritten_are_found(sample_path: Path) -> None:
    """A forger who does not rewrite the ``backups`` rows: their hashes are not in the chain."""
    with ElectionFile.open(sample_path, read_only=True) as election:
        paper = next(p for p in election.papers(1) if p.entry_no == 5)
    connection = sqlite3.connect(sample_path)
    recorded = connection.execute("SELECT id, chain_hash FROM backups").fetchall()
    connection.close()
    forge(sample_path, "papers", {"id": paper.id}, {"operator": "别人"})
    connection = sqlite3.connect(sample_path)
    for triggers in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
        connection.execute(f"DROP TRIGGER {triggers[0]}")
    for row_id, chain_hash in recorded:
        connection.execute("UPDATE backups SET chain_hash = ? WHERE id = ?", (chain_hash, row_id))
    connection.commit()
    connection.close()
    shutil.rmtree(backup_folder(sample_path))
    messages = [p.message for p in verify_file(sample_path).problems]
    assert any("备份记录" in m and "在审计记录中找不到" in m for m in messages)


def test_a_backup_of_a_truncated_file_is_found(sample_path: Path) -> None:
    """Entries cut from the end, the backups kept: the last backup has more than the file."""
    connection = sqlite3.connect(sample_path)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
        connection.execute(f"DROP TRIGGER {name}")
    (confirmed,) = connection.execute(
        "SELECT MAX(seq) FROM audit_log WHERE action = '第 2 轮结果确认'"
    ).fetchone()
    connection.execute("DELETE FROM audit_log WHERE seq >= ?", (confirmed,))
    connection.execute("DELETE FROM backups WHERE id = (SELECT MAX(id) FROM backups)")
    connection.commit()
    connection.close()
    messages = [p.message for p in verify_file(sample_path).problems]
    assert any("被截断" in m for m in messages)


def test_a_forged_file_is_not_opened_for_editing_when_its_chain_is_broken(
    sample_path: Path,
) -> None:
    connection = sqlite3.connect(sample_path)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
        connection.execute(f"DROP TRIGGER {name}")
    connection.execute("UPDATE audit_log SET operator = '别人' WHERE seq = 7")
    connection.commit()
    connection.close()
    with pytest.raises(ElectionFileError) as caught:
        ElectionFile.open(sample_path)
    message = str(caught.value)
    assert "不能以编辑方式打开" in message and "第 7 条审计记录" in message
    assert "只读方式" in message
    with ElectionFile.open(sample_path, read_only=True) as reader:
        assert reader.people()
