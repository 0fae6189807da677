"""A second generator of scanned ballots, written apart from ``scanning.synthetic`` and never
used to tune the reader: other page drawing, other hands, other pens, other scanners.

Differences on purpose: the printed page is drawn here from the layout (its own title and
name glyphs, a random top margin); ○ are drawn with low-frequency wobble up to 8% of the
radius, sizes up to the whole row (touching or crossing the cell border), overshoot tails
and spiral ends; × with unequal arms and bold 0.8 mm gel strokes; pens vary in pressure along
the stroke, and pencil (HB–2B) is grey with a paper-grain texture; the scans are flatbed
(150–300 dpi, skew up to 4°), phone photos (perspective, a shadow across the page) or grey
photocopies, JPEG from quality 40.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen

from gongtui_desktop.scanning import imaging as im
from gongtui_desktop.scanning.layout import BallotLayout, Rect
from gongtui_desktop.scanning.qr import qr_modules

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class DrawnPage:
    image: np.ndarray
    marks: tuple[str, ...]  # per candidate: "O", "X", "" clear; "?" must go to a person
    pen: str
    scan: str
    dpi: int


class _Sheet:
    def __init__(self, dpi: int, rng: np.random.Generator) -> None:
        self.k = dpi / MM_PER_INCH
        self.image = QImage(
            round(210 * self.k), round(297 * self.k), QImage.Format.Format_Grayscale8
        )
        self.image.fill(QColor(255, 255, 255))
        self.left = 20.0 + rng.uniform(-1.5, 1.5)
        self.top = 30.0 + rng.uniform(0, 15)

    def point(self, x: float, y: float) -> QPointF:
        return QPointF((x + self.left) * self.k, (y + self.top) * self.k)

    def painter(self) -> QPainter:
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return painter

    def line(self, points: np.ndarray, widths: np.ndarray, level: int) -> None:
        """A stroke whose width varies point by point (the hand's pressure)."""
        painter = self.painter()
        for (a, b), w in zip(itertools.pairwise(points), widths, strict=False):
            pen = QPen(QColor(level, level, level))
            pen.setWidthF(max(0.6, w * self.k))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(self.point(*a), self.point(*b))
        painter.end()

    def box(self, rect: Rect, width: float = 0.18, fill: bool = False) -> None:
        painter = self.painter()
        corner = self.point(rect.x, rect.y)
        area = QRectF(corner.x(), corner.y(), rect.w * self.k, rect.h * self.k)
        if fill:
            painter.fillRect(area, QBrush(QColor(0, 0, 0)))
        else:
            pen = QPen(QColor(0, 0, 0))
            pen.setWidthF(width * self.k)
            painter.setPen(pen)
            painter.drawRect(area)
        painter.end()

    def pixels(self) -> np.ndarray:
        return im.from_qimage(self.image)


def _print(sheet: _Sheet, layout: BallotLayout, code: str, rng: np.random.Generator) -> None:
    for fiducial in layout.fiducials:
        sheet.box(fiducial, fill=True)
    modules = qr_modules(code)
    step = layout.qr.w / modules.shape[0]
    painter = sheet.painter()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for row, col in zip(*np.nonzero(modules), strict=True):
        corner = sheet.point(layout.qr.x + col * step, layout.qr.y + row * step)
        painter.fillRect(
            QRectF(corner.x(), corner.y(), step * sheet.k + 0.5, step * sheet.k + 0.5),
            Qt.GlobalColor.black,
        )
    painter.end()
    cells = [layout.candidate_cell(i) for i in range(layout.groups * layout.candidate_rows)]
    cells += [layout.mark_box(i) for i in range(layout.groups * layout.candidate_rows)]
    for slot in range(layout.groups * layout.write_in_rows):
        cells += [layout.write_in_name_box(slot), layout.write_in_mark_box(slot)]
    for cell in cells:
        sheet.box(cell)
    for index, name in enumerate(layout.candidates):
        text = layout.name_text(index)
        size = text.h
        for c in range(len(name)):  # a printed character: a few straight strokes in its square
            x0 = text.x + c * size
            for _ in range(int(rng.integers(3, 7))):
                a = np.array([x0, text.y]) + rng.uniform(0.1, 0.9, 2) * size
                if rng.random() < 0.5:
                    b = np.array([x0 + rng.uniform(0.1, 0.9) * size, a[1]])
                else:
                    b = np.array([a[0], text.y + rng.uniform(0.1, 0.9) * size])
                sheet.line(np.array([a, b]), np.array([0.3]), 0)


# --- hands ------------------------------------------------------------------------------


def _pressure(n: int, base: float, rng: np.random.Generator) -> np.ndarray:
    t = np.linspace(0, 1, n)
    return base * (0.75 + 0.35 * np.sin(math.pi * t) + rng.normal(0, 0.04, n)).clip(0.5, 1.3)


def _circle(box: Rect, rng: np.random.Generator, width: float) -> np.ndarray:
    # Up to the whole row height (then the ring touches or crosses the cell border).
    ry = rng.uniform(0.28, 0.52) * box.h
    rx = min(ry * rng.uniform(0.75, 1.35), box.w / 2 - 0.3)
    cx = box.centre[0] + rng.uniform(-1, 1) * max(0.0, box.w / 2 - rx - 0.5)
    cy = box.centre[1] + rng.uniform(-1, 1) * max(0.0, box.h / 2 - ry - 0.3)
    start = rng.uniform(0, 2 * math.pi)
    sweep = 2 * math.pi + rng.uniform(-0.03, 0.6)
    t = np.linspace(start, start + sweep, 120)
    wobble = 1 + sum(rng.uniform(0.0, 0.035) * np.sin(k * t + rng.uniform(0, 6)) for k in (2, 3, 5))
    end = rng.random()
    if end < 0.2:  # a spiral end: the last part runs a little inside
        wobble = wobble * np.where(t - start > 2 * math.pi - 0.5, 0.9, 1.0)
    tilt = rng.uniform(-0.5, 0.5)
    x, y = rx * wobble * np.cos(t), ry * wobble * np.sin(t)
    points = np.stack(
        [
            cx + x * math.cos(tilt) - y * math.sin(tilt),
            cy + x * math.sin(tilt) + y * math.cos(tilt),
        ],
        axis=1,
    )
    if end > 0.8:  # an overshoot tail off the tangent
        direction = points[-1] - points[-2]
        direction /= max(np.linalg.norm(direction), 1e-6)
        points = np.vstack([points, points[-1] + direction * rng.uniform(0.5, 1.5)])
    return points


def _cross(box: Rect, rng: np.random.Generator) -> list[np.ndarray]:
    size = rng.uniform(0.45, 0.9) * min(box.h, box.w)
    cx = box.centre[0] + rng.uniform(-1, 1) * max(0.0, (box.w - size) / 2 - 0.5)
    cy = box.centre[1] + rng.uniform(-1, 1) * max(0.0, (box.h - size) / 2 - 0.5)
    strokes = []
    for base in (math.pi / 4, 3 * math.pi / 4):
        angle = base + rng.uniform(-0.3, 0.3)
        d = np.array([math.cos(angle), math.sin(angle)])
        length = size / max(abs(d[0]), abs(d[1])) * rng.uniform(0.8, 1.0)
        before = length * rng.uniform(0.3, 0.7)  # one arm may be short
        s = np.linspace(-before, length - before, 16)
        bend = rng.uniform(-0.2, 0.2) * np.sin(np.linspace(0, math.pi, 16))
        strokes.append(
            np.array([cx, cy]) + s[:, None] * d + bend[:, None] * np.array([-d[1], d[0]])
        )
    return strokes


PENS = {  # level range (0 black … 255 white), stroke width mm
    "ballpoint": ((15, 70), (0.3, 0.5)),
    "gel": ((0, 30), (0.5, 0.8)),
    "pencil": ((70, 125), (0.3, 0.6)),  # HB–2B on office paper
}


def _ambiguous(
    sheet: _Sheet, box: Rect, rng: np.random.Generator, level: int, width: float
) -> None:
    kind = rng.choice(["check", "circled-cross", "faint", "filled"])
    cx, cy = box.centre
    r = 0.35 * box.h
    if kind == "check":
        sheet.line(
            np.array([[cx - r, cy], [cx - r / 3, cy + r], [cx + r, cy - r]]),
            np.array([width] * 2),
            level,
        )
    elif kind == "circled-cross":
        t = np.linspace(0, 2 * math.pi + 0.3, 80)
        ring = np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1)
        sheet.line(ring, np.full(79, width), level)
        d = 0.45 * r
        sheet.line(np.array([[cx - d, cy - d], [cx + d, cy + d]]), np.array([width]), level)
        sheet.line(np.array([[cx - d, cy + d], [cx + d, cy - d]]), np.array([width]), level)
    elif kind == "faint":
        t = np.linspace(0, 2 * math.pi + 0.3, 80)
        ring = np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1)
        sheet.line(ring, np.full(79, 0.3), int(rng.integers(205, 225)))
    else:
        for y in np.linspace(cy - r, cy + r, 9):
            sheet.line(
                np.array([[cx - r, y], [cx + r, y + 0.3]]), np.array([max(width, 0.6)]), level
            )


