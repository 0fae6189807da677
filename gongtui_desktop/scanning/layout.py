"""Where everything sits on a machine-readable ballot paper.

One geometry serves both sides: the Word ballot (``reports.forms``) prints its table with
exactly these column widths and row heights, and the reader (``scanning.reader``) looks for
the marks at exactly these places. Coordinates are millimetres in the *frame*: the table's
outer rectangle, origin at its top-left corner, x to the right, y down.

The frame's four corners carry solid black squares (fiducials) that fix the page's position,
rotation and scale in a scan; the row under the top fiducials carries a QR code naming the
election, the contest, the round and the layout. Nothing on the paper identifies the voter
or the individual copy: every copy of a round's ballot is identical (secret ballot).

Layout of the frame (one sheet, however many candidates; up to ``MAX_GROUPS`` column groups)::

    ■                                           ■    fiducial row
      [ title of the code ]            [QR]          code row
      候选人姓名 | 符号 | 候选人姓名 | 符号 …         header row
      name       | ○/× | name       | ○/×  …         candidate rows (column by column)
      另选他人（……）                                 label row
      (blank)    | ○/× | (blank)    | ○/×  …         write-in rows
                                                     spacer row
    ■                                           ■    fiducial row
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from enum import Enum

LAYOUT_VERSION = 1
CODE_PREFIX = "GT"
_NUMBER = r"(0|[1-9][0-9]{0,8})"
_CODE_PATTERN = re.compile(
    rf"{CODE_PREFIX}([1-9][0-9]{{0,3}})-([0-9A-Z]{{1,8}})-{_NUMBER}-{_NUMBER}-([0-9A-F]{{8}})",
    re.ASCII,
)

FRAME_WIDTH = 170.0  # the ballot page's text width (A4, side margins 20 mm)
FIDUCIAL = 6.0  # side of the black corner squares; also the width of the side columns
CODE_ROW = 18.0
QR_SIZE = 16.0  # the printed QR code, quiet zone included
HEADER_ROW = 8.0
LABEL_ROW = 8.0
SPACER_ROW = 3.0
SLOT_ROW_MAX = 11.0
SLOT_ROW_MIN = 8.0
SLOTS_HEIGHT_MAX = 120.0  # what is left on one A4 sheet beside title, notes and signatures
MAX_GROUPS = 5
# The printed names: 仿宋 小四 (12 pt ≈ 4.2 mm) in one column group, 五号 (10.5 pt ≈ 3.7 mm)
# in several. The reader needs their extent to tell a name from a voter's ink around it.
NAME_SIZE_ONE_GROUP = 4.2
NAME_SIZE_GROUPS = 3.7
ROW_STEP = 0.5  # row heights are rounded down to half millimetres


class LayoutError(ValueError):
    """The contest does not fit on one machine-readable sheet."""


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle in the frame, millimetres."""

    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def inset(self, margin: float) -> Rect:
        return Rect(self.x + margin, self.y + margin, self.w - 2 * margin, self.h - 2 * margin)


class RowKind(Enum):
    FIDUCIAL = "fiducial"
    CODE = "code"
    HEADER = "header"
    CANDIDATES = "candidates"
    LABEL = "label"
    WRITE_INS = "write_ins"
    SPACER = "spacer"


@dataclass(frozen=True, slots=True)
class SheetCode:
    """What the QR code says: which election, contest, round and layout the paper belongs to.

    Text form ``GT1-<election>-<contest>-<round number>-<layout digest>``, in the QR
    alphanumeric character set so the code stays small.
    """

    election: str  # the first 8 hex digits of the election id, upper case
    contest_id: int
    round_number: int
    digest: str  # 8 hex digits of the layout and candidate list, upper case
    version: int = LAYOUT_VERSION

    @property
    def text(self) -> str:
        return (
            f"{CODE_PREFIX}{self.version}-{self.election}-{self.contest_id}"
            f"-{self.round_number}-{self.digest}"
        )

    @classmethod
    def parse(cls, text: str) -> SheetCode | None:
        """The code of a QR text, or None when the text is not one of ours."""
        # Strictly our own form: ASCII digits without sign, leading zeros or underscores
        # (int() would take "+1", "01", "0_1" and other scripts' digits as well).
        found = _CODE_PATTERN.fullmatch(text.strip().upper())
        if found is None:
            return None
        version, election, contest, number, digest = found.groups()
        return cls(election, int(contest), int(number), digest, int(version))


