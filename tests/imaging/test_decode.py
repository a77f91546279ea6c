"""The decoder: formats by content, header limits before decoding, orientation and mode normalisation."""

from __future__ import annotations

import random
import time
from typing import Any

import cv2
import numpy as np
import pytest
from PIL import Image, ImageFile

from certscan import constants
from certscan.errors import BadImageFormat, ImageTooLarge
from certscan.imaging.decode import ImageLimits, decode_image, load_image, sniff_format
from tests.imaging.images import (
    BLUE,
    GREEN,
    RED,
    WHITE,
    bmp_with_size,
    encode,
    gif_header,
    jpeg_with_size,
    png_header,
    split_image,
)


def assert_colour(
    array: np.ndarray, y: int, x: int, expected: tuple[int, int, int], tolerance: int = 0
) -> None:
    actual = array[y, x].astype(int)
    assert np.abs(actual - np.array(expected)).max() <= tolerance, f"({y},{x}) is {actual}, not {expected}"


def assert_rgb_array(array: np.ndarray, height: int, width: int) -> None:
    assert array.dtype == np.uint8
    assert array.shape == (height, width, 3)
    assert array.flags.c_contiguous


@pytest.mark.parametrize(
    ("image_format", "options", "tolerance"),
    [
        ("PNG", {}, 0),
        ("JPEG", {"quality": 95}, 24),
        ("BMP", {}, 0),
        ("GIF", {}, 0),
        ("WEBP", {"lossless": True}, 0),
        ("WEBP", {"quality": 90}, 24),
    ],
)
def test_each_format_decodes_to_rgb(image_format: str, options: dict[str, Any], tolerance: int) -> None:
    data = encode(split_image((320, 300)), image_format, **options)
    decoded = load_image(data)
    assert decoded.format == image_format
    assert decoded.hints == ()
    assert_rgb_array(decoded.array, 300, 320)
    assert_colour(decoded.array, 40, 160, RED, tolerance)
    assert_colour(decoded.array, 260, 160, BLUE, tolerance)
    assert np.array_equal(decode_image(data), decoded.array)


