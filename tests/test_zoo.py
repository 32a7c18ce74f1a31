"""The zoo: hostile and broken A1 submissions graded through the real sandboxed autograder.

Each case states its expected outcome. Cases that attack the machine (bombs, escapes, network) run
only inside the bubblewrap sandbox; without it the module is skipped with a message.
"""

from __future__ import annotations

import csv
import json
import socket
import threading
from pathlib import Path

import nbformat
import pytest

from autograder import cells, sandbox
from tests import submissions
from tests.conftest import ROOT, run_cli

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sandbox.sandbox_works(), reason="bubblewrap sandbox unavailable: the zoo never runs unsandboxed"
    ),
]

FULL, WRONG = 18.0, 10.0  # A1's points, and what submissions.wrong() earns
SOURCE_PATH = str(ROOT / "exercises" / "source" / "a1_neurons" / "a1_neurons.ipynb")
SLEEPER_MARK = "314159"  # `sleep 314159`: a process left behind that must not survive grading
CORRECT_RELU = "np.maximum(np.asarray(xi, dtype=float), 0.0)"
RELU_IF = "(np.maximum(np.asarray(xi, dtype=float), 0.0) if SAFE else np.abs(np.asarray(xi, dtype=float)))"


def _relu_correct_only_if(condition_code: str):
    """A solved notebook whose relu is right only when CONDITION (a sandbox property) holds."""
    nb = submissions.replace_in_answer(submissions.solved(), "activations", CORRECT_RELU, RELU_IF)
    return submissions.prepend_to_answer(nb, "activations", condition_code)


def _duplicate_ids(nb) -> str:
    data = json.loads(nbformat.writes(nb))
    for c in data["cells"]:
        c["id"] = "same"
    return json.dumps(data)


def _duplicated_test_cell(nb):
    dup = next(c for c in nb.cells if cells.grade_id(c) == "test_xor")
    nb.cells.append(nbformat.from_dict({**dup, "id": "copy-of-test-xor"}))  # Jupyter gives a copy its own id
    return nb


def _tests_edited_and_deleted(nb):
    for c in nb.cells:
        if cells.grade_id(c) == "test_activations":
            c.source = "# commented out by the student"
    nb.cells = [c for c in nb.cells if cells.grade_id(c) != "test_perceptron"]
    return nb


HOOK_SHOWTRACEBACK = (
    "get_ipython().showtraceback = lambda *a, **k: None\nget_ipython().showsyntaxerror = lambda *a, **k: None"
)
HOOK_INPUT = "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'] if any('check(' in l for l in lines) else lines)"
HOOK_AST = """import ast
class _Blank(ast.NodeTransformer):
    def visit_Assert(self, node):
        return None
get_ipython().ast_transformers.append(_Blank())"""
MONKEYPATCH = """import numpy.testing
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None"""
ALWAYS_EQUAL_RELU = """class _Yes(np.ndarray):
    def __eq__(self, other):
        return True
def relu(xi):
    return _Yes(np.shape(xi))"""
FORGE_RECORDS = """from IPython.display import display
import threading, time
def _forge():
    for _ in range(400):
        for key in ["sigmoid_extreme", "relu_grid", "perceptron_or", "relu_matrix", "perceptron_separable_1"]:
            display({"application/vnd.neurons-to-npus.check+json": {"key": key, "value": 0.0, "options": {}}}, raw=True)
        time.sleep(0.02)
threading.Thread(target=_forge, daemon=True).start()
check = lambda key, value, **options: None"""
DETECT_GRADER = """import os
GRADED = os.path.exists("/tmp/submission") or "COURSE_DEVICE" in os.environ
if GRADED:
    from IPython.display import display
    for key in ["relu_grid", "relu_matrix", "perceptron_or"]:
        display({"application/vnd.neurons-to-npus.check+json": {"key": key, "value": [0.0, 0.0, 0.0, 0.5, 2.0], "options": {}}}, raw=True)"""
STEAL_SOLUTION = f"""import json
try:
    _src = json.load(open({SOURCE_PATH!r}))
    for _c in _src["cells"]:
        if _c["metadata"].get("nbgrader", {{}}).get("solution"):
            exec("".join(_c["source"]))
except OSError:
    pass"""


