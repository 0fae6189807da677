"""Scanned ballot pages in the election file (issue #11).

Every scanned page is kept: its image (content-addressed by SHA-256, in ``scan_images``) and
an audited row in ``scan_pages`` with what the reader saw (the code, each box's state, score
and shape) and why the page went to adjudication. A page read with certainty becomes a paper
in the same transaction; a page in doubt waits for the operator, whose decision (the paper as
confirmed or corrected, or the page set aside) is a new audited change of that row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from gongtui_desktop.domain.ballots import BallotPaper
from gongtui_desktop.store.audit import canonical, now_text
from gongtui_desktop.store.errors import ElectionFileError

if TYPE_CHECKING:
    import sqlite3
    from contextlib import AbstractContextManager

    from gongtui_desktop.store.audit import Transaction
    from gongtui_desktop.store.records import PaperRecord, RoundRecord


class ScanStatus(StrEnum):
    COUNTED = "counted"
    PENDING = "pending"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"counted": "已计入", "pending": "待核定", "rejected": "不计入本轮"}[self.value]


@dataclass(frozen=True)
class ScanPageRecord:
    """One scanned page as stored: the reader's view, the reasons for doubt, the decision."""

    id: int
    round_id: int
    image: str
    source: str
    reading: dict[str, object]
    reasons: tuple[str, ...]
    status: ScanStatus
    paper_id: int | None
    decision: str | None
    decided_by: str | None
    decided_at: str | None
    operator: str
    imported_at: str


_COLUMNS = (
    "id, round_id, image, source, reading, reasons, status, paper_id, decision, decided_by,"
    " decided_at, operator, imported_at"
)


def _record(row: Sequence[object]) -> ScanPageRecord:
    (
        scan_id,
        round_id,
        image,
        source,
        reading,
        reasons,
        status,
        paper_id,
        decision,
        decided_by,
        decided_at,
        operator,
        imported_at,
    ) = row
    return ScanPageRecord(
        int(scan_id),  # type: ignore[arg-type]
        int(round_id),  # type: ignore[arg-type]
        str(image),
        str(source),
        json.loads(str(reading)),
        tuple(r for r in str(reasons).split("\n") if r),
        ScanStatus(str(status)),
        None if paper_id is None else int(paper_id),  # type: ignore[arg-type]
        None if decision is None else str(decision),
        None if decided_by is None else str(decided_by),
        None if decided_at is None else str(decided_at),
        str(operator),
        str(imported_at),
    )


