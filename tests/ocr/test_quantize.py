"""Dynamic int8 quantisation of the shipped recogniser, done on the protobuf wire format in memory."""

from __future__ import annotations

import numpy as np
import pytest

from certscan.ocr import models
from certscan.ocr.onnx_graph import Node, constant, tensor_of
from certscan.ocr.quantize import offset_uint8, quantize_dynamic, symmetric_int8
from certscan.ocr.recognize import recognize
from tests.ocr.cards import FIELDS, id_card_front


def test_weights_round_trip_within_half_a_step() -> None:
    rng = np.random.default_rng(7)
    weight = rng.normal(size=(16, 5)).astype(np.float32)
    q, scale = symmetric_int8(weight, axis=1)
    assert q.dtype == np.int8 and scale.shape == (5,)
    assert np.all(np.abs(q.astype(np.float32) * scale - weight) <= scale / 2 + 1e-6)
    conv = rng.normal(size=(4, 3, 1, 1)).astype(np.float32)
    qu, cscale, zero = offset_uint8(conv)
    restored = (qu.astype(np.float32) - float(zero)) * cscale.reshape(-1, 1, 1, 1)
    assert np.all(np.abs(restored - conv) <= cscale.reshape(-1, 1, 1, 1) / 2 + 1e-6)


def test_constant_nodes_encode_and_decode() -> None:
    value = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
    node = constant("w", value)
    decoded = tensor_of(Node.parse(node.encode()))
    assert decoded is not None and decoded.dtype == np.float32
    np.testing.assert_array_equal(decoded, value)


def test_no_op_types_leave_the_model_byte_identical() -> None:
    data = models.model_path("rec").read_bytes()
    assert quantize_dynamic(data, frozenset()) == (data, 0)


def test_unknown_op_type_setting_is_refused() -> None:
    assert models.int8_ops(" MatMul, conv ") == frozenset({"MatMul", "Conv"})
    assert models.int8_ops("") == frozenset()
    with pytest.raises(ValueError):
        models.int8_ops("gemm")


@pytest.mark.slow
@pytest.mark.parametrize("ops", ["matmul", "matmul,conv"])
def test_quantised_recogniser_reads_a_card_line(ops: str) -> None:
    _, count = quantize_dynamic(models.model_path("rec").read_bytes(), models.int8_ops(ops))
    assert count >= 9  # the recogniser's constant-weight MatMuls (and group-1 convolutions)
    session = models.session("rec", 1, int8_ops=models.int8_ops(ops))
    charset = models.charset(session)
    crop = np.ascontiguousarray(id_card_front()[430:485, 290:780, ::-1])
    (read,) = recognize(session, charset, [crop])
    assert read.text == FIELDS["number"]
