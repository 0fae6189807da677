"""Errors of the election file, worded for the user (Chinese, with the file named)."""

from __future__ import annotations

from dataclasses import dataclass


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
        return f"{self.user}（计算机 {self.host}，进程 {self.pid}，自 {self.since} 起）"


class FileLockedError(ElectionFileError):
    """The file is open for writing in another instance; it may still be opened read-only."""

    def __init__(self, path: str, holder: LockHolder | None) -> None:
        who = holder.describe() if holder else "另一个程序"
        super().__init__(f"选举文件 {path} 正由{who}打开编辑。可以只读方式打开查看。")
        self.path = path
        self.holder = holder


class ReadOnlyError(ElectionFileError):
    """A change was attempted on a file opened read-only."""
