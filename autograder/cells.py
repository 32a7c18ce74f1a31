"""Read nbgrader's cell metadata: which cells are solutions, which are graded tests."""

from __future__ import annotations

HELPER_GRADE_ID = "course_helpers"


def grade_id(cell) -> str | None:
    """The cell's nbgrader grade_id, or None for an ordinary cell."""
    meta = cell.get("metadata", {}).get("nbgrader") or {}
    value = meta.get("grade_id")
    return value if isinstance(value, str) and value else None


def _flag(cell, name: str) -> bool:
    return bool((cell.get("metadata", {}).get("nbgrader") or {}).get(name))


def is_solution(cell) -> bool:
    """A cell the student writes: nbgrader 'solution', code only."""
    return cell.get("cell_type") == "code" and _flag(cell, "solution")


def is_test(cell) -> bool:
    """An autograded test cell: graded, locked, not a solution."""
    return cell.get("cell_type") == "code" and _flag(cell, "grade") and not _flag(cell, "solution")


def points(cell) -> float:
    """Points of a graded cell (0 when nbgrader gives none)."""
    meta = cell.get("metadata", {}).get("nbgrader") or {}
    try:
        return float(meta.get("points", 0) or 0)
    except (TypeError, ValueError):
        return 0.0


def test_cells(nb) -> dict[str, float]:
    """grade_id → points for every test cell, in notebook order."""
    return {grade_id(c): points(c) for c in nb.cells if is_test(c) and grade_id(c)}


def is_manual(cell) -> bool:
    """A cell an instructor grades by hand: an answer cell that is also graded (markdown or code), or a task."""
    return (_flag(cell, "grade") and _flag(cell, "solution")) or _flag(cell, "task")


def manual_cells(nb) -> dict[str, float]:
    """grade_id → points for every manually graded cell, in notebook order."""
    return {grade_id(c): points(c) for c in nb.cells if is_manual(c) and grade_id(c)}
