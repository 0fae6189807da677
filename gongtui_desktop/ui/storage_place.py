"""Where an election file is kept, and where new ones go.

The file is written at every action, with a write-ahead log beside it. Over a network
share (SMB) that log is not safe: a dropped connection or a second computer can damage
the file. A sync client (OneDrive and the like) copies and locks the file while it is
written and leaves conflicting copies. So before such a file is opened for writing the
user is told, and offered a copy on this computer's own disk.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePath, PureWindowsPath

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError

FOLDER_NAME = "公推直选"
NETWORK = "network"
SYNC = "sync"
# Folder names sync clients use (compared in lower case; OneDrive adds " - 单位名称").
SYNC_NAMES = (
    "onedrive",
    "dropbox",
    "google drive",
    "googledrive",
    "icloud drive",
    "iclouddrive",
    "坚果云",
    "nutstore",
    "百度网盘",
    "baidunetdisk",
    "wps云盘",
    "wpsdrive",
)
NETWORK_FILE_SYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.sshfs",
    "fuse.rclone",
    "davfs",
}
DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive


def _absolute(path: PurePath) -> PurePath:
    if not isinstance(path, Path):
        return path  # a path of another system, as given
    try:
        # On Windows this turns a mapped drive H:\ into \\server\share.
        return path.resolve()
    except OSError:
        return Path(os.path.abspath(path))


def is_unc(path: PurePath) -> bool:
    """\\\\server\\share\\… (not \\\\?\\C:\\…, a local path in long form)."""
    if not isinstance(path, PureWindowsPath):
        return False
    text = str(path)
    upper = text.upper()
    if upper.startswith(("\\\\?\\UNC\\", "\\\\.\\UNC\\")):
        return True
    return text.startswith("\\\\") and not upper.startswith(("\\\\?\\", "\\\\.\\"))


def drive_type(root: str) -> int:
    """Windows' GetDriveTypeW for a drive root such as ``H:\\``; 0 elsewhere."""
    if sys.platform != "win32":
        return 0
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def _mount_type(path: PurePath) -> str:
    """The file system type of the mount holding ``path`` (Linux), or ''."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as handle:
            mounts = [line.split() for line in handle]
    except OSError:
        return ""
    best, kind = "", ""
    text = str(path)
    for fields in mounts:
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = text == point or text.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind


def _in_sync_folder(path: PurePath) -> bool:
    parts = [part.lower() for part in path.parts]
    if any(part.startswith(SYNC_NAMES) for part in parts):
        return True
    for variable in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        root = os.environ.get(variable)
        if root and type(path)(root) in (path, *path.parents):
            return True
    return False


def storage_concern(path: PurePath) -> str | None:
    """``NETWORK`` for a network drive or share, ``SYNC`` for a sync folder, else None."""
    place = _absolute(path)
    if is_unc(place):
        return NETWORK
    drive = getattr(place, "drive", "")
    if drive and drive_type(drive + "\\") == DRIVE_REMOTE:
        return NETWORK
    if not isinstance(place, PureWindowsPath) and _mount_type(place) in NETWORK_FILE_SYSTEMS:
        return NETWORK
    if _in_sync_folder(place):
        return SYNC
    return None


def default_folder() -> Path:
    """Where new elections and demos go: Documents\\公推直选, which Explorer shows and which
    does not roam; the home folder, or the local application data folder, when Documents is
    itself redirected to the network or kept by OneDrive."""
    candidates = [
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
        str(Path.home()),
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation),
    ]
    chosen = None
    for location in candidates:
        if location and storage_concern(Path(location) / FOLDER_NAME) is None:
            chosen = Path(location) / FOLDER_NAME
            break
    if chosen is None:
        chosen = Path(candidates[0] or Path.home()) / FOLDER_NAME
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def local_copy_path(path: Path, folder: Path) -> Path:
    """A free name for the copy in ``folder``: the same name, or with 副本 and a number."""
    target = folder / path.name
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{path.stem}-副本{number}{path.suffix}"
    return target


def copy_to_local_disk(path: Path, folder: Path | None = None) -> Path:
    """A consistent copy of the election file on this computer (its -wal included)."""
    target = local_copy_path(path, folder or default_folder())
    with ElectionFile.open(path, read_only=True) as election:
        election.copy_to(target)
    return target


def warning_text(path: Path, concern: str, local: Path) -> str:
    where = "网络驱动器或共享文件夹" if concern == NETWORK else "OneDrive 等同步文件夹"
    risk = (
        "网络断开、或另一台电脑同时打开它时，选举文件可能损坏，已录入的选票可能丢失。"
        if concern == NETWORK
        else "同步程序会在录入期间复制、锁住文件，可能产生冲突副本或使文件损坏。"
    )
    return (
        f"选举文件“{path.name}”在{where}中（{path.parent}）。{risk}\n\n"
        f"建议先复制到本机磁盘（{local}），在副本上工作；选举结束、关闭文件后，"
        "再把它复制回去或导出归档材料。原来的文件不会改动。"
    )


def confirm_storage_place(parent: QWidget | None, path: Path) -> Path | None:
    """Before opening ``path`` for writing: the path to open (the original, or a copy on
    the local disk), or None when the user cancels."""
    concern = storage_concern(path)
    if concern is None:
        return path
    local = default_folder()
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("选举文件不在本机磁盘上")
    box.setText(warning_text(path, concern, local))
    copy = box.addButton("复制到本机并打开", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("仍在原处打开", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(copy)
    box.exec()
    clicked = box.clickedButton()
    if clicked is keep:
        return path
    if clicked is not copy:
        return None
    try:
        return copy_to_local_disk(path, local)
    except ElectionFileError as error:
        QMessageBox.critical(
            parent,
            "无法复制选举文件",
            f"无法把“{path.name}”复制到 {local}：{error}\n请关闭其他打开它的程序后重试，"
            "或在资源管理器中手动复制。",
        )
        return None
