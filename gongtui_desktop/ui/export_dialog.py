"""导出归档材料 off the GUI thread, with a progress dialog that shows only for slow exports."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from gongtui_desktop.reports.packet import Packet, export_packet
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