class ScanPages:
    """The scanned-page half of :class:`ElectionFile` (a mixin: it shares the connection and
    the one-transaction-per-action writer)."""

    _connection: sqlite3.Connection

    if TYPE_CHECKING:  # provided by ElectionFile

        def _write(self, operator: str, action: str) -> AbstractContextManager[Transaction]: ...
        def _require_open(self, round_id: int) -> RoundRecord: ...
        def _paper(self, paper_id: int) -> PaperRecord: ...
        def _next_paper_no(self, round_id: int) -> int: ...
        def _insert_paper(
            self,
            tx: Transaction,
            round_id: int,
            entry_no: int,
            paper: BallotPaper,
            write_in_people: Sequence[int | None],
            operator: str,
            supersedes: int | None,
            entry_pass: int = 1,
            box: str = "",
        ) -> int: ...

    def _store_image(self, data: bytes, media_type: str) -> str:
        """Inside the action's transaction: the blob once, named by its hash."""
        digest = hashlib.sha256(data).hexdigest()
        self._connection.execute(
            "INSERT OR IGNORE INTO scan_images (sha256, media_type, data) VALUES (?, ?, ?)",
            (digest, media_type, data),
        )
        return digest

    def scanned_before(self, round_id: int, data: bytes) -> ScanPageRecord | None:
        """The page of this round already made from exactly these image bytes, if any."""
        digest = hashlib.sha256(data).hexdigest()
        row = self._connection.execute(
            f"SELECT {_COLUMNS} FROM scan_pages WHERE round_id = ? AND image = ?",
            (round_id, digest),
        ).fetchone()
        return None if row is None else _record(row)

    def _check_paper(self, record: RoundRecord, paper: BallotPaper) -> None:
        if record.double_entry:
            raise ElectionFileError("双人录入的轮次由两人分别键入，不导入扫描选票")
        if len(paper.marks) != len(record.spec.candidates):
            raise ElectionFileError(
                f"选票有 {len(paper.marks)} 个标记，本轮候选人有 {len(record.spec.candidates)} 名"
            )

    def add_scan_page(
        self,
        operator: str,
        round_id: int,
        image: bytes,
        media_type: str,
        source: str,
        reading: dict[str, object],
        reasons: Sequence[str],
        paper: BallotPaper | None,
    ) -> ScanPageRecord:
        """Keep a scanned page; with ``paper`` (read with certainty) it is counted at once,
        without it the page waits for adjudication. Importing the same bytes twice into a
        round is refused (the caller skips them)."""
        record = self._require_open(round_id)
        if record.double_entry:
            raise ElectionFileError("双人录入的轮次由两人分别键入，不导入扫描选票")
        if self.scanned_before(round_id, image) is not None:
            raise ElectionFileError(f"{source} 已经导入过本轮")
        if paper is not None:
            self._check_paper(record, paper)
        entry_no = self._next_paper_no(round_id) if paper is not None else None
        action = (
            f"扫描选票 {source}：录入第 {entry_no} 张选票"
            if entry_no is not None
            else f"扫描选票 {source}：待核定"
        )
        with self._write(operator, action) as tx:
            digest = self._store_image(image, media_type)
            paper_id = (
                None
                if paper is None or entry_no is None
                else self._insert_paper(tx, round_id, entry_no, paper, (), operator, None)
            )
            row = tx.insert(
                "scan_pages",
                {
                    "round_id": round_id,
                    "image": digest,
                    "source": source,
                    "reading": canonical(reading),
                    "reasons": "\n".join(reasons),
                    "status": (
                        ScanStatus.PENDING if paper_id is None else ScanStatus.COUNTED
                    ).value,
                    "paper_id": paper_id,
                    "operator": operator,
                    "imported_at": now_text(),
                },
            )
        return self.scan_page(int(row["id"]))  # type: ignore[arg-type]

    def _undecided(self, scan_id: int) -> ScanPageRecord:
        """A page that can still be counted: waiting, or set aside earlier (a mistake undone)."""
        page = self.scan_page(scan_id)
        if page.status is ScanStatus.COUNTED:
            raise ElectionFileError(f"扫描选票 {page.source} 已经计入，要改请更正这张选票")
        return page

    def decide_scan_page(
        self,
        operator: str,
        scan_id: int,
        paper: BallotPaper,
        write_in_people: Sequence[int | None] = (),
        note: str = "",
    ) -> PaperRecord:
        """The operator's reading of a page in doubt (or of a page set aside by mistake),
        checked against the image or the paper: it is counted as a new paper, and the page
        row records who decided and how."""
        page = self._undecided(scan_id)
        record = self._require_open(page.round_id)
        self._check_paper(record, paper)
        entry_no = self._next_paper_no(page.round_id)
        with self._write(operator, f"核定扫描选票 {page.source}：录入第 {entry_no} 张选票") as tx:
            paper_id = self._insert_paper(
                tx, page.round_id, entry_no, paper, write_in_people, operator, None
            )
            tx.update(
                "scan_pages",
                {"id": scan_id},
                {
                    "status": ScanStatus.COUNTED.value,
                    "paper_id": paper_id,
                    "decision": note.strip() or "核定计入",
                    "decided_by": operator,
                    "decided_at": now_text(),
                },
            )
        return self._paper(paper_id)

    def reject_scan_page(self, operator: str, scan_id: int, reason: str) -> None:
        """Set a page aside: not a paper of this round (another round's, a second scan of a
        sheet already counted, not a ballot). A page already counted has its paper taken
        back in the same transaction. The image and the reason stay on record."""
        if not reason.strip():
            raise ElectionFileError("请写明不计入本轮的理由")
        page = self.scan_page(scan_id)
        if page.status is ScanStatus.REJECTED:
            raise ElectionFileError(f"扫描选票 {page.source} 已经不计入本轮")
        self._require_open(page.round_id)
        with self._write(operator, f"扫描选票 {page.source} 不计入本轮") as tx:
            if page.paper_id is not None:
                tx.insert(
                    "paper_withdrawals",
                    {
                        "paper_id": page.paper_id,
                        "reason": f"扫描选票不计入本轮：{reason.strip()}",
                        "operator": operator,
                        "at": now_text(),
                    },
                )
            tx.update(
                "scan_pages",
                {"id": scan_id},
                {
                    "status": ScanStatus.REJECTED.value,
                    "decision": reason.strip(),
                    "decided_by": operator,
                    "decided_at": now_text(),
                },
            )

    def scan_page_of(self, paper_id: int) -> ScanPageRecord | None:
        """The counted scanned page that stands for this paper, if it came from a scan."""
        row = self._connection.execute(
            f"SELECT {_COLUMNS} FROM scan_pages WHERE paper_id = ? AND status = 'counted'",
            (paper_id,),
        ).fetchone()
        return None if row is None else _record(row)

    def scan_page(self, scan_id: int) -> ScanPageRecord:
        row = self._connection.execute(
            f"SELECT {_COLUMNS} FROM scan_pages WHERE id = ?", (scan_id,)
        ).fetchone()
        if row is None:
            raise ElectionFileError(f"没有编号为 {scan_id} 的扫描选票")
        return _record(row)

    def scan_pages(self, round_id: int, status: ScanStatus | None = None) -> list[ScanPageRecord]:
        """A round's scanned pages in import order (optionally only those of one status)."""
        where, params = "round_id = ?", (round_id,)
        if status is not None:
            where, params = "round_id = ? AND status = ?", (round_id, status.value)  # type: ignore[assignment]
        return [
            _record(row)
            for row in self._connection.execute(
                f"SELECT {_COLUMNS} FROM scan_pages WHERE {where} ORDER BY id", params
            )
        ]

    def pending_scans(self, round_id: int) -> int:
        return int(
            self._connection.execute(
                "SELECT COUNT(*) FROM scan_pages WHERE round_id = ? AND status = 'pending'",
                (round_id,),
            ).fetchone()[0]
        )

    def scan_image(self, digest: str) -> tuple[bytes, str]:
        """The stored image bytes and their media type."""
        row = self._connection.execute(
            "SELECT data, media_type FROM scan_images WHERE sha256 = ?", (digest,)
        ).fetchone()
        if row is None:
            raise ElectionFileError(f"找不到扫描图像 {digest[:16]}")
        return bytes(row[0]), str(row[1])
