"""扫描选票: importing a folder of scans off the GUI thread, and the adjudication queue where
the operator confirms or corrects each page in doubt beside its image.

Two keys behave differently here than at the counting station, because a page comes with its
reading already keyed: Esc puts the page's reading back (it never leaves an empty or half-keyed
paper for the next Enter), and Enter refuses a page whose reason for review is not answered
yet — a written-in name that has not been typed (R6)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    QRectF,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gongtui_desktop.domain.ballots import BallotPaper
from gongtui_desktop.domain.options import CountOptions
from gongtui_desktop.scanning.layout import Rect
from gongtui_desktop.scanning.readings import BoxReading, BoxState
from gongtui_desktop.services.keypad import Reply
from gongtui_desktop.services.scanning import ImportSummary, Interpretation, ScanCounting
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.records import RoundRecord
from gongtui_desktop.store.scans import ScanPageRecord, ScanStatus
from gongtui_desktop.ui.paper_editor import PaperEditor

if TYPE_CHECKING:
    import numpy as np

REJECT_REASONS = ("另一轮次的选票", "同一张选票重复扫描", "不是本次选举的选票", "不是选票")
NOT_A_NAME_REASONS = ("格内写的不是姓名（涂画或符号）", "字迹无法辨认")
IMAGE_WIDTH = 660
STATE_COLOURS = {
    BoxState.EMPTY: QColor("#9e9e9e"),
    BoxState.FOR: QColor("#0a7a2f"),
    BoxState.AGAINST: QColor("#0a4fb0"),
    BoxState.WRITTEN: QColor("#e65100"),
    BoxState.UNCERTAIN: QColor("#b00020"),
}


def gray_pixmap(gray: np.ndarray) -> QPixmap:
    """A grayscale array as a pixmap (the array is copied: Qt must not keep numpy's memory)."""
    import numpy as np  # with the scans, not at start-up

    data = np.ascontiguousarray(gray, dtype=np.uint8)
    height, width = data.shape
    image = QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8)
    return QPixmap.fromImage(image.copy())


def annotated(meaning: Interpretation, fallback: np.ndarray) -> QPixmap:
    """The straightened sheet with every box outlined in the colour of its reading (red: in
    doubt); the page as scanned when it could not be read."""
    reading = meaning.reading
    if reading.frame is None or reading.layout is None:
        image = gray_pixmap(fallback)
    else:
        image = gray_pixmap(reading.frame)
        layout = reading.layout
        boxes: list[tuple[BoxReading, Rect]] = list(
            zip(reading.marks, layout.mark_boxes, strict=True)
        )
        for (name, mark), (name_rect, mark_rect) in zip(
            reading.write_ins, layout.write_in_boxes, strict=True
        ):
            boxes += [(name, name_rect), (mark, mark_rect)]
        # A printed name's cell is outlined only when there is ink around the name.
        boxes += [
            (around, layout.candidate_cell(index))
            for index, around in enumerate(reading.names)
            if around.state is not BoxState.EMPTY
        ]
        painter = QPainter(image)
        for item, rect in boxes:
            x0, y0, x1, y1 = reading.box_pixels(rect)
            pen = QPen(STATE_COLOURS[item.state])
            pen.setWidth(6 if item.state is BoxState.UNCERTAIN else 2)
            painter.setPen(pen)
            painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        painter.end()
    return image.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)


def written_slots(meaning: Interpretation) -> tuple[int, ...]:
    """The write-in slots (from 1) whose name cell holds writing or may (faint): each one
    wants a name typed, or the operator's word that it is none (R6)."""
    return tuple(
        slot
        for slot, (name, _) in enumerate(meaning.reading.write_ins, start=1)
        if name.state in (BoxState.WRITTEN, BoxState.UNCERTAIN)
    )


