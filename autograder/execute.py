"""Execute an assembled notebook in its own process, with time limits and a clean environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

KERNEL_RUN = Path(__file__).resolve().parent / "kernel_run.py"


@dataclass
class Limits:
    cell_timeout: float = 60.0
    notebook_timeout: float = 600.0


@dataclass
class Execution:
    notebook: object  # the executed notebook (outputs of the cells that ran)
    status: str  # "ok", "timeout" or "kernel died"
    message: str


def _child_env(device: str, workdir: Path) -> dict[str, str]:
    """Only these variables reach student code; the grader's own environment stays out of sight."""
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
    env.update(
        COURSE_DEVICE=device,
        HOME=str(workdir),
        MPLBACKEND="Agg",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def execute(nb, *, device: str, limits: Limits) -> Execution:
    """Run NB in a fresh kernel under LIMITS and return what it produced."""
    with tempfile.TemporaryDirectory(prefix="n2n-run-") as tmp:
        workdir = Path(tmp)
        in_path, out_path = workdir / "in.ipynb", workdir / "out.ipynb"
        nbformat.write(nb, in_path)
        command = [sys.executable, str(KERNEL_RUN), str(in_path), str(out_path), str(limits.cell_timeout)]
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=_child_env(device, workdir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # one process group: kill it whole, kernel included
        )
        status, message = None, ""
        try:
            process.wait(timeout=limits.notebook_timeout)
        except subprocess.TimeoutExpired:
            status, message = "timeout", f"the notebook ran longer than {limits.notebook_timeout:g} s"
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # also reaps anything student code left behind
            except ProcessLookupError:
                pass
            process.wait()
        if not out_path.exists():
            return Execution(
                nbformat.v4.new_notebook(), status or "error", message or "the executor produced no notebook"
            )
        executed = nbformat.read(out_path, as_version=4)
        run_meta = executed.metadata.get("autograder", {})
        if status is None:
            status = run_meta.get("status", "error")
            message = run_meta.get("message", "")
            if status == "running":
                status, message = "kernel died", "the executor stopped before the notebook finished"
        return Execution(executed, status, message)
