"""Test input preparation, done with Python's json as zarr-python would: removes consolidated
metadata from a copied hierarchy (format 3: sets the root zarr.json's block to null, written
with json.dumps(indent=2) as zarr-python 3 writes; format 2: deletes .zmetadata)."""
import json
import os
import sys

root = sys.argv[1]
v3 = os.path.join(root, "zarr.json")
if os.path.exists(v3):
    with open(v3, encoding="utf-8") as f:
        doc = json.load(f)
    doc["consolidated_metadata"] = None
    with open(v3, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2))
else:
    os.remove(os.path.join(root, ".zmetadata"))
