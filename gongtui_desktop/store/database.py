"""Opening an election file: checks, pragmas, and the migration chain.

Nothing is written to a file that is not an election file of this program, is
damaged, or comes from a newer version; before a migration, a copy of the file
is kept beside it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from urllib.parse import quote

from gongtui_desktop.store.audit import append_entry, chain_head
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.schema import APPLICATION_ID, MIGRATIONS, Migration

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class Migrated:
    """A file was brought from one schema version to another; ``copy`` is the file as it was."""

    from_version: int
    to_version: int
    copy: Path


def _configure(connection: sqlite3.Connection, read_only: bool) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA busy_timeout = 5000")
    if not read_only:
        _make_durable(connection)


def _make_durable(connection: sqlite3.Connection) -> None:
    """WAL with a full sync at each commit: a committed action survives a power cut."""
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise ElectionFileError("无法启用预写日志（WAL）：请把文件放在本地磁盘或 U 盘上。")
    connection.execute("PRAGMA synchronous = FULL")


def sqlite_uri(path: PurePath) -> str:
    """The ``file:`` URI SQLite opens for an absolute path.

    ``Path.as_uri`` writes a UNC path (a mapped network drive or redirected Documents,
    which ``resolve()`` turns into ``\\\\server\\share\\…``) as ``file://server/share/…``,
    and SQLite refuses any authority but ``localhost``. With an empty authority the
    server stays part of the path (``file:////server/share/…``), which SQLite hands to
    Windows as ``\\\\server\\share\\…``; a drive path becomes ``file:///C:/…``.
    """
    text = path.as_posix()
    if not text.startswith("/"):
        text = "/" + text
    # Only ? # % and the like are escaped: SQLite decodes %XX, including UTF-8 names.
    return "file://" + quote(text, safe="/:")


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    uri = sqlite_uri(path.resolve()) + ("?mode=ro" if read_only else "?mode=rw")
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise ElectionFileError(f"无法打开选举文件 {path}：{error}") from error
    return connection


def check_header(path: Path) -> None:
    """Refuse anything that is plainly not an SQLite database, before SQLite touches it."""
    if not path.exists():
        raise ElectionFileError(f"找不到选举文件 {path}")
    if path.is_dir():
        raise ElectionFileError(f"{path} 是文件夹，不是选举文件")
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as error:
        raise ElectionFileError(f"无法读取 {path}：{error.strerror}") from error
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise ElectionFileError(
            f"{path} 不是选举文件（不是本程序保存的 .gongtui 文件，或文件已损坏）"
        )
    application_id = int.from_bytes(head[68:72], "big")
    if application_id != APPLICATION_ID:
        raise ElectionFileError(f"{path} 是 SQLite 数据库，但不是本程序的选举文件")


def open_connection(
    path: Path, read_only: bool = False, migrations: Sequence[Migration] = MIGRATIONS
) -> tuple[sqlite3.Connection, Migrated | None]:
    """Open an existing election file, migrating it to the current schema when writable."""
    check_header(path)
    migrated = None
    connection = _connect(path, read_only)
    try:
        # Nothing is written before the file has passed every check.
        _configure(connection, read_only=True)
        quick = connection.execute("PRAGMA quick_check").fetchone()[0]
        if quick != "ok":
            raise ElectionFileError(
                f"选举文件 {path} 已损坏（{quick}）。请使用 backups 文件夹中的备份。"
            )
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        current = migrations[-1].version if migrations else 0
        if version > current:
            raise ElectionFileError(
                f"选举文件 {path} 由更新版本的程序保存（格式 {version}，本程序支持到 {current}）。"
                "请升级程序后再打开；文件未作任何改动。"
            )
        if version < current:
            if read_only:
                raise ElectionFileError(
                    f"选举文件 {path} 是旧格式（{version}），只读方式无法升级：请以编辑方式打开。"
                )
            copy = migrate(connection, path, version, migrations)
            migrated = Migrated(version, current, copy)
        if not read_only:
            _make_durable(connection)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise ElectionFileError(f"选举文件 {path} 已损坏或不完整：{error}") from error
    except BaseException:
        connection.close()
        raise
    return connection, migrated


def create_connection(path: Path) -> sqlite3.Connection:
    """Create a new, empty election file with the current schema."""
    if path.exists():
        raise ElectionFileError(f"文件 {path} 已存在，不会覆盖")
    try:
        connection = sqlite3.connect(
            sqlite_uri(path.resolve()) + "?mode=rwc",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        _configure(connection, read_only=False)
    except sqlite3.Error as error:
        _remove_partial(path)
        raise ElectionFileError(
            f"无法在 {path.parent} 创建选举文件（{error}）：该位置可能是只读的。"
        ) from error
    try:
        apply_migrations(connection, 0, MIGRATIONS)
    except BaseException:
        connection.close()
        _remove_partial(path)
        raise
    return connection


def _remove_partial(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


def apply_migrations(
    connection: sqlite3.Connection,
    version: int,
    migrations: Sequence[Migration],
    copy: Path | None = None,
) -> None:
    """Apply each migration after ``version`` in its own transaction, with its version number.

    On an existing file (``copy`` given) each step also appends its audit entry in
    the same transaction, so a crash can never leave a migrated file without it.
    """
    for migration in migrations:
        if migration.version <= version:
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {migration.version}")
            if copy is not None:
                change = {
                    "op": "migrate",
                    "from": migration.version - 1,
                    "to": migration.version,
                    "copy": copy.name,
                }
                action = f"文件格式由 {migration.version - 1} 升级到 {migration.version}：{migration.description}"
                append_entry(connection, chain_head(connection), "系统", action, [change])
            connection.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (triggers contain inner semicolons)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement: {current.strip()[:60]}")
    return statements


def migration_backup_path(path: Path, version: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.格式{version}-升级前-{stamp}{path.suffix}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(
            f"{path.stem}.格式{version}-升级前-{stamp}-{number}{path.suffix}"
        )
    return candidate


def migrate(
    connection: sqlite3.Connection, path: Path, version: int, migrations: Sequence[Migration]
) -> Path:
    """Keep a copy beside the file, then bring it to the newest schema."""
    copy = migration_backup_path(path, version)
    target = sqlite3.connect(copy)
    try:
        connection.backup(target)
    finally:
        target.close()
    apply_migrations(connection, version, migrations, copy)
    return copy
