"""Windows file behaviour, simulated on Linux for the tests named test_windows_*.

Windows refuses to delete, rename or replace a file that another program holds open
(Word holds the documents it shows, antivirus the files it scans), and refuses to rename
a folder holding such a file. ``Held`` makes ``os.replace``, ``os.rename``, ``os.unlink``
and ``shutil.rmtree`` behave like that for the paths it holds; everything else is real.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest


class Held:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: dict[Path, int | None] = {}  # path → refusals left (None: until released)
        self.refusals = 0
        real_replace, real_rename, real_unlink = os.replace, os.rename, os.unlink
        real_rmtree = shutil.rmtree

        def replace(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
            self._check(source, target)
            return real_replace(source, target, *args, **kwargs)

        def rename(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
            self._check(source, target)
            return real_rename(source, target, *args, **kwargs)

        def unlink(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            if "dir_fd" not in kwargs:
                self._check(path)
            return real_unlink(path, *args, **kwargs)

        def rmtree(path, ignore_errors=False, *args, **kwargs):  # type: ignore[no-untyped-def]
            # Windows deletes file by file and stops at the first one that is open.
            folder = Path(path)
            blocked = [p for p in self.paths if _inside(p, folder) and self._refuse(p)]
            if not blocked:
                return real_rmtree(path, ignore_errors, *args, **kwargs)
            for file in sorted(f for f in folder.rglob("*") if f.is_file()):
                if file in blocked:
                    break
                file.unlink()
            if not ignore_errors:
                raise PermissionError(errno.EACCES, "另一个程序正在使用此文件", str(blocked[0]))
            return None

        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "rename", rename)
        monkeypatch.setattr(os, "unlink", unlink)
        monkeypatch.setattr(os, "remove", unlink)
        monkeypatch.setattr(shutil, "rmtree", rmtree)

    def hold(self, path: Path, times: int | None = None) -> None:
        """Hold ``path`` (a file) until released, or for the next ``times`` attempts."""
        self.paths[Path(os.path.abspath(path))] = times

    def release(self, path: Path) -> None:
        self.paths.pop(Path(os.path.abspath(path)), None)

    def _refuse(self, path: Path) -> bool:
        left = self.paths.get(path)
        if left is None:
            return path in self.paths
        if left <= 0:
            return False
        self.paths[path] = left - 1
        return True

    def _check(self, *names: object) -> None:
        for name in names:
            touched = Path(os.path.abspath(os.fsdecode(name)))  # type: ignore[arg-type]
            for held in list(self.paths):
                if _inside(held, touched) and self._refuse(held):
                    self.refusals += 1
                    raise PermissionError(
                        errno.EACCES, "另一个程序正在使用此文件", os.fsdecode(name)
                    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
