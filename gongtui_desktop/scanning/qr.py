"""The QR code of a ballot sheet, drawn with OpenCV's own encoder (no other QR library)."""

from __future__ import annotations

import cv2
import numpy as np

QUIET_MODULES = 3  # white modules around the code; the code row around it is blank too


def qr_modules(text: str) -> np.ndarray:
    """The code as a boolean matrix, True = dark module, quiet zone included."""
    encoder = cv2.QRCodeEncoder.create()
    matrix = np.asarray(encoder.encode(text))
    dark = matrix < 128
    return np.pad(dark, QUIET_MODULES, constant_values=False)


def qr_png(text: str, module_px: int = 12) -> bytes:
    """A black-on-white PNG of the code, ``module_px`` pixels per module (sharp when printed)."""
    dark = qr_modules(text)
    image = np.where(dark, 0, 255).astype(np.uint8)
    image = np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))
    ok, encoded = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError("二维码图像无法生成")
    return encoded.tobytes()
