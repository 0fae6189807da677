"""Hand marks at low resolution: one sheet scanned twice matches, two voters do not."""

from __future__ import annotations

from gongtui_desktop.scanning.fingerprint import fingerprint, same_sheet, similarity
from gongtui_desktop.scanning.layout import ballot_layout
from gongtui_desktop.scanning.reader import read_sheet
from gongtui_desktop.scanning.synthetic import marked_page, render_sheet

LAYOUT = ballot_layout(("甲", "乙", "丙", "丁"), 3)
CODE = LAYOUT.code("feedbeef", 1, 1).text
NO_WRITE_INS = (("", ""),) * 3


def marks_of(image):  # type: ignore[no-untyped-def]
    return fingerprint(read_sheet(image, lambda _c: LAYOUT))


def test_a_sheet_scanned_again_matches_and_other_voters_do_not() -> None:
    marks = ["O", "X", "", "O"]
    first = marks_of(marked_page(LAYOUT, CODE, marks, NO_WRITE_INS, seed=5))
    again = marks_of(
        marked_page(LAYOUT, CODE, marks, NO_WRITE_INS, seed=5, scan_seed=50, quarter_turns=2)
    )
    assert first is not None and set(first) == {"m0", "m1", "m3"}
    assert same_sheet(first, again), similarity(first, again)  # type: ignore[arg-type]
    for seed in range(6, 12):  # other voters, the same candidates marked alike
        other = marks_of(marked_page(LAYOUT, CODE, marks, NO_WRITE_INS, seed=seed))
        assert not same_sheet(first, other), (seed, similarity(first, other))  # type: ignore[arg-type]


def test_a_blank_paper_has_no_marks_to_compare() -> None:
    assert marks_of(render_sheet(LAYOUT, CODE, 200)) is None
    assert not same_sheet(None, None)
