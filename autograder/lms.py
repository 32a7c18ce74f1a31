"""Grades in the upload format of a learning-management system, keyed by the ids in its download names.

- **Canvas**: *Grades → Import* takes a CSV whose header is `Student, ID, SIS User ID, SIS Login ID, Section`
  and then one column per assignment, with an optional second row whose first cell is `Points Possible`.
  Rows are matched on `ID`, Canvas's numeric user id (then the SIS ids, then the name). "Download
  Submissions" names every file `<name>[_LATE]_<user id>_<attachment id>_<file name>`, so the user id is
  the number that ends the student id the grader takes from it. Sources: Canvas Instructor Guide, "How do
  I import grades in the Gradebook?"; canvas-lms `app/models/gradebook_importer.rb` (header and Points
  Possible row) and `lib/content_zipper.rb` (download names).
- **Moodle**: the assignment's *Upload grading worksheet* (the offline grading worksheet,
  `assignfeedback_offline`) reads the columns `Identifier` (`Participant <id>`), `Grade` and
  `Last modified (grade)` by name and ignores the others. The id is the participant id that "Download all
  submissions" puts in every name (`<Full Name>_<participant id>_assignsubmission_file_...`), which is not
  the user's id number: Moodle's gradebook "Import grades from CSV" maps users by id number, email or
  username, none of which a download carries, so the worksheet is the round trip keyed by what we have.
  Sources: Moodle docs, "Assignment settings → Offline grading worksheet"; moodle
  `mod/assign/feedback/offline/importgradeslib.php` and `mod/assign/lang/en/assign.php`.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

from autograder.course import UsageError

LMS_KINDS = ("canvas", "moodle")
FILE_NAMES = {"canvas": "canvas_grades.csv", "moodle": "moodle_grading_worksheet.csv"}
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)"]
# Not "Feedback comments": the worksheet import would overwrite each student's comment with an empty one.

_CANVAS_ID = re.compile(r"(?:^|_)(?P<user>\d+)")  # the user id ends the student id: 12345, doejane_12345
_MOODLE_ID = re.compile(r"(?P<name>.*)_(?P<participant>\d+)")  # Jane Doe_12345
_WHAT = {
    "canvas": "a Canvas user id (the number after the name in the downloaded file names)",
    "moodle": "a Moodle participant id (<Full Name>_<participant id> from 'Download all submissions')",
}


def _number(value: object) -> str:
    """A score as the LMS reads it: a plain decimal, at most 4 places, no trailing zeros."""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _score(row: dict) -> str:
    final = row.get("final_score")
    return _number(final if final not in (None, "") else row["score"])


def lms_key(kind: str, student_id: str) -> tuple[str, str] | None:
    """(the LMS's id, a display name) parsed from STUDENT_ID, or None when it carries no such id."""
    if kind == "canvas":
        match = _CANVAS_ID.search(student_id)
        if match and match.end() == len(student_id):
            return match.group("user"), student_id
        return None
    match = _MOODLE_ID.fullmatch(student_id)
    return (match.group("participant"), match.group("name").strip()) if match else None


def write_lms(
    kind: str, out: Path, rows: list[dict], assignment: str, max_score: float, now: datetime | None = None
) -> Path:
    """Write OUT/<file> for KIND (canvas or moodle) from grades.csv's ROWS; a student without an LMS id is a UsageError."""
    if kind not in LMS_KINDS:
        raise UsageError(f"--lms {kind}: unknown LMS; choose one of {', '.join(LMS_KINDS)}")
    keys = {row["student_id"]: lms_key(kind, row["student_id"]) for row in rows}
    missing = [sid for sid, key in keys.items() if key is None]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise UsageError(
            f"--lms {kind}: {len(missing)} of {len(keys)} student ids lack {_WHAT[kind]}: {shown};"
            f" grade the LMS's own download, or leave out --lms"
        )
    if kind == "canvas":
        table = [[*CANVAS_HEADER, assignment], ["Points Possible", "", "", "", "", _number(max_score)]]
        table += [[sid, keys[sid][0], "", "", "", _score(row)] for row in rows for sid in [row["student_id"]]]
    else:
        stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        table = [MOODLE_HEADER]
        table += [
            [f"Participant {keys[sid][0]}", keys[sid][1], _score(row), _number(max_score), stamp]
            for row in rows
            for sid in [row["student_id"]]
        ]
    from autograder.write import write_atomic  # like every other file of the batch (write imports this module)

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / FILE_NAMES[kind], buffer.getvalue())
    return out / FILE_NAMES[kind]
