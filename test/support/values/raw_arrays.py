"""Random selections of arrays given as raw little-endian files (DIR/manifest.json names each:
{"name": {"dtype": "<f4", "shape": [..]}} beside DIR/name.bin), with numpy's answer for each.
Usage: raw_arrays.py DIR SEED"""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from expected import dumps, expected_cases  # noqa: E402

root = sys.argv[1]
rng = np.random.default_rng(int(sys.argv[2]))
with open(os.path.join(root, "manifest.json")) as f:
    manifest = json.load(f)
out = {}
for name, spec in manifest.items():
    data = np.fromfile(os.path.join(root, name + ".bin"), dtype=spec["dtype"]).reshape(spec["shape"])
    out[name] = expected_cases(rng, data, 5)
print(dumps(out))
