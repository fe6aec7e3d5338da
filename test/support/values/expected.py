"""What the API must answer for numpy arrays, in its JSON rules: shared by the generators."""

import base64
import json
import math

import numpy as np


def to_json(value, dtype):
    kind = dtype.kind
    if kind == "b":
        return bool(value)
    if kind in "iu":
        value = int(value)
        return value if abs(value) <= 2**53 else str(value)
    if kind == "f":
        value = float(value)
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if kind == "c":
        return [to_json(value.real, np.dtype("f8")), to_json(value.imag, np.dtype("f8"))]
    if kind == "M":
        return str(np.datetime_as_string(value))
    if kind == "m":
        if np.isnat(value):
            return "NaT"
        unit, count = np.datetime_data(dtype)
        n = int(value.astype("i8")) * count
        scale = {"ms": 3, "us": 6, "ns": 9}.get(unit, 0)
        designator = {"D": "D", "W": "W", "Y": "Y", "M": "M", "h": "H", "m": "M"}.get(unit, "S")
        time = "T" if unit in ("h", "m", "s", "ms", "us", "ns") else ""
        text = str(abs(n))
        if scale:
            whole, below = divmod(abs(n), 10**scale)
            digits = str(below).rjust(scale, "0").rstrip("0")
            text = f"{whole}.{digits}" if digits else str(whole)
        return f"{'-' if n < 0 else ''}P{time}{text}{designator}"
    if kind == "S":
        return base64.b64encode(bytes(value)).decode()
    if kind == "U":
        return str(value)
    if kind == "O":
        if isinstance(value, bytes):
            return base64.b64encode(value).decode()
        return value
    raise ValueError(dtype)


def nested(values, dtype):
    if isinstance(values, np.ndarray) and values.ndim > 0:
        return [nested(v, dtype) for v in values]
    return to_json(values, dtype)


def random_selection(rng, shape):
    selection, key = [], []
    for n in shape:
        r = rng.random()
        if r < 0.2:
            i = int(rng.integers(0, n))
            selection.append({"index": i})
            key.append(i)
        elif r < 0.3:
            selection.append({})
            key.append(slice(None))
        else:
            start = int(rng.integers(0, n + 2))
            stop = int(rng.integers(0, n + 4))
            step = int(rng.choice([1, 1, 2, 3, 7]))
            entry = {"start": start, "stop": stop, "step": step}
            for part in list(entry):
                if rng.random() < 0.2:
                    del entry[part]
            selection.append(entry)
            key.append(slice(entry.get("start"), entry.get("stop"), entry.get("step")))
    if rng.random() < 0.3:  # trailing dimensions left out take everything
        selection = selection[: int(rng.integers(0, len(selection) + 1))]
        key = key[: len(selection)]
    return selection, tuple(key)




def expected_cases(rng, full, n=4):
    """The whole array and `n` random selections of it, each with numpy's answer."""
    cases = [([], full)]
    for _ in range(n):
        selection, key = random_selection(rng, full.shape)
        cases.append((selection, full[key]))
    return {
        "dtype": full.dtype.str,
        # An object array's element may itself be a list: only an ndarray has dimensions.
        "cases": [{"selection": s, "shape": list(v.shape) if isinstance(v, np.ndarray) else [],
                   "data": nested(v, full.dtype)} for s, v in cases],
    }


def dumps(value):
    # numpy scalars inside decoded JSON objects
    return json.dumps(value, default=lambda o: o.item())
