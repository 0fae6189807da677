"""Synthetic scans of machine-readable ballot papers, with the truth known.

The test corpus and the benchmarks need thousands of marked papers; real scans cannot be
checked in by the thousand and carry no truth. This module prints a blank sheet the way the
Word ballot lays it out (``layout``), draws hand marks into its boxes, and distorts the page
the way a scanner does: rotation, scale, perspective, blur, noise, dust and JPEG.

Drawing is Qt's antialiased QPainter on the page's own pixels (no fonts: printed names and
handwriting are glyph-like stroke clusters, since what matters to the reader is where ink
lies, not what it says); the scanner's distortion is numpy and Qt's image warping.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF

from gongtui_desktop.scanning import imaging as im
from gongtui_desktop.scanning.layout import QR_SIZE, BallotLayout, Rect
from gongtui_desktop.scanning.qr import qr_modules

MM_PER_INCH = 25.4
PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
FRAME_LEFT = 20.0  # the Word page's left margin
FRAME_TOP = 40.0  # below the title
LINE_WIDTH = 0.176  # 0.5 pt cell borders

CLEAR = ("O", "X", "")  # truth of a clear mark box
AMBIGUOUS = "?"
LIGHT = ("o", "x")  # a light-pencil ○ / ×: read right or sent to a person, never blank


@dataclass(frozen=True, slots=True)
class SyntheticPage:
    """One distorted scan and what is really on it.

    ``marks`` per candidate: "O", "X", "" (clear), "?" (ambiguous: must be read as
    uncertain) or "o", "x" (a light-pencil ○ / ×: read right or uncertain, never blank).
    ``write_ins`` per slot: (name cell "W" written / "" empty / "?" faint / "w" written
    with a light pencil, mark box as in ``marks``).
    """

    image: np.ndarray
    marks: tuple[str, ...]
    write_ins: tuple[tuple[str, str], ...]
    dpi: int
    rotation: int  # quarter turns applied, in degrees
    kind: str


class _Pen:
    """Draws in frame millimetres on a page (a uint8 array, drawn on in place)."""

    def __init__(self, page: np.ndarray, dpi: float, origin: tuple[float, float]) -> None:
        assert page.flags.c_contiguous and page.dtype == np.uint8
        self.page = page
        h, w = page.shape
        # The QImage paints straight into the array's memory.
        self.image = QImage(page.data, w, h, w, QImage.Format.Format_Grayscale8)
        self.k = dpi / MM_PER_INCH
        self.origin = origin

    def _points(self, points: np.ndarray) -> QPolygonF:
        scaled = (np.asarray(points, float) + np.array(self.origin)) * self.k
        return QPolygonF([QPointF(float(x), float(y)) for x, y in scaled])

    def _painter(self) -> QPainter:
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return painter

    def polyline(
        self, points: np.ndarray, stroke: float, level: int = 0, closed: bool = False
    ) -> None:
        pen = QPen(QColor(level, level, level))
        # Whole pixels and a pixel of antialiased fringe: the strokes as the corpus has always
        # drawn them (a pen's ink spreads into the paper's fibres a little).
        pen.setWidthF(max(1, round(stroke * self.k)) + 0.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter = self._painter()
        painter.setPen(pen)
        polygon = self._points(points)
        if closed:
            painter.drawPolygon(polygon)
        else:
            painter.drawPolyline(polygon)
        painter.end()

    def fill(self, rect: Rect, level: int = 0) -> None:
        corners = np.array(
            [
                (rect.x, rect.y),
                (rect.x + rect.w, rect.y),
                (rect.x + rect.w, rect.y + rect.h),
                (rect.x, rect.y + rect.h),
            ]
        )
        path = QPainterPath()
        path.addPolygon(self._points(corners))
        painter = self._painter()
        painter.fillPath(path, QBrush(QColor(level, level, level)))
        painter.end()

    def rect(self, rect: Rect, stroke: float = LINE_WIDTH) -> None:
        corners = np.array(
            [
                (rect.x, rect.y),
                (rect.x + rect.w, rect.y),
                (rect.x + rect.w, rect.y + rect.h),
                (rect.x, rect.y + rect.h),
            ]
        )
        self.polyline(corners, stroke, closed=True)


def _glyphs(
    pen: _Pen,
    rng: np.random.Generator,
    x: float,
    y: float,
    count: int,
    size: float,
    stroke: float,
    level: int = 0,
    handwritten: bool = False,
) -> None:
    """``count`` glyph-like stroke clusters, the first one's top-left corner at (x, y)."""
    for index in range(count):
        gx = x + index * size * 1.1
        for _ in range(int(rng.integers(4, 8))):
            kind = rng.integers(3)
            a = rng.uniform(0.05, 0.95, 2) * size
            if kind == 0:  # 横
                b = np.array([rng.uniform(a[0], size), a[1]])
            elif kind == 1:  # 竖
                b = np.array([a[0], rng.uniform(a[1], size)])
            else:  # 撇 / 捺
                b = a + rng.uniform(-0.5, 0.5, 2) * size
                b = np.clip(b, 0, size)
            points = np.array([a, b]) + np.array([gx, y])
            if handwritten:
                middle = points.mean(axis=0) + rng.normal(0, 0.08 * size, 2)
                points = np.array([points[0], middle, points[1]])
            pen.polyline(points, stroke, level)


