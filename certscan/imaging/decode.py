"""Decode image bytes into the one array format the OCR layer takes: RGB uint8, H×W×3.

(Provisional: the image intake issue replaces this with content sniffing, limits before decode,
EXIF orientation and mode normalisation; the signature stays.)
"""

from __future__ import annotations

import cv2
import numpy as np

from certscan.errors import BadImageFormat


def decode_image(data: bytes) -> np.ndarray:
    array = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if array is None:
        raise BadImageFormat("not a decodable image")
    return np.ascontiguousarray(array[:, :, ::-1])
