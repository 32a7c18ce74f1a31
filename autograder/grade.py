"""The `grade` verb: grade every submission in a folder or .zip and write the batch's files."""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from concurrent.futures import Executor, as_completed
from datetime import datetime
from pathlib import Path

import nbformat
from tqdm import tqdm

from autograder import cells
from autograder.backends import Job, grade_job, local_pool, lost_job
from autograder.collect import Submission, collect, extract_zip
from autograder.course import Assignment, UsageError
from autograder.execute import RunConfig
from autograder.late import LatePolicy, late_days, submitted_at
from autograder.load import MAX_NOTEBOOK_BYTES
from autograder.manual import apply_manual, read_manual
from autograder.merge import merge_notebooks
from autograder.pipeline import PendingReference, Reference, StudentResult, build_reference
from autograder.write import write_atomic, write_outputs


def fingerprint(sub: Submission, config: RunConfig) -> str:
    """What a result depends on: the notebook, its submission time and the device; same means no regrade."""
    digest = hashlib.sha256(f"{config.device}\0{sub.note}\0".encode())
    if sub.path is not None:
        digest.update(sub.path.read_bytes())
        digest.update(str(submitted_at(sub.path)).encode())  # a new file time or timestamp.txt regrades
    return digest.hexdigest()


def _too_big(path: Path) -> str:
    size = path.stat().st_size
    return (
        f"the file is {size / 2**20:.0f} MiB, over the {MAX_NOTEBOOK_BYTES // 2**20} MiB limit"
        if size > MAX_NOTEBOOK_BYTES
        else ""
    )


def _job(sub: Submission, assignment: Assignment, reference: Reference | PendingReference, config: RunConfig) -> Job:
    return Job(sub.student_id, sub.path.name, sub.path.read_bytes(), assignment, reference, config)


def _stamp(result: StudentResult, sub: Submission) -> None:
    """Submission time and notes come from the parent's copy of the file, whichever machine graded it."""
    when, time_note = submitted_at(sub.path)
    result.submitted_at = when.isoformat(timespec="seconds")
    result.message = "; ".join(m for m in (sub.note, time_note, result.message) if m)


def _result(future, sub: Submission, assignment: Assignment, reference: Reference) -> StudentResult:
    try:
        return StudentResult.from_json(future.result())
    except Exception as error:  # the job, not the student's code, failed: an explicit status
        return lost_job(sub.student_id, assignment.name, reference.max_score, error)


def alone_regrade(first: StudentResult, second: StudentResult) -> StudentResult:
    """The better of a run that timed out beside other notebooks and its re-run on an otherwise idle grader.

    A time limit measures the student's code only when nothing else competes for the CPU, so a
    correct but slow-ish solution must not lose points because the batch kept the machine busy.
    """
    best = second if second.score >= first.score else first
    if second.status == "timeout":
        note = "it also ran out of time when graded again on its own"
    else:
        note = "it ran out of time while other notebooks were grading, so it was graded again on its own"
    best.message = f"{best.message}; {note}" if best.message else note
    return best


def apply_late_policy(results: list[StudentResult], due: datetime, policy: LatePolicy) -> None:
    """Penalties from each result's submission time; the raw score is kept."""
    for r in results:
        if r.submitted_at:
            r.late_days = late_days(datetime.fromisoformat(r.submitted_at), due)
            r.penalty = policy.penalty(r.score, r.max_score, r.late_days)
        else:
            r.late_days, r.penalty = 0, 0.0


