"""The QR code of a ballot sheet: written and read with zxing-cpp (one small library for both).

Error correction level M: the code stays version 2 (25 × 25 modules, the size printed since
the first layout) and survives a few damaged modules — a fold, a pen stroke, a speck.
"""

from __future__ import annotations

import numpy as np
import zxingcpp

QUIET_MODULES = 3  # white modules around the code; the code row around it is blank too
EC_LEVEL = "M"


def qr_modules(text: str) -> np.ndarray:
    """The code as a boolean matrix, True = dark module, quiet zone included."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=EC_LEVEL)
    matrix = np.asarray(barcode.to_image(scale=1, add_quiet_zones=False))
    dark = matrix < 128
    return np.pad(dark, QUIET_MODULES, constant_values=False)


def qr_png(text: str, module_px: int = 12) -> bytes:
    """A black-on-white PNG of the code, ``module_px`` pixels per module (sharp when printed)."""
    from gongtui_desktop.scanning.imaging import encode

    dark = qr_modules(text)
    image = np.where(dark, 0, 255).astype(np.uint8)
    image = np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))
    return encode(image, "PNG")


def decode(gray: np.ndarray, pure: bool = False) -> list[tuple[str, np.ndarray]]:
    """Every QR code found in a grey image: (text, corners TL, TR, BR, BL of the symbol in
    image px, as the code is oriented). Damaged or rotated codes are read when the error
    correction allows; anything that is not a QR code is ignored."""
    found = zxingcpp.read_barcodes(
        np.ascontiguousarray(gray, dtype=np.uint8),
        formats=zxingcpp.BarcodeFormat.QRCode,
        is_pure=pure,
    )
    result: list[tuple[str, np.ndarray]] = []
    for barcode in found:
        if not barcode.valid:
            continue
        p = barcode.position
        corners = np.array(
            [
                (p.top_left.x, p.top_left.y),
                (p.top_right.x, p.top_right.y),
                (p.bottom_right.x, p.bottom_right.y),
                (p.bottom_left.x, p.bottom_left.y),
            ],
            np.float64,
        )
        result.append((barcode.text, corners))
    return result
