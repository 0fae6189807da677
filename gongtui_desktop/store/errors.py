"""Errors of the election file, worded for the user (Chinese, with the file named)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class ElectionFileError(Exception):
    """Anything wrong with an election file; ``str(error)`` is the message for the user."""


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who has the file open for writing."""

    host: str
    pid: int
    user: str
    since: str

    def describe(self) -> str:
        """Who, on which computer, since when — in words a scrutineer reads at a glance."""
        return f"{self.user}在计算机“{self.host}”上{since_in_words(self.since)}起"


def since_in_words(since: str) -> str:
    """2026-11-24T09:05:00+08:00 → 11月24日 9:05 (今天 9:05 when it is today)."""
    try:
        moment = datetime.fromisoformat(since)
    except ValueError:
        return "自某时"
    now = datetime.now(moment.tzinfo)
    clock = f"{moment.hour}:{moment.minute:02d}"
    if moment.date() == now.date():
        return f"从今天 {clock}"
    if moment.year == now.year:
        return f"从{moment.month}月{moment.day}日 {clock}"
    return f"从{moment.year}年{moment.month}月{moment.day}日 {clock}"


class FileLockedError(ElectionFileError):
    """The file is open for writing in another instance; it may still be opened read-only."""

    def __init__(self, path: str, holder: LockHolder | None) -> None:
        who = holder.describe() if holder else "另一个程序"
        super().__init__(f"选举文件 {path} 正由{who}打开编辑。可以只读方式打开查看。")
        self.path = path
        self.holder = holder


class ReadOnlyError(ElectionFileError):
    """A change was attempted on a file opened read-only."""


class StorageError(ElectionFileError):
    """The disk refused a write (full, removed, failing): the action was not applied."""


def storage_message(error: BaseException, path: object) -> str:
    """What happened to the storage, and what to do, in words for the user."""
    text = str(error).lower()
    errno = getattr(error, "errno", None)
    if "full" in text or errno == 28:
        return (
            f"磁盘空间已满，选举文件 {path} 无法写入：这次操作没有保存，之前已保存的内容不受影响。"
            "请腾出磁盘空间（删除不需要的文件）后再做一次；或用“文件 → 复制选举文件到…”"
            "把文件存到空间足够的地方，从那里打开后继续。"
        )
    if "locked" in text or "busy" in text:
        return (
            f"选举文件 {path} 正被另一个程序占用：这次操作没有保存。请稍候再试，"
            "或关闭正在读取它的其他程序。"
        )
    return (
        f"无法写入选举文件 {path}（U 盘被拔出、文件被移走或磁盘出错）：这次操作没有保存，"
        "之前已保存的内容不受影响。请把 U 盘插回、把文件放回原处，然后关闭并重新打开它；"
        "如果 U 盘坏了，请使用 backups 文件夹中最新的备份。"
    )


# SQLite's primary result codes that mean the storage, not the program: BUSY, LOCKED,
# READONLY, IOERR, FULL, CANTOPEN.
_STORAGE_CODES = {5, 6, 8, 10, 13, 14}


def is_storage_error(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(code, int) and (code & 0xFF) in _STORAGE_CODES
