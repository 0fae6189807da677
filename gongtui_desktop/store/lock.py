"""One writer at a time: a lock on the election file itself, and a note of who holds it.

Two operating-system locks are held for as long as the file is open for writing:

* one on the database file itself (its identity, not its name): a hard link, a
  rename or a second path to the same file leads to the same lock;
* one on ``NAME.gongtui.lock`` beside the file, whose text says who holds it.

A file with more than one hard link is refused for writing: SQLite keeps its
write-ahead log beside each *name*, so two writers through two names would each
see only their own log and break the chain. The OS releases both locks when a
process dies, so a lock file left by a crashed instance is recognised as stale
simply because its lock can be taken again; a normal close marks the file released first,
since on Windows it may stay behind when another program has it open.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import IO

from gongtui_desktop.store.errors import ElectionFileError, FileLockedError, LockHolder

# Windows locks byte ranges: lock one byte far past the text so others can still read who holds it.
_LOCK_OFFSET = 1 << 20
# On the database file, far past SQLite's own lock bytes (at 1 GiB) and any real file's end.
_FILE_LOCK_OFFSET = 1 << 40


def lock_path(path: Path) -> Path:
    """The lock beside the real file: a symlink or a relative path leads to the same lock."""
    real = path.resolve()
    return real.with_name(real.name + ".lock")


def _try_os_lock(handle: IO[str] | IO[bytes], offset: int = _LOCK_OFFSET) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(offset)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _was_released(path: Path) -> bool:
    """The lock file says its holder closed the file normally (see ``WriterLock.release``)."""
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("released") is True
    except (OSError, ValueError, AttributeError):
        return False


def _read_holder(path: Path) -> LockHolder | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockHolder(
            str(data["host"]), int(data["pid"]), str(data["user"]), str(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class WriterLock:
    """Held while an election file is open for writing."""

    def __init__(self, path: Path, handle: IO[str], took_over: LockHolder | None) -> None:
        self.path = path
        self._handle: IO[str] | None = handle
        self.took_over = took_over
        self.election_path: Path | None = None
        self._file: IO[bytes] | None = None

    def hold_file(self, election_path: Path) -> None:
        """Lock the election file itself (its identity); for a new file, once it exists."""
        if self._file is not None:
            return
        self._file = _lock_identity(election_path)
        self.election_path = election_path

    def check_identity(self) -> None:
        """Raise if the path no longer names the file that was opened: a write would go to
        a log beside a name that is gone, and the next opening would not find it."""
        if self._file is None or self.election_path is None:
            return
        path = self.election_path
        try:
            on_disk = os.stat(path)
        except OSError:
            raise ElectionFileError(
                f"选举文件 {path} 已不在原处（U 盘被拔出，或文件被移动、改名或删除）："
                "这次操作没有保存，之前保存的内容不受影响。请把 U 盘插回、把文件放回原处，"
                "然后关闭并重新打开它。"
            ) from None
        mine = os.fstat(self._file.fileno())
        if (on_disk.st_dev, on_disk.st_ino) != (mine.st_dev, mine.st_ino):
            raise ElectionFileError(
                f"选举文件 {path} 在打开期间被改名、移动或换成了另一个文件："
                "这次操作没有保存。请关闭程序，再从文件现在的位置重新打开。"
            )
        if on_disk.st_nlink > 1:
            raise ElectionFileError(_links_message(path, on_disk.st_nlink) + "这次操作没有保存。")

    @classmethod
    def acquire(cls, election_path: Path) -> WriterLock:
        """Take the lock, or raise :class:`FileLockedError` naming the holder.

        A lock file whose OS lock is free was left by an instance that ended
        without closing (crash, power cut): it is taken over, and reported in
        ``took_over`` so the caller can note it in the audit log.
        """
        path = lock_path(election_path)
        identity = None
        if election_path.exists():
            # The file itself first: whoever holds it, under whatever name, is the writer.
            identity = _lock_identity(election_path, path)
        try:
            lock = cls._acquire_name(election_path, path)
        except BaseException:
            if identity is not None:
                identity.close()
            raise
        if identity is not None:
            lock._file = identity
            lock.election_path = election_path
        return lock

    @classmethod
    def _acquire_name(cls, election_path: Path, path: Path) -> WriterLock:
        existed = path.exists()
        for _ in range(5):
            try:
                handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
            except OSError as error:
                raise ElectionFileError(
                    f"无法在 {path.parent} 创建锁文件（{error.strerror}）：该位置可能是只读的。"
                    "可以只读方式打开，或把文件复制到可写的位置。"
                ) from error
            if not _try_os_lock(handle):
                handle.close()
                raise FileLockedError(str(election_path), _read_holder(path))
            if _still_linked(handle, path):
                break
            # The previous holder removed the file between our open and our lock: start again.
            handle.close()
        else:
            raise ElectionFileError(f"无法取得 {election_path} 的锁，请稍后再试。")
        released = _was_released(path)
        previous = None if released else _read_holder(path)
        if previous is None and existed and not released:
            # A crash while the lock file was being written leaves it empty.
            previous = LockHolder("未知", 0, "未知", "未知")
        me = LockHolder(
            socket.gethostname(),
            os.getpid(),
            _user_name(),
            datetime.now().astimezone().isoformat(timespec="seconds"),
        )
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {"host": me.host, "pid": me.pid, "user": me.user, "since": me.since},
                ensure_ascii=False,
            )
        )
        handle.flush()
        return cls(path, handle, previous)

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        # Say so in the file before letting go: on Windows the file cannot be deleted while
        # anyone else has it open (a second window probing it, antivirus, the indexer,
        # OneDrive), and the next opening must not take a normal close for a crash.
        with contextlib.suppress(OSError, ValueError):
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps({"released": True}))
            handle.flush()
        if sys.platform != "win32":
            # Unlink while still holding the lock, so nobody can lock the old file after us.
            with contextlib.suppress(OSError):
                self.path.unlink()
        handle.close()  # closing releases the OS lock
        if self._file is not None:
            self._file.close()
            self._file = None
        if sys.platform == "win32":
            # Fails if another instance has just opened it; that one locks it next.
            with contextlib.suppress(OSError):
                self.path.unlink()


def _links_message(path: Path, links: int) -> str:
    return (
        f"选举文件 {path} 在磁盘上有 {links} 个名字（硬链接）：两个程序可能通过不同的名字"
        "同时写入它，各自的修改会互相覆盖。只能以只读方式打开；要编辑，请先把它复制成一个"
        "单独的文件（复制而不是创建链接），或删除多余的链接。"
    )


def _lock_identity(election_path: Path, name_lock: Path | None = None) -> IO[bytes]:
    """Lock the database file itself; refuse a file reachable under more than one name."""
    try:
        handle = open(election_path, "rb")  # noqa: SIM115 - held until release()
    except OSError as error:
        raise ElectionFileError(f"无法打开选举文件 {election_path}（{error.strerror}）") from error
    try:
        links = os.fstat(handle.fileno()).st_nlink
        if links > 1:
            raise ElectionFileError(_links_message(election_path, links))
        if not _try_os_lock(handle, _FILE_LOCK_OFFSET):
            holder = _read_holder(name_lock) if name_lock is not None else None
            raise FileLockedError(str(election_path), holder)
    except BaseException:
        handle.close()
        raise
    return handle


def _still_linked(handle: IO[str], path: Path) -> bool:
    if sys.platform == "win32":
        return True  # an open file cannot be removed on Windows
    try:
        on_disk = os.stat(path)
    except OSError:
        return False
    mine = os.fstat(handle.fileno())
    return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "未知用户"
