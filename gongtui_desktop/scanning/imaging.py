"""The few image operations the reader needs, on numpy arrays and Qt's QImage.

Everything here is what the stack already carries: Qt decodes, encodes, scales and warps
images (in C++, fast, and thread-safe on QImage); numpy does the binary morphology, the
connected components and the small filters on mark boxes. No image library of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform

# --- numpy ↔ QImage ----------------------------------------------------------------------


def to_qimage(gray: np.ndarray) -> QImage:
    """A QImage copy of a 2-D uint8 array (the copy owns its pixels)."""
    data = np.ascontiguousarray(gray, dtype=np.uint8)
    h, w = data.shape
    return QImage(data.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def from_qimage(image: QImage) -> np.ndarray:
    """A QImage as a 2-D uint8 grey array (a copy)."""
    if image.format() != QImage.Format.Format_Grayscale8:
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    h, w, line = image.height(), image.width(), image.bytesPerLine()
    flat = np.frombuffer(image.constBits(), np.uint8, count=h * line)
    return flat.reshape(h, line)[:, :w].copy()


def encode(gray: np.ndarray, fmt: str, quality: int = -1) -> bytes:
    """``gray`` as PNG ("PNG"), JPEG ("JPG", ``quality`` 0–100) or BMP bytes."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = to_qimage(gray).save(buffer, fmt, quality)
    buffer.close()
    if not ok:
        raise ValueError(f"image not encodable as {fmt}")
    return bytes(array.data())


def decode(data: bytes) -> np.ndarray | None:
    """The grey pixels of image bytes (any format Qt reads), or None."""
    image = QImage.fromData(data)
    return None if image.isNull() else from_qimage(image)


def resized(gray: np.ndarray, factor: float, smooth: bool = True) -> np.ndarray:
    """``gray`` scaled by ``factor``: area-averaged when shrinking (Qt's smooth scaling),
    nearest-neighbour when ``smooth`` is False."""
    h, w = gray.shape
    size_w, size_h = max(1, round(w * factor)), max(1, round(h * factor))
    mode = (
        Qt.TransformationMode.SmoothTransformation
        if smooth
        else Qt.TransformationMode.FastTransformation
    )
    scaled = to_qimage(gray).scaled(size_w, size_h, Qt.AspectRatioMode.IgnoreAspectRatio, mode)
    return from_qimage(scaled)


def _qtransform(matrix: np.ndarray) -> QTransform:
    # numpy maps column vectors (x' = M·[x y 1]); QTransform maps row vectors.
    m = np.asarray(matrix, np.float64)
    if m.shape == (2, 3):
        m = np.vstack([m, [0.0, 0.0, 1.0]])
    return QTransform(
        m[0, 0], m[1, 0], m[2, 0], m[0, 1], m[1, 1], m[2, 1], m[0, 2], m[1, 2], m[2, 2]
    )


def warped(
    gray: np.ndarray | QImage, to_target: np.ndarray, size: tuple[int, int], fill: int = 255
) -> np.ndarray:
    """``gray`` (an array, or a QImage made once for many warps of one page) drawn into a (width, height) image through ``to_target`` (3×3 homography or
    2×3 affine, source px → target px), bilinear; outside the source is ``fill``."""
    target = QImage(size[0], size[1], QImage.Format.Format_Grayscale8)
    target.fill(int(fill) * 0x010101 | 0xFF000000)
    painter = QPainter(target)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setTransform(_qtransform(to_target))
    painter.drawImage(QPointF(0, 0), gray if isinstance(gray, QImage) else to_qimage(gray))
    painter.end()
    return from_qimage(target)