# --- scanners ---------------------------------------------------------------------------


def _scan(page: np.ndarray, kind: str, dpi: int, rng: np.random.Generator) -> np.ndarray:
    h, w = page.shape
    if kind == "photocopy":
        paper, black = rng.uniform(195, 215), rng.uniform(35, 70)
    else:
        paper, black = rng.uniform(215, 250), rng.uniform(5, 40)
    image = page.astype(np.float32) * ((paper - black) / 255) + black
    angle = math.radians(rng.uniform(-4, 4))
    a, b = math.cos(angle), math.sin(angle)
    centre = np.array([w / 2, h / 2])
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    moved = (corners - centre) @ np.array([[a, b], [-b, a]]) + centre
    moved += rng.normal(0, 3, moved.shape)
    if kind == "phone":
        moved += rng.uniform(-1, 1, (4, 2)) * 0.03 * w  # held at a slant
    image = im.warped(
        np.clip(image, 0, 255).astype(np.uint8),
        im.homography(corners, moved),
        (w, h),
        fill=int(paper * 0.9),
    ).astype(np.float32)
    if kind == "phone":  # a shadow over part of the page, light falling off to a corner
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        direction = rng.uniform(-1, 1, 2)
        ramp = (xs / w * direction[0] + ys / h * direction[1]) * 0.5 + 0.5
        image *= 1 - rng.uniform(0.15, 0.35) * np.clip(ramp, 0, 1)
    image = im.gaussian(image, rng.uniform(0.4, 1.2) * dpi / 200)
    image += rng.normal(0, rng.uniform(2, 7), image.shape).astype(np.float32)
    image = np.clip(image, 0, 255).astype(np.uint8)
    quality = int(rng.integers(40, 50)) if kind != "flatbed" else int(rng.integers(40, 95))
    decoded = im.decode(im.encode(image, "JPG", quality))
    assert decoded is not None
    if rng.random() < 0.2:
        decoded = np.ascontiguousarray(np.rot90(decoded, 2))
    return decoded


