"""导出归档材料 off the GUI thread, with a progress dialog that shows only for slow exports;
before it, what the documents would still print as blanks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from gongtui_desktop.reports.packet import Packet, export_packet
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError


class ExportWorker(QThread):
    """Writes the packet with its own read-only connection to the election file."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, election_path: Path, outdir: Path) -> None:
        super().__init__()
        self.election_path = election_path
        self.outdir = outdir

    def run(self) -> None:
        try:
            packet = export_packet(self.election_path, self.outdir, progress=self.progressed.emit)
        except ElectionFileError as error:
            self.failed.emit(str(error))
            return
        self.succeeded.emit(packet)


class ExportRunner:
    """Starts the worker and keeps a progress dialog that appears after half a second."""

    def __init__(self, parent: QWidget, election_path: Path, outdir: Path) -> None:
        self.worker = ExportWorker(election_path, outdir)
        self.dialog = QProgressDialog("正在导出归档材料……", "", 0, 100, parent)
        self.dialog.setWindowTitle("导出归档材料")
        self.dialog.setCancelButton(None)
        self.dialog.setMinimumDuration(500)
        self.dialog.setAutoClose(True)
        self.result: Packet | None = None
        self.error = ""
        self.worker.progressed.connect(self._progress)
        self.worker.succeeded.connect(self._done)
        self.worker.failed.connect(self._failed)

    def start(self) -> None:
        self.dialog.setValue(0)
        self.worker.start()

    def _progress(self, done: int, total: int, name: str) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        self.dialog.setLabelText(f"正在写入：{name}")

    def _done(self, packet: Packet) -> None:
        self.result = packet
        self.dialog.setValue(self.dialog.maximum())

    def _failed(self, message: str) -> None:
        self.error = message
        self.dialog.cancel()


def missing_for_archive(election: ElectionFile) -> list[str]:
    """What the archive's documents would print as blanks: the 会议记录 fields of the
    election meeting, the scrutineers, and whom the report goes to."""
    record = election.meeting_record("election")
    missing = [
        f"选举大会的{label}"
        for key, label in (
            ("held_on", "日期"),
            ("starts_at", "开始时间"),
            ("ends_at", "结束时间"),
            ("place", "地点"),
            ("chair", "主持人"),
            ("recorder", "记录人"),
        )
        if not record.get(key)
    ]
    if not record.get("delegate"):
        missing.append("选举大会列席的上级党组织派员（没有派员时可不填）")
    roles = {role.value for _, role in election.scrutineers()}
    if "chief" not in roles:
        missing.append("总监票人")
    if "counter" not in roles:
        missing.append("计票人")
    if not str(election.election_details().get("higher_organization") or "").strip():
        missing.append("上级党组织名称（选举结果报告的主送机关）")
    return missing


def confirm_missing(parent: QWidget, election: ElectionFile) -> bool:
    """Before an export: list what is still missing and ask whether to export anyway.
    True when nothing is missing or the user chose to export."""
    missing = missing_for_archive(election)
    if not missing:
        return True
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("导出归档材料")
    box.setText(
        "以下内容尚未填写，归档材料中将留空待手工填写：\n"
        + "\n".join(f"  · {item}" for item in missing)
        + "\n\n会议信息在“会议签到”页填写。是否仍然导出？"
    )
    export = box.addButton("仍然导出", QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("返回填写", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is export
