"""Reading one scanned ballot page.

The page is found by its QR code (which election, contest, round and layout) and its four
corner squares (where exactly the frame lies); the frame is then rectified to a fixed
resolution and every box is read where ``layout`` says it is, after a small search for the
printed cell borders.

A box is read as certain only when both the amount of ink and its shape leave no doubt;
everything else is UNCERTAIN with a short reason for the adjudicator. Deciding over-votes and
validity is the services layer's job: it knows the seats.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QImage

from gongtui_desktop.scanning import imaging as im
from gongtui_desktop.scanning.layout import (
    CODE_ROW,
    FIDUCIAL,
    FRAME_WIDTH,
    QR_SIZE,
    BallotLayout,
    Rect,
    SheetCode,
)
from gongtui_desktop.scanning.qr import decode as decode_qr
from gongtui_desktop.scanning.qr import qr_modules
from gongtui_desktop.scanning.readings import PX_PER_MM, BoxReading, BoxState, SheetReading
from gongtui_desktop.scanning.readings import failed as _failed

__all__ = ["PX_PER_MM", "BoxReading", "BoxState", "SheetReading", "darkness_of", "read_sheet"]

# Ink score = inked area / (box interior height)², so one mark scores alike in a narrow
# five-column box and in the wide one-column box.
MARK_MARGINAL = 0.006  # below: empty (what survives dust removal is at least this much)
MARK_DEFINITE = 0.02  # at or above: a mark whose shape is classified (the smallest clear ○ ≈ 0.05)
WRITE_MARGINAL = 0.006
WRITE_DEFINITE = 0.03  # two handwritten characters score ≥ 0.15

# Darkness is 0 for the paper and 1 for the printed black of the corner squares.
INK_LEVEL = 0.2  # a pixel this dark is ink (pale pencil included, so it is never lost)
CONTRAST_MARGINAL = 0.35
CONTRAST_DEFINITE = 0.55  # the ink's core must be this dark to be read without a person
# ... unless the whole page is marked with a lighter pen (pencil HB–2B scans at 0.4–0.55):
# then a mark at least PENCIL_SHARE as dark as the page's own marks, and never paler than
# PENCIL_FLOOR, is read like pen.
PENCIL_SHARE = 0.8
PENCIL_FLOOR = 0.38
# A page whose marks are mostly paler than this is faint as a whole, not pencil: no relief.
PENCIL_PAGE_MIN = 0.42
SPECK_MM2 = 0.2  # dust and scanner noise: ink blobs smaller than this are dropped

# A mark touching the interior's edge is looked at again this far (mm) beyond it, where a
# row of pixels inked over LINE_SHARE of its length is printed line, not hand.
BEYOND_MARGIN = 2.5
LINE_SHARE = 0.6
# Shape tests. A hand ○'s inside stays within this share of the fitted ellipse's radius (a
# drawn square strays about 15%, a triangle 30%); each stroke of a × leans at least this many
# degrees from the horizontal and the vertical (a + is not a ×).
ELLIPSE_DEVIATION = 0.11
# Around a printed name: ink farther than NAME_MARGIN mm from where the name is printed,
# scoring at least STRAY_MARGINAL (as a mark box's score), sends the page to a person.
NAME_MARGIN = 1.2
STRAY_MARGINAL = 0.01
CROSS_TILT_MIN = 15.0
BORDER_SEARCH = 1.5  # mm either side of where the layout says a cell border is
BORDER_CLEAR = 0.45  # mm kept clear inside a found border (line, blur and antialiasing)
BORDER_MISSING_CLEAR = 1.2  # when no border is found the guess is less sure

# Pale ink below INK_LEVEL (a light pencil, thinned further by the scanner's blur) must not
# read as blank: each page's own paper noise is measured in its mark boxes, and a box whose
# smoothed darkness rises FAINT_SIGMAS noise deviations (at least FAINT_FLOOR) above the
# paper over FAINT_MARGINAL of its area goes to a person. Empty boxes of the synthetic
# corpus score ≤ 0.01 here, light ○ and × ≥ 0.11.
FAINT_SIGMAS = 6.0
FAINT_FLOOR = 0.03
FAINT_SMOOTH = 1.0  # px of the rectified frame (σ of the Gaussian)
FAINT_INSET = 0.5  # mm further in than the ink test: a blurred border's halo is no mark
FAINT_MARGINAL = 0.03

_SMALL_PX_PER_MM = 2.0  # the overview in which the corner squares are looked for
_QR_PX_PER_MM = 8.0


# --- finding the page -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Blob:
    x: float
    y: float
    side: float  # px in the full image


def _fiducial_candidates(gray: np.ndarray) -> tuple[list[_Blob], float]:
    """Solid dark squares about the size of a corner square, assuming an A4 page."""
    long_side = max(gray.shape)
    full_px_per_mm = long_side / 297.0  # a scan of an A4 page, whatever its dpi
    factor = _SMALL_PX_PER_MM / full_px_per_mm
    small = im.resized(gray, factor)
    dark = (small <= im.otsu(small)).astype(np.uint8)
    # An opening half a square wide removes lines, text, the QR and handwriting: only solid
    # blobs survive, and the bottom squares come loose from the table's corner.
    size = max(3, round(FIDUCIAL * _SMALL_PX_PER_MM * 0.5))
    found = im.components(im.opening(dark, size), 8)
    expected = FIDUCIAL * _SMALL_PX_PER_MM
    blobs: list[_Blob] = []
    for label in range(1, found.count):
        w, h, area = found.width[label], found.height[label], found.area[label]
        side = math.sqrt(area)
        if not 0.6 * expected <= side <= 1.5 * expected:
            continue
        if max(w, h) > 1.6 * side or min(w, h) < 0.7 * side:
            continue
        cx, cy = found.cx[label] + 0.5, found.cy[label] + 0.5  # pixel centres → coordinates
        blobs.append(_Blob(cx / factor, cy / factor, side / factor))
    return blobs, full_px_per_mm


_QR_MM = (  # where the QR is printed: the same on every layout (they differ in height only)
    FRAME_WIDTH - FIDUCIAL - QR_SIZE,
    FIDUCIAL + (CODE_ROW - QR_SIZE) / 2,
)
_QR_MARGIN = 2.5  # mm around the QR in its upright crop


def _clockwise(blobs: list[_Blob]) -> list[list[_Blob]]:
    """Quadrilaterals of four candidate squares that could be the frame's corners, each
    ordered clockwise on the image (the frame is never mirrored)."""
    quads: list[list[_Blob]] = []
    for four in itertools.combinations(blobs[:10], 4):
        cx = sum(b.x for b in four) / 4
        cy = sum(b.y for b in four) / 4
        ordered = sorted(four, key=lambda b: math.atan2(b.y - cy, b.x - cx))
        p = np.array([(b.x, b.y) for b in ordered])
        diagonals = (np.linalg.norm(p[2] - p[0]), np.linalg.norm(p[3] - p[1]))
        middles = np.linalg.norm((p[2] + p[0]) / 2 - (p[3] + p[1]) / 2)
        # A rectangle seen nearly square-on: equal diagonals bisecting each other.
        if abs(diagonals[0] - diagonals[1]) > 0.06 * max(diagonals) or middles > 0.05 * max(
            diagonals
        ):
            continue
        quads.append(ordered)
    return quads


def _upright_qr(page: QImage, tl: tuple[float, float], tr: tuple[float, float]) -> np.ndarray:
    """The QR's corner of the frame, upright at _QR_PX_PER_MM, assuming these top corners."""
    (x0, y0), (x1, y1) = tl, tr
    span = FRAME_WIDTH - FIDUCIAL
    a = (x1 - x0) / span  # scale·cos
    b = (y1 - y0) / span  # scale·sin
    # frame mm → image: [a -b; b a]·(mm − TL centre) + TL
    left, top = _QR_MM[0] - _QR_MARGIN, _QR_MM[1] - _QR_MARGIN
    step = 1 / _QR_PX_PER_MM
    ox, oy = left - FIDUCIAL / 2, top - FIDUCIAL / 2
    crop_to_image = np.array(
        [
            [a * step, -b * step, x0 + a * ox - b * oy],
            [b * step, a * step, y0 + b * ox + a * oy],
            [0.0, 0.0, 1.0],
        ]
    )
    side = round((QR_SIZE + 2 * _QR_MARGIN) * _QR_PX_PER_MM)
    return im.warped(page, np.linalg.inv(crop_to_image), (side, side), 255)


