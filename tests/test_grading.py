"""Integration: release, validate and grade real A1 notebooks through the command line."""

from __future__ import annotations

import csv
import json

import nbformat
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
    assert "AssertionError: relu: expected [0 0 0 0.5 2]" in page  # the visible assert's message
    assert "<code>sigmoid_extreme</code>" in page  # checks the error kept from running are named ...
    for hidden in ("_big", "1000", "default_rng", "202"):  # ... but hidden inputs never appear
        assert hidden not in page
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


def test_lms_zip_with_a_late_submission(cli, tmp_path):
    import os
    import zipfile

    solved = nbformat.writes(submissions.solved())
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("early_1001_1_a1_neurons.ipynb", date_time=(2026, 11, 20, 10, 0, 0)), solved)
        zf.writestr(zipfile.ZipInfo("late_1002_2_a1_neurons.ipynb", date_time=(2026, 11, 22, 11, 0, 0)), solved)
        zf.writestr(zipfile.ZipInfo("notes.txt", date_time=(2026, 11, 20, 10, 0, 0)), "not a notebook")
    out = tmp_path / "out"
    done = cli(
        "grade",
        "a1_neurons",
        str(archive),
        "--out",
        str(out),
        "--due",
        "2026-11-20T23:59:00+00:00",
        "--late-penalty",
        "10%",
    )
    assert done.returncode == 0, done.stderr
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert list(next(iter(rows.values()))) == [
        "student_id", "assignment", "score", "max_score", "status", "message",
        "submitted_at", "late_days", "penalty", "final_score",
    ]  # fmt: skip
    assert (rows["1001"]["late_days"], rows["1001"]["final_score"]) == ("0", "18")  # Canvas user ids
    late = rows["1002"]
    assert (late["score"], late["late_days"], late["penalty"], late["final_score"]) == ("18", "2", "3.6", "14.4")
    assert late["submitted_at"] == "2026-11-22T11:00:00+00:00"
    assert rows["notes"]["status"] == "invalid"
    assert (
        "1 day(s)" not in (out / "feedback" / "1002.html").read_text()
        and "14.4" in (out / "feedback" / "1002.html").read_text()
    )
    assert not os.path.exists(tmp_path / "out" / "results" / ".1002.json.part")


def test_killed_batch_resumes_without_regrading_or_half_written_files(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    batch = tmp_path / "batch"
    for n in range(5):
        submissions.save(submissions.solved(), batch / f"student{n}.ipynb")
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "autograder",
        "grade",
        "a1_neurons",
        str(batch),
        "--out",
        str(out),
        "--workers",
        "1",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    grader = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 300
    while len(list((out / "results").glob("*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(grader.pid, signal.SIGKILL)
    grader.wait()
    finished = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    assert 2 <= len(finished) < 5, finished
    for name in finished:
        json.loads((out / "results" / name).read_text())  # complete JSON, never half a file
    assert not (out / "grades.csv").exists()

    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert {n: (out / "results" / n).stat().st_mtime_ns for n in finished} == finished  # not regraded
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["student_id"], r["score"]) for r in rows] == [(f"student{n}", "18") for n in range(5)]
    assert not list(out.rglob("*.part"))


def test_a_failing_source_stops_the_batch_before_any_result_is_saved(tmp_path):
    """The instructor's notebook runs beside the first submissions; if it fails, nothing is scored."""
    from autograder.course import Assignment, UsageError, find_assignment
    from autograder.execute import RunConfig
    from autograder.grade import grade_batch

    a1 = find_assignment("a1_neurons")
    source = submissions.replace_in_answer(
        nbformat.read(a1.source, as_version=4),
        "formal_neuron",
        "    return np.asarray",
        "    raise ValueError\n    return np.asarray",
    )
    broken = Assignment("a1_neurons", tmp_path / "source" / "a1_neurons.ipynb", a1.release)
    submissions.save(source, broken.source)
    batch = tmp_path / "batch"
    for name in ("ann", "ben", "cat"):
        submissions.save(submissions.solved(), batch / f"{name}.ipynb")
    with pytest.raises(UsageError, match="source"):
        grade_batch(broken, batch, tmp_path / "out", config=RunConfig(), workers=2)
    assert not list((tmp_path / "out" / "results").glob("*.json"))
