"""The `report` verb: print a graded batch's summary as a table, and its leaderboards if it has them."""

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
    board = out / "leaderboard.csv"
    if board.is_file():
        with open(board, newline="", encoding="utf-8") as f:
            lines += _leaderboards(list(csv.DictReader(f)))
    return "\n".join(lines)


def _leaderboards(rows: list[dict], top: int = 10) -> list[str]:
    """The first TOP of each board in leaderboard.csv (written by grade, with leaderboard.png)."""
    lines = []
    for title, rank, value in [
        ("hi-score (accuracy on the hidden split)", "hiscore_rank", "accuracy"),
        ("accuracy per joule of reported training energy", "per_joule_rank", "accuracy_per_joule"),
    ]:
        ranked = sorted((r for r in rows if r.get(rank)), key=lambda r: int(r[rank]))[:top]
        if ranked:
            lines += ["", f"leaderboard, {title}:"]
            lines += [f"  {r[rank]:>3}. {r['student_id']:<30} {r[value]}" for r in ranked]
    return lines
