"""Scanning is loaded only when it is used, and nothing needs OpenCV any more."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "gongtui_desktop"

# What the main window must not pull in at start-up: the image analysis, the QR library and
# pdfium load when a person prints machine-readable ballots or imports scans. (numpy is not
# listed: openpyxl imports it whenever it is installed, through reports.documents.)
HEAVY = (
    "zxingcpp",
    "pypdfium2",
    "cv2",
    "gongtui_desktop.scanning.reader",
    "gongtui_desktop.scanning.imaging",
    "gongtui_desktop.scanning.fingerprint",
    "gongtui_desktop.scanning.qr",
    "gongtui_desktop.scanning.synthetic",
)


def test_the_main_window_imports_no_scanning_machinery() -> None:
    probe = (
        "import sys\n"
        "import gongtui_desktop.ui.main_window\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "", result.stdout


def test_no_module_imports_opencv() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(
            line.strip().startswith(("import cv2", "from cv2"))
            for line in path.read_text("utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_the_dependencies_name_no_opencv() -> None:
    text = (PACKAGE.parent / "pyproject.toml").read_text("utf-8")
    assert "opencv" not in text.split("[project.optional-dependencies]")[0].lower()
    assert '"zxing-cpp>=' in text and '"numpy>=' in text and '"pypdfium2>=' in text
