"""Putting finished files in place the way Windows allows.

On Windows an antivirus scanner, the search indexer or a sync client (OneDrive) opens a
file that was just written for a moment; while it does, renaming that file or replacing
it fails with PermissionError. Waiting a little and trying again is what Explorer does.
Word, WPS and Excel keep an open document locked for as long as it is open: the retries
then fail too, and the caller says which file to close.

Paths longer than 259 characters (MAX_PATH less its final NUL) cannot be opened by Word,
Explorer and most programs; Excel stops at about 218.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePath

# Read at call time, so a test can set it to check the Windows limits on Linux.
IS_WINDOWS = sys.platform == "win32"
ATTEMPTS = 6
PAUSE = 0.2  # seconds between attempts: a scanner holds a fresh file for a fraction of that
PATH_LIMIT = 259
EXCEL_PATH_LIMIT = 218


def replace(source: Path | str, target: Path | str) -> None:
    """``os.replace``, tried again for about a second while the file is held by another
    program; the last PermissionError is raised if it is still held."""
    for attempt in range(ATTEMPTS):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(PAUSE)


def remove_tree(path: Path) -> bool:
    """Remove a folder, tried again while a file in it is held; False when it stays."""
    for attempt in range(ATTEMPTS):
        try:
            shutil.rmtree(path)
            return True
        except FileNotFoundError:
            return True
        except OSError:
            if attempt == ATTEMPTS - 1:
                return False
            time.sleep(PAUSE)
    return False


def remove_file(path: Path) -> bool:
    """Remove a file, tried again while it is held; False when it stays."""
    for attempt in range(ATTEMPTS):
        try:
            path.unlink(missing_ok=True)
            return True
        except OSError:
            if attempt == ATTEMPTS - 1:
                return False
            time.sleep(PAUSE)
    return False


@contextlib.contextmanager
def temporary_folder(prefix: str = "gongtui-") -> Iterator[str]:
    """A temporary folder whose removal never raises: antivirus may still hold a file in
    it, and a folder left in the temporary folder is the system's to clean up."""
    folder = tempfile.mkdtemp(prefix=prefix)
    try:
        yield folder
    finally:
        remove_tree(Path(folder))


def windows_length(path: PurePath | str) -> int:
    """The length Windows counts: UTF-16 code units (a rare character such as 𬭚 counts 2)."""
    return len(str(path).encode("utf-16-le")) // 2


def path_limit(name: str) -> int:
    """The longest full path that the program opening ``name`` accepts on Windows."""
    return EXCEL_PATH_LIMIT if name.lower().endswith((".xlsx", ".xls", ".csv")) else PATH_LIMIT


def too_long(paths: list[Path]) -> Path | None:
    """The first of ``paths`` that Windows programs could not open, or None (always None
    on other systems, whose limits are far higher)."""
    if not IS_WINDOWS:
        return None
    for path in paths:
        if windows_length(path) > path_limit(path.name):
            return path
    return None


def too_long_message(path: Path, what: str) -> str:
    return (
        f"{what}的路径太长：{path}（{windows_length(path)} 个字符）。Windows 上 Word "
        f"只能打开不超过 {PATH_LIMIT} 个字符的路径，Excel 不超过 {EXCEL_PATH_LIMIT} 个。"
        "请选择一个较短的文件夹（例如 D:\\归档），然后重试；没有写入任何文件。"
    )
