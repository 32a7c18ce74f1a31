"""Benchmark: how long the book takes to build from scratch, to rebuild unchanged, and after one edit.

Not a test: it prints figures measured in one run on this machine, each with its ratio to the full
build measured in the same run. It works on a scratch copy of the working tree, so the repository's
own _build is left alone. Usage: .venv/bin/python benchmarks/book_build.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
SKIP = {".git", ".venv", "_build", ".cache", ".pytest_cache"}


def build(tree: Path) -> tuple[float, int]:
    """Seconds for one `jupyter-book build` as `make book` runs it, and how many notebooks it executed."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(JUPYTER_BOOK), "build", ".", "--warningiserror", "--keep-going"], cwd=tree, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return seconds, len(re.findall(r"Executed notebook", done.stdout + done.stderr))


def edit_one_chapter(tree: Path) -> str:
    """Change one code cell of the first chapter, as an author fixing a line would."""
    chapter = sorted((tree / "book" / "foundations").glob("*.ipynb"))[0]
    nb = nbformat.read(chapter, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source += "\n# edited"
    nbformat.write(nb, chapter)
    return chapter.stem


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "book"
        shutil.copytree(ROOT, tree, ignore=lambda d, names: [n for n in names if n in SKIP])
        full, full_runs = build(tree)
        cached, cached_runs = build(tree)
        edited = edit_one_chapter(tree)
        one, one_runs = build(tree)
    print(f"full build           {full:6.1f} s  {full_runs} notebooks executed   1.00")
    print(f"rebuild, no change   {cached:6.1f} s  {cached_runs} notebooks executed   {cached / full:.2f} of full")
    print(f"rebuild, {edited} edited {one:6.1f} s  {one_runs} notebook executed    {one / full:.2f} of full")


if __name__ == "__main__":
    main()
