"""One result per student from the results of an assignment's notebooks, and one reference for the batch."""

from __future__ import annotations

from autograder.pipeline import Reference, StudentResult
from autograder.score import CellScore

SEVERITY = ["error", "timeout", "invalid"]  # a student's status is the worst of their notebooks'


def merged_reference(references: list[Reference]) -> Reference:
    """The assignment's reference: cells named notebook/grade_id when there are several notebooks."""
    notebooks = [n for r in references for n in r.notebooks]
    merged = Reference(references[0].assignment, {}, {}, [], notebooks=notebooks)
    for r in references:
        (notebook,) = r.notebooks
        merged.points.update({merged.label(notebook, g): p for g, p in r.points.items()})
        merged.hidden += [merged.label(notebook, g) for g in r.hidden]
        merged.basis.update({merged.label(notebook, g): b for g, b in r.basis.items()})
        merged.kernel_reasons.update({merged.label(notebook, g): w for g, w in r.kernel_reasons.items()})
        merged.manual.update({merged.label(notebook, g): p for g, p in r.manual.items()})
    return merged


def _not_run(reference: Reference, reason: str) -> list[CellScore]:
    """The cells of a notebook that never ran (it is missing or unreadable): 0 points each, and why."""
    (notebook,) = reference.notebooks
    return [
        CellScore(gid, 0.0, points, "not run", reason, feedback=reason, notebook=notebook, basis=reference.basis[gid])
        for gid, points in reference.points.items()
    ]


def _missing_manual(reference: Reference) -> list[dict]:
    """The manual items of a notebook that is missing or unreadable: listed, so the instructor can score them."""
    (notebook,) = reference.notebooks
    return [
        {"grade_id": g, "notebook": notebook, "max_score": p, "score": None, "comment": ""}
        | {"kind": "missing", "question": "", "answer": ""}
        for g, p in reference.manual.items()
    ]


def merge_notebooks(graded: list[tuple[list[StudentResult], Reference]]) -> tuple[list[StudentResult], Reference]:
    """Sum each student's notebooks: scores, cells (with their notebook), answers, manual items and messages."""
    reference = merged_reference([ref for _, ref in graded])
    several = len(graded) > 1
    merged: dict[str, StudentResult] = {}
    for results, ref in graded:
        (notebook,) = ref.notebooks
        for r in sorted(results, key=lambda r: r.student_id):
            if r.status == "invalid":  # every student gets a row per manual item, and per test when several
                r.manual = r.manual or _missing_manual(ref)
                r.cells = r.cells or (_not_run(ref, r.message) if several else [])
            for c in r.cells:
                c.notebook = notebook
            if not several:
                merged[r.student_id] = r
                continue
            into = merged.setdefault(r.student_id, StudentResult(r.student_id, r.assignment, 0.0, 0.0, "graded", ""))
            into.score += r.score
            into.cells += r.cells
            into.manual += r.manual
            into.answers.update({f"{notebook}/{g}": code for g, code in r.answers.items()})
            for g, added in r.extras.items():
                into.extras.setdefault(f"{notebook}/{g or 'start'}", []).extend(added)
            into.submitted_at = max(into.submitted_at, r.submitted_at)
            if r.message:
                into.message = "; ".join(m for m in (into.message, f"{notebook}: {r.message}") if m)
            worse = [s for s in SEVERITY if s in (into.status, r.status)]
            into.status = worse[0] if worse else "graded"
    for r in merged.values():
        r.max_score = reference.max_score
    return sorted(merged.values(), key=lambda r: r.student_id), reference
