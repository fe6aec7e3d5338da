"""Peer reader: what zarr-python 2.13 sees in a format-2 hierarchy. Prints JSON: for every node
below the root group (visited with zarr's own API), its kind, attributes and, for arrays,
shape, dtype, chunks, fill value, order, compressor, filters and a sample of its data (missing
chunks read as the fill value). With --consolidated the hierarchy is opened through
zarr.open_consolidated, so only consolidated metadata is consulted. With --tree, each group also
has "tree", its str(group.tree()), and the root "sorted", every path below it in Python's order.
A structured dtype is reported as its descr (the .zarray form: [[name, type, shape?], ...])."""
import json
import math
import sys

import numpy as np
import zarr


def plain(value):
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, complex):
        return [plain(value.real), plain(value.imag)]
    if isinstance(value, bytes):
        return {"bytes": value.decode("latin-1")}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 - 1 else str(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return str(value)


def describe(node):
    out = {"kind": "group" if isinstance(node, zarr.hierarchy.Group) else "array", "attrs": plain(dict(node.attrs))}
    if out["kind"] == "group" and "--tree" in sys.argv:
        out["tree"] = str(node.tree())
    if out["kind"] == "array":
        # A structured array without a fill value reads uninitialised memory: no sample of it.
        sample = node[(0,) * node.ndim] if node.size > 0 and not node.dtype.fields else None
        out.update(
            shape=list(node.shape),
            dtype=node.dtype.descr if node.dtype.fields else node.dtype.str,
            chunks=list(node.chunks),
            fill_value=plain(node.fill_value),
            order=node.order,
            compressor=node.compressor.get_config() if node.compressor else None,
            filters=[f.get_config() for f in node.filters] if node.filters else None,
            first=plain(sample),
        )
    return out


path = sys.argv[1]
root = zarr.open_consolidated(path, mode="r") if "--consolidated" in sys.argv else zarr.open_group(path, mode="r")
nodes = {"": describe(root)}
root.visititems(lambda name, node: nodes.__setitem__(name, describe(node)))
if "--tree" in sys.argv:
    nodes[""]["sorted"] = sorted(name for name in nodes if name)
json.dump(nodes, sys.stdout, sort_keys=True)
