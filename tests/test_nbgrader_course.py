"""Bring your own nbgrader course: nbgrader's user-guide assignment ps1, graded through `--course`.

ps1 (tests/nbgrader-ps1, copied unchanged from nbgrader's repository under its licence) has two
notebooks, plain-assert test cells and manually graded answers. Our auto scores must equal nbgrader
0.9.6's on the same files; its plain asserts must resist the tampering that fools nbgrader; the
manual round trip must merge the instructor's scores without running any notebook again.
"""

from __future__ import annotations

import copy
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import cells
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.slow
PS1 = ROOT / "tests" / "nbgrader-ps1"
STUDENTS = ["bitdiddle", "hacker"]


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _grade(course: Path, submissions: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """`grade ps1` through the CLI, as an instructor runs it on their own course."""
    return run_cli("--course", str(course / "course"), "grade", "ps1", str(submissions), "--out", str(out), *extra)


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A copy of ps1 as an instructor has it, released with our `release` verb (nbgrader underneath)."""
    root = tmp_path_factory.mktemp("ps1")
    shutil.copytree(PS1 / "source", root / "course" / "source")
    shutil.copytree(PS1 / "submitted", root / "submissions")
    done = run_cli("--course", str(root / "course"), "release", "ps1")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def graded(course):
    done = _grade(course, course / "submissions", course / "out")
    assert done.returncode == 0, done.stderr[-2000:]
    return course / "out", done


@pytest.fixture(scope="module")
def nbgrader_scores(course):
    """nbgrader 0.9.6's own autograde of the same files: student → (score, max_score)."""
    home = course / "nbgrader"
    shutil.copytree(PS1 / "source", home / "source")
    shutil.copytree(PS1 / "submitted", home / "submitted")
    assert _nbgrader(home, "generate_assignment", "ps1", "--force").returncode == 0
    done = _nbgrader(home, "autograde", "ps1", "--create", "--force")
    assert done.returncode == 0, done.stderr[-2000:]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{home / 'gradebook.db'}") as gradebook:
        return {
            s: (gradebook.find_submission("ps1", s).score, gradebook.find_assignment("ps1").max_score) for s in STUDENTS
        }


def test_auto_scores_equal_nbgrader_autograde(graded, nbgrader_scores):
    out, _ = graded
    ours = {r["student_id"]: (float(r["score"]), float(r["max_score"])) for r in _rows(out / "grades.csv")}
    assert ours == nbgrader_scores == {"bitdiddle": (1.5, 13.0), "hacker": (3.0, 13.0)}


def test_cells_name_their_notebook_and_basis(graded):
    out, done = graded
    rows = _rows(out / "cells.csv")
    assert {r["notebook"] for r in rows} == {"problem1"}  # problem2 has only manually graded answers
    basis = {r["grade_id"]: r["basis"] for r in rows}
    assert basis == {
        "correct_squares": "recorded",
        "squares_invalid_input": "kernel",
        "correct_sum_of_squares": "recorded",
        "sum_of_squares_uses_squares": "kernel",
    }
    assert "10 manually graded answers wait for a score" in done.stdout


def test_the_data_file_beside_the_notebooks_reaches_the_kernel(course, tmp_path):
    """ps1's jupyter.png is in the sandbox's working folder, as nbgrader provides it."""
    nb = nbformat.read(PS1 / "submitted" / "hacker" / "ps1" / "problem1.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("assert open('jupyter.png', 'rb').read(4) == b'\\x89PNG'"))
    (tmp_path / "subs" / "hacker").mkdir(parents=True)
    nbformat.write(nb, tmp_path / "subs" / "hacker" / "problem1.ipynb")
    done = _grade(course, tmp_path / "subs", tmp_path / "out")
    assert done.returncode == 0, done.stderr[-1500:]
    (row,) = _rows(tmp_path / "out" / "grades.csv")
    assert float(row["score"]) == 3.0, row  # the extra cell at the end ran without error, after every test
    assert "problem2: no problem2.ipynb in the submission" in row["message"]


# --- tampering: what fools nbgrader must earn nothing on a recorded cell --------------------------------

TAMPERING = {
    "exception_handler": "get_ipython().set_custom_exc((AssertionError,), lambda *a, **k: None)",
    "showtraceback": "get_ipython().showtraceback = lambda *a, **k: None",
    "input_transformer": "get_ipython().input_transformers_cleanup.append("
    "lambda lines: ['pass\\n'] if any('assert' in l or '_n2n' in l for l in lines) else lines)",
    "ast_transformer": """import ast
class _Blank(ast.NodeTransformer):
    def visit_Assert(self, node):
        return None
    def visit_Expr(self, node):
        return None
get_ipython().ast_transformers.append(_Blank())""",
    "always_equal": """class _Yes(list):
    def __eq__(self, other):
        return True
_real = squares
squares = lambda n: _Yes(_real(n))""",
    "recorder_disabled": "_n2n_compare = lambda *a, **k: None\n_n2n_record = lambda *a, **k: None",
    "operator_patched": "import operator\noperator.eq = lambda a, b: True",
}


@pytest.fixture(scope="module")
def tampered(course):
    """bitdiddle's wrong squares, plus each tampering as a cell after it: one student per trick."""
    base = nbformat.read(PS1 / "submitted" / "bitdiddle" / "ps1" / "problem1.ipynb", as_version=4)
    subs = course / "tampered"
    for name, code in TAMPERING.items():
        nb = copy.deepcopy(base)
        at = next(i for i, c in enumerate(nb.cells) if cells.grade_id(c) == "sum_of_squares") + 1
        nb.cells.insert(at, nbformat.v4.new_code_cell(code))
        (subs / name).mkdir(parents=True)
        nbformat.write(nb, subs / name / "problem1.ipynb")
        shutil.copy(PS1 / "submitted" / "bitdiddle" / "ps1" / "problem2.ipynb", subs / name / "problem2.ipynb")
    done = _grade(course, subs, course / "tampered-out")
    assert done.returncode == 0, done.stderr[-2000:]
    return _rows(course / "tampered-out" / "cells.csv")


@pytest.mark.parametrize("trick", sorted(TAMPERING))
def test_tampering_earns_nothing_on_recorded_cells(tampered, trick):
    recorded = {
        r["grade_id"]: float(r["score"]) for r in tampered if r["student_id"] == trick and r["basis"] == "recorded"
    }
    assert recorded == {"correct_squares": 0.0, "correct_sum_of_squares": 0.0}, recorded


# --- manual grading round trip -----------------------------------------------------------------------


def _fill(out: Path, scores: dict[tuple[str, str], str], path: Path) -> Path:
    rows = _rows(out / "manual.csv")
    for row in rows:
        if (row["student_id"], row["grade_id"]) in scores:
            row["score"] = scores[(row["student_id"], row["grade_id"])]
            row["comment"] = f"comment on {row['grade_id']}"
    return _write_rows(path, rows)


def _write_rows(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_manual_csv_lists_every_manual_item_unscored(graded):
    out, _ = graded
    rows = _rows(out / "manual.csv")
    assert list(rows[0]) == ["student_id", "notebook", "grade_id", "max_score", "score", "comment"]
    assert len(rows) == 10 and all(r["score"] == "" for r in rows)
    assert sum(float(r["max_score"]) for r in rows if r["student_id"] == "hacker") == 10
    page = (out / "manual" / "hacker.html").read_text(encoding="utf-8")
    assert "problem2 / part-b" in page and "fibonacci sequence using recursion" in page  # their written answer


def test_manual_scores_merge_without_running_a_notebook(course, graded):
    out, _ = graded
    every = {(r["student_id"], r["grade_id"]): r["max_score"] for r in _rows(out / "manual.csv")}
    every[("bitdiddle", "part-b")] = ""  # one item still to grade
    filled = _fill(out, every, course / "filled.csv")
    before = {p: p.stat().st_mtime_ns for p in (out / "results").rglob("*.json")}
    done = _grade(course, course / "submissions", out, "--manual", str(filled))
    assert done.returncode == 0, done.stderr[-1500:]
    assert {p: p.stat().st_mtime_ns for p in (out / "results").rglob("*.json")} == before  # nothing regraded
    grades = {r["student_id"]: r for r in _rows(out / "grades.csv")}
    assert float(grades["hacker"]["score"]) == 13.0 and float(grades["hacker"]["max_score"]) == 13.0
    assert float(grades["bitdiddle"]["score"]) == 1.5 + 8.0
    assert "manual grading pending: 1 of 5 items" in grades["bitdiddle"]["message"]
    assert "pending" not in grades["hacker"]["message"]
    feedback = (out / "feedback" / "hacker.html").read_text(encoding="utf-8")
    assert "comment on part-a" in feedback and "1 / 1" in feedback


@pytest.mark.parametrize(
    "edit, error",
    [
        ({"student_id": "nobody"}, "unknown student 'nobody'"),
        ({"score": "5"}, "outside 0 to 1"),
        ({"score": "full"}, "is not a number"),
        ({"grade_id": "no-such-cell"}, "no manually graded cell problem2/no-such-cell"),
    ],
)
def test_a_bad_manual_file_is_refused_and_nothing_is_written(course, graded, tmp_path, edit, error):
    out, _ = graded
    rows = _rows(out / "manual.csv")
    for row in rows:
        if (row["student_id"], row["grade_id"]) == ("hacker", "part-a"):  # 1 point, in problem2
            row.update(edit)
    bad = _write_rows(tmp_path / "bad.csv", rows)
    before = {p: p.read_bytes() for p in out.glob("*.csv")}
    done = _grade(course, course / "submissions", out, "--manual", str(bad))
    assert done.returncode == 2 and error in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in out.glob("*.csv")} == before