def _quiet_qr(code_text: str) -> np.ndarray:
    # The same modules and quiet zone as the Word ballot prints.
    return np.where(qr_modules(code_text), 0, 255).astype(np.uint8)


def render_sheet(
    layout: BallotLayout,
    code_text: str,
    dpi: float = 200,
    grid_shift: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """The blank printed A4 page, white 255 and ink 0, at ``dpi``.

    ``grid_shift`` (mm) moves the cell borders against the fiducials, as another word
    processor may place them a fraction of a millimetre differently.
    """
    k = dpi / MM_PER_INCH
    page = np.full((round(PAGE_HEIGHT * k), round(PAGE_WIDTH * k)), 255, np.uint8)
    pen = _Pen(page, dpi, (FRAME_LEFT, FRAME_TOP))
    rng = np.random.default_rng(zlib.crc32(layout.digest.encode()))
    width, height = layout.width, layout.height

    _glyphs(pen, rng, width / 2 - 33, -22, 10, 6.0, 0.5)  # the title
    _glyphs(pen, rng, 0, -10, 12, 3.7, 0.3)  # election and round under the title
    for fiducial in layout.fiducials:
        pen.fill(fiducial)
    code = layout.code_cell
    _glyphs(pen, rng, code.x + 2, code.y + code.h / 2 - 3.5, 9, 3.0 / 1.1, 0.3)  # its title
    _glyphs(pen, rng, code.x + 2, code.y + code.h / 2 + 2, 24, 2.2 / 1.1, 0.25)  # the code

    qr = _quiet_qr(code_text)
    side = round(QR_SIZE * k)
    qr_image = im.resized(qr, side / qr.shape[0], smooth=False)
    left = round((FRAME_LEFT + layout.qr.x) * k)
    top = round((FRAME_TOP + layout.qr.y) * k)
    page[top : top + side, left : left + side] = qr_image

    grid = _Pen(page, dpi, (FRAME_LEFT + grid_shift[0], FRAME_TOP + grid_shift[1]))
    header_y = code.y + code.h
    header_h = layout.rows[2][1]
    for group in range(layout.groups):
        name_x = layout.columns[0] + group * (layout.columns[1] + layout.columns[2])
        name = Rect(name_x, header_y, layout.columns[1], header_h)
        mark = Rect(name_x + name.w, header_y, layout.columns[2], header_h)
        grid.rect(name)
        grid.rect(mark)
        _glyphs(grid, rng, name.x + name.w / 2 - 11, name.y + 2, 5, 4.0, 0.3)
        _glyphs(grid, rng, mark.x + mark.w / 2 - 4.4, mark.y + 2, 2, 4.0, 0.3)
    slots = layout.groups * layout.candidate_rows
    for index in range(slots):
        name, mark = layout.candidate_cell(index), layout.mark_box(index)
        grid.rect(name)
        grid.rect(mark)
        if index < len(layout.candidates):
            # As printed: one character square per character, centred (layout.name_text).
            text = layout.name_text(index)
            count = len(layout.candidates[index])
            size = layout.name_size
            _glyphs(grid, rng, text.x, text.y, count, size / 1.1, 0.3)
    label_y = layout.mark_box(0).y + layout.candidate_rows * layout.slot_row
    label = Rect(layout.columns[0], label_y, width - 2 * layout.columns[0], layout.rows[4][1])
    grid.rect(label)
    _glyphs(grid, rng, label.x + 2, label.y + 2, 14, 4.0, 0.3)
    for index in range(layout.groups * layout.write_in_rows):
        name, mark = layout.write_in_name_box(index), layout.write_in_mark_box(index)
        grid.rect(name)
        grid.rect(mark)
    for line in range(4):  # the notes under the table
        _glyphs(pen, rng, 0, height + 6 + line * 6, 30 - 6 * (line == 3), 4.0, 0.3)
    return page


# --- hand marks -------------------------------------------------------------------------


def _ink(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 40))


