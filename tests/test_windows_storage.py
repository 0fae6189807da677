"""Election files on a network drive or in a sync folder, as Windows names them (UNC paths
simulated with PureWindowsPath; a mapped drive with a patched GetDriveTypeW), and the
default folder for new elections."""

from __future__ import annotations

import sqlite3
from pathlib import Path, PureWindowsPath

import pytest

from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.database import sqlite_uri
from gongtui_desktop.store.schema import APPLICATION_ID
from gongtui_desktop.store.verify import verify_file
from gongtui_desktop.ui import storage_place
from gongtui_desktop.ui.storage_place import (
    NETWORK,
    SYNC,
    confirm_storage_place,
    default_folder,
    storage_concern,
)


def as_unc(path: Path) -> PureWindowsPath:
    """``/tmp/x/y`` as the UNC path ``\\\\tmp\\x\\y`` (server "tmp"): SQLite on Linux reads
    the URI path ``//tmp/x/y`` as ``/tmp/x/y``, so the file really opens."""
    return PureWindowsPath("\\\\" + str(path).lstrip("/").replace("/", "\\"))


def test_a_unc_path_opens_through_sqlite(tmp_path: Path) -> None:
    path = write_demo(tmp_path / "第1支部 #2.gongtui")
    unc = as_unc(path)
    assert str(unc).startswith("\\\\tmp\\")
    # What Path.as_uri gives, and SQLite refuses, on Windows:
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect(unc.as_uri() + "?mode=ro", uri=True)
    uri = sqlite_uri(unc)
    assert uri.startswith("file:////tmp/") and "%23" in uri
    connection = sqlite3.connect(uri + "?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        connection.close()
    assert sqlite_uri(PureWindowsPath(r"C:\选举\a.gongtui")) == (
        "file:///C:/%E9%80%89%E4%B8%BE/a.gongtui"
    )


def test_network_places_are_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    assert storage_concern(PureWindowsPath(r"\\server\share\选举\a.gongtui")) == NETWORK
    assert storage_concern(PureWindowsPath(r"\\?\UNC\server\share\a.gongtui")) == NETWORK
    assert storage_concern(PureWindowsPath(r"\\?\C:\选举\a.gongtui")) is None
    assert storage_concern(PureWindowsPath(r"C:\选举\a.gongtui")) is None
    # A mapped drive H: that resolve() could not turn into its UNC name.
    monkeypatch.setattr(
        storage_place,
        "drive_type",
        lambda root: storage_place.DRIVE_REMOTE if root == "H:\\" else 3,
    )
    assert storage_concern(PureWindowsPath(r"H:\选举\a.gongtui")) == NETWORK
    assert storage_concern(PureWindowsPath(r"C:\选举\a.gongtui")) is None


def test_sync_folders_are_recognised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "OneDrive - 区统计局" / "文档"
    folder.mkdir(parents=True)
    assert storage_concern(folder / "a.gongtui") == SYNC
    assert storage_concern(PureWindowsPath(r"C:\Users\李\OneDrive\文档\a.gongtui")) == SYNC
    assert storage_concern(tmp_path / "本地" / "a.gongtui") is None
    monkeypatch.setenv("OneDrive", str(tmp_path / "云"))
    assert storage_concern(tmp_path / "云" / "a.gongtui") == SYNC


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user whose Documents folder is kept by OneDrive (Known Folder Move)."""
    home = tmp_path / "home"
    documents = home / "OneDrive - 区统计局" / "文档"
    documents.mkdir(parents=True)
    (home / ".config").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text(
        'XDG_DOCUMENTS_DIR="$HOME/OneDrive - 区统计局/文档"\n', encoding="utf-8"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return documents


def test_default_folder_is_documents_unless_synced(
    documents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_folder() == documents.parent.parent / "公推直选"  # Documents is synced
    plain = documents.parent.parent / "文档"
    plain.mkdir()
    (documents.parent.parent / ".config" / "user-dirs.dirs").write_text(
        'XDG_DOCUMENTS_DIR="$HOME/文档"\n', encoding="utf-8"
    )
    assert default_folder() == plain / "公推直选" and (plain / "公推直选").is_dir()


def answer_warning(button: str, seen: list[str]) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, look)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(20, look)


def test_a_file_in_a_sync_folder_is_copied_to_the_local_disk(qtbot, documents: Path) -> None:  # type: ignore[no-untyped-def]
    original = write_demo(documents / "第1支部.gongtui")
    before = original.read_bytes()
    seen: list[str] = []
    answer_warning("复制到本机并打开", seen)
    opened = confirm_storage_place(None, original)
    assert opened == documents.parent.parent / "公推直选" / "第1支部.gongtui"
    assert "第1支部.gongtui" in seen[0] and "同步文件夹" in seen[0] and "复制到本机" in seen[0]
    assert verify_file(opened).ok and original.read_bytes() == before
    answer_warning("仍在原处打开", seen)
    assert confirm_storage_place(None, original) == original
    answer_warning("取消", seen)
    assert confirm_storage_place(None, original) is None
    answer_warning("复制到本机并打开", seen)
    assert confirm_storage_place(None, original).name == "第1支部-副本2.gongtui"  # type: ignore[union-attr]
    assert confirm_storage_place(None, opened) == opened  # local: no question
