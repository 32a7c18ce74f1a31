"""Read the values that check() recorded in a test cell's outputs."""

from __future__ import annotations

import numpy as np

from autograder.notebook_helpers import _CHECK_MIME as CHECK_MIME


def cell_records(cell) -> list[dict]:
    """Every well-formed check record in one executed cell, in output order."""
    found = []
    for output in cell.get("outputs", []):
        record = (output.get("data") or {}).get(CHECK_MIME)
        if isinstance(record, dict) and isinstance(record.get("key"), str):
            found.append(record)
    return found


def error_output(cell) -> dict | None:
    """The error output of an executed cell, or None."""
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def cell_error(cell) -> str | None:
    """The one-line error a cell raised, or None."""
    output = error_output(cell)
    return None if output is None else f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()


class Unrecordable(str):
    """A value the kernel could not record faithfully (a set, an object): named by its type."""


def unrecordable(value) -> bool:
    """Whether a decoded value holds anything that could not be recorded."""
    if isinstance(value, Unrecordable):
        return True
    if isinstance(value, list | tuple):
        return any(unrecordable(v) for v in value)
    if isinstance(value, dict):
        return any(unrecordable(v) for v in value.values())
    return False


def decode(value):
    """Turn recorded JSON back into Python values and numpy arrays."""
    if isinstance(value, dict) and "__array__" in value:
        dtype = np.dtype(value.get("dtype", "float64"))
        if dtype.kind not in "biuf":  # the record is untrusted: numbers only
            raise ValueError(f"unexpected dtype {dtype}")
        flat = [float(x) if isinstance(x, str) else x for x in value["__array__"]]
        return np.array(flat, dtype=dtype).reshape(value.get("shape", [-1]))
    if isinstance(value, dict) and set(value) == {"__tuple__"}:  # the assert recorder's tagged values
        return tuple(decode(v) for v in value["__tuple__"])
    if isinstance(value, dict) and set(value) == {"__dict__"}:
        return {k: decode(v) for k, v in value["__dict__"].items()}
    if isinstance(value, dict) and set(value) == {"__unrecordable__"}:
        return Unrecordable(str(value["__unrecordable__"]))
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    return value