def _mark_geometry(
    box: Rect, rng: np.random.Generator, stroke: float, low: float = 0.3, high: float = 0.9
) -> tuple[float, float, float]:
    """A mark's size and centre: 30–90 % of the box height, anywhere that keeps its ink
    0.6 mm clear of the printed borders (a mark over the border is a different case)."""
    room = min(box.h, box.w) - 1.2 - stroke
    size = min(rng.uniform(low, high) * box.h, room)
    spare_x = (box.w - 1.2 - stroke - size) / 2
    spare_y = (box.h - 1.2 - stroke - size) / 2
    cx = box.centre[0] + rng.uniform(-1, 1) * max(spare_x, 0) * 0.8
    cy = box.centre[1] + rng.uniform(-1, 1) * max(spare_y, 0) * 0.8
    return size, cx, cy


def _stroke(rng: np.random.Generator, size: float) -> float:
    # A very thick pen on a very small mark leaves a blot, not a shape: keep it legible.
    return min(rng.uniform(0.3, 0.8), max(0.3, size / 6))


def draw_circle(
    pen: _Pen,
    box: Rect,
    rng: np.random.Generator,
    level: int | None = None,
    stroke: float | None = None,
    low: float = 0.3,
) -> None:
    """A hand-drawn ○: a jittered ellipse whose ends meet (overlap or a hair apart)."""
    width = stroke if stroke is not None else rng.uniform(0.3, 0.8)
    size, cx, cy = _mark_geometry(box, rng, width, low=low)
    width = stroke if stroke is not None else _stroke(rng, size)
    ry = size / 2
    rx = min(ry * rng.uniform(0.8, 1.3), (box.w - 1.2 - width) / 2 - abs(cx - box.centre[0]))
    tilt = rng.uniform(-0.4, 0.4)
    start = rng.uniform(0, 2 * math.pi)
    overlap = rng.uniform(-0.1 / max(rx, 0.5), 0.5)  # the ends overlap, or 0.1 mm apart at most
    t = np.linspace(start, start + 2 * math.pi + overlap, 90)
    wobble = 1 + 0.04 * np.sin(2 * t + rng.uniform(0, 6)) + 0.02 * np.sin(3 * t)
    x = rx * wobble * np.cos(t)
    y = ry * wobble * np.sin(t)
    points = np.stack(
        [
            cx + x * math.cos(tilt) - y * math.sin(tilt),
            cy + x * math.sin(tilt) + y * math.cos(tilt),
        ],
        axis=1,
    )
    pen.polyline(points, width, _ink(rng) if level is None else level)


