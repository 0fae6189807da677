"""Scanned files to grayscale pages, read with Qt's image readers and pdfium.

Bytes in, pages out: the caller reads the files, so this module never touches the file
system. Every page keeps the bytes to archive as evidence beside its pixels.

Files come from USB sticks and may be damaged or hostile. Nothing here trusts them: a page's
declared size is checked before it is decoded (a scanner page is at most A3 at 600 dpi),
pages are decoded one at a time as the caller asks for them, a file holds at most
``MAX_PAGES`` pages, and any failure of the image libraries becomes a Chinese reason for
that file or that page alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PDF_DPI = 200
JPEG_QUALITY = 90
# A3 (297 × 420 mm) at 600 dpi, with a little room: the largest page a scanner writes.
MAX_SIDE = 10_500
MAX_PIXELS = 75_000_000
MAX_PAGES = 3_000  # far more than any round's papers; a 900-page scanner PDF must import
PDF_MAX_POINTS = 420 / 25.4 * 72 * 1.1  # a PDF page side beyond A3's long side (+10%)
# Qt refuses to allocate more than this per image, whatever a header claims.
ALLOCATION_LIMIT_MB = 320

#: The suffixes a folder import takes (lower case, with the dot).
IMAGE_SUFFIXES: frozenset[str] = frozenset(
    {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".pdf"}
)

_MEDIA_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"%PDF", "application/pdf"),
)
_QT_FORMAT = {
    "image/png": b"png",
    "image/jpeg": b"jpeg",
    "image/tiff": b"tiff",
    "image/bmp": b"bmp",
    "image/webp": b"webp",
}


class ScanImageError(ValueError):
    """The bytes are not an image or PDF this program can read."""


@dataclass(frozen=True, slots=True)
class PageImage:
    """One scanned page: its grayscale pixels and the bytes kept as evidence."""

    source: str
    page: int  # 1-based
    gray: np.ndarray  # uint8, 2-D
    stored: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class PageProblem:
    """One page of a file that could not be read; the file's other pages still are."""

    source: str
    page: int  # 1-based
    problem: str  # Chinese, names the file and the page


def _media_type(data: bytes) -> str | None:
    # The content decides, not the suffix: scanners and users misname files.
    for magic, media_type in _MEDIA_TYPES:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _too_large(width: int, height: int) -> bool:
    return width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS


def _jpeg(gray: np.ndarray) -> bytes:
    from gongtui_desktop.scanning.imaging import encode

    return encode(gray, "JPG", JPEG_QUALITY)


def _pdf_pages(name: str, data: bytes) -> Iterator[PageImage | PageProblem]:
    import pypdfium2 as pdfium  # loaded only for PDFs: it is the slowest import here

    try:
        document = pdfium.PdfDocument(data)
    except Exception as error:  # pdfium's own error types, in English: not shown
        encrypted = "password" in str(error).lower()
        reason = "PDF 有密码保护" if encrypted else "不是可读的 PDF（文件可能已损坏）"
        raise ScanImageError(f"文件“{name}”{reason}") from error
    try:
        total = len(document)
        if total == 0:
            raise ScanImageError(f"文件“{name}”是空的 PDF，没有页面")
        if total > MAX_PAGES:
            raise ScanImageError(
                f"文件“{name}”有 {total} 页，超过一个文件最多 {MAX_PAGES} 页：请分成几个文件"
            )
        for index in range(total):
            number = index + 1
            try:
                page = document[index]
                width, height = page.get_size()
                if max(width, height) > PDF_MAX_POINTS:
                    yield PageProblem(
                        name,
                        number,
                        f"文件“{name}”第 {number} 页的页面大于 A3"
                        f"（{width / 72 * 25.4:.0f} × {height / 72 * 25.4:.0f} 毫米），不是扫描的选票",
                    )
                    continue
                bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
                gray = _bitmap_gray(bitmap)
            except Exception:
                yield PageProblem(name, number, f"文件“{name}”第 {number} 页无法读取")
                continue
            if gray.ndim != 2 or gray.size == 0:
                yield PageProblem(name, number, f"文件“{name}”第 {number} 页无法读取")
                continue
            yield PageImage(name, number, gray, _jpeg(gray), "image/jpeg")
    finally:
        document.close()


