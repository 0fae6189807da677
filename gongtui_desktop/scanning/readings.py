"""What the reader says about a page: plain data, importable without numpy or Qt.

The services layer and the review dialog work with these; only reading an image needs
``scanning.reader`` and its numerical stack, which loads when scans are imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from gongtui_desktop.scanning.layout import BallotLayout, Rect, SheetCode

if TYPE_CHECKING:
    import numpy as np

PX_PER_MM = 8.0  # the rectified frame: fine enough for 0.3 mm strokes, cheap to read


class BoxState(Enum):
    EMPTY = "empty"
    FOR = "for"  # ○
    AGAINST = "against"  # ×
    WRITTEN = "written"  # a write-in name cell holds writing
    UNCERTAIN = "uncertain"


@dataclass(frozen=True, slots=True)
class BoxReading:
    """What one box says. ``score`` is the ink score; ``shape`` "O", "X", "?" or "";
    ``detail`` a short Chinese reason when the state is UNCERTAIN."""

    state: BoxState
    score: float
    shape: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SheetReading:
    """Everything read from one page. ``problem`` (Chinese) says why a page could not be
    read at all; then ``marks`` and ``write_ins`` are empty."""

    code: SheetCode | None
    code_text: str | None
    layout: BallotLayout | None
    problem: str | None
    marks: tuple[BoxReading, ...] = ()
    write_ins: tuple[tuple[BoxReading, BoxReading], ...] = ()
    rotation: int = 0  # degrees clockwise the page lay turned on the scanner
    # Per candidate: ink in the printed name's cell beyond the name itself (a name circled,
    # struck through or marked) — EMPTY, or UNCERTAIN for a person to look at.
    names: tuple[BoxReading, ...] = ()
    frame: np.ndarray | None = None  # the rectified frame, grayscale
    px_per_mm: float = PX_PER_MM

    def box_pixels(self, rect: Rect) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1) of a frame rectangle in ``frame``, clipped to it."""
        k = self.px_per_mm
        x0, y0 = round(rect.x * k), round(rect.y * k)
        x1, y1 = round((rect.x + rect.w) * k), round((rect.y + rect.h) * k)
        if self.frame is not None:
            h, w = self.frame.shape[:2]
            x0, x1 = max(0, min(x0, w)), max(0, min(x1, w))
            y0, y1 = max(0, min(y0, h)), max(0, min(y1, h))
        return x0, y0, x1, y1

    @property
    def certain(self) -> bool:
        """Read without a person: no problem, no uncertain box, no written-in name."""
        if self.problem is not None:
            return False
        boxes = [*self.marks, *self.names, *(box for pair in self.write_ins for box in pair)]
        if any(box.state is BoxState.UNCERTAIN for box in boxes):
            return False
        return not any(name.state is BoxState.WRITTEN for name, _ in self.write_ins)


def failed(problem: str, code: SheetCode | None = None, text: str | None = None) -> SheetReading:
    return SheetReading(code, text, None, problem)
