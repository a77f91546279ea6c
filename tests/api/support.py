"""Test helpers: generated card images and request bodies, and the loopback harness (an image server, a real
``certscan serve`` process, the vendor SDK as client) which lives in ``bench.loopback`` because
``bench.speed.http`` starts the product the same way."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw

from bench.loopback import ImageServer, SdkClient, ServerProcess, free_port

__all__ = ["ImageServer", "SdkClient", "ServerProcess", "free_port", "id_number", "png_bytes",
           "render_id_card_front", "scan_body"]


def png_bytes(width: int = 320, height: int = 200, color: str = "white") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, format="PNG")
    return buf.getvalue()


def id_number(first17: str) -> str:
    from certscan.checks.idnumber import check_char

    return first17 + check_char(first17)


def render_id_card_front(name: str, number: str) -> bytes:
    """A plain synthetic ID card portrait side (generated values, CJK font), as PNG bytes."""
    from bench.synth.base import font

    image = Image.new("RGB", (856, 540), (246, 248, 250))
    draw = ImageDraw.Draw(image)
    label, value = font("hei", 26), font("hei", 32)
    rows = [("姓名", name, 60), ("性别", "男      民族  汉", 130), ("出生", "1990年 3 月 7 日", 200),
            ("住址", "北京市东城区景山前街4号", 270)]
    for caption, text, y in rows:
        draw.text((60, y), caption, font=label, fill=(40, 90, 160))
        draw.text((170, y - 4), text, font=value, fill=(10, 10, 10))
    draw.text((60, 440), "公民身份号码", font=label, fill=(40, 90, 160))
    draw.text((270, 434), number, font=font("ocrb", 38), fill=(10, 10, 10))
    draw.rectangle((600, 80, 800, 330), outline=(180, 180, 180), width=3)  # the photo's place
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def scan_body(urls: list[str], card: str = "id-card-front", **extra: Any) -> dict[str, Any]:
    return {"scenes": ["ocr"], "extras": {"card": card},
            "tasks": [{"dataId": f"d{i}", "url": url} for i, url in enumerate(urls)], **extra}
