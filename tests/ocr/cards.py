"""A synthetic ID card portrait side drawn in the test (PIL + WenQuanYi Zen Hei), never a real image; and a
counter of the engine's recognition calls."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from certscan.checks.idnumber import check_char
from certscan.ocr import onnx_engine

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FIRST17 = "11010519900307123"
NUMBER = FIRST17 + check_char(FIRST17)
FIELDS = {"name": "张明华", "nationality": "汉", "birth": "1990-03-07", "number": NUMBER,
          "address": "北京市朝阳区建国路88号院3号楼2单元501室"}


def id_card_front() -> np.ndarray:
    """An upright 856×540 portrait side with the standard rows, as an RGB array."""
    img = Image.new("RGB", (856, 540), (236, 240, 238))
    d = ImageDraw.Draw(img)
    label = ImageFont.truetype(FONT, 26)
    value = ImageFont.truetype(FONT, 30)
    big = ImageFont.truetype(FONT, 38)
    blue = (40, 110, 170)
    ink = (20, 20, 20)
    d.text((60, 60), "姓名", font=label, fill=blue)
    d.text((160, 56), FIELDS["name"], font=value, fill=ink)
    d.text((60, 130), "性别", font=label, fill=blue)
    d.text((160, 126), "男", font=value, fill=ink)
    d.text((300, 130), "民族", font=label, fill=blue)
    d.text((400, 126), "汉", font=value, fill=ink)
    d.text((60, 200), "出生", font=label, fill=blue)
    d.text((160, 196), "1990年3月7日", font=value, fill=ink)
    d.text((60, 270), "住址", font=label, fill=blue)
    d.text((160, 266), "北京市朝阳区建国路88号", font=value, fill=ink)
    d.text((160, 310), "院3号楼2单元501室", font=value, fill=ink)
    d.text((60, 440), "公民身份号码", font=label, fill=blue)
    d.text((300, 434), NUMBER, font=big, fill=ink)
    d.rectangle((620, 60, 800, 280), fill=(200, 205, 210))  # the portrait
    return np.asarray(img)


def on_background(card: np.ndarray, pad: int = 60) -> np.ndarray:
    out = np.full((card.shape[0] + 2 * pad, card.shape[1] + 2 * pad, 3), (90, 110, 95), dtype=np.uint8)
    out[pad:pad + card.shape[0], pad:pad + card.shape[1]] = card
    return out


def rotated(image: np.ndarray, clockwise: int) -> np.ndarray:
    """``image`` turned clockwise by 0/90/180/270 degrees."""
    return np.ascontiguousarray(np.rot90(image, k=-(clockwise // 90)))


def counted_recognitions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records the number of crops of every recognition call the engine makes."""
    counted: list[int] = []
    real = onnx_engine.recognize

    def counting(sess: object, charset: object, crops: list[np.ndarray], *args: object) -> object:
        counted.append(len(crops))
        return real(sess, charset, crops, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(onnx_engine, "recognize", counting)
    return counted
