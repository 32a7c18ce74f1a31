"""The instructor's dashboard: DIR/report.html, one offline page on how a graded batch and each of its tests went.

It reads only what `grade` wrote: grades.csv (totals, statuses, lateness), cells.csv (each test's outcome),
results/*.json (failure messages), leaderboard.csv and leaderboard.png. The page needs no network: its CSS is
inline, the histogram is inline SVG and the leaderboard plot a data: URI. Student ids and messages come from
untrusted notebooks, so each is escaped, and the page's Content-Security-Policy forbids scripts anyway.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from autograder.course import UsageError
from autograder.write import GRADES_FIELDS, LATE_FIELDS, write_atomic

LEADERBOARDS = [
    ("hi-score (accuracy on the hidden split)", "hiscore_rank", "accuracy"),
    ("accuracy per joule of reported training energy", "per_joule_rank", "accuracy_per_joule"),
]
SUMMARY_TYPES = {
    "assignment": str,
    "students": int,
    "max_score": (int, float),
    "mean": (int, float, type(None)),
    "median": (int, float, type(None)),
    "statuses": dict,
    "fraction_of_points_per_test": dict,
}
CELL_COLUMNS = ["student_id", "grade_id", "score", "status"]  # older batches lack cells.csv's later columns
LOW = 0.2  # discrimination below this flags a test
TOP_MESSAGES = 5
PNG = b"\x89PNG\r\n\x1a\n"


# --- loading: every problem with a file becomes a one-line UsageError ------------------------------


def _brief(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UsageError(f"{where}: {text[:40]!r} is not a number")
    return value


def read_csv(path: Path, columns: list[str], numbers: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """The rows of a CSV file written by grade; UsageError if it is missing or malformed."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
    except FileNotFoundError:
        raise UsageError(f"{path} is missing") from None
    except (OSError, ValueError, csv.Error) as exc:
        raise UsageError(f"{path} cannot be read: {_brief(exc)}") from None
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise UsageError(f"{path} has no column {missing[0]!r}: it was not written by grade")
    for n, row in enumerate(rows, start=1):
        if None in row or None in row.values():
            raise UsageError(f"{path} record {n} has the wrong number of fields")
        for column in numbers:
            if column in row:
                _number(row[column], f"{path} record {n}, {column}")
    return rows


def _json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise UsageError(f"{path} cannot be read: {_brief(exc)}") from None


def _summary(path: Path) -> dict:
    summary = _json(path)
    if not isinstance(summary, dict):
        raise UsageError(f"{path} is not a summary written by grade")
    for key, kind in SUMMARY_TYPES.items():
        if not isinstance(summary.get(key), kind) or isinstance(summary.get(key), bool):
            raise UsageError(f"{path}: {key!r} is missing or of the wrong type")
    return summary


def _result(path: Path) -> dict:
    """A saved StudentResult from results/ ({"fingerprint", "result"}); fields are read with .get."""
    data = _json(path)
    result = data.get("result", data) if isinstance(data, dict) else None
    if not (
        isinstance(result, dict)
        and isinstance(result.get("student_id"), str)
        and isinstance(result.get("cells", []), list)
        and all(isinstance(c, dict) for c in result.get("cells", []))
    ):
        raise UsageError(f"{path} is not a result saved by grade")
    return result


@dataclass
class Batch:
    """A graded batch as grade wrote it to DIR, checked while loading."""

    out: Path
    summary: dict
    grades: list[dict[str, str]]
    cells: list[dict[str, str]]
    results: dict[str, dict] | None  # student id → saved result; None without a results/ folder
    leaderboard: list[dict[str, str]] | None
    leaderboard_png: bytes | None

    @property
    def late(self) -> bool:
        """Whether grades.csv has the late columns (grade ran with --due)."""
        return bool(self.grades) and all(f in self.grades[0] for f in LATE_FIELDS)


