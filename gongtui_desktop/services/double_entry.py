"""双人录入: what the two passes say beside the pairing itself — one operator keying this
pass, and a pass shifted by one paper against the other (a paper skipped or keyed twice)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gongtui_desktop.store.records import PaperRecord, PaperState

SHIFT_EVIDENCE = 2  # papers that must agree one place on before a shift is named


def own_pass(history: Iterable[PaperRecord], entry_pass: int) -> list[PaperRecord]:
    """The papers one pass keyed on this station that still count, by entry number."""
    return sorted(
        (
            p
            for p in history
            if p.entry_pass == entry_pass and p.state is PaperState.COUNTED and not p.box
        ),
        key=lambda p: p.entry_no,
    )


def shift_hint(history: Iterable[PaperRecord]) -> str:
    """Where the second pass (or the first) runs one paper behind the other: from the first
    disagreement on, the papers agree when one pass is read one place on. Empty when the
    disagreements are only slips."""
    rows = list(history)
    first, second = own_pass(rows, 1), own_pass(rows, 2)
    for lagging, leading, name in ((second, first, "第二遍"), (first, second, "第一遍")):
        start = _first_difference(lagging, leading)
        if start is None:
            continue
        skipped = _agree_from(lagging[start:], leading[start + 1 :])
        doubled = _agree_from(lagging[start + 1 :], leading[start:])
        entry_no = lagging[start].entry_no
        if skipped >= SHIFT_EVIDENCE and skipped > _agree_from(lagging[start:], leading[start:]):
            return (
                f"{name}从第 {entry_no} 张起与另一遍错开一张：像是漏录了一张选票"
                f"（{name}第 {entry_no} 张之后的 {skipped} 张与另一遍的下一张相同）。"
                f"请对照原票从第 {entry_no} 张查起，撤销{name}错开的选票后重录。"
            )
        if doubled >= SHIFT_EVIDENCE and doubled > _agree_from(lagging[start:], leading[start:]):
            return (
                f"{name}第 {entry_no} 张像是多录的一张：其后的 {doubled} 张与另一遍错开一张。"
                f"请对照原票从第 {entry_no} 张查起。"
            )
    return ""


def _first_difference(one: Sequence[PaperRecord], other: Sequence[PaperRecord]) -> int | None:
    for index, (a, b) in enumerate(zip(one, other, strict=False)):
        if not a.same_reading(b):
            return index
    return None


def _agree_from(one: Sequence[PaperRecord], other: Sequence[PaperRecord]) -> int:
    """How many papers agree in a row from the start."""
    count = 0
    for a, b in zip(one, other, strict=False):
        if not a.same_reading(b):
            break
        count += 1
    return count