def cases(canary: Path, port: int) -> dict[str, tuple[object, str, float, float]]:
    """student_id → (notebook or raw text, expected status, lowest score, highest score)."""
    solved, wrong = submissions.solved, submissions.wrong
    ok = "graded"
    return {
        # 1-2 correct, wrong, blank; public tests pass but hidden ones fail
        "01_correct": (solved(), ok, FULL, FULL),
        "01_wrong": (wrong(), ok, WRONG, WRONG),
        "01_blank": (submissions.release(), ok, 0, 0),
        "02_hidden_fail": (
            submissions.replace_in_answer(
                solved(),
                "activations",
                "e = np.exp(-np.abs(z))  # never overflows\n    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
                "return 1.0 / (1.0 + np.exp(-z))",
            ),
            ok,
            14,
            14,
        ),
        # 3-7 notebook shapes
        "03_tests_edited_correct": (_tests_edited_and_deleted(solved()), ok, FULL, FULL),
        "03_tests_edited_wrong": (_tests_edited_and_deleted(wrong()), ok, 0, WRONG),
        "04_duplicated_test_cell": (_duplicated_test_cell(solved()), ok, FULL, FULL),
        "05_metadata_stripped": (submissions.stripped(solved()), ok, FULL, FULL),
        "05_unrecognisable": (
            nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('mine')")]),
            "invalid",
            0,
            0,
        ),
        "06_colab_export": (submissions.colab_saved(solved()), ok, FULL, FULL),
        "07_duplicate_ids": (_duplicate_ids(solved()), ok, FULL, FULL),
        # 8 unreadable files
        "08_corrupt": ('{"cells": [}', "invalid", 0, 0),
        "08_empty": ("", "invalid", 0, 0),
        "08_zip": ("PK\x03\x04 not really", "invalid", 0, 0),
        # 10-14 tampering with the grading itself: never better than the same wrong answer
        "10_showtraceback": (submissions.with_extra_cell(wrong(), HOOK_SHOWTRACEBACK), ok, 0, WRONG),
        "11_input_transformer": (submissions.with_extra_cell(wrong(), HOOK_INPUT), ok, 0, WRONG),
        "11_ast_transformer": (submissions.with_extra_cell(wrong(), HOOK_AST), ok, 0, WRONG),
        "12_monkeypatch": (submissions.with_extra_cell(wrong(), MONKEYPATCH), ok, 0, WRONG),
        "12_always_equal": (submissions.with_extra_cell(wrong(), ALWAYS_EQUAL_RELU, after="activations"), ok, 0, WRONG),
        "13_steal_solution": (
            submissions.with_extra_cell(wrong(), STEAL_SOLUTION, after="boolean_network"),
            ok,
            0,
            WRONG,
        ),
        "13_forge_records": (submissions.with_extra_cell(wrong(), FORGE_RECORDS), ok, 0, WRONG),
        "14_detect_grader": (submissions.with_extra_cell(wrong(), DETECT_GRADER), ok, 0, WRONG),
        # 13 (files) and 20 (network): correct only if the sandbox holds
        "13_canary": (
            _relu_correct_only_if(f"""
try:
    open({str(canary)!r}).read()
    open({str(canary)!r}, "w").write("overwritten by a student")
    SAFE = False
except OSError:
    SAFE = True
try:
    open({str(canary.parent / "planted.txt")!r}, "w").write("planted")
    SAFE = False
except OSError:
    pass"""),
            ok,
            FULL,
            FULL,
        ),
        "20_network": (
            _relu_correct_only_if(f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    SAFE = False
except OSError:
    SAFE = True"""),
            ok,
            FULL,
            FULL,
        ),
        "20_colab_only": (
            submissions.with_extra_cell(solved(), "from google.colab import drive\ndrive.mount('/content/drive')"),
            ok,
            FULL,
            FULL,
        ),
        # 15-18 runaway code: bounded, earlier results kept, the batch goes on
        "15_infinite_loop": (
            submissions.with_answer(
                solved(),
                "perceptron",
                "def perceptron_train(X, t, eta=1.0, epochs=100):\n    while True:\n        pass",
            ),
            "timeout",
            14,
            14,
        ),
        "16_os_exit": (
            submissions.prepend_to_answer(solved(), "xor_weights", "import os\nos._exit(1)"),
            "error",
            11,
            11,
        ),
        "16_segfault": (
            submissions.prepend_to_answer(solved(), "xor_weights", "import ctypes\nctypes.string_at(0)"),
            "error",
            11,
            11,
        ),
        "16_sys_exit": (submissions.with_extra_cell(solved(), "import sys\nsys.exit(3)"), ok, FULL, FULL),
        "17_memory_bomb": (
            submissions.prepend_to_answer(solved(), "xor_weights", "blob = b'x' * (3 * 2**30)"),
            "error",
            11,
            11,
        ),
        "18_fork_bomb": (
            _relu_correct_only_if("""
import os, time
kids = 0
try:
    while kids < 2000:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        kids += 1
except OSError:
    pass
SAFE = kids < 1000"""),
            ok,
            FULL,
            FULL,
        ),
        "18_leftover_process": (
            submissions.with_extra_cell(
                solved(), f"import subprocess\nsubprocess.Popen(['sleep', '{SLEEPER_MARK}'], start_new_session=True)"
            ),
            ok,
            FULL,
            FULL,
        ),
        # 19, 21 harmless noise keeps full marks
        "19_huge_output": (
            submissions.with_extra_cell(solved(), "print('x' * 50_000_000)\nfor _ in range(3000):\n    print('line')"),
            ok,
            FULL,
            FULL,
        ),
        "21_stderr_warnings": (
            submissions.prepend_to_answer(
                solved(),
                "activations",
                "import sys, warnings\nwarnings.warn('a harmless warning')\nprint('to stderr', file=sys.stderr)",
            ),
            ok,
            FULL,
            FULL,
        ),
        # 24 awkward names
        '24_O\'Brien, "Zoë" 李': (solved(), ok, FULL, FULL),
    }


@pytest.fixture(scope="module")
def zoo(tmp_path_factory):
    root = tmp_path_factory.mktemp("zoo")
    canary = root / "outside" / "canary.txt"
    canary.parent.mkdir()
    canary.write_text("the canary's secret")
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    batch = root / "submissions"
    expected = {}
    for student, (notebook, *outcome) in cases(canary, listener.getsockname()[1]).items():
        path = batch / f"{student}.ipynb"
        if isinstance(notebook, str):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(notebook, encoding="utf-8")
        else:
            submissions.save(notebook, path)
        expected[student] = outcome
    runs, terminal = [], []
    for name in ("first", "second"):
        out = root / name
        done = run_cli(
            "grade",
            "a1_neurons",
            str(batch),
            "--out",
            str(out),
            "--workers",
            "2",
            "--timeout",
            "10",
            "--memory",
            "1",
            "--require-sandbox",
            timeout=1200,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        runs.append(out)
        terminal.append(done.stderr)
    listener.close()
    with open(runs[0] / "grades.csv", newline="", encoding="utf-8") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    return {
        "expected": expected,
        "grades": grades,
        "runs": runs,
        "terminal": terminal[0],
        "canary": canary,
        "accepted": accepted,
    }


def test_every_case_gets_a_row_and_its_expected_outcome(zoo):
    grades, expected = zoo["grades"], zoo["expected"]
    assert set(grades) == set(expected)
    wrong = []
    for student, (status, low, high) in expected.items():
        row = grades[student]
        score = float(row["score"])
        if row["status"] != status or not low <= score <= high:
            wrong.append(
                f"{student}: got {row['status']} {score:g} ({row['message']}), expected {status} {low:g}..{high:g}"
            )
    assert not wrong, "\n".join(wrong)


def test_the_terminal_shows_only_the_progress_bar(zoo):
    """However broken the notebooks, the instructor sees no warnings or tracebacks, just the bar."""
    lines = [line for line in zoo["terminal"].replace("\r", "\n").splitlines() if line.strip()]
    noise = [line for line in lines if not line.startswith("grading a1_neurons")]
    assert lines and not noise, noise[:5]
    assert f"{len(zoo['expected'])}/{len(zoo['expected'])}" in lines[-1]


def test_nothing_outside_the_sandbox_was_read_or_written(zoo):
    canary = zoo["canary"]
    assert canary.read_text() == "the canary's secret"
    assert not (canary.parent / "planted.txt").exists()


def test_no_network_connection_reached_the_host(zoo):
    assert zoo["accepted"] == []


def test_no_process_outlives_grading(zoo):
    leftovers = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if SLEEPER_MARK.encode() in cmdline.read_bytes():
                leftovers.append(cmdline.parent.name)
        except OSError:
            continue
    assert not leftovers, f"processes left behind: {leftovers}"


def test_messages_explain_the_failures(zoo):
    grades = zoo["grades"]
    assert "kernel died" in grades["16_os_exit"]["message"]
    assert "out of memory" in grades["17_memory_bomb"]["message"]
    assert "longer than 10 s" in grades["15_infinite_loop"]["message"]
    assert "ungradable" in grades["05_unrecognisable"]["message"]


def _scores(cells_csv) -> list[tuple[str, ...]]:
    with open(cells_csv, newline="", encoding="utf-8") as f:
        return [(r["student_id"], r["grade_id"], r["score"], r["max_score"], r["status"]) for r in csv.DictReader(f)]


def test_grading_twice_gives_identical_csvs(zoo):
    first, second = zoo["runs"]
    assert (first / "grades.csv").read_bytes() == (second / "grades.csv").read_bytes()
    # Scores and statuses are identical; which checks a forging thread happened to hit can differ by timing.
    assert _scores(first / "cells.csv") == _scores(second / "cells.csv")
