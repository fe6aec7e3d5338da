"""Peer writer: builds a format-2 hierarchy with zarr-python 2.13's own API, so the documents it
writes can be compared byte for byte with ours. argv: folder, JSON list of operations
({"kind": "group"|"array", "path", "kwargs", "attrs"}), then optionally "--consolidate".
Values JSON cannot hold are spelled {"$bytes": "ab"}, {"$complex": [1, 2]}, {"$codec": {...}},
{"$float": "nan"}, and a structured dtype {"$struct": [[name, dtype, shape?], ...]} (numpy wants
tuples)."""
import json
import sys

import numcodecs
import zarr


def struct(fields):
    out = []
    for name, dtype, *shape in fields:
        dtype = struct(dtype["$struct"]) if isinstance(dtype, dict) else dtype
        out.append((name, dtype, *(tuple(s) for s in shape)))
    return out


def decode(value):
    if isinstance(value, dict):
        if "$bytes" in value:
            return value["$bytes"].encode()
        if "$complex" in value:
            return complex(*value["$complex"])
        if "$codec" in value:
            return numcodecs.get_codec(value["$codec"])
        if "$float" in value:
            return float(value["$float"])
        if "$struct" in value:
            return struct(value["$struct"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


root = zarr.open_group(sys.argv[1], mode="w")
for op in json.loads(sys.argv[2]):
    kwargs = decode(op.get("kwargs", {}))
    if op["kind"] == "group":
        node = root.require_group(op["path"]) if op["path"] else root
    else:
        node = root.create_dataset(op["path"], **kwargs)
    if op.get("attrs"):
        node.attrs.update(decode(op["attrs"]))
if "--consolidate" in sys.argv:
    zarr.consolidate_metadata(sys.argv[1])
