"""A scanned page's hand marks at low resolution, to notice one sheet scanned twice.

Two scans of the same sheet are never the same bytes (position, light, noise, JPEG), but once
rectified their ink in the mark boxes and write-in cells lies in the same place, stroke for
stroke. Two voters who marked the same candidates draw their ○ and × at other sizes, places
and slants. The fingerprint keeps, for every box holding ink, its darkness at 2 px/mm; two
pages are "the same sheet" when those maps agree almost pixel for pixel. A blank paper has
no hand marks and no fingerprint: two blank papers cannot be told apart, and are not flagged.
"""

from __future__ import annotations

import functools

import numpy as np

from gongtui_desktop.scanning import imaging as im
from gongtui_desktop.scanning.layout import BallotLayout, Rect
from gongtui_desktop.scanning.reader import PX_PER_MM, SheetReading, darkness_of

FINGERPRINT_PX_PER_MM = 2.0
BOX_INSET = 0.6  # mm: the printed borders are the same on every copy and say nothing
INKED = 0.25  # a box holds hand ink when its darkest low-resolution pixel reaches this
SAME_SHEET = 0.85  # correlation of the ink maps at or above which two pages are one sheet
MIN_INKED_PIXELS = 12
BLUR = 0.7  # fewer dark pixels than this in all: too little to tell sheets apart


def _boxes(layout: BallotLayout) -> list[tuple[str, Rect]]:
    boxes = [(f"m{i}", rect) for i, rect in enumerate(layout.mark_boxes)]
    for slot, (name, mark) in enumerate(layout.write_in_boxes):
        boxes += [(f"n{slot}", name), (f"w{slot}", mark)]
    return boxes


def _shrunk(region: np.ndarray, step: int) -> np.ndarray:
    """Mean of each ``step`` × ``step`` block (the edge rows and columns that do not fill a
    block are repeated to fill it)."""
    h, w = region.shape
    rows, cols = max(1, round(h / step)), max(1, round(w / step))
    padded = np.pad(region, ((0, max(0, rows * step - h)), (0, max(0, cols * step - w))), "edge")
    block = padded[: rows * step, : cols * step].reshape(rows, step, cols, step)
    return block.mean(axis=(1, 3), dtype=np.float32)


def fingerprint(reading: SheetReading) -> dict[str, list[object]] | None:
    """Box key → [height, width, hex darkness 0–f per pixel] for each box holding ink, or
    None when the page was not read or holds no hand ink."""
    if reading.frame is None or reading.layout is None:
        return None
    darkness = darkness_of(reading.frame, reading.layout)
    factor = FINGERPRINT_PX_PER_MM / PX_PER_MM
    found: dict[str, list[object]] = {}
    inked_pixels = 0
    for key, rect in _boxes(reading.layout):
        inner = rect.inset(BOX_INSET)
        x0, y0 = round(inner.x * PX_PER_MM), round(inner.y * PX_PER_MM)
        x1, y1 = round((inner.x + inner.w) * PX_PER_MM), round((inner.y + inner.h) * PX_PER_MM)
        region = darkness[y0:y1, x0:x1]
        if region.size == 0:
            continue
        small = _shrunk(region, round(1 / factor))
        if float(small.max()) < INKED:
            continue
        inked_pixels += int((small >= INKED).sum())
        levels = np.clip(np.rint(small * 15), 0, 15).astype(np.uint8)
        found[key] = [int(levels.shape[0]), int(levels.shape[1]), levels.tobytes().hex()[1::2]]
    if inked_pixels < MIN_INKED_PIXELS:
        return None
    return found


def _array(entry: list[object]) -> np.ndarray:
    height, width, text = entry
    return _parsed(int(height), int(width), str(text))  # type: ignore[call-overload]


@functools.lru_cache(maxsize=8192)  # an import compares each earlier page again and again
def _parsed(height: int, width: int, text: str) -> np.ndarray:
    values = np.frombuffer(bytes.fromhex("".join("0" + c for c in text)), np.uint8)
    grid = values.reshape(height, width).astype(np.float32)
    # Half a low-resolution pixel of blur: the rectification of two scans differs by that.
    return im.gaussian(grid, BLUR)


def similarity(first: dict[str, list[object]], second: dict[str, list[object]]) -> float:
    """Correlation of two fingerprints' ink maps over every box either one has ink in (a
    box inked on one page only counts as blank on the other): 1.0 for one sheet."""
    a: list[np.ndarray] = []
    b: list[np.ndarray] = []
    for key in sorted(set(first) | set(second)):
        left = _array(first[key]) if key in first else None
        right = _array(second[key]) if key in second else None
        shape = (left if left is not None else right).shape  # type: ignore[union-attr]
        if left is not None and right is not None and left.shape != right.shape:
            return 0.0  # another layout: not the same sheet
        a.append((left if left is not None else np.zeros(shape, np.float32)).ravel())
        b.append((right if right is not None else np.zeros(shape, np.float32)).ravel())
    if not a:
        return 0.0
    x, y = np.concatenate(a), np.concatenate(b)
    if float(x.std()) == 0.0 or float(y.std()) == 0.0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def same_sheet(
    first: dict[str, list[object]] | None, second: dict[str, list[object]] | None
) -> bool:
    return first is not None and second is not None and similarity(first, second) >= SAME_SHEET
