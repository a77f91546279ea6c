"""Dynamic int8 quantisation of a shipped ONNX model, done in memory when its session is built.

``onnxruntime.quantization`` needs the ``onnx`` package, which certscan does not depend on; the rewrite
it does for dynamic quantisation is small enough to do here on the protobuf wire format directly:

- ``MatMul(A, W)`` with a constant 2-D ``W`` becomes ``DynamicQuantizeMatMul(A, W_int8, scale, zero)``
  (an ONNX Runtime contrib op: the activation is quantised per call, the weight once, per column).
- ``Conv(X, W, B)`` with ``group == 1`` becomes ``DynamicQuantizeLinear(X)`` → ``ConvInteger`` → ``Cast``
  → ``Mul`` by the two scales → ``Add`` of the bias: what ``quantize_dynamic`` emits for Conv. Depthwise
  convolutions stay float (ConvInteger has no fast depthwise kernel).

Only the nodes named above change; every other byte of the model is copied as it is. Nothing is written
to disk: the rewritten model is handed to ONNX Runtime as bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from certscan.ocr.onnx_graph import FLOAT_TYPE, Graph, Node, constant, int_attr

MS_DOMAIN = "com.microsoft"  # ONNX Runtime's contrib operators (DynamicQuantizeMatMul)


# -- weight quantisation -------------------------------------------------------------------------------------
def symmetric_int8(weight: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(int8 weight, float scale per slice along ``axis``): zero maps to 0, the largest |w| to 127."""
    others = tuple(i for i in range(weight.ndim) if i != axis)
    peak = np.abs(weight).max(axis=others)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    shape = [1] * weight.ndim
    shape[axis] = -1
    q = np.clip(np.round(weight / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def offset_uint8(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(uint8 weight, scale per output channel, zero point) as ConvInteger takes them: ONNX Runtime's
    kernel wants one zero point for the whole weight, so each channel is quantised symmetrically about 128
    with its own scale (applied after the integer convolution)."""
    q, scale = symmetric_int8(weight, axis=0)
    return (q.astype(np.int16) + 128).astype(np.uint8), scale, np.array(128, dtype=np.uint8)


@dataclass
class _Rewrite:
    nodes: list[Node] = field(default_factory=list)
    count: int = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.nodes.append(constant(name, value))
        return name

    def matmul(self, node: Node, weight: np.ndarray) -> None:
        q, scale = symmetric_int8(weight, axis=1)  # per output column
        base = f"{node.outputs[0]}_q8"
        inputs = [node.inputs[0], self.const(f"{base}_w", q), self.const(f"{base}_scale", scale),
                  self.const(f"{base}_zero", np.zeros_like(q[0]))]
        self.nodes.append(Node(op="DynamicQuantizeMatMul", inputs=inputs, outputs=node.outputs,
                               name=f"{base}_node", domain=MS_DOMAIN))
        self.count += 1

    def conv(self, node: Node, weight: np.ndarray, bias: np.ndarray | None) -> None:
        q, scale, zero = offset_uint8(weight)
        base = f"{node.outputs[0]}_q8"
        x_q, x_scale, x_zero = f"{base}_x", f"{base}_x_scale", f"{base}_x_zero"
        self.nodes.append(Node(op="DynamicQuantizeLinear", inputs=[node.inputs[0]],
                               outputs=[x_q, x_scale, x_zero], name=f"{base}_dql"))
        acc = f"{base}_acc"
        self.nodes.append(Node(op="ConvInteger", name=f"{base}_conv", outputs=[acc], attrs=node.attrs,
                               inputs=[x_q, self.const(f"{base}_w", q), x_zero,
                                       self.const(f"{base}_w_zero", zero)]))
        as_float = f"{base}_float"
        self.nodes.append(Node(op="Cast", inputs=[acc], outputs=[as_float], name=f"{base}_cast",
                               attrs=[int_attr("to", FLOAT_TYPE)]))
        w_scaled = f"{base}_wscaled"
        self.nodes.append(Node(op="Mul", inputs=[as_float, self.const(f"{base}_w_scale",
                                                                       scale.reshape(1, -1, 1, 1))],
                               outputs=[w_scaled], name=f"{base}_mul_w"))
        scaled = f"{base}_scaled" if bias is not None else node.outputs[0]
        self.nodes.append(Node(op="Mul", inputs=[w_scaled, x_scale], outputs=[scaled], name=f"{base}_mul_x"))
        if bias is not None:
            self.nodes.append(Node(op="Add", inputs=[scaled, self.const(f"{base}_bias",
                                                                         bias.reshape(1, -1, 1, 1))],
                                   outputs=node.outputs, name=f"{base}_bias_add"))
        self.count += 1


def quantize_dynamic(model: bytes, ops: frozenset[str] = frozenset({"MatMul"})) -> tuple[bytes, int]:
    """``model`` with its constant-weight ``ops`` ("MatMul", "Conv") quantised; and how many were."""
    graph = Graph.parse(model)
    rewrite = _Rewrite()
    entries: list = []
    for entry in graph.entries:
        rewrite.nodes = []
        if isinstance(entry, Node) and entry.op in ops and not entry.domain:
            _rewrite_node(rewrite, graph.constants, entry)
        entries += rewrite.nodes or [entry]
    if not rewrite.count:
        return model, 0
    graph.entries = entries
    graph.domains.add(MS_DOMAIN)
    return graph.encode(), rewrite.count


def _rewrite_node(rewrite: _Rewrite, constants: dict[str, np.ndarray], node: Node) -> None:
    weight = constants.get(node.inputs[1]) if len(node.inputs) > 1 else None
    if weight is None or weight.dtype != np.float32:
        return
    if node.op == "MatMul" and weight.ndim == 2:
        rewrite.matmul(node, weight)
    elif node.op == "Conv" and node.int_attr("group", 1) == 1:
        rewrite.conv(node, weight, constants.get(node.inputs[2]) if len(node.inputs) > 2 else None)