def _decode_upright(crop: np.ndarray) -> str | None:
    # zxing-cpp reads the code at the crop's 4 px per module; a blurred or noisy 150 dpi code
    # may need it larger.
    for factor in (1.0, 2.0):
        image = crop if factor == 1.0 else im.resized(crop, factor)
        image = np.pad(image, 40, constant_values=255)
        for text, _ in decode_qr(image):
            return text
    return None


def _find_by_corners(
    page: QImage, blobs: list[_Blob], px_per_mm: float
) -> tuple[str, list[tuple[float, float]]] | None:
    """The QR text and the four corner squares (TL, TR, BR, BL), found from the squares."""
    hypotheses: list[tuple[float, list[_Blob], np.ndarray]] = []
    span = (FRAME_WIDTH - FIDUCIAL) * px_per_mm
    for quad in _clockwise(blobs):
        for turn in range(4):
            ordered = quad[turn:] + quad[:turn]
            top = math.hypot(ordered[1].x - ordered[0].x, ordered[1].y - ordered[0].y)
            if not 0.8 * span <= top <= 1.2 * span:
                continue
            crop = _upright_qr(page, (ordered[0].x, ordered[0].y), (ordered[1].x, ordered[1].y))
            inner = crop[
                round(_QR_MARGIN * _QR_PX_PER_MM) : -round(_QR_MARGIN * _QR_PX_PER_MM),
                round(_QR_MARGIN * _QR_PX_PER_MM) : -round(_QR_MARGIN * _QR_PX_PER_MM),
            ]
            ink = float((inner < 128).mean())  # a QR is about half dark; blank paper is not
            hypotheses.append((ink, ordered, crop))
    for ink, ordered, crop in sorted(hypotheses, key=lambda h: -h[0])[:2]:
        if ink < 0.15:
            break
        text = _decode_upright(crop)
        if text:
            return text, [(b.x, b.y) for b in ordered]
    return None


