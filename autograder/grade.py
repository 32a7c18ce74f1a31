"""The `grade` verb: grade every submission in a folder or .zip and write the batch's files."""

from __future__ import annotations

import json
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from autograder.collect import Submission, collect, extract_zip
from autograder.course import Assignment, UsageError
from autograder.execute import Limits
from autograder.pipeline import Reference, StudentResult, build_reference, grade_notebook
from autograder.write import write_atomic, write_outputs


def grade_submission(
    sub: Submission, assignment: Assignment, reference: Reference, device: str, limits: Limits
) -> StudentResult:
    """One student's result; a missing notebook is an 'invalid' row, not an error."""
    if sub.path is None:
        return StudentResult(sub.student_id, assignment.name, 0.0, reference.max_score, "invalid", sub.note)
    result = grade_notebook(sub.path, sub.student_id, assignment, reference, device, limits)
    if sub.note:
        result.message = "; ".join(m for m in (sub.note, result.message) if m)
    return result


def grade_batch(
    assignment: Assignment, submissions: Path, out: Path, *, device: str, workers: int, limits: Limits
) -> list[StudentResult]:
    """Grade SUBMISSIONS into OUT, one result file per student, then merge them."""
    if not submissions.exists():
        raise UsageError(f"submissions not found: {submissions}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "results").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="n2n-submissions-") as tmp:
        folder = extract_zip(submissions, Path(tmp)) if submissions.suffix == ".zip" else submissions
        subs = collect(folder)
        reference = build_reference(assignment, device, limits)
        results: list[StudentResult] = []
        bar = tqdm(total=len(subs), desc=f"grading {assignment.name}", unit="student")
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:  # each job is its own process
            futures = [pool.submit(grade_submission, s, assignment, reference, device, limits) for s in subs]
            for future in as_completed(futures):
                result = future.result()
                write_atomic(
                    out / "results" / f"{result.student_id}.json", json.dumps(result.to_json(), sort_keys=True)
                )
                results.append(result)
                bar.update(1)
                bar.set_postfix(
                    timeouts=sum(r.status == "timeout" for r in results),
                    errors=sum(r.status in ("error", "invalid") for r in results),
                )
        bar.close()
    write_outputs(out, results, reference)
    return results