def short_election_id(election_id: str) -> str:
    return election_id[:8].upper()


@dataclass(frozen=True, slots=True)
class BallotLayout:
    """The geometry of one round's ballot sheet.

    ``columns`` and ``rows`` are the Word table's grid (widths and heights in mm); every
    rectangle below is a cell (or merged cells) of that grid.
    """

    candidates: tuple[str, ...]
    write_in_slots: int
    groups: int
    candidate_rows: int
    write_in_rows: int
    slot_row: float
    columns: tuple[float, ...]
    rows: tuple[tuple[RowKind, float], ...]
    digest: str

    @property
    def width(self) -> float:
        return sum(self.columns)

    @property
    def height(self) -> float:
        return sum(height for _, height in self.rows)

    def _row_top(self, index: int) -> float:
        return sum(height for _, height in self.rows[:index])

    def _first_row(self, kind: RowKind) -> int:
        return next(i for i, (k, _) in enumerate(self.rows) if k is kind)

    def _group_x(self, group: int) -> tuple[float, float, float]:
        """x of a group's name cell, the name cell's width, the mark cell's width."""
        name_w, mark_w = self.columns[1], self.columns[2]
        return FIDUCIAL + group * (name_w + mark_w), name_w, mark_w

    @property
    def fiducials(self) -> tuple[Rect, Rect, Rect, Rect]:
        """Top-left, top-right, bottom-right, bottom-left."""
        w, h, f = self.width, self.height, FIDUCIAL
        return (
            Rect(0, 0, f, f),
            Rect(w - f, 0, f, f),
            Rect(w - f, h - f, f, f),
            Rect(0, h - f, f, f),
        )

    @property
    def code_cell(self) -> Rect:
        index = self._first_row(RowKind.CODE)
        return Rect(FIDUCIAL, self._row_top(index), self.width - 2 * FIDUCIAL, self.rows[index][1])

    @property
    def qr(self) -> Rect:
        """Where the QR code is printed: right-aligned in the code row, vertically centred."""
        cell = self.code_cell
        return Rect(cell.x + cell.w - QR_SIZE, cell.y + (cell.h - QR_SIZE) / 2, QR_SIZE, QR_SIZE)

    def _slot(self, kind: RowKind, rows_in_block: int, index: int) -> tuple[Rect, Rect]:
        group, row = divmod(index, rows_in_block)
        top = self._row_top(self._first_row(kind)) + row * self.slot_row
        x, name_w, mark_w = self._group_x(group)
        return Rect(x, top, name_w, self.slot_row), Rect(x + name_w, top, mark_w, self.slot_row)

    def candidate_cell(self, index: int) -> Rect:
        """The printed name of candidate ``index`` (paper order)."""
        return self._slot(RowKind.CANDIDATES, self.candidate_rows, index)[0]

    @property
    def name_size(self) -> float:
        """Height (and width) in mm of one printed character of a candidate's name."""
        return NAME_SIZE_ONE_GROUP if self.groups == 1 else NAME_SIZE_GROUPS

    def name_text(self, index: int) -> Rect:
        """Where candidate ``index``'s printed name sits: centred in its cell, one character
        square per character (Word and LibreOffice agree within a fraction of a mm)."""
        cell = self.candidate_cell(index)
        size = self.name_size
        width = min(cell.w, len(self.candidates[index]) * size)
        return Rect(cell.x + (cell.w - width) / 2, cell.y + (cell.h - size) / 2, width, size)

    def mark_box(self, index: int) -> Rect:
        """The 符号 cell beside candidate ``index``."""
        return self._slot(RowKind.CANDIDATES, self.candidate_rows, index)[1]

    def write_in_name_box(self, index: int) -> Rect:
        """The blank cell where a voter writes another name (另选他人)."""
        return self._slot(RowKind.WRITE_INS, self.write_in_rows, index)[0]

    def write_in_mark_box(self, index: int) -> Rect:
        return self._slot(RowKind.WRITE_INS, self.write_in_rows, index)[1]

    @property
    def mark_boxes(self) -> tuple[Rect, ...]:
        return tuple(self.mark_box(i) for i in range(len(self.candidates)))

    @property
    def write_in_boxes(self) -> tuple[tuple[Rect, Rect], ...]:
        """(name cell, mark cell) of each write-in slot."""
        return tuple(
            (self.write_in_name_box(i), self.write_in_mark_box(i))
            for i in range(self.write_in_slots)
        )

    def code(self, election_id: str, contest_id: int, round_number: int) -> SheetCode:
        return SheetCode(short_election_id(election_id), contest_id, round_number, self.digest)


