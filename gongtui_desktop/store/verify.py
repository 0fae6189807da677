"""``gongtui-desktop verify FILE``: is the election file intact?

Three checks, each naming the first audit entry where things go wrong:

1. the audit chain: consecutive entries, each linked to the one before, each
   hash recomputed from its content;
2. the tables: replaying every entry's row changes must give exactly the rows
   stored (a changed, deleted or reordered row, or one written outside the
   program, shows up here);
3. the counts: every round is re-counted from its stored papers and compared
   with the stored result.

``--expect HASH`` (the short hash printed on a report) must be found in the
chain, which proves nothing was cut from the end of the log since.

Nothing inside one file stops someone who holds it from rewriting rows and
recomputing every hash. So the check also uses what lies outside the file: every
backup in ``backups/`` (each holds the chain as it was when it was taken) and the
``backups`` table's record of the hash each backup held must agree with the chain,
entry by entry; the 校验码 shown on the projector and printed on the signed report
(``--expect``) must be in it. See docs/integrity.md for what this does and does not
prove.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gongtui_desktop.store.audit import (
    GENESIS,
    AuditEntry,
    canonical,
    chain_head,
    entry_hash,
    normalize_hash_text,
    read_entries,
    short_hash,
)
from gongtui_desktop.store.backup import backup_folder
from gongtui_desktop.store.database import check_header, open_connection, sqlite_uri
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.figures import result_figures
from gongtui_desktop.store.schema import MIGRATIONS

TABLE_LABELS = {
    "election": "选举基本信息",
    "plan": "选举方案",
    "people": "党员名册",
    "stages": "工作阶段",
    "meetings": "会议",
    "attendance": "签到",
    "exclusions": "不计入应到会人数",
    "scrutineers": "监票人、计票人",
    "form_counts": "表格发出收回数",
    "recommendation_positions": "推荐职数",
    "recommendation_forms": "推荐票",
    "recommendation_names": "推荐票上的姓名",
    "recommendation_form_withdrawals": "撤销的推荐票",
    "recommendation_totals": "推荐票数",
    "recommendation_nominations": "组织推荐和个人自荐",
    "review_decisions": "资格审查决定",
    "publicity": "公示",
    "evaluation_candidates": "测评对象",
    "evaluation_forms": "测评表",
    "evaluation_grades": "测评表上的评价",
    "evaluation_form_withdrawals": "撤销的测评表",
    "contests": "选举项目",
    "contest_candidates": "候选人",
    "seat_reductions": "减少名额的决定",
    "rounds": "投票轮次",
    "round_candidates": "本轮候选人",
    "papers": "选票",
    "paper_write_ins": "另选他人",
    "paper_withdrawals": "撤销的选票",
    "round_results": "计票结果",
    "backups": "备份记录",
    "scan_pages": "扫描选票",
    "batches": "导入的票箱",
    "boxes": "复制出的票箱文件",
    "box_identity": "本票箱文件的登记",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong; ``seq`` is the audit entry where it starts (None: after the last)."""

    seq: int | None
    message: str


@dataclass
class VerifyReport:
    path: Path
    entries: int = 0
    chain_hash: str = GENESIS
    rounds_checked: int = 0
    rows_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    backups_checked: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def first_problem(self) -> Problem | None:
        ordered = sorted(self.problems, key=lambda p: (p.seq is None, p.seq or 0))
        return ordered[0] if ordered else None

    def first_wrong(self) -> str:
        """The first thing wrong, in one sentence: what a refusal names."""
        first = self.first_problem()
        if first is None:
            return ""
        where = f"第 {first.seq} 条审计记录" if first.seq is not None else "最后一条审计记录之后"
        more = f"（共 {len(self.problems)} 处问题）" if len(self.problems) > 1 else ""
        return f"问题从{where}开始：{first.message}{more}"

    def lines(self) -> list[str]:
        head = [
            f"选举文件：{self.path}",
            f"审计记录 {self.entries} 条，数据记录 {self.rows_checked} 条，重新计票 {self.rounds_checked} 轮",
            f"校验码：{short_hash(self.chain_hash)}（完整：{self.chain_hash}）",
            *self.notes,
        ]
        if self.ok:
            return [*head, "结论：文件完整，未发现改动。"]
        first = self.first_problem()
        assert first is not None
        where = f"第 {first.seq} 条审计记录" if first.seq is not None else "最后一条审计记录之后"
        ordered = sorted(self.problems, key=lambda p: (p.seq is None, p.seq or 0))
        return [
            *head,
            f"结论：文件已被改动或损坏，问题从{where}开始。共 {len(self.problems)} 处：",
            *(f"  - {p.message}" for p in ordered),
        ]


