"""Build the notebook that gets executed: the instructor's notebook with the student's answers.

Every cell comes from the instructor's source except the solution cells (and any extra code
cells the student added after them). Test cells, hidden tests included, are therefore always
the instructor's, whatever the student did to them.
"""

from __future__ import annotations

import re

import nbformat

from autograder import cells
from autograder.notebook_helpers import __file__ as _helpers_path

HIDDEN_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) HIDDEN TESTS[ \t]*\n?", re.MULTILINE)
MISSING_SOLUTION = 'raise NotImplementedError("this solution cell is missing from the submission")'
SEED_CELL = """\
# Inserted by the autograder: the same seeds for every submission.
import random as _random
_random.seed(0)
try:
    import numpy as _np
    _np.random.seed(0)
    import torch as _torch
    _torch.manual_seed(0)
except ImportError:
    pass
"""


def helper_source() -> str:
    """The course helper cell, as the autograder ships it."""
    with open(_helpers_path, encoding="utf-8") as f:
        return f.read()


def strip_hidden_markers(source: str) -> str:
    """Keep hidden tests' code, drop nbgrader's marker lines."""
    return HIDDEN_MARKER.sub("", source)


def _student_answers(student) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Solution sources by grade_id, and extra code cells grouped under the solution they follow."""
    answers: dict[str, str] = {}
    extras: dict[str, list[str]] = {}
    current = ""  # extras before the first solution cell
    for cell in student.cells:
        gid = cells.grade_id(cell)
        if cells.is_solution(cell) and gid:
            answers.setdefault(gid, cell.source)  # the first copy wins; duplicates are ignored
            current = gid
        elif cell.get("cell_type") == "code" and gid is None and cell.source.strip():
            extras.setdefault(current, []).append(cell.source)
    return answers, extras


def assemble(source, student):
    """A fresh notebook: source cells, the student's solutions, no outputs, unique ids."""
    answers, extras = _student_answers(student)
    out = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    out.cells.append(nbformat.v4.new_code_cell(SEED_CELL))
    first_solution = True
    for cell in source.cells:
        gid = cells.grade_id(cell)
        new = nbformat.from_dict({"cell_type": cell.cell_type, "metadata": dict(cell.metadata), "source": cell.source})
        if cell.cell_type == "code":
            new.outputs, new.execution_count = [], None
        if cells.is_solution(cell):
            if first_solution:
                out.cells.extend(nbformat.v4.new_code_cell(s) for s in extras.get("", []))
                first_solution = False
            new.source = answers.get(gid, MISSING_SOLUTION)
            out.cells.append(new)
            out.cells.extend(nbformat.v4.new_code_cell(s) for s in extras.get(gid, []))
            continue
        if gid == cells.HELPER_GRADE_ID:
            new.source = helper_source()
        elif cells.is_test(cell):
            new.source = strip_hidden_markers(cell.source)
        out.cells.append(new)
    for number, cell in enumerate(out.cells):
        cell.id = f"cell-{number}"  # deterministic, so two runs give identical notebooks
    return out
