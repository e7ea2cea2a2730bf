#!/usr/bin/python3
"""Writes src/test/resources/artifact/python_fixture.safetensors without the safetensors package.

An independent writer that follows the published format (huggingface/safetensors, README "Format"):
an unsigned little-endian 64-bit header length N, N bytes of UTF-8 JSON, then the tensors' raw
little-endian bytes. Values come from numpy and torch, so SafetensorsFixtureTest checks that Java
reads what Python's own dtype conversions produce, including float16 and bfloat16 rounding.

Deliberately unlike tether's writer, to catch assumptions: header keys in insertion order (not
sorted, __metadata__ last), tensors laid out in that order, no padding of the header.

Run from components/core:  /usr/bin/python3 src/test/python/make_safetensors_fixture.py
"""
import json
import pathlib
import struct

import numpy as np
import torch

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "artifact" / "python_fixture.safetensors"


def bf16_bytes(values):
    # numpy has no bfloat16; torch rounds float32 to bfloat16 to nearest even.
    return torch.tensor(values, dtype=torch.float32).to(torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes()


tensors = [
    ("logprobs", "F32", [2, 3], np.array([[-0.5, -1.25, -2.0], [0.0, 1e-7, -3.4028235e38]], dtype="<f4").tobytes()),
    ("half", "F16", [4], np.array([1.0, -2.0, 65504.0, 0.1], dtype="<f2").tobytes()),
    ("brain", "BF16", [3], bf16_bytes([1.0, -2.5, 3.14159])),
    ("query_ids", "I32", [2, 2], np.array([[0, 101], [2147483647, -2147483648]], dtype="<i4").tobytes()),
    ("positions", "I64", [3], np.array([0, 1, 2**40], dtype="<i8").tobytes()),
    ("pixels", "U8", [3], np.array([0, 128, 255], dtype="u1").tobytes()),
    ("query_mask", "BOOL", [2, 2], np.array([[False, True], [True, True]], dtype="?").tobytes()),
    ("empty", "F32", [0, 4], b""),
]

header = {}
data = bytearray()
for name, dtype, shape, raw in tensors:
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
header["__metadata__"] = {"format": "pt", "made_by": "make_safetensors_fixture.py"}

header_bytes = json.dumps(header).encode("utf-8")
OUT.write_bytes(struct.pack("<Q", len(header_bytes)) + header_bytes + bytes(data))
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
