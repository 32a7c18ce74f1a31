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
    """One notebook of an assignment: its instructor source and its student release copy.

    An assignment of this course has one notebook, named after it; an nbgrader course's may have several.
    """

    name: str
    source: Path
    release: Path

    @property
    def notebook(self) -> str:
        return self.source.stem

    @property
    def folder(self) -> Path:
        """The assignment's source folder, whose other files (data, images) a notebook may read."""
        return self.source.parent


def _notebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file() and not p.name.startswith("."))


def assignment_names(course_dir: Path = COURSE_DIR) -> list[str]:
    """Names of every assignment in the course's source folder (a folder holding notebooks)."""
    source = course_dir / "source"
    if not source.is_dir():
        raise UsageError(f"{course_dir} is not an nbgrader course: it has no source/ folder")
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith(".") and _notebooks(p))


def find_notebooks(name: str, course_dir: Path = COURSE_DIR) -> list[Assignment]:
    """Every notebook of the assignment NAME, or a UsageError that lists the known assignments."""
    known = assignment_names(course_dir)
    if name not in known:
        raise UsageError(f"unknown assignment {name!r} in {course_dir}; known: {', '.join(known) or 'none'}")
    return [
        Assignment(name=name, source=path, release=course_dir / "release" / name / path.name)
        for path in _notebooks(course_dir / "source" / name)
    ]


def find_assignment(name: str, course_dir: Path = COURSE_DIR) -> Assignment:
    """The one notebook of a single-notebook assignment (every assignment of this course)."""
    notebooks = find_notebooks(name, course_dir)
    if len(notebooks) != 1:
        raise UsageError(f"{name} has {len(notebooks)} notebooks; expected one")
    return notebooks[0]


def pick_assignments(names: list[str], course_dir: Path = COURSE_DIR) -> list[Assignment]:
    """Every notebook of the named assignments, or of all of them when no name is given."""
    return [nb for n in (names or assignment_names(course_dir)) for nb in find_notebooks(n, course_dir)]
