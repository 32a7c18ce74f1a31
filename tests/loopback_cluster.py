"""A real Dask cluster on 127.0.0.1 (a scheduler and single-threaded workers), for tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    # No PYTHONPATH: workers import the autograder as the README says, from the environment `make` installs it in.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # A job whose worker dies is tried once more, then reported: the course's policy, set on the scheduler.
    env |= {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1", **(extra_env or {})}
    return subprocess.Popen(
        [str(BIN / "dask"), *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextlib.contextmanager
def loopback_cluster(
    workers: int = 2, worker_env: dict[str, dict[str, str]] | None = None
) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """(scheduler address, worker processes w1, w2, ...); WORKER_ENV adds variables to named workers' environments.

    Everything is stopped at the end with bounded waits."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
    processes = [
        _start(
            *("worker", address, "--name", f"w{i}", "--nthreads", "1", "--no-nanny", "--no-dashboard"),
            extra_env=(worker_env or {}).get(f"w{i}"),
        )
        for i in range(1, workers + 1)
    ]
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address, processes
    finally:
        for process in [*processes, scheduler]:
            _stop(process)
