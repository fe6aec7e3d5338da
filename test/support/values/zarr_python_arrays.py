"""Writes arrays with zarr-python 2.13 (every compressor and filter its numcodecs ships, C and F
order, both dimension separators, every numeric dtype, bool, datetime64, timedelta64, fixed-width
and variable-length strings) into DIR, then prints, per array, random selections and what numpy
returns for each, in the API's JSON rules. Usage: zarr_python_arrays.py DIR SEED"""

import os
import sys

import numcodecs
import numpy as np
import zarr

sys.path.insert(0, os.path.dirname(__file__))
from expected import dumps, expected_cases  # noqa: E402
from numcodecs import (
    LZ4, LZMA, Adler32, AsType, Base64, BitRound, Blosc, BZ2, Categorize, CRC32, Delta,
    FixedScaleOffset, GZip, JSON, PackBits, Pickle, Quantize, Shuffle, VLenBytes, VLenUTF8, Zlib, Zstd,
)

root = sys.argv[1]
rng = np.random.default_rng(int(sys.argv[2]))
store = zarr.DirectoryStore(root)
group = zarr.group(store=store)

SHAPE = (23, 17)
CHUNKS = (5, 4)


def numeric(dtype, shape=SHAPE):
    dtype = np.dtype(dtype)
    n = int(np.prod(shape))
    if dtype.kind == "b":
        return rng.integers(0, 2, n).astype(bool).reshape(shape)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        native = dtype.newbyteorder("=")
        return rng.integers(info.min, info.max, n, dtype=native, endpoint=True).astype(dtype).reshape(shape)
    if dtype.kind == "f":
        values = (rng.standard_normal(n) * 1000).astype(dtype)
        values[:3] = [np.nan, np.inf, -np.inf]
        return values.reshape(shape)
    if dtype.kind == "c":
        values = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(dtype)
        values[0] = complex(np.nan, 1)
        return values.reshape(shape)
    if dtype.kind in "Mm":
        values = rng.integers(-(2**40), 2**40, n).astype(dtype)
        values[0] = np.array("NaT", dtype=dtype)
        return values.reshape(shape)
    raise ValueError(dtype)


def words(n, width):
    alphabet = list("abcdefghij") + ["é", "ß", "漢", "🚀"]
    return ["".join(rng.choice(alphabet, int(rng.integers(0, width + 1)))) for _ in range(n)]


arrays = {}


def add(name, data, **kwargs):
    kwargs.setdefault("chunks", CHUNKS if data.ndim == 2 else None)
    z = group.create_dataset(name, shape=data.shape, dtype=kwargs.pop("dtype", data.dtype), **kwargs)
    z[...] = data
    arrays[name] = z


# Every numeric dtype (and bool, times), little and big endian, default compressor (blosc lz4).
for dtype in ["|b1", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f2", "<f4", "<f8", "<c8", "<c16",
              ">i2", ">u4", ">i8", ">f2", ">f4", ">f8", ">c8", "<M8[ns]", "<M8[s]", "<M8[D]", "<M8[ms]", ">M8[us]",
              "<m8[ms]", "<m8[s]", "<M8[h]", "<M8[M]", "<M8[Y]"]:
    add("dtype_" + dtype.replace("<", "le_").replace(">", "be_").replace("|", "").replace("[", "_").replace("]", ""),
        numeric(dtype))

# Every compressor, blosc with each inner compressor and shuffle mode.
base = numeric("<i4")
for cname in ["blosclz", "lz4", "lz4hc", "zlib", "zstd"]:
    for shuffle, label in [(Blosc.NOSHUFFLE, "noshuffle"), (Blosc.SHUFFLE, "shuffle"), (Blosc.BITSHUFFLE, "bitshuffle")]:
        add(f"blosc_{cname}_{label}", base, compressor=Blosc(cname=cname, clevel=5, shuffle=shuffle))
for name, compressor in [("zstd", Zstd(level=3)), ("gzip", GZip(level=5)), ("zlib", Zlib(level=5)), ("lz4", LZ4()),
                         ("bz2", BZ2(level=5)), ("lzma", LZMA()), ("crc32", CRC32()), ("adler32", Adler32()),
                         ("none", None), ("base64", Base64())]:
    add(f"compressor_{name}", numeric("<f8"), compressor=compressor)

