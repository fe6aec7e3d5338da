"""What the arrays of the shared zarrita fixtures hold, with random selections and numpy's answer
for each. Format 2 (written by zarr-python 2.18) is read by zarr-python 2.13; format 3 (written by
zarr-python 3.1, which is not installed here) is rebuilt from the recipe in zarrita.js'
scripts/generate-v3.py that wrote it. Usage: fixture_arrays.py FIXTURES SEED"""

import json
import os
import sys

import numcodecs
import numpy as np
import zarr

sys.path.insert(0, os.path.dirname(__file__))
from expected import dumps, expected_cases  # noqa: E402

fixtures = sys.argv[1]
rng = np.random.default_rng(int(sys.argv[2]))

v2_root = os.path.join(fixtures, "zarrita", "v2", "data.zarr")
v2 = zarr.open_group(zarr.DirectoryStore(v2_root), mode="r")
with open(os.path.join(v2_root, ".zmetadata")) as f:
    v2_names = sorted(k[: -len("/.zarray")] for k in json.load(f)["metadata"] if k.endswith("/.zarray"))



def read_v2(name):
    try:
        return v2[name][...]
    except TypeError:
        # numcodecs 0.11 predates the "checksum" setting newer versions write for Zstd: decode the
        # single chunk with the codec as 0.11 knows it.
        with open(os.path.join(v2_root, name, ".zarray")) as f:
            meta = json.load(f)
        assert meta["filters"] is None and meta["shape"] == meta["chunks"] and len(meta["shape"]) == 1
        config = {k: v for k, v in meta["compressor"].items() if k != "checksum"}
        with open(os.path.join(v2_root, name, "0"), "rb") as f:
            raw = numcodecs.get_codec(config).decode(f.read())
        return np.frombuffer(raw, dtype=meta["dtype"]).reshape(meta["shape"])


ramp4 = np.array([1, 2, 3, 4], dtype="i2")
v3 = {
    "1d.chunked.compressed.sharded.i2": ramp4,
    "1d.chunked.filled.compressed.sharded.i2": np.array([1, 2, 0, 0], dtype="i2"),
    "1d.chunked.i2": ramp4,
    "1d.chunked.ragged.i2": np.array([1, 2, 3, 4, 5], dtype="i2"),
    "1d.chunked.string.vlen": np.array(["a", "bb", "ccc", "dddd"]),
    "1d.contiguous.b1": np.array([True, False, True, False]),
    "1d.contiguous.blosc.i2": ramp4,
    "1d.contiguous.compressed.sharded.b1": np.array([True, False, True, False]),
    "1d.contiguous.compressed.sharded.f4": np.array([-1000.5, 0, 1000.5, 0], dtype="f4"),
    "1d.contiguous.compressed.sharded.f8": np.array([1.5, 2.5, 3.5, 4.5], dtype="f8"),
    "1d.contiguous.compressed.sharded.i2": ramp4,
    "1d.contiguous.compressed.sharded.i4": ramp4.astype("i4"),
    "1d.contiguous.compressed.sharded.u1": np.array([255, 0, 255, 0], dtype="u1"),
    "1d.contiguous.delta.i4": ramp4.astype("i4"),
    "1d.contiguous.f2.le": np.array([-1000.5, 0, 1000.5, 0], dtype="f2"),
    "1d.contiguous.f4.be": np.array([-1000.5, 0, 1000.5, 0], dtype="f4"),
    "1d.contiguous.f4.le": np.array([-1000.5, 0, 1000.5, 0], dtype="f4"),
    "1d.contiguous.f8": np.array([1.5, 2.5, 3.5, 4.5], dtype="f8"),
    "1d.contiguous.gzip.i2": ramp4,
    "1d.contiguous.i4": ramp4.astype("i4"),
    "1d.contiguous.raw.i2": ramp4,
    "1d.contiguous.string.compressed": np.array(["compressed", "string", "test"]),
    "1d.contiguous.string.vlen": np.array(["hello", "world", "zarr", "v3"]),
    "1d.contiguous.u1": np.array([255, 0, 255, 0], dtype="u1"),
    "1d.string.empty": np.array(["", "test", ""]),
    "1d.string.unicode": np.array(["hello", "世界", "🚀🎉", "Ñoño"]),
    "2d.chunked.compressed.sharded.filled.i2": np.arange(16, dtype="i2").reshape(4, 4),
    "2d.chunked.compressed.sharded.i2": np.arange(16, dtype="i2").reshape(4, 4) + 1,
    "2d.chunked.i2": np.array([[1, 2], [3, 4]], dtype="i2"),
    "2d.chunked.ragged.compressed.sharded.i2": np.arange(1, 10, dtype="i2").reshape(3, 3),
    "2d.chunked.ragged.i2": np.arange(1, 10, dtype="i2").reshape(3, 3),
    "2d.chunked.string.vlen": np.array([["hello", "world"], ["foo", "bar"]]),
    "2d.contiguous.compressed.sharded.i2": np.arange(1, 5, dtype="i2").reshape(2, 2),
    "2d.contiguous.i2": np.array([[1, 2], [3, 4]], dtype="i2"),
    "3d.chunked.compressed.sharded.i2": np.arange(64, dtype="i2").reshape(4, 4, 4),
    "3d.chunked.i2": np.arange(27, dtype="i2").reshape(3, 3, 3),
    "3d.chunked.mixed.compressed.sharded.i2": np.arange(27, dtype="i2").reshape(3, 3, 3),
    "3d.chunked.mixed.i2.C": np.arange(27, dtype="i2").reshape(3, 3, 3),
    "3d.chunked.mixed.i2.F": np.arange(27, dtype="i2").reshape(3, 3, 3),
    "3d.contiguous.compressed.sharded.i2": np.arange(27, dtype="i2").reshape(3, 3, 3),
    "3d.contiguous.delta.i4.mixed": np.arange(27, dtype="i4").reshape(3, 3, 3),
    "3d.contiguous.i2": np.arange(27, dtype="i2").reshape(3, 3, 3),
    "consolidated/1d.chunked.i2": ramp4,
    "consolidated/2d.contiguous.i2": np.array([[1, 2], [3, 4]], dtype="i2"),
    "consolidated/nested/1d.i2": np.array([10, 20, 30, 40], dtype="i2"),
}

print(dumps({
    "v2": {name: expected_cases(rng, read_v2(name)) for name in v2_names},
    "v3": {name: expected_cases(rng, data) for name, data in v3.items()},
}))
