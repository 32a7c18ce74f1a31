"""Every deliberately wrong answer loses points when graded through the real autograder."""

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


@pytest.mark.parametrize("assignment", assignment_names(COURSE_DIR))
def test_every_answer_cell_has_three_plausible_mistakes(assignment):
    found = Counter(m.grade_id for m in mutants(assignment))
    assert len({m.name for m in mutants(assignment)}) == len(mutants(assignment)), "mutant names must be unique"
    thin = {grade_id: found[grade_id] for grade_id in answer_cells(assignment) if found[grade_id] < 3}
    assert not thin, f"answer cells with fewer than 3 wrong implementations: {thin}"


@pytest.mark.parametrize("assignment", assignment_names(COURSE_DIR))
def test_the_autograder_kills_every_mutant(assignment, cli, tmp_path):
    batch = tmp_path / "submissions"
    for mutant in mutants(assignment):
        submissions.save(notebook(assignment, mutant), batch / f"{mutant.name}.ipynb")
    submissions.save(submissions.solved(assignment), batch / "reference_solution.ipynb")
    done = cli("grade", assignment, str(batch), "--out", str(tmp_path / "out"), "--timeout", "120", timeout=1500)
    assert done.returncode == 0, done.stderr[-2000:]
    with open(tmp_path / "out" / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    full = rows.pop("reference_solution")
    assert full["status"] == "graded" and float(full["score"]) == float(full["max_score"]), full
    survivors = [name for name, row in rows.items() if float(row["score"]) >= float(row["max_score"])]
    killed = len(rows) - len(survivors)
    print(f"\n{assignment}: {killed}/{len(rows)} mutants killed ({100 * killed / len(rows):.0f}%)")
    assert not survivors, f"wrong answers that kept full marks: {survivors}"
