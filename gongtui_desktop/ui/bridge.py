"""Qt signal for the counting station's changes, so several windows follow one source."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gongtui_desktop.services.station import Change, CountingStation


class StationBridge(QObject):
    """Re-emits every :class:`Change` of a station as a Qt signal."""

    changed = Signal(object)

    def __init__(self, station: CountingStation, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station = station
        station.subscribe(self._forward)

    def _forward(self, change: Change) -> None:
        self.changed.emit(change)
