"""Where the course's files live, and how an assignment is looked up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_DIR = ROOT / "exercises"


class UsageError(Exception):
    """A bad command line or configuration; the CLI prints it in one line and exits 2."""


@dataclass(frozen=True)
class Assignment:
    name: str
    source: Path
    release: Path


def assignment_names(course_dir: Path = COURSE_DIR) -> list[str]:
    """Names of every assignment in the course's source folder."""
    source = course_dir / "source"
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())


def find_assignment(name: str, course_dir: Path = COURSE_DIR) -> Assignment:
    """The assignment called NAME, or a UsageError that lists the known ones."""
    known = assignment_names(course_dir)
    if name not in known:
        raise UsageError(f"unknown assignment {name!r}; known: {', '.join(known) or 'none'}")
    return Assignment(
        name=name,
        source=course_dir / "source" / name / f"{name}.ipynb",
        release=course_dir / "release" / name / f"{name}.ipynb",
    )


def pick_assignments(names: list[str], course_dir: Path = COURSE_DIR) -> list[Assignment]:
    """The named assignments, or all of them when no name is given."""
    return [find_assignment(n, course_dir) for n in (names or assignment_names(course_dir))]
