"""Through the CLI: feedback says why a test failed without revealing hidden tests, and a busy grading
machine cannot cost a correct solution its points."""

from __future__ import annotations

import csv
import re

import pytest

from tests import submissions
from tests.mutants import mutants, notebook

pytestmark = pytest.mark.slow


def _mutant(name: str):
    return next(m for m in mutants("a1_neurons") if m.name == name)


def _grade(cli, batch, out, *options):
    done = cli("grade", "a1_neurons", str(batch), "--out", str(out), *options, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return {row["student_id"]: row for row in csv.DictReader(f)}


def _test_item(page: str, grade_id: str) -> str:
    """The feedback's list item for one test cell."""
    return re.search(rf"<li class='\w+'>{grade_id}\b.*?</ul></li>|<li class='\w+'>{grade_id}\b.*?</li>", page).group(0)


def test_feedback_shows_the_visible_message_and_failed_hidden_checks_never_hidden_values(cli, tmp_path):
    batch = tmp_path / "submissions"
    submissions.save(notebook("a1_neurons", _mutant("step_strict")), batch / "wrong_step.ipynb")
    submissions.save(notebook("a1_neurons", _mutant("sigmoid_naive")), batch / "overflowing_sigmoid.ipynb")
    grades = _grade(cli, batch, tmp_path / "out")
    assert {sid: row["score"] for sid, row in grades.items()} == {"wrong_step": "14", "overflowing_sigmoid": "14"}

    step = _test_item((tmp_path / "out/feedback/wrong_step.html").read_text(encoding="utf-8"), "test_activations")
    assert "AssertionError: step: expected [0 0 1 1 1], got [0. 0. 0. 1. 1.]" in step  # the visible assert's message
    assert "not recorded, because the test stopped at the error above: <code>step_grid</code>" in step

    sigmoid = _test_item(
        (tmp_path / "out/feedback/overflowing_sigmoid.html").read_text(encoding="utf-8"), "test_activations"
    )
    assert "a hidden test raised RuntimeWarning" in sigmoid  # the kind of failure, not its message
    assert "<code>sigmoid_extreme</code>" in sigmoid  # the failed hidden check, by name
    for secret in ("1000", "1e3", "largest difference", "values differ", "overflow encountered"):
        assert secret not in sigmoid, f"the feedback reveals {secret!r}"  # hidden inputs, values, messages


def test_a_timeout_while_the_machine_is_busy_costs_a_correct_solution_nothing(cli, tmp_path):
    """A correct answer needing 6 s alone, graded beside notebooks that load every core four times over for 30 s.

    Its 10 s limit is generous alone, even on a machine that is busy with other work, and far too short
    beside the load; the re-run on its own must give it every point back.
    """
    batch = tmp_path / "submissions"
    slow_but_correct = submissions.prepend_to_answer(
        submissions.solved(),
        "formal_neuron",
        # it waits until the other notebooks have loaded the machine, then needs 2 s of CPU: 6 s alone
        "import time\ntime.sleep(4)\nstart = time.process_time()\nwhile time.process_time() - start < 2:\n    pass",
    )
    submissions.save(slow_but_correct, batch / "slow_but_correct.ipynb")
    load = (
        "import os, subprocess, sys\n"
        "busy = 'import time\\nend = time.time() + 30\\nwhile time.time() < end: pass'\n"
        "burners = [subprocess.Popen([sys.executable, '-c', busy], start_new_session=True) for _ in range(4 * os.cpu_count())]"
    )
    # Each burner gets a session of its own: Linux shares the CPU fairly between sessions (autogroups), so
    # only many sessions can crowd out the notebook under test, as many busy notebooks would.
    for name in ("load_1", "load_2"):  # each keeps its cells under the limit: they wait, the burners run
        nb = submissions.solved()
        for _ in range(6):  # each extra cell goes right after setup: the load cell, added last, runs first
            nb = submissions.with_extra_cell(nb, "import time\ntime.sleep(5)")
        nb = submissions.with_extra_cell(nb, load)
        submissions.save(nb, batch / f"{name}.ipynb")
    grades = _grade(cli, batch, tmp_path / "out", "--timeout", "10", "--workers", "3")
    slow = grades["slow_but_correct"]
    assert (slow["score"], slow["status"]) == ("18", "graded"), slow["message"]
    assert "ran out of time while other notebooks were grading, so it was graded again on its own" in slow["message"]
    assert grades["load_1"]["score"] == grades["load_2"]["score"] == "18"
