"""Score an executed notebook against the instructor's reference records, cell by cell.

Each CellScore carries two kinds of text: `message`, for the instructor (it may describe hidden inputs
or expected values), and `feedback` plus per-check results, which are safe to show the student.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from autograder import cells
from autograder.compare import compare, leaderboard_entry
from autograder.records import cell_error, cell_records, decode, error_output

ANSI = re.compile(r"\x1b\[[0-9;]*m")
INTERRUPTED = "KeyboardInterrupt"  # what the kernel raises when a cell runs past its time limit


@dataclass
class CheckResult:
    key: str
    result: str  # "passed", "wrong value", "not recorded" or "recorded N times": safe to show
    points: float | None  # the check's share of the cell's points; None when the cell is all-or-nothing
    earned: float
    hint: str  # the instructor's hint, shown when the check failed
    detail: str = ""  # the comparison's reason, for the instructor only


@dataclass
class CellScore:
    grade_id: str
    score: float
    max_score: float
    status: str  # "passed", "failed" or "not run"
    message: str  # for the instructor
    metrics: dict[str, float] = field(default_factory=dict)  # leaderboard values, from passed checks only
    feedback: str = ""  # for the student: never hidden inputs or expected values
    checks: list[dict] = field(default_factory=list)  # CheckResult fields, in the reference's order
    notebook: str = ""  # the notebook the test cell is in
    basis: str = "recorded"  # "recorded": the grader compared the values; "kernel": no error was enough


def records_by_test(nb) -> dict[str, list[dict]]:
    """Check records of each executed test cell, by grade_id."""
    return {cells.grade_id(c): cell_records(c) for c in nb.cells if cells.is_test(c) and cells.grade_id(c)}


def check_points(reference: list[dict]) -> list[float] | None:
    """Each check's points when the instructor split the cell's points with check(..., points=P), else None."""
    shares = [decode(r.get("options") or {}).get("points") for r in reference]
    if all(share is None for share in shares):
        return None
    return [_number(share) for share in shares]


def _number(share) -> float:
    """A share of points as a float; NaN when absent or not a number (build_reference rejects those)."""
    try:
        return float(share) if not isinstance(share, bool) else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def _not_run(gid: str, max_score: float) -> CellScore:
    return CellScore(gid, 0.0, max_score, "not run", "the test did not run", feedback="the test did not run")


def _ran(cell) -> bool:
    return cell.get("execution_count") is not None or bool(cell.get("outputs"))


def error_line(cell) -> int | None:
    """The line of this cell where its error was raised (or passed through), from the traceback."""
    error = error_output(cell)
    if error is None or cell.get("execution_count") is None:
        return None
    frame = re.compile(rf"(?:Cell In\[{cell['execution_count']}\]|<cell line: \d+>), line (\d+)")
    for entry in error.get("traceback") or []:
        found = frame.search(ANSI.sub("", str(entry)))
        if found:
            return int(found.group(1))
    return None


def student_error(cell, hidden_lines: list[int]) -> str:
    """The cell's error as the student may see it: in full from visible code, its type alone from a hidden test."""
    error = error_output(cell)
    if error is None:
        return ""
    name = str(error.get("ename", "Error"))
    if name == INTERRUPTED:
        return "this test ran longer than the time limit and was interrupted"
    line = error_line(cell)
    if hidden_lines and (line is None or line in hidden_lines):
        return f"a hidden test raised {name}"
    return (cell_error(cell) or name)[:300]


def _hint(reference: dict) -> str:
    hint = decode(reference.get("options") or {}).get("hint")
    return hint if isinstance(hint, str) else ""


def score_cell(cell, reference: list[dict], max_score: float, hidden_lines: list[int] = ()) -> CellScore:
    """All-or-nothing by default: full points only if the cell ran without error and every check matched.

    When the reference splits the points per check, each check that was recorded once and matches earns
    its share, even if the cell raised an error after recording it.
    """
    gid = cells.grade_id(cell)
    if not _ran(cell):
        return _not_run(gid, max_score)
    error = cell_error(cell)
    shares = check_points(reference)
    got: dict[str, list[dict]] = {}
    for record in cell_records(cell):
        got.setdefault(record["key"], []).append(record)
    results, metrics = [], {}
    for index, ref in enumerate(reference):
        mine = got.get(ref["key"], [])
        share = shares[index] if shares else None
        if len(mine) != 1:  # missing, or forged duplicates: neither can pass
            kind = "not recorded" if not mine else f"recorded {len(mine)} times"
            results.append(CheckResult(ref["key"], kind, share, 0.0, _hint(ref)))
            continue
        problem = compare(mine[0], ref)
        if problem:
            results.append(CheckResult(ref["key"], "wrong value", share, 0.0, _hint(ref), problem))
            continue
        results.append(CheckResult(ref["key"], "passed", share, share or 0.0, ""))
        entry = leaderboard_entry(mine[0], ref)
        if entry:
            metrics[entry[0]] = entry[1]
    failed = [r for r in results if r.result != "passed"]
    if shares is None:
        score = max_score if not error and not failed else 0.0
    else:
        score = sum(r.earned for r in results)
    status = "passed" if not error and not failed else "failed"
    first = failed[0] if failed else None
    message = error[:300] if error else (f"check {first.key!r}: {first.detail or first.result}" if first else "")
    return CellScore(
        gid,
        score,
        max_score,
        status,
        message,
        metrics if status == "passed" else {},
        student_error(cell, list(hidden_lines)),
        [vars(r) for r in results],
    )


def _label(cell) -> str:
    """How feedback names a cell: its grade_id, or the student's extra cell after an answer."""
    gid = cells.grade_id(cell)
    if gid:
        return gid
    after = (cell.get("metadata", {}).get("autograder") or {}).get("extra_after")
    if after is None:
        return "a cell the autograder added"
    return f"your extra cell after {after}" if after else "your extra cell before the first answer"


def interrupted_cell(executed) -> tuple[int, str] | None:
    """(index, label) of the first cell the time limit interrupted, if any."""
    for index, cell in enumerate(executed.cells):
        error = error_output(cell)
        if error is not None and error.get("ename") == INTERRUPTED:
            return index, _label(cell)
    return None


def score_notebook(
    executed,
    reference: dict[str, list[dict]],
    points: dict[str, float],
    hidden_lines: dict[str, list[int]] | None = None,
    notebook_timeout: str = "",
) -> list[CellScore]:
    """One CellScore per test cell of the assignment, in the source's order.

    A test that failed after a cell ran out of time says so, and names that cell.
    """
    hidden_lines = hidden_lines or {}
    position = {cells.grade_id(c): i for i, c in enumerate(executed.cells) if cells.is_test(c)}
    timed_out = interrupted_cell(executed)
    scores = []
    for gid, max_score in points.items():
        index = position.get(gid)
        if index is None:
            scores.append(_not_run(gid, max_score))
            continue
        score = score_cell(executed.cells[index], reference[gid], max_score, hidden_lines.get(gid, []))
        if score.status == "not run" and notebook_timeout:
            score.feedback = score.message = f"the test never ran: {notebook_timeout}"
        elif score.status == "failed" and timed_out and timed_out[0] < index:
            note = f"{timed_out[1]} ran longer than the time limit and was interrupted, so this test may lack what it needed"
            score.feedback = f"{score.feedback}; {note}" if score.feedback else note
        scores.append(score)
    return scores
