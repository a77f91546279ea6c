"""Augmentation: deterministic, recorded, and field boxes carried through the geometry."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bench.synth import corpus
from bench.synth.augment import augment
from bench.synth.base import RenderedCard


def _card() -> RenderedCard:
    img = Image.new("RGB", (400, 250), (250, 250, 250))
    ImageDraw.Draw(img).rectangle((100, 100, 160, 140), fill=(0, 0, 0))
    return RenderedCard(img, {"bankCardNum": "0"}, {"bankCardNum": [(100.0, 100.0, 160.0, 140.0)]})


def test_clean_profile_keeps_the_flat_card() -> None:
    out = augment(_card(), random.Random(1), "clean")
    assert out.angle == 0.0 and out.image.size == (400, 250)
    assert out.boxes["bankCardNum"] == [[(100.0, 100.0), (160.0, 100.0), (160.0, 140.0), (100.0, 140.0)]]
    assert out.record == {"profile": "clean", "format": "jpeg", "jpeg_quality": 95}


def test_real_profile_moves_boxes_with_the_card() -> None:
    for seed in range(12):
        out = augment(_card(), random.Random(seed), "real")
        geometry = out.record["geometry"]
        assert out.angle == pytest.approx((geometry["rotation"] + geometry["skew"]) % 360, abs=0.06)
        assert 25 <= out.record.get("jpeg_quality", 50) <= 90
        if out.record.get("photocopy") or "occlusion" in out.record or "glare" in out.record:
            continue
        # The black rectangle is where its box says: dark pixels inside the transformed quad's centre.
        quad = np.asarray(out.boxes["bankCardNum"][0])
        cx, cy = quad.mean(axis=0)
        gray = np.asarray(out.image.convert("L"), np.float32)
        assert gray[int(cy), int(cx)] < 110, (seed, out.record)


def test_same_seed_same_image() -> None:
    a = corpus.make_sample("bank-card", 3, 7, "real")
    b = corpus.make_sample("bank-card", 3, 7, "real")
    c = corpus.make_sample("bank-card", 4, 7, "real")
    assert a.augmented.data == b.augmented.data and a.label() == b.label()
    assert a.augmented.data != c.augmented.data
    assert corpus.image_seed(7, "bank-card", 3) != corpus.image_seed(7, "bank-card", 4)
