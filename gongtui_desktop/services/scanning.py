"""扫描计票: counting a round from scanned ballot papers, with adjudication.

A folder (or a list) of scanned files is read page by page. A page read with certainty
becomes a paper at once; anything in doubt — a score between the thresholds, a mark that is
neither ○ nor ×, a written write-in name, an over-vote (R5), an unreadable page, a page of
another election, contest or round, a page whose hand marks look like those of a page
already imported (one sheet scanned twice) — waits in the adjudication queue, where the operator
confirms or corrects the reading against the image (or the paper itself). Every page is kept
in the election file with what the reader saw; every decision is audited.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from gongtui_desktop.domain.ballots import BallotPaper, Mark

# Only plain data at import time: the image analysis (numpy, Qt's image readers, the QR
# library, pdfium) loads when a page is read, so the main window starts without it.
from gongtui_desktop.scanning.images import (
    IMAGE_SUFFIXES,
    PageImage,
    PageProblem,
    ScanImageError,
    iter_pages,
    load_pages,
)
from gongtui_desktop.scanning.layout import BallotLayout, LayoutError, SheetCode, ballot_layout
from gongtui_desktop.scanning.readings import BoxReading, BoxState, SheetReading
from gongtui_desktop.services.station import Change, CountingStation
from gongtui_desktop.store.election_file import ElectionFile
from gongtui_desktop.store.errors import ElectionFileError
from gongtui_desktop.store.records import PaperRecord, RoundRecord
from gongtui_desktop.store.scans import ScanPageRecord, ScanStatus

_MARK_OF = {BoxState.FOR: Mark.FOR, BoxState.AGAINST: Mark.AGAINST, BoxState.EMPTY: Mark.NONE}
_STATE_LABEL = {
    BoxState.EMPTY: "空白",
    BoxState.FOR: "○",
    BoxState.AGAINST: "×",
    BoxState.WRITTEN: "写有姓名",
    BoxState.UNCERTAIN: "不确定",
}


@dataclass(frozen=True)
class Interpretation:
    """What the program makes of one page: the paper when certain, else the reasons for doubt.

    ``proposal`` is always a paper of the round's shape: the certain boxes as read, the
    uncertain ones left blank, for the adjudicator to start from.
    """

    reading: SheetReading
    proposal: BallotPaper
    reasons: tuple[str, ...]

    @property
    def certain(self) -> bool:
        return not self.reasons


# A file off a USB stick is read whole into memory: no scanner writes more than this in one
# file (a 900-page 200 dpi PDF is about 250 MB).
MAX_FILE_BYTES = 400 * 1048576


def _refusal(path: Path, error: BaseException) -> str:
    """The Chinese reason a file was not read: the reader's own, or a general one (a library's
    English message is never shown)."""
    if isinstance(error, ScanImageError):
        return f"{path.name}：{error}"
    if isinstance(error, OSError):
        return f"{path.name}：无法读取这个文件（文件可能已被移走或无权限）"
    return f"{path.name}：无法读取（文件可能已损坏）"


@dataclass(frozen=True)
class ImportSummary:
    pages: int
    counted: int
    pending: int
    duplicates: tuple[str, ...]
    unreadable_files: tuple[str, ...]
    # Pages whose hand marks match a page already imported: "新页（与 旧页 几乎相同）".
    look_alike: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        lines = [f"共读入 {self.pages} 页：自动计入 {self.counted} 张，待核定 {self.pending} 张。"]
        if self.duplicates:
            lines.append(
                f"已导入过、本次跳过 {len(self.duplicates)} 页：" + "、".join(self.duplicates[:5])
            )
        if self.look_alike:
            lines.append(
                f"注意：{len(self.look_alike)} 页的图像与已导入的页几乎相同，可能是同一张选票扫了"
                "两次，暂不计入，请核定：" + "；".join(self.look_alike[:5])
            )
        if self.unreadable_files:
            lines.append(
                f"无法打开的文件 {len(self.unreadable_files)} 个：\n"
                + "\n".join(self.unreadable_files[:10])
            )
        return lines


def _natural_key(path: Path) -> list[object]:
    """``第2张`` before ``第10张``: scanners number their files without leading zeros."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def scan_files(folder: Path) -> list[Path]:
    """The image and PDF files of a folder, in the order the scanner wrote them."""
    if not folder.is_dir():
        raise ElectionFileError(f"找不到文件夹 {folder}")
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
        key=_natural_key,
    )


