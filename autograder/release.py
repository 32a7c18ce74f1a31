"""The `release` verb: nbgrader generates the student copies; --check compares them with git's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder.course import Assignment, UsageError


def _generate(course_dir: Path, name: str) -> None:
    """Run `nbgrader generate_assignment NAME` in COURSE_DIR (nbgrader does the real work)."""
    bin_dir = str(Path(sys.executable).parent)  # nbgrader calls alembic from PATH
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force", "--log-level=WARN"],
        cwd=course_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise UsageError(f"nbgrader could not release {name}: {last}")


def _notebooks(folder: Path) -> dict[str, dict]:
    """Every file under FOLDER by relative path; notebooks parsed so formatting cannot matter."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = str(path.relative_to(folder))
        files[rel] = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".ipynb" else path.read_bytes()
    return files


def release(assignments: list[Assignment], course_dir: Path) -> list[str]:
    """Regenerate the course's release/ folder for ASSIGNMENTS (one entry per notebook); returns the names."""
    names = list(dict.fromkeys(a.name for a in assignments))
    for name in names:
        _generate(course_dir, name)
    return names


def stale_releases(assignments: list[Assignment], course_dir: Path) -> list[str]:
    """Names whose committed release differs from a fresh nbgrader release."""
    stale = []
    with tempfile.TemporaryDirectory(prefix="n2n-release-") as tmp:
        scratch = Path(tmp)
        if (course_dir / "nbgrader_config.py").is_file():
            shutil.copy(course_dir / "nbgrader_config.py", scratch)
        for name, a in {a.name: a for a in assignments}.items():
            shutil.copytree(a.folder, scratch / "source" / name)
            _generate(scratch, name)
            fresh = scratch / "release" / name
            committed = a.release.parent
            if not committed.is_dir() or _notebooks(fresh) != _notebooks(committed):
                stale.append(name)
    return stale
