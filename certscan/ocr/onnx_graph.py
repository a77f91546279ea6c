"""Just enough of the ONNX file format to rewrite a shipped model's graph in memory, without the ``onnx``
package (certscan does not depend on it; ONNX Runtime takes the rewritten model as bytes).

A model is read on the protobuf wire format: the graph's nodes are parsed into ``Node`` objects and every
other field is kept as the bytes it was, so a rewrite that changes nothing gives the same file back.
Weights in the shipped PaddleOCR exports are ``Constant`` nodes (no initializers): ``Graph.constants`` has
their values by output name, and ``constant`` builds new ones.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# ONNX protobuf field numbers (onnx.proto3): only those this rewrite reads or writes.
_MODEL_GRAPH, _MODEL_OPSET = 7, 8
_GRAPH_NODE = 1
_NODE_INPUT, _NODE_OUTPUT, _NODE_NAME, _NODE_OP, _NODE_ATTR, _NODE_DOMAIN = 1, 2, 3, 4, 5, 7
_ATTR_NAME, _ATTR_FLOAT, _ATTR_INT, _ATTR_TENSOR, _ATTR_INTS, _ATTR_TYPE = 1, 2, 3, 5, 8, 20
_ATTR_TYPE_FLOAT, _ATTR_TYPE_INT, _ATTR_TYPE_TENSOR = 1, 2, 4
_TENSOR_DIMS, _TENSOR_TYPE, _TENSOR_FLOATS, _TENSOR_NAME, _TENSOR_RAW = 1, 2, 4, 8, 9
_OPSET_DOMAIN, _OPSET_VERSION = 1, 2
_FLOAT, _UINT8, _INT8 = 1, 2, 3
_NUMPY_TYPES: dict[int, np.dtype[Any]] = {
    _FLOAT: np.dtype("<f4"), _UINT8: np.dtype("u1"), _INT8: np.dtype("i1")}
FLOAT_TYPE = _FLOAT  # a Cast's ``to`` for float32

Field = tuple[int, int, "int | bytes"]  # (field number, wire type, varint value or payload bytes)


# -- protobuf wire format --------------------------------------------------------------------------------
def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def fields(buf: bytes) -> Iterator[Field]:
    """The top-level fields of one protobuf message, in order."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
            yield number, wire, value
        elif wire == 2:
            size, pos = _varint(buf, pos)
            yield number, wire, buf[pos:pos + size]
            pos += size
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            yield number, wire, buf[pos:pos + size]
            pos += size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def _encode_varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64  # int64 fields encode negatives as ten-byte two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode(number: int, wire: int, value: int | bytes) -> bytes:
    key = _encode_varint((number << 3) | wire)
    if wire == 0:
        assert isinstance(value, int)
        return key + _encode_varint(value)
    assert isinstance(value, bytes)
    return key + (_encode_varint(len(value)) if wire == 2 else b"") + value


def text(number: int, value: str) -> bytes:
    return encode(number, 2, value.encode())


# -- the model's pieces ------------------------------------------------------------------------------------
@dataclass
class Node:
    op: str
    inputs: list[str]
    outputs: list[str]
    name: str = ""
    domain: str = ""
    attrs: list[bytes] = field(default_factory=list)  # encoded AttributeProto messages, kept as they are

    @classmethod
    def parse(cls, buf: bytes) -> Node:
        node = cls(op="", inputs=[], outputs=[])
        for number, _, value in fields(buf):
            assert isinstance(value, bytes)
            if number == _NODE_INPUT:
                node.inputs.append(value.decode())
            elif number == _NODE_OUTPUT:
                node.outputs.append(value.decode())
            elif number == _NODE_NAME:
                node.name = value.decode()
            elif number == _NODE_OP:
                node.op = value.decode()
            elif number == _NODE_DOMAIN:
                node.domain = value.decode()
            elif number == _NODE_ATTR:
                node.attrs.append(value)
        return node

    def encode(self) -> bytes:
        out = b"".join(text(_NODE_INPUT, i) for i in self.inputs)
        out += b"".join(text(_NODE_OUTPUT, o) for o in self.outputs)
        out += text(_NODE_NAME, self.name) if self.name else b""
        out += text(_NODE_OP, self.op)
        out += b"".join(encode(_NODE_ATTR, 2, a) for a in self.attrs)
        out += text(_NODE_DOMAIN, self.domain) if self.domain else b""
        return out

    def attr(self, name: str) -> dict[int, list[int | bytes]] | None:
        """The named attribute's fields (number → values), or None when the node has no such attribute."""
        for attr in self.attrs:
            parts: dict[int, list[int | bytes]] = {}
            for number, _, value in fields(attr):
                parts.setdefault(number, []).append(value)
            if parts.get(_ATTR_NAME) == [name.encode()]:
                return parts
        return None

    def int_attr(self, name: str, default: int) -> int:
        parts = self.attr(name)
        value = parts.get(_ATTR_INT, [default])[0] if parts else default
        return _signed(value) if isinstance(value, int) else default

    def float_attr(self, name: str, default: float) -> float:
        parts = self.attr(name)
        value = parts.get(_ATTR_FLOAT, [None])[0] if parts else None
        return float(struct.unpack("<f", value)[0]) if isinstance(value, bytes) else default

    def ints_attr(self, name: str) -> list[int]:
        """A repeated int attribute (``pads``), packed or not."""
        parts = self.attr(name) or {}
        out: list[int] = []
        for value in parts.get(_ATTR_INTS, []):
            if isinstance(value, int):
                out.append(_signed(value))
            else:
                pos = 0
                while pos < len(value):
                    number, pos = _varint(value, pos)
                    out.append(_signed(number))
        return out


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def int_attr(name: str, value: int) -> bytes:
    return text(_ATTR_NAME, name) + encode(_ATTR_INT, 0, value) + encode(_ATTR_TYPE, 0, _ATTR_TYPE_INT)


