"""Marks as real hands make them: a ○ as tall as the row that touches or crosses the printed
border, and a page filled in with pencil. Each counts without a person; its near miss (a
ring left open, one mark much paler than the voter's others) still goes to one."""

from __future__ import annotations

import math

import numpy as np

from gongtui_desktop.scanning.layout import ballot_layout
from gongtui_desktop.scanning.reader import read_sheet
from gongtui_desktop.scanning.readings import BoxState
from gongtui_desktop.scanning.synthetic import (
    FRAME_LEFT,
    FRAME_TOP,
    _Pen,
    distort,
    draw_cross,
    render_sheet,
)

LAYOUT = ballot_layout(("甲", "乙", "丙", "丁", "戊", "己"), 3)
CODE = LAYOUT.code("feedbeef", 1, 1).text
DPI = 200


def ring(
    pen: _Pen, index: int, grow: float, sweep: float = 2 * math.pi + 0.3, level: int = 20
) -> None:
    """A ○ in candidate ``index``'s box, ``grow`` mm taller than the box (it crosses the
    top and bottom borders by half of that each)."""
    box = LAYOUT.mark_box(index)
    cx, cy = box.centre
    ry, rx = box.h / 2 + grow / 2, min(box.h / 2 + grow / 2, box.w / 2 - 1.0) * 1.1
    t = np.linspace(0.4, 0.4 + sweep, 140)
    pen.polyline(np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], 1), 0.45, level)


def scan(page: np.ndarray, seed: int) -> np.ndarray:
    return distort(page, np.random.default_rng(seed), DPI, jpeg=False)


def test_a_ring_as_tall_as_the_row_counts_and_an_open_one_does_not() -> None:
    page = render_sheet(LAYOUT, CODE, DPI)
    pen = _Pen(page, DPI, (FRAME_LEFT, FRAME_TOP))
    ring(pen, 0, grow=-0.2)  # touches the borders from inside
    ring(pen, 2, grow=0.3)  # runs along them
    ring(pen, 4, grow=0.1)  # over them by a hair
    reading = read_sheet(scan(page, 3), lambda _c: LAYOUT)
    assert [m.state for m in reading.marks] == [
        BoxState.FOR,
        BoxState.EMPTY,
        BoxState.FOR,
        BoxState.EMPTY,
        BoxState.FOR,
        BoxState.EMPTY,
    ], reading.marks
    near = render_sheet(LAYOUT, CODE, DPI)
    ring(_Pen(near, DPI, (FRAME_LEFT, FRAME_TOP)), 2, grow=1.0, sweep=1.5 * math.pi)
    reading = read_sheet(scan(near, 3), lambda _c: LAYOUT)
    assert reading.marks[2].state is BoxState.UNCERTAIN, reading.marks[2]  # a quarter open


PENCIL = 120  # grey of an HB pencil on white: scans at a core darkness of about 0.45


def test_a_page_marked_in_pencil_counts_like_pen_and_a_paler_mark_does_not() -> None:
    rng = np.random.default_rng(11)
    page = render_sheet(LAYOUT, CODE, DPI)
    pen = _Pen(page, DPI, (FRAME_LEFT, FRAME_TOP))
    for index in (0, 2, 4):
        ring(pen, index, grow=-3.0, level=PENCIL)
    draw_cross(pen, LAYOUT.mark_box(1), rng, level=PENCIL, stroke=0.45, low=0.6)
    whole = read_sheet(scan(page.copy(), 5), lambda _c: LAYOUT)
    assert [m.state for m in whole.marks] == [
        BoxState.FOR,
        BoxState.AGAINST,
        BoxState.FOR,
        BoxState.EMPTY,
        BoxState.FOR,
        BoxState.EMPTY,
    ], whole.marks
    assert whole.certain
    ring(pen, 5, grow=-3.0, level=175)  # near miss: far paler than the voter's other marks
    paler = read_sheet(scan(page, 5), lambda _c: LAYOUT)
    assert paler.marks[5].state is BoxState.UNCERTAIN, paler.marks[5]
    assert not paler.certain
