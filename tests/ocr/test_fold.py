"""Folding the shipped models' scalar affine steps into their convolutions: the same outputs, fewer ops."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest

from certscan.ocr import models
from certscan.ocr.fold import fold_affine
from certscan.ocr.onnx_graph import Graph
from certscan.ocr.recognize import recognize
from tests.ocr.cards import FIELDS, id_card_front


def _ops(model: bytes) -> list[str]:
    return [node.op for node in Graph.parse(model).nodes()]


@pytest.mark.parametrize("kind", ["det", "rec", "cls"])
def test_every_model_loses_its_element_wise_steps(kind: str) -> None:
    shipped = models.model_path(kind).read_bytes()
    folded, count = fold_affine(shipped)
    assert count > 10
    before, after = _ops(shipped), _ops(folded)
    assert len(after) < len(before)
    assert after.count("Div") < before.count("Div") and after.count("Clip") < before.count("Clip")
    assert after.count("Mul") + after.count("Add") < before.count("Mul") + before.count("Add")
    assert fold_affine(folded) == (folded, 0)  # nothing left to fold: the same bytes back


def _session(model: bytes) -> ort.InferenceSession:
    return ort.InferenceSession(model, sess_options=models.session_options(1),
                                providers=["CPUExecutionProvider"])


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "shape"), [("rec", (2, 3, 48, 320)), ("det", (1, 3, 320, 480))])
def test_folded_model_computes_the_same_function(kind: str, shape: tuple[int, ...]) -> None:
    shipped = models.model_path(kind).read_bytes()
    x = np.random.default_rng(3).uniform(-1, 1, shape).astype(np.float32)
    outputs = []
    for model in (shipped, fold_affine(shipped)[0]):
        session = _session(model)
        outputs.append(session.run(None, {session.get_inputs()[0].name: x})[0])
    np.testing.assert_allclose(outputs[1], outputs[0], atol=1e-4)


@pytest.mark.slow
def test_folded_recogniser_reads_a_card_line() -> None:
    session = models.session("rec", 1, fold=True)
    crop = np.ascontiguousarray(id_card_front()[430:485, 290:780, ::-1])
    (read,) = recognize(session, models.charset(session), [crop])
    assert read.text == FIELDS["number"] and read.confidence > 0.8


def test_detector_upsampling_bias_and_normalisation_fold_into_the_transposed_convolutions() -> None:
    shipped = models.model_path("det").read_bytes()
    graph = Graph.parse(fold_affine(shipped)[0])
    users = graph.consumers()
    ups = [n for n in graph.nodes() if n.op == "ConvTranspose"]
    assert len(ups) == 2
    for up in ups:
        assert len(up.inputs) == 3  # the bias is the convolution's own now
        assert [n.op for n in users[up.outputs[0]]] in (["Relu"], ["Sigmoid"])
    norms = [_ops(model).count("BatchNormalization") for model in (shipped, fold_affine(shipped)[0])]
    assert norms[1] < norms[0]
