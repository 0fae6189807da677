"""Scanned-ballot reading speed (issue #11): seconds per page, a 20-candidate sheet.

Target (this 2-core machine): ≤ 0.5 s per page (at least 2 pages a second) at 200 and
300 dpi. The synthetic scans are made first; only ``read_sheet`` is timed. A third figure
times the whole import as the operator runs it: 200 dpi JPEG files from a folder, read,
stored with their image in a real election file (one fsync'd transaction per page).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from gongtui_desktop.scanning.imaging import encode
from gongtui_desktop.scanning.layout import ballot_layout
from gongtui_desktop.scanning.reader import read_sheet
from gongtui_desktop.scanning.synthetic import make_corpus
from gongtui_desktop.services.demo import write_demo
from gongtui_desktop.services.scanning import ScanCounting, scan_files
from gongtui_desktop.services.station import CountingStation
from gongtui_desktop.store.election_file import ElectionFile

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
    rows.append(("import one scanned file (read, keep image, count)", whole_import(), TARGET, "s"))
    return rows


def whole_import() -> float:
    """Seconds per page of ScanCounting.import_files on the demo's 4-candidate round."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with ElectionFile.open(write_demo(root / "demo.gongtui")) as election:
            station = CountingStation(election, "基准")
            station.select_round(election.rounds(election.contests()[0].id)[0].id)
            counting = ScanCounting(station)
            layout, code = counting.layout(), counting.expected_code().text
            scans = root / "scans"
            scans.mkdir()
            for number, page in enumerate(make_corpus(layout, code, PAGES, 7, dpis=(200,))):
                (scans / f"{number + 1}.jpg").write_bytes(encode(page.image, "JPG", 90))
            files = scan_files(scans)
            start = time.perf_counter()
            summary = counting.import_files(files)
            elapsed = (time.perf_counter() - start) / PAGES
            assert summary.counted + summary.pending == PAGES
    return elapsed


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<52} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