def _table_keys(connection: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name NOT IN ('audit_log', 'scan_images')"
            " ORDER BY name"
        )
    ]
    keys = {}
    for table in tables:
        info = connection.execute(f"PRAGMA table_info({table})").fetchall()
        pk = sorted((row[5], row[1]) for row in info if row[5])
        keys[table] = tuple(name for _, name in pk)
    return keys


def _describe(table: str, row: dict[str, object], key: tuple[object, ...]) -> str:
    label = TABLE_LABELS.get(table, table)
    if table == "papers":
        return f"{label}（第 {row.get('round_id')} 轮次记录中的第 {row.get('entry_no')} 张，编号 {row.get('id')}）"
    return f"{label}（{', '.join(str(k) for k in key)}）"


def _check_chain(entries: list[AuditEntry], report: VerifyReport) -> None:
    previous = GENESIS
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            report.problems.append(
                Problem(
                    expected_seq,
                    f"第 {expected_seq} 至 {entry.seq - 1} 条审计记录缺失（被删除）",
                )
            )
        elif entry.prev_hash != previous:
            report.problems.append(
                Problem(entry.seq, f"{entry.describe()}与前一条衔接不上：前面的记录被删除或改动")
            )
        if (
            entry_hash(
                entry.prev_hash, entry.seq, entry.at, entry.operator, entry.action, entry.changes
            )
            != entry.hash
        ):
            report.problems.append(Problem(entry.seq, f"{entry.describe()}的内容被改动"))
        previous = entry.hash
        expected_seq = entry.seq + 1


def _replay(
    entries: list[AuditEntry], keys: dict[str, tuple[str, ...]], report: VerifyReport
) -> tuple[
    dict[str, dict[tuple[object, ...], dict[str, object]]],
    dict[tuple[str, tuple[object, ...]], int],
]:
    tables: dict[str, dict[tuple[object, ...], dict[str, object]]] = {t: {} for t in keys}
    writers: dict[tuple[str, tuple[object, ...]], int] = {}
    for entry in entries:
        try:
            changes = json.loads(entry.changes)
        except ValueError:
            report.problems.append(Problem(entry.seq, f"{entry.describe()}无法读取"))
            continue
        for change in changes:
            op = change.get("op")
            if op == "note":
                continue
            if op == "migrate":
                for migration in MIGRATIONS:
                    if (
                        change["from"] < migration.version <= change["to"]
                        and migration.upgrade_rows
                    ):
                        migration.upgrade_rows(tables)
                continue
            table = change.get("table")
            row = change.get("row")
            if table not in tables or not isinstance(row, dict):
                report.problems.append(
                    Problem(entry.seq, f"{entry.describe()}写入了未知的表 {table}")
                )
                continue
            key = tuple(row.get(column) for column in keys[table])
            if op == "insert":
                if key in tables[table]:
                    report.problems.append(
                        Problem(
                            entry.seq, f"{entry.describe()}重复写入{_describe(table, row, key)}"
                        )
                    )
                tables[table][key] = row
            elif op == "update":
                tables[table][key] = row
            elif op == "delete":
                tables[table].pop(key, None)
            writers[(table, key)] = entry.seq
    return tables, writers


def _compare_tables(
    connection: sqlite3.Connection,
    keys: dict[str, tuple[str, ...]],
    expected: dict[str, dict[tuple[object, ...], dict[str, object]]],
    writers: dict[tuple[str, tuple[object, ...]], int],
    report: VerifyReport,
) -> None:
    for table, key_columns in keys.items():
        cursor = connection.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        actual = {}
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            actual[tuple(row[c] for c in key_columns)] = row
        report.rows_checked += len(actual)
        wanted = expected.get(table, {})
        for key in sorted(set(actual) | set(wanted), key=repr):
            seq = writers.get((table, key))
            if key not in actual:
                report.problems.append(
                    Problem(
                        seq,
                        f"第 {seq} 条审计记录写入的{_describe(table, wanted[key], key)}已被删除",
                    )
                )
            elif key not in wanted:
                report.problems.append(
                    Problem(
                        None if seq is None else seq,
                        f"{_describe(table, actual[key], key)}不在审计记录中：它是在程序之外写入的",
                    )
                )
            elif canonical(actual[key]) != canonical(wanted[key]):
                columns = [c for c in names if actual[key].get(c) != wanted[key].get(c)]
                detail = "；".join(
                    f"{c} 现为 {actual[key].get(c)!r}，应为 {wanted[key].get(c)!r}" for c in columns
                )
                report.problems.append(
                    Problem(
                        seq,
                        f"{_describe(table, actual[key], key)}与第 {seq} 条审计记录不符：{detail}",
                    )
                )


