"""Write a graded batch to DIR: grades.csv, cells.csv, feedback/, summary.json, scores.png, leaderboard.*."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import statistics
from pathlib import Path

from autograder import leaderboard
from autograder.lms import write_lms
from autograder.manual import manual_csv, manual_page
from autograder.pipeline import Reference, StudentResult

GRADES_FIELDS = ["student_id", "assignment", "score", "max_score", "status", "message"]
LATE_FIELDS = ["submitted_at", "late_days", "penalty", "final_score"]
CELLS_FIELDS = ["student_id", "notebook", "grade_id", "score", "max_score", "status", "basis", "checks", "message"]


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file and rename, so no reader ever sees half a file."""
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


def _fmt(x: float) -> str:
    return f"{x:g}"


def csv_text(fields: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")  # RFC 4180
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def grades_csv(results: list[StudentResult], late: bool = False) -> str:
    rows = [
        {
            "student_id": r.student_id,
            "assignment": r.assignment,
            "score": _fmt(r.score),
            "max_score": _fmt(r.max_score),
            "status": r.status,
            "message": r.message,
        }
        for r in results
    ]
    if not late:
        return csv_text(GRADES_FIELDS, rows)
    for row, r in zip(rows, results, strict=True):
        row.update(
            submitted_at=r.submitted_at, late_days=r.late_days, penalty=_fmt(r.penalty), final_score=_fmt(r.final_score)
        )
    return csv_text(GRADES_FIELDS + LATE_FIELDS, rows)


def cells_csv(results: list[StudentResult]) -> str:
    rows = [
        {
            "student_id": r.student_id,
            "notebook": c.notebook,
            "grade_id": c.grade_id,
            "score": _fmt(c.score),
            "max_score": _fmt(c.max_score),
            "status": c.status,
            "basis": c.basis,
            "checks": "; ".join(_check_summary(check) for check in c.checks),
            "message": c.message,
        }
        for r in results
        for c in r.cells
    ]
    return csv_text(CELLS_FIELDS, rows)


def _check_summary(check: dict) -> str:
    """'key: result' and, when the cell splits its points, the points earned: 'key: wrong value 0/2'."""
    points = check.get("points")
    share = f" {_fmt(check.get('earned', 0))}/{_fmt(points)}" if points is not None else ""
    return f"{check.get('key')}: {check.get('result')}{share}"


def _answers_html(result: StudentResult) -> list[str]:
    """The student's answers in notebook order, each followed by the cells they added after it."""
    e, parts = html.escape, []
    for code in result.extras.get("", []):
        parts.append(f"<h3>Your extra cell (before the first graded cell)</h3><pre>{e(code)}</pre>")
    for gid, code in result.answers.items():
        parts.append(f"<h3>{e(gid)}</h3><pre>{e(code)}</pre>")
        for extra in result.extras.get(gid, []):
            parts.append(f"<h3>Your extra cell after {e(gid)}</h3><pre>{e(extra)}</pre>")
    for gid, added in result.extras.items():
        if gid and gid not in result.answers:  # after a test or other instructor cell, or a notebook's start
            where = f"at the start of {gid[: -len('/start')]}" if gid.endswith("/start") else f"after {gid}"
            parts.extend(f"<h3>Your extra cell {e(where)}</h3><pre>{e(extra)}</pre>" for extra in added)
    return parts


def _manual_html(result: StudentResult) -> list[str]:
    """Each manually graded answer's score and the instructor's comment, or that it is not graded yet."""
    e, parts = html.escape, ["<h2>Graded by hand</h2><ul>"]
    for m in result.manual:
        score = "not graded yet" if m.get("score") is None else f"{_fmt(m['score'])} / {_fmt(m['max_score'])}"
        comment = f"<br>{e(m['comment'])}" if m.get("comment") else ""
        parts.append(f"<li>{e(m['notebook'])} / {e(m['grade_id'])}: <strong>{score}</strong>{comment}</li>")
    return parts + ["</ul>"]


def _test_html(c, hidden: bool) -> str:
    """One test's line: its outcome, the safe part of why it failed, and each failed check with its hint."""
    e = html.escape
    kind = " (includes hidden tests)" if hidden else ""
    line = f"{e(c.grade_id)}{kind}: <strong>{e(c.status)}</strong>, {_fmt(c.score)} / {_fmt(c.max_score)}"
    why = c.feedback or ("" if hidden else c.message)
    if c.status == "passed":
        return f"<li class='passed'>{line}</li>"
    items = []
    split = any(check.get("points") is not None for check in c.checks)
    stopped = [check for check in c.checks if check.get("result") == "not recorded"] if why else []
    if stopped:  # the error above kept them from running: one line, and the hint of the check it stopped at
        keys = ", ".join(f"<code>{e(str(check.get('key')))}</code>" for check in stopped)
        hint = (
            f" Hint for <code>{e(str(stopped[0].get('key')))}</code>: {e(stopped[0]['hint'])}"
            if stopped[0].get("hint")
            else ""
        )
        items.append(f"<li>not recorded, because the test stopped at the error above: {keys}.{hint}</li>")
    for check in c.checks:
        if (check.get("result") == "passed" and not split) or check in stopped:
            continue
        text = f"<code>{e(str(check.get('key')))}</code>: {e(str(check.get('result')))}"
        if split:
            text += f", {_fmt(check.get('earned', 0))} / {_fmt(check['points'])}"
        if check.get("detail") and not hidden:  # a visible test's values are in the student's copy already
            text += f" ({e(check['detail'])})"
        if check.get("hint") and check.get("result") != "passed":
            text += f". Hint: {e(check['hint'])}"
        items.append(f"<li>{text}</li>")
    body = f"<br>{e(why)}" if why else ""
    checks = f"<ul>{''.join(items)}</ul>" if items else ""
    return f"<li class='{e(c.status)}'>{line}{body}{checks}</li>"


def feedback_html(result: StudentResult, reference: Reference) -> str:
    """What the student sees: their code and each test's outcome, with why it failed, never hidden values."""
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(result.assignment)} feedback for {e(result.student_id)}</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:auto}pre{background:#f4f4f4;padding:.5em;overflow-x:auto}"
        ".passed{color:#1b6e20}.failed,.not.run{color:#a11}</style></head><body>",
        f"<h1>{e(result.assignment)}: {_fmt(result.score)} / {_fmt(result.max_score)}</h1>",
        f"<p>Student: <strong>{e(result.student_id)}</strong> · Status: <strong>{e(result.status)}</strong></p>",
    ]
    if result.penalty:
        parts.append(
            f"<p>Submitted {e(result.submitted_at)}, {result.late_days} day(s) late: "
            f"{_fmt(result.penalty)} points off, final score <strong>{_fmt(result.final_score)}</strong>.</p>"
        )
    if result.message:
        parts.append(f"<p>{e(result.message)}</p>")
    if result.answers:
        parts.append("<h2>Your answers</h2>")
        parts.extend(_answers_html(result))
    if result.metrics:
        entries = ", ".join(f"{e(name)} {value:.4g}" for name, value in sorted(result.metrics.items()))
        parts.append(f"<p>Leaderboard entry: {entries}.</p>")
    if result.cells:
        parts.append("<h2>Tests</h2><ul>")
        parts.extend(_test_html(c, reference.label(c.notebook, c.grade_id) in reference.hidden) for c in result.cells)
        parts.append("</ul>")
    if result.manual:
        parts.extend(_manual_html(result))
    parts.append("</body></html>")
    return "\n".join(parts)


