"""Run one assembled notebook in a fresh kernel (a child process of the grader).

Usage: python kernel_run.py IN.ipynb OUT.ipynb CELL_TIMEOUT

OUT is rewritten after every cell, so whatever happens later, the cells that already ran keep
their results. Its metadata.autograder holds the run's status and message.
"""

from __future__ import annotations

import os
import sys

# jsonschema compiles an optional URI grammar when it is imported (about 2 s per submission);
# notebook validation never uses it, so keep it from loading.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402 (after the guard above)
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402


def _save(nb, path: str, status: str, message: str) -> None:
    nb.metadata["autograder"] = {"status": status, "message": message}
    tmp = f"{path}.part"
    with open(tmp, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, path)  # atomic: a reader never sees half a notebook


def run(in_path: str, out_path: str, cell_timeout: float) -> str:
    nb = nbformat.read(in_path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        kernel_name="python3",
        allow_errors=True,  # a failing cell costs its own points, never the later ones
        interrupt_on_timeout=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(out_path))}},
        on_cell_executed=lambda cell, cell_index, execute_reply: _save(nb, out_path, "running", ""),
    )
    status, message = "ok", ""
    try:
        client.execute()
    except DeadKernelError:
        status, message = "kernel died", "the kernel died; cells that ran before it keep their results"
    except CellTimeoutError as exc:
        status, message = "timeout", str(exc).splitlines()[0]
    _save(nb, out_path, status, message)
    return status


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2], float(sys.argv[3]))
