"""The append-only audit log: every change, chained with SHA-256.

Each user action is one transaction that writes its rows through a
:class:`Transaction` and one audit entry listing exactly those row changes.
The entry's hash covers the previous entry's hash and the entry's content, so
the log as a whole describes every row of the file: replaying it must give the
tables as stored (:mod:`gongtui_desktop.store.verify`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.schema import Row

GENESIS = "0" * 64


# Tables whose changes are timed to the minute only: the order and time of each member's
# sign-in must not be kept finer than a minute, or it could be matched against the order
# in which papers were cast (see docs/secrecy.md). Entries written before this rule keep
# their millisecond times; verify rehashes ``at`` as stored, whatever its precision.
MINUTE_TABLES = frozenset({"attendance"})


def now_text() -> str:
    """Local time with its offset, e.g. ``2026-11-24T16:05:00.123+08:00``."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def minute_text() -> str:
    """Local time cut to the minute, seconds written as 00: ``2026-11-24T16:05:00+08:00``
    (the full ISO form, so every reader of ``at`` parses it as before)."""
    return datetime.now().astimezone().replace(second=0, microsecond=0).isoformat()


def _entry_time(changes: list[dict[str, object]]) -> str:
    """The entry's time: to the minute when it changes a sign-in, else to the millisecond."""
    if any(change.get("table") in MINUTE_TABLES for change in changes):
        return minute_text()
    return now_text()


def canonical(value: object) -> str:
    """The one JSON text of a value that hashes are computed over."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(prev_hash: str, seq: int, at: str, operator: str, action: str, changes: str) -> str:
    body = canonical(
        {"seq": seq, "at": at, "operator": operator, "action": action, "changes": changes}
    )
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


def short_hash(full: str) -> str:
    """The form printed on reports: the first 16 hex digits in groups of four."""
    head = full[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def normalize_hash_text(text: str) -> str:
    """A hash as typed by a user (short or full, any case, with or without dashes)."""
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    operator: str
    action: str
    changes: str
    prev_hash: str
    hash: str

    def describe(self) -> str:
        return f"第 {self.seq} 条审计记录（{self.at}，{self.operator}：{self.action}）"


def read_entries(connection: sqlite3.Connection) -> list[AuditEntry]:
    rows = connection.execute(
        "SELECT seq, at, operator, action, changes, prev_hash, hash FROM audit_log ORDER BY seq"
    ).fetchall()
    return [AuditEntry(*row) for row in rows]


class MissingRowError(ElectionFileError):
    """An update or delete found no row to change."""


def chain_head(connection: sqlite3.Connection) -> tuple[int, str]:
    """(seq, hash) of the last audit entry, or (0, GENESIS) for an empty log."""
    row = connection.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


class Transaction:
    """Row changes of one user action, recorded as they are made.

    Every statement returns the row as stored (``RETURNING *``), so the audit
    entry holds exactly what is in the table, defaults included.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self.changes: list[dict[str, object]] = []

    def _returning(self, sql: str, params: tuple[object, ...]) -> Row:
        cursor = self._connection.execute(sql, params)
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        if row is None:
            raise MissingRowError("找不到要修改的记录：它可能已被删除")
        extra = cursor.fetchone()
        if extra is not None:
            raise RuntimeError("一次只能修改一条记录")
        return dict(zip(names, row, strict=True))

    def insert(self, table: str, values: Row) -> Row:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        row = self._returning(
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING *", tuple(values.values())
        )
        self.changes.append({"op": "insert", "table": table, "row": row})
        return row

    def update(self, table: str, key: Row, values: Row) -> Row:
        if set(key) & set(values):
            # verify replays rows by key: a key is never changed in place.
            raise ValueError(
                f"cannot change key columns {sorted(set(key) & set(values))} of {table}"
            )
        if not values:
            raise ValueError(f"nothing to update in {table}")
        assignments = ", ".join(f"{column} = ?" for column in values)
        where = " AND ".join(f"{column} = ?" for column in key)
        row = self._returning(
            f"UPDATE {table} SET {assignments} WHERE {where} RETURNING *",
            (*values.values(), *key.values()),
        )
        self.changes.append({"op": "update", "table": table, "row": row})
        return row

    def delete(self, table: str, key: Row) -> Row:
        where = " AND ".join(f"{column} = ?" for column in key)
        row = self._returning(f"DELETE FROM {table} WHERE {where} RETURNING *", tuple(key.values()))
        self.changes.append({"op": "delete", "table": table, "row": row})
        return row


def append_entry(
    connection: sqlite3.Connection,
    prev: tuple[int, str],
    operator: str,
    action: str,
    changes: list[dict[str, object]],
) -> AuditEntry:
    """Write the next entry of the chain after ``prev`` = (seq, hash). An entry changing a
    sign-in is timed to the minute only (:data:`MINUTE_TABLES`)."""
    seq = prev[0] + 1
    at = _entry_time(changes)
    text = canonical(changes)
    digest = entry_hash(prev[1], seq, at, operator, action, text)
    connection.execute(
        "INSERT INTO audit_log (seq, at, operator, action, changes, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, operator, action, text, prev[1], digest),
    )
    return AuditEntry(seq, at, operator, action, text, prev[1], digest)
