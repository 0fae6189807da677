"""The reader against synthetic scans whose truth is known (issue #11).

Seeds are fixed, so every figure here is reproducible; the assertion messages print them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pytest

from gongtui_desktop.scanning.imaging import gaussian, resized
from gongtui_desktop.scanning.layout import BallotLayout, SheetCode, ballot_layout
from gongtui_desktop.scanning.qr import qr_modules
from gongtui_desktop.scanning.reader import BoxState, SheetReading, read_sheet
from gongtui_desktop.scanning.synthetic import (
    LIGHT,
    SyntheticPage,
    make_corpus,
    make_light_corpus,
    render_sheet,
)

READ_AS = {
    BoxState.EMPTY: "",
    BoxState.FOR: "O",
    BoxState.AGAINST: "X",
    BoxState.UNCERTAIN: "?",
    BoxState.WRITTEN: "W",
}
LAYOUTS = ((7, 5, 40, 101), (20, 7, 60, 102), (60, 12, 40, 103))  # candidates, seats, pages, seed


def make_layout(candidates: int, seats: int) -> tuple[BallotLayout, SheetCode]:
    layout = ballot_layout(tuple(f"候选人{i:02d}" for i in range(candidates)), seats)
    return layout, layout.code("0123abcd-election", 4, 1)


@dataclass
class Figures:
    clear: int = 0
    right: int = 0
    uncertain: int = 0
    wrong: list[str] = field(default_factory=list)
    ambiguous: int = 0
    ambiguous_certain: list[str] = field(default_factory=list)
    names: Counter[tuple[str, str]] = field(default_factory=Counter)
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    turned: Counter[int] = field(default_factory=Counter)
    adjudicated_pages: int = 0

    def summary(self) -> str:
        rate = self.right / max(self.clear, 1)
        return (
            f"clear boxes {self.clear}, read right {self.right} ({rate:.4%}), uncertain "
            f"{self.uncertain}, certain-but-wrong {len(self.wrong)} {self.wrong[:5]}; "
            f"ambiguous {self.ambiguous}, read as certain {self.ambiguous_certain[:5]}; "
            f"write-in names (truth, read) {dict(self.names)}; pages {self.pages}, problems "
            f"{self.problems[:3]}, turned {dict(self.turned)}, pages to adjudicate "
            f"{self.adjudicated_pages}"
        )


def score(figures: Figures, page: SyntheticPage, reading: SheetReading, where: str) -> None:
    figures.pages += 1
    if reading.problem:
        figures.problems.append(f"{where}: {reading.problem}")
        return
    if reading.rotation != page.rotation:
        figures.problems.append(f"{where}: turned {reading.rotation} not {page.rotation}")
    figures.turned[reading.rotation] += 1
    figures.adjudicated_pages += not reading.certain
    boxes = list(zip(page.marks, reading.marks, strict=True))
    boxes += [(t[1], r[1]) for t, r in zip(page.write_ins, reading.write_ins, strict=True)]
    for index, (truth, box) in enumerate(boxes):
        got = READ_AS[box.state]
        if truth == "?":
            figures.ambiguous += 1
            if got != "?":
                figures.ambiguous_certain.append(f"{where} box {index}: {got!r}")
        else:
            figures.clear += 1
            if got == truth:
                figures.right += 1
            elif got == "?":
                figures.uncertain += 1
            else:
                figures.wrong.append(f"{where} box {index}: {truth!r} read {got!r}")
    for (truth, _), (name, _) in zip(page.write_ins, reading.write_ins, strict=True):
        figures.names[(truth, READ_AS[name.state])] += 1


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    results: dict[str, Figures] = {}
    for candidates, seats, pages, seed in LAYOUTS:
        layout, code = make_layout(candidates, seats)
        found = Figures()
        for number, page in enumerate(make_corpus(layout, code.text, pages, seed)):
            reading = read_sheet(page.image, lambda c, lay=layout, k=code: lay if c == k else None)
            score(found, page, reading, f"{candidates}人 page {number}")
        results[f"{candidates}/{seats}"] = found
    return results


def total(figures: dict[str, Figures]) -> Figures:
    merged = Figures()
    for found in figures.values():
        merged.clear += found.clear
        merged.right += found.right
        merged.uncertain += found.uncertain
        merged.wrong += found.wrong
        merged.ambiguous += found.ambiguous
        merged.ambiguous_certain += found.ambiguous_certain
        merged.names += found.names
        merged.pages += found.pages
        merged.problems += found.problems
        merged.turned += found.turned
        merged.adjudicated_pages += found.adjudicated_pages
    return merged


def test_clear_marks_are_read_right_without_a_person(figures: dict[str, Figures]) -> None:
    merged = total(figures)
    report = "; ".join(f"{name}: {found.summary()}" for name, found in figures.items())
    assert merged.clear >= 3000, report
    assert merged.right / merged.clear >= 0.999, report
    for found in figures.values():
        assert found.right / found.clear >= 0.995, report


def test_nothing_is_read_certain_but_wrong(figures: dict[str, Figures]) -> None:
    merged = total(figures)
    assert merged.wrong == [], merged.summary()
    assert merged.ambiguous >= 40, merged.summary()
    assert merged.ambiguous_certain == [], merged.summary()


def test_every_page_is_found_in_any_orientation(figures: dict[str, Figures]) -> None:
    merged = total(figures)
    assert merged.problems == [], merged.summary()
    assert merged.turned[180] >= 10 and merged.turned[90] + merged.turned[270] >= 3, (
        merged.summary()
    )


def test_written_names_are_never_missed(figures: dict[str, Figures]) -> None:
    names = total(figures).names
    assert names[("W", "W")] >= 30, dict(names)
    assert names[("W", "")] == 0 and names[("?", "")] == 0, dict(names)
    assert names[("", "W")] == 0 and names[("?", "W")] == 0, dict(names)


def test_ambiguous_marks_are_all_uncertain() -> None:
    layout, code = make_layout(20, 7)
    found = Figures()
    corpus = make_corpus(layout, code.text, 12, 7, ambiguous_only=True)
    for number, page in enumerate(corpus):
        score(found, page, read_sheet(page.image, lambda _c: layout), f"page {number}")
    assert found.ambiguous == 240, found.summary()
    assert found.ambiguous_certain == [] and found.problems == [], found.summary()


def test_uncertain_boxes_say_why() -> None:
    layout, code = make_layout(20, 7)
    page = make_corpus(layout, code.text, 1, 8, ambiguous_only=True)[0]
    reading = read_sheet(page.image, lambda _c: layout)
    assert not reading.certain
    details = {box.detail for box in reading.marks}
    assert details <= {"符号不清：既不像○也不像×", "笔迹很淡", "笔迹很少，可能是污点"}, details
    assert "符号不清：既不像○也不像×" in details
    assert reading.frame is not None and reading.frame.dtype == np.uint8
    x0, y0, x1, y1 = reading.box_pixels(layout.mark_box(0))
    assert 0 <= x0 < x1 <= reading.frame.shape[1] and 0 <= y0 < y1 <= reading.frame.shape[0]


def test_a_blank_printed_sheet_reads_empty_and_certain() -> None:
    layout, code = make_layout(20, 7)
    page = render_sheet(layout, code.text, 200)
    reading = read_sheet(page, lambda c: layout if c == code else None)
    assert reading.problem is None and reading.certain, reading.problem
    assert reading.code == code and reading.rotation == 0
    assert all(box.state is BoxState.EMPTY for box in reading.marks)
    assert all(name.state is BoxState.EMPTY for name, _ in reading.write_ins)


def test_a_page_of_another_round_is_a_problem() -> None:
    layout, code = make_layout(20, 7)
    page = render_sheet(layout, code.text, 200)
    asked: list[SheetCode] = []

    def another_round(found: SheetCode) -> BallotLayout | None:
        asked.append(found)
        return None

    reading = read_sheet(page, another_round)
    assert asked == [code]
    assert reading.problem and "不属于" in reading.problem
    assert reading.code == code and reading.marks == () and not reading.certain


@pytest.mark.parametrize("kind", ["blank", "photo", "qr-not-ours"])
def test_a_page_without_our_code_is_a_problem(kind: str) -> None:
    rng = np.random.default_rng(5)
    if kind == "blank":
        image = np.full((2339, 1654), 240, np.uint8)
    elif kind == "photo":
        noise = rng.integers(0, 256, (1200, 1600), dtype=np.uint8)
        image = np.clip(gaussian(noise, 6), 0, 255).astype(np.uint8)
        for _ in range(20):
            x, y = (int(v) for v in rng.integers(0, 1500, 2))
            image[y : y + 61, x : x + 61] = 0
    else:
        image = np.full((2339, 1654), 255, np.uint8)
        modules = qr_modules("https://example.org")
        qr = np.where(modules, 0, 255).astype(np.uint8)
        image[200:500, 1200:1500] = resized(qr, 300 / qr.shape[0], smooth=False)
    reading = read_sheet(image, lambda _c: pytest.fail("no layout may be asked for"))
    assert reading.problem, kind
    assert reading.layout is None and not reading.certain


# ---- light pencil --------------------------------------------------------------------

LIGHT_LAYOUTS = ((7, 5, 16, 201), (20, 7, 12, 202), (60, 12, 8, 203))


def test_light_pencil_marks_are_never_read_blank() -> None:
    """A light but plainly visible ○ or × (paler than the ink level, thinned by the scanner's
    blur) is read right or sent to a person — never counted as blank. Clear pages of the
    same corpus still count without a person, and no clear box is read wrong."""
    light = silent = clear = clear_right = light_names = 0
    errors: list[str] = []
    clear_pages = clear_certain = 0
    for candidates, seats, pages, seed in LIGHT_LAYOUTS:
        layout, code = make_layout(candidates, seats)
        for number, page in enumerate(make_light_corpus(layout, code.text, pages, seed)):
            reading = read_sheet(page.image, lambda c, lay=layout, k=code: lay if c == k else None)
            where = f"{candidates}人 light page {number}"
            assert reading.problem is None, where
            boxes = list(zip(page.marks, reading.marks, strict=True))
            boxes += [(t[1], r[1]) for t, r in zip(page.write_ins, reading.write_ins, strict=True)]
            for index, (truth, box) in enumerate(boxes):
                got = READ_AS[box.state]
                if truth in LIGHT:
                    light += 1
                    if got not in ("?", truth.upper()):
                        silent += 1
                        errors.append(f"{where} box {index}: light {truth!r} read {got!r}")
                else:
                    clear += 1
                    clear_right += got == truth
                    if got not in (truth, "?"):
                        errors.append(f"{where} box {index}: {truth!r} read {got!r}")
            for (truth, _), (name, _) in zip(page.write_ins, reading.write_ins, strict=True):
                if truth == "w":
                    light_names += 1
                    if name.state is BoxState.EMPTY:
                        errors.append(f"{where}: a light write-in name read as empty")
            if any(t in LIGHT for t in page.marks) or any(n == "w" for n, _ in page.write_ins):
                assert not reading.certain, where
            if page.kind == "clear":
                clear_pages += 1
                clear_certain += reading.certain
    report = (
        f"light boxes {light}, silently wrong {silent}; light write-in names {light_names}; "
        f"clear boxes {clear}, right {clear_right}; clear pages {clear_pages}, counted "
        f"without a person {clear_certain}; {errors[:5]}"
    )
    assert light >= 150 and light_names >= 20, report
    assert errors == [], report
    assert clear_right / clear >= 0.995, report
    assert clear_pages >= 10 and clear_certain == clear_pages, report
