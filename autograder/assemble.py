"""Build the notebook that gets executed: the instructor's notebook with the student's answers.

Every cell comes from the instructor's source except the solution cells (and any extra code
cells the student added after them). Test cells, hidden tests included, are therefore always
the instructor's, whatever the student did to them.
"""

from __future__ import annotations

import re

import nbformat

from autograder import cells
from autograder.instrument import calls_check, instrument, recorder_source
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


def hidden_line_numbers(source: str) -> list[int]:
    """Line numbers (from 1) of the hidden tests in the executed cell, strip_hidden_markers(SOURCE)."""
    hidden, inside, number = [], False, 0
    for line in source.splitlines():
        marker = HIDDEN_MARKER.match(line + "\n")
        if marker:
            inside = marker.group(1) == "BEGIN"
            continue
        number += 1
        if inside:
            hidden.append(number)
    return hidden


SOLUTION_BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?### END SOLUTION[ \t]*\n?", re.MULTILINE | re.DOTALL)


def anchors(solution_cell) -> set[str]:
    """Lines of a solution cell that the student copy keeps around the answer (def lines, comments)."""
    outside = SOLUTION_BLOCK.sub("", solution_cell.source)
    return {line.strip() for line in outside.splitlines() if line.strip()}


def match_answers(source, student) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The student's answer for each solution grade_id, and the code cells they added, under the cell they follow.

    Cells are matched by grade_id; when a notebook lost its metadata (some editors strip it), a code
    cell that keeps every line the release showed around the answer is taken for that answer. An added
    cell is filed under the last instructor cell with a grade_id before it (answer, test or locked
    cell), so it runs in the same place among the instructor's cells as it did for the student.
    Unmarked code cells that the instructor wrote (an example call, say) are the source's, not extras.
    """
    wanted = {cells.grade_id(c): anchors(c) for c in source.cells if cells.is_solution(c)}
    known = {cells.grade_id(c) for c in source.cells if cells.grade_id(c)}
    instructors = {c.source.strip() for c in source.cells if c.cell_type == "code" and not cells.grade_id(c)}
    answers: dict[str, str] = {}
    extras: dict[str, list[str]] = {}
    current = ""  # extras before the first instructor cell with a grade_id
    for cell in student.cells:
        if cell.get("cell_type") != "code" or not cell.source.strip():
            continue
        gid = cells.grade_id(cell)
        if gid is None:
            if cell.source.strip() in instructors:
                continue
            lines = {line.strip() for line in cell.source.splitlines()}
            gid = next((g for g, a in wanted.items() if a and g not in answers and a <= lines), None)
        elif not cells.is_solution(cell):
            current = gid if gid in known else current  # the student's copy of a test or locked cell
            continue
        if gid in wanted:
            answers.setdefault(gid, cell.source)  # the first copy wins; duplicates are ignored
            current = gid
        elif gid is None:
            extras.setdefault(current, []).append(cell.source)
    return answers, extras


def test_source(cell) -> str:
    """What a test cell runs: the instructor's code, hidden tests included, plain asserts instrumented."""
    code = strip_hidden_markers(cell.source)
    return code if calls_check(code) else instrument(code, hidden_line_numbers(cell.source)).source


def _extra_cell(code: str, after: str):
    """A code cell the student added; its metadata says which answer it follows, for feedback."""
    return nbformat.v4.new_code_cell(code, metadata={"autograder": {"extra_after": after}})


def assemble(source, student):
    """A fresh notebook: source cells, the student's solutions and added cells, no outputs, unique ids."""
    answers, extras = match_answers(source, student)
    out = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    out.cells.append(nbformat.v4.new_code_cell(SEED_CELL))
    out.cells.append(nbformat.v4.new_code_cell(recorder_source()))
    placed = set()
    for cell in source.cells:
        gid = cells.grade_id(cell)
        new = nbformat.from_dict({"cell_type": cell.cell_type, "metadata": dict(cell.metadata), "source": cell.source})
        if cell.cell_type == "code":
            new.outputs, new.execution_count = [], None
        if cells.is_solution(cell):
            if "" not in placed:
                out.cells.extend(_extra_cell(s, "") for s in extras.get("", []))
                placed.add("")
            new.source = answers.get(gid, MISSING_SOLUTION)
        elif gid == cells.HELPER_GRADE_ID:
            new.source = helper_source()
        elif cells.is_test(cell):
            new.source = test_source(cell)
        out.cells.append(new)
        if gid and gid not in placed:
            out.cells.extend(_extra_cell(s, gid) for s in extras.get(gid, []))
            placed.add(gid)
    out.cells.extend(_extra_cell(s, "") for s in ([] if "" in placed else extras.get("", [])))
    for number, cell in enumerate(out.cells):
        cell.id = f"cell-{number}"  # deterministic, so two runs give identical notebooks
    return out
