"""Fold the recogniser's scalar affine steps into its convolutions: the same function, fewer operators.

PP-OCRv4's recogniser (PPLCNetV3) wraps every convolution in "learnable affine blocks" and a hard-swish
that the Paddle export spells out op by op::

    Conv → Mul(a) → Add(b) → [Add(3) → Clip(0, 6) → Mul(x) → Div(6)] → Mul(c) → Add(d) → Conv

ONNX Runtime fuses none of it (the scalars are separate Constant nodes): on these CPUs the element-wise
operators and the layout reorders they force between convolutions were 45 % of recognition time, the
convolutions themselves half. Exact rewrites, up to float rounding:

- ``Conv → Mul(a) → Add(b)``: the convolution's weights times ``a``, its bias ``a·bias + b``.
- hard-swish ``x·clip(x + 3, 0, 6) / 6``: ``x · HardSigmoid(x)`` (alpha 1/6, beta 1/2), two operators.
- ``Mul(c) → Add(d) → Conv``: the next convolution's weights times ``c``; ``d`` goes into its bias
  (``+ d·Σw`` per output channel) when it has no padding, else stays as a shift by ``d/c`` before it
  (zero padding of ``x + d/c`` times ``c·w`` is the zero padding of ``c·x + d`` times ``w``), done by a
  1×1 depthwise convolution so the tensor stays in ONNX Runtime's blocked layout.

A step is folded only where its intermediate tensors feed nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from certscan.ocr.onnx_graph import Graph, Node, constant, float_attr, int_attr


@dataclass
class _Folder:
    graph: Graph
    consumers: dict[str, list[Node]]
    removed: set[int]  # id() of nodes dropped from the graph
    before: dict[int, list[Node]]  # id() of a node → new nodes to insert in front of it
    folded: int = 0

    def value(self, name: str) -> float | None:
        """The value of a one-element float constant, else None."""
        value = self.graph.constants.get(name)
        return float(value.ravel()[0]) if value is not None and value.size == 1 else None

    def scalar(self, node: Node) -> tuple[str, float] | None:
        """(the other input, the constant) of a binary node with one scalar constant input."""
        if len(node.inputs) != 2:
            return None
        for k in (0, 1):
            value = self.graph.constants.get(node.inputs[k])
            if value is not None and value.size == 1 and value.dtype == np.float32:
                return node.inputs[1 - k], float(value.ravel()[0])
        return None

    def only_consumer(self, name: str, op: str) -> Node | None:
        users = self.consumers.get(name, [])
        if len(users) == 1 and users[0].op == op and id(users[0]) not in self.removed:
            return users[0]
        return None

    def weights(self, conv: Node) -> tuple[np.ndarray, np.ndarray] | None:
        """A Conv's (or an ungrouped ConvTranspose's) weight and bias (zeros when it has none): the
        output channels are the weight's first axis for a Conv, its second for a ConvTranspose."""
        weight = self.graph.constants.get(conv.inputs[1]) if len(conv.inputs) > 1 else None
        if weight is None or weight.dtype != np.float32 or weight.ndim != 4:
            return None
        bias = self.graph.constants.get(conv.inputs[2]) if len(conv.inputs) > 2 else None
        channels = weight.shape[1 if conv.op == "ConvTranspose" else 0]
        return weight, (bias.ravel() if bias is not None else np.zeros(channels, np.float32))

    def set_weights(self, conv: Node, weight: np.ndarray, bias: np.ndarray) -> None:
        base = f"{conv.outputs[0]}_folded{self.folded}"
        new = [constant(f"{base}_w", weight.astype(np.float32)),
               constant(f"{base}_b", bias.astype(np.float32))]
        self.before.setdefault(id(conv), []).extend(new)
        conv.inputs = [conv.inputs[0], new[0].outputs[0], new[1].outputs[0]]
        self.graph.constants[new[0].outputs[0]] = weight.astype(np.float32)
        self.graph.constants[new[1].outputs[0]] = bias.astype(np.float32)
        self.folded += 1

    def live_consumers(self) -> dict[str, list[Node]]:
        """Tensor name → the nodes left that take it, the inserted ones included."""
        out: dict[str, list[Node]] = {}
        for node in self.graph.nodes():
            for live in [*self.before.get(id(node), []), node]:
                if id(live) in self.removed:
                    continue
                for name in live.inputs:
                    out.setdefault(name, []).append(live)
        return out

    def drop(self, *nodes: Node) -> None:
        self.removed.update(id(n) for n in nodes)

    # -- the three rewrites ----------------------------------------------------------------------------
    def affine_after_conv(self, conv: Node) -> None:
        found = self.weights(conv)
        mul = self.only_consumer(conv.outputs[0], "Mul")
        add = self.only_consumer(mul.outputs[0], "Add") if mul else None
        a, b = (self.scalar(mul) if mul else None), (self.scalar(add) if add else None)
        if found is None or mul is None or add is None or a is None or b is None:
            return
        weight, bias = found
        self.set_weights(conv, weight * a[1], bias * a[1] + b[1])
        conv.outputs = list(add.outputs)
        self.drop(mul, add)

    def hard_swish(self, plus: Node) -> None:
        shifted = self.scalar(plus)
        clip = self.only_consumer(plus.outputs[0], "Clip")
        times = self.only_consumer(clip.outputs[0], "Mul") if clip else None
        div = self.only_consumer(times.outputs[0], "Div") if times else None
        if shifted is None or shifted[1] != 3.0 or clip is None or times is None or div is None:
            return
        x = shifted[0]
        bounds = [self.value(name) for name in clip.inputs[1:3]]
        if (bounds != [0.0, 6.0] or self.value(div.inputs[1]) != 6.0
                or sorted(times.inputs) != sorted([x, clip.outputs[0]])):
            return
        gate = f"{div.outputs[0]}_hardsigmoid"
        self.before.setdefault(id(plus), []).extend([
            Node(op="HardSigmoid", inputs=[x], outputs=[gate], name=gate,
                 attrs=[float_attr("alpha", 1.0 / 6.0), float_attr("beta", 0.5)]),
            Node(op="Mul", inputs=[x, gate], outputs=list(div.outputs), name=f"{gate}_mul")])
        self.drop(plus, clip, times, div)

    def bias_after_transpose(self, up: Node) -> None:
        """``ConvTranspose → Add(per-channel bias) [→ BatchNormalization]`` (the detector's upsampling head,
        run on the full-size probability map): the bias and the normalisation into its weights and bias."""
        found = self.weights(up) if up.int_attr("group", 1) == 1 else None
        add = self.only_consumer(up.outputs[0], "Add")
        if found is None or add is None or len(add.inputs) != 2:
            return
        weight, own = found
        channels = weight.shape[1]
        bias = self.graph.constants.get(add.inputs[1] if add.inputs[0] == up.outputs[0] else add.inputs[0])
        if bias is None or bias.size not in (1, channels):
            return
        total = own + bias.ravel()
        outputs, dropped = list(add.outputs), [add]
        norm = self.only_consumer(add.outputs[0], "BatchNormalization")
        stats = [self.graph.constants.get(name) for name in norm.inputs[1:5]] if norm else []
        if norm is not None and len(norm.outputs) == 1 and all(v is not None and v.size == channels
                                                              for v in stats):
            gamma, beta, mean, var = (np.asarray(v, np.float32).ravel() for v in stats if v is not None)
            scale = gamma / np.sqrt(var + norm.float_attr("epsilon", 1e-5))
            weight = weight * scale.reshape(1, -1, 1, 1)
            total = (total - mean) * scale + beta
            outputs, dropped = list(norm.outputs), [add, norm]
        self.set_weights(up, weight, total)
        up.outputs = outputs
        self.drop(*dropped)

    def affine_before_conv(self, mul: Node) -> None:
        c = self.scalar(mul)
        add = self.only_consumer(mul.outputs[0], "Add")
        d = self.scalar(add) if add else None
        conv = self.only_consumer(add.outputs[0], "Conv") if add else None
        found = self.weights(conv) if conv else None
        if c is None or d is None or add is None or conv is None or found is None or c[1] == 0.0:
            return
        weight, bias = found
        padded = any(conv.ints_attr("pads")) or conv.attr("auto_pad") is not None
        if padded:
            # x + d/c before the convolution, as a 1×1 depthwise convolution (weight 1, bias d/c): an Add
            # would make ONNX Runtime leave its blocked (NCHWc) layout and come back, two copies per block.
            channels = weight.shape[1] * conv.int_attr("group", 1)
            base = f"{add.outputs[0]}_shift"
            ones = constant(f"{base}_w", np.ones((channels, 1, 1, 1), np.float32))
            shift = constant(f"{base}_b", np.full(channels, d[1] / c[1], np.float32))
            self.before.setdefault(id(add), []).extend([ones, shift])
            add.op, add.attrs = "Conv", [int_attr("group", channels)]
            add.inputs = [c[0], ones.outputs[0], shift.outputs[0]]
            self.set_weights(conv, weight * c[1], bias)
            self.drop(mul)
        else:
            self.set_weights(conv, weight * c[1], bias + d[1] * weight.sum(axis=(1, 2, 3)))
            conv.inputs[0] = c[0]
            self.drop(mul, add)


def fold_affine(model: bytes) -> tuple[bytes, int]:
    """``model`` with its scalar affine steps and hard-swishes folded; and how many steps were."""
    graph = Graph.parse(model)
    folder = _Folder(graph=graph, consumers=graph.consumers(), removed=set(), before={})
    for node in graph.nodes():
        if id(node) in folder.removed:
            continue
        if node.op == "Conv":
            folder.affine_after_conv(node)
    for node in graph.nodes():
        if id(node) not in folder.removed and node.op == "Add":
            before = len(folder.removed)
            folder.hard_swish(node)
            folder.folded += len(folder.removed) > before
    folder.consumers = folder.live_consumers()
    for node in graph.nodes():
        if id(node) not in folder.removed and node.op == "Mul":
            folder.affine_before_conv(node)
        elif id(node) not in folder.removed and node.op == "ConvTranspose":
            folder.bias_after_transpose(node)
    if not folder.folded:
        return model, 0
    entries: list = []
    for entry in graph.entries:
        if isinstance(entry, Node):
            entries += folder.before.get(id(entry), [])
            if id(entry) in folder.removed:
                continue
        entries.append(entry)
    graph.entries = entries
    return graph.encode(), folder.folded
