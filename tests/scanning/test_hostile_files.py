"""Damaged and hostile files off a USB stick: each is refused on its own, in Chinese, before
it can cost more memory than a real scanner page; a damaged page of a multi-page file is
reported by number while the other pages are read."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest

from gongtui_desktop.scanning.images import PageImage, PageProblem, ScanImageError, iter_pages
from gongtui_desktop.scanning.imaging import encode
from gongtui_desktop.scanning.layout import SheetCode
from gongtui_desktop.scanning.synthetic import pdf_from_jpegs, tiff_pages

ENGLISH = ("error", "Error", "Assertion", "password", "Incorrect")


def small() -> np.ndarray:
    return np.full((64, 48), 200, np.uint8)


def jpeg_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A tiny real JPEG whose header claims a gigantic picture (3.6 × 10⁹ pixels)."""
    data = bytearray(encode(small(), "JPG", 80))
    at = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def png_bomb(width: int = 100000, height: int = 100000) -> bytes:
    """A small PNG whose (checksummed) header claims 10¹⁰ pixels."""
    data = bytearray(encode(small(), "PNG"))
    struct.pack_into(">II", data, 16, width, height)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def bmp_bomb() -> bytes:
    """A 1 KB run-length BMP declaring 40000 × 40000 8-bit pixels."""
    width = height = 40000
    palette = b"".join(bytes((v, v, v, 0)) for v in range(256))
    pixels = b"\x00\x00" * 400 + b"\x00\x01"
    offset = 14 + 40 + len(palette)
    header = struct.pack("<2sIHHI", b"BM", offset + len(pixels), 0, 0, offset)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(pixels), 0, 0, 256, 0)
    return header + info + palette + pixels


def giant_pdf_page() -> bytes:
    """A one-page PDF whose page is 200 × 200 inches (it would render to 1.6 GB)."""
    pdf = pdf_from_jpegs([encode(small(), "JPG", 80)], dpi=0.24)
    assert b"/MediaBox [0 0 14400.00 19200.00]" in pdf
    return pdf


@pytest.mark.parametrize(
    ("name", "make"),
    [("炸弹.jpg", jpeg_bomb), ("炸弹.png", png_bomb), ("炸弹.bmp", bmp_bomb)],
)
def test_a_page_declaring_more_than_a3_at_600_dpi_is_refused_unread(name: str, make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScanImageError) as refused:
        list(iter_pages(name, make()))
    message = str(refused.value)
    assert name in message and not any(word in message for word in ENGLISH), message


def test_a_giant_pdf_page_is_reported_and_not_rendered() -> None:
    pages = list(iter_pages("大页.pdf", giant_pdf_page()))
    assert len(pages) == 1 and isinstance(pages[0], PageProblem)
    assert "大页.pdf" in pages[0].problem and "第 1 页" in pages[0].problem
    assert "A3" in pages[0].problem


def test_a_damaged_tiff_page_is_named_and_the_other_pages_are_read() -> None:
    sheet = np.full((300, 200), 230, np.uint8)
    pages = list(iter_pages("批量.tiff", tiff_pages([sheet, sheet, sheet], damaged=[2])))
    assert [type(p) for p in pages] == [PageImage, PageProblem, PageImage]
    assert [p.page for p in pages] == [1, 2, 3]
    assert "批量.tiff" in pages[1].problem and "第 2 页" in pages[1].problem  # type: ignore[union-attr]


def test_an_encrypted_looking_or_broken_pdf_speaks_chinese_only() -> None:
    with pytest.raises(ScanImageError) as refused:
        list(iter_pages("坏.pdf", b"%PDF-1.7\n1 0 obj << /Encrypt 2 0 R >> endobj\n%%EOF"))
    assert not any(word in str(refused.value) for word in ENGLISH), str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "GT1-FEEDBEEF-+1-2-0123ABCD",
        "GT1-FEEDBEEF-01-2-0123ABCD",
        "GT1-FEEDBEEF-0_1-2-0123ABCD",
        "GT1-FEEDBEEF-١-2-0123ABCD",  # Arabic-Indic digit one
        "GT1-FEEDBEEF-1-٢-0123ABCD",
        "GT01-FEEDBEEF-1-2-0123ABCD",
    ],
)
def test_the_qr_payload_is_parsed_strictly(text: str) -> None:
    assert SheetCode.parse(text) is None
    assert SheetCode.parse("GT1-FEEDBEEF-1-2-0123ABCD") == SheetCode("FEEDBEEF", 1, 2, "0123ABCD")


_CHILD = r"""
import json, resource, sys
from pathlib import Path
from gongtui_desktop.scanning.images import iter_pages, PageProblem, ScanImageError
outcome = {}
for path in sorted(Path(sys.argv[1]).iterdir()):
    try:
        kinds = ["problem" if isinstance(p, PageProblem) else "page"
                 for p in iter_pages(path.name, path.read_bytes())]
        outcome[path.name] = kinds
    except ScanImageError as error:
        outcome[path.name] = str(error)
# VmHWM is this program's own peak; ru_maxrss on Linux keeps the forking parent's size.
status = Path("/proc/self/status")
if status.exists():
    line = next(l for l in status.read_text().splitlines() if l.startswith("VmHWM:"))
    outcome["peak_mb"] = int(line.split()[1]) / 1024
else:
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(outcome, ensure_ascii=False))
"""


def test_a_folder_of_bombs_stays_small_in_memory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "1.jpg").write_bytes(jpeg_bomb())
    (tmp_path / "2.png").write_bytes(png_bomb())
    (tmp_path / "3.bmp").write_bytes(bmp_bomb())
    (tmp_path / "4.pdf").write_bytes(giant_pdf_page())
    (tmp_path / "5.png").write_bytes(encode(np.full((2339, 1654), 240, np.uint8), "PNG"))
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    outcome = json.loads(result.stdout)
    assert all(isinstance(outcome[name], str) for name in ("1.jpg", "2.png", "3.bmp")), outcome
    assert outcome["4.pdf"] == ["problem"] and outcome["5.png"] == ["page"], outcome
    assert outcome["peak_mb"] < 300, outcome