def reading_record(
    reading: SheetReading, marks_print: dict[str, list[object]] | None = None
) -> dict[str, object]:
    """What the audit keeps of a reading: the code, each box's state, score and shape, and
    the hand marks at low resolution (``scanning.fingerprint``) to notice a sheet scanned
    twice in a later import."""

    def box(item: BoxReading) -> list[object]:
        return [item.state.value, round(float(item.score), 4), item.shape, item.detail]

    return {
        "code": reading.code_text,
        "problem": reading.problem,
        "rotation": reading.rotation,
        "marks": [box(m) for m in reading.marks],
        "names": [box(n) for n in reading.names],
        "write_ins": [[box(name), box(mark)] for name, mark in reading.write_ins],
        "fingerprint": marks_print,
    }


def describe_box(item: BoxReading) -> str:
    text = _STATE_LABEL[item.state]
    return f"{text}（{item.detail}）" if item.detail else text


class ScanCounting:
    """Scanned papers for the station's round: import, the queue, decisions."""

    def __init__(self, station: CountingStation) -> None:
        self.station = station

    @property
    def election(self) -> ElectionFile:
        return self.station.election

    def _round(self) -> RoundRecord:
        record = self.station.round
        if record is None:
            raise ElectionFileError("请先选择选举项目和轮次")
        return record

    def layout(self, record: RoundRecord | None = None) -> BallotLayout:
        """The sheet printed for the round (the same geometry as reports.forms' ballot)."""
        record = record or self._round()
        try:
            return ballot_layout(record.spec.candidates, record.spec.seats)
        except LayoutError as error:
            raise ElectionFileError(f"{error}：本轮选票不是机读选票，请逐张键入") from error

    def machine_readable(self, record: RoundRecord) -> bool:
        """Whether the round's ballot was printed as a machine-readable sheet."""
        try:
            ballot_layout(record.spec.candidates, record.spec.seats)
        except LayoutError:
            return False
        return True

    def expected_code(self, record: RoundRecord | None = None) -> SheetCode:
        record = record or self._round()
        return self.layout(record).code(self.election.election_id, record.contest_id, record.number)

    def _mismatch(self, code: SheetCode, expected: SheetCode) -> str | None:
        if code.version != expected.version:
            return f"选票版式版本为 {code.version}，本程序读取第 {expected.version} 版"
        if code.election != expected.election:
            return "这是另一次选举的选票（二维码中的选举编号不符）"
        if code.contest_id != expected.contest_id:
            return "这是另一个选举项目的选票"
        if code.round_number != expected.round_number:
            return f"这是第 {code.round_number} 轮的选票，不是本轮（第 {expected.round_number} 轮）"
        if code.digest != expected.digest:
            return "选票上的候选人名单与本轮不符（二维码中的版式校验码不同）"
        return None

    def read(self, page: PageImage, record: RoundRecord | None = None) -> Interpretation:
        """Read one page against the round and decide whether it can count without a human."""
        record = record or self._round()
        expected = self.expected_code(record)
        layout = self.layout(record)

        def layout_for(code: SheetCode) -> BallotLayout | None:
            return layout if self._mismatch(code, expected) is None else None

        from gongtui_desktop.scanning.reader import read_sheet

        reading = read_sheet(page.gray, layout_for)
        return self.interpret(reading, record, expected)

    def interpret(
        self, reading: SheetReading, record: RoundRecord, expected: SheetCode
    ) -> Interpretation:
        """R5/R6 on what the reader saw; every doubt named with the candidate or slot."""
        candidates = record.spec.candidates
        reasons: list[str] = []
        if reading.problem is not None or len(reading.marks) != len(candidates):
            problem = reading.problem or "无法读取这一页"
            if reading.code is not None:
                problem = self._mismatch(reading.code, expected) or problem
            blank = BallotPaper(tuple(Mark.NONE for _ in candidates))
            return Interpretation(reading, blank, (problem,))
        marks: list[Mark] = []
        for name, item in zip(candidates, reading.marks, strict=True):
            if item.state is BoxState.UNCERTAIN or item.state not in _MARK_OF:
                reasons.append(f"{name}：{describe_box(item)}")
                marks.append(Mark.NONE)
            else:
                marks.append(_MARK_OF[item.state])
        for name, around in zip(candidates, reading.names, strict=False):
            if around.state is not BoxState.EMPTY:
                reasons.append(f"{name}：{around.detail or '姓名格内有笔迹'}")
        for slot, (name_box, mark_box) in enumerate(reading.write_ins, start=1):
            if name_box.state is BoxState.WRITTEN:
                reasons.append(f"另选他人第 {slot} 格写有姓名，请录入")
            elif name_box.state is BoxState.UNCERTAIN:
                reasons.append(f"另选他人第 {slot} 格：{describe_box(name_box)}")
            if mark_box.state is BoxState.UNCERTAIN:
                reasons.append(f"另选他人第 {slot} 格的符号：{describe_box(mark_box)}")
            elif mark_box.state is not BoxState.EMPTY and name_box.state is BoxState.EMPTY:
                reasons.append(f"另选他人第 {slot} 格画了符号，但没有写姓名")
        approvals = marks.count(Mark.FOR)
        if approvals > record.spec.seats:
            reasons.append(
                f"画“○”{approvals} 名，多于应选 {record.spec.seats} 名，是废票 (R5)：请核对"
            )
        return Interpretation(reading, BallotPaper(tuple(marks)), tuple(reasons))

    # ---- import ---------------------------------------------------------------

    def import_files(
        self,
        files: Sequence[Path],
        progress: Callable[[int, int], bool] | None = None,
    ) -> ImportSummary:
        """Read and keep every page of ``files``, then show the round afresh."""
        record = self._round()
        try:
            return self.read_files(record, files, progress)
        finally:
            self.station.select_round(record.id)

    def read_files(
        self,
        record: RoundRecord,
        files: Sequence[Path],
        progress: Callable[[int, int], bool] | None = None,
    ) -> ImportSummary:
        """Read and keep every page of ``files`` for ``record``; returns what became of them.

        Touches only the election file (a worker thread may run it while the window waits;
        the caller re-selects the round afterwards). Each page is one transaction: stopping
        half-way (``progress`` returning False, or a crash) keeps every page already done,
        and importing the same files again skips exactly those.
        """
        from gongtui_desktop.scanning.fingerprint import fingerprint, same_sheet

        election = self.election
        operator = self.station._require_operator()
        self.layout(record)  # a round whose ballot is not machine-readable is refused at once
        if record.double_entry:
            raise ElectionFileError("双人录入的轮次由两人分别键入，不导入扫描选票")
        counted = pending = pages = 0
        duplicates: list[str] = []
        unreadable: list[str] = []
        look_alike: list[str] = []
        # Every page of the round not set aside, with its hand marks: a new page that matches
        # one of them is the same sheet scanned again (other bytes), not another voter's.
        earlier: list[tuple[str, dict[str, list[object]]]] = [
            (p.source, p.reading["fingerprint"])  # type: ignore[misc]
            for p in election.scan_pages(record.id)
            if p.status is not ScanStatus.REJECTED and p.reading.get("fingerprint")
        ]
        for done, path in enumerate(files):
            if progress is not None and not progress(done, len(files)):
                break
            try:
                size = path.stat().st_size
                if size > MAX_FILE_BYTES:
                    raise ScanImageError(
                        f"文件“{path.name}”有 {size / 1048576:.0f} MB，超过扫描文件的上限 "
                        f"{MAX_FILE_BYTES // 1048576} MB：请分成几个文件"
                    )
                pages_of_file = iter_pages(path.name, path.read_bytes())
                first = next(pages_of_file, None)
                second = next(pages_of_file, None) if first is not None else None
            except Exception as error:  # any failure is this file's refusal; the batch goes on
                unreadable.append(_refusal(path, error))
                continue
            several = second is not None or (first is not None and first.page > 1)
            # Pages are decoded one at a time: a 900-page PDF never sits in memory whole.
            walk = itertools.chain([p for p in (first, second) if p is not None], pages_of_file)
            while True:
                try:
                    page = next(walk)
                except StopIteration:
                    break
                except Exception as error:  # a page past the first failed the file: say so
                    unreadable.append(_refusal(path, error))
                    break
                if isinstance(page, PageProblem):
                    unreadable.append(f"{path.name}：{page.problem}")
                    continue
                pages += 1
                source = f"{path.name} 第 {page.page} 页" if several else path.name
                if election.scanned_before(record.id, page.stored) is not None:
                    duplicates.append(source)
                    continue
                meaning = self.read(page, record)
                marks_print = fingerprint(meaning.reading)
                twin = next((s for s, other in earlier if same_sheet(marks_print, other)), None)
                if twin is not None:
                    meaning = replace(
                        meaning,
                        reasons=(
                            *meaning.reasons,
                            f"图像与已导入的 {twin} 几乎相同：可能是同一张选票扫了两次。"
                            "是同一张的，点“不计入本轮”；确是另一张的，核对后按 Enter 计入",
                        ),
                    )
                    look_alike.append(f"{source}（与 {twin} 几乎相同）")
                stored = election.add_scan_page(
                    operator,
                    record.id,
                    page.stored,
                    page.media_type,
                    source,
                    reading_record(meaning.reading, marks_print),
                    meaning.reasons,
                    meaning.proposal if meaning.certain else None,
                )
                if marks_print is not None:
                    earlier.append((source, marks_print))
                if stored.paper_id is None:
                    pending += 1
                else:
                    counted += 1
        else:
            if progress is not None:
                progress(len(files), len(files))
        return ImportSummary(
            pages, counted, pending, tuple(duplicates), tuple(unreadable), tuple(look_alike)
        )

    # ---- adjudication ---------------------------------------------------------

    def pending(self) -> list[ScanPageRecord]:
        return self.election.scan_pages(self._round().id, ScanStatus.PENDING)

    def pages(self) -> list[ScanPageRecord]:
        return self.election.scan_pages(self._round().id)

    def image_of(self, page: ScanPageRecord) -> PageImage:
        data, _ = self.election.scan_image(page.image)
        return load_pages(page.source, data)[0]

    def reread(self, page: ScanPageRecord) -> Interpretation:
        """The page read again from its stored image, for the adjudicator's view."""
        return self.read(self.image_of(page))

    def decide(
        self,
        scan_id: int,
        paper: BallotPaper,
        write_in_people: Sequence[int | None] = (),
        note: str = "",
    ) -> Change:
        """Count a page in doubt (or one set aside by mistake) as the operator read it."""
        stored: PaperRecord = self.election.decide_scan_page(
            self.station._require_operator(), scan_id, paper, write_in_people, note
        )
        return self.station.take_counted(stored)

    def correct(
        self, scan_id: int, paper: BallotPaper, write_in_people: Sequence[int | None] = ()
    ) -> Change:
        """A counted page read wrongly after all: its paper is corrected (a new audited row;
        the page then stands for the corrected paper)."""
        page = self.election.scan_page(scan_id)
        if page.status is not ScanStatus.COUNTED or page.paper_id is None:
            raise ElectionFileError(f"扫描选票 {page.source} 还没有计入，请核定计入")
        current = self.current_paper(page)
        assert current is not None
        return self.station.correct(current.entry_no, paper, write_in_people)

    def current_paper(self, page: ScanPageRecord) -> PaperRecord | None:
        """The paper a counted page stands for now."""
        if page.status is not ScanStatus.COUNTED or page.paper_id is None:
            return None
        return next((p for p in self.station.counted if p.id == page.paper_id), None)

    def reject(self, scan_id: int, reason: str) -> None:
        """Set a page aside; a counted one has its paper taken back (the count follows)."""
        record = self._round()
        counted = self.election.scan_page(scan_id).status is ScanStatus.COUNTED
        self.election.reject_scan_page(self.station._require_operator(), scan_id, reason)
        if counted:
            self.station.select_round(record.id)
        else:
            self.station.refresh_round()
