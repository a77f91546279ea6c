"""bench.speed: stage clock and containment on fakes (fast); the whole bench on 2 generated images (slow).

Nothing here asserts a time: only that the measurements exist, are consistent and land in the output.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from bench.speed.__main__ import main, select_images
from bench.speed.report import ALL, format_tables
from bench.speed.run import containment, peak_rss_mb, raw_text_form
from bench.speed.stages import STAGES, StageClock, instrumented
from bench.synth import corpus
from certscan.ocr.types import Line, Page

TYPES = ["id-card-front", "bank-card"]


class FakeEngine:
    """An engine whose read reports its det/rec split and calls its own detect (nested: not re-counted)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        self.calls.append("detect")
        return []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[SimpleNamespace]:
        self.calls.append("recognize")
        return [SimpleNamespace(text="6222 0200", confidence=0.9) for _ in crops]

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        self.calls.append("read")
        self.detect(image)
        box = np.zeros((4, 2), dtype=np.float32)
        return Page(width=4, height=4, lines=[Line(text="出生 1990年1月2日", box=box, confidence=0.9)],
                    timings={"det": 0.25, "rec": 0.5})


def _fake_pipeline() -> SimpleNamespace:
    return SimpleNamespace(decode_image=lambda data: np.zeros((4, 4, 3), dtype=np.uint8))


def test_stage_clock_splits_read_by_its_timings_and_restores_the_methods() -> None:
    engine, pipeline = FakeEngine(), _fake_pipeline()
    original_decode = pipeline.decode_image
    clock = StageClock()
    with instrumented(engine, pipeline, clock):
        image = pipeline.decode_image(b"x")
        engine.read(image)
        engine.recognize([image, image])
        stages, text = clock.take(total=10.0)
    assert set(stages) == set(STAGES)
    assert stages["det"] == pytest.approx(0.25)  # from read's timings; the nested detect adds nothing real
    assert stages["rec"] >= 0.5  # read's rec plus the direct recognize call
    assert stages["orient"] >= 0.0 and stages["decode"] >= 0.0
    assert sum(stages.values()) == pytest.approx(10.0)  # parse is the remainder of the total
    assert text.splitlines() == ["出生 1990年1月2日", "6222 0200", "6222 0200"]
    assert clock.unsplit_reads == 0
    assert clock.take(total=0.0)[0]["det"] == 0.0  # take() resets
    assert "read" not in vars(engine) and pipeline.decode_image is original_decode
    assert engine.calls == ["read", "detect", "recognize"]


def test_read_without_timings_is_counted_as_unsplit() -> None:
    engine = FakeEngine()
    engine.read = lambda image: Page(width=1, height=1)  # type: ignore[method-assign]
    clock = StageClock()
    with instrumented(engine, _fake_pipeline(), clock):
        engine.read(np.zeros((1, 1, 3), dtype=np.uint8))
    stages, _ = clock.take(total=1.0)
    assert clock.unsplit_reads == 1 and stages["det"] == 0.0 and stages["rec"] == 0.0
    # the instance's own attribute (not the class's method) is back
    assert engine.read(np.zeros((1, 1, 3), dtype=np.uint8)).width == 1


def test_containment_uses_the_scorers_normalisation() -> None:
    label: dict[str, Any] = {"name": "张三", "birthDate": "1990-01-02", "address": "", "angle": 0.0,
                             "number": "6222 0200"}
    raw = "姓名 张三\n出生 1990年1月2日\n卡号 62220200"
    assert raw_text_form("ＡＢ 1990年1月2日") == "AB19900102"
    assert containment("id-card-front", label, raw) == (3, 3)  # blank and angle are not text to find
    assert containment("id-card-front", label, "姓名 李四") == (0, 3)
    plate = {"num": "皖A195K9"}
    assert containment("vehicle-num", plate, "皖A·195K9") == (0, 1)  # the scorer keeps the dot
    assert containment("vehicle-num", plate, "皖A·195K9", lenient=True) == (1, 1)