def _find_qr_anywhere(gray: np.ndarray, px_per_mm: float) -> tuple[str, np.ndarray] | None:
    """The QR text and its corners anywhere on the page (slower: when the squares fail)."""
    for wanted in (None, 9.0):
        factor = 1.0 if wanted is None else wanted / px_per_mm
        if wanted is not None and factor <= 1.0:
            break
        whole = gray if factor == 1.0 else im.resized(gray, factor)
        for text, corners in decode_qr(whole):
            return text, corners / factor
    return None


def _qr_symbol_mm(layout: BallotLayout, code_text: str) -> np.ndarray:
    """Corners (frame mm) of the QR symbol without its quiet zone, as the detector gives."""
    modules = qr_modules(code_text)
    total = modules.shape[0]
    dark = np.where(modules.any(axis=1))[0]
    border = int(dark[0]) if dark.size else 0
    step = QR_SIZE / total
    x0 = layout.qr.x + border * step
    y0 = layout.qr.y + border * step
    x1 = layout.qr.x + (total - border) * step
    y1 = layout.qr.y + (total - border) * step
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


def _refine_fiducial(
    gray: np.ndarray, x: float, y: float, px_per_mm: float
) -> tuple[float, float] | None:
    """The exact centre of the corner square near (x, y), or None when none is there."""
    h, w = gray.shape
    r = 7 * px_per_mm
    x0, y0 = max(0, int(x - r)), max(0, int(y - r))
    x1, y1 = min(w, int(x + r)), min(h, int(y + r))
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    dark = (crop <= im.otsu(crop)).astype(np.uint8)
    size = max(3, round(px_per_mm * 1.5))
    found = im.components(im.opening(dark, size), 8)
    expected = (FIDUCIAL * px_per_mm) ** 2
    best, best_distance = None, math.inf
    for label in range(1, found.count):
        if not 0.5 * expected <= found.area[label] <= 1.7 * expected:
            continue
        # Pixel centres are at +0.5: the square's centre in image coordinates.
        cx, cy = found.cx[label] + 0.5, found.cy[label] + 0.5
        distance = math.hypot(cx + x0 - x, cy + y0 - y)
        if distance < best_distance:
            best, best_distance = (cx + x0, cy + y0), distance
    if best is None or best_distance > 5 * px_per_mm:
        return None
    return best


def _predict_from_qr(
    layout: BallotLayout, code_text: str, qr: np.ndarray, blobs: list[_Blob]
) -> list[tuple[float, float]]:
    """Where the corner squares should be, judged from the QR alone (the slow path)."""
    symbol = _qr_symbol_mm(layout, code_text)
    similarity = im.similarity(symbol, qr)
    scale = math.hypot(similarity[0, 0], similarity[1, 0])
    centres_mm = np.array([r.centre for r in layout.fiducials], np.float32)
    starts: list[tuple[float, float]] = []
    for px, py in im.apply(similarity, centres_mm):
        near = [b for b in blobs if math.hypot(b.x - px, b.y - py) < 10 * scale]
        guess = min(near, key=lambda b: math.hypot(b.x - px, b.y - py)) if near else None
        starts.append((guess.x, guess.y) if guess else (float(px), float(py)))
    return starts


def _locate(
    gray: np.ndarray, layout: BallotLayout, starts: list[tuple[float, float]]
) -> tuple[np.ndarray, int] | str:
    """The homography frame mm → image px and the page's rotation, or a problem."""
    problem = "找不到选票四角的定位方块（可能被遮挡、涂改或扫描不全）"
    if len(starts) != 4:
        return problem
    (x0, y0), (x1, y1) = starts[0], starts[1]
    scale = math.hypot(x1 - x0, y1 - y0) / (layout.width - FIDUCIAL)
    rotation = round(math.degrees(math.atan2(y1 - y0, x1 - x0)) / 90) % 4 * 90
    found: list[tuple[float, float]] = []
    for x, y in starts:
        centre = _refine_fiducial(gray, x, y, scale)
        if centre is None:
            return problem
        found.append(centre)
    centres_mm = np.array([r.centre for r in layout.fiducials], np.float32)
    image = np.array(found, np.float32)
    homography = im.homography(centres_mm, image)
    # The four squares must sit where the frame says, else one of them is not a square.
    sides = [np.linalg.norm(image[i] - image[(i + 1) % 4]) for i in range(4)]
    expected = [layout.width - FIDUCIAL, layout.height - FIDUCIAL] * 2
    ratios = [side / (e * scale) for side, e in zip(sides, expected, strict=True)]
    if max(ratios) > 1.06 or min(ratios) < 0.94:
        return "选票四角的定位方块位置不对（页面可能折叠、扫描不全，或版式不符）"
    return homography, rotation


# --- reading boxes ----------------------------------------------------------------------


