"""Unit tests: plain asserts instrumented and compared again by the grader; students' cells keep their place."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from autograder import cells
from autograder.assemble import assemble
from autograder.compare import compare
from autograder.instrument import instrument, recorder_source


def _run(source: str, namespace: dict | None = None) -> tuple[list[dict], Exception | None]:
    """Execute instrumented SOURCE with the recorder; the records it displayed and the error it raised."""
    records = []
    namespace = {"np": np, **(namespace or {})}
    exec(recorder_source(), namespace)
    namespace["_n2n_display"] = lambda data, raw: records.append(data["application/vnd.neurons-to-npus.check+json"])
    try:
        exec(instrument(source).source, namespace)
    except Exception as error:
        return records, error
    return records, None


@pytest.mark.parametrize(
    "source",
    [
        "assert f(2) == 4",
        "assert f(2) != 5, 'message'",
        "assert 3 < f(2) <= 4",
        "assert f(2) in [4, 5]",
        "assert f(None) is None",
        "assert np.allclose(f(np.arange(3.0)), [0, 1, 4], rtol=1e-3)",
        "assert all(np.isclose(f(np.arange(3.0)), [0, 1, 4]))",
        "np.testing.assert_allclose(f(np.arange(3.0)), [0, 1, 4])",
        "assert (f(1), f(2)) == (1, 4)",
    ],
)
def test_an_instrumented_assert_passes_as_before_and_the_grader_agrees(source):
    square = lambda x: None if x is None else x**2  # noqa: E731
    records, error = _run(source, {"f": square})
    assert error is None and instrument(source).basis == "recorded"
    assert len(records) == 1 and compare(records[0], records[0]) is None


@pytest.mark.parametrize(
    "source",
    [
        "assert f(2) == 5",
        "assert np.allclose(f(np.arange(3.0)), [0, 1, 5])",
        "np.testing.assert_allclose(f(np.arange(3.0)), [0, 1, 5])",
        "assert (f(1), f(2)) != (1, 4)",
    ],
)
def test_a_failing_assert_still_fails_in_the_kernel_and_in_the_grader(source):
    records, error = _run(source, {"f": lambda x: x**2})
    assert isinstance(error, AssertionError)
    assert len(records) == 1 and compare(records[0], records[0]) is not None


def test_a_patched_allclose_passes_the_kernel_but_not_the_grader():
    records, error = _run(
        "assert np.allclose(np.array([1.0]), [2.0])",
        {"np": type("np", (), {"allclose": staticmethod(lambda *a, **k: True), "array": np.array})},
    )
    assert error is None  # the student's kernel was fooled
    assert compare(records[0], records[0]) == "the assertion does not hold for the recorded values"


def test_instrumentation_keeps_every_line_in_place():
    source = 'x = 1\nassert x == [\n    1\n][0], (\n  "msg"\n)\nassert x < 2\n'
    rewritten = instrument(source, hidden_lines=[7]).source
    assert rewritten.count("\n") == source.count("\n")
    assert rewritten.splitlines()[6].startswith("_n2n_compare('hidden assert 2'")  # the hidden input stays hidden


@pytest.mark.parametrize(
    "source, reason",
    [
        ("try:\n    f(0)\nexcept ValueError:\n    pass\n", "try/except"),
        ("assert isinstance(f(1), int)\n", "line 1: an assert of a form"),
        ("x = 1\n", "no assert"),
        ("%time f(1)\n", "not plain Python"),
    ],
)
def test_what_cannot_be_instrumented_stays_on_the_kernel_basis(source, reason):
    result = instrument(source)
    assert result.basis == "kernel" and result.source == source and reason in result.reason


def test_a_cell_added_after_the_last_test_runs_after_it():
    """Order fidelity: an added cell keeps its place among the instructor's cells."""

    def cell(kind, source, **flags):
        made = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        if flags:
            made.metadata["nbgrader"] = {"schema_version": 3, **flags}
        return made

    source = nbformat.v4.new_notebook()
    source.cells = [
        cell(
            "code",
            "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION",
            grade_id="answer",
            solution=True,
        ),
        cell("code", "assert f() == 1", grade_id="test_one", grade=True, points=1),
        cell("code", "assert f() + 1 == 2", grade_id="test_two", grade=True, points=1),
    ]
    student = nbformat.v4.new_notebook()
    student.cells = [
        cell("code", "def f():\n    return 1", grade_id="answer", solution=True),
        cell("code", "print('between')"),
        cell("code", "assert f() == 1", grade_id="test_one", grade=True, points=1),
        cell("code", "assert f() + 1 == 2", grade_id="test_two", grade=True, points=1),
        cell("code", "huge_experiment()"),
    ]
    order = [cells.grade_id(c) or c.source.splitlines()[0] for c in assemble(source, student).cells[2:]]
    assert order == ["answer", "print('between')", "test_one", "test_two", "huge_experiment()"]