def homography(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 3×3 perspective transform taking four source points onto four target points."""
    rows, values = [], []
    for (x, y), (u, v) in zip(np.asarray(source, float), np.asarray(target, float), strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    h = np.linalg.solve(np.array(rows), np.array(values))
    return np.append(h, 1.0).reshape(3, 3)


def similarity(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 2×3 rotation + uniform scale + shift best taking ``source`` onto ``target``."""
    src, dst = np.asarray(source, float), np.asarray(target, float)
    rows = []
    for x, y in src:
        rows += [[x, -y, 1, 0], [y, x, 0, 1]]
    (a, b, tx, ty), *_ = np.linalg.lstsq(np.array(rows), dst.reshape(-1), rcond=None)
    return np.array([[a, -b, tx], [b, a, ty]])


def apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Points (n, 2) through a 2×3 or 3×3 transform."""
    p = np.asarray(points, float)
    full = np.hstack([p, np.ones((len(p), 1))]) @ np.asarray(matrix, float).T
    return full[:, :2] / full[:, 2:3] if full.shape[1] == 3 else full


# --- filters -------------------------------------------------------------------------------


def otsu(gray: np.ndarray) -> int:
    """Otsu's threshold of a uint8 image: the level best splitting ink from paper."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * weight / total - mean) ** 2 / (weight * (total - weight))
    return int(np.nanargmax(np.where(np.isfinite(between), between, -1)))


def gaussian(image: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur (float32), edges mirrored."""
    radius = max(1, math.ceil(3 * sigma))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps = (taps / taps.sum()).astype(np.float32)
    out = np.asarray(image, np.float32)
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (radius, radius)
        padded = np.pad(out, pad, mode="reflect")
        n = out.shape[axis]
        acc = np.zeros_like(out)
        for i, tap in enumerate(taps):
            acc += tap * (padded[i : i + n] if axis == 0 else padded[:, i : i + n])
        out = acc
    return out


def median3(gray: np.ndarray) -> np.ndarray:
    """A 3×3 median approximated as the median of 3 along rows, then along columns: removes
    single-pixel speckle like the true median, at a fraction of its cost."""

    def med(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
        return np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))

    p = np.pad(gray, 1, mode="edge")
    rows = med(p[:, :-2], p[:, 1:-1], p[:, 2:])
    return med(rows[:-2], rows[1:-1], rows[2:])


# --- binary morphology ----------------------------------------------------------------------


def _box_count(mask: np.ndarray, height: int, width: int) -> np.ndarray:
    """Number of set pixels in the height × width window centred on each pixel (zeros
    outside the image)."""
    m = mask.astype(np.int32)
    top, left = height // 2, width // 2
    p = np.pad(m, ((top + 1, height - top - 1), (left + 1, width - left - 1)))
    s = p.cumsum(0).cumsum(1)
    return s[height:, width:] - s[:-height, width:] - s[height:, :-width] + s[:-height, :-width]


def erode(mask: np.ndarray, height: int, width: int | None = None) -> np.ndarray:
    """Binary erosion by a rectangle; outside the image counts as set (ink at the edge of
    a crop is not worn away by the crop)."""
    width = height if width is None else width
    p = np.pad(mask.astype(np.uint8), ((height, height), (width, width)), constant_values=1)
    inside = _box_count(p, height, width) == height * width
    return inside[height:-height, width:-width].astype(np.uint8)


def dilate(mask: np.ndarray, height: int, width: int | None = None) -> np.ndarray:
    width = height if width is None else width
    return (_box_count(mask, height, width) > 0).astype(np.uint8)


def opening(mask: np.ndarray, size: int) -> np.ndarray:
    return dilate(erode(mask, size), size)


# The round structuring elements of 3 and 5 px (a plus, and a disc with flattened sides).
_ROUND = {
    3: ((-1, 0), (0, -1), (0, 0), (0, 1), (1, 0)),
    5: tuple((dy, dx) for dy in range(-2, 3) for dx in range(-2, 3) if abs(dy) < 2 or dx == 0),
}


def _shifted(mask: np.ndarray, dy: int, dx: int, outside: bool) -> np.ndarray:
    h, w = mask.shape
    out = np.full_like(mask, outside)
    out[max(0, dy) : h + min(0, dy), max(0, dx) : w + min(0, dx)] = mask[
        max(0, -dy) : h + min(0, -dy), max(0, -dx) : w + min(0, -dx)
    ]
    return out


def closing(mask: np.ndarray, size: int, round_kernel: bool = False) -> np.ndarray:
    """Binary closing by a square, or by a round element of 3 or 5 px (``round_kernel``)."""
    if not round_kernel:
        return erode(dilate(mask, size), size)
    m = mask.astype(bool)
    grown = np.zeros_like(m)
    for dy, dx in _ROUND[size]:
        grown |= _shifted(m, dy, dx, False)
    shrunk = np.ones_like(m)
    for dy, dx in _ROUND[size]:
        shrunk &= _shifted(grown, -dy, -dx, True)
    return shrunk.astype(np.uint8)


# --- connected components -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Components:
    """Labelled connected regions: ``labels`` 0 for background, 1..count for regions;
    per region (index 0 = background, unused) its area, bounding box and centroid."""

    count: int  # regions + 1, as the label range
    labels: np.ndarray
    area: np.ndarray
    left: np.ndarray
    top: np.ndarray
    width: np.ndarray
    height: np.ndarray
    cx: np.ndarray
    cy: np.ndarray


def components(mask: np.ndarray, connectivity: int = 8) -> Components:
    """The connected regions of the set pixels of ``mask`` (4- or 8-connected).

    Works on row runs: runs in neighbouring rows that touch are joined (vectorised union
    by minimum label with pointer jumping), so the cost follows the number of runs.
    """
    m = np.asarray(mask).astype(bool)
    h, w = m.shape
    stride = w + 2
    edges = np.diff(np.pad(m, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    row, start = np.nonzero(edges == 1)
    _, end = np.nonzero(edges == -1)
    n = row.size
    if n == 0:
        zero = np.zeros(1)
        return Components(1, np.zeros((h, w), np.int32), *(zero,) * 7)
    k = 1 if connectivity == 8 else 0
    start_key = row * stride + start
    end_key = row * stride + end
    lo = np.searchsorted(end_key, (row + 1) * stride + start - k, side="right")
    hi = np.searchsorted(start_key, (row + 1) * stride + end + k, side="left")
    counts = np.maximum(hi - lo, 0)
    a = np.repeat(np.arange(n), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    b = np.repeat(lo, counts) + offsets
    parent = np.arange(n)
    while a.size:
        low = np.minimum(parent[a], parent[b])
        before = parent.copy()
        np.minimum.at(parent, parent[a], low)
        np.minimum.at(parent, parent[b], low)
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
        if np.array_equal(parent, before) and np.array_equal(parent[a], parent[b]):
            break
    roots, run_label = np.unique(parent, return_inverse=True)
    run_label = run_label + 1
    count = roots.size + 1
    flat = np.zeros(h * stride + 1, np.int64)
    np.add.at(flat, start_key, run_label)
    np.add.at(flat, end_key, -run_label)
    labels = np.cumsum(flat)[: h * stride].reshape(h, stride)[:, :w].astype(np.int32)
    length = (end - start).astype(np.float64)
    area = np.bincount(run_label, weights=length, minlength=count)
    sx = np.bincount(run_label, weights=(start + end - 1) * length / 2, minlength=count)
    sy = np.bincount(run_label, weights=row * length, minlength=count)
    left = np.full(count, w)
    right = np.zeros(count, np.int64)
    top = np.full(count, h)
    bottom = np.zeros(count, np.int64)
    np.minimum.at(left, run_label, start)
    np.maximum.at(right, run_label, end)
    np.minimum.at(top, run_label, row)
    np.maximum.at(bottom, run_label, row + 1)
    safe = np.maximum(area, 1)
    return Components(
        count, labels, area, left, top, right - left, bottom - top, sx / safe, sy / safe
    )


def convex_hull_area(points: np.ndarray) -> float:
    """Area of the convex hull of (n, 2) points (monotone chain)."""
    pts = sorted(set(map(tuple, np.asarray(points, float).tolist())))
    if len(pts) < 3:
        return 0.0

    def cross(o, a, b) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = np.array(lower[:-1] + upper[:-1])
    x, y = hull[:, 0], hull[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)
