"""Scanned-ballot reading speed (issue #11): seconds per page, a 20-candidate sheet.

Target (this 2-core machine): ≤ 0.5 s per page (at least 2 pages a second) at 200 and
300 dpi. The synthetic scans are made first; only ``read_sheet`` is timed.
"""

from __future__ import annotations

import time

from gongtui_desktop.scanning.layout import ballot_layout
from gongtui_desktop.scanning.reader import read_sheet
from gongtui_desktop.scanning.synthetic import make_corpus

PAGES = 40
TARGET = 0.5


def main() -> list[tuple[str, float, float, str]]:
    """Each figure as (label, measured, target, unit)."""
    layout = ballot_layout(tuple(f"候选人{i:02d}" for i in range(20)), 7)
    code = layout.code("benchmark", 1, 1)
    rows = []
    for dpi in (200, 300):
        corpus = make_corpus(layout, code.text, PAGES, seed=dpi, dpis=(dpi,))
        start = time.perf_counter()
        unread = sum(
            read_sheet(page.image, lambda _c: layout).problem is not None for page in corpus
        )
        elapsed = (time.perf_counter() - start) / PAGES
        assert unread == 0, f"{unread} pages not read"
        rows.append((f"read one {dpi} dpi page (20 candidates)", elapsed, TARGET, "s"))
    return rows


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<52} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
