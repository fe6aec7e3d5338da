"""zarr-python 2.13 walking a hierarchy as the scale bench's pages do: every node's attributes,
and every array's shape. argv: folder, "1" to open it through its consolidated metadata."""
import json
import resource
import sys
import time

import zarr

folder, consolidated = sys.argv[1], sys.argv[2] == "1"
started = time.perf_counter()
root = zarr.open_consolidated(folder, mode="r") if consolidated else zarr.open_group(folder, mode="r")
count = 0


def visit(_name, node):
    global count
    dict(node.attrs)
    if isinstance(node, zarr.Array):
        node.shape
    count += 1


root.visititems(visit)
print(json.dumps({
    "nodes": count,
    "seconds": time.perf_counter() - started,
    "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
