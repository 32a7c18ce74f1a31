"""Deliberately wrong answers for every graded part: the tests must catch each one.

Each assignment has a module here, named like the assignment, with a list MUTANTS. A mutant takes
the reference solution and makes one plausible mistake in one answer cell (an off-by-one, a wrong
sign, a missing bias, the wrong axis or dtype, a device bug). tests/test_mutants.py grades them all
through the real autograder and fails if any keeps full marks.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from tests import submissions


@dataclass(frozen=True)
class Mutant:
    name: str  # short and unique within the assignment; it becomes the student id
    grade_id: str  # the answer cell it changes
    old: str  # text of the reference solution (must occur in that cell)
    new: str  # the mistake
    why: str  # the misconception it stands for


def mutants(assignment: str) -> list[Mutant]:
    return importlib.import_module(f"tests.mutants.{assignment}").MUTANTS


def notebook(assignment: str, mutant: Mutant):
    """The solved student copy with the one mistake of MUTANT in it."""
    return submissions.replace_in_answer(submissions.solved(assignment), mutant.grade_id, mutant.old, mutant.new)