def test_format_comes_from_content_not_name() -> None:
    png = encode(split_image(), "PNG")
    assert sniff_format(png) == "PNG"
    assert sniff_format(encode(split_image(), "JPEG")) == "JPEG"
    assert sniff_format(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    with pytest.raises(BadImageFormat):
        load_image(encode(split_image(), "TIFF"))  # a real image, but not a format we take


@pytest.mark.parametrize("image_format", ["GIF", "WEBP"])
def test_animation_gives_its_first_frame(image_format: str) -> None:
    frames = [Image.new("RGB", (300, 300), colour) for colour in (GREEN, BLUE, RED)]
    data = encode(frames[0], image_format, save_all=True, append_images=frames[1:], duration=100,
                  **({"lossless": True} if image_format == "WEBP" else {}))
    assert_colour(decode_image(data), 150, 150, GREEN)


# --- colour modes ---------------------------------------------------------------------------------------


def test_grayscale_and_bilevel_become_grey_rgb() -> None:
    assert_colour(decode_image(encode(Image.new("L", (300, 300), 100), "PNG")), 5, 5, (100, 100, 100))
    bilevel = Image.new("1", (300, 300), 0)
    bilevel.paste(1, (0, 0, 150, 300))
    array = decode_image(encode(bilevel, "PNG"))
    assert_colour(array, 5, 5, WHITE)
    assert_colour(array, 5, 200, (0, 0, 0))


def test_alpha_is_composited_on_white() -> None:
    image = Image.new("RGBA", (300, 300), (255, 0, 0, 0))  # fully transparent red
    image.paste((0, 0, 255, 255), (0, 150, 300, 300))  # opaque blue
    image.paste((0, 0, 0, 128), (0, 0, 100, 100))  # half-transparent black
    for image_format, options in (("PNG", {}), ("WEBP", {"lossless": True})):
        array = decode_image(encode(image, image_format, **options))
        assert_colour(array, 120, 150, WHITE)
        assert_colour(array, 200, 150, BLUE)
        assert_colour(array, 50, 50, (127, 127, 127), tolerance=1)
    grey_alpha = Image.new("LA", (300, 300), (0, 0))
    assert_colour(decode_image(encode(grey_alpha, "PNG")), 10, 10, WHITE)


@pytest.mark.parametrize("image_format", ["PNG", "GIF"])
def test_palette_with_transparent_index_is_white_there(image_format: str) -> None:
    image = Image.new("P", (300, 300), 0)
    image.putpalette([*RED, *BLUE] + [0] * (254 * 3))
    image.paste(1, (0, 150, 300, 300))
    array = decode_image(encode(image, image_format, transparency=0))
    assert_colour(array, 10, 10, WHITE)
    assert_colour(array, 200, 10, BLUE)


def test_cmyk_jpeg_becomes_rgb() -> None:
    array = decode_image(encode(Image.new("CMYK", (300, 300), (0, 255, 255, 0)), "JPEG", quality=95))
    assert_colour(array, 150, 150, RED, tolerance=24)


def test_sixteen_bit_grayscale_is_scaled_to_eight() -> None:
    samples = np.zeros((300, 300), dtype=np.uint16)
    samples[:, 100:200] = 32896
    samples[:, 200:] = 65535
    ok, png = cv2.imencode(".png", samples)
    assert ok
    array = decode_image(png.tobytes())
    assert_colour(array, 5, 50, (0, 0, 0))
    assert_colour(array, 5, 150, (128, 128, 128))
    assert_colour(array, 5, 250, WHITE)


def test_sixteen_bit_colour_png_is_scaled_to_eight() -> None:
    samples = np.zeros((300, 300, 3), dtype=np.uint16)
    samples[..., 0] = 65535  # OpenCV writes BGR: full blue
    samples[:150, :, 2] = 65535  # ... and red on the top half: magenta
    ok, png = cv2.imencode(".png", samples)
    assert ok
    array = decode_image(png.tobytes())
    assert_colour(array, 10, 10, (255, 0, 255))
    assert_colour(array, 200, 10, BLUE)


# --- orientation and hints ------------------------------------------------------------------------------


def quadrants(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), RED)  # top-left
    image.paste(GREEN, (width // 2, 0, width, height // 2))  # top-right
    image.paste(BLUE, (0, height // 2, width // 2, height))  # bottom-left
    image.paste(WHITE, (width // 2, height // 2, width, height))  # bottom-right
    return image


# EXIF orientation → how the camera stored an upright scene (the inverse of what a viewer applies).
STORED_AS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,  # stored turned 90° counter-clockwise; shown after 90° clockwise
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", sorted(STORED_AS))
def test_exif_rotated_jpeg_comes_out_upright(orientation: int) -> None:
    upright = quadrants(300, 400)  # portrait card photo
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = encode(upright.transpose(STORED_AS[orientation]), "JPEG", quality=95, exif=exif.tobytes())
    array = decode_image(data)
    assert_rgb_array(array, 400, 300)
    for (y, x), colour in {(100, 75): RED, (100, 225): GREEN, (300, 75): BLUE, (300, 225): WHITE}.items():
        assert_colour(array, y, x, colour, tolerance=24)


def test_broken_exif_still_decodes() -> None:
    data = encode(quadrants(300, 400), "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff")
    assert_rgb_array(decode_image(data), 400, 300)


def test_small_image_runs_with_a_hint() -> None:
    small = load_image(encode(split_image((600, 120)), "PNG"))
    assert_rgb_array(small.array, 120, 600)
    assert len(small.hints) == 1
    assert "small" in small.hints[0]
    assert load_image(encode(split_image((256, 256)), "PNG")).hints == ()


# --- limits from the header -----------------------------------------------------------------------------


@pytest.fixture
def no_pixel_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any pixel decoding fail loudly, proving a refusal happened on the header alone."""
    def refuse_load(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_load)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (png_header(40_000, 10), "a side"),
        (png_header(20_000, 20_000), "in total"),
        (png_header(30_000, 30_000), "pixel limit"),  # Pillow's own bomb guard speaks first here
        (gif_header(5_000, 5_000), "GIF"),
        (gif_header(2_048, 2_049), "GIF"),
        (gif_header(5_000, 5_000, screen=(10, 10)), "GIF"),  # frame larger than its screen
        (gif_header(5_000, 5_000, screen=(10, 10), offset=60_000), "limit"),
        (jpeg_with_size(40_000, 100), "a side"),
        (jpeg_with_size(20_000, 15_000), "in total"),
        (bmp_with_size(31_000, 1), "a side"),
    ],
    ids=["png-wide", "png-total", "png-bomb", "gif-5000", "gif-just-over", "gif-big-frame",
         "gif-far-frame", "jpeg-wide", "jpeg-total", "bmp-wide"],
)
def test_oversized_images_are_refused_by_header(data: bytes, why: str, no_pixel_decoding: None) -> None:
    started = time.monotonic()
    with pytest.raises(ImageTooLarge, match=why) as caught:
        load_image(data)
    assert caught.value.code == 589
    assert time.monotonic() - started < 0.5


def test_header_limits_are_the_reference_ones_and_configurable() -> None:
    limits = ImageLimits()
    assert (limits.max_side, limits.max_pixels, limits.max_gif_pixels) == (
        constants.MAX_IMAGE_SIDE, constants.MAX_IMAGE_PIXELS, constants.MAX_GIF_PIXELS
    )
    assert Image.MAX_IMAGE_PIXELS == constants.MAX_IMAGE_PIXELS
    data = encode(split_image((320, 300)), "PNG")
    with pytest.raises(ImageTooLarge):
        load_image(data, ImageLimits(max_side=319))
    assert_rgb_array(load_image(data, ImageLimits(max_side=320)).array, 300, 320)


# --- not images -----------------------------------------------------------------------------------------


def junk(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.mark.parametrize(
    "data",
    [
        encode(split_image(), "JPEG")[:1500],  # truncated JPEG
        encode(split_image(), "PNG")[:200],  # truncated PNG
        junk(1, 4096),
        b"",
        b"hello, I am a text file",
        b"\x89PNG\r\n\x1a\n" + junk(2, 500),
        b"\xff\xd8\xff" + junk(3, 500),
        b"GIF89a",
        b"RIFF\x10\x00\x00\x00WEBPVP8 " + junk(4, 100),
        b"BM" + junk(5, 100),
        png_header(0, 10),
        png_header(1_000, 1_000),  # plausible header, no pixel data
    ],
    ids=["truncated-jpeg", "truncated-png", "random", "empty", "text", "png-junk", "jpeg-junk",
         "gif-magic-only", "webp-junk", "bmp-junk", "png-zero-width", "png-no-data"],
)
def test_non_images_are_bad_format(data: bytes) -> None:
    with pytest.raises(BadImageFormat) as caught:
        load_image(data)
    assert caught.value.code == 590
