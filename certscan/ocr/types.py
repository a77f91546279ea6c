"""Typed OCR results, doctr-style: a Page of Lines, each with a 4-point box, confidence and per-character
alternatives from the recogniser's CTC output (so check digits can repair a character)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# A quadrilateral: 4 (x, y) points, clockwise from top-left, in the coordinates of the image read.
Quad = np.ndarray


def rect_quad(x0: float, y0: float, x1: float, y1: float) -> Quad:
    """The axis-aligned rectangle from (x0, y0) to (x1, y1) as a float32 quad, clockwise from top-left."""
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


@dataclass(frozen=True)
class CharCandidates:
    """One decoded character position: the chosen char first, then alternatives, best first."""

    chars: tuple[str, ...]
    probs: tuple[float, ...]

    @property
    def best(self) -> str:
        return self.chars[0]

    @property
    def confidence(self) -> float:
        return self.probs[0]


@dataclass
class Line:
    text: str
    box: Quad
    confidence: float
    chars: list[CharCandidates] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return float(self.box[:, 0].min())

    @property
    def x1(self) -> float:
        return float(self.box[:, 0].max())

    @property
    def y0(self) -> float:
        return float(self.box[:, 1].min())

    @property
    def y1(self) -> float:
        return float(self.box[:, 1].max())

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Page:
    """What the engine read from one (normalised, upright) image."""

    width: int
    height: int
    lines: list[Line] = field(default_factory=list)
    angle: float = 0.0  # clockwise degrees the input was rotated by; the lines are in upright coordinates
    timings: dict[str, float] = field(default_factory=dict)  # seconds per engine stage (profiling)
    # 2×3 affine map from these (upright, deskewed) coordinates to the pixels of the image the page was
    # read from (the input, or a crop a parser cut), so a parser can cut any region of the page from that
    # full-resolution image (None: the page is the image).
    to_image: np.ndarray | None = None
    # Set by a parser that read this page from a crop of the input it cut itself (enlarged, turned): 2×3
    # affine from that crop's pixels (``image_points``) to the input image's. Only the field details use
    # it, for boxes; parsers keep cutting from the crop through ``to_image``. None: not placed (the page
    # is the input's, or read from a crop whose place is unknown).
    crop_to_input: np.ndarray | None = None

    def image_points(self, points: np.ndarray) -> np.ndarray:
        """``points`` (N×2, page coordinates) in the pixels of the image the page was read from."""
        return _applied(self.to_image, points)

    def input_points(self, points: np.ndarray) -> np.ndarray:
        """``points`` (N×2, page coordinates) in the input image's pixels, through ``crop_to_input`` when
        the page was read from a placed crop."""
        return _applied(self.input_map(), points)

    def input_map(self) -> np.ndarray | None:
        """The 2×3 affine ``input_points`` applies (None: the identity)."""
        if self.crop_to_input is None:
            return self.to_image
        return _then(self.to_image, self.crop_to_input)

    def mapped_on(self, affine: np.ndarray) -> None:
        """The page read from a derived image (a crop, a turned copy) placed on the image that one was
        derived from: ``affine`` (2×3) takes the derived image's pixels to the other's, and now follows
        this page's own map."""
        self.to_image = _then(self.to_image, affine)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _applied(affine: np.ndarray | None, points: np.ndarray) -> np.ndarray:
    pts = np.asarray(points, dtype=np.float32)
    if affine is None:
        return pts
    return (pts @ affine[:, :2].T + affine[:, 2]).astype(np.float32)


def _then(first: np.ndarray | None, second: np.ndarray) -> np.ndarray:
    """The 2×3 affine applying ``first`` (None: the identity), then ``second``."""
    own = first if first is not None else np.eye(2, 3, dtype=np.float32)
    composed = second[:, :2] @ own
    composed[:, 2] += second[:, 2]
    return composed.astype(np.float32)
