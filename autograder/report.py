"""The `report` verb: print a graded batch's summary as a table, and its leaderboards if it has them;
write the instructor's dashboard, report.html, beside it (dashboard.py)."""

from __future__ import annotations

from pathlib import Path

from autograder.dashboard import load_batch, ranked_boards, write_dashboard


def report(out: Path) -> str:
    """A plain-text summary of OUT's grades.csv and summary.json; also writes OUT/report.html."""
    batch = load_batch(out)  # UsageError, in one line, for a missing or corrupt file
    summary, rows = batch.summary, batch.grades
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
    if batch.leaderboard:
        lines += _leaderboards(batch.leaderboard)
    lines += ["", f"dashboard written to {write_dashboard(batch)}"]
    return "\n".join(lines)


def _leaderboards(rows: list[dict]) -> list[str]:
    """The first ten of each board in leaderboard.csv (written by grade, with leaderboard.png)."""
    lines = []
    for title, rank, value, ranked in ranked_boards(rows):
        if ranked:
            lines += ["", f"leaderboard, {title}:"]
            lines += [f"  {r[rank]:>3}. {r['student_id']:<30} {r[value]}" for r in ranked]
    return lines
