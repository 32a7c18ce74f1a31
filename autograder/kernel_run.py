"""Run one assembled notebook in a fresh kernel (inside the sandbox, as a child of the grader).

Usage: python kernel_run.py IN.ipynb OUT.ipynb CELL_TIMEOUT

OUT is rewritten after every cell, so whatever happens later, the cells that already ran keep
their results. Its metadata.autograder holds the run's status and message. This file imports
nothing from the autograder package: inside the sandbox, the package is not there.
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

CHECK_MIME = "application/vnd.neurons-to-npus.check+json"
MAX_OUTPUTS_PER_CELL = 200
MAX_TEXT_PER_CELL = 100_000  # characters of printed text kept per cell
MAX_DATA_BYTES = 2_000_000  # a single image or rich output larger than this is dropped


def limit_outputs(cell) -> None:
    """Keep every check record; truncate the rest so a flood of output stays small."""
    kept, text_left = [], MAX_TEXT_PER_CELL
    for output in cell.get("outputs", []):
        if CHECK_MIME in output.get("data", {}):
            kept.append(output)
        elif len(kept) >= MAX_OUTPUTS_PER_CELL:
            continue
        elif output.get("output_type") == "stream":
            text = output.get("text", "")
            if text_left > 0:
                output["text"] = text[:text_left] + (
                    "\n[output truncated by the autograder]\n" if len(text) > text_left else ""
                )
                kept.append(output)
            text_left -= len(text)
        elif sum(len(str(v)) for v in output.get("data", {}).values()) <= MAX_DATA_BYTES:
            kept.append(output)
    cell["outputs"] = kept


def _save(nb, path: str, status: str, message: str) -> None:
    nb.metadata["autograder"] = {"status": status, "message": message}
    tmp = f"{path}.part"
    with open(tmp, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, path)  # atomic: a reader never sees half a notebook


def _interrupted(nb) -> bool:
    """Whether the timeout interrupted a cell (nbclient interrupts the kernel, which raises)."""
    return any(
        o.get("output_type") == "error" and o.get("ename") == "KeyboardInterrupt"
        for cell in nb.cells
        for o in cell.get("outputs", [])
    )


def run(in_path: str, out_path: str, cell_timeout: float) -> str:
    nb = nbformat.read(in_path, as_version=4)

    def after_cell(cell, cell_index, execute_reply):
        limit_outputs(cell)
        _save(nb, out_path, "running", "")

    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        kernel_name="python3",
        allow_errors=True,  # a failing cell costs its own points, never the later ones
        interrupt_on_timeout=True,  # a cell over its time is interrupted, and the next cells still run
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(out_path))}},
        on_cell_executed=after_cell,
        # Every result is saved by then; a graceful shutdown only waits ~0.7 s for the kernel to exit.
        shutdown_kernel="immediate",
    )
    status, message = "ok", ""
    try:
        client.execute()
    except DeadKernelError:
        status, message = "kernel died", "the kernel died; cells that ran before it keep their results"
    except CellTimeoutError as exc:
        status, message = "timeout", str(exc).splitlines()[0]
    for cell in nb.cells:
        limit_outputs(cell)
    if status == "ok" and _interrupted(nb):
        status, message = "timeout", f"a cell ran longer than {cell_timeout:g} s and was interrupted"
    _save(nb, out_path, status, message)
    return status


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2], float(sys.argv[3]))
