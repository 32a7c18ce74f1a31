"""Every correct answer earns full marks: independent solutions of each assignment, graded through the CLI."""

from __future__ import annotations

import csv

import pytest

from autograder.course import COURSE_DIR, assignment_names
from tests import submissions
from tests.alternatives import alternatives, notebook

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", assignment_names(COURSE_DIR))
def test_every_assignment_has_three_independent_correct_solutions(assignment):
    names = [a.name for a in alternatives(assignment)]
    assert len(names) >= 3 and len(set(names)) == len(names)


@pytest.mark.parametrize("assignment", assignment_names(COURSE_DIR))
def test_every_alternative_correct_solution_earns_full_marks(assignment, cli, tmp_path):
    batch = tmp_path / "submissions"
    for alternative in alternatives(assignment):
        submissions.save(notebook(assignment, alternative), batch / f"{alternative.name}.ipynb")
    done = cli("grade", assignment, str(batch), "--out", str(tmp_path / "out"), timeout=1500)
    assert done.returncode == 0, done.stderr[-2000:]
    with open(tmp_path / "out" / "cells.csv", newline="", encoding="utf-8") as f:
        lost = [
            f"{row['student_id']}: {row['grade_id']} {row['status']}"
            for row in csv.DictReader(f)
            if float(row["score"]) < float(row["max_score"])
        ]
    with open(tmp_path / "out" / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        print(f"\n{assignment} {row['student_id']}: {row['score']} / {row['max_score']}", end="")
    assert len(rows) == len(alternatives(assignment))
    assert not lost, "correct solutions that lost points: " + "; ".join(lost)
