"""Score an executed notebook against the instructor's reference records, cell by cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder import cells
from autograder.compare import compare, leaderboard_entry
from autograder.records import cell_error, cell_records


@dataclass
class CellScore:
    grade_id: str
    score: float
    max_score: float
    status: str  # "passed", "failed" or "not run"
    message: str
    metrics: dict[str, float] = field(default_factory=dict)  # leaderboard values, from passed checks only


def records_by_test(nb) -> dict[str, list[dict]]:
    """Check records of each executed test cell, by grade_id."""
    return {cells.grade_id(c): cell_records(c) for c in nb.cells if cells.is_test(c) and cells.grade_id(c)}


def _ran(cell) -> bool:
    return cell.get("execution_count") is not None or bool(cell.get("outputs"))


def score_cell(cell, reference: list[dict], max_score: float) -> CellScore:
    """Full points only if the cell ran without error and every reference check matched."""
    gid = cells.grade_id(cell)
    if not _ran(cell):
        return CellScore(gid, 0.0, max_score, "not run", "the test did not run")
    error = cell_error(cell)
    if error:
        return CellScore(gid, 0.0, max_score, "failed", error[:300])
    got: dict[str, list[dict]] = {}
    for record in cell_records(cell):
        got.setdefault(record["key"], []).append(record)
    metrics = {}
    for ref in reference:
        mine = got.get(ref["key"], [])
        if len(mine) != 1:  # missing, or forged duplicates: neither can pass
            return CellScore(gid, 0.0, max_score, "failed", f"check {ref['key']!r} was recorded {len(mine)} times")
        problem = compare(mine[0], ref)
        if problem:
            return CellScore(gid, 0.0, max_score, "failed", f"check {ref['key']!r}: {problem}")
        entry = leaderboard_entry(mine[0], ref)
        if entry:
            metrics[entry[0]] = entry[1]
    return CellScore(gid, max_score, max_score, "passed", "", metrics)


def score_notebook(executed, reference: dict[str, list[dict]], points: dict[str, float]) -> list[CellScore]:
    """One CellScore per test cell of the assignment, in the source's order."""
    by_id = {cells.grade_id(c): c for c in executed.cells if cells.is_test(c)}
    scores = []
    for gid, max_score in points.items():
        cell = by_id.get(gid)
        if cell is None:
            scores.append(CellScore(gid, 0.0, max_score, "not run", "the test did not run"))
        else:
            scores.append(score_cell(cell, reference[gid], max_score))
    return scores
