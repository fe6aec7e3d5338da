"""A CF-style dataset written by zarr-python 2.13, as xarray lays one out (dimension names in
_ARRAY_DIMENSIONS, NaN fill values for float coordinates): time coordinates in several
calendars, latitude (decreasing), longitude, a data variable, bounds. Usage: cf_dataset.py DIR"""

import sys

import numpy as np
import zarr

group = zarr.open_group(zarr.DirectoryStore(sys.argv[1]), mode="w")


def add(name, data, dims, attrs=None, **kwargs):
    z = group.create_dataset(name, data=data, chunks=kwargs.pop("chunks", None), **kwargs)
    z.attrs.update({"_ARRAY_DIMENSIONS": dims, **(attrs or {})})
    return z


add("time", np.arange(36524, 36524 + 12, dtype="i4"), ["time"],
    {"units": "days since 1900-01-01", "calendar": "standard", "standard_name": "time"}, chunks=(5,))
add("lat", np.arange(89.5, -90, -1, dtype="f4"), ["lat"], {"units": "degrees_north"}, chunks=(50,),
    fill_value=np.nan)
add("lon", np.arange(0, 360, 2.5, dtype="f8"), ["lon"], {"units": "degrees_east"}, chunks=(40,), fill_value=np.nan)
add("nv", np.array([0, 1], dtype="i2"), ["nv"], fill_value=-1)
add("lat_bnds", np.zeros((180, 2), dtype="f4"), ["lat", "nv"])
add("tas", np.arange(12 * 180 * 144, dtype="f4").reshape(12, 180, 144) % 300, ["time", "lat", "lon"],
    {"units": "K"}, chunks=(1, 90, 72), fill_value=np.nan)

cal = group.create_group("calendars")


def coordinate(name, data, units, calendar, **kwargs):
    z = cal.create_dataset(name, data=data, chunks=kwargs.pop("chunks", (3,)), **kwargs)
    z.attrs.update({"_ARRAY_DIMENSIONS": [name], "units": units, **({"calendar": calendar} if calendar else {})})


coordinate("noleap", 365 * 1999 + np.array([0, 31, 59, 90]), "days since 0001-01-01 00:00:00", "noleap")
coordinate("day360", 24 * 30 * np.arange(6) + 12.0, "hours since 2000-01-01", "360_day", fill_value=np.nan)
coordinate("julian", np.array([0, 59, 365], dtype="i8"), "days since 1582-01-01", "julian", fill_value=-1)
coordinate("all_leap", np.array([0, 59, 366], dtype="i8"), "days since 2001-01-01", "all_leap", fill_value=-1)
coordinate("reform", np.arange(5, dtype="i4"), "days since 1582-10-01", "gregorian", fill_value=-1)
coordinate("gaps", np.array([0, np.nan, 2, 3]), "days since 2000-01-01", None, fill_value=np.nan)
coordinate("fill", np.array([10, -999, 30, 40, -999, 60], dtype="i4"), "m", None, fill_value=-999)
coordinate("irregular", np.array([1.0, 2.0, 4.0, 8.0]), "m", None, fill_value=np.nan)
coordinate("unsorted", np.array([3, 1, 2], dtype="u1"), "1", None, fill_value=255)
coordinate("names", np.array(["b", "a", "c"], dtype="<U1"), "", None, fill_value="")
coordinate("complex", np.array([np.nan, 1 + 2j, 3 - 1j, np.nan]), "1", None, fill_value=0)
d64 = cal.create_dataset("datetime64", data=np.arange("2000-01-01T00", "2000-01-02T06", np.timedelta64(6, "h"),
                                                       dtype="M8[ns]"), chunks=(2,))
d64.attrs["_ARRAY_DIMENSIONS"] = ["datetime64"]
