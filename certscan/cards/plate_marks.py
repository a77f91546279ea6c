"""Red characters a plate read missed, placed by their ink: 使, 领 and 警.

Embassy and consulate plates are black with white characters and one red one (使 before the digits, 领
after the serial); police plates are white with black characters and a red 警 after the serial. The
recogniser often drops the red character (dark red on black, small, blurred) or reads it as a Latin
letter or digit (警 as ``G``, ``4``). When a line reads as a plate without its red character (6
characters: province, letter and a 4-character serial, or 6 digits), or with one wrong character where
it stands, the slot where the red character is printed is looked at: red ink there on a black or white
plate is that character. No recognition runs: only the pixels of the line's neighbourhood are counted.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from certscan.checks import plate as rules
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page, rect_quad

# A serial without its suffix: province, issuing-authority letter, four serial characters.
_SERIAL_PREFIX = re.compile(f"^[{rules.PROVINCES}][{rules.LETTER}][{rules.SERIAL}]{{4}}$")
_DIGITS = re.compile(r"^[0-9]{6}$")
# the red character's share of its slot: a thin glyph still covers this much; a red car body around
# the plate never enters the slot (it lies inside the plate's frame)
MIN_RED_SHARE = 0.12
# the line's own characters are white or black: its red (a red car's glow, a blurred red character
# smeared over it) must be far less than the slot's, or the red tells nothing
LINE_RED_RATIO = 3.0
SUFFIX_BY_COLOUR = {"black": "领", "white": "警"}
# the ground's median value (0-255) below which a plate is black, above which (and greyish) white
DARK, LIGHT, GREY = 90, 130, 60


def _band(image: np.ndarray, page: Page, box: tuple[float, float, float, float]) -> np.ndarray:
    """The HSV pixels (N×3) of a page-coordinate box, cut from the input image."""
    x0, y0, x1, y1 = box
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.zeros((0, 3), np.int32)
    quad = rect_quad(x0, y0, x1, y1)
    crop = crop_quad(image, page.image_points(quad))
    return cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2HSV).reshape(-1, 3).astype(np.int32)


def red_share(image: np.ndarray, page: Page, box: tuple[float, float, float, float]) -> float:
    """The share of saturated red pixels in a page-coordinate box, cut from the input image."""
    hsv = _band(image, page, box)
    if not len(hsv):
        return 0.0
    hue, sat, val = hsv[:, 0], hsv[:, 1], hsv[:, 2]
    return float((((hue <= 10) | (hue >= 165)) & (sat >= 100) & (val >= 70)).mean())


def ground(image: np.ndarray, page: Page, line: Line) -> str:
    """ "black" or "white" for a plate whose characters ``line`` boxes, else "": the median pixel of the
    line's middle band is the plate's ground (the characters' strokes are thinner than the gaps; the
    band never reaches the frame or the car around the plate)."""
    hsv = _band(image, page, _middle(line, line.x0, line.x1))
    if not len(hsv):
        return ""
    sat, val = float(np.median(hsv[:, 1])), float(np.median(hsv[:, 2]))
    if val < DARK:
        return "black"
    return "white" if val >= LIGHT and sat < GREY else ""


def _middle(line: Line, x0: float, x1: float) -> tuple[float, float, float, float]:
    return (x0, line.y0 + 0.2 * line.height, x1, line.y1 - 0.2 * line.height)


def _slot(line: Line, chars: int, after: bool, replaces_last: bool) -> tuple[float, float, float, float]:
    """Where the red character sits: one character pitch after (or before) the line's characters, or
    over its last character when that one is the misread red character; the middle of the line's height."""
    pitch = (line.x1 - line.x0) / max(1, chars)
    if replaces_last:
        return _middle(line, line.x1 - 0.8 * pitch, line.x1)
    if after:
        return _middle(line, line.x1, line.x1 + 0.8 * pitch)
    return _middle(line, line.x0 - 0.8 * pitch, line.x0)


def _gap_slot(line: Line, chars: int) -> tuple[float, float, float, float]:
    """The red character's place half a pitch further on: the line's box stopped short of a gap (the
    separator widens the line's pitch estimate, and 领 stands apart from the serial on some plates)."""
    pitch = (line.x1 - line.x0) / max(1, chars)
    return _middle(line, line.x1 + 0.4 * pitch, line.x1 + 1.2 * pitch)


def _candidate(chars: str) -> tuple[str, bool, bool] | None:
    """(the characters the red one completes, whether it follows them, whether it replaces the last
    read character) for a line that reads as a plate without its red character, else None."""
    if _SERIAL_PREFIX.match(chars):
        return chars, True, False
    if len(chars) == 7 and _SERIAL_PREFIX.match(chars[:6]) and chars[6] not in rules.SUFFIXES:
        return chars[:6], True, True
    if _DIGITS.match(chars):
        return chars, False, False
    return None


def marked_reads(image: np.ndarray, page: Page, line_chars: dict[int, str]) -> dict[int, str]:
    """Plates completed by their red character, by the index of the line read without it. ``line_chars``
    maps a line's index to its characters as read (separators dropped, upper case)."""
    found = {}
    for index, chars in line_chars.items():
        candidate = _candidate(chars)
        if candidate is None:
            continue
        body, after, replaces_last = candidate
        line = page.lines[index]
        colour = ground(image, page, line)
        if colour not in SUFFIX_BY_COLOUR or (not after and colour != "black"):  # 使 is on black only
            continue
        # the line's own characters, but the misread red one
        own = _middle(line, line.x0, line.x1 - (line.x1 - line.x0) / 7 if replaces_last else line.x1)
        slots = [_slot(line, len(chars), after, replaces_last)]
        if after and not replaces_last:
            slots.append(_gap_slot(line, len(chars)))
        red = max(red_share(image, page, slot) for slot in slots)
        if red < MIN_RED_SHARE or red < LINE_RED_RATIO * red_share(image, page, own):
            continue
        number = body + SUFFIX_BY_COLOUR[colour] if after else "使" + body
        if rules.is_valid(number):
            found[index] = number
    return found
