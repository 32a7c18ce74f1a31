"""Benchmark: the same batch graded by the local pool and by a 2-worker Dask cluster on loopback.

Not a test: it prints whole-process wall seconds measured in one run on this machine, and their
ratio. Usage: .venv/bin/python benchmarks/dask_backend.py [--students 16]
(needs requirements-dask.txt).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import submissions  # noqa: E402 (the repository root must be on the path first)
from tests.loopback_cluster import loopback_cluster  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def grade(folder: Path, out: Path, *extra: str) -> float:
    start = time.perf_counter()
    command = [sys.executable, "-m", "autograder", "grade", "a1_neurons", str(folder), "--out", str(out), *extra]
    done = subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    n = parser.parse_args().students
    with tempfile.TemporaryDirectory(prefix="n2n-dask-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for i in range(n):
            submissions.save(submissions.solved(), tmp / "batch" / f"student{i:02d}.ipynb")
        local = grade(tmp / "batch", tmp / "local", "--workers", "2")
        with loopback_cluster(workers=2) as (address, _):
            dask = grade(tmp / "batch", tmp / "dask", "--scheduler", address)
        same = (tmp / "local" / "grades.csv").read_bytes() == (tmp / "dask" / "grades.csv").read_bytes()
    print(f"machine: {os.cpu_count()} cores; {n} correct A1 submissions; whole-process wall seconds")
    print(f"local pool, --workers 2:        {local:7.1f} s  ({60 * n / local:5.1f} submissions/min)")
    print(f"Dask, 2 workers on loopback:    {dask:7.1f} s  ({60 * n / dask:5.1f} submissions/min)")
    print(f"Dask time / local time:         {dask / local:7.2f}")
    print(f"identical grades.csv:           {same}")


if __name__ == "__main__":
    main()
