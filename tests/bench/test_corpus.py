"""The generator: 2 images per card type with a fixed seed, labels exactly the contract, checks valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bench.accuracy.harness import evaluate, iter_corpus
from bench.synth import corpus
from bench.synth.validate import label_errors, td3_ok
from certscan.checks import luhn, uscc, vin
from certscan.checks.idnumber import is_valid as id_valid
from certscan.checks.regions import is_known_region
from certscan.constants import CARD_TYPES, empty_fields, result_key

SEED = 20261130
pytestmark = pytest.mark.slow  # renders and augments 26 images (~10-30 s on the shared 2 cores)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    errors = corpus.generate(out, per_type=2, seed=SEED, profile="real", processes=2)
    assert not any(errors.values()), errors
    return out


def _labels(root: Path) -> list[tuple[Path, dict[str, Any]]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(root.glob("*/*.json"))]


def test_every_available_type_is_generated(generated: Path) -> None:
    available = corpus.available_types()
    assert {"id-card-front", "id-card-back", "bank-card", "passport"} <= set(available)
    for card in available:
        images = [p for p in (generated / card).iterdir() if p.suffix in (".jpg", ".png")]
        assert len(images) == 2, card


def test_labels_follow_the_contract(generated: Path) -> None:
    labels = _labels(generated)
    assert labels
    for path, label in labels:
        card = label["card"]
        assert card in CARD_TYPES and path.parent.name == card
        fields = label[result_key(card)]
        assert set(fields) == set(empty_fields(card)), path
        assert label_errors(card, fields) == [], path
        assert {"boxes", "augment", "seed", "extra", "card_quad"} <= set(label)
        assert label["augment"]["profile"] == "real"


def test_check_digits_in_labels(generated: Path) -> None:
    checked = 0
    for _, label in _labels(generated):
        card, fields = label["card"], label[result_key(label["card"])]
        for key in ("number", "idNumber"):
            if card != "id-card-back" and fields.get(key):
                assert id_valid(fields[key], is_known_region(fields[key][:6])), fields[key]
                checked += 1
        if fields.get("creditCode"):
            assert uscc.is_valid(fields["creditCode"])
            checked += 1
        if fields.get("vin"):
            assert vin.is_valid(fields["vin"])
            checked += 1
        if fields.get("bankCardNum"):
            assert luhn.is_valid(fields["bankCardNum"]) and 16 <= len(fields["bankCardNum"]) <= 19
            checked += 1
        if card == "passport":
            assert td3_ok(fields["line0"], fields["line1"])
            checked += 1
    assert checked >= 8  # ID front, bank card, passport at least


def test_angle_and_boxes_follow_the_augmentation(generated: Path) -> None:
    for path, label in _labels(generated):
        fields = label[result_key(label["card"])]
        geometry = label["augment"].get("geometry")
        if "angle" in fields and geometry:
            assert fields["angle"] == pytest.approx((geometry["rotation"] + geometry["skew"]) % 360, abs=0.06)
        image = next(p for p in path.parent.glob(path.stem + ".*") if p.suffix != ".json")
        width, height = Image.open(image).size
        for quads in label["boxes"].values():
            for quad in quads:
                for x, y in quad:
                    assert -2 <= x <= width + 2 and -2 <= y <= height + 2, (path, x, y)


def test_harness_scores_a_perfect_and_a_failing_scanner(generated: Path) -> None:
    truth = {(item.card, item.image.read_bytes()): item.fields for item in iter_corpus(generated)}

    def oracle(data: bytes, card: str) -> dict[str, Any]:
        return {result_key(card): truth[(card, data)]}

    def broken(data: bytes, card: str) -> dict[str, Any]:
        raise RuntimeError("no parser")

    perfect = evaluate(generated, scanner=oracle)
    assert perfect and all(r.summary()["document_accuracy"] == 100.0 for r in perfect.values())
    assert all(v == 100.0 for r in perfect.values() for v in r.summary()["check_pass_rate"].values())
    assert not any(r.misses for r in perfect.values())
    failing = evaluate(generated, scanner=broken)
    for report in failing.values():
        summary = report.summary()
        assert summary["field_accuracy"] in (0.0, None) and summary["errors"] == {"RuntimeError": 2}
        assert all(got is None for _, _, _, got in report.misses)


def test_accuracy_harness_end_to_end(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench.accuracy.__main__ import main

    assert main(["--corpus", str(generated), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == set(corpus.available_types())
    for card, summary in report.items():
        assert summary["images"] == 2, card
        assert summary["seconds_median"] is not None
        assert summary["field_accuracy"] is None or 0.0 <= summary["field_accuracy"] <= 100.0
