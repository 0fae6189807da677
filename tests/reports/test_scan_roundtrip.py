"""The printed ballot and the reader agree (issue #11): the Word ballot is turned into a PDF
by LibreOffice, rendered, marked by "hand", turned and blurred like a scan, and read back.

Skipped where LibreOffice is not installed (the synthetic corpus in tests/scanning covers the
reader itself everywhere)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pypdfium2
import pytest

from gongtui_desktop.reports.forms import write_ballots
from gongtui_desktop.scanning.imaging import apply, components, gaussian, homography, warped
from gongtui_desktop.scanning.layout import BallotLayout, Rect, SheetCode, ballot_layout
from gongtui_desktop.scanning.reader import BoxState, read_sheet
from gongtui_desktop.scanning.synthetic import draw_polyline_px
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.store.election_file import ElectionFile
from tests.reports.test_ballot_sheet import many_candidates

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
pytestmark = pytest.mark.skipif(OFFICE is None, reason="LibreOffice 未安装")
DPI = 200


def printed_page(docx_path: Path) -> np.ndarray:
    """The first page as LibreOffice prints it, grayscale at DPI."""
    subprocess.run(
        [
            str(OFFICE),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx_path.parent),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = pypdfium2.PdfDocument(str(docx_path.with_suffix(".pdf")))
    bitmap = pdf[0].render(scale=DPI / 72, grayscale=True)
    page = np.array(bitmap.to_numpy())
    pdf.close()
    return np.ascontiguousarray(page if page.ndim == 2 else page[:, :, 0])


def frame_transform(page: np.ndarray, layout: BallotLayout) -> np.ndarray:
    """mm in the frame → pixels on the page, from the four black corner squares found."""
    ink = (page < 128).astype(np.uint8)
    found = components(ink)
    side = 6.0 * DPI / 25.4
    squares = [
        (found.cx[i], found.cy[i])
        for i in range(1, found.count)
        if abs(found.width[i] - side) < 4
        and abs(found.height[i] - side) < 4
        and found.area[i] > 0.9 * found.width[i] * found.height[i]
    ]
    assert len(squares) == 4, f"找到 {len(squares)} 个角标"
    found = sorted(squares, key=lambda c: (round(c[1] / 50), c[0]))  # TL, TR, BL, BR
    expected = [r.centre for r in layout.fiducials]
    source = np.float32([expected[0], expected[1], expected[3], expected[2]])
    return homography(source, np.float32(found))


def to_px(transform: np.ndarray, x: float, y: float) -> tuple[int, int]:
    point = apply(transform, np.array([[x, y]]))[0]
    return round(float(point[0])), round(float(point[1]))


def draw_circle(page: np.ndarray, transform: np.ndarray, box: Rect) -> None:
    cx, cy = box.centre
    radius = box.h * 0.32
    points = [
        to_px(transform, cx + radius * 1.3 * np.cos(t), cy + radius * np.sin(t))
        for t in np.linspace(0, 2 * np.pi, 40)
    ]
    draw_polyline_px(page, points, 30, 4, closed=True)


def draw_cross(page: np.ndarray, transform: np.ndarray, box: Rect) -> None:
    cx, cy = box.centre
    d = box.h * 0.3
    for (x0, y0), (x1, y1) in (((-d, -d), (d, d)), ((-d, d), (d, -d))):
        draw_polyline_px(
            page, [to_px(transform, cx + x0, cy + y0), to_px(transform, cx + x1, cy + y1)], 30, 4
        )


def draw_name(page: np.ndarray, transform: np.ndarray, box: Rect) -> None:
    x, y = box.x + box.w * 0.3, box.y + box.h * 0.3
    for k in range(3):  # three "characters" of strokes
        left = x + k * box.h * 0.7
        for dx0, dy0, dx1, dy1 in ((0, 0, 4, 0), (2, -0.5, 2, 5), (0, 3, 4, 4), (1, 1, 3, 5)):
            draw_polyline_px(
                page,
                [to_px(transform, left + dx0, y + dy0), to_px(transform, left + dx1, y + dy1)],
                40,
                3,
            )


def scanned(page: np.ndarray, degrees: float, turn: bool) -> np.ndarray:
    height, width = page.shape
    a, b = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    matrix = np.array(  # about the centre, counter-clockwise as on screen
        [
            [a, b, (1 - a) * width / 2 - b * height / 2],
            [-b, a, b * width / 2 + (1 - a) * height / 2],
        ]
    )
    image = warped(np.ascontiguousarray(page), matrix, (width, height), fill=245)
    image = gaussian(image, 0.8)
    noise = np.random.default_rng(7).normal(0, 6, image.shape)
    image = np.clip(image.astype(np.float64) + noise, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.rot90(image, 2)) if turn else image


def read_back(image: np.ndarray, expected: SheetCode, layout: BallotLayout):  # type: ignore[no-untyped-def]
    return read_sheet(image, lambda code: layout if code == expected else None)


def test_the_demo_ballot_printed_by_libreoffice_reads_back(tmp_path: Path) -> None:
    with ElectionFile.open(write_demo(tmp_path / "d.gongtui"), read_only=True) as election:
        path = write_ballots(election, 1, 1, 1, tmp_path / "选票.docx")
        layout = ballot_layout(("刘建国", "陈晓红", "项上桢", "郭卫民"), 3)
        expected = layout.code(election.election_id, 1, 1)
    page = printed_page(path)
    blank = read_back(scanned(page, 1.5, turn=False), expected, layout)
    assert blank.problem is None and blank.code == expected
    assert [m.state for m in blank.marks] == [BoxState.EMPTY] * 4
    assert all(n.state is m.state is BoxState.EMPTY for n, m in blank.write_ins)

    transform = frame_transform(page, layout)
    draw_circle(page, transform, layout.mark_box(0))
    draw_cross(page, transform, layout.mark_box(1))
    draw_circle(page, transform, layout.mark_box(3))
    draw_name(page, transform, layout.write_in_name_box(1))
    draw_circle(page, transform, layout.write_in_mark_box(1))
    for degrees, turn in ((-2.5, False), (2.0, True)):
        reading = read_back(scanned(page, degrees, turn), expected, layout)
        assert reading.problem is None
        assert [n.state for n in reading.names] == [BoxState.EMPTY] * 4  # printed names only
        assert [m.state for m in reading.marks] == [
            BoxState.FOR,
            BoxState.AGAINST,
            BoxState.EMPTY,
            BoxState.FOR,
        ]
        states = [(n.state, m.state) for n, m in reading.write_ins]
        assert states == [
            (BoxState.EMPTY, BoxState.EMPTY),
            (BoxState.WRITTEN, BoxState.FOR),
            (BoxState.EMPTY, BoxState.EMPTY),
        ]


def test_a_name_circled_on_the_printed_ballot_is_seen(tmp_path: Path) -> None:
    with ElectionFile.open(write_demo(tmp_path / "d.gongtui"), read_only=True) as election:
        path = write_ballots(election, 1, 1, 1, tmp_path / "选票.docx")
        layout = ballot_layout(("刘建国", "陈晓红", "项上桢", "郭卫民"), 3)
        expected = layout.code(election.election_id, 1, 1)
    page = printed_page(path)
    transform = frame_transform(page, layout)
    text = layout.name_text(2)
    cx, cy = text.centre
    points = [
        to_px(transform, cx + (text.w / 2 + 2.5) * np.cos(t), cy + (text.h / 2 + 1.5) * np.sin(t))
        for t in np.linspace(0, 2 * np.pi, 60)
    ]
    draw_polyline_px(page, points, 30, 4, closed=True)  # 项上桢 circled
    start, end = layout.name_text(0), layout.name_text(0)
    draw_polyline_px(
        page,
        [
            to_px(transform, start.x - 3, start.centre[1]),
            to_px(transform, end.x + end.w + 3, end.centre[1]),
        ],
        30,
        4,
    )
    reading = read_back(scanned(page, 1.0, turn=False), expected, layout)
    assert [n.state for n in reading.names] == [
        BoxState.UNCERTAIN,
        BoxState.EMPTY,
        BoxState.UNCERTAIN,
        BoxState.EMPTY,
    ]
    assert [m.state for m in reading.marks] == [BoxState.EMPTY] * 4 and not reading.certain


def test_a_five_column_ballot_printed_by_libreoffice_reads_back(tmp_path: Path) -> None:
    election, names = many_candidates(tmp_path / "big.gongtui", 60, 12)
    with election:
        path = write_ballots(election, 1, None, 1, tmp_path / "选票.docx")
        layout = ballot_layout(names, 12)
        expected = layout.code(election.election_id, 1, 1)
    page = printed_page(path)
    transform = frame_transform(page, layout)
    truth = [BoxState.EMPTY] * 60
    for index in range(0, 60, 7):
        draw_circle(page, transform, layout.mark_box(index))
        truth[index] = BoxState.FOR
    for index in range(4, 60, 11):  # never on a box already circled
        draw_cross(page, transform, layout.mark_box(index))
        truth[index] = BoxState.AGAINST
    reading = read_back(scanned(page, -1.0, turn=True), expected, layout)
    assert reading.problem is None
    assert [m.state for m in reading.marks] == truth
