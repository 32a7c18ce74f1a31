"""The `report` verb: print a graded batch's summary as a table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from autograder.course import UsageError


def report(out: Path) -> str:
    """A plain-text summary of OUT's grades.csv and summary.json."""
    grades, summary_file = out / "grades.csv", out / "summary.json"
    if not grades.is_file() or not summary_file.is_file():
        raise UsageError(f"{out} holds no graded batch (grades.csv and summary.json are missing)")
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    with open(grades, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    width = max([len("student")] + [len(r["student_id"]) for r in rows])
    lines = [
        f"{summary['assignment']}: {summary['students']} students, mean {summary['mean'] or 0:.2f}, median {summary['median'] or 0:.2f} of {summary['max_score']:g}",
        "statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["statuses"].items())),
        "",
        f"{'student':<{width}}  {'score':>7}  status",
    ]
    lines += [f"{r['student_id']:<{width}}  {r['score']:>7}  {r['status']}" for r in rows]
    lines += ["", "fraction of points earned per test:"]
    lines += [f"  {gid:<30} {frac:6.0%}" for gid, frac in summary["fraction_of_points_per_test"].items()]
    return "\n".join(lines)