def float_attr(name: str, value: float) -> bytes:
    return (text(_ATTR_NAME, name) + encode(_ATTR_FLOAT, 5, struct.pack("<f", value))
            + encode(_ATTR_TYPE, 0, _ATTR_TYPE_FLOAT))


def tensor_of(node: Node) -> np.ndarray | None:
    """The value of a ``Constant`` node holding a float/int8/uint8 tensor, else None."""
    if node.op != "Constant":
        return None
    for attr in node.attrs:
        parts = {n: v for n, _, v in fields(attr)}
        tensor = parts.get(_ATTR_TENSOR)
        if parts.get(_ATTR_NAME) == b"value" and isinstance(tensor, bytes):
            return _tensor_value(tensor)
    return None


def _tensor_value(tensor: bytes) -> np.ndarray | None:
    dims: list[int] = []
    dtype, raw, floats = 0, b"", bytearray()
    for number, _, value in fields(tensor):
        if number == _TENSOR_DIMS and isinstance(value, int):
            dims.append(value)
        elif number == _TENSOR_TYPE and isinstance(value, int):
            dtype = value
        elif number == _TENSOR_RAW and isinstance(value, bytes):
            raw = value
        elif number == _TENSOR_FLOATS and isinstance(value, bytes):
            floats += value  # packed, or one unpacked 4-byte value
    numpy_type = _NUMPY_TYPES.get(dtype)
    if numpy_type is None or (dtype != _FLOAT and not raw):
        return None
    return np.frombuffer(raw or bytes(floats), dtype=numpy_type).reshape(dims)


def constant(name: str, value: np.ndarray) -> Node:
    """A ``Constant`` node producing ``value`` (float32, int8 or uint8) as ``name``."""
    dtype = {np.dtype("float32"): _FLOAT, np.dtype("int8"): _INT8, np.dtype("uint8"): _UINT8}[value.dtype]
    tensor = b"".join(encode(_TENSOR_DIMS, 0, int(d)) for d in value.shape)
    tensor += encode(_TENSOR_TYPE, 0, dtype) + text(_TENSOR_NAME, name)
    little_endian = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("<"))
    tensor += encode(_TENSOR_RAW, 2, little_endian.tobytes())
    attr = text(_ATTR_NAME, "value") + encode(_ATTR_TENSOR, 2, tensor)
    attr += encode(_ATTR_TYPE, 0, _ATTR_TYPE_TENSOR)
    return Node(op="Constant", inputs=[], outputs=[name], name=name, attrs=[attr])


@dataclass
class Graph:
    """A model's graph as a list of nodes between the fields a rewrite never touches."""

    model_fields: list[Field]
    entries: list[Field | Node]  # the graph's fields in order, nodes parsed
    constants: dict[str, np.ndarray]
    domains: set[str] = field(default_factory=set)  # operator-set domains the rewrite needs declared

    @classmethod
    def parse(cls, model: bytes) -> Graph:
        model_fields = list(fields(model))
        entries: list[Field | Node] = []
        for number, _, value in model_fields:
            if number == _MODEL_GRAPH and isinstance(value, bytes):
                entries = [Node.parse(v) if n == _GRAPH_NODE and isinstance(v, bytes) else (n, w, v)
                           for n, w, v in fields(value)]
        graph = cls(model_fields=model_fields, entries=entries, constants={})
        for node in graph.nodes():
            tensor = tensor_of(node)
            if tensor is not None:
                graph.constants[node.outputs[0]] = tensor
        return graph

    def nodes(self) -> list[Node]:
        return [e for e in self.entries if isinstance(e, Node)]

    def consumers(self) -> dict[str, list[Node]]:
        """Tensor name → the nodes that take it as an input."""
        out: dict[str, list[Node]] = {}
        for node in self.nodes():
            for name in node.inputs:
                out.setdefault(name, []).append(node)
        return out

    def encode(self) -> bytes:
        graph = b"".join(encode(_GRAPH_NODE, 2, e.encode()) if isinstance(e, Node) else encode(*e)
                         for e in self.entries)
        out = bytearray()
        for number, wire, value in self.model_fields:
            out += encode(number, wire, graph if number == _MODEL_GRAPH else value)
        for domain in sorted(self.domains - _opset_domains(self.model_fields)):
            out += encode(_MODEL_OPSET, 2, text(_OPSET_DOMAIN, domain) + encode(_OPSET_VERSION, 0, 1))
        return bytes(out)


def _opset_domains(model_fields: list[Field]) -> set[str]:
    domains: set[str] = set()
    for number, _, value in model_fields:
        if number == _MODEL_OPSET and isinstance(value, bytes):
            found = {n: v for n, _, v in fields(value)}.get(_OPSET_DOMAIN, b"")
            domains.add(found.decode() if isinstance(found, bytes) else "")
    return domains
