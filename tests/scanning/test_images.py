"""Loading scanned files: every format the scanners write, and clear errors (issue #11)."""

from __future__ import annotations

import numpy as np
import pytest

from gongtui_desktop.scanning.images import IMAGE_SUFFIXES, ScanImageError, load_pages
from gongtui_desktop.scanning.imaging import encode
from gongtui_desktop.scanning.layout import ballot_layout
from gongtui_desktop.scanning.reader import read_sheet
from gongtui_desktop.scanning.synthetic import pdf_from_jpegs, render_sheet, tiff_pages


@pytest.fixture(scope="module")
def sheet() -> tuple[np.ndarray, object]:
    layout = ballot_layout(("甲", "乙", "丙"), 2)
    code = layout.code("feedbeef", 1, 2)
    return render_sheet(layout, code.text, 150), layout


def encoded(image: np.ndarray, suffix: str) -> bytes:
    return encode(image, {".png": "PNG", ".jpg": "JPG", ".bmp": "BMP", ".tif": "TIFF"}[suffix])


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [(".png", "image/png"), (".jpg", "image/jpeg"), (".bmp", "image/bmp"), (".tif", "image/tiff")],
)
def test_a_single_image_keeps_its_original_bytes(sheet, suffix: str, media_type: str) -> None:
    image, layout = sheet
    data = encoded(image, suffix)
    pages = load_pages(f"scan{suffix}", data)
    assert len(pages) == 1
    page = pages[0]
    assert (page.source, page.page, page.media_type) == (f"scan{suffix}", 1, media_type)
    assert page.stored == data
    assert page.gray.dtype == np.uint8 and page.gray.shape == image.shape
    assert read_sheet(page.gray, lambda _c: layout).problem is None


def test_a_colour_image_is_made_grey(sheet) -> None:
    image, _ = sheet
    from PySide6.QtGui import QImage

    colour = np.ascontiguousarray(np.stack([image] * 3, axis=2))
    h, w = image.shape
    picture = QImage(colour.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert picture.save(buffer, "PNG")
    buffer.close()
    assert picture.format() == QImage.Format.Format_RGB888
    pages = load_pages("colour.png", bytes(array.data()))
    assert pages[0].gray.ndim == 2


def test_a_two_page_pdf_gives_two_jpeg_pages_at_200_dpi(sheet) -> None:
    image, layout = sheet
    jpeg = encoded(image, ".jpg")
    pages = load_pages("扫描.pdf", pdf_from_jpegs([jpeg, jpeg], dpi=150))
    assert [page.page for page in pages] == [1, 2]
    for page in pages:
        assert page.media_type == "image/jpeg" and page.stored.startswith(b"\xff\xd8")
        # 200 dpi A4: about 1654 × 2339 px
        assert abs(page.gray.shape[1] - 1654) <= 3 and abs(page.gray.shape[0] - 2339) <= 3
        assert page.gray.ndim == 2 and page.gray.dtype == np.uint8
        assert read_sheet(page.gray, lambda _c: layout).problem is None


def test_a_multi_page_tiff_gives_every_page(sheet) -> None:
    image, layout = sheet
    pages = load_pages("batch.tiff", tiff_pages([image, 255 - image, image]))
    assert [page.page for page in pages] == [1, 2, 3]
    assert all(page.media_type == "image/jpeg" for page in pages)
    assert int(pages[1].gray.mean()) < int(pages[0].gray.mean())
    assert read_sheet(pages[2].gray, lambda _c: layout).problem is None


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"%PDF-1.4 broken"],
)
def test_undecodable_bytes_name_the_file(data: bytes) -> None:
    with pytest.raises(ScanImageError, match=r"坏掉的文件\.png"):
        load_pages("坏掉的文件.png", data)


def test_the_folder_import_suffixes() -> None:
    assert {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".pdf"} == IMAGE_SUFFIXES
    assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in IMAGE_SUFFIXES)
