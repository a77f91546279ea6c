"""Generated test images: small real encodings of each format, and hand-made headers that declare huge
sizes without carrying the pixels (so the size limits can be tested without allocating anything big)."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from typing import Any

from PIL import Image

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 160, 0), (0, 0, 255), (255, 255, 255)


def encode(image: Image.Image, image_format: str, **options: Any) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def split_image(size: tuple[int, int] = (320, 300), top: tuple[int, int, int] = RED,
                bottom: tuple[int, int, int] = BLUE) -> Image.Image:
    """An RGB image whose top half is ``top`` and bottom half ``bottom``."""
    image = Image.new("RGB", size, top)
    image.paste(bottom, (0, size[1] // 2, size[0], size[1]))
    return image


def png_header(width: int, height: int) -> bytes:
    """A well-formed PNG signature + IHDR (valid CRC) declaring width×height, with an empty IDAT."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def gif_header(width: int, height: int, screen: tuple[int, int] | None = None, offset: int = 0) -> bytes:
    """A GIF89a whose first frame is width×height at (offset, offset) on a ``screen`` (default: the frame
    size), with a few bytes of LZW data."""
    screen_width, screen_height = screen or (width, height)
    header = b"GIF89a" + struct.pack("<HHBBB", screen_width, screen_height, 0, 0, 0)
    frame = b"," + struct.pack("<HHHHB", offset, offset, width, height, 0) + b"\x02\x02\x4c\x01\x00"
    return header + frame + b";"


def jpeg_with_size(width: int, height: int) -> bytes:
    """A real small JPEG whose SOF0 marker is patched to declare width×height."""
    data = bytearray(encode(split_image((16, 16)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def bmp_with_size(width: int, height: int) -> bytes:
    """A real small BMP whose BITMAPINFOHEADER is patched to declare width×height."""
    data = bytearray(encode(split_image((4, 4)), "BMP"))
    struct.pack_into("<ii", data, 18, width, height)
    return bytes(data)