def draw_cross(
    pen: _Pen,
    box: Rect,
    rng: np.random.Generator,
    level: int | None = None,
    stroke: float | None = None,
    low: float = 0.3,
) -> None:
    """A hand-drawn ×: two jittered, slightly bowed strokes crossing near their middles."""
    width = stroke if stroke is not None else rng.uniform(0.3, 0.8)
    size, cx, cy = _mark_geometry(box, rng, width, low=max(low, 0.35))
    width = stroke if stroke is not None else _stroke(rng, size)
    slant = rng.uniform(-0.15, 0.15)
    colour = _ink(rng) if level is None else level
    for base in (math.pi / 4, 3 * math.pi / 4):
        angle = base + slant + rng.uniform(-0.2, 0.2)
        direction = np.array([math.cos(angle), math.sin(angle)])
        normal = np.array([-direction[1], direction[0]])
        length = size * math.sqrt(2) * rng.uniform(0.85, 1.0) / 1.05
        length = min(length, size / max(abs(direction[0]), abs(direction[1])))
        before = length * rng.uniform(0.38, 0.62)
        s = np.linspace(-before, length - before, 12)
        bow = rng.uniform(-0.12, 0.12) * np.sin(np.linspace(0, math.pi, 12))
        points = np.array([cx, cy]) + s[:, None] * direction + bow[:, None] * normal
        pen.polyline(points, width, colour)


def draw_scribble(pen: _Pen, box: Rect, rng: np.random.Generator) -> str:
    """An ambiguous mark: neither a clear ○ nor a clear ×. Returns what was drawn."""
    kind = str(
        rng.choice(
            [
                "zigzag",
                "blot",
                "spiral",
                "tick",
                "slash",
                "plus",
                "open",
                "crossed",
                "double",
                "circled-cross",
                "dotted",
                "square",
                "triangle",
            ]
        )
    )
    width = rng.uniform(0.3, 0.6)
    size, cx, cy = _mark_geometry(box, rng, width, low=0.5, high=0.85)
    r = size / 2
    colour = _ink(rng)
    if kind == "zigzag":
        n = int(rng.integers(4, 8))
        xs = np.linspace(cx - r, cx + r, n)
        ys = cy + np.where(np.arange(n) % 2 == 0, -r, r) * rng.uniform(0.6, 1.0, n)
        pen.polyline(np.stack([xs, ys], axis=1), width, colour)
    elif kind == "blot":
        for _ in range(int(rng.integers(6, 12))):
            a = np.array([cx, cy]) + rng.uniform(-r, r, 2)
            b = np.array([cx, cy]) + rng.uniform(-r, r, 2)
            pen.polyline(np.array([a, b]), max(width, 0.6), colour)
    elif kind == "spiral":
        t = np.linspace(0, 2 * math.pi * rng.uniform(1.6, 2.4), 120)
        radius = r * (0.25 + 0.75 * t / t[-1])
        pen.polyline(np.stack([cx + radius * np.cos(t), cy + radius * np.sin(t)], 1), 0.3, colour)
    elif kind == "tick":
        points = np.array([[cx - r, cy], [cx - r / 3, cy + r], [cx + r, cy - r]])
        pen.polyline(points, width, colour)
    elif kind == "slash":
        angle = rng.uniform(0.5, 1.1) * rng.choice([1, -1])
        d = np.array([math.cos(angle), math.sin(angle)]) * r
        centre = np.array([cx, cy])
        pen.polyline(np.array([centre - d, centre + d]), width, colour)
    elif kind == "plus":
        pen.polyline(np.array([[cx - r, cy], [cx + r, cy]]), width, colour)
        pen.polyline(np.array([[cx, cy - r], [cx, cy + r]]), width, colour)
    elif kind == "open":  # a ○ left a third open: 半个圈
        t = np.linspace(0, 2 * math.pi * rng.uniform(0.55, 0.7), 60) + rng.uniform(0, 6)
        pen.polyline(np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1), width, colour)
    elif kind == "crossed":  # a ○ struck through: the voter changed their mind
        t = np.linspace(0, 2 * math.pi, 80)
        pen.polyline(np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1), width, colour, True)
        pen.polyline(np.array([[cx - r, cy + r], [cx + r, cy - r]]), width, colour)
    elif kind == "circled-cross":  # ⊗: a ○ with a small × inside, not touching it
        t = np.linspace(0, 2 * math.pi, 80)
        pen.polyline(np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1), width, colour, True)
        d = r * 0.4
        pen.polyline(np.array([[cx - d, cy - d], [cx + d, cy + d]]), width, colour)
        pen.polyline(np.array([[cx - d, cy + d], [cx + d, cy - d]]), width, colour)
    elif kind == "dotted":  # ⊙
        t = np.linspace(0, 2 * math.pi, 80)
        pen.polyline(np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1), width, colour, True)
        pen.fill(Rect(cx - r * 0.15, cy - r * 0.15, r * 0.3, r * 0.3), colour)
    elif kind == "square":  # □ drawn where a ○ belongs
        corners = np.array([[cx - r, cy - r], [cx + r, cy - r], [cx + r, cy + r], [cx - r, cy + r]])
        pen.polyline(corners, width, colour, True)
    elif kind == "triangle":
        corners = np.array([[cx, cy - r], [cx + r, cy + r * 0.8], [cx - r, cy + r * 0.8]])
        pen.polyline(corners, width, colour, True)
    else:  # ◎: two rings
        t = np.linspace(0, 2 * math.pi, 80)
        for radius in (r, r * 0.45):
            ring = np.stack([cx + radius * np.cos(t), cy + radius * np.sin(t)], 1)
            pen.polyline(ring, 0.3, colour, True)
    return kind