class ScanReviewDialog(QDialog):
    """待核定的扫描选票: one page at a time, its image beside the reading; the operator keys
    what the paper says (the proposal is already keyed) and presses Enter to count it."""

    def __init__(self, counting: ScanCounting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counting = counting
        self.setWindowTitle("核定扫描选票")
        self.resize(1400, 900)
        self.page: ScanPageRecord | None = None
        # The page's reading as it stood when shown (Esc returns to it) and its write-in
        # cells that hold writing, each of which needs a name typed (R6) before Enter counts.
        self._start: tuple[BallotPaper, tuple[int | None, ...]] | None = None
        self._written_slots: tuple[int, ...] = ()
        self._not_a_name = ""  # the operator's word that the writing is no name, this page
        self.pages = QListWidget()
        self.pages.setMaximumWidth(260)
        self.pages.currentItemChanged.connect(self._page_chosen)
        self.show_all = QCheckBox("显示全部扫描页")
        self.show_all.setToolTip(
            "也列出已计入和不计入本轮的页：计入的可以更正或不计入（如同一张扫了两次），"
            "误判为不计入的可以重新计入"
        )
        self.show_all.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.show_all.toggled.connect(lambda: self.reload())
        self.image = QLabel("")
        self.image.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.reasons = QLabel("")
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet("color: #b00020; font-weight: bold;")
        self.editor = PaperEditor()
        self.editor.reply.connect(self._on_reply)
        self.editor.installEventFilter(self)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.count_button = QPushButton("按此计入（Enter）")
        self.set_aside_button = QPushButton("不计入本轮…")
        self.not_a_name_button = QPushButton("另选他人格不是姓名…")
        self.not_a_name_button.setToolTip(
            "另选他人格内的笔迹对照原票确认不是姓名（涂画、符号、无法辨认）：写明理由后按所填计入"
        )
        self.close_button = QPushButton("关闭")
        for button in (
            self.count_button,
            self.set_aside_button,
            self.not_a_name_button,
            self.close_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.count_button.clicked.connect(self.press_enter)
        self.not_a_name_button.clicked.connect(self.ask_not_a_name)
        self.set_aside_button.clicked.connect(self.ask_set_aside)
        self.close_button.clicked.connect(self.accept)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel("识别情况："))
        right_layout.addWidget(self.reasons)
        right_layout.addWidget(self.editor, 1)
        right_layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_button)
        buttons.addWidget(self.set_aside_button)
        buttons.addWidget(self.not_a_name_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        right_layout.addLayout(buttons)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.pages, 1)
        left_layout.addWidget(self.show_all)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([180, IMAGE_WIDTH + 40, 520])  # the image is what is looked at
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "图中红框为不确定之处，绿框为○，蓝框为×，灰框为空白，橙框为写有姓名。"
                "对照图像（拿不准时对照原票）改好后按 Enter 计入；确实不属本轮的点“不计入本轮”。"
            )
        )
        layout.addWidget(splitter, 1)
        self.reload()

    def reload(self, message: str = "", keep: int | None = None) -> None:
        """The queue afresh (or every page, when asked); the first page in doubt is shown."""
        self.pages.blockSignals(True)
        self.pages.clear()
        waiting = self.counting.pending()
        shown = self.counting.pages() if self.show_all.isChecked() else waiting
        for page in shown:
            label = page.source
            if self.show_all.isChecked():
                label += f"　{page.status.label}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, page.id)
            item.setToolTip("\n".join(page.reasons))
            self.pages.addItem(item)
        self.pages.blockSignals(False)
        self.setWindowTitle(f"核定扫描选票（待核定 {len(waiting)} 张）")
        if shown:
            ids = [page.id for page in shown]
            row = ids.index(keep) if keep in ids else 0
            self.pages.setCurrentRow(row)
            self._page_chosen(self.pages.item(row))
        else:
            self.page = None
            self._start = None
            self._written_slots = ()
            self.not_a_name_button.setEnabled(False)
            self.image.setPixmap(QPixmap())
            self.image.setText("没有待核定的扫描选票。")
            self.reasons.setText("")
            self.editor.set_round(None, self._options(), {}, "没有待核定的扫描选票")
            self.count_button.setEnabled(False)
            self.set_aside_button.setEnabled(False)
        self.status.setText(message)

    def _options(self) -> CountOptions:
        return self.counting.election.plan().counting

    def press_enter(self) -> None:
        """The button does what Enter does in the editor (a second press for an over-vote)."""
        if self.editor.keypad is not None:
            self._on_reply(self.editor.keypad.press("Enter"))

    def _round(self) -> RoundRecord:
        record = self.counting.station.round
        assert record is not None
        return record

    def _page_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        scan_id = int(item.data(Qt.ItemDataRole.UserRole))
        self.page = page = self.counting.election.scan_page(scan_id)
        picture = self.counting.image_of(page)
        meaning = self.counting.read(picture)
        self.image.setPixmap(annotated(meaning, picture.gray))
        roster = {p.person.name: p.id for p in self.counting.election.people()}
        self.editor.set_round(self._round().spec, self._options(), roster)
        reasons = "\n".join(page.reasons) or "每一格都看得清楚，程序已自动计入"
        current = self.counting.current_paper(page)
        if current is not None:
            self._start = (current.paper, current.write_in_people)
            hint = f"{page.source}：已计入，为第 {current.entry_no} 张选票；读错了就改正后按 Enter 更正"
            self.count_button.setText("更正（Enter）")
        elif page.status is ScanStatus.REJECTED:
            self._start = (meaning.proposal, ())
            reasons += f"\n已不计入本轮：{page.decision}"
            hint = f"{page.source}：如属误判，对照图像填好后按 Enter 重新计入"
            self.count_button.setText("重新计入（Enter）")
        else:
            self._start = (meaning.proposal, ())
            hint = f"{page.source}：程序读出的符号已填好，核对改正后按 Enter 计入"
            self.count_button.setText("按此计入（Enter）")
        self.editor.load(*self._start)
        # A page counted already stands for its paper: its names were typed when it counted.
        self._written_slots = () if current is not None else written_slots(meaning)
        self._not_a_name = ""
        if self._written_slots:
            hint += "；另选他人格写有姓名的，先按 + 键入姓名"
        self.reasons.setText(reasons)
        self.editor.refresh(hint)
        self.count_button.setEnabled(True)
        self.set_aside_button.setEnabled(page.status is not ScanStatus.REJECTED)
        self.not_a_name_button.setEnabled(bool(self._written_slots))
        self.editor.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in the editor puts the page's reading back instead of clearing the paper: a
        cleared or half-keyed paper must never be what the next Enter counts."""
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape  # type: ignore[attr-defined]
            and self.page is not None
            and self._start is not None
            and self.editor.keypad is not None
        ):
            self.restore_reading()
            return True
        return super().eventFilter(watched, event)

    def restore_reading(self) -> None:
        """The page's reading as it was when shown: marks, write-ins, nothing half-keyed."""
        assert self.page is not None and self._start is not None
        self.editor.load(*self._start)
        what = "已计入的这张选票" if self.page.status is ScanStatus.COUNTED else "程序读出的结果"
        self.editor.refresh(f"已按 Esc 恢复为{what}，请对照图像重新核对后按 Enter")
        self.editor.setFocus()

    def missing(self, paper: BallotPaper) -> str | None:
        """What still has to be answered before ``paper`` can count for this page, in words;
        None when nothing. A written-in name must be typed (R6) — unless the operator said
        the writing is no name, or the paper is declared void (R5)."""
        if paper.void_reason is not None or self._not_a_name:
            return None
        if len(paper.write_ins) >= len(self._written_slots):
            return None
        slots = "、".join(f"第 {slot} 格" for slot in self._written_slots[len(paper.write_ins) :])
        return (
            f"另选他人{slots}写有姓名，还没有录入：请按 + 键入姓名（Enter 加入）后再按 Enter 计入。"
            "对照原票确认写的不是姓名的，点“另选他人格不是姓名…”"
        )

    def ask_not_a_name(self) -> None:
        """The writing in a write-in cell is no name: counted as keyed, with the reason kept."""
        if self.page is None or not self._written_slots:
            return
        reason, ok = QInputDialog.getItem(
            self, "另选他人格不是姓名", "理由：", NOT_A_NAME_REASONS, 0, True
        )
        self.window().activateWindow()
        self.editor.setFocus()
        if ok and reason.strip():
            self._not_a_name = reason.strip()
            self.press_enter()

    def _on_reply(self, reply: Reply | None) -> None:
        if reply is not None and self.page is not None:
            self.editor.follow(reply, self._commit)

    def _commit(self, reply: Reply) -> None:
        """Count the page as keyed (or correct its paper, for a page counted already)."""
        assert reply.paper is not None and self.page is not None
        page = self.page
        needed = self.missing(reply.paper)
        if needed is not None:
            # The keypad has let the paper go: put it back as keyed, and say what is missing.
            self.editor.load(reply.paper, reply.write_in_people)
            self.editor.refresh(needed, warning=True)
            return
        try:
            if page.status is ScanStatus.COUNTED:
                change = self.counting.correct(page.id, reply.paper, reply.write_in_people)
                done = "已更正"
            else:
                note = "对照扫描图像核定" if page.status is ScanStatus.PENDING else "误判，重新计入"
                if self._not_a_name and reply.paper.void_reason is None:
                    note += f"；另选他人格不计：{self._not_a_name}"
                change = self.counting.decide(page.id, reply.paper, reply.write_in_people, note)
                done = "已计入"
        except ElectionFileError as error:
            self.editor.refresh(str(error), warning=True)
            return
        assert change.paper is not None
        self.reload(f"{page.source} {done}，为第 {change.paper.entry_no} 张选票。", page.id)

    def ask_set_aside(self) -> None:
        if self.page is None:
            return
        reason, ok = QInputDialog.getItem(self, "不计入本轮", "理由：", REJECT_REASONS, 0, True)
        if ok:
            self.set_aside(reason)
        self.editor.setFocus()

    def set_aside(self, reason: str) -> None:
        assert self.page is not None
        page = self.page
        try:
            self.counting.reject(page.id, reason)
        except ElectionFileError as error:
            self.status.setText(str(error))
            return
        taken_back = "，已录入的这张选票随之撤销" if page.status is ScanStatus.COUNTED else ""
        self.reload(f"{page.source} 不计入本轮：{reason}{taken_back}", page.id)