def test_peak_rss_is_megabytes() -> None:
    assert 10.0 < peak_rss_mb() < 100_000.0


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("speedcorpus")
    errors = corpus.generate(out, per_type=1, seed=7, profile="real", types=TYPES, processes=1)
    assert not any(errors.values()), errors
    return out


@pytest.mark.slow
def test_bench_on_two_generated_images(tiny_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [i.card for i in select_images(tiny_corpus, None, None)] == sorted(TYPES)
    assert main(["--corpus", str(tiny_corpus), "--json", "--workers", "1", "--threads", "1"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["threads"] == 1 and "intra_op_num_threads=1" in summary["stock_engine"]
    assert set(summary["types"]) == {*TYPES, ALL}
    for card, row in summary["types"].items():
        assert row["images"] == (2 if card == ALL else 1)
        stock, certscan = row["stock"], row["certscan"]
        for side in (stock, certscan):
            assert side["images_per_s"] > 0 and 0 < side["p50_s"] <= side["p95_s"]
            assert side["cpu_s_per_image"] > 0
        assert row["ratio"] == pytest.approx(certscan["images_per_s"] / stock["images_per_s"], rel=0.01)
        stages = certscan["stage_seconds_per_image"]
        assert set(stages) == set(STAGES) and stages["det"] > 0 and stages["rec"] > 0
        assert sum(stages.values()) == pytest.approx(certscan["seconds_total"] / row["images"], abs=0.01)
        assert 0.0 <= certscan["field_accuracy"] <= 100.0 and certscan["fields_scored"] > 0
        assert stock["contained"][1] > 0 and 0.0 <= stock["containment"] <= 100.0
        assert stock["contained_lenient"][0] >= stock["contained"][0]
        assert set(stock["engine_seconds_per_image"]) == {"det", "cls", "rec"}
        if card != ALL:
            assert certscan["accuracy"]["images"] == 1  # the harness's own summary, per type
    assert summary["rss_mb"]["after_models_loaded"] > 0
    assert summary["rss_mb"]["peak"] >= summary["rss_mb"]["after_models_loaded"]
    (pool,) = summary["workers"]
    assert pool["processes"] == 1 and pool["images"] == 2 and pool["images_per_s"] > 0
    assert pool["worker_peak_rss_mb"] > 0

    table = format_tables(summary)
    lines = table.splitlines()
    header = next(line for line in lines if line.startswith("card type"))
    columns = ("stock i/s", "certscan i/s", "ratio", "field%", "stock raw%", "lenient", "cs raw%")
    assert all(col in header for col in columns)
    assert "intra_op_num_threads=1" in table
    stage_header = next(line for line in lines if line.startswith("certscan s/image"))
    assert all(stage in stage_header for stage in STAGES)
    for card in (*TYPES, ALL):
        assert sum(line.startswith(card + " ") for line in lines) == 2  # one row in each table
    assert any(line.split()[:2] == ["1", "2"] for line in lines)  # the 1-worker row: 1 process, 2 images


def test_the_loopback_image_server_serves_each_file_with_its_type() -> None:
    import httpx

    from bench.loopback import ImageServer

    server = ImageServer(files={"card.jpg": b"\xff\xd8 fake", "card.png": b"\x89PNG fake"})
    with server.running():
        jpeg = httpx.get(server.url("card.jpg"), timeout=5)
        png = httpx.get(server.url("card.png"), timeout=5)
        missing = httpx.get(server.url("other.png"), timeout=5)
    assert jpeg.status_code == 200
    assert (jpeg.content, jpeg.headers["content-type"]) == (b"\xff\xd8 fake", "image/jpeg")
    assert (png.content, png.headers["content-type"]) == (b"\x89PNG fake", "image/png")
    assert missing.status_code == 404 and server.hits == 3
