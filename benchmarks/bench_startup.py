"""Start-up cost: seconds to import the main window in a fresh interpreter (median of runs).

Target (this 2-core machine, warm disk): ≤ 0.5 s. Scanning (numpy, the QR library, pdfium)
must not be part of it: those load when a person prints machine-readable ballots or imports
scans. Also lists which of those heavy modules the import pulled in (none expected).
"""

from __future__ import annotations

import statistics
import subprocess
import sys

RUNS = 7
TARGET = 0.5
HEAVY = ("numpy", "cv2", "zxingcpp", "pypdfium2", "gongtui_desktop.scanning.reader")

_PROBE = (
    "import sys, time\n"
    "start = time.perf_counter()\n"
    "import gongtui_desktop.ui.main_window\n"
    "elapsed = time.perf_counter() - start\n"
    f"print(elapsed, ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
)


def import_seconds() -> tuple[float, str]:
    """Median import time of the main window over RUNS fresh interpreters, heavy modules."""
    times: list[float] = []
    loaded = ""
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(out[0]))
        loaded = out[1] if len(out) > 1 else ""
    return statistics.median(times), loaded


def main() -> list[tuple[str, float, float, str]]:
    seconds, loaded = import_seconds()
    label = "import the main window" + (f" (loads {loaded})" if loaded else "")
    return [(label, seconds, TARGET, "s")]


if __name__ == "__main__":
    for label, value, target, unit in main():
        print(f"{label:<52} {value:9.3f} {unit}   target ≤ {target:g} {unit}")