class ScanImportWorker(QThread):
    """Reads the files with the station's own connection while the window waits (modal)."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, counting: ScanCounting, record: RoundRecord, files: Sequence[Path]) -> None:
        super().__init__()
        self.counting = counting
        self.record = record
        self.files = list(files)
        self.stop = threading.Event()

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self.stop.is_set()

    def run(self) -> None:
        try:
            summary = self.counting.read_files(self.record, self.files, self._progress)
        except ElectionFileError as error:
            self.failed.emit(str(error))
            return
        except Exception as error:  # whatever stops a worker must reach the operator
            self.failed.emit(
                f"导入中断（{type(error).__name__}：{error}）。已读入的每一页都已保存，"
                "再次导入同一文件夹会跳过它们，接着读其余的。"
            )
            return
        self.succeeded.emit(summary)


def import_scans(
    parent: QWidget, counting: ScanCounting, files: Sequence[Path]
) -> ImportSummary | str:
    """Import with a progress dialog (after half a second) that can stop between pages;
    returns the summary, or the error message. The round is shown afresh either way."""
    record = counting.station.round
    if record is None:
        return "请先选择选举项目和轮次"
    worker = ScanImportWorker(counting, record, files)
    dialog = QProgressDialog("正在读取扫描选票……", "停止", 0, max(1, len(files)), parent)
    dialog.setWindowTitle("导入扫描选票")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    outcome: list[ImportSummary | str] = []
    worker.progressed.connect(lambda done, total: dialog.setValue(done))
    worker.succeeded.connect(outcome.append)
    worker.failed.connect(outcome.append)
    dialog.canceled.connect(worker.stop.set)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    loop.exec()
    worker.wait()
    QCoreApplication.processEvents()  # the worker's last signals
    dialog.close()
    counting.station.select_round(record.id)
    return outcome[0] if outcome else "导入没有完成"
