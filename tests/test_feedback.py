"""Fair scores and feedback that teaches: points per check, safe error messages, timeouts, extra cells."""

from __future__ import annotations

import csv
import io

import nbformat
import pytest

from autograder.assemble import assemble, hidden_line_numbers, strip_hidden_markers
from autograder.course import UsageError
from autograder.grade import alone_regrade
from autograder.pipeline import Reference, StudentResult, _check_split
from autograder.score import CellScore, error_line, score_cell, score_notebook, student_error
from autograder.write import cells_csv, feedback_html
from tests.test_steps import display, graded_cell, record

HIDDEN_SOURCE = """\
x = f(2)
assert x == 4, "f(2) must be 4"
check("visible", x)
### BEGIN HIDDEN TESTS
secret = f(12345)
assert secret == 24690
check("hidden_big", secret, hint="does f scale to large inputs?")
### END HIDDEN TESTS
"""


def error(ename, evalue, line, count=1):
    """An error output as IPython writes it: ANSI colours, the cell's frame, then the message."""
    frame = f"\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[{count}]\x1b[39m\x1b[32m, line {line}\x1b[39m\n..."
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=["---", frame, f"{ename}: {evalue}"])


def test_hidden_lines_are_numbered_as_the_executed_cell_shows_them():
    lines = hidden_line_numbers(HIDDEN_SOURCE)
    executed = strip_hidden_markers(HIDDEN_SOURCE).splitlines()
    assert [executed[n - 1] for n in lines] == [
        "secret = f(12345)",
        "assert secret == 24690",
        'check("hidden_big", secret, hint="does f scale to large inputs?")',
    ]
    assert hidden_line_numbers("check('a', 1)\n") == []


def test_a_visible_asserts_message_reaches_the_student_a_hidden_ones_does_not():
    hidden = hidden_line_numbers(HIDDEN_SOURCE)
    visible_fail = graded_cell([error("AssertionError", "f(2) must be 4", line=2)])
    assert error_line(visible_fail) == 2
    assert student_error(visible_fail, hidden) == "AssertionError: f(2) must be 4"
    hidden_fail = graded_cell([display(record("visible", 4)), error("AssertionError", "24691 != 24690", line=5)])
    assert student_error(hidden_fail, hidden) == "a hidden test raised AssertionError"
    unknown_frame = graded_cell([nbformat.v4.new_output("error", ename="ValueError", evalue="12345", traceback=[])])
    assert student_error(unknown_frame, hidden) == "a hidden test raised ValueError"  # when in doubt, reveal nothing
    assert student_error(unknown_frame, []) == "ValueError: 12345"  # a cell without hidden tests hides nothing


def test_failed_checks_say_what_kind_of_failure_with_the_hint():
    ref = [record("visible", 4), record("hidden_big", 24690, hint="does f scale to large inputs?")]
    cell = graded_cell([display(record("visible", 4)), display(record("hidden_big", 24691))])
    score = score_cell(cell, ref, 2, hidden_line_numbers(HIDDEN_SOURCE))
    assert score.score == 0 and score.status == "failed"
    results = {c["key"]: c for c in score.checks}
    assert results["visible"]["result"] == "passed"
    assert results["hidden_big"]["result"] == "wrong value"
    assert results["hidden_big"]["hint"] == "does f scale to large inputs?"
    missing = score_cell(graded_cell([display(record("visible", 4))]), ref, 2)
    assert {c["key"]: c["result"] for c in missing.checks}["hidden_big"] == "not recorded"


def test_points_per_check_are_earned_independently_even_before_an_error():
    ref = [record("a", 1.0, points=1), record("b", 2.0, points=2), record("c", 3.0, points=3)]
    cell = graded_cell([display(record("a", 1.0)), display(record("b", 2.5)), error("ValueError", "boom", line=9)])
    score = score_cell(cell, ref, 6)
    assert score.score == 1 and score.status == "failed"
    assert [(c["key"], c["result"], c["earned"]) for c in score.checks] == [
        ("a", "passed", 1.0),
        ("b", "wrong value", 0.0),
        ("c", "not recorded", 0.0),
    ]
    every = graded_cell([display(record("a", 1.0)), display(record("b", 2.0)), display(record("c", 3.0))])
    assert score_cell(every, ref, 6).score == 6
    forged = graded_cell([display(record("a", 1.0)), display(record("a", 1.0))])
    assert score_cell(forged, ref, 6).score == 0  # a duplicated record earns nothing, split or not


def test_an_all_or_nothing_cell_stays_all_or_nothing():
    ref = [record("a", 1.0), record("b", 2.0)]
    assert score_cell(graded_cell([display(record("a", 1.0)), display(record("b", 2.1))]), ref, 5).score == 0


