"""Peer reader for order and tree(): what zarr-python 2.13 prints. argv: folder, then optionally
"--consolidated" (opened through zarr.open_consolidated). Prints JSON: "paths", every node
below the root sorted as Python sorts str; "trees", for the root ("") and every group below it,
str(group.tree()) (the plain text; box-drawing characters, as repr and Jupyter's text show it);
"dtypes", numpy's str(dtype) of every array."""
import json
import sys

import zarr

path = sys.argv[1]
root = zarr.open_consolidated(path, mode="r") if "--consolidated" in sys.argv else zarr.open_group(path, mode="r")
nodes = {}
root.visititems(lambda name, node: nodes.__setitem__(name, node))
groups = ["", *(name for name, node in nodes.items() if isinstance(node, zarr.hierarchy.Group))]
json.dump(
    {
        "paths": sorted(nodes),
        "trees": {name: str(root[name].tree() if name else root.tree()) for name in groups},
        "dtypes": {name: str(node.dtype) for name, node in nodes.items() if isinstance(node, zarr.core.Array)},
    },
    sys.stdout,
    ensure_ascii=False,
)