def _border(profile: np.ndarray, nominal: int) -> int | None:
    """Index of the printed line in a darkness profile, searched around ``nominal``."""
    if profile.size == 0:
        return None
    peak = int(np.argmax(profile))
    if profile[peak] < 0.15 or profile[peak] < 2.5 * float(np.median(profile)) + 0.05:
        return None
    return peak


def _percentile(values: np.ndarray, q: float, axis: int) -> np.ndarray:
    """np.percentile (linear interpolation) along an axis, by partial sorting: the same
    figures several times faster on the small profiles read for every box."""
    n = values.shape[axis]
    if n == 0:
        return np.zeros(values.shape[1 - axis], values.dtype)
    position = (n - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, n - 1)
    part = np.partition(values, (low, high), axis=axis)
    a, b = np.take(part, low, axis=axis), np.take(part, high, axis=axis)
    return a + (b - a) * (position - low)


def _interior(darkness: np.ndarray, rect: Rect) -> tuple[int, int, int, int]:
    """The box's interior in frame px: inside the printed borders as actually found."""
    k = PX_PER_MM
    h, w = darkness.shape
    x0, y0 = rect.x * k, rect.y * k
    x1, y1 = (rect.x + rect.w) * k, (rect.y + rect.h) * k
    s = round(BORDER_SEARCH * k)
    clear, missing = round(BORDER_CLEAR * k), round(BORDER_MISSING_CLEAR * k)
    # Sample each line over twice the box's side (half of it beyond either end, where the
    # printed line runs on): a mark cannot cover most of that, the line covers nearly all.
    ya, yb = max(0, round(1.5 * y0 - 0.5 * y1)), min(h, round(1.5 * y1 - 0.5 * y0))
    xa, xb = max(0, round(1.5 * x0 - 0.5 * x1)), min(w, round(1.5 * x1 - 0.5 * x0))
    edges = []
    for nominal, axis, lo_hi, inward in (
        (x0, 1, (ya, yb), 1),
        (x1, 1, (ya, yb), -1),
        (y0, 0, (xa, xb), 1),
        (y1, 0, (xa, xb), -1),
    ):
        n = round(nominal)
        a, b = max(0, n - s), min((w if axis == 1 else h), n + s + 1)
        if axis == 1:
            profile = _percentile(darkness[lo_hi[0] : lo_hi[1], a:b], 40, axis=0)
        else:
            profile = _percentile(darkness[a:b, lo_hi[0] : lo_hi[1]], 40, axis=1)
        found = _border(profile, n - a)
        edges.append(a + found + inward * clear if found is not None else n + inward * missing)
    left, right, top, bottom = edges
    return int(left), int(top), int(right) + 1, int(bottom) + 1


def _ink(darkness: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, float, float]:
    """The ink mask of a box interior (dust removed), its score and its contrast."""
    x0, y0, x1, y1 = box
    region = darkness[y0:y1, x0:x1]
    if region.size == 0:
        return np.zeros((1, 1), np.uint8), 0.0, 0.0
    found = im.components(region > INK_LEVEL, 8)
    keep = (found.area >= SPECK_MM2 * PX_PER_MM**2).astype(np.uint8)
    keep[0] = 0
    mask = keep[found.labels]
    inked = int(mask.sum())
    score = inked / float(max(1, (y1 - y0)) ** 2)
    contrast = float(np.percentile(region[mask > 0], 90)) if inked else 0.0
    return mask, min(score, 1.0), contrast


def _holes(mask: np.ndarray) -> list[np.ndarray]:
    """The enclosed background regions of a mask, as boolean arrays, largest first."""
    padded = np.pad(mask, 1)
    found = im.components(padded == 0, 4)
    outside = found.labels[0, 0]
    order = sorted(
        (label for label in range(1, found.count) if label != outside),
        key=lambda label: -found.area[label],
    )
    inner = found.labels[1:-1, 1:-1]
    return [inner == label for label in order]


def _stroke_width(mask: np.ndarray) -> float:
    area = float(mask.sum())
    boundary = float(mask.sum() - im.erode(mask, 3).sum())
    return 2 * area / max(boundary, 1.0)


def _outline(region: np.ndarray) -> np.ndarray:
    """The (x, y) pixels of a region that touch a pixel outside it (4-neighbours)."""
    p = np.pad(region, 1)
    interior = p[:-2, 1:-1] & p[2:, 1:-1] & p[1:-1, :-2] & p[1:-1, 2:]
    ys, xs = np.nonzero(region & ~interior)
    return np.stack([xs, ys], axis=1).astype(np.float64)


def _elliptical(hole: np.ndarray) -> bool:
    """The inside of the ring is an ellipse, not a square or a triangle: its outline stays
    close to the ellipse of the same area and second moments all round (hand wobble and
    pixels allowed for)."""
    ys, xs = np.nonzero(hole)
    if xs.size < 12:
        return False
    cx, cy = xs.mean(), ys.mean()
    covariance = np.cov(np.stack([xs - cx, ys - cy]))
    eigen, vectors = np.linalg.eigh(covariance)
    if eigen.min() <= 0:
        return False
    # A filled ellipse of semi-axes a, b has variances a²/4 and b²/4; the outline pixels'
    # centres lie half a pixel inside it.
    axes = 2 * np.sqrt(eigen) - 0.5
    outline = _outline(hole) - (cx, cy)
    uv = outline @ vectors
    radial = np.sqrt((uv[:, 0] / axes[0]) ** 2 + (uv[:, 1] / axes[1]) ** 2)
    # A pixel is a large share of a small ring's radius: allow it on top of the wobble.
    allowed = ELLIPSE_DEVIATION + 1.0 / (2 * float(axes.min()))
    return float(np.percentile(np.abs(radial - 1), 95)) <= allowed