def _check_images(
    connection: sqlite3.Connection,
    expected: dict[str, dict[tuple[object, ...], dict[str, object]]],
    writers: dict[tuple[str, tuple[object, ...]], int],
    report: VerifyReport,
) -> None:
    """Scanned images are named by their SHA-256 in the audited page rows: each stored image
    must still have that hash, each audited page its image, and no image may be unaccounted."""
    pages = expected.get("scan_pages", {})
    first_use: dict[str, int | None] = {}
    for key, row in pages.items():
        seq = writers.get(("scan_pages", key))
        image = str(row.get("image"))
        if image not in first_use or (seq is not None and (first_use[image] or seq) >= seq):
            first_use[image] = seq
    try:
        stored = connection.execute("SELECT sha256, data FROM scan_images").fetchall()
    except sqlite3.OperationalError:
        stored = []  # a file of schema version 1 has no scanned images
    present = set()
    for name, data in stored:
        present.add(name)
        report.rows_checked += 1
        if hashlib.sha256(bytes(data)).hexdigest() != name:
            report.problems.append(
                Problem(first_use.get(name), f"扫描图像 {name[:16]} 的内容被改动")
            )
        elif name not in first_use:
            report.problems.append(
                Problem(None, f"扫描图像 {name[:16]} 不在审计记录中：它是在程序之外写入的")
            )
    for name, seq in first_use.items():
        if name not in present:
            report.problems.append(
                Problem(seq, f"第 {seq} 条审计记录登记的扫描图像 {name[:16]} 已被删除")
            )


def _check_scan_links(connection: sqlite3.Connection, report: VerifyReport) -> None:
    """A page counted from a scan stands for a paper that still counts (corrections move the
    link along; setting the page aside takes the paper back with it)."""
    try:
        rows = connection.execute(
            "SELECT s.source, s.paper_id FROM scan_pages s WHERE s.status = 'counted' AND ("
            " EXISTS (SELECT 1 FROM paper_withdrawals w WHERE w.paper_id = s.paper_id)"
            " OR EXISTS (SELECT 1 FROM papers n WHERE n.supersedes = s.paper_id))"
        ).fetchall()
    except sqlite3.OperationalError:
        return  # schema version 1: no scanned pages
    for source, paper_id in rows:
        report.problems.append(
            Problem(
                None, f"扫描选票 {source} 登记为已计入，但它对应的选票（编号 {paper_id}）已不计入"
            )
        )


def _recount(path: Path, connection: sqlite3.Connection, report: VerifyReport) -> None:
    election = ElectionFile(path, connection, None)
    last = report.entries
    for round_id, contest_id, number in connection.execute(
        "SELECT id, contest_id, number FROM rounds ORDER BY contest_id, number"
    ).fetchall():
        where = f"选举项目 {contest_id} 第 {number} 轮"
        try:
            figures = canonical(result_figures(election.count(round_id)))
        except (ValueError, ElectionFileError) as error:
            report.problems.append(Problem(last, f"{where}的选票无法重新计票：{error}"))
            continue
        report.rounds_checked += 1
        stored = election.stored_figures(round_id)
        if stored is not None:
            stored_figures = json.loads(stored)
            stored_figures.pop("basis", None)
            stored = canonical(stored_figures)
        if stored is not None and stored != figures:
            report.problems.append(
                Problem(last, f"{where}：按保存的选票重新计票，结果与保存的计票结果不符")
            )


# A backup's name: STEM-YYYYMMDD-HHMMSS-mmm-STAGE-HASH8.SUFFIX (store/backup.py).
def _backup_pattern(election_path: Path) -> re.Pattern[str]:
    return re.compile(
        re.escape(election_path.stem)
        + r"-\d{8}-\d{6}-\d{3}-.*-[0-9a-f]{8}"
        + re.escape(election_path.suffix)
    )


