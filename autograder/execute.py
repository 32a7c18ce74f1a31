"""Execute an assembled notebook in its own sandboxed process, within time and resource limits."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import sandbox
from autograder.limits import Confinement, Limits

KERNEL_RUN = Path(__file__).resolve().parent / "kernel_run.py"


@dataclass(frozen=True)
class RunConfig:
    """How every notebook of a run executes: device, limits, and whether inside bwrap."""

    device: str = "cpu"
    limits: Limits = Limits()
    sandboxed: bool = False


@dataclass
class Execution:
    notebook: object  # the executed notebook (outputs of the cells that ran)
    status: str  # "ok", "timeout", "kernel died" or "error"
    message: str


def _child_env(device: str, home: str) -> dict[str, str]:
    """Only these variables reach student code; the grader's own environment stays out of sight."""
    env = {k: os.environ[k] for k in ("LANG", "LC_ALL", "TZ") if k in os.environ}
    env.update(
        PATH=f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        COURSE_DEVICE=device,
        HOME=home,
        MPLBACKEND="Agg",
        MPLCONFIGDIR=f"{home}/.matplotlib",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _command(workdir: Path, device: str, limits: Limits, sandboxed: bool) -> list[str]:
    if sandboxed:
        inside = sandbox.INSIDE_WORKDIR
        run = [
            sys.executable,
            sandbox.INSIDE_EXECUTOR,
            f"{inside}/in.ipynb",
            f"{inside}/out.ipynb",
            str(limits.cell_timeout),
        ]
        return sandbox.bwrap_command(run, workdir, _child_env(device, inside))
    return [
        sys.executable,
        str(KERNEL_RUN),
        str(workdir / "in.ipynb"),
        str(workdir / "out.ipynb"),
        str(limits.cell_timeout),
    ]


def copy_data_files(folder: Path, workdir: Path) -> None:
    """The assignment's other files (images, CSVs), beside the notebook as nbgrader provides them."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and path.suffix != ".ipynb" and not any(p.startswith(".") for p in rel.parts):
            (workdir / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, workdir / rel)


def execute(nb, config: RunConfig, data: Path | None = None) -> Execution:
    """Run NB in a fresh kernel under the config's limits (in bwrap when sandboxed), beside the files of DATA."""
    device, limits, sandboxed = config.device, config.limits, config.sandboxed
    with tempfile.TemporaryDirectory(prefix="n2n-run-") as tmp:
        workdir = Path(tmp)
        if data is not None:
            copy_data_files(data, workdir)
        nbformat.write(nb, workdir / "in.ipynb")
        confinement = Confinement(limits)
        status, message = None, ""
        try:
            process = subprocess.Popen(
                _command(workdir, device, limits, sandboxed),
                cwd=workdir,
                env=_child_env(device, str(workdir)),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # one process group: kill it whole, kernel included
                preexec_fn=confinement.preexec,
            )
            try:
                process.wait(timeout=limits.notebook_timeout)
            except subprocess.TimeoutExpired:
                status, message = "timeout", f"the notebook ran longer than {limits.notebook_timeout:g} s"
            finally:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
            out_of_memory = confinement.out_of_memory()
        finally:
            confinement.close()  # kills anything that escaped the process group
        return _collect(workdir / "out.ipynb", status, message, out_of_memory, limits)


def _collect(out_path: Path, status: str | None, message: str, out_of_memory: bool, limits: Limits) -> Execution:
    """Read what the executor saved; the grader's own verdicts (timeout, memory) take precedence."""
    try:
        executed = nbformat.read(out_path, as_version=4)
    except (OSError, ValueError):
        executed = nbformat.v4.new_notebook()
        status = status or "error"
        message = message or "the notebook's results could not be read"
    run_meta = executed.metadata.get("autograder", {}) if isinstance(executed.metadata.get("autograder"), dict) else {}
    if status is None:
        status, message = str(run_meta.get("status", "error")), str(run_meta.get("message", ""))[:300]
        if status == "running":
            status, message = "kernel died", "the kernel died; cells that ran before it keep their results"
    if out_of_memory and status != "ok":
        status, message = "error", f"out of memory: the limit is {limits.memory_bytes / 2**30:g} GiB"
    return Execution(executed, status, message)
