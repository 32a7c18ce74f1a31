"""Independent correct solutions for every assignment: each must earn full marks.

They are the counterpart of tests/mutants/: a mutant is a wrong answer the tests must catch, an
alternative is a right answer the tests must accept. Each was written from the student copy
(exercises/release/) alone, by someone who had not read the instructor's source, in a style unlike
the reference: loops where it vectorises, lists where it uses arrays, other dtypes where none is
pinned, equivalent formulas, helper cells of the student's own.

Each assignment has a module here, named like the assignment, with a list ALTERNATIVES.
tests/test_alternatives.py grades them all through the real autograder.
"""

from __future__ import annotations

import copy
import importlib
from dataclasses import dataclass, field

import nbformat

from autograder import cells
from tests import submissions


@dataclass(frozen=True)
class Alternative:
    name: str  # short and unique within the assignment; it becomes the student id
    style: str  # what sets it apart from the reference solution
    answers: dict[str, str]  # every answer cell's grade_id → the code the student wrote there
    extra_cells: dict[str, list[str]] = field(default_factory=dict)  # grade_id → new cells the student added after it


def alternatives(assignment: str) -> list[Alternative]:
    return importlib.import_module(f"tests.alternatives.{assignment}").ALTERNATIVES


def notebook(assignment: str, alternative: Alternative):
    """The student copy with ALTERNATIVE's answers and extra cells in it."""
    nb = copy.deepcopy(submissions.release(assignment))
    missing = [
        cells.grade_id(c) for c in nb.cells if cells.is_solution(c) and cells.grade_id(c) not in alternative.answers
    ]
    assert not missing, f"{alternative.name} leaves answer cells blank: {missing}"
    for cell in nb.cells:
        if cells.is_solution(cell):
            cell.source = alternative.answers[cells.grade_id(cell)]
    for after, extra in alternative.extra_cells.items():
        index = next(i for i, c in enumerate(nb.cells) if cells.grade_id(c) == after)
        nb.cells[index + 1 : index + 1] = [nbformat.v4.new_code_cell(code) for code in extra]
    return nb