def backup_files(election_path: Path) -> list[Path]:
    """The backups of this file in ``backups/`` beside it, oldest first."""
    folder = backup_folder(election_path)
    pattern = _backup_pattern(election_path)
    try:
        return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name) and p.is_file())
    except OSError:
        return []


def _read_backup_chain(path: Path) -> list[AuditEntry]:
    check_header(path)
    # immutable: a backup is never written, and reading it must not create -shm files.
    uri = sqlite_uri(path.resolve()) + "?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True)
    try:
        return read_entries(connection)
    finally:
        connection.close()


def _check_backups(
    path: Path,
    connection: sqlite3.Connection,
    entries: list[AuditEntry],
    writers: dict[tuple[str, tuple[object, ...]], int],
    report: VerifyReport,
) -> None:
    """The anchors outside the file: each backup's chain must be the start of this one, and
    each hash the ``backups`` table recorded must be in it. Rewriting the papers and
    recomputing every hash changes the entries from the first rewritten one on, and the
    backups taken before (at every confirmed round) still hold the old ones."""
    hashes = {entry.seq: entry.hash for entry in entries}
    in_chain = set(hashes.values())
    try:
        recorded = connection.execute(
            "SELECT id, file_name, chain_hash FROM backups ORDER BY id"
        ).fetchall()
    except sqlite3.OperationalError:
        recorded = []
    for row_id, file_name, chain_hash in recorded:
        if chain_hash not in in_chain:
            seq = writers.get(("backups", (row_id,)))
            report.problems.append(
                Problem(
                    seq,
                    f"备份记录“{file_name}”记下的校验码 {short_hash(str(chain_hash))} "
                    "在审计记录中找不到：备份之后，文件中的记录被改写",
                )
            )
    files = backup_files(path)
    unreadable = []
    for backup in files:
        try:
            theirs = _read_backup_chain(backup)
        except (ElectionFileError, sqlite3.Error, OSError):
            unreadable.append(backup.name)
            continue
        report.backups_checked += 1
        for entry in theirs:
            if hashes.get(entry.seq) != entry.hash:
                if entry.seq == 1:
                    detail = (
                        "从第 1 条审计记录起就不同：它是同名的另一次选举的备份（请把它移出 "
                        "backups 文件夹），或者本文件被整个重写"
                    )
                elif entry.seq not in hashes:
                    detail = (
                        f"有第 {entry.seq} 条审计记录，本文件没有：本文件的记录在备份之后被截断"
                    )
                else:
                    detail = (
                        f"的第 {entry.seq} 条审计记录与本文件不同：本文件的记录在备份之后被改写"
                    )
                report.problems.append(Problem(entry.seq, f"备份“{backup.name}”{detail}"))
                break
    listed = {str(name) for _, name, _ in recorded}
    missing = sorted(listed - {p.name for p in files})
    if files:
        report.notes.append(f"与 backups 文件夹中的 {report.backups_checked} 份备份逐条核对")
    else:
        report.notes.append("没有找到 backups 文件夹中的备份，未能与备份核对")
    if missing:
        report.notes.append(
            f"备份记录中的 {len(missing)} 份备份不在 backups 文件夹中（例如 {missing[0]}）"
        )
    if unreadable:
        report.notes.append(f"无法读取的备份：{'、'.join(unreadable)}")


def round_code(connection: sqlite3.Connection, round_id: int) -> str | None:
    """The 校验码 of a confirmed round: the short hash of the audit entry that confirmed it
    (the chain head at that moment), for the projector's result screen. ``verify --expect``
    finds it in the chain as long as nothing up to the confirmation was rewritten."""
    rows = connection.execute(
        "SELECT hash, changes FROM audit_log WHERE changes LIKE '%\"confirmed\"%' ORDER BY seq DESC"
    ).fetchall()
    for digest, changes in rows:
        try:
            parsed = json.loads(changes)
        except ValueError:
            continue
        for change in parsed:
            row = change.get("row") if isinstance(change, dict) else None
            if (
                change.get("op") == "update"
                and change.get("table") == "rounds"
                and isinstance(row, dict)
                and row.get("id") == round_id
            ):
                return short_hash(str(digest)) if row.get("status") == "confirmed" else None
    return None


