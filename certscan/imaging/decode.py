"""Decode image bytes into the one array format the OCR layer takes: RGB uint8, H×W×3, C-contiguous.

The format is decided by the leading bytes (PNG, JPEG, BMP, GIF, WEBP), never by a file name or a
Content-Type, and Pillow is told to try only that one plugin, so a crafted file cannot reach a less
hardened decoder. Size limits are checked on the header Pillow has parsed BEFORE any pixel is decoded:
≤ 30,000 px a side and ≤ 250,000,000 px (GIF ≤ 4,194,304 px) → ``ImageTooLarge`` (589). Pillow's own
decompression-bomb guard (``Image.MAX_IMAGE_PIXELS``, process-wide) is set to the same total, so it is a
second line of defence. Anything that is not a decodable image of a taken format → ``BadImageFormat`` (590).

After decoding: the EXIF orientation is applied, GIF/WEBP animations contribute their first frame only, and
palette, CMYK, 16-bit, grayscale and alpha images (composited on white, as a viewer shows them) are
normalised to RGB uint8.

``load_image`` returns the array plus ``hints`` (messages for the task's ``msg``, e.g. a small image);
``decode_image`` is the thin wrapper the pipeline calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import numpy as np
from PIL import Image, ImageOps

from certscan import constants
from certscan.errors import BadImageFormat, ImageTooLarge, TaskError

# Pillow's guard raises DecompressionBombError above 2× this and warns above it; our header check below
# refuses above 1× first, so in practice Pillow's guard only matters if that check were bypassed.
Image.MAX_IMAGE_PIXELS = constants.MAX_IMAGE_PIXELS


@dataclass(frozen=True)
class ImageLimits:
    """Header limits; the defaults are the reference's. Tests shrink them to keep fuzzing cheap."""

    max_side: int = constants.MAX_IMAGE_SIDE
    max_pixels: int = constants.MAX_IMAGE_PIXELS
    max_gif_pixels: int = constants.MAX_GIF_PIXELS


DEFAULT_LIMITS = ImageLimits()


@dataclass(frozen=True)
class DecodedImage:
    array: np.ndarray  # RGB uint8, H×W×3
    format: str  # "PNG", "JPEG", "BMP", "GIF" or "WEBP" (as sniffed)
    hints: tuple[str, ...] = ()  # human-readable notes for the task's msg; empty when all is well


def sniff_format(data: bytes) -> str | None:
    """The Pillow format name for ``data``'s magic bytes, or None if it is not a format we take."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data.startswith(b"BM") and len(data) >= 26:
        return "BMP"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def check_dimensions(
    width: int, height: int, image_format: str, limits: ImageLimits = DEFAULT_LIMITS
) -> None:
    """Refuse (589) an image whose header declares more than the limits; refuse (590) a degenerate one."""
    if width <= 0 or height <= 0:
        raise BadImageFormat(f"image has no pixels ({width}x{height})")
    if max(width, height) > limits.max_side:
        raise ImageTooLarge(f"image is {width}x{height} px; at most {limits.max_side} px a side")
    if width * height > limits.max_pixels:
        raise ImageTooLarge(f"image is {width}x{height} px; at most {limits.max_pixels} px in total")
    if image_format == "GIF" and width * height > limits.max_gif_pixels:
        raise ImageTooLarge(f"GIF is {width}x{height} px; at most {limits.max_gif_pixels} px in total")


def load_image(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> DecodedImage:
    """Decode ``data`` (see the module docstring). Raises only ``BadImageFormat`` or ``ImageTooLarge``."""
    image_format = sniff_format(data)
    if image_format is None:
        raise BadImageFormat("not a PNG, JPEG, BMP, GIF or WEBP image")
    try:
        array = _decode(data, image_format, limits)
    except TaskError:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(f"image exceeds the pixel limit: {exc}") from exc
    except MemoryError as exc:
        raise ImageTooLarge("image too large to decode in memory") from exc
    except Exception as exc:  # Pillow signals corrupt input with many types (OSError, SyntaxError, ...)
        raise BadImageFormat(f"cannot decode {image_format} image: {type(exc).__name__}") from exc
    height, width = array.shape[:2]
    hints: tuple[str, ...] = ()
    if min(width, height) < constants.SMALL_IMAGE_HINT_SIDE:
        hints = (
            f"image is small ({width}x{height} px, under {constants.SMALL_IMAGE_HINT_SIDE} px on the "
            "short side); recognition may be less accurate",
        )
    return DecodedImage(array=array, format=image_format, hints=hints)


def decode_image(data: bytes) -> np.ndarray:
    """RGB uint8 H×W×3 array of ``data``; raises ``BadImageFormat`` (590) or ``ImageTooLarge`` (589)."""
    return load_image(data).array


def _decode(data: bytes, image_format: str, limits: ImageLimits) -> np.ndarray:
    with Image.open(BytesIO(data), formats=[image_format]) as image:
        # Image.open parsed only the header: refuse oversized images before allocating pixels.
        check_dimensions(image.width, image.height, image_format, limits)
        image.load()  # first frame of an animation; truncated or corrupt data raises here
        # A GIF frame larger than its logical screen grows the image while loading.
        check_dimensions(image.width, image.height, image_format, limits)
        upright = _apply_orientation(image)
        rgb = _to_rgb(upright)
    array = np.asarray(rgb, dtype=np.uint8)
    if array.ndim != 3 or array.shape[2] != 3:
        raise BadImageFormat(f"unexpected decoded shape {array.shape}")
    return np.ascontiguousarray(array)


def _apply_orientation(image: Image.Image) -> Image.Image:
    try:
        rotated = ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block should not cost the whole image: keep it as stored
        return image
    return rotated if rotated is not None else image


def _to_rgb(image: Image.Image) -> Image.Image:
    mode = image.mode
    if mode in ("I", "I;16", "I;16L", "I;16B", "I;16N", "F"):
        return Image.fromarray(_high_depth_to_8bit(image), mode="L").convert("RGB")
    if mode == "P":
        palette_alpha = image.palette is not None and image.palette.mode == "RGBA"
        has_alpha = "transparency" in image.info or palette_alpha
        image = image.convert("RGBA" if has_alpha else "RGB")
    elif mode in ("L", "RGB") and "transparency" in image.info:
        image = image.convert("RGBA")  # tRNS colour key: that one value is transparent
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode == "RGB":
        return image
    return image.convert("RGB")  # L, 1, CMYK, YCbCr, LAB, HSV, RGBX, ...


def _high_depth_to_8bit(image: Image.Image) -> np.ndarray:
    """16/32-bit integer or float grayscale → 8-bit. 16-bit samples scale by 1/257 (65535 → 255)."""
    values = np.asarray(image).astype(np.float64)
    if image.mode == "F":
        top = 1.0 if values.size and float(np.nanmax(values)) <= 1.0 else 255.0
        scaled = values / top * 255.0
    elif image.mode.startswith("I;16") or (values.size and float(values.max()) > 255):
        scaled = values / 257.0
    else:  # mode "I" whose samples already fit in 8 bits
        scaled = values
    return np.clip(np.nan_to_num(scaled), 0, 255).round().astype(np.uint8)
