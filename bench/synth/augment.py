"""Turn a flat rendered card into a photo-like image, recording every step in the label.

Steps (the ``real`` profile draws a random mix; ``clean`` keeps the flat card): occlusion of non-key areas,
rotation 0/90/180/270 plus up to ±15° skew, perspective warp, placement on a textured background at
30–90 % of the frame with a soft shadow, low resolution (an ID card ≈ 350 px wide; larger documents at
the same pixels per mm, from RenderedCard.width_mm), brightness/contrast/colour
cast, glare, photocopy look, blur, noise and the file format (JPEG quality 25–90, sometimes PNG).
Field boxes are carried through the geometry as quadrilaterals.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from bench.synth import draw
from bench.synth.base import ID1_WIDTH_MM, Box, RenderedCard

Point = tuple[float, float]
Quad = list[Point]
PROFILES = ("clean", "real")
MAX_PHOTO_SIDE = 4000  # a phone photo; only documents larger than an ID card get canvases past MAX_SIDE
MAX_SIDE = 1800  # keeps files and run time reasonable; a 5000-px phone photo is not needed for parsing


@dataclass
class Augmented:
    image: Image.Image
    boxes: dict[str, list[Quad]]
    card_quad: Quad
    angle: float  # clockwise rotation of the card in the image, degrees in [0, 360)
    record: dict[str, Any] = field(default_factory=dict)
    data: bytes = b""
    ext: str = "jpg"


def _corners(box: Box) -> Quad:
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _apply(h: np.ndarray, quad: Quad) -> Quad:
    pts = cv2.perspectiveTransform(np.asarray([quad], np.float64), h)[0]
    return [(round(float(x), 1), round(float(y), 1)) for x, y in pts]


def _occlude(img: Image.Image, boxes: dict[str, list[Box]], rng: random.Random) -> dict[str, Any] | None:
    """Cover a patch away from every field box with a thumb, a sticker or a paper scrap."""
    w, h = img.size
    keep = [b for bs in boxes.values() for b in bs]
    for _ in range(30):
        kind = rng.choice(["thumb", "sticker", "scrap"])
        ow, oh = rng.uniform(0.1, 0.22) * w, rng.uniform(0.12, 0.3) * h
        if kind == "thumb":  # a holding thumb comes in over an edge
            edge = rng.choice(["left", "right", "bottom"])
            x0 = {"left": -0.4 * ow, "right": w - 0.6 * ow}.get(edge, rng.uniform(0, w - ow))
            y0 = h - 0.6 * oh if edge == "bottom" else rng.uniform(0, h - oh)
        else:
            x0 = rng.choice([rng.uniform(-0.3 * ow, 0.15 * w), rng.uniform(0.6 * w, w - 0.7 * ow)])
            y0 = rng.uniform(-0.2 * oh, h - 0.8 * oh)
        cand = (x0, y0, x0 + ow, y0 + oh)
        if any(not (cand[2] < b[0] or cand[0] > b[2] or cand[3] < b[1] or cand[1] > b[3]) for b in keep):
            continue
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        if kind == "thumb":
            skin = rng.choice([(225, 185, 160), (200, 160, 130), (240, 205, 185)])
            d.ellipse(cand, fill=(*skin, 255))
            d.ellipse((cand[0] + ow * 0.2, cand[1] + oh * 0.1, cand[2] - ow * 0.2, cand[1] + oh * 0.45),
                      fill=(min(255, skin[0] + 15), min(255, skin[1] + 20), min(255, skin[2] + 20), 200))
        elif kind == "sticker":
            d.rectangle(cand, fill=(rng.randint(200, 255), rng.randint(200, 255), rng.randint(60, 160), 240))
        else:
            d.polygon([(cand[0], cand[1]), (cand[2], cand[1] + oh * 0.1), (cand[2] - ow * 0.1, cand[3]),
                       (cand[0] + ow * 0.05, cand[3] - oh * 0.1)], fill=(245, 245, 240, 250))
        img.paste(Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB"))
        return {"kind": kind, "box": [round(v, 1) for v in cand]}
    return None


def _geometry(card: Image.Image, rng: random.Random, scene: bool, max_side: float = MAX_SIDE
              ) -> tuple[np.ndarray, tuple[int, int], dict[str, Any], float]:
    """Homography from card pixels to a new canvas, the canvas size, the record and the angle."""
    w, h = card.size
    if scene:
        rotation, skew = 0, rng.uniform(-6, 6)
    else:
        rotation = rng.choices([0, 90, 180, 270], weights=[55, 15, 15, 15], k=1)[0]
        skew = rng.uniform(-15, 15) if rng.random() < 0.7 else 0.0
    theta = math.radians(rotation + skew)
    c, s = math.cos(theta), math.sin(theta)
    src = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    pts = [((x - w / 2) * c - (y - h / 2) * s, (x - w / 2) * s + (y - h / 2) * c) for x, y in src]
    persp = rng.uniform(0.02, 0.09) if rng.random() < 0.5 else 0.0
    jitter = persp * min(w, h)
    pts = [(x + rng.uniform(-jitter, jitter), y + rng.uniform(-jitter, jitter)) for x, y in pts]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    fill = rng.uniform(0.3, 0.9) if not scene else 1.0
    cw = bw / fill
    ch = max(bh / fill * rng.uniform(0.85, 1.2), bh * 1.02) if not scene else bh
    cw, ch = max(cw, bw + 2), max(ch, bh + 2)
    ox = rng.uniform(0, cw - bw) - min(xs)
    oy = rng.uniform(0, ch - bh) - min(ys)
    dst = [(x + ox, y + oy) for x, y in pts]
    scale = min(1.0, max_side / max(cw, ch))
    dst = [(x * scale, y * scale) for x, y in dst]
    size = (max(1, int(cw * scale)), max(1, int(ch * scale)))
    hmat = cv2.getPerspectiveTransform(np.asarray(src, np.float32), np.asarray(dst, np.float32))
    record = {"rotation": rotation, "skew": round(skew, 2), "perspective": round(persp, 3),
              "fill": round(fill, 3), "canvas": list(size)}
    return hmat, size, record, (rotation + skew) % 360


def _place(card: Image.Image, hmat: np.ndarray, size: tuple[int, int], rng: random.Random,
           scene: bool, surface: str | None = None) -> tuple[Image.Image, str]:
    w, h = card.size
    mask = draw.rounded_mask(card.size, 0 if scene else max(2, int(0.035 * min(w, h))))
    warped = cv2.warpPerspective(np.asarray(card), hmat, size, flags=cv2.INTER_AREA if size[0] < w else
                                 cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    alpha = cv2.warpPerspective(np.asarray(mask), hmat, size, flags=cv2.INTER_LINEAR)
    if scene:
        return Image.fromarray(warped), "none"
    background, kind = draw.texture(size, rng, surface)
    # The shadow is soft: blur it at a quarter of the size.
    quarter = (max(1, size[0] // 4), max(1, size[1] // 4))
    shadow = Image.fromarray(alpha).resize(quarter, Image.Resampling.BILINEAR)
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(1, size[0] // 480)))
    shadow = shadow.resize(size, Image.Resampling.BILINEAR)
    offset = max(2, size[0] // 150)
    shadow = ImageOps.expand(shadow, border=(offset, offset, 0, 0)).crop((0, 0, *size))
    background = Image.composite(ImageEnhance.Brightness(background).enhance(0.6), background,
                                 shadow.point(lambda v: int(v * 0.7)))
    return Image.composite(Image.fromarray(warped), background, Image.fromarray(alpha)), kind


def _shading(img: Image.Image, rng: random.Random) -> tuple[Image.Image, dict[str, Any]]:
    """Uneven light across the frame (a lamp to one side, the phone's own shadow): 55-100 % brightness."""
    low = rng.uniform(0.55, 0.85)
    dim = int(255 * low)
    ramp = draw.gradient(img.size, (255, 255, 255), (dim, dim, dim), rng.uniform(0, 360))
    return ImageChops.multiply(img, ramp), {"low": round(low, 2)}


def _photometric(img: Image.Image, rng: random.Random, rec: dict[str, Any]) -> Image.Image:
    colour_ok = not rec.get("photocopy")  # a photocopy stays grey
    if rng.random() < 0.6 and colour_ok:
        b, c = rng.uniform(0.7, 1.25), rng.uniform(0.7, 1.3)
        cast = [rng.uniform(0.88, 1.12) for _ in range(3)]
        img = ImageEnhance.Contrast(ImageEnhance.Brightness(img).enhance(b)).enhance(c)
        arr = np.asarray(img, np.float32) * np.asarray(cast, np.float32)[None, None, :]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        rec["color"] = {"brightness": round(b, 2), "contrast": round(c, 2),
                        "cast": [round(v, 2) for v in cast]}
    if rng.random() < 0.25:
        w, h = img.size
        cx, cy, r = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h, rng.uniform(0.08, 0.25) * max(w, h)
        strength = rng.uniform(0.35, 0.7)
        # A Gaussian light spot, computed at a quarter of the size (it is smooth) and upscaled.
        qw, qh = max(1, w // 4), max(1, h // 4)
        yy, xx = np.mgrid[0:qh, 0:qw].astype(np.float32) * 4
        small = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)) * strength
        spot = np.asarray(Image.fromarray(small.astype(np.float32), "F").resize((w, h)), np.float32)
        arr = np.asarray(img, np.float32)
        arr = arr + (255 - arr) * spot[..., None]
        img = Image.fromarray(arr.astype(np.uint8))
        rec["glare"] = {"center": [round(cx), round(cy)], "radius": round(r), "strength": round(strength, 2)}
    if rng.random() < 0.35:
        img, rec["shading"] = _shading(img, rng)
    if rng.random() < 0.3:
        radius = rng.uniform(0.4, 1.6)
        img = img.filter(ImageFilter.GaussianBlur(radius))
        rec["blur"] = round(radius, 2)
    elif rng.random() < 0.15:  # hand shake: a short linear motion blur
        length, angle = rng.randint(3, 9), rng.uniform(0, 180)
        line = np.zeros((length, length), np.float32)
        line[length // 2, :] = 1.0
        rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
        kernel = np.asarray(cv2.warpAffine(line, rot, (length, length)), np.float32)
        kernel = kernel / max(1e-6, float(kernel.sum()))
        img = Image.fromarray(cv2.filter2D(np.asarray(img), -1, kernel))
        rec["motion_blur"] = {"length": length, "angle": round(angle, 1)}
    if rng.random() < 0.3:
        sigma = rng.uniform(3, 12)
        img = draw.grain(img, sigma, rng)
        rec["noise"] = round(sigma, 1)
    return img


def photocopy(img: Image.Image) -> Image.Image:
    """Grey and high contrast: the pale ground washes out to white, print goes darker."""
    gray = ImageOps.autocontrast(img.convert("L"), cutoff=1)
    return gray.point(lambda v: max(0, min(255, int((v - 50) * 1.45)))).convert("RGB")


def _encode(img: Image.Image, rng: random.Random, profile: str, rec: dict[str, Any]) -> tuple[bytes, str]:
    buf = io.BytesIO()
    if profile == "real" and rng.random() < 0.1:
        img.save(buf, "PNG", compress_level=3)
        rec["format"] = "png"
        return buf.getvalue(), "png"
    quality = 95 if profile == "clean" else rng.randint(25, 90)
    img.save(buf, "JPEG", quality=quality)
    rec["format"], rec["jpeg_quality"] = "jpeg", quality
    return buf.getvalue(), "jpg"


def augment(card: RenderedCard, rng: random.Random, profile: str = "real") -> Augmented:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {PROFILES}")
    image = card.image.convert("RGB")
    rec: dict[str, Any] = {"profile": profile}
    flat_boxes = {k: [_corners(b) for b in v] for k, v in card.boxes.items()}
    w, h = image.size
    card_quad: Quad = _corners((0.0, 0.0, float(w), float(h)))
    if profile == "clean":
        data, ext = _encode(image, rng, profile, rec)
        return Augmented(image, flat_boxes, card_quad, 0.0, rec, data, ext)

    scene = card.kind == "scene"
    image = image.copy()
    copied = not scene and rng.random() < 0.12  # a photocopy lies on a white sheet
    if copied:
        image = photocopy(image)
        rec["photocopy"] = True
    if not scene and rng.random() < 0.25:
        occlusion = _occlude(image, card.boxes, rng)
        if occlusion:
            rec["occlusion"] = occlusion
    # Documents larger than an ID card keep the pixels per mm a photo of them would have.
    size_factor = max(1.0, card.width_mm / ID1_WIDTH_MM)
    hmat, size, rec["geometry"], angle = _geometry(image, rng, scene,
                                                   min(MAX_PHOTO_SIDE, MAX_SIDE * size_factor))
    image, rec["background"] = _place(image, hmat, size, rng, scene, "paper" if copied else None)
    boxes = {k: [_apply(hmat, q) for q in v] for k, v in flat_boxes.items()}
    card_quad = _apply(hmat, card_quad)
    card_width = math.dist(card_quad[0], card_quad[1])
    low_width = rng.uniform(330, 370) * size_factor  # an ID card ≈ 350 px wide, at the same px/mm
    if not scene and rng.random() < 0.2 and card_width > low_width + 10:
        factor = low_width / card_width
        image = image.resize((max(1, round(image.size[0] * factor)), max(1, round(image.size[1] * factor))),
                             Image.Resampling.BILINEAR)
        scale = np.diag([factor, factor, 1.0])
        boxes = {k: [_apply(scale, q) for q in v] for k, v in boxes.items()}
        card_quad = _apply(scale, card_quad)
        rec["low_resolution"] = {"factor": round(factor, 3)}
    image = _photometric(image, rng, rec)
    data, ext = _encode(image, rng, profile, rec)
    return Augmented(image, boxes, card_quad, round(angle, 1), rec, data, ext)
