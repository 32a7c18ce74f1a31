"""Benchmark: how fast the autograder grades, against nbgrader and against running the notebook.

Not a test: it prints figures, measured in one run on this machine, as ratios to baselines that run
in the same process. Usage: .venv/bin/python benchmarks/grading_throughput.py [--students 16] [--rounds 3]

- ours (2 workers) against `nbgrader autograde` (serial, its only mode): the speed-up ratio, as the
  median of ROUNDS alternating pairs, after one untimed warm-up (a cold disk cache would otherwise
  penalise whichever grader runs first);
- ours with 1 worker against `jupyter nbconvert --execute` per notebook: our overhead per submission;
- ours with 1 worker with and without the bubblewrap sandbox: the sandbox's cost per submission.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import submissions  # noqa: E402 (the repository root must be on the path first)

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def timed(command: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return elapsed


def grade(folder: Path, out: Path, *extra: str) -> float:
    return timed([sys.executable, "-m", "autograder", "grade", "a1_neurons", str(folder), "--out", str(out), *extra])


def nbgrader_course(course: Path, folder: Path) -> Path:
    """A throw-away nbgrader course at COURSE with every submission in submitted/<student>/a1_neurons/."""
    course.mkdir()
    shutil.copy(ROOT / "exercises" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "exercises" / "source" / "a1_neurons", course / "source" / "a1_neurons")
    timed([sys.executable, "-m", "nbgrader", "generate_assignment", "a1_neurons", "--force"], cwd=course)
    for notebook in sorted(folder.glob("*.ipynb")):
        target = course / "submitted" / notebook.stem / "a1_neurons"
        target.mkdir(parents=True)
        shutil.copy(notebook, target / "a1_neurons.ipynb")
    return course


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--overhead-students", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="timed pairs of ours and nbgrader (default: 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="n2n-bench-") as tmp_name:
        tmp = Path(tmp_name)
        folder, few = tmp / "batch", tmp / "few"
        for n in range(args.students):
            submissions.save(submissions.solved(), folder / f"student{n:02d}.ipynb")
        for n in range(args.overhead_students):
            submissions.save(submissions.solved(), few / f"student{n:02d}.ipynb")
        n, k = args.students, args.overhead_students

        grade(few, tmp / "warm-up", "--workers", "1")  # untimed: loads torch and the kernel into the disk cache
        ours, theirs = [], []
        for r in range(args.rounds):
            ours.append(grade(folder, tmp / f"ours-{r}", "--workers", "2"))
            course = nbgrader_course(tmp / f"nbgrader-course-{r}", folder)
            autograde = [sys.executable, "-m", "nbgrader", "autograde", "a1_neurons", "--create"]
            theirs.append(timed(autograde, cwd=course))
            print(
                f"round {r + 1}: ours {ours[-1]:.1f} s, nbgrader {theirs[-1]:.1f} s, ratio {theirs[-1] / ours[-1]:.2f}"
            )
        serial_sandboxed = grade(few, tmp / "serial-sandboxed", "--workers", "1")
        serial_plain = grade(few, tmp / "serial-plain", "--workers", "1", "--no-sandbox")
        # One run of each notebook straight through nbconvert: the floor any grader pays.
        executed = tmp / "executed.ipynb"
        nbconvert = [
            timed(
                [str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", str(p), "--output", str(executed)]
            )
            for p in sorted(few.glob("*.ipynb"))
        ]

    # Our serial runs also execute the instructor's reference once: count it as one more notebook.
    per_ours = serial_sandboxed / (k + 1)
    per_plain = serial_plain / (k + 1)
    per_nbconvert = statistics.median(nbconvert)
    ratios = [t / o for o, t in zip(ours, theirs, strict=True)]
    ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    print(f"machine: {os.cpu_count()} cores; {n} correct A1 submissions; times are whole-process wall seconds")
    print(f"medians of {args.rounds} rounds:")
    print(f"ours, --workers 2 (sandboxed):        {ours_s:7.1f} s  ({60 * n / ours_s:5.1f} submissions/min)")
    print(f"nbgrader autograde (serial):          {theirs_s:7.1f} s  ({60 * n / theirs_s:5.1f} submissions/min)")
    print(
        f"speed-up over nbgrader:               {statistics.median(ratios):7.2f} x   "
        f"(rounds {min(ratios):.2f} to {max(ratios):.2f}; goal: >= 1.8 on 2 cores)"
    )
    print(f"ours, 1 worker, per notebook, sandboxed   {per_ours:6.2f} s")
    print(f"ours, 1 worker, per notebook, no sandbox  {per_plain:6.2f} s")
    print(f"nbconvert --execute, per notebook (median) {per_nbconvert:6.2f} s")
    print(f"our overhead over nbconvert:          {per_ours - per_nbconvert:+7.2f} s per submission (goal: <= 1 s)")
    print(f"sandbox cost:                         {per_ours - per_plain:+7.2f} s per submission")


if __name__ == "__main__":
    main()