@pytest.mark.parametrize(
    ("records", "points", "reason"),
    [
        ([record("a", 1, points=1), record("b", 2)], 3, "every check"),
        ([record("a", 1, points=1), record("b", 2, points=1)], 3, "share 2 points, but the cell has 3"),
        ([record("a", 1, points="two"), record("b", 2, points=1)], 3, "every check"),
    ],
)
def test_a_split_that_does_not_add_up_is_the_instructors_error(records, points, reason):
    with pytest.raises(UsageError, match=reason):
        _check_split("a1", "test_x", records, points)
    _check_split("a1", "test_x", [record("a", 1, points=1), record("b", 2, points=2)], 3)  # a good split


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_a_timed_out_cell_is_named_and_later_failures_point_to_it():
    answer = nbformat.v4.new_code_cell("train()", metadata={"nbgrader": {"solution": True, "grade_id": "train"}})
    extra = nbformat.v4.new_code_cell("while True: pass", metadata={"autograder": {"extra_after": "train"}})
    extra.outputs, extra.execution_count = [error("KeyboardInterrupt", "", line=1, count=3)], 3
    test = graded_cell([error("NameError", "name 'model' is not defined", line=1, count=4)], gid="test_train")
    test.execution_count = 4
    scores = score_notebook(_notebook(answer, extra, test), {"test_train": [record("m", 1)]}, {"test_train": 2})
    assert "your extra cell after train ran longer than the time limit" in scores[0].feedback
    assert scores[0].feedback.startswith("NameError")
    interrupted = graded_cell([error("KeyboardInterrupt", "", line=1)])
    assert "ran longer than the time limit" in score_cell(interrupted, [record("m", 1)], 2).feedback


def test_a_notebook_timeout_tells_the_tests_that_never_ran():
    test = graded_cell([], gid="test_late")
    test.execution_count = None
    scores = score_notebook(_notebook(test), {"test_late": [record("m", 1)]}, {"test_late": 2}, {}, "ran 600 s")
    assert scores[0].status == "not run" and scores[0].feedback == "the test never ran: ran 600 s"


def test_feedback_shows_messages_checks_hints_and_extra_cells_but_no_hidden_values():
    reference = Reference("a1_neurons", {"test_a": 2.0, "test_h": 3.0}, {}, hidden=["test_h"])
    checks = [
        {
            "key": "hidden_big",
            "result": "wrong value",
            "points": None,
            "earned": 0,
            "hint": "large inputs?",
            "detail": "values differ (largest difference 1)",
        },
    ]
    result = StudentResult(
        "s1",
        "a1_neurons",
        0.0,
        5.0,
        "graded",
        "",
        cells=[
            CellScore(
                "test_a", 0, 2, "failed", "AssertionError: f(2) must be 4", feedback="AssertionError: f(2) must be 4"
            ),
            CellScore(
                "test_h", 0, 3, "failed", "check 'hidden_big': values differ (largest difference 1)", checks=checks
            ),
        ],
        answers={"f": "def f(x):\n    return helper(x)"},
        extras={"": ["import math"], "f": ["def helper(x):\n    return 2 * x"]},
    )
    page = feedback_html(result, reference)
    assert "AssertionError: f(2) must be 4" in page
    assert "<code>hidden_big</code>: wrong value. Hint: large inputs?" in page
    assert "largest difference" not in page  # the comparison's detail could hint at a hidden value
    assert "Your extra cell after f" in page and "return 2 * x" in page and "import math" in page
    row = next(r for r in csv.DictReader(io.StringIO(cells_csv([result]))) if r["grade_id"] == "test_h")
    assert row["checks"] == "hidden_big: wrong value" and "largest difference" in row["message"]


def test_extra_cells_are_tagged_with_the_answer_they_follow():
    source = nbformat.v4.new_notebook()
    source.cells = [
        nbformat.v4.new_code_cell(
            "### BEGIN SOLUTION\n### END SOLUTION", metadata={"nbgrader": {"solution": True, "grade_id": "f"}}
        )
    ]
    student = nbformat.v4.new_notebook()
    student.cells = [
        nbformat.v4.new_code_cell("def f(): pass", metadata={"nbgrader": {"solution": True, "grade_id": "f"}}),
        nbformat.v4.new_code_cell("helper = 1"),
    ]
    out = assemble(source, student)
    assert out.cells[-1].metadata["autograder"] == {"extra_after": "f"}


def _result(score, status, message=""):
    return StudentResult("s", "a6_quest", score, 20.0, status, message)


def test_a_timeout_regraded_alone_keeps_the_better_run_and_says_why():
    busy, alone = _result(14, "timeout", "a cell ran longer than 60 s"), _result(20, "graded")
    best = alone_regrade(busy, alone)
    assert best.score == 20 and best.status == "graded"
    assert "graded again on its own" in best.message
    still = alone_regrade(_result(14, "timeout"), _result(12, "timeout", "a cell ran longer than 60 s"))
    assert still.score == 14 and "also ran out of time when graded again on its own" in still.message


def test_the_trusted_source_is_bounded_only_by_the_notebook_limit(monkeypatch):
    """The instructor's notebook runs beside the first submissions; a busy machine must not stop the batch."""
    from autograder import pipeline
    from autograder.course import COURSE_DIR, find_assignment
    from autograder.execute import Execution, RunConfig
    from autograder.limits import Limits

    seen = []

    def fake_execute(nb, config, data=None):
        seen.append(config.limits)
        return Execution(nb, "error", "stop here")

    monkeypatch.setattr(pipeline, "execute", fake_execute)
    config = RunConfig(limits=Limits(cell_timeout=60, notebook_timeout=900))
    with pytest.raises(UsageError, match="stop here"):
        pipeline.build_reference(find_assignment("a1_neurons", COURSE_DIR), config)
    assert seen[0].cell_timeout == 900 and seen[0].notebook_timeout == 900
