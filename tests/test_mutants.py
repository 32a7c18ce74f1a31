"""Every assignment, graded through the real autograder: real kinds of submission get the score they
should, and every deliberately wrong answer loses points."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from autograder import cells
from autograder.course import COURSE_DIR, assignment_names
from tests import submissions
from tests.mutants import mutants, notebook

pytestmark = pytest.mark.slow


def answer_cells(assignment: str) -> list[str]:
    return [cells.grade_id(c) for c in submissions.source(assignment).cells if cells.is_solution(c)]


def grading_cell_of_each_answer(assignment: str) -> dict[str, str]:
    """The grade_id of the test cell that grades each answer cell: the first test cell after it in the source."""
    tests_of, pending = {}, []
    for cell in submissions.source(assignment).cells:
        if cells.is_solution(cell):
            pending.append(cells.grade_id(cell))
        elif cells.is_test(cell) and pending:
            tests_of.update(dict.fromkeys(pending, cells.grade_id(cell)))
            pending = []
    assert not pending, f"answer cells with no test cell after them: {pending}"
    return tests_of


@pytest.mark.parametrize("assignment", assignment_names(COURSE_DIR))
def test_every_answer_cell_has_three_plausible_mistakes(assignment):
    found = Counter(m.grade_id for m in mutants(assignment))
    assert len({m.name for m in mutants(assignment)}) == len(mutants(assignment)), "mutant names must be unique"
    thin = {grade_id: found[grade_id] for grade_id in answer_cells(assignment) if found[grade_id] < 3}
    assert not thin, f"answer cells with fewer than 3 wrong implementations: {thin}"


def real_submissions(assignment: str, batch) -> dict[str, str]:
    """The kinds of notebook a class hands in, each with its expected outcome: full, zero, partial or invalid."""
    solved = submissions.solved(assignment)
    first_answer = answer_cells(assignment)[0]
    blank_first = next(c.source for c in submissions.release(assignment).cells if cells.grade_id(c) == first_answer)
    submissions.save(solved, batch / "reference_solution.ipynb")
    submissions.save(submissions.release(assignment), batch / "blank.ipynb")
    submissions.save(submissions.with_answer(solved, first_answer, blank_first), batch / "partial.ipynb")
    submissions.save(submissions.stripped(solved), batch / "stripped_metadata.ipynb")
    colab = batch / "colab_renamed" / f"Copy of {assignment}.ipynb"
    colab.parent.mkdir(parents=True)
    colab.write_text(submissions.colab_saved(solved, assignment), encoding="utf-8")
    (batch / "corrupt.ipynb").write_text('{"cells": [', encoding="utf-8")
    return {
        "reference_solution": "full",
        "blank": "zero",
        "partial": "partial",
        "stripped_metadata": "full",
        "colab_renamed": "full",
        "corrupt": "invalid",
    }


def outcome(row: dict, auto: tuple[float, float] | None) -> str:
    """From the autograded points: a written answer that waits for the instructor is neither won nor lost."""
    if row["status"] == "invalid":
        return "invalid"
    score, top = auto or (float(row["score"]), float(row["max_score"]))
    return "full" if score == top else "zero" if score == 0 else "partial"


@pytest.mark.parametrize("assignment", assignment_names(COURSE_DIR))
def test_the_autograder_grades_real_submissions_and_kills_every_mutant(assignment, cli, tmp_path):
    batch = tmp_path / "submissions"
    for mutant in mutants(assignment):
        submissions.save(notebook(assignment, mutant), batch / f"{mutant.name}.ipynb")
    expected = real_submissions(assignment, batch)
    done = cli("grade", assignment, str(batch), "--out", str(tmp_path / "out"), "--timeout", "120", timeout=1500)
    assert done.returncode == 0, done.stderr[-2000:]
    with open(tmp_path / "out" / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    auto = submissions.auto_points(tmp_path / "out")
    assert {sid: outcome(rows.pop(sid), auto.get(sid)) for sid in expected} == expected
    survivors = [name for name in rows if auto[name][0] >= auto[name][1]]
    killed = len(rows) - len(survivors)
    print(f"\n{assignment}: {killed}/{len(rows)} mutants killed ({100 * killed / len(rows):.0f}%)")
    assert not survivors, f"wrong answers that kept full marks: {survivors}"
    # A mutant counts as caught only when the part it changed loses points, not some later part that calls it.
    with open(tmp_path / "out" / "cells.csv", newline="", encoding="utf-8") as f:
        lost = {
            (row["student_id"], row["grade_id"])
            for row in csv.DictReader(f)
            if float(row["score"]) < float(row["max_score"])
        }
    tests_of = grading_cell_of_each_answer(assignment)
    elsewhere = {
        m.name: f"{m.grade_id} changed, {tests_of[m.grade_id]} kept full marks; lost in: "
        + (", ".join(sorted(g for sid, g in lost if sid == m.name)) or "nothing")
        for m in mutants(assignment)
        if (m.name, tests_of[m.grade_id]) not in lost
    }
    in_part = len(rows) - len(elsewhere)
    print(f"{assignment}: {in_part}/{len(rows)} mutants killed in the part they change")
    assert not elsewhere, f"mutants that lost no points in the part they change: {elsewhere}"
