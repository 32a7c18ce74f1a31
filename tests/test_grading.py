"""Integration: release, validate and grade real A1 notebooks through the command line."""

from __future__ import annotations

import csv
import json

import pytest

from autograder.device import cuda_device_count
from tests import submissions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One batch: correct, blank, partly wrong, corrupt, renamed-in-a-folder and awkwardly named."""
    from tests.conftest import run_cli

    batch = tmp_path_factory.mktemp("submissions")
    solved = submissions.solved()
    wrong = submissions.wrong()
    submissions.save(solved, batch / "alice.ipynb")
    submissions.save(submissions.release(), batch / "bob.ipynb")
    submissions.save(wrong, batch / "carol" / "Copy of a1_neurons.ipynb")
    (batch / "dave.ipynb").write_text('{"cells": [', encoding="utf-8")
    submissions.save(solved, batch / "O'Brien, Zoë.ipynb")
    out = tmp_path_factory.mktemp("out")
    done = run_cli("grade", "a1_neurons", str(batch), "--out", str(out), "--workers", "2")
    assert done.returncode == 0, done.stderr
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    return out, grades


def test_every_student_gets_the_expected_score(graded):
    _, grades = graded
    scores = {sid: (float(row["score"]), row["status"]) for sid, row in grades.items()}
    assert scores == {
        "alice": (18.0, "graded"),
        "bob": (0.0, "graded"),
        "carol": (10.0, "graded"),  # relu wrong (-4) and no bias update (-4)
        "dave": (0.0, "invalid"),
        "O'Brien, Zoë": (18.0, "graded"),
    }
    assert all(row["max_score"] == "18" for row in grades.values())
    assert "not valid notebook JSON" in grades["dave"]["message"]


def test_cells_csv_pinpoints_the_wrong_parts(graded):
    out, _ = graded
    with open(out / "cells.csv", newline="", encoding="utf-8") as f:
        carol = {r["grade_id"]: r for r in csv.DictReader(f) if r["student_id"] == "carol"}
    assert {g for g, r in carol.items() if r["status"] == "failed"} == {"test_activations", "test_perceptron"}
    assert carol["test_xor"]["score"] == "3"


def test_feedback_summary_and_histogram_are_written(graded):
    out, _ = graded
    summary = json.loads((out / "summary.json").read_text())
    assert summary["students"] == 5 and summary["statuses"] == {"graded": 4, "invalid": 1}
    assert summary["median"] == 10.0
    assert (out / "scores.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "feedback" / "carol.html").read_text(encoding="utf-8")
    assert "10 / 18" in page and "np.abs" in page
    assert "sigmoid_extreme" not in page  # hidden check names are not revealed
    assert len(list((out / "feedback").glob("*.html"))) == 5


def test_report_prints_the_batch(graded, cli):
    out, _ = graded
    done = cli("report", str(out))
    assert done.returncode == 0, done.stderr
    assert "a1_neurons: 5 students" in done.stdout and "carol" in done.stdout


def test_regrading_gives_identical_csvs(graded, cli, tmp_path):
    out, _ = graded
    batch = tmp_path / "again"
    submissions.save(submissions.solved(), batch / "alice.ipynb")
    (batch / "dave.ipynb").write_text('{"cells": [', encoding="utf-8")
    first = tmp_path / "first"
    second = tmp_path / "second"
    for target in (first, second):
        assert cli("grade", "a1_neurons", str(batch), "--out", str(target), "--workers", "1").returncode == 0
    assert (first / "grades.csv").read_bytes() == (second / "grades.csv").read_bytes()
    assert (first / "cells.csv").read_bytes() == (second / "cells.csv").read_bytes()


def test_validate_gives_source_full_marks_and_release_zero(cli):
    done = cli("validate", "a1_neurons", "--device", "cpu")
    assert done.returncode == 0, done.stderr
    assert "a1_neurons: source 18/18, release 0/18 on cpu: ok" in done.stdout


def test_release_copies_are_up_to_date(cli):
    done = cli("release", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["grade", "a9", "x", "--out", "o"], "unknown assignment 'a9'"),
        (["grade", "a1_neurons", "/nonexistent", "--out", "o"], "submissions not found"),
        pytest.param(
            ["grade", "a1_neurons", ".", "--out", "o", "--device", "cuda"],
            "no CUDA device",
            marks=pytest.mark.skipif(cuda_device_count() > 0, reason="this machine has CUDA"),
        ),
        (["grade", "a1_neurons", "."], "--out"),
        (["frobnicate"], "invalid choice"),
        (["grade", "a1_neurons", ".", "--out", "o", "--workers", "0"], "must be positive"),
        (["report", "/nonexistent"], "holds no graded batch"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli, args, message):
    done = cli(*args, timeout=60)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