def check_before_writing(path: Path) -> None:
    """Before a file is opened for editing: its chain must hold (every hash recomputed), and
    before a migration rewrites an older file, its tables must match the chain too: a
    foreign file with our application id is not upgraded in place."""
    from gongtui_desktop.store.database import _connect
    from gongtui_desktop.store.schema import SCHEMA_VERSION

    check_header(path)
    connection = _connect(path, read_only=True)
    try:
        report = VerifyReport(path)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            entries = read_entries(connection)
            _check_chain(entries, report)
            if not entries:
                report.problems.append(Problem(None, "没有任何审计记录：不是本程序保存的选举文件"))
            elif version < SCHEMA_VERSION and report.ok:
                keys = _table_keys(connection)
                expected, writers = _replay(entries, keys, report)
                _compare_tables(connection, keys, expected, writers, report)
        except sqlite3.DatabaseError as error:
            raise ElectionFileError(
                f"选举文件 {path} 已损坏或不是本程序的选举文件：{error}"
            ) from error
    finally:
        connection.close()
    if not report.ok:
        upgrade = "，也没有升级它的格式" if version < SCHEMA_VERSION else ""
        raise ElectionFileError(
            f"选举文件 {path} 不能以编辑方式打开：{report.first_wrong()}。"
            f"文件未作任何改动{upgrade}。可以只读方式打开查看，用“校验”查看全部问题，"
            "或使用 backups 文件夹中的备份。"
        )


def verify_file(path: str | Path, expect: str | None = None) -> VerifyReport:
    """Check an election file without changing it; raises ElectionFileError if it cannot be read."""
    path = Path(path)
    connection, _ = open_connection(path, read_only=True)
    try:
        return verify_connection(path, connection, expect)
    finally:
        connection.close()


@contextmanager
def checked_snapshot(election: ElectionFile) -> Iterator[VerifyReport]:
    """Hold one read snapshot of an open election while it is verified and then read: what
    the caller reads afterwards (the archive packet) is exactly what was checked."""
    connection = election._connection
    connection.execute("BEGIN")
    try:
        # The first read starts the snapshot; the chain head is taken from it.
        election._last = chain_head(connection)
        yield verify_connection(election.path, connection)
    finally:
        connection.execute("ROLLBACK")


def verify_connection(
    path: Path, connection: sqlite3.Connection, expect: str | None = None, anchors: bool = True
) -> VerifyReport:
    """The checks of :func:`verify_file` on an open connection: the archive export runs them
    inside the read transaction it exports from, so what is checked is what is written."""
    report = VerifyReport(path)
    try:
        entries = read_entries(connection)
        report.entries = len(entries)
        report.chain_hash = entries[-1].hash if entries else GENESIS
        _check_chain(entries, report)
        chain_break = min((p.seq for p in report.problems if p.seq is not None), default=None)
        keys = _table_keys(connection)
        expected, writers = _replay(entries, keys, report)
        tables = VerifyReport(path)
        _compare_tables(connection, keys, expected, writers, tables)
        _check_images(connection, expected, writers, tables)
        _check_scan_links(connection, tables)
        report.rows_checked = tables.rows_checked
        for problem in tables.problems:
            if chain_break is not None and (problem.seq is None or problem.seq < chain_break):
                # Past a break in the chain the replay cannot be trusted: the missing or
                # altered entry may explain this row, so the problem starts at the break.
                problem = Problem(
                    chain_break,
                    f"{problem.message}（可能因第 {chain_break} 条审计记录缺失或被改动）",
                )
            report.problems.append(problem)
        _recount(path, connection, report)
        if anchors:
            _check_backups(path, connection, entries, writers, report)
        if expect is not None:
            wanted = normalize_hash_text(expect)
            if len(wanted) < 12:
                report.problems.append(Problem(None, f"校验码 {expect} 太短，至少需要 12 位"))
            elif not any(entry.hash.startswith(wanted) for entry in entries):
                report.problems.append(
                    Problem(
                        None,
                        f"报告上的校验码 {expect} 在审计记录中找不到：打印报告之后，记录被截断或改动",
                    )
                )
    except sqlite3.DatabaseError as error:
        raise ElectionFileError(f"选举文件 {path} 已损坏，无法校验：{error}") from error
    return report