def summary(results: list[StudentResult], reference: Reference) -> dict:
    scores = [r.score for r in results]
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    per_cell = {
        label: sum(c.score for r in results for c in r.cells if reference.label(c.notebook, c.grade_id) == label)
        / (points * len(results))
        for label, points in reference.points.items()
        if results and points
    }
    return {
        "assignment": reference.assignment,
        "students": len(results),
        "max_score": reference.max_score,
        "mean": statistics.fmean(scores) if scores else None,
        "median": statistics.median(scores) if scores else None,
        "statuses": statuses,
        "fraction_of_points_per_test": per_cell,
        "basis": dict(reference.basis),
        "manual_pending": sum(r.manual_pending for r in results),
    }


def scores_png(results: list[StudentResult], reference: Reference) -> bytes:
    """Two panels: the score histogram with mean and median, and the share of points earned per test."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = [r.score for r in results]
    fig, (hist, parts) = plt.subplots(1, 2, figsize=(11, 4), dpi=100, gridspec_kw={"width_ratios": [3, 2]})
    top = max(reference.max_score, 1)
    hist.hist(scores, bins=max(1, min(int(top), 30)), range=(0, top), color="#0072B2", edgecolor="black", hatch="//")
    if scores:
        mean, median = statistics.fmean(scores), statistics.median(scores)
        hist.axvline(mean, color="#D55E00", linestyle="--", linewidth=2, label=f"mean {mean:.1f}")
        hist.axvline(median, color="#009E73", linestyle=":", linewidth=2, label=f"median {median:.1f}")
        hist.legend()
    hist.set(
        title=f"{reference.assignment}: scores of {len(scores)} students", xlabel="score (points)", ylabel="students"
    )
    shares = summary(results, reference)["fraction_of_points_per_test"]
    names = list(shares)[::-1]
    parts.barh(names, [100 * shares[n] for n in names], color="#E69F00", edgecolor="black")
    parts.set(title="Points earned per test", xlabel="share of the test's points earned (%)", xlim=(0, 100))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def write_outputs(
    out: Path, results: list[StudentResult], reference: Reference, late: bool = False, lms: str | None = None
) -> None:
    """Every output file of a batch, each written atomically; an LMS export is checked before anything is written."""
    results = sorted(results, key=lambda r: r.student_id)
    if lms:
        rows = list(csv.DictReader(io.StringIO(grades_csv(results, late))))
        write_lms(lms, out, rows, reference.assignment, reference.max_score)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    for r in results:
        write_atomic(out / "feedback" / f"{r.student_id}.html", feedback_html(r, reference))
    write_atomic(out / "grades.csv", grades_csv(results, late))
    write_atomic(out / "cells.csv", cells_csv(results))
    if any(r.manual for r in results):
        write_atomic(out / "manual.csv", manual_csv(results))
        (out / "manual").mkdir(exist_ok=True)
        for r in results:
            write_atomic(out / "manual" / f"{r.student_id}.html", manual_page(r))
    write_atomic(out / "summary.json", json.dumps(summary(results, reference), indent=2, sort_keys=True))
    write_atomic(out / "scores.png", scores_png(results, reference))
    board = leaderboard.rows(results)
    if board:  # only assignments whose checks carry leaderboard=NAME
        write_atomic(out / "leaderboard.csv", csv_text(leaderboard.fields(board), board))
        plot = leaderboard.plot_png(results)
        if plot:
            write_atomic(out / "leaderboard.png", plot)