def _bitmap_gray(bitmap: object) -> np.ndarray:
    import numpy as np

    array = np.asarray(bitmap.to_numpy())  # type: ignore[attr-defined]
    if array.ndim == 3:
        # pdfium renders grey pages as one channel; a few builds give BGR(A): take luminance.
        array = (array[:, :, :3] @ np.array([0.114, 0.587, 0.299])).round().astype(np.uint8)
    return np.ascontiguousarray(array, dtype=np.uint8)


def _raster_pages(name: str, data: bytes, media_type: str) -> Iterator[PageImage | PageProblem]:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageReader

    from gongtui_desktop.scanning.imaging import from_qimage

    QImageReader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, _QT_FORMAT[media_type])
    try:
        if not reader.canRead():
            raise ScanImageError(f"文件“{name}”无法解码（图片可能已损坏）")
        count = max(1, reader.imageCount())
        if count > MAX_PAGES:
            raise ScanImageError(
                f"文件“{name}”有 {count} 页，超过一个文件最多 {MAX_PAGES} 页：请分成几个文件"
            )
        for index in range(count):
            number = index + 1
            if count > 1 and not reader.jumpToImage(index):
                yield PageProblem(name, number, f"文件“{name}”第 {number} 页无法读取")
                continue
            size = reader.size()
            if size.isValid() and _too_large(size.width(), size.height()):
                problem = (
                    f"文件“{name}”的图片声称有 {size.width()} × {size.height()} 像素，"
                    "大于 A3 幅面 600 dpi 的扫描，不予读取"
                )
                if count == 1:
                    raise ScanImageError(problem)
                yield PageProblem(name, number, f"{problem}（第 {number} 页）")
                continue
            image = reader.read()
            if image.isNull() or _too_large(image.width(), image.height()):
                if count == 1:
                    raise ScanImageError(f"文件“{name}”无法解码（图片可能已损坏）")
                yield PageProblem(name, number, f"文件“{name}”第 {number} 页无法读取")
                # A reader that failed on one page fails on the next ones too: start afresh.
                reader.setDevice(None)
                buffer.seek(0)
                reader = QImageReader(buffer, _QT_FORMAT[media_type])
                continue
            gray = from_qimage(image)
            del image
            if count == 1:
                yield PageImage(name, 1, gray, data, media_type)
            else:
                yield PageImage(name, number, gray, _jpeg(gray), "image/jpeg")
    finally:
        # The reader must let go of the buffer before either is freed.
        reader.setDevice(None)
        buffer.close()


def iter_pages(name: str, data: bytes) -> Iterator[PageImage | PageProblem]:
    """The pages of one scanned file (PNG, JPEG, TIFF, BMP, WebP or PDF), grayscale, one
    at a time; a page that cannot be read comes as a PageProblem and the others still come.

    ``name`` only names the file in messages and in ``PageImage.source``. A single-page
    image keeps its original bytes as evidence; the pages of a PDF or a multi-page TIFF
    are stored re-encoded as JPEG. Raises ScanImageError when the file as a whole cannot be
    read (whatever the image libraries raised: the message is in Chinese).
    """
    media_type = _media_type(data)
    if media_type is None:
        raise ScanImageError(
            f"文件“{name}”不是可识别的图片或 PDF（支持 PNG、JPEG、TIFF、BMP、WebP、PDF）"
        )
    pages = _pdf_pages(name, data) if media_type == "application/pdf" else None
    if pages is None:
        pages = _raster_pages(name, data, media_type)
    try:
        yield from pages
    except ScanImageError:
        raise
    except Exception as error:  # any library failure is this file's refusal, not the batch's
        raise ScanImageError(f"文件“{name}”无法读取（文件可能已损坏）") from error


def load_pages(name: str, data: bytes) -> list[PageImage]:
    """Every page of one file; raises ScanImageError if any page cannot be read."""
    pages: list[PageImage] = []
    for page in iter_pages(name, data):
        if isinstance(page, PageProblem):
            raise ScanImageError(page.problem)
        pages.append(page)
    return pages