# Every filter.
floats = numeric("<f8")
floats[np.isinf(floats)] = 0.0
small = np.round(rng.uniform(0, 25, SHAPE), 1)
add("filter_delta", np.cumsum(rng.integers(-5, 5, SHAPE), axis=1).astype("<i8"), filters=[Delta(dtype="<i8", astype="<i2")])
add("filter_delta_float", floats, filters=[Delta(dtype="<f8")])
add("filter_fixedscaleoffset", small, filters=[FixedScaleOffset(offset=0, scale=10, dtype="<f8", astype="u1")])
add("filter_quantize", floats, filters=[Quantize(digits=2, dtype="<f8")])
add("filter_quantize_astype", floats, filters=[Quantize(digits=1, dtype="<f8", astype="<f4")])
add("filter_astype", small, filters=[AsType(encode_dtype="<f4", decode_dtype="<f8")])
add("filter_packbits", numeric("|b1"), filters=[PackBits()])
add("filter_categorize", np.array(rng.choice(["red", "green", "blue", ""], SHAPE), dtype="<U5"),
    filters=[Categorize(labels=["red", "green", "blue"], dtype="<U5", astype="u1")])
add("filter_shuffle", numeric("<i8"), filters=[Shuffle(elementsize=8)])
add("filter_bitround", numeric("<f4"), filters=[BitRound(keepbits=8)])
add("filter_crc32", numeric("<i2"), filters=[CRC32()], compressor=Zlib())
add("filter_adler32", numeric("<i2"), filters=[Adler32()], compressor=None)
add("filter_chain", np.cumsum(rng.integers(0, 3, SHAPE), axis=0).astype("<i4"),
    filters=[Delta(dtype="<i4", astype="<i2"), Shuffle(elementsize=2)], compressor=Zstd())

# Orders and separators.
data3 = numeric("<i2", (7, 6, 5))
for order in "CF":
    for separator in "./":
        add(f"order_{order}_sep_{'slash' if separator == '/' else 'dot'}", data3, chunks=(3, 4, 2), order=order,
            dimension_separator=separator)
add("order_F_complex", numeric("<c16"), order="F")
add("order_F_be", numeric(">f4"), order="F", filters=[Delta(dtype=">f4")])

# Strings.
add("string_S", np.array([w.encode()[:6] for w in words(int(np.prod(SHAPE)), 4)], dtype="|S6").reshape(SHAPE))
add("string_S_zero", np.array([b"a\x00b", b"", b"xyz\x00", b"\x00"] * 2, dtype="|S5").reshape(2, 4), chunks=(1, 3))
add("string_U", np.array(words(int(np.prod(SHAPE)), 5), dtype="<U5").reshape(SHAPE))
add("string_U_be", np.array(words(int(np.prod(SHAPE)), 5), dtype=">U5").reshape(SHAPE))
add("string_vlen_utf8", np.array(words(int(np.prod(SHAPE)), 9), dtype=object).reshape(SHAPE), dtype=object,
    object_codec=VLenUTF8())
add("string_vlen_bytes", np.array([w.encode() for w in words(int(np.prod(SHAPE)), 7)], dtype=object).reshape(SHAPE),
    dtype=object, object_codec=VLenBytes())
json_values = np.empty(8, dtype=object)
json_values[:] = [1, "two", [3, 4], {"five": 5.5}, None, True, 7, "eight"]
add("object_json", json_values, dtype=object, object_codec=JSON(), chunks=(3,))

# Fill values where chunks were never written.
for name, dtype, fill in [("fill_int", "<i4", -7), ("fill_float_nan", "<f4", np.nan), ("fill_float", "<f8", 2.5),
                          ("fill_uint64_big", "<u8", 2**64 - 2), ("fill_bool", "|b1", True),
                          ("fill_datetime", "<M8[s]", np.datetime64("2000-01-01T00:00:00")), ("fill_S", "|S3", b"ab"),
                          ("fill_U", "<U3", "zé")]:
    z = group.create_dataset(name, shape=SHAPE, chunks=CHUNKS, dtype=dtype, fill_value=fill)
    z[0:5, 0:4] = numeric(dtype, (5, 4)) if dtype[1] not in "SU" else np.array([["q"] * 4] * 5, dtype=dtype)
    arrays[name] = z

# Codecs with no decoder here: each must fail alone, naming itself.
unsupported = {}
for name, kwargs in [("unsupported_pickle", {"dtype": object, "object_codec": Pickle()}),
                     ("unsupported_blosc_snappy", {"dtype": "<i4", "compressor": Blosc(cname="snappy")})]:
    z = group.create_dataset(name, shape=(4,), chunks=(2,), **kwargs)
    z[...] = np.array(["a", "b", "c", "d"], dtype=object) if kwargs["dtype"] is object else np.arange(4)
    unsupported[name] = (kwargs.get("object_codec") or kwargs["compressor"]).codec_id


out = {"arrays": {name: expected_cases(rng, z[...]) for name, z in arrays.items()}, "unsupported": unsupported}
print(dumps(out))
