"""A document page being drawn (licenses, household register pages) and the boxes of the fields on it.

Thin wrappers over ``bench.synth.draw``: letter-spaced captions (名　　称), wrapped values, the ornamental
frame of a license, a QR-like code, the national emblem and the authority's red seal over the text.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from bench.synth import draw
from bench.synth.base import Box, font

INK = (25, 25, 25)
RED = (214, 40, 40)


class Paper:
    """An image being drawn and the boxes of the fields drawn on it."""

    ink: tuple[int, int, int] = INK  # default text colour; subclasses print in their document's ink

    def __init__(self, rng: random.Random, w: int, h: int, tint: tuple[int, int, int]) -> None:
        self._start(draw.paper((w, h), rng, tint, grain=6.0))

    def _start(self, image: Image.Image) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(self.image)
        self.boxes: dict[str, list[Box]] = {}

    def text(
        self,
        xy: tuple[float, float],
        s: str,
        size: int,
        face: str = "serif",
        fill: tuple[int, ...] | None = None,
        field: str | None = None,
        max_w: float | None = None,
    ) -> Box:
        f = font(face, size)
        if max_w is not None:  # squeeze long values into their cell like a printer would
            while size > 12 and f.getlength(s) > max_w:
                size -= 1
                f = font(face, size)
        fill = self.ink if fill is None else fill
        box: Box = tuple(float(v) for v in self.draw.textbbox(xy, s, font=f))  # type: ignore[assignment]
        self.draw.text(xy, s, font=f, fill=fill)
        if field:
            self.boxes.setdefault(field, []).append(box)
        return box

    def spaced(
        self, xy: tuple[float, float], s: str, width: float, size: int, face: str = "serif-bold"
    ) -> Box:
        """A label spread over ``width`` as licenses print 名　　称 (one char per slot)."""
        f = font(face, size)
        while size > 14 and f.getlength(s) > width:  # long labels (法定代表人姓名) shrink to their slot
            size -= 1
            f = font(face, size)
        if len(s) == 1:
            return self.text(xy, s, size, face)
        step = (width - f.getlength(s[-1])) / (len(s) - 1)
        step = max(step, f.getlength(s[0]))
        for i, ch in enumerate(s):
            self.draw.text((xy[0] + i * step, xy[1]), ch, font=f, fill=INK)
        return (xy[0], xy[1], xy[0] + step * (len(s) - 1) + f.getlength(s[-1]), xy[1] + size)

    def wrapped(
        self,
        xy: tuple[float, float],
        s: str,
        max_w: float,
        size: int,
        face: str,
        field: str,
        leading: float = 1.45,
    ) -> float:
        """Draw ``s`` wrapped at ``max_w`` (at a space when the line has one); returns the y below it."""
        f = font(face, size)
        line, y = "", xy[1]
        for ch in s:
            if line and f.getlength(line + ch) > max_w:
                head, space, tail = line.rpartition(" ")
                if space and head:  # 2019年03月03日 至 / 2049年…: never split a number
                    line, carry = head, tail
                else:
                    carry = ""
                self.text((xy[0], y), line, size, face, field=field)
                line, y = carry, y + size * leading
            line += ch
        if line:
            self.text((xy[0], y), line, size, face, field=field)
            y += size * leading
        return y

    def seal(self, rng: random.Random, cx: float, cy: float, r: float, text: str) -> None:
        """The authority's red round seal centred at (cx, cy), multiply-blended over the text below it."""
        layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        stamp = draw.seal(int(2 * r), rng, text)
        layer.alpha_composite(stamp, (int(cx - stamp.width / 2), int(cy - stamp.height / 2)))
        self.image = draw.multiply(self.image, layer)
        self.draw = ImageDraw.Draw(self.image)

    def border(self, rng: random.Random, margin: int, colour: tuple[int, int, int]) -> None:
        """A guilloche-like frame: interleaved sine ribbons between two rules."""
        w, h = self.image.size
        band = margin * 0.6
        phase = rng.random() * 6
        for k in range(3):
            for side in range(4):
                pts: list[tuple[float, float]] = []
                length = w if side % 2 == 0 else h
                for t in range(0, length, 4):
                    off = band / 2 + band / 2.4 * math.sin(t / 9.0 + phase + k * 2.1)
                    if side == 0:
                        pts.append((t, margin * 0.4 + off))
                    elif side == 1:
                        pts.append((w - margin * 0.4 - off, t))
                    elif side == 2:
                        pts.append((t, h - margin * 0.4 - off))
                    else:
                        pts.append((margin * 0.4 + off, t))
                self.draw.line(pts, fill=colour, width=2)
        inner = margin * 0.4 + band + 4
        self.draw.rectangle((inner, inner, w - inner, h - inner), outline=colour, width=2)

    def emblem(self, rng: random.Random, cx: float, cy: float, r: float) -> None:
        mark = draw.emblem(int(2 * r), rng)
        self.image.paste(mark, (int(cx - r), int(cy - r)), mark)

    def qr(self, rng: random.Random, x: float, y: float, size: float) -> None:
        """A QR-like square: random modules plus the three finder patterns."""
        n = 29
        cell = size / n
        for i in range(n):
            for j in range(n):
                if rng.random() < 0.5:
                    self.draw.rectangle(
                        (x + i * cell, y + j * cell, x + (i + 1) * cell, y + (j + 1) * cell),
                        fill=(10, 10, 10),
                    )
        for fx, fy in ((0, 0), (n - 7, 0), (0, n - 7)):
            x0, y0 = x + fx * cell, y + fy * cell
            self.draw.rectangle((x0, y0, x0 + 7 * cell, y0 + 7 * cell), fill=(255, 255, 255))
            self.draw.rectangle((x0, y0, x0 + 7 * cell, y0 + 7 * cell), outline=(10, 10, 10), width=int(cell))
            self.draw.rectangle(
                (x0 + 2 * cell, y0 + 2 * cell, x0 + 5 * cell, y0 + 5 * cell), fill=(10, 10, 10)
            )
