"""``certscan scan`` prints one results-poll element per file (reads a rendered card; slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from certscan.cli import main
from tests.ocr.cards import FIELDS, id_card_front, on_background

pytestmark = pytest.mark.slow


def test_scan_prints_the_poll_element(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "card.png"
    Image.fromarray(on_background(id_card_front())).save(card)
    missing = tmp_path / "missing.jpg"
    assert main(["scan", "--card", "id-card-front", str(card), str(missing)]) == 1
    out = [json.loads(s) for s in capsys.readouterr().out.splitlines()]
    assert len(out) == 2
    ok, failed = out
    assert ok["code"] == 200 and ok["msg"] == "OK" and ok["url"] == str(card)
    (result,) = ok["results"]
    assert (result["scene"], result["label"], result["suggestion"]) == ("ocr", "ocr", "review")
    info = result["idCardInfo"]
    for key, value in FIELDS.items():
        assert info[key] == value
    assert info["numberValid"] is True and info["type"] == "front" and info["sex"] == "男"
    assert list(info)[:13] == ["name", "nationality", "number", "birth", "address", "authority", "startDate",
                               "endDate", "angle", "copy", "remake", "type", "numberValid"]
    assert failed["code"] != 200 and failed["url"] == str(missing) and "results" not in failed


def test_scan_reports_an_undecodable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not an image")
    assert main(["scan", "--card", "bank-card", str(bad)]) == 1
    (element,) = [json.loads(s) for s in capsys.readouterr().out.splitlines()]
    assert element["code"] == 590
