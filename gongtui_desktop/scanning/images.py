"""Scanned files to grayscale pages (issue #11).

Bytes in, pages out: the caller reads the files, so this module never touches the file
system. Every page keeps the bytes to archive as evidence beside its pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

PDF_DPI = 200
JPEG_QUALITY = 90

#: The suffixes a folder import takes (lower case, with the dot).
IMAGE_SUFFIXES: frozenset[str] = frozenset(
    {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".pdf"}
)

_MEDIA_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"%PDF", "application/pdf"),
)


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


def _media_type(data: bytes) -> str | None:
    # The content decides, not the suffix: scanners and users misname files.
    for magic, media_type in _MEDIA_TYPES:
        if data.startswith(magic):
            return media_type
    return None


def _as_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        image = cv2.cvtColor(image, code) if image.shape[2] in (3, 4) else image[:, :, 0]
    if image.dtype != np.uint8:
        # 16-bit scans: keep the full range rather than clipping at 255.
        image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return np.ascontiguousarray(image)


def _jpeg(gray: np.ndarray, name: str, page: int) -> bytes:
    ok, encoded = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ScanImageError(f"文件“{name}”第 {page} 页无法保存为图片")
    return encoded.tobytes()


def _pdf_pages(name: str, data: bytes) -> list[PageImage]:
    import pypdfium2 as pdfium  # loaded only for PDFs: it is the slowest import here

    try:
        document = pdfium.PdfDocument(data)
    except Exception as error:  # pdfium raises its own error types for damaged files
        raise ScanImageError(f"文件“{name}”不是可读的 PDF：{error}") from error
    pages: list[PageImage] = []
    try:
        if len(document) == 0:
            raise ScanImageError(f"文件“{name}”是空的 PDF，没有页面")
        for index in range(len(document)):
            try:
                bitmap = document[index].render(scale=PDF_DPI / 72, grayscale=True)
                gray = _as_gray(bitmap.to_numpy())
            except Exception as error:
                raise ScanImageError(f"文件“{name}”第 {index + 1} 页无法读取：{error}") from error
            if gray.ndim != 2 or gray.size == 0:
                raise ScanImageError(f"文件“{name}”第 {index + 1} 页无法读取")
            pages.append(
                PageImage(name, index + 1, gray, _jpeg(gray, name, index + 1), "image/jpeg")
            )
    finally:
        document.close()
    return pages


def load_pages(name: str, data: bytes) -> list[PageImage]:
    """The pages of one scanned file (PNG, JPEG, TIFF, BMP or PDF), grayscale.

    ``name`` only names the file in messages and in ``PageImage.source``. A single-page
    image keeps its original bytes as evidence; the pages of a PDF or a multi-page TIFF
    are stored re-encoded as JPEG. Raises ScanImageError when the bytes cannot be read.
    """
    media_type = _media_type(data)
    if media_type is None:
        raise ScanImageError(
            f"文件“{name}”不是可识别的图片或 PDF（支持 PNG、JPEG、TIFF、BMP、PDF）"
        )
    if media_type == "application/pdf":
        return _pdf_pages(name, data)
    buffer = np.frombuffer(data, dtype=np.uint8)
    if media_type == "image/tiff":
        ok, images = cv2.imdecodemulti(buffer, cv2.IMREAD_GRAYSCALE)
        if not ok or not images:
            raise ScanImageError(f"文件“{name}”无法解码（TIFF 文件可能已损坏）")
        grays = [_as_gray(image) for image in images]
        if len(grays) == 1:
            return [PageImage(name, 1, grays[0], data, media_type)]
        return [
            PageImage(name, number, gray, _jpeg(gray, name, number), "image/jpeg")
            for number, gray in enumerate(grays, start=1)
        ]
    image = cv2.imdecode(buffer, cv2.IMREAD_GRAYSCALE)
    if image is None or image.size == 0:
        raise ScanImageError(f"文件“{name}”无法解码（图片可能已损坏）")
    return [PageImage(name, 1, _as_gray(image), data, media_type)]
