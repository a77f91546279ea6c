"""bench.speed.ab: per-side settings in the environment, the report's totals and differences (fast, fakes)."""

from __future__ import annotations

import argparse
import os

import pytest

from bench.speed.ab import Side, _pairs, report, settings_env
from certscan.settings import get_settings


def test_side_settings_apply_only_inside_the_block() -> None:
    os.environ.pop("CERTSCAN_REC_INT8", None)
    with settings_env({"CERTSCAN_REC_INT8": "matmul"}):
        assert get_settings().rec_int8 == "matmul"
    assert get_settings().rec_int8 == ""
    assert "CERTSCAN_REC_INT8" not in os.environ


def test_only_certscan_settings_are_taken() -> None:
    assert _pairs(["CERTSCAN_OCR_FOLD_AFFINE=0"]) == {"CERTSCAN_OCR_FOLD_AFFINE": "0"}
    with pytest.raises(argparse.ArgumentTypeError):
        _pairs(["PATH=/tmp"])
    with pytest.raises(argparse.ArgumentTypeError):
        _pairs(["CERTSCAN_OCR_FOLD_AFFINE"])


def test_report_totals_and_differences() -> None:
    a = Side(env={}, hits={"bank-card": [9, 10]}, cpu={"bank-card": 2.0})
    b = Side(env={"CERTSCAN_X": "1"}, hits={"bank-card": [10, 10]}, cpu={"bank-card": 1.0})
    text = report({"bank-card": 2}, [a, b], [("x.jpg", "cardNumber", "62", "6", "62")])
    assert "bank-card" in text and "90.0" in text and "100.0" in text
    assert "0.50" in text  # B/A CPU
    assert "fields answered differently: 1" in text and "x.jpg cardNumber" in text
