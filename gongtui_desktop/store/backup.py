"""Backups with SQLite's online backup API into ``backups/`` beside the election file."""

from __future__ import annotations

import contextlib
import glob
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from gongtui_desktop import safe_files
from gongtui_desktop.store.errors import ElectionFileError

BACKUP_FOLDER = "backups"


def backup_folder(election_path: Path) -> Path:
    return election_path.parent / BACKUP_FOLDER


def remove_orphan_parts(election_path: Path) -> list[Path]:
    """Half-written backups of this file left by a kill or a power cut: never a backup
    (the ``.part`` is renamed into place only when complete), so they are removed when the
    file is next opened for writing, with the lock held so no backup of ours is running."""
    folder = backup_folder(election_path)
    removed = []
    try:
        parts = sorted(folder.glob(f"{glob.escape(election_path.stem)}-*.part"))
    except OSError:
        return removed
    for part in parts:
        with contextlib.suppress(OSError):
            part.unlink()
            removed.append(part)
    return removed


def copy_database(connection: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy with the online backup API, as one self-contained file (no
    -wal/-shm companions); written beside the target first, so no half copy is left."""
    partial = target.with_name(target.name + ".part")
    try:
        copy = sqlite3.connect(partial)
        try:
            connection.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        safe_files.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def take_backup(
    connection: sqlite3.Connection, election_path: Path, stage: str, chain_hash: str
) -> Path:
    """Copy the whole file as it is now; the name carries the stage and the chain hash it holds.

    Every backup is kept: a new one never replaces an older one.
    """
    folder = backup_folder(election_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]
    label = re.sub(r"[\\/:*?\"<>|\s]+", "_", stage)
    target = folder / f"{election_path.stem}-{stamp}-{label}-{chain_hash[:8]}{election_path.suffix}"
    try:
        folder.mkdir(exist_ok=True)
        copy_database(connection, target)
    except (OSError, sqlite3.Error) as error:
        raise ElectionFileError(f"无法在 {folder} 保存备份：{error}") from error
    return target
