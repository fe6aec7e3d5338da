"""Python reader of the API's responses: POSTs a query to the GraphQL URL, json.loads the raw
response body, and compares every node's attributes, metadata and fill value with the source
documents, which it parses itself from the files (json.load). argv: URL, catalog, its folder,
mode (IGNORE: the nodes' own documents answer; REQUIRE: consolidated copies answer below the
root). Prints JSON: {"nodes", "floats" (float values compared), "mismatches"}.

Equal means: a float is a float with the same repr (the same double, -0.0 included); an integer
within +-(2^53 - 1) the same int; one beyond, its exact decimal digits as a string (the API's
documented form, as JavaScript cannot hold it); NaN and +-Infinity the strings "NaN",
"Infinity", "-Infinity"; everything else equal and of the same type."""
import json
import math
import os
import sys
import urllib.request

url, catalog, folder, mode = sys.argv[1:5]
QUERY = """query ($c: String!, $m: ConsolidatedMode) { catalog(name: $c, consolidated: $m) { root {
  path attributes metadata ... on ZarrGroup { members(maxDepth: null, first: 1000) { nodes {
    path attributes metadata ... on ZarrArray { fillValue } } } } } } }"""
request = urllib.request.Request(
    url,
    data=json.dumps({"query": QUERY, "variables": {"c": catalog, "m": mode}}).encode(),
    headers={"content-type": "application/json"},
)
with urllib.request.urlopen(request) as response:
    body = json.loads(response.read())
if body.get("errors"):
    print(json.dumps({"errors": body["errors"]}))
    sys.exit(0)
root = body["data"]["catalog"]["root"]
nodes = [root, *root["members"]["nodes"]]

floats = 0


def same(got, want):
    global floats
    if isinstance(want, float):
        floats += 1
        if math.isnan(want):
            return got == "NaN"
        if math.isinf(want):
            return got == ("Infinity" if want > 0 else "-Infinity")
        return type(got) is float and repr(got) == repr(want)
    if isinstance(want, bool) or want is None or isinstance(want, str):
        return type(got) is type(want) and got == want
    if isinstance(want, int):
        if abs(want) <= 2**53 - 1:
            return type(got) is int and got == want
        return type(got) is str and int(got) == want
    if isinstance(want, list):
        return type(got) is list and len(got) == len(want) and all([same(g, w) for g, w in zip(got, want)])
    if isinstance(want, dict):
        return type(got) is dict and got.keys() == want.keys() and all([same(got[k], want[k]) for k in want])
    return False


def load(*parts):
    path = os.path.join(folder, *parts)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def source(path):
    """(attributes, metadata document) of the node as the documents that answer for it say."""
    if os.path.exists(os.path.join(folder, "zarr.json")):
        if mode == "REQUIRE" and path:
            doc = load("zarr.json")["consolidated_metadata"]["metadata"][path]
        else:
            doc = load(path, "zarr.json")
        return doc.get("attributes", {}), doc
    if mode == "REQUIRE" and path:
        copies = load(".zmetadata")["metadata"]
        meta = copies.get(f"{path}/.zarray") or copies[f"{path}/.zgroup"]
        return copies.get(f"{path}/.zattrs", {}), meta
    return load(path, ".zattrs") or {}, load(path, ".zarray") or load(path, ".zgroup")


mismatches = []
for node in nodes:
    attributes, meta = source(node["path"])
    checks = [("attributes", attributes), ("metadata", meta)]
    if "fillValue" in node:
        checks.append(("fillValue", meta["fill_value"]))
    for field, want in checks:
        if not same(node[field], want):
            mismatches.append({"path": node["path"], "field": field, "got": node[field], "want": repr(want)})
print(json.dumps({"nodes": len(nodes), "floats": floats, "mismatches": mismatches}))
