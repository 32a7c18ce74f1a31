"""Read a submitted notebook, whatever shape it is in, or say in one line why it cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class InvalidNotebook(Exception):
    """The file is not a notebook we can grade; the message is shown to the student."""


def load_notebook(path: Path):
    """Parse, upgrade to nbformat 4.5 and repair cell ids; raise InvalidNotebook on bad input."""
    size = path.stat().st_size
    if size == 0:
        raise InvalidNotebook("the file is empty")
    if size > MAX_NOTEBOOK_BYTES:
        raise InvalidNotebook(f"the file is {size / 2**20:.0f} MiB, over the {MAX_NOTEBOOK_BYTES // 2**20} MiB limit")
    raw = path.read_bytes()
    if raw[:2] == b"PK":
        raise InvalidNotebook("the file is a zip archive, not a notebook")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidNotebook(f"the file is not valid notebook JSON ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or "cells" not in data or data.get("nbformat") != 4:
        raise InvalidNotebook("the file is JSON but not a version-4 Jupyter notebook")
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nb = nbformat.v4.upgrade(nb, from_version=4, from_minor=nb.get("nbformat_minor", 0))
    except Exception as exc:
        raise InvalidNotebook(f"the notebook's structure is broken ({exc.__class__.__name__})") from None
    for number, cell in enumerate(nb.cells):
        if not isinstance(cell.get("source", ""), str):
            raise InvalidNotebook(f"cell {number} has no readable source")
    return nb
