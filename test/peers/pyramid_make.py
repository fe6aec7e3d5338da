"""Peer writer: a multiscale pyramid as xarray writes one, each level a store of its own
consolidated on its own (`ds.to_zarr("pyramid.zarr/1", consolidated=True)`), the root a plain
group with NGFF-style multiscales attributes and no .zmetadata. Then level 1 goes stale: its own
attributes and one array's change, and an array is added, after its consolidation.
argv: folder."""
import sys

import zarr

out = sys.argv[1]
root = zarr.open_group(out, mode="w")
root.attrs["multiscales"] = [{"version": "0.4", "datasets": [{"path": str(i)} for i in range(3)]}]
for level in range(3):
    path = f"{out}/{level}"
    group = zarr.open_group(path, mode="w")
    group.attrs["level"] = level
    n = 16 >> level
    for name in ("y", "x"):
        coord = group.create_dataset(name, shape=(n,), chunks=(n,), dtype="<f8")
        coord.attrs.update({"_ARRAY_DIMENSIONS": [name], "units": "m"})
    data = group.create_dataset("data", shape=(n, n), chunks=(n, n), dtype="<f4", fill_value=float("nan"))
    data.attrs.update({"_ARRAY_DIMENSIONS": ["y", "x"], "long_name": f"level {level}"})
    extra = group.require_group("extra")
    extra.attrs["note"] = "a group inside a level"
    extra.create_dataset("mask", shape=(n,), chunks=(n,), dtype="|b1")
    zarr.consolidate_metadata(path)

stale = zarr.open_group(f"{out}/1", mode="r+")
stale.attrs["level"] = "edited after consolidation"
stale["data"].attrs["long_name"] = "edited after consolidation"
stale.create_dataset("late", shape=(2,), chunks=(2,), dtype="<i4")
