"""Fuzzing the decoder with random and mutated image bytes: it must return an RGB array or raise one of
our two codes (590, 589) — no other exception, no crash, no hang (hypothesis deadline per example).

The header limits are shrunk for the fuzz run so that a mutated header declaring a large-but-legal size
does not make each example allocate hundreds of MB; the limit logic itself is tested in test_decode.py.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from certscan.errors import BadImageFormat, ImageTooLarge
from certscan.imaging.decode import ImageLimits, load_image
from tests.imaging.images import encode, split_image

FUZZ_LIMITS = ImageLimits(max_side=4096, max_pixels=2_000_000, max_gif_pixels=1_000_000)
FUZZ_SETTINGS = settings(
    max_examples=250,
    deadline=timedelta(seconds=2),
    derandomize=True,  # the same examples on every run, so CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _seeds() -> list[bytes]:
    small = split_image((40, 24))
    exif = Image.Exif()
    exif[0x0112] = 6
    palette = small.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    frames = [Image.new("RGB", (24, 24), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    return [
        encode(small, "PNG"),
        encode(small.convert("RGBA"), "PNG"),
        encode(palette, "PNG", transparency=0),
        encode(small, "JPEG", quality=80),
        encode(small, "JPEG", exif=exif.tobytes()),
        encode(small, "JPEG", progressive=True),
        encode(Image.new("CMYK", (24, 24), (0, 255, 255, 0)), "JPEG"),
        encode(small, "BMP"),
        encode(palette, "BMP"),
        encode(frames[0], "GIF", save_all=True, append_images=frames[1:]),
        encode(small, "WEBP", lossless=True),
        encode(small, "WEBP", quality=50),
    ]


SEEDS = _seeds()
MAGIC = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"BM", b"RIFF\x00\x00\x00\x00WEBPVP8 "]


@st.composite
def mutated_images(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    # Headers are where decoders trust numbers: aim half of the edits at the first 128 bytes.
    position = st.one_of(st.integers(0, 127), st.integers(0, 1 << 20))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["set", "xor", "insert", "delete", "truncate"]))
        at = draw(position) % (len(data) + 1)
        if kind == "set" and at < len(data):
            data[at] = draw(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0xFF]))
        elif kind == "xor" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


random_bytes = st.one_of(
    st.binary(max_size=4096),
    st.builds(lambda magic, tail: magic + tail, st.sampled_from(MAGIC), st.binary(max_size=2048)),
)


def assert_decodes_or_refuses(data: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns about corrupt EXIF etc.; only outcomes matter
            decoded = load_image(data, FUZZ_LIMITS)
    except (BadImageFormat, ImageTooLarge) as exc:
        assert exc.code in (589, 590)
        return
    array = decoded.array
    assert array.dtype == np.uint8
    assert array.ndim == 3
    assert array.shape[2] == 3
    assert array.shape[0] * array.shape[1] <= FUZZ_LIMITS.max_pixels


@FUZZ_SETTINGS
@given(mutated_images())
def test_mutated_images_decode_or_fail_with_our_codes(data: bytes) -> None:
    assert_decodes_or_refuses(data)


@FUZZ_SETTINGS
@given(random_bytes)
def test_random_bytes_fail_with_our_codes(data: bytes) -> None:
    assert_decodes_or_refuses(data)


def test_every_seed_decodes() -> None:
    """The mutations start from valid images, so the fuzz explores paths past the header."""
    for seed in SEEDS:
        assert load_image(seed, FUZZ_LIMITS).array.shape[2] == 3
