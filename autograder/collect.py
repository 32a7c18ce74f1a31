"""Find each student's notebook in a submissions folder or .zip, including LMS downloads.

Accepted layouts:
- SUBMISSIONS/<student_id>.ipynb and SUBMISSIONS/<student_id>/<any name>.ipynb;
- Moodle's "download all", in folders or flat: <Full Name>_<participant id>_assignsubmission_file_/<any name>.ipynb
  or <Full Name>_<participant id>_assignsubmission_file_<any name>.ipynb;
- Canvas's: <name>[_LATE]_<user id>_<submission id>_<file name>.ipynb.

In an assignment with several notebooks, each is found by its name (problem1.ipynb, or an LMS's
name that ends in _problem1.ipynb), also inside nbgrader's exchange layout
<student>/<assignment>/problem1.ipynb with its timestamp.txt.

The id comes from the first pattern that matches a top-level entry's name; `--id-pattern` adds one
of the instructor's own (a regular expression with a group named `id`). Every top-level entry
belongs to a student, so a student whose file is unusable still gets a row. A student with several
notebooks is graded on the newest, with a warning.
"""

from __future__ import annotations

import calendar
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.course import UsageError

MAX_ZIP_BYTES = 2 * 2**30
MAX_ZIP_FILES = 20_000
LMS_PATTERNS = {
    "moodle": r"(?P<id>.+?_\d+)_assignsubmission_[a-z]+(?:_.*\.ipynb|_)?",
    "canvas": r"[^_]+(?:_LATE)?_(?P<id>\d+)_\d+_.+\.ipynb",  # Canvas's user id: unique, and what its import needs
}


@dataclass
class Submission:
    student_id: str
    path: Path | None  # None when no notebook was found
    note: str = ""  # a warning or, without a path, the reason


def _hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def extract_zip(archive: Path, into: Path) -> Path:
    """Unpack ARCHIVE safely (no paths outside INTO, bounded size), keeping each file's time."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_ZIP_FILES or sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise UsageError(f"{archive}: the archive is too large to unpack safely")
            root = into.resolve()
            for member in members:
                target = (root / member.filename).resolve()
                if not target.is_relative_to(root):
                    raise UsageError(f"{archive}: the archive holds an unsafe path {member.filename!r}")
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                stamp = calendar.timegm((*member.date_time, 0, 0, 0))  # zip times carry no zone: read as UTC
                os.utime(target, (stamp, stamp))
    except zipfile.BadZipFile:
        raise UsageError(f"{archive}: not a readable zip archive") from None
    return into


def student_id(name: str, patterns: list[str]) -> str:
    """The student id in a top-level entry's NAME: the first matching pattern, else the name itself."""
    for pattern in patterns:
        match = re.fullmatch(pattern, name)
        if match and match.groupdict().get("id"):
            return match.group("id")
    return name.removesuffix(".ipynb") if name.endswith(".ipynb") else Path(name).stem


def _notebooks_in(entry: Path) -> list[Path]:
    if entry.is_file():
        return [entry] if entry.suffix == ".ipynb" else []
    return [
        p for p in entry.rglob("*.ipynb") if p.is_file() and not any(_hidden(q) for q in p.relative_to(entry).parts)
    ]


def _named(notebook: str):
    """Whether a file is NOTEBOOK: its own name, or an LMS's name that ends with it (a resubmission's -1 too)."""
    pattern = re.compile(rf"(?:.*[_\- ])?{re.escape(notebook)}(?:-\d+)?\.ipynb", re.IGNORECASE)
    return lambda path: pattern.fullmatch(path.name) is not None


def collect(folder: Path, extra_patterns: list[str] | None = None, notebook: str | None = None) -> list[Submission]:
    """One Submission per student in FOLDER, sorted by student id; with NOTEBOOK, that notebook of theirs."""
    if not folder.is_dir():
        raise UsageError(f"submissions not found: {folder} is not a folder or a .zip")
    patterns = list(extra_patterns or []) + list(LMS_PATTERNS.values())
    notebooks: dict[str, list[Path]] = {}
    reasons: dict[str, str] = {}
    is_named = _named(notebook) if notebook is not None else None
    for entry in sorted(folder.iterdir()):
        if _hidden(entry.name):
            continue
        sid = student_id(entry.name, patterns)
        found = _notebooks_in(entry)
        if notebook is not None:
            found = [p for p in found if is_named(p)]
        notebooks.setdefault(sid, []).extend(found)
        if not found and notebook is not None:
            reasons.setdefault(sid, f"no {notebook}.ipynb in the submission")
        elif not found:
            reasons.setdefault(
                sid, f"not a notebook: {entry.name}" if entry.is_file() else "no .ipynb notebook in the submission"
            )
    subs = []
    for sid in sorted(notebooks):
        paths = notebooks[sid]
        if not paths:
            subs.append(Submission(sid, None, reasons[sid]))
            continue
        newest = max(paths, key=lambda p: (p.stat().st_mtime, p.name))
        note = f"{len(paths)} notebooks found; graded the newest, {newest.name}" if len(paths) > 1 else ""
        subs.append(Submission(sid, newest, note))
    return subs
