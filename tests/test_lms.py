"""LMS exports: Canvas's gradebook import CSV and Moodle's grading worksheet, in their documented layouts."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest

from autograder.collect import student_id
from autograder.course import UsageError
from autograder.lms import write_lms

# The grader's student ids from the LMS download names (collect.LMS_PATTERNS, with the canvas pattern that keeps
# the user id; see the report of issue 18): Moodle "<Full Name>_<participant id>", Canvas "<user id>".
CANVAS_PATTERN = r"[^_]+(?:_LATE)?_(?P<id>\d+)_\d+_.+\.ipynb"
MOODLE_PATTERN = r"(?P<id>.+?_\d+)_assignsubmission_[a-z]+(?:_.*\.ipynb|_)?"


def rows(*triples):
    return [{"student_id": s, "score": score, "max_score": "20", **extra} for s, score, extra in triples]


def read(path):
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")  # UTF-8 without a BOM, RFC 4180 lines
    return list(csv.reader(raw.decode("utf-8").splitlines()))


def test_canvas_ids_come_from_the_download_names():
    assert student_id("doejane_1234_987654_a1_neurons.ipynb", [CANVAS_PATTERN]) == "1234"
    assert student_id("doejane_LATE_1234_987654_a1_neurons-1.ipynb", [CANVAS_PATTERN]) == "1234"
    moodle = "Jane Doe, Jr._56789_assignsubmission_file_a1_neurons.ipynb"
    assert student_id(moodle, [MOODLE_PATTERN]) == "Jane Doe, Jr._56789"


def test_canvas_gradebook_csv_has_the_import_header_a_points_possible_row_and_one_row_per_student(tmp_path):
    graded = rows(
        ("1234", "18", {}),
        ("doejane_LATE_5678", "20", {"final_score": "5"}),  # a late policy applied: the final score is sent
        ("91011", "12.5", {"final_score": ""}),
    )
    path = write_lms("canvas", tmp_path, graded, "A1: neurons", 20.0)
    assert path == tmp_path / "canvas_grades.csv"
    assert read(path) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "A1: neurons"],
        ["Points Possible", "", "", "", "", "20"],
        ["1234", "1234", "", "", "", "18"],
        ["doejane_LATE_5678", "5678", "", "", "", "5"],
        ["91011", "91011", "", "", "", "12.5"],
    ]


def test_moodle_grading_worksheet_is_keyed_by_participant(tmp_path):
    graded = rows(("Jane Doe, Jr._56789", "14.25", {}), ("Ana María Pérez_42", "9", {"final_score": "7.5"}))
    when = datetime(2025, 3, 4, 15, 30, tzinfo=UTC)
    path = write_lms("moodle", tmp_path, graded, "a1_neurons", 18.0, now=when)
    assert path == tmp_path / "moodle_grading_worksheet.csv"
    assert read(path) == [
        ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)"],
        ["Participant 56789", "Jane Doe, Jr.", "14.25", "18", "2025-03-04T15:30:00+00:00"],
        ["Participant 42", "Ana María Pérez", "7.5", "18", "2025-03-04T15:30:00+00:00"],
    ]
    assert 'Participant 56789,"Jane Doe, Jr.",14.25' in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("kind", "ids", "bad"),
    [
        ("canvas", ["1234", "doejane", "alice_smith"], "doejane, alice_smith"),  # the name alone: no user id
        ("moodle", ["Jane Doe_56789", "alice", "bob_x1"], "alice, bob_x1"),
    ],
)
def test_students_without_an_lms_id_are_one_usage_error_and_nothing_is_written(tmp_path, kind, ids, bad):
    with pytest.raises(UsageError) as error:
        write_lms(kind, tmp_path / "out", rows(*[(s, "1", {}) for s in ids]), "a1_neurons", 20.0)
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"--lms {kind}: 2 of 3 student ids lack ")
    assert message.split(": ", 2)[2].startswith(bad)
    assert not (tmp_path / "out").exists()


def test_an_unknown_lms_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="unknown LMS; choose one of canvas, moodle"):
        write_lms("blackboard", tmp_path, [], "a1", 1.0)