def _finished(path: Path, fingerprint_: str) -> StudentResult | None:
    """A result saved by an earlier run over the same input, if there is one."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return StudentResult.from_json(saved["result"]) if saved.get("fingerprint") == fingerprint_ else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _grade_notebook(
    assignment: Assignment,
    subs: list[Submission],
    results_dir: Path,
    config: RunConfig,
    workers: int,
    executor: Executor | None,
) -> tuple[list[StudentResult], Reference]:
    """Grade one notebook of every submission; each result is saved in RESULTS_DIR as soon as it is known."""
    results_dir.mkdir(parents=True, exist_ok=True)
    for stale in results_dir.glob(".*.part"):  # left by a run that was killed mid-write
        stale.unlink()
    prints = {s.student_id: fingerprint(s, config) for s in subs}
    results = [r for s in subs if (r := _finished(results_dir / f"{s.student_id}.json", prints[s.student_id]))]
    done = {r.student_id for r in results}
    todo = [s for s in subs if s.student_id not in done]
    # Locally the instructor's notebook runs beside the first submissions; a remote job needs it finished.
    reference = PendingReference(assignment, config) if executor is None else build_reference(assignment, config)
    label = assignment.name if assignment.notebook == assignment.name else f"{assignment.name}/{assignment.notebook}"
    bar = tqdm(total=len(subs), initial=len(done), desc=f"grading {label}", unit="student")

    def finish(result: StudentResult, sub: Submission) -> None:
        if sub.path is not None:
            _stamp(result, sub)
        saved = {"fingerprint": prints[result.student_id], "result": result.to_json()}
        write_atomic(results_dir / f"{result.student_id}.json", json.dumps(saved, sort_keys=True))
        results.append(result)
        bar.update(1)
        bar.set_postfix(
            timeouts=sum(r.status == "timeout" for r in results),
            errors=sum(r.status in ("error", "invalid") for r in results),
        )

    runnable = []
    for sub in todo:
        problem = sub.note if sub.path is None else _too_big(sub.path)
        if problem:  # nothing to run: the row says why
            finish(StudentResult(sub.student_id, assignment.name, 0.0, reference.max_score, "invalid", problem), sub)
        else:
            runnable.append(sub)
    with contextlib.ExitStack() as stack:
        pool = executor or stack.enter_context(local_pool(workers))
        futures = {pool.submit(grade_job, _job(s, assignment, reference, config)): s for s in runnable}
        if isinstance(reference, PendingReference):
            try:  # no result may be saved before the source is known to pass
                reference = reference.result()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        timed_out = []
        for future in as_completed(futures):
            sub = futures[future]
            result = _result(future, sub, assignment, reference)
            if result.status == "timeout":  # perhaps only because the machine was busy: see below
                timed_out.append((sub, result))
            else:
                finish(result, sub)
        for sub, first in timed_out:  # one at a time, once every other notebook has finished
            bar.set_postfix_str(f"grading {sub.student_id} again on its own after a timeout")
            second = _result(
                pool.submit(grade_job, _job(sub, assignment, reference, config)), sub, assignment, reference
            )
            finish(alone_regrade(first, second), sub)
    bar.close()
    return results, reference


def _manual_items(notebooks: list[Assignment]) -> dict[tuple[str, str], float]:
    """(notebook, grade_id) → points of every manually graded cell of the assignment."""
    return {
        (nb.notebook, gid): points
        for nb in notebooks
        for gid, points in cells.manual_cells(nbformat.read(nb.source, as_version=4)).items()
    }


def grade_batch(
    assignment: Assignment | list[Assignment],
    submissions: Path,
    out: Path,
    *,
    config: RunConfig,
    workers: int = 1,
    executor: Executor | None = None,
    due: datetime | None = None,
    policy: LatePolicy | None = None,
    id_patterns: list[str] | None = None,
    manual: Path | None = None,
    lms: str | None = None,
) -> list[StudentResult]:
    """Grade SUBMISSIONS into OUT: one result file per student and notebook as soon as it is known, then the merge.

    ASSIGNMENT is one notebook or every notebook of an assignment. EXECUTOR runs the jobs (a Dask
    cluster's, say); without one, a local pool of WORKERS threads does. MANUAL (else OUT/manual.csv,
    if there is one) holds the instructor's scores of manually graded answers; it is checked before
    anything runs, and merged without running any notebook again. LMS ("canvas" or "moodle") also
    writes the grades in that system's import format.
    """
    notebooks = [assignment] if isinstance(assignment, Assignment) else list(assignment)
    if not submissions.exists():
        raise UsageError(f"submissions not found: {submissions}")
    if manual is not None and not manual.is_file():
        raise UsageError(f"--manual {manual}: no such file")
    manual = manual or (out / "manual.csv" if (out / "manual.csv").is_file() else None)
    several = len(notebooks) > 1
    with tempfile.TemporaryDirectory(prefix="n2n-submissions-") as tmp:
        folder = extract_zip(submissions, Path(tmp)) if submissions.suffix == ".zip" else submissions
        batches = [(nb, collect(folder, id_patterns, nb.notebook if several else None)) for nb in notebooks]
        students = {s.student_id for _, subs in batches for s in subs}
        scores = read_manual(manual, students, _manual_items(notebooks)) if manual else {}
        graded = [
            _grade_notebook(nb, subs, out / "results" / (nb.notebook if several else ""), config, workers, executor)
            for nb, subs in batches
        ]
    results, reference = merge_notebooks(graded)
    apply_manual(results, scores)
    if due is not None:
        apply_late_policy(results, due, policy or LatePolicy())
    write_outputs(out, results, reference, late=due is not None, lms=lms)
    return results
