"""Find each student's notebook in a submissions folder or .zip.

Accepted layouts: SUBMISSIONS/<student_id>.ipynb and SUBMISSIONS/<student_id>/<any name>.ipynb.
Every top-level entry becomes one student, so a student whose file is unusable still gets a row.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.course import UsageError

MAX_ZIP_BYTES = 2 * 2**30
MAX_ZIP_FILES = 20_000


@dataclass
class Submission:
    student_id: str
    path: Path | None  # None when no notebook was found
    note: str = ""  # a warning or, without a path, the reason


def _hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def extract_zip(archive: Path, into: Path) -> Path:
    """Unpack ARCHIVE safely (no paths outside INTO, bounded size) and return the folder."""
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
    except zipfile.BadZipFile:
        raise UsageError(f"{archive}: not a readable zip archive") from None
    return into


def _newest(notebooks: list[Path]) -> tuple[Path, str]:
    newest = max(notebooks, key=lambda p: (p.stat().st_mtime, p.name))
    note = f"{len(notebooks)} notebooks found; graded the newest, {newest.name}" if len(notebooks) > 1 else ""
    return newest, note


def collect(folder: Path) -> list[Submission]:
    """One Submission per student in FOLDER, sorted by student id."""
    if not folder.is_dir():
        raise UsageError(f"submissions not found: {folder} is not a folder or a .zip")
    found = []
    for entry in sorted(folder.iterdir()):
        if _hidden(entry.name):
            continue
        if entry.is_dir():
            notebooks = [p for p in entry.rglob("*.ipynb") if not any(_hidden(q) for q in p.relative_to(entry).parts)]
            if notebooks:
                found.append(Submission(entry.name, *_newest(notebooks)))
            else:
                found.append(Submission(entry.name, None, "no .ipynb notebook in the submission"))
        elif entry.suffix == ".ipynb":
            found.append(Submission(entry.stem, entry))
        else:
            found.append(Submission(entry.stem, None, f"not a notebook: {entry.name}"))
    return found