def load_batch(out: Path) -> Batch:
    """Read and check DIR's files; UsageError names the first one that is missing or corrupt."""
    if not (out / "grades.csv").is_file() or not (out / "summary.json").is_file():
        raise UsageError(f"{out} holds no graded batch (grades.csv and summary.json are missing)")
    summary = _summary(out / "summary.json")
    grades = read_csv(out / "grades.csv", GRADES_FIELDS, ("score", "max_score", "late_days", "penalty", "final_score"))
    cells = read_csv(out / "cells.csv", CELL_COLUMNS, ("score", "max_score"))
    students = {row["student_id"] for row in grades}
    results = None
    if (out / "results").is_dir():
        saved = [_result(path) for path in sorted((out / "results").glob("*.json"))]
        results = {r["student_id"]: r for r in saved if r["student_id"] in students}  # not stale ones
    board, board_png = None, None
    if (out / "leaderboard.csv").exists():
        board = read_csv(out / "leaderboard.csv", ["student_id"] + [rank for _, rank, _ in LEADERBOARDS])
        for n, row in enumerate(board, start=1):
            for _, rank, _ in LEADERBOARDS:
                if row[rank] and not row[rank].isdecimal():
                    raise UsageError(f"{out / 'leaderboard.csv'} record {n}, {rank}: {row[rank][:40]!r} is not a rank")
    if (out / "leaderboard.png").exists():
        try:
            board_png = (out / "leaderboard.png").read_bytes()
        except OSError as exc:
            raise UsageError(f"{out / 'leaderboard.png'} cannot be read: {_brief(exc)}") from None
        if not board_png.startswith(PNG):
            raise UsageError(f"{out / 'leaderboard.png'} is not a PNG image")
    return Batch(out, summary, grades, cells, results, board, board_png)


# --- item analysis ------------------------------------------------------------------------------


def point_biserial(passed: list[bool], rest: list[float]) -> float | None:
    """Pearson correlation of passing (1 or 0) with the rest score; None where it is undefined."""
    try:
        return statistics.correlation([float(p) for p in passed], [round(r, 9) for r in rest])
    except statistics.StatisticsError:  # fewer than two students, or either side constant
        return None


@dataclass
class CellStats:
    """How one test cell went over the students that have a result for it."""

    grade_id: str
    students: int
    passed: int
    discrimination: float | None  # corrected item-total correlation
    failures: list[tuple[str, int]]  # the most frequent failure messages, with their counts

    @property
    def pass_rate(self) -> float:
        """The share of these students who passed."""
        return self.passed / self.students if self.students else 0.0


def cell_stats(batch: Batch) -> list[CellStats]:
    """Pass rate, discrimination and frequent failure messages of each test cell, in cells.csv's order."""
    totals: Counter[str] = Counter()
    by_cell: dict[str, list[dict[str, str]]] = {}
    for row in batch.cells:
        totals[row["student_id"]] += float(row["score"])
        by_cell.setdefault(row["grade_id"], []).append(row)
    stats = []
    for gid, rows in by_cell.items():
        passed = [row["status"] == "passed" for row in rows]
        rest = [totals[row["student_id"]] - float(row["score"]) for row in rows]  # the total without this cell
        if batch.results is not None:
            outcomes = [c for r in batch.results.values() for c in r.get("cells", []) if c.get("grade_id") == gid]
        else:  # no results/ folder: newer cells.csv files carry the messages too
            outcomes = [row for row in rows if "message" in row]
        messages = Counter(str(c.get("message") or "(no message)") for c in outcomes if c.get("status") != "passed")
        discrimination = point_biserial(passed, rest)
        stats.append(CellStats(gid, len(rows), sum(passed), discrimination, messages.most_common(TOP_MESSAGES)))
    return stats


# --- the page ------------------------------------------------------------------------------------

esc = html.escape
CSS = """
body{font:15px/1.45 system-ui,sans-serif;color:#222;max-width:72em;margin:0 auto;padding:1em 1.5em}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
nav a{margin-right:1em}.note{color:#555;max-width:60em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;
vertical-align:top}th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.flag td{background:#fff3cd}code{background:#f4f4f4;padding:0 .2em;white-space:pre-wrap;word-break:break-word}
td.rate{white-space:nowrap}td.rate>span:last-child{display:inline-block;width:3.2em;text-align:right}
.bar{background:#e8e8e8;width:8em;height:.8em;display:inline-block}
.bar span{background:#0072B2;height:100%;display:block}.facts span{margin-right:2em}
svg text{font:12px system-ui,sans-serif}details{margin:.3em 0}img{max-width:100%}
"""


def _g(x: float) -> str:
    return f"{x:.4g}"


