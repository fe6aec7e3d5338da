"""Independent oracle for lossless rewrites: prints each file given as JSON in which every
number and every bare NaN / Infinity is replaced by {"$": "<its text>"}, so that two documents
compare equal only if their values are digit for digit the same."""
import json
import sys


def text(kind):
    return lambda s: {"$": s}


out = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        out[path] = json.loads(f.read(), parse_float=text("f"), parse_int=text("i"), parse_constant=text("c"))
json.dump(out, sys.stdout)
