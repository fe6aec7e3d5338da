"""Peer oracle: numpy's str(dtype) for format-2 .zarray dtypes, decoded by zarr-python 2.13's
own Metadata2.decode_dtype. argv: a JSON list of dtypes as .zarray holds them; prints a JSON list."""
import json
import sys

from zarr.meta import Metadata2

json.dump([str(Metadata2.decode_dtype(d)) for d in json.loads(sys.argv[1])], sys.stdout, ensure_ascii=False)