def histogram_svg(scores: list[float], top: float) -> str:
    """Inline SVG: students per score bin from 0 to TOP, with the mean and the median marked."""
    top = max(top, 1.0)
    bins = max(1, min(int(top), 30))
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(s / top * bins)))] += 1
    width, height, left, right, upper, lower = 640, 280, 44, 16, 40, 40
    peak = max(counts, default=0) or 1
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(v: float) -> float:
        return left + min(max(v, 0.0), top) / top * plot_w

    def y(c: float) -> float:
        return upper + plot_h * (1 - c / peak)

    parts = [
        f"<svg id='histogram' role='img' width='{width}' height='{height}' viewBox='0 0 {width} {height}' "
        f"xmlns='http://www.w3.org/2000/svg'><title>Histogram of {len(scores)} scores out of {_g(top)}</title>"
    ]
    for i, c in enumerate(counts):
        lo, hi = top * i / bins, top * (i + 1) / bins
        parts.append(
            f"<rect x='{x(lo) + 1:.1f}' y='{y(c):.1f}' width='{x(hi) - x(lo) - 2:.1f}' height='{y(0) - y(c):.1f}' "
            f"fill='#0072B2'><title>{_g(lo)}–{_g(hi)}: {c} student(s)</title></rect>"
        )
    parts.append(f"<path d='M{left},{upper} V{y(0)} H{width - right}' stroke='#333' fill='none'/>")
    for i in range(0, bins + 1, max(1, bins // 6)):
        v = top * i / bins
        parts.append(f"<text x='{x(v):.1f}' y='{y(0) + 15:.1f}' text-anchor='middle'>{_g(v)}</text>")
    for c in sorted({0, peak // 2, peak}):
        parts.append(f"<text x='{left - 6}' y='{y(c) + 4:.1f}' text-anchor='end'>{c}</text>")
    parts.append(f"<text x='{left + plot_w / 2}' y='{height - 6}' text-anchor='middle'>score (points)</text>")
    if scores:  # the lines, and a legend above the plot's top right corner
        for row, (name, v, color, dash) in enumerate(
            [
                ("mean", statistics.fmean(scores), "#D55E00", "6 3"),
                ("median", statistics.median(scores), "#009E73", "2 3"),
            ]
        ):
            style = f"stroke='{color}' stroke-width='2' stroke-dasharray='{dash}'"
            legend_x, legend_y = width - right - 130, 10 + 14 * row
            parts.append(
                f"<line x1='{x(v):.1f}' x2='{x(v):.1f}' y1='{upper}' y2='{y(0)}' {style}/>"
                f"<line x1='{legend_x}' x2='{legend_x + 24}' y1='{legend_y}' y2='{legend_y}' {style}/>"
                f"<text x='{legend_x + 30}' y='{legend_y + 4}'>{name} {_g(v)}</text>"
            )
    return "".join(parts) + "</svg>"


def _table(head: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """A table of cells that are already HTML; the caller escapes."""
    body = "".join(
        f"<tr class='{cls}'>" + "".join(rows[i]) + "</tr>" for i, cls in enumerate(classes or [""] * len(rows))
    )
    return "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + f"</tr></thead><tbody>{body}</tbody></table>"


def _td(text: str, num: bool = False) -> str:
    return f"<td class='num'>{esc(text)}</td>" if num else f"<td>{esc(text)}</td>"


def _distribution(batch: Batch) -> str:
    scores = [float(row["score"]) for row in batch.grades]
    facts = [f"students: <b>{len(scores)}</b>", f"maximum: <b>{_g(batch.summary['max_score'])}</b>"]
    if scores:
        facts += [f"mean: <b>{_g(statistics.fmean(scores))}</b>", f"median: <b>{_g(statistics.median(scores))}</b>"]
    late = " Scores are before late penalties." if batch.late else ""
    return (
        f"<section id='distribution'><h2>Score distribution</h2><p class='facts'><span>{'</span><span>'.join(facts)}"
        f"</span></p>{histogram_svg(scores, batch.summary['max_score'])}<p class='note'>Every student in grades.csv, "
        f"invalid submissions included (they score 0).{late}</p></section>"
    )


def _cells(stats: list[CellStats]) -> str:
    rows, classes = [], []
    for s in stats:
        d = s.discrimination
        if d is None:
            verdict = "undefined: everyone passed, nobody did, or the other scores are all equal"
        else:
            verdict = "negative: check this test" if d < 0 else "low: check this test" if d < LOW else ""
        bar = f"<span class='bar'><span style='width:{100 * s.pass_rate:.0f}%'></span></span>"
        rows.append(
            [
                f"<td><code>{esc(s.grade_id)}</code></td>",
                f"<td class='rate'>{bar}<span>{100 * s.pass_rate:.0f}%</span></td>",
                _td(f"{s.passed} / {s.students}", num=True),
                _td("n/a" if d is None else f"{d:+.2f}", num=True),
                _td(verdict),
            ]
        )
        classes.append("flag" if d is not None and d < LOW else "")
    return (
        "<section id='cells'><h2>Test cells</h2>"
        + _table(["test cell", "pass rate", "passed", "discrimination", "flag"], rows, classes)
        + "<p class='note'><b>How to read this.</b> The pass rate counts the students with a result for the test "
        "(invalid submissions have none). <b>Discrimination</b> is the corrected item–total correlation: the "
        "point-biserial correlation between passing the test (1 or 0) and the total score <i>without</i> that "
        "test's points, from −1 to +1. A good test is passed more often by students who do well on the rest: "
        "about +0.3 or more. A value below +0.2, and above all a negative one, means passing it says little about "
        "(or goes against) how students do otherwise; the test may be unfair, broken, or measure something else, "
        "so read its failure messages below. <b>n/a</b>: undefined, because everyone passed, nobody did, or every "
        "student's other points are equal.</p></section>"
    )


def _failures(batch: Batch, stats: list[CellStats]) -> str:
    rows = [
        [f"<td><code>{esc(s.grade_id)}</code></td>", _td(str(count), num=True), f"<td><code>{esc(message)}</code></td>"]
        for s in stats
        for message, count in s.failures
    ]
    table = _table(["test cell", "students", "message"], rows) if rows else "<p>No test failed.</p>"
    return (
        f"<section id='failures'><h2>Most frequent failure messages</h2><p class='note'>Up to {TOP_MESSAGES} per "
        "test, from results/ (or cells.csv). For instructors only: messages of hidden tests name their checks.</p>"
        f"{table}</section>"
    )


def _statuses(batch: Batch) -> str:
    by_status: dict[str, list[dict[str, str]]] = {}
    for row in batch.grades:
        by_status.setdefault(row["status"], []).append(row)
    parts = ["<section id='statuses'><h2>Statuses</h2>"]
    for status in sorted(by_status, key=lambda s: (s != "graded", s)):
        rows = by_status[status]
        table = _table(["student", "message"], [[_td(r["student_id"]), _td(r["message"])] for r in rows])
        opened = "" if status == "graded" else " open"
        parts.append(f"<details{opened}><summary><b>{esc(status)}</b>: {len(rows)}</summary>{table}</details>")
    return "".join(parts) + "</section>"


def _late(batch: Batch) -> str:
    if not batch.late:
        return "<section id='late'><h2>Late submissions</h2><p>Not recorded: graded without --due.</p></section>"
    late = [r for r in batch.grades if float(r["late_days"]) > 0]
    rows = [
        [_td(r["student_id"]), _td(r["submitted_at"]), _td(_g(float(r["late_days"])), num=True)]
        + [_td(_g(float(r[f])), num=True) for f in ("score", "penalty", "final_score")]
        for r in sorted(late, key=lambda r: -float(r["late_days"]))
    ]
    head = ["student", "submitted at", "days late", "score", "penalty", "final score"]
    return f"<section id='late'><h2>Late submissions: {len(late)}</h2>{_table(head, rows) if rows else ''}</section>"


def ranked_boards(rows: list[dict], top: int = 10) -> list[tuple[str, str, str, list[dict]]]:
    """(title, rank column, value column, the first TOP rows) of each leaderboard in leaderboard.csv."""
    return [
        (title, rank, value, sorted((r for r in rows if r.get(rank)), key=lambda r: int(r[rank]))[:top])
        for title, rank, value in LEADERBOARDS
    ]


def _leaderboards(batch: Batch) -> str:
    if batch.leaderboard is None:
        return ""
    parts = ["<section id='leaderboards'><h2>Leaderboards</h2>"]
    for title, rank, value, ranked in ranked_boards(batch.leaderboard):
        rows = [[_td(r[rank], num=True), _td(r["student_id"]), _td(r.get(value) or "", num=True)] for r in ranked]
        if rows:
            parts.append(f"<h3>{esc(title)}</h3>" + _table(["rank", "student", esc(value)], rows))
    if batch.leaderboard_png:
        data = base64.b64encode(batch.leaderboard_png).decode("ascii")
        parts.append(f"<img alt='accuracy against reported training energy' src='data:image/png;base64,{data}'>")
    return "".join(parts) + "</section>"


def render(batch: Batch) -> str:
    """The whole report.html page, with no external resource."""
    stats = cell_stats(batch)
    name = esc(batch.summary["assignment"])
    sections = ["distribution", "cells", "failures", "statuses", "late"]
    if batch.leaderboard:
        sections.append("leaderboards")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\"><meta name='viewport' content='width=device-width'>"
        f"<title>{name}: grading report</title><style>{CSS}</style></head><body>"
        f"<h1>{name}: grading report</h1><nav>"
        + "".join(f"<a href='#{s}'>{s}</a>" for s in sections)
        + "</nav>"
        + _distribution(batch)
        + _cells(stats)
        + _failures(batch, stats)
        + _statuses(batch)
        + _late(batch)
        + _leaderboards(batch)
        + "</body></html>"
    )


def write_dashboard(batch: Batch) -> Path:
    """Write BATCH's report.html into its folder and return the path."""
    path = batch.out / "report.html"
    try:
        write_atomic(path, render(batch))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {_brief(exc)}") from None
    return path