def _filled(region: np.ndarray) -> np.ndarray:
    """The region with everything it encloses (the islands of ink inside a ring's hole)."""
    outside = im.components(np.pad(~region, 1, constant_values=True), 4)
    reach = outside.labels == outside.labels[0, 0]
    return ~reach[1:-1, 1:-1]


def _is_circle(mask: np.ndarray) -> bool:
    """One closed loop around a large, convex empty centre, and no ink elsewhere."""
    # A hand-drawn ○ often fails to close by a hair: bridge gaps up to about 0.5 mm.
    for size in (3, 5):
        closed = im.closing(mask, size, round_kernel=True)
        holes = _holes(closed)
        if holes:
            break
    else:
        return False
    hole = holes[0]
    hole_area = float(hole.sum())
    others = sum(float(h.sum()) for h in holes[1:])
    filled = float(closed.sum()) + hole_area + others
    if hole_area < 0.08 * filled or others > 0.08 * hole_area or hole_area < 12:
        return False
    inside = _filled(hole)
    # The hull runs through the outline pixels' centres, so a convex hole's pixel count
    # exceeds it a little: only a clearly dented hole falls below the ratio.
    hull_area = im.convex_hull_area(_outline(inside))
    if hull_area <= 0 or hole_area / hull_area < 0.8:
        return False
    # Nothing inside the ring: ⊗, ⊙ or a ○ with a mark in it is not a plain ○.
    core = im.erode(inside.astype(np.uint8), 3)
    if float((core & mask).sum()) > 0.01 * float(mask.sum()) + 2:
        return False
    if not _elliptical(inside):
        return False
    # The ink must be the ring round the hole: nothing farther out than a stroke or so.
    width = _stroke_width(mask)
    ys, xs = np.nonzero(mask)
    ink = np.stack([xs, ys], axis=1).astype(np.float64)
    edge = _outline(hole)
    reach = 1.6 * width + 2.5
    far = 0
    for chunk in range(0, len(ink), 2048):
        part = ink[chunk : chunk + 2048]
        nearest = np.sqrt(((part[:, None, :] - edge[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        far += int((nearest > reach).sum())
    if far > 0.03 * mask.sum():
        return False
    # And the ring closes all round: every direction from the hole's centre meets ink.
    hy, hx = np.nonzero(hole)
    angles = np.arctan2(ys - hy.mean(), xs - hx.mean())
    sectors = np.bincount(((angles + math.pi) / (2 * math.pi) * 24).astype(int) % 24, minlength=24)
    return bool(sectors.min() > 0)


_ANGLES = np.deg2rad(np.arange(0, 180, 3))
_NORMALS = np.stack([-np.sin(_ANGLES), np.cos(_ANGLES)])  # (2, angles)


def _best_line(points: np.ndarray, band: float) -> tuple[int, float, np.ndarray]:
    """The straight band (angle index, offset) holding most points, and those points."""
    projections = points @ _NORMALS  # (n, angles)
    lowest = projections.min(axis=0)
    bins = ((projections - lowest) / (band / 2)).astype(np.int32)
    width = int(bins.max()) + 3
    flat = bins + np.arange(_ANGLES.size) * width
    counts = np.bincount(flat.ravel(), minlength=width * _ANGLES.size).reshape(_ANGLES.size, width)
    windows = counts[:, :-2] + counts[:, 1:-1] + counts[:, 2:]
    angle, start = np.unravel_index(int(np.argmax(windows)), windows.shape)
    centre = lowest[angle] + (start + 1.5) * band / 2
    inside = np.abs(projections[:, angle] - centre) <= band * 0.75
    return int(angle), float(centre), inside


def _is_cross(mask: np.ndarray) -> bool:
    """Two straight strokes, slanted, crossing each other near both their middles."""
    closed = im.closing(mask, 3)
    holes = _holes(closed)
    inked = float(mask.sum())
    if holes and float(holes[0].sum()) > 0.04 * inked:
        return False
    ys, xs = np.nonzero(mask)
    points = np.stack([xs, ys], axis=1).astype(np.float32)
    width = _stroke_width(mask)
    extent = math.hypot(float(np.ptp(xs)), float(np.ptp(ys)))
    if width > 1.2 * PX_PER_MM or extent < 4.5 * width:
        return False
    band = width + 2.5
    first, offset1, in1 = _best_line(points, band)
    rest = points[~in1]
    if rest.shape[0] < 0.25 * points.shape[0]:
        return False
    second, offset2, in2_rest = _best_line(rest, band)
    in2 = np.zeros(points.shape[0], bool)
    in2[np.nonzero(~in1)[0][in2_rest]] = True
    projections2 = points @ _NORMALS[:, second]
    in2 |= np.abs(projections2 - offset2) <= band * 0.75
    if (in1 | in2).mean() < 0.97:
        return False
    a1, a2 = math.degrees(_ANGLES[first]), math.degrees(_ANGLES[second])
    between = abs(a1 - a2) % 180
    if min(between, 180 - between) < 45:
        return False
    for a in (a1, a2):
        if min(a % 90, 90 - a % 90) < CROSS_TILT_MIN:  # a +, even tilted a little, is not ×
            return False
    # Where the two centre lines cross, and how much of each stroke lies either side.
    n1, n2 = _NORMALS[:, first], _NORMALS[:, second]
    crossing = np.linalg.solve(np.stack([n1, n2]), np.array([offset1, offset2]))
    lengths: list[float] = []
    for normal, members in ((n1, in1), (n2, in2)):
        direction = np.array([normal[1], -normal[0]])
        along = (points[members] - crossing) @ direction
        if along.size == 0:
            return False
        before, after = -float(along.min()), float(along.max())
        if min(before, after) < 0.2 * (before + after) or before + after < 3 * width:
            return False
        # A stroke is drawn in one go: ink all along it, no gaps (a blot of dabs has gaps).
        steps = np.floor((along - along.min()) / max(width, 2.0)).astype(int)
        if np.unique(steps).size < 0.9 * (steps.max() + 1):
            return False
        lengths.append(before + after)
    return min(lengths) >= max(0.5 * max(lengths), 5 * width)


class _Paper:
    """A page's smoothed darkness in the boxes and the level above which it is more than
    paper noise. Only the boxes are smoothed: the rest of the frame is never looked at."""

    def __init__(self, darkness: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> None:
        self.darkness = darkness
        self._soft: dict[tuple[int, int, int, int], np.ndarray] = {}
        values = [self.soft(box).ravel() for box in boxes if box[2] > box[0] and box[3] > box[1]]
        self.level = 1.0
        if values:
            pixels = np.concatenate(values)
            middle = float(np.median(pixels))
            spread = 1.4826 * float(np.median(np.abs(pixels - middle)))
            self.level = middle + max(FAINT_SIGMAS * spread, FAINT_FLOOR)

    def soft(self, box: tuple[int, int, int, int]) -> np.ndarray:
        """The box's darkness smoothed (σ FAINT_SMOOTH), as if the whole frame were."""
        if box not in self._soft:
            r = 3 * math.ceil(FAINT_SMOOTH)
            h, w = self.darkness.shape
            x0, y0, x1, y1 = max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])
            a0, b0, a1, b1 = max(0, x0 - r), max(0, y0 - r), min(w, x1 + r), min(h, y1 + r)
            blurred = im.gaussian(self.darkness[b0:b1, a0:a1], FAINT_SMOOTH)
            self._soft[box] = blurred[y0 - b0 : y1 - b0, x0 - a0 : x1 - a0]
        return self._soft[box]

    def faint_score(self, box: tuple[int, int, int, int]) -> float:
        """Share of a box (as the ink score) darker than the paper's noise, specks dropped."""
        inset = round(FAINT_INSET * PX_PER_MM)
        x0, y0, x1, y1 = box[0] + inset, box[1] + inset, box[2] - inset, box[3] - inset
        if x1 <= x0 or y1 <= y0:
            return 0.0
        soft = self.soft(box)[inset:-inset, inset:-inset]
        found = im.components(soft > self.level, 8)
        speck = SPECK_MM2 * PX_PER_MM**2
        area = float(found.area[1:][found.area[1:] >= speck].sum())
        return area / float((box[3] - box[1]) ** 2)


def _paper(darkness: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> _Paper:
    """The paper's noise measured where voters mark: most of every box is bare paper, so
    the median and the median deviation of all box interiors are the paper's own."""
    return _Paper(darkness, boxes)


def _page_ink(inks: list[tuple[np.ndarray, float, float]]) -> float:
    """How dark this page's own marks are: the median core darkness of its boxes holding
    a mark-sized amount of ink (0 when fewer than two do)."""
    contrasts = [contrast for _, score, contrast in inks if score >= MARK_DEFINITE]
    return float(np.median(contrasts)) if len(contrasts) >= 2 else 0.0


def _definite(page_ink: float) -> float:
    """The core darkness a mark needs to be read without a person: the fixed
    CONTRAST_DEFINITE, or for a page marked throughout with a lighter pen (pencil) a share
    of that page's own ink level, never below PENCIL_FLOOR; a page whose marks are mostly
    fainter than PENCIL_PAGE_MIN gets no relief. A mark much paler than the
    voter's other marks (erased, or barely touching the paper) still goes to a person."""
    if page_ink < PENCIL_PAGE_MIN:
        return CONTRAST_DEFINITE
    return min(CONTRAST_DEFINITE, max(PENCIL_FLOOR, PENCIL_SHARE * page_ink))


def _read_mark(
    darkness: np.ndarray,
    rect: Rect,
    paper: _Paper | None = None,
    box: tuple[int, int, int, int] | None = None,
    ink: tuple[np.ndarray, float, float] | None = None,
    definite: float = CONTRAST_DEFINITE,
) -> BoxReading:
    box = box or _interior(darkness, rect)
    mask, score, contrast = ink or _ink(darkness, box)
    if score < MARK_MARGINAL:
        # Below the ink level is not the same as blank: pale pencil above the paper's noise
        # goes to a person.
        if paper is not None and paper.faint_score(box) >= FAINT_MARGINAL:
            return BoxReading(BoxState.UNCERTAIN, score, "?", "笔迹很淡")
        return BoxReading(BoxState.EMPTY, score)
    if contrast < definite:
        return BoxReading(BoxState.UNCERTAIN, score, "?", "笔迹很淡")
    if score < MARK_DEFINITE:
        return BoxReading(BoxState.UNCERTAIN, score, "?", "笔迹很少，可能是污点")
    # The shape is judged on the stroke cores: a pale halo would close a ○'s centre.
    x_ys, x_xs = np.nonzero(mask)
    y0, y1, x0, x1 = x_ys.min(), x_ys.max() + 1, x_xs.min(), x_xs.max() + 1
    region = darkness[box[1] : box[3], box[0] : box[2]][y0:y1, x0:x1]
    core = ((region > 0.5 * contrast) & (mask[y0:y1, x0:x1] > 0)).astype(np.uint8)
    core = np.pad(core, 2)
    if _is_circle(core):
        return BoxReading(BoxState.FOR, score, "O")
    touches = bool(mask[0].any() or mask[-1].any() or mask[:, 0].any() or mask[:, -1].any())
    if touches and _is_circle(_beyond_border(darkness, box, mask, contrast)):
        return BoxReading(BoxState.FOR, score, "O")
    if _is_cross(core):
        return BoxReading(BoxState.AGAINST, score, "X")
    return BoxReading(BoxState.UNCERTAIN, score, "?", "符号不清：既不像○也不像×")


def _line_runs(fraction: np.ndarray) -> list[tuple[int, int]]:
    """Runs [a, b) of rows (or columns) that are printed line: ink across most of them."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, full in enumerate([*(fraction >= LINE_SHARE).tolist(), False]):
        if full and start is None:
            start = index
        elif not full and start is not None:
            runs.append((start, index))
            start = None
    return runs


def _beyond_border(
    darkness: np.ndarray, box: tuple[int, int, int, int], mask: np.ndarray, contrast: float
) -> np.ndarray:
    """The stroke cores of a mark that runs past the box's interior (a ○ as tall as the row,
     touching or crossing the printed border), looked at with a margin around the box
    . The printed lines in the margin are taken out, except where the hand's
     stroke crosses them (ink on both sides of the line); only ink connected to the box's
     own mark is kept."""
    k = PX_PER_MM
    margin = round(BEYOND_MARGIN * k)
    h, w = darkness.shape
    x0, y0 = max(0, box[0] - margin), max(0, box[1] - margin)
    x1, y1 = min(w, box[2] + margin), min(h, box[3] + margin)
    region = darkness[y0:y1, x0:x1]
    ink = (region > 0.5 * contrast) & (region > INK_LEVEL)
    inner = np.zeros_like(ink)
    iy, ix = box[1] - y0, box[0] - x0
    inner[iy : iy + mask.shape[0], ix : ix + mask.shape[1]] = mask > 0
    outside = ~inner
    outside[iy : iy + mask.shape[0], ix : ix + mask.shape[1]] = False
    healed = ink.copy()
    for axis in (0, 1):
        view = healed if axis == 0 else healed.T
        source = ink if axis == 0 else ink.T
        away = outside if axis == 0 else outside.T
        for a, b in _line_runs(source.mean(axis=1)):
            if not away[a:b].any():
                continue
            above = source[a - 1] if a > 0 else np.zeros(source.shape[1], bool)
            below = source[b] if b < source.shape[0] else np.zeros(source.shape[1], bool)
            view[a:b] = (above & below)[None, :]
    found = im.components(healed, 8)
    touching = np.unique(found.labels[inner & healed])
    keep = np.zeros(found.count, bool)
    keep[touching[touching > 0]] = True
    return np.pad(keep[found.labels].astype(np.uint8), 2)


def _read_name(darkness: np.ndarray, rect: Rect, paper: _Paper | None = None) -> BoxReading:
    box = _interior(darkness, rect)
    _, score, contrast = _ink(darkness, box)
    if score < WRITE_MARGINAL:
        if paper is not None and paper.faint_score(box) >= FAINT_MARGINAL:
            return BoxReading(BoxState.UNCERTAIN, score, "?", "笔迹很淡")
        return BoxReading(BoxState.EMPTY, score)
    if contrast < CONTRAST_DEFINITE:
        return BoxReading(BoxState.UNCERTAIN, score, "?", "笔迹很淡")
    if score < WRITE_DEFINITE:
        return BoxReading(BoxState.UNCERTAIN, score, "?", "笔迹很少，不像写了姓名")
    return BoxReading(BoxState.WRITTEN, score, "W")


def _read_around_name(darkness: np.ndarray, cell: Rect, text: Rect) -> BoxReading:
    """Ink in a candidate's name cell outside the printed name (with a margin for fonts that
    print a little wider): a voter circling, striking through or marking the name."""
    x0, y0, x1, y1 = _interior(darkness, cell)
    mask, _, contrast = _ink(darkness, (x0, y0, x1, y1))
    k = PX_PER_MM
    margin = NAME_MARGIN
    tx0 = max(0, round((text.x - margin) * k) - x0)
    ty0 = max(0, round((text.y - margin) * k) - y0)
    tx1 = min(mask.shape[1], round((text.x + text.w + margin) * k) - x0)
    ty1 = min(mask.shape[0], round((text.y + text.h + margin) * k) - y0)
    mask = mask.copy()
    mask[ty0:ty1, tx0:tx1] = 0
    score = float(mask.sum()) / float(max(1, y1 - y0) ** 2)
    if score < STRAY_MARGINAL or contrast < CONTRAST_MARGINAL:
        return BoxReading(BoxState.EMPTY, score)
    return BoxReading(BoxState.UNCERTAIN, score, "?", "姓名格内有笔迹（圈、划或涂了姓名？）")


def darkness_of(frame: np.ndarray, layout: BallotLayout) -> np.ndarray:
    """The rectified frame as darkness, as the boxes are read (0 paper, 1 printed black)."""
    return _darkness(frame, layout)


def _darkness(frame: np.ndarray, layout: BallotLayout) -> np.ndarray:
    """0 for paper, 1 for the corner squares' black; median-filtered against speckle."""
    k = PX_PER_MM
    inner = [r.inset(1.0) for r in layout.fiducials]
    black = float(
        np.median(
            np.concatenate(
                [
                    frame[
                        round(r.y * k) : round((r.y + r.h) * k),
                        round(r.x * k) : round((r.x + r.w) * k),
                    ].ravel()
                    for r in inner
                ]
            )
        )
    )
    paper = float(np.percentile(frame[::4, ::4], 75))
    span = max(paper - black, 30.0)
    smooth = im.median3(frame)
    return np.clip((paper - smooth.astype(np.float32)) / span, 0.0, 1.0)


def read_sheet(
    gray: np.ndarray, layout_for: Callable[[SheetCode], BallotLayout | None]
) -> SheetReading:
    """Read one scanned page (grayscale, any dpi from 150 to 300, any quarter turn).

    ``layout_for`` gives the layout of a sheet code, or None when the code belongs to
    another election or round or its layout digest does not match.
    """
    if gray.ndim != 2 or min(gray.shape) < 100:
        return _failed("图片太小或不是灰度图，无法识别")
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    blobs, px_per_mm = _fiducial_candidates(gray)
    page = im.to_qimage(gray)  # once: the QR crops and the frame are all warped from it
    by_corners = _find_by_corners(page, blobs, px_per_mm)
    qr_corners = None
    if by_corners is not None:
        text, starts = by_corners
    else:
        anywhere = _find_qr_anywhere(gray, px_per_mm)
        if anywhere is None:
            return _failed("没有找到选票二维码（不是本程序印制的机读选票，或二维码被遮挡、污损）")
        text, qr_corners = anywhere
    code = SheetCode.parse(text)
    if code is None:
        return _failed("二维码不是本程序的选票编码", text=text)
    layout = layout_for(code)
    if layout is None:
        return _failed("这张选票不属于本次选举的本轮投票（或选票版式已变）", code, text)
    if qr_corners is not None:
        starts = _predict_from_qr(layout, text, qr_corners, blobs)
    located = _locate(gray, layout, starts)
    if isinstance(located, str):
        return _failed(located, code, text)
    homography, rotation = located
    k = PX_PER_MM
    to_image = homography @ np.diag([1 / k, 1 / k, 1.0])
    size = (round(layout.width * k), round(layout.height * k))
    frame = im.warped(page, np.linalg.inv(to_image), size, 255)
    darkness = _darkness(frame, layout)
    interiors = [_interior(darkness, rect) for rect in layout.mark_boxes]
    write_in_interiors = [_interior(darkness, mark) for _, mark in layout.write_in_boxes]
    paper = _paper(darkness, interiors + write_in_interiors)
    inks = [_ink(darkness, box) for box in interiors]
    write_in_inks = [_ink(darkness, box) for box in write_in_interiors]
    definite = _definite(_page_ink(inks + write_in_inks))
    marks = tuple(
        _read_mark(darkness, rect, paper, box, ink, definite)
        for rect, box, ink in zip(layout.mark_boxes, interiors, inks, strict=True)
    )
    names = tuple(
        _read_around_name(darkness, layout.candidate_cell(i), layout.name_text(i))
        for i in range(len(layout.candidates))
    )
    write_ins = tuple(
        (_read_name(darkness, name, paper), _read_mark(darkness, mark, paper, box, ink, definite))
        for (name, mark), box, ink in zip(
            layout.write_in_boxes, write_in_interiors, write_in_inks, strict=True
        )
    )
    return SheetReading(code, text, layout, None, marks, write_ins, rotation, names, frame, k)
