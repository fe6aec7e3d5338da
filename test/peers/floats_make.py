"""Peer writer for float fidelity: builds DIR/v2 with zarr-python 2.13's own API (then
zarr.consolidate_metadata) and DIR/v3 as zarr-python 3 writes zarr.json (json.dumps, indent 2;
the root carries an inline consolidated_metadata block). Both hold floats JavaScript prints
as integers (integral doubles between 2^53 and 1e21, and negative), floats beyond 1e21, 1.0,
-0.0, NaN, and int64 extremes, in attributes and fill values. Copies in consolidated metadata of
nodes below the root gain the attribute "copy": 1.0, so a reader can tell which one answered.
argv: DIR."""
import json
import math
import os
import sys

import zarr

BETWEEN = 1.0000000200408773e20  # integral, between 2^53 and 1e21: JavaScript prints 100000002004087730000
ATTRS = {
    "between": BETWEEN,
    "negative": -BETWEEN,
    "two53": 9007199254740992.0,
    "two53plus2": 9007199254740994.0,
    "beyond": 1e22,
    "max": 1.7976931348623157e308,
    "one": 1.0,
    "negzero": -0.0,
    "fraction": 2.5,
    "small": 1e-07,
    "nan": math.nan,
    "int64max": 9223372036854775807,
    "int64min": -9223372036854775808,
    "exact": 100000002004087734272,
    "safe": 9007199254740991,
    "nested": [1.0, BETWEEN, {"deep": -1e21, "list": [0.0, 123456789012345680000.0]}],
}
ARRAYS = {
    # name: (v2 dtype, v3 data type, fill value)
    "between": ("<f8", "float64", BETWEEN),
    "negative": (">f8", "float64", -BETWEEN),
    "beyond": ("<f8", "float64", 1e22),
    "one": ("<f4", "float32", 1.0),
    "int64min": ("<i8", "int64", -9223372036854775808),
    "uint64max": ("<u8", "uint64", 18446744073709551615),
}

out = sys.argv[1]

# Format 2, through zarr-python's API.
v2 = os.path.join(out, "v2")
root = zarr.open_group(v2, mode="w")
root.attrs.update(ATTRS)
group = root.create_group("g")
group.attrs.update({"between": BETWEEN, "list": [-BETWEEN, 1e300]})
for name, (dtype, _, fill) in ARRAYS.items():
    array = group.create_dataset(name, shape=(2,), dtype=dtype, fill_value=fill)
    array.attrs.update({"scale": BETWEEN, "offset": -0.0})
zarr.consolidate_metadata(v2)
with open(os.path.join(v2, ".zmetadata")) as f:
    zmetadata = json.load(f)
for key, doc in zmetadata["metadata"].items():
    if key.endswith(".zattrs") and "/" in key:
        doc["copy"] = 1.0
with open(os.path.join(v2, ".zmetadata"), "w") as f:
    f.write(json.dumps(zmetadata, indent=4, sort_keys=True, ensure_ascii=True))


# Format 3, documents as zarr-python 3 writes them.
def array_v3(data_type, fill, attributes):
    return {
        "shape": [2],
        "data_type": data_type,
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}},
        "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
        "fill_value": fill,
        "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
        "attributes": attributes,
        "zarr_format": 3,
        "node_type": "array",
        "storage_transformers": [],
    }


def group_v3(attributes):
    return {"attributes": attributes, "zarr_format": 3, "consolidated_metadata": None, "node_type": "group"}


v3 = os.path.join(out, "v3")
docs = {"g": group_v3({"between": BETWEEN, "list": [-BETWEEN, 1e300]})}
for name, (_, data_type, fill) in ARRAYS.items():
    docs[f"g/{name}"] = array_v3(data_type, fill, {"scale": BETWEEN, "offset": -0.0})
copies = {path: {**doc, "attributes": {**doc["attributes"], "copy": 1.0}} for path, doc in docs.items()}
docs[""] = {
    "attributes": ATTRS,
    "zarr_format": 3,
    "consolidated_metadata": {"kind": "inline", "must_understand": False, "metadata": copies},
    "node_type": "group",
}
for path, doc in docs.items():
    folder = os.path.join(v3, path)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "zarr.json"), "w") as f:
        f.write(json.dumps(doc, indent=2))
