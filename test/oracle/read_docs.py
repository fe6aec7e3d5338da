"""Independent oracle for the conformance tests: reads every metadata document below a folder
with Python's json module (which keeps big integers exact and reads bare NaN) and prints, per
node path, its format, type, document and attributes. Format 3 wins where both exist."""
import json
import math
import os
import sys


def plain(value):
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 - 1 else str(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return {k: plain(v) for k, v in value.items()}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


root = sys.argv[1]
out = {}
for dirpath, dirnames, filenames in os.walk(root):
    rel = os.path.relpath(dirpath, root)
    rel = "" if rel == "." else rel.replace(os.sep, "/")
    names = set(filenames)
    if "zarr.json" in names:
        doc = load(os.path.join(dirpath, "zarr.json"))
        out[rel] = {"format": 3, "type": doc.get("node_type"), "doc": plain(doc), "attrs": plain(doc.get("attributes", {}))}
    elif ".zarray" in names or ".zgroup" in names:
        kind = "array" if ".zarray" in names else "group"
        doc = load(os.path.join(dirpath, ".zarray" if kind == "array" else ".zgroup"))
        attrs = load(os.path.join(dirpath, ".zattrs")) if ".zattrs" in names else {}
        out[rel] = {"format": 2, "type": kind, "doc": plain(doc), "attrs": plain(attrs)}
json.dump(out, sys.stdout)