def draw_faint(pen: _Pen, box: Rect, rng: np.random.Generator) -> None:
    """A ○ or × so light (pale pencil) that the reader must ask a person."""
    level = int(rng.integers(150, 172))  # ink darkness 0.33–0.41 on white paper
    stroke = rng.uniform(0.5, 0.8)
    if rng.random() < 0.5:
        draw_circle(pen, box, rng, level=level, stroke=stroke, low=0.5)
    else:
        draw_cross(pen, box, rng, level=level, stroke=stroke, low=0.5)


LIGHT_LEVELS = (175, 215)  # pencil-light grey: darkness about 0.16–0.31 on white paper


def draw_light(
    pen: _Pen, box: Rect, rng: np.random.Generator, truth: str, level: int | None = None
) -> None:
    """A ○ or × (``truth`` "O" or "X") drawn with a light pencil: plainly visible to a person
    but paler than the reader's ink level, and thin, so a scanner's blur pales it further."""
    grey = int(rng.integers(*LIGHT_LEVELS)) if level is None else level
    stroke = rng.uniform(0.25, 0.5)
    if truth == "O":
        draw_circle(pen, box, rng, level=grey, stroke=stroke, low=0.4)
    else:
        draw_cross(pen, box, rng, level=grey, stroke=stroke, low=0.4)


def draw_handwriting(
    pen: _Pen, cell: Rect, rng: np.random.Generator, level: int | None = None
) -> None:
    """A name written into a write-in cell: two to four handwritten glyphs."""
    count = int(rng.integers(2, 5))
    size = rng.uniform(0.5, 0.75) * cell.h
    count = max(1, min(count, int((cell.w - 2) / (size * 1.1))))
    spare = cell.w - 2 - count * size * 1.1
    x = cell.x + 1 + rng.uniform(0, max(spare, 0))
    y = cell.y + (cell.h - size) / 2 + rng.uniform(-0.5, 0.5)
    stroke = rng.uniform(0.3, 0.6) if level is None else 0.6
    _glyphs(pen, rng, x, y, count, size, stroke, _ink(rng) if level is None else level, True)


# --- the scanner ------------------------------------------------------------------------


