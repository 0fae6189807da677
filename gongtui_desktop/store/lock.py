"""One writer at a time: a lock file beside the election file.

The lock is an operating-system lock held on ``NAME.gongtui.lock`` for as long
as the file is open for writing; the file's text says who holds it. The OS
releases the lock when a process dies, so a lock file left by a crashed
instance is recognised as stale simply because its lock can be taken again.
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


def lock_path(path: Path) -> Path:
    """The lock beside the real file: a symlink or a relative path leads to the same lock."""
    real = path.resolve()
    return real.with_name(real.name + ".lock")


def _try_os_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_LOCK_OFFSET)
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

    @classmethod
    def acquire(cls, election_path: Path) -> WriterLock:
        """Take the lock, or raise :class:`FileLockedError` naming the holder.

        A lock file whose OS lock is free was left by an instance that ended
        without closing (crash, power cut): it is taken over, and reported in
        ``took_over`` so the caller can note it in the audit log.
        """
        path = lock_path(election_path)
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
        previous = _read_holder(path)
        if previous is None and existed:
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
        if sys.platform != "win32":
            # Unlink while still holding the lock, so nobody can lock the old file after us.
            with contextlib.suppress(OSError):
                self.path.unlink()
        handle.close()  # closing releases the OS lock
        if sys.platform == "win32":
            # Fails if another instance has just opened it; that one locks it next.
            with contextlib.suppress(OSError):
                self.path.unlink()


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
