"""Compare a student's recorded value with the instructor's, outside the student's process.

The options (tolerances, comparison kind, context data) always come from the instructor's
reference record, never from the student's.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from autograder.assert_recorder import _N2N_OPS as ASSERT_OPS  # the very operators the kernel applied
from autograder.instrument import TESTING
from autograder.records import decode, unrecordable

Comparator = Callable[[object, object, dict], str | None]  # returns None when they agree


def _as_numbers(value) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"expected numbers, got {array.dtype}")
    return array.astype(np.float64)


def _dtype_differs(got: np.dtype, want: np.dtype, how) -> bool:
    """dtype="kind" asks only for integers vs floats (int32 is as good as int64); True asks for the exact dtype."""
    if how == "kind":
        return got.kind.replace("u", "i") != want.kind.replace("u", "i")
    return got != want


def _allclose(student, reference, options: dict) -> str | None:
    if isinstance(reference, dict):
        if not isinstance(student, dict) or set(student) != set(reference):
            return "expected a dict with keys " + ", ".join(sorted(reference))
        for key in reference:
            problem = _allclose(student[key], reference[key], options)
            if problem:
                return f"[{key}] {problem}"
        return None
    if isinstance(reference, str) or reference is None:
        return None if student == reference else "value differs"
    got, want = _as_numbers(student), _as_numbers(reference)
    if got.shape != want.shape:
        return f"shape {got.shape}, expected {want.shape}"
    if options.get("dtype") and _dtype_differs(
        np.asarray(student).dtype, np.asarray(reference).dtype, options["dtype"]
    ):
        return f"dtype {np.asarray(student).dtype}, expected {np.asarray(reference).dtype}"
    rtol, atol = float(options.get("rtol", 1e-5)), float(options.get("atol", 1e-8))
    if not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
        return f"values differ (largest difference {np.nanmax(np.abs(got - want)):.3g})"
    return None


def _equal(student, reference, options: dict) -> str | None:
    return _allclose(student, reference, {**options, "rtol": 0.0, "atol": 0.0})


def _separates(student, reference, options: dict) -> str | None:
    """The student's {'w', 'b'} classifies the reference data X, y (labels 0/1) perfectly."""
    X, y = _as_numbers(options["X"]), _as_numbers(options["y"])
    w, b = _as_numbers(student["w"]).reshape(-1), float(_as_numbers(student["b"]))
    predicted = (X @ w + b >= 0).astype(np.float64)
    wrong = int(np.sum(predicted != y))
    return None if wrong == 0 else f"{wrong} of {len(y)} points on the wrong side"


def _step_network(student, reference, options: dict) -> str | None:
    """The student's two-layer unit-step network {'W1', 'b1', 'w2', 'b2'} computes y on X."""
    X, y = _as_numbers(options["X"]), _as_numbers(options["y"])
    W1, b1 = _as_numbers(student["W1"]).reshape(-1, X.shape[1]), _as_numbers(student["b1"]).reshape(-1)
    w2, b2 = _as_numbers(student["w2"]).reshape(-1), float(_as_numbers(student["b2"]))
    hidden = (X @ W1.T + b1 >= 0).astype(np.float64)
    wrong = int(np.sum((hidden @ w2 + b2 >= 0) != y))
    return None if wrong == 0 else f"wrong output on {wrong} of {len(y)} inputs"


def _between(student, reference, options: dict) -> str | None:
    """A number (or every number of an array) within [low, high]; for values that vary run to run."""
    got = _as_numbers(student)
    low, high = float(options.get("low", -np.inf)), float(options.get("high", np.inf))
    if got.size == 0 or not np.all(np.isfinite(got)):
        return "expected finite numbers"
    if np.all((got >= low) & (got <= high)):
        return None
    return f"{got.min():.4g} to {got.max():.4g} is outside [{low:.4g}, {high:.4g}]"


def _fraction_correct(student, options: dict) -> float:
    got, y = _as_numbers(student).reshape(-1), _as_numbers(options["y"]).reshape(-1)
    if got.shape != y.shape:
        raise ValueError(f"{got.size} predictions, expected {y.size}")
    return float(np.mean(got == y))


def _accuracy(student, reference, options: dict) -> str | None:
    """Predicted labels that match the instructor's labels y on at least a fraction `min` of points."""
    try:
        accuracy = _fraction_correct(student, options)
    except ValueError as exc:
        return str(exc)
    need = float(options["min"])
    return None if accuracy >= need else f"accuracy {accuracy:.3f}, need at least {need:.3f}"


def _one_of(student, reference, options: dict) -> str | None:
    return None if student in list(options["choices"]) else f"{student!r} is not one of {options['choices']}"


ASSERT_CALLS = {
    "allclose": np.allclose,
    "isclose": np.isclose,
    "array_equal": np.array_equal,
    "array_equiv": np.array_equiv,
    "math.isclose": math.isclose,
}
ASSERT_TESTING = {name: getattr(np.testing, name) for name in TESTING}


def _assertion(student, reference, options: dict) -> str | None:
    """An instrumented assert of the instructor's, repeated here on the values the student's run recorded."""
    if not isinstance(student, list) or len(student) != len(reference):
        return f"expected {len(reference)} recorded values"
    if unrecordable(student):
        return "a compared value could not be recorded, so the grader cannot repeat the comparison"
    form, kwargs = options.get("form"), options.get("kwargs") or {}
    if form == "compare":
        ops = options["ops"]
        holds = all(bool(ASSERT_OPS[op](a, b)) for op, a, b in zip(ops, student, student[1:], strict=False))
    elif form == "call":
        result = ASSERT_CALLS[options["name"]](*student, **kwargs)
        holds = bool(np.all(result)) if options.get("reduce") == "all" else bool(result)
    elif form == "testing":
        try:
            ASSERT_TESTING[options["name"]](*student, **kwargs)
            holds = True
        except AssertionError:
            holds = False
    else:
        return f"unknown assert form {form!r}"
    return None if holds else "the assertion does not hold for the recorded values"


COMPARATORS: dict[str, Comparator] = {
    "assert": _assertion,
    "between": _between,
    "accuracy": _accuracy,
    "one_of": _one_of,
    "allclose": _allclose,
    "equal": _equal,
    "separates": _separates,
    "step_network": _step_network,
}


def compare(student_record: dict, reference_record: dict) -> str | None:
    """None when the student's value matches the reference, else a short reason."""
    options = decode(reference_record.get("options") or {})
    kind = options.get("compare", "allclose")
    comparator = COMPARATORS.get(kind)
    if comparator is None:
        return f"unknown comparison {kind!r} in the instructor's test"
    try:
        return comparator(decode(student_record.get("value")), decode(reference_record.get("value")), options)
    except Exception as exc:  # a malformed student value fails the check; it never crashes the grader
        return f"unreadable value ({type(exc).__name__})"


def leaderboard_entry(student_record: dict, reference_record: dict) -> tuple[str, float] | None:
    """(name, value) when the instructor's check carries leaderboard=NAME, else None.

    For compare="accuracy" the value is the accuracy the grader computes from the predictions, so a
    student cannot claim a score; any other check contributes the student's own number.
    """
    options = decode(reference_record.get("options") or {})
    name = options.get("leaderboard")
    if not isinstance(name, str):
        return None
    value = decode(student_record.get("value"))
    try:
        number = (
            _fraction_correct(value, options) if options.get("compare") == "accuracy" else float(_as_numbers(value))
        )
    except (TypeError, ValueError):  # not a single number: nothing to rank
        return None
    return (name, number) if np.isfinite(number) else None