def _digest(candidates: tuple[str, ...], write_in_slots: int) -> str:
    content = json.dumps(
        {"v": LAYOUT_VERSION, "candidates": candidates, "write_ins": write_in_slots},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:8].upper()


def ballot_layout(candidates: tuple[str, ...], seats: int) -> BallotLayout:
    """The sheet for a round with these candidates (paper order) and ``seats`` write-in slots.

    The fewest column groups that fit, rows as tall as will fit (at most 11 mm, at least
    8 mm); raises LayoutError when even five groups of 8 mm rows are not enough.
    """
    if not candidates:
        raise LayoutError("没有候选人，不能排版选票")
    if seats < 1:
        raise LayoutError("应选人数至少为 1")
    for groups in range(1, MAX_GROUPS + 1):
        candidate_rows = math.ceil(len(candidates) / groups)
        write_in_rows = math.ceil(seats / groups)
        slot_rows = candidate_rows + write_in_rows
        if slot_rows * SLOT_ROW_MIN <= SLOTS_HEIGHT_MAX:
            break
    else:
        raise LayoutError(
            f"候选人 {len(candidates)} 名、另选他人 {seats} 格，一张机读选票排不下"
            f"（最多 {MAX_GROUPS} 栏，每栏 {int(SLOTS_HEIGHT_MAX // SLOT_ROW_MIN)} 行）"
        )
    slot_row = min(SLOT_ROW_MAX, SLOTS_HEIGHT_MAX / slot_rows)
    slot_row = math.floor(slot_row / ROW_STEP) * ROW_STEP
    content = FRAME_WIDTH - 2 * FIDUCIAL
    group_w = content / groups
    name_w = 108.0 if groups == 1 else round(group_w * 0.6, 1)
    mark_w = round(group_w - name_w, 1)
    columns = (FIDUCIAL, *((name_w, mark_w) * groups), FIDUCIAL)
    rows = (
        (RowKind.FIDUCIAL, FIDUCIAL),
        (RowKind.CODE, CODE_ROW),
        (RowKind.HEADER, HEADER_ROW),
        (RowKind.CANDIDATES, candidate_rows * slot_row),
        (RowKind.LABEL, LABEL_ROW),
        (RowKind.WRITE_INS, write_in_rows * slot_row),
        # Keeps the bottom fiducials clear of the last box's border: a fiducial touching a
        # line would no longer be a lone black square to the reader.
        (RowKind.SPACER, SPACER_ROW),
        (RowKind.FIDUCIAL, FIDUCIAL),
    )
    return BallotLayout(
        candidates=tuple(candidates),
        write_in_slots=seats,
        groups=groups,
        candidate_rows=candidate_rows,
        write_in_rows=write_in_rows,
        slot_row=slot_row,
        columns=columns,
        rows=rows,
        digest=_digest(tuple(candidates), seats),
    )
