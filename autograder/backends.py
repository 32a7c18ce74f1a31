"""Where submissions are graded: the local pool (default) or an existing Dask cluster.

Both backends run the same job, `grade_job`, which takes the notebook's bytes rather than its path,
so a worker on another machine needs only the course checkout (at the same path) and bubblewrap.
Each job returns its result as JSON-ready data; the parent writes every file.
"""

from __future__ import annotations

import contextlib
import tempfile
import types
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from autograder.course import Assignment, UsageError
from autograder.execute import RunConfig
from autograder.pipeline import PendingReference, Reference, StudentResult, grade_notebook

CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class Job:
    """Everything one submission's grading needs, in a form that travels to another machine."""

    student_id: str
    file_name: str
    notebook: bytes
    assignment: Assignment
    reference: Reference | PendingReference  # pending only in the local pool, which never pickles it
    config: RunConfig


def grade_job(job: Job) -> dict:
    """Grade one notebook wherever this runs; the result as data (StudentResult.to_json)."""
    with tempfile.TemporaryDirectory(prefix="n2n-job-") as tmp:
        path = Path(tmp) / (Path(job.file_name).name or "submission.ipynb")
        path.write_bytes(job.notebook)
        return grade_notebook(path, job.student_id, job.assignment, job.reference, job.config).to_json()


def lost_job(student_id: str, assignment: str, max_score: float, error: BaseException) -> StudentResult:
    """The explicit status of a submission whose grading job itself failed (a worker died twice, say)."""
    reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")
    return StudentResult(
        student_id, assignment, 0.0, max_score, "error", f"not graded, the grading job failed: {reason}"
    )


@contextlib.contextmanager
def local_pool(workers: int) -> Iterator[Executor]:
    """Threads, each waiting on one sandboxed grading process: the default, with nothing to install."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        yield pool


@contextlib.contextmanager
def dask_cluster(address: str, device: str) -> Iterator[Executor]:
    """An executor on the Dask cluster at ADDRESS; CUDA jobs go only to workers with a GPU resource."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install -r requirements-dask.txt") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    options = {"pure": False, "retries": 1}
    if device.startswith("cuda"):
        options["resources"] = {"GPU": 1}  # workers started with --resources GPU=1; one GPU per job
    try:
        check_workers(client, address, gpu=device.startswith("cuda"))
        yield client.get_executor(**options)
    finally:
        client.close(timeout=CONNECT_TIMEOUT_S)


WORKERS_TIMEOUT_S = 30
WORKER_FIX = "install the autograder in the workers' environment (`make`, or `pip install -e .` in the course checkout)"


def _probe() -> str:
    """Run on each worker: '' when it can import the grading job's module, else the reason."""
    try:
        import autograder.backends  # noqa: F401  (grade_job's module and everything it imports)
    except BaseException as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def check_workers(client, address: str, gpu: bool = False) -> None:
    """Before anything is graded: workers are connected and every one can import the autograder (else UsageError)."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
    except (TimeoutError, OSError):
        raise UsageError(
            f"the Dask scheduler at {address} has no workers after {WORKERS_TIMEOUT_S} s: start them with"
            f" `dask worker {address}` from an environment where the autograder is installed"
        ) from None
    # By value, not by reference: a worker without the autograder could not even unpickle a reference to it.
    probe = types.FunctionType(_probe.__code__, {}, "probe")
    try:
        answers = client.run(probe, on_error="return")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot ask the Dask workers at {address} whether they can grade: {exc}") from None
    workers = client.scheduler_info()["workers"]
    failing = {
        addr: answer if isinstance(answer, str) else f"{type(answer).__name__}: {answer}"
        for addr, answer in sorted(answers.items())
        if not isinstance(answer, str) or answer
    }
    if failing:
        named = [f"{workers.get(a, {}).get('name', a)} ({a})" for a in failing]
        reason = next(iter(failing.values())).splitlines()[0]
        raise UsageError(
            f"{len(failing)} of {len(answers)} Dask workers cannot import autograder ({reason}): "
            f"{', '.join(named)}; {WORKER_FIX}, then restart them"
        )
    if gpu and not any((info.get("resources") or {}).get("GPU") for info in workers.values()):
        raise UsageError(
            f"--device cuda, but no worker of the Dask scheduler at {address} has a GPU:"
            " start GPU workers with `dask worker ... --resources GPU=1`"
        )
