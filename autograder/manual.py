"""Manually graded answers: find them, list them in manual.csv, and merge the instructor's scores back.

nbgrader marks a hand-graded answer as a cell that is both a solution and graded (markdown or code),
and a hand-graded task as a locked markdown cell with `task: true`, whose answer is whatever the
student wrote after it. `grade` writes one row per student and item to manual.csv, with `score`
empty, and a page per student to read the answers; the instructor fills in `score` and `comment` and
runs `grade` again with `--manual FILE`, which re-uses every saved result and runs no notebook.
"""

from __future__ import annotations

import csv
import html
import math
from pathlib import Path

import mistune

from autograder import cells
from autograder.course import UsageError

MANUAL_FIELDS = ["student_id", "notebook", "grade_id", "max_score", "score", "comment"]


def _task_answer(student, task_id: str) -> str:
    """What the student wrote after a task cell: their cells up to the next cell with a grade_id."""
    found, parts = False, []
    for cell in student.cells:
        if found and cells.grade_id(cell):
            break
        if found and cell.source.strip():
            parts.append(cell.source)
        found = found or cells.grade_id(cell) == task_id
    return "\n\n".join(parts)


def manual_items(source, student, notebook: str) -> list[dict]:
    """One unscored item per manually graded cell of SOURCE, with the student's answer from STUDENT."""
    theirs = {}
    for cell in student.cells:
        theirs.setdefault(cells.grade_id(cell), cell)
    items = []
    for cell in source.cells:
        gid = cells.grade_id(cell)
        if not gid or not cells.is_manual(cell):
            continue
        task = bool((cell.metadata.get("nbgrader") or {}).get("task"))
        answer = _task_answer(student, gid) if task else (theirs[gid].source if gid in theirs else "")
        items.append(
            {
                "grade_id": gid,
                "notebook": notebook,
                "max_score": cells.points(cell),
                "score": None,
                "comment": "",
                "kind": "task" if task else cell.cell_type,
                "question": cell.source if task else "",
                "answer": answer,
            }
        )
    return items


def _fmt(x: float) -> str:
    return f"{x:g}"


def manual_csv(results) -> str:
    """manual.csv: a row per student and manual item; score empty until the instructor fills it in."""
    rows = [
        {
            "student_id": r.student_id,
            "notebook": m["notebook"],
            "grade_id": m["grade_id"],
            "max_score": _fmt(m["max_score"]),
            "score": "" if m.get("score") is None else _fmt(m["score"]),
            "comment": m.get("comment", ""),
        }
        for r in results
        for m in r.manual
    ]
    from autograder.write import csv_text  # the batch's other CSV files use the same dialect

    return csv_text(MANUAL_FIELDS, rows)


def read_manual(path: Path, students: set[str], items: dict[tuple[str, str], float]) -> dict:
    """The instructor's scores and comments by (student, notebook, grade_id), checked against the batch's
    STUDENTS and the assignment's manual ITEMS ((notebook, grade_id) → points); UsageError on any problem."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            needed = ("student_id", "notebook", "grade_id", "score")
            missing = [name for name in needed if name not in (reader.fieldnames or [])]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"--manual {path}: cannot read it ({type(exc).__name__})") from None
    if missing:
        raise UsageError(f"--manual {path}: no column {', '.join(missing)}; expected {','.join(MANUAL_FIELDS)}")
    scores = {}
    for line, row in enumerate(rows, start=2):
        key = (row["student_id"], row["notebook"], row["grade_id"])
        where = f"--manual {path}, line {line}"
        if key[0] not in students:
            raise UsageError(f"{where}: unknown student {key[0]!r}")
        if key[1:] not in items:
            raise UsageError(f"{where}: no manually graded cell {key[1]}/{key[2]} in this assignment")
        text = (row["score"] or "").strip()
        try:
            score = float(text) if text else None
        except ValueError:
            raise UsageError(f"{where}: score {text!r} is not a number") from None
        if score is not None and not (math.isfinite(score) and 0 <= score <= items[key[1:]]):
            raise UsageError(f"{where}: score {text} is outside 0 to {_fmt(items[key[1:]])}")
        if key in scores:
            raise UsageError(f"{where}: {key[0]}'s {key[1]}/{key[2]} is listed twice")
        scores[key] = (score, (row.get("comment") or "").strip())
    return scores


def apply_manual(results, scores: dict[tuple[str, str, str], tuple[float | None, str]]) -> None:
    """Each result's score becomes its autograded points plus the manual scores it has; pending ones are flagged."""
    for r in results:
        for m in r.manual:
            m["score"], m["comment"] = scores.get((r.student_id, m["notebook"], m["grade_id"]), (None, ""))
        r.score = sum(c.score for c in r.cells) + sum(m["score"] or 0.0 for m in r.manual)
        if r.manual_pending:  # results come fresh from results/, which never holds this note
            note = f"manual grading pending: {r.manual_pending} of {len(r.manual)} items"
            r.message = f"{r.message}; {note}" if r.message else note


def _render(item: dict) -> str:
    e = html.escape
    if not item["answer"].strip():
        return "<p><em>no answer</em></p>"
    if item["kind"] == "code":
        return f"<pre>{e(item['answer'])}</pre>"
    return mistune.create_markdown(escape=True)(item["answer"])  # the student's HTML is shown, never run


def manual_page(result) -> str:
    """The page an instructor reads to grade one student's manual items."""
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(result.assignment)}: manual grading of {e(result.student_id)}</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:auto}pre{background:#f4f4f4;padding:.5em;"
        "overflow-x:auto}.answer{border-left:4px solid #0072B2;padding-left:1em}</style></head><body>",
        f"<h1>{e(result.assignment)}: answers of {e(result.student_id)} to grade by hand</h1>",
        "<p>Enter each score and comment in manual.csv, then run grade again with --manual manual.csv.</p>",
    ]
    for m in result.manual:
        scored = "not scored yet" if m.get("score") is None else f"scored {_fmt(m['score'])}"
        points = f"{_fmt(m['max_score'])} point{'' if m['max_score'] == 1 else 's'}"
        parts.append(f"<h2>{e(m['notebook'])} / {e(m['grade_id'])} ({points}, {scored})</h2>")
        if m.get("question"):
            parts.append(f"<blockquote>{mistune.create_markdown(escape=True)(m['question'])}</blockquote>")
        parts.append(f"<div class='answer'>{_render(m)}</div>")
    parts.append("</body></html>")
    return "\n".join(parts)