def distort(
    image: np.ndarray,
    rng: np.random.Generator,
    src_dpi: float,
    dpi: float | None = None,
    quarter_turns: int = 0,
    jpeg: bool = True,
) -> np.ndarray:
    """What a scanner makes of the printed page: the page at ``dpi`` (default ``src_dpi``),
    rotated ±3°, scaled 0.95–1.05, in slight perspective, blurred, noisy, dusty, JPEG
    re-encoded, and turned by ``quarter_turns`` × 90° (the sheet fed the wrong way)."""
    dpi = dpi or src_dpi
    paper = int(rng.integers(225, 252))
    black = int(rng.integers(10, 45))
    page = np.clip(image * ((paper - black) / 255) + black, 0, 255).round().astype(np.uint8)

    h, w = page.shape
    out_w, out_h = round(PAGE_WIDTH * dpi / MM_PER_INCH), round(PAGE_HEIGHT * dpi / MM_PER_INCH)
    scale = dpi / src_dpi * rng.uniform(0.95, 1.05)
    angle = rng.uniform(-3, 3)
    alpha, beta = scale * math.cos(math.radians(angle)), scale * math.sin(math.radians(angle))
    affine = np.array(  # about the page's centre, counter-clockwise as on screen
        [
            [alpha, beta, (1 - alpha) * w / 2 - beta * h / 2],
            [-beta, alpha, beta * w / 2 + (1 - alpha) * h / 2],
        ]
    )
    affine[:, 2] += (out_w / 2 - w / 2, out_h / 2 - h / 2)
    affine[:, 2] += rng.uniform(-4, 4, 2) * dpi / MM_PER_INCH  # the sheet is not centred
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    target = im.apply(affine, source)
    target += rng.uniform(-1, 1, (4, 2)) * 0.002 * out_w  # perspective
    page = im.warped(page, im.homography(source, target), (out_w, out_h), fill=paper)

    page = im.gaussian(page, rng.uniform(0.35, 1.0))
    page += rng.standard_normal(page.shape, dtype=np.float32) * np.float32(rng.uniform(1.5, 5))
    page = np.clip(page.round(), 0, 255).astype(np.uint8)
    dust = int(rng.integers(50, 400))
    ys, xs = rng.integers(0, out_h - 1, dust), rng.integers(0, out_w - 1, dust)
    page[ys, xs] = rng.integers(0, 120, dust).astype(np.uint8)
    page[ys[: dust // 3] + 1, xs[: dust // 3]] = 60
    if jpeg:
        quality = int(rng.integers(60, 96))
        decoded = im.decode(im.encode(page, "JPG", quality))
        assert decoded is not None
        page = decoded
    if quarter_turns % 4:
        page = np.ascontiguousarray(np.rot90(page, -(quarter_turns % 4)))
    return page


# --- the corpus -------------------------------------------------------------------------


def make_corpus(
    layout: BallotLayout,
    code_text: str,
    pages: int,
    seed: int,
    dpis: tuple[int, ...] = (150, 200, 300),
    ambiguous_only: bool = False,
) -> list[SyntheticPage]:
    """``pages`` scans with known truth: mostly clearly marked papers, some blank, some
    with an ambiguous mark (scribble or faint), some with write-ins (a written name and a
    ○). About one page in six is upside down, one in twenty turned by 90°.

    ``ambiguous_only`` marks every box ambiguously, for testing that none is read as certain.
    """
    rng = np.random.default_rng(seed)
    shift = tuple(float(v) for v in rng.uniform(-0.5, 0.5, 2))
    blanks: dict[int, np.ndarray] = {}
    corpus: list[SyntheticPage] = []
    n = len(layout.candidates)
    for _ in range(pages):
        dpi = int(rng.choice(dpis))
        if dpi not in blanks:
            blanks[dpi] = render_sheet(layout, code_text, dpi, shift)  # type: ignore[arg-type]
        page = blanks[dpi].copy()
        # Voters draw in the cells as printed, wherever the word processor put the lines.
        pen = _Pen(page, dpi, (FRAME_LEFT + shift[0], FRAME_TOP + shift[1]))
        roll = rng.random()
        kind = (
            "ambiguous"
            if ambiguous_only
            else "blank"
            if roll < 0.08
            else "ambiguous"
            if roll < 0.22
            else "write-in"
            if roll < 0.36
            else "clear"
        )
        marks: list[str] = []
        for index in range(n):
            if kind == "blank":
                truth = ""
            elif kind == "ambiguous" and (ambiguous_only or rng.random() < 0.12):
                truth = AMBIGUOUS
            else:
                truth = str(rng.choice(CLEAR, p=(0.45, 0.25, 0.30)))
            box = layout.mark_box(index)
            if truth == "O":
                draw_circle(pen, box, rng)
            elif truth == "X":
                draw_cross(pen, box, rng)
            elif truth == AMBIGUOUS:
                if rng.random() < 0.3:
                    draw_faint(pen, box, rng)
                else:
                    draw_scribble(pen, box, rng)
            marks.append(truth)
        write_ins: list[tuple[str, str]] = []
        for name_box, mark_box in layout.write_in_boxes:
            name_truth, mark_truth = "", ""
            if kind == "write-in" and rng.random() < 0.5:
                name_truth = "W"
                if rng.random() < 0.1:
                    name_truth = AMBIGUOUS
                    draw_handwriting(pen, name_box, rng, level=int(rng.integers(150, 172)))
                else:
                    draw_handwriting(pen, name_box, rng)
                mark_truth = "O"
                draw_circle(pen, mark_box, rng)
            write_ins.append((name_truth, mark_truth))
        turn = rng.random()
        quarter_turns = 2 if turn < 0.15 else 1 if turn < 0.18 else 3 if turn < 0.21 else 0
        scan = distort(page, rng, dpi, quarter_turns=quarter_turns)
        corpus.append(
            SyntheticPage(scan, tuple(marks), tuple(write_ins), dpi, quarter_turns * 90, kind)
        )
    return corpus


def make_light_corpus(
    layout: BallotLayout,
    code_text: str,
    pages: int,
    seed: int,
    dpis: tuple[int, ...] = (150, 200, 300),
) -> list[SyntheticPage]:
    """``pages`` scans of which about three in five carry light-pencil ○ and × (kind
    "light"), the others only clear marks (kind "clear"): light marks must never read as
    blank, and the clear pages must still count without a person. A light page's write-in
    slots may hold a light-pencil name ("w") with a clear ○ beside it."""
    rng = np.random.default_rng(seed)
    blanks: dict[int, np.ndarray] = {}
    corpus: list[SyntheticPage] = []
    for _ in range(pages):
        dpi = int(rng.choice(dpis))
        if dpi not in blanks:
            blanks[dpi] = render_sheet(layout, code_text, dpi)
        page = blanks[dpi].copy()
        pen = _Pen(page, dpi, (FRAME_LEFT, FRAME_TOP))
        kind = "light" if rng.random() < 0.6 else "clear"
        choices, weights = (
            ((*CLEAR, *LIGHT), (0.25, 0.15, 0.3, 0.15, 0.15))
            if kind == "light"
            else (CLEAR, (0.45, 0.25, 0.30))
        )
        marks = [str(rng.choice(choices, p=weights)) for _ in layout.candidates]
        for index, truth in enumerate(marks):
            box = layout.mark_box(index)
            if truth == "O":
                draw_circle(pen, box, rng)
            elif truth == "X":
                draw_cross(pen, box, rng)
            elif truth in LIGHT:
                draw_light(pen, box, rng, truth.upper())
        write_ins: list[tuple[str, str]] = []
        for name_box, mark_box in layout.write_in_boxes:
            if kind == "light" and rng.random() < 0.3:
                level = int(rng.integers(*LIGHT_LEVELS))
                draw_handwriting(pen, name_box, rng, level=level)
                draw_circle(pen, mark_box, rng)
                write_ins.append(("w", "O"))
            else:
                write_ins.append(("", ""))
        turns = 2 if rng.random() < 0.15 else 0
        scan = distort(page, rng, dpi, quarter_turns=turns)
        corpus.append(SyntheticPage(scan, tuple(marks), tuple(write_ins), dpi, turns * 90, kind))
    return corpus


def marked_page(
    layout: BallotLayout,
    code_text: str,
    marks: Sequence[str],
    write_ins: Sequence[tuple[str, str]] = (),
    seed: int = 0,
    dpi: int = 200,
    quarter_turns: int = 0,
    circled_names: Sequence[int] = (),
    scan_seed: int | None = None,
) -> np.ndarray:
    """One scan with chosen marks: per candidate "O", "X", "" or "?" (a scribble); per
    write-in slot (name cell "W" or "", mark box as for candidates); ``circled_names``: the
    candidates whose printed name the voter circled instead of marking the box; with
    ``scan_seed`` the scanner's distortion comes from that seed, so one marked sheet can be
    scanned again differently (the hand marks stay those of ``seed``)."""
    rng = np.random.default_rng(seed)
    page = render_sheet(layout, code_text, dpi)
    pen = _Pen(page, dpi, (FRAME_LEFT, FRAME_TOP))
    for index in circled_names:
        text = layout.name_text(index)
        t = np.linspace(0, 2 * math.pi, 90)
        rx, ry = text.w / 2 + 2.5, min(text.h / 2 + 1.8, layout.slot_row / 2 - 0.8)
        ring = np.stack([text.centre[0] + rx * np.cos(t), text.centre[1] + ry * np.sin(t)], 1)
        pen.polyline(ring, 0.5, _ink(rng), closed=True)
    boxes = [(truth, layout.mark_box(i)) for i, truth in enumerate(marks)]
    for slot, (name, mark) in enumerate(write_ins):
        if name == "W":
            draw_handwriting(pen, layout.write_in_name_box(slot), rng)
        boxes.append((mark, layout.write_in_mark_box(slot)))
    for truth, box in boxes:
        if truth == "O":
            draw_circle(pen, box, rng, low=0.5)
        elif truth == "X":
            draw_cross(pen, box, rng, low=0.5)
        elif truth == AMBIGUOUS:
            draw_scribble(pen, box, rng)
    scanner = rng if scan_seed is None else np.random.default_rng(scan_seed)
    return distort(page, scanner, dpi, quarter_turns=quarter_turns)


def pdf_from_jpegs(pages: list[bytes], dpi: float = 200) -> bytes:
    """A minimal PDF with one JPEG per page (what a scanner's “scan to PDF” writes)."""
    objects: list[bytes] = []
    kids = []
    for index, data in enumerate(pages):
        image = im.decode(data)
        assert image is not None, "not an image"
        h, w = image.shape
        page_w, page_h = w * 72 / dpi, h * 72 / dpi
        page_id, content_id, image_id = 3 + 3 * index, 4 + 3 * index, 5 + 3 * index
        kids.append(f"{page_id} 0 R")
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w:.2f} {page_h:.2f}] "
                f"/Resources << /XObject << /Im0 {image_id} 0 R >> >> /Contents {content_id} 0 R >>"
            ).encode()
        )
        content = f"q {page_w:.2f} 0 0 {page_h:.2f} 0 0 cm /Im0 Do Q".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(
            (
                f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace "
                f"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>\n"
                "stream\n"
            ).encode()
            + data
            + b"\nendstream"
        )
    catalog = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode(),
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(catalog + objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return body


def draw_polyline_px(
    page: np.ndarray,
    points: Sequence[tuple[float, float]],
    level: int,
    width: float,
    closed: bool = False,
) -> None:
    """Antialiased strokes through page pixel coordinates, drawn into ``page`` in place."""
    _Pen(page, MM_PER_INCH, (0.0, 0.0)).polyline(np.asarray(points, float), width, level, closed)


def tiff_pages(pages: Sequence[np.ndarray], damaged: Sequence[int] = ()) -> bytes:
    """A multi-page uncompressed grey TIFF (as a scanner's “scan to TIFF” writes); the
    pages numbered in ``damaged`` (1-based) point their pixels past the end of the file."""
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    link = 4  # where the offset of the next directory is written
    for number, page in enumerate(pages, start=1):
        h, w = page.shape
        data = len(out)
        out += np.ascontiguousarray(page, np.uint8).tobytes()
        if len(out) % 2:
            out += b"\x00"
        directory = len(out)
        out[link : link + 4] = directory.to_bytes(4, "little")
        start = data if number not in damaged else 0x7FFFFFF0
        tags = [
            (256, 4, w),
            (257, 4, h),
            (258, 3, 8),
            (259, 3, 1),
            (262, 3, 1),
            (273, 4, start),
            (277, 3, 1),
            (278, 4, h),
            (279, 4, w * h),
        ]
        out += len(tags).to_bytes(2, "little")
        for tag, kind, value in tags:
            out += (
                tag.to_bytes(2, "little") + kind.to_bytes(2, "little") + (1).to_bytes(4, "little")
            )
            out += (
                value.to_bytes(4, "little") if kind == 4 else value.to_bytes(2, "little") + b"\0\0"
            )
        link = len(out)
        out += b"\x00\x00\x00\x00"
    return bytes(out)
