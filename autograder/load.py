"""Read a submitted notebook, whatever shape it is in, or say in one line why it cannot be read."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")  # what nbformat 4.5 allows


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
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or data.get("nbformat") != 4:
        raise InvalidNotebook("the file is JSON but not a version-4 Jupyter notebook")
    repair_cell_ids(data)
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nb = nbformat.v4.upgrade(nb, from_version=4, from_minor=nb.get("nbformat_minor", 0))
    except Exception as exc:
        raise InvalidNotebook(f"the notebook's structure is broken ({exc.__class__.__name__})") from None
    for number, cell in enumerate(nb.cells):
        if not isinstance(cell.get("source", ""), str):
            raise InvalidNotebook(f"cell {number} has no readable source")
    return nb


def repair_cell_ids(data: dict) -> None:
    """Give each cell a unique, valid id, in place: students copy cells, and some editors mangle ids.

    nbformat would repair them too, but with a warning per cell in the instructor's terminal. The new
    ids are deterministic, so grading the same file twice gives the same notebook.
    """
    minor = data.get("nbformat_minor")
    ids_required = isinstance(minor, int) and minor >= 5  # older notebooks get ids from the upgrade
    fresh = (f"cell-{n}" for n in itertools.count())
    taken = {c["id"] for c in data["cells"] if isinstance(c, dict) and isinstance(c.get("id"), str)}
    seen: set[str] = set()
    for cell in data["cells"]:
        if not isinstance(cell, dict) or ("id" not in cell and not ids_required):
            continue
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not CELL_ID.fullmatch(cell_id) or cell_id in seen:
            cell_id = next(n for n in fresh if n not in taken)
        seen.add(cell_id)
        cell["id"] = cell_id
