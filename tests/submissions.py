"""Build student submissions from the real assignment notebooks, so fixtures never go stale."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat

from autograder import cells
from autograder.course import COURSE_DIR, find_assignment

SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


def release(name: str = "a1_neurons"):
    """The blank student copy, as nbgrader released it."""
    return nbformat.read(find_assignment(name, COURSE_DIR).release, as_version=4)


def source(name: str = "a1_neurons"):
    return nbformat.read(find_assignment(name, COURSE_DIR).source, as_version=4)


def solved(name: str = "a1_neurons"):
    """The student copy with every answer cell filled in from the reference solution."""
    nb = release(name)
    answers = {cells.grade_id(c): SOLUTION_MARKER.sub("", c.source) for c in source(name).cells if cells.is_solution(c)}
    for cell in nb.cells:
        if cells.is_solution(cell):
            cell.source = answers[cells.grade_id(cell)]
    return nb


def with_answer(nb, grade_id: str, code: str):
    """A copy of NB whose answer cell GRADE_ID holds CODE."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if cells.grade_id(c) == grade_id)
    cell.source = code
    return nb


def replace_in_answer(nb, grade_id: str, old: str, new: str):
    """A copy of NB with OLD replaced by NEW in answer cell GRADE_ID (OLD must be there)."""
    cell = next(c for c in nb.cells if cells.grade_id(c) == grade_id)
    assert old in cell.source, f"{old!r} not in {grade_id}"
    return with_answer(nb, grade_id, cell.source.replace(old, new))


def save(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def with_extra_cell(nb, code: str, after: str = "setup"):
    """A copy of NB with a new, unmarked code cell after the cell GRADE_ID (as a student adds one)."""
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb.cells) if cells.grade_id(c) == after)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(code))
    return nb


def prepend_to_answer(nb, grade_id: str, code: str):
    """A copy of NB whose answer cell GRADE_ID starts with CODE."""
    cell = next(c for c in nb.cells if cells.grade_id(c) == grade_id)
    return with_answer(nb, grade_id, code + "\n" + cell.source)


# Two plausible mistakes that cost 8 of A1's 18 points; tampering must not win them back.
WRONG_RELU = ("np.maximum(np.asarray(xi, dtype=float), 0.0)", "np.abs(np.asarray(xi, dtype=float))")
NO_BIAS_UPDATE = ("b += eta * (t_i - y_i)", "pass")


def wrong(name: str = "a1_neurons"):
    nb = replace_in_answer(solved(name), "activations", *WRONG_RELU)
    return replace_in_answer(nb, "perceptron", *NO_BIAS_UPDATE)


def stripped(nb):
    """NB with every cell's metadata gone, as some editors save it: graded by content."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.metadata = {}
    return nb


def colab_saved(nb, name: str = "a1_neurons") -> str:
    """NB as Colab writes it: nbformat 4.0, no cell ids, Colab's notebook and cell metadata."""
    data = json.loads(nbformat.writes(nb))
    data["nbformat_minor"] = 0
    data["metadata"] = {
        "colab": {"provenance": [], "name": f"{name}.ipynb"},
        "accelerator": "GPU",
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
    }
    for c in data["cells"]:
        c.pop("id", None)
        c["metadata"]["id"] = "abc"
    return json.dumps(data)


def auto_points(out: Path) -> dict[str, tuple[float, float]]:
    """student → (autograded score, autograded maximum) from a batch's cells.csv; manual items wait for a person."""
    import csv

    totals: dict[str, tuple[float, float]] = {}
    with open(out / "cells.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            score, top = totals.get(row["student_id"], (0.0, 0.0))
            totals[row["student_id"]] = (score + float(row["score"]), top + float(row["max_score"]))
    return totals