def drawn_pages(
    layout: BallotLayout, code: str, pages: int, seed: int, ambiguous_share: float = 0.1
) -> list[DrawnPage]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(pages):
        dpi = int(rng.choice([150, 200, 300]))
        pen = str(rng.choice(list(PENS), p=[0.45, 0.25, 0.3]))
        scan = str(rng.choice(["flatbed", "phone", "photocopy"], p=[0.6, 0.2, 0.2]))
        sheet = _Sheet(dpi, rng)
        _print(sheet, layout, code, rng)
        printed = sheet.pixels().astype(np.float32)
        (low, high), (thin, thick) = PENS[pen]
        marks = []
        for index in range(len(layout.candidates)):
            box = layout.mark_box(index)
            level, width = int(rng.integers(low, high + 1)), rng.uniform(thin, thick)
            roll = rng.random()
            truth = (
                "?"
                if roll < ambiguous_share
                else str(rng.choice(["O", "X", ""], p=[0.5, 0.2, 0.3]))
            )
            if truth == "O":
                points = _circle(box, rng, width)
                sheet.line(points, _pressure(len(points) - 1, width, rng), level)
            elif truth == "X":
                for stroke in _cross(box, rng):
                    sheet.line(stroke, _pressure(len(stroke) - 1, width, rng), level)
            elif truth == "?":
                _ambiguous(sheet, box, rng, level, width)
            marks.append(truth)
        page = sheet.pixels()
        if pen == "pencil":  # graphite sits on the paper's grain: lighter in the pits
            grain = rng.uniform(0.55, 1.0, page.shape).astype(np.float32)
            added = np.maximum(printed - page.astype(np.float32), 0)
            page = np.clip(printed - added * grain, 0, 255).astype(np.uint8)
        out.append(DrawnPage(_scan(page, scan, dpi, rng), tuple(marks), pen, scan, dpi))
    return out
