"""Unit tests: each autograder step on its own, without starting a kernel."""

from __future__ import annotations

import csv
import io
import json
import sys
import types
import warnings
import zipfile

import nbformat
import numpy as np
import pytest

from autograder import cells
from autograder.assemble import MISSING_SOLUTION, assemble, helper_source, strip_hidden_markers
from autograder.collect import collect, extract_zip
from autograder.compare import compare
from autograder.course import COURSE_DIR, UsageError, assignment_names, find_assignment
from autograder.device import cuda_device_count, resolve_device
from autograder.load import InvalidNotebook, load_notebook
from autograder.notebook_helpers import _plain
from autograder.pipeline import Reference, StudentResult
from autograder.records import CHECK_MIME, cell_records, decode
from autograder.score import CellScore, score_cell
from autograder.write import feedback_html, grades_csv
from tests import submissions


def record(key, value, **options):
    return {"key": key, "value": _plain(value), "options": _plain(options)}


def graded_cell(outputs, gid="test_x"):
    cell = nbformat.v4.new_code_cell(
        "", metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": gid, "points": 2}}
    )
    cell.outputs, cell.execution_count = outputs, 1
    return cell


def display(rec):
    return nbformat.v4.new_output("display_data", data={CHECK_MIME: rec, "text/plain": ""})


# --- cells ---------------------------------------------------------------------------------


def test_cells_reads_nbgrader_metadata():
    nb = submissions.source()
    tests = cells.test_cells(nb)
    assert tests == {
        "test_formal_neuron": 3,
        "test_activations": 4,
        "test_perceptron": 4,
        "test_xor": 3,
        "test_boolean_network": 4,
    }
    assert [cells.grade_id(c) for c in nb.cells if cells.is_solution(c)] == [
        "formal_neuron",
        "activations",
        "perceptron",
        "xor_weights",
        "boolean_network",
    ]


# --- load ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"{not json", "not valid notebook JSON"),
        (b"PK\x03\x04rest", "zip archive"),
        (b'{"a": 1}', "not a version-4"),
        (b"\xff\xfe\x00", "not valid notebook JSON"),
    ],
)
def test_load_rejects_bad_files_with_one_line(tmp_path, content, reason):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(InvalidNotebook) as err:
        load_notebook(path)
    assert reason in str(err.value) and "\n" not in str(err.value)


def test_load_upgrades_nbformat_4_0_colab_notebook(tmp_path):
    nb = submissions.solved()
    data = json.loads(nbformat.writes(nb))
    data["nbformat_minor"] = 0
    data["metadata"]["colab"] = {"provenance": []}
    for c in data["cells"]:
        c.pop("id", None)
        c["metadata"]["id"] = "colab-id"
    path = tmp_path / "colab.ipynb"
    path.write_text(json.dumps(data))
    loaded = load_notebook(path)
    assert loaded.nbformat_minor == 5
    assert len({c.id for c in loaded.cells}) == len(loaded.cells)
    assert cells.grade_id(loaded.cells[4]) == "formal_neuron"


def test_load_repairs_duplicate_missing_and_invalid_cell_ids_quietly(tmp_path):
    data = json.loads(nbformat.writes(submissions.solved()))
    for c in data["cells"]:
        c["id"] = "same"
    data["cells"][1]["id"] = "not a valid id!"
    del data["cells"][2]["id"]
    data["cells"][3]["id"] = "cell-0"  # a valid id that a repair must not reuse
    data["cells"][4]["id"] = ["not", "a", "string"]
    path = tmp_path / "ids.ipynb"
    path.write_text(json.dumps(data))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nbformat's own repair would warn once per cell
        loaded = load_notebook(path)
    ids = [c.id for c in loaded.cells]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "same" and ids[3] == "cell-0"
    assert ids == [c.id for c in load_notebook(path).cells]  # the same file, the same ids


# --- assemble ------------------------------------------------------------------------------


def test_assemble_restores_edited_and_deleted_test_cells():
    student = submissions.solved()
    for c in student.cells:
        if cells.grade_id(c) == "test_activations":
            c.source = "pass  # tests edited away"
    student.cells = [c for c in student.cells if cells.grade_id(c) != "test_xor"]
    built = assemble(submissions.source(), student)
    by_id = {cells.grade_id(c): c for c in built.cells}
    assert "tests edited away" not in by_id["test_activations"].source
    assert "sigmoid_extreme" in by_id["test_activations"].source  # hidden tests are back
    assert "BEGIN HIDDEN TESTS" not in by_id["test_activations"].source
    assert "xor_network" in by_id["test_xor"].source


def test_assemble_takes_student_answers_and_first_duplicate():
    student = submissions.with_answer(submissions.solved(), "perceptron", "def perceptron_train(X, t): return 'mine'")
    duplicate = nbformat.from_dict(next(c for c in student.cells if cells.grade_id(c) == "perceptron"))
    duplicate.source = "def perceptron_train(X, t): return 'second copy'"
    student.cells.append(duplicate)
    built = assemble(submissions.source(), student)
    answers = [c.source for c in built.cells if cells.grade_id(c) == "perceptron"]
    assert answers == ["def perceptron_train(X, t): return 'mine'"]


def test_assemble_keeps_extra_cells_after_their_answer_and_fills_missing_answers():
    student = submissions.solved()
    index = next(i for i, c in enumerate(student.cells) if cells.grade_id(c) == "activations")
    student.cells.insert(index + 1, nbformat.v4.new_code_cell("HELPER = 42"))
    student.cells = [c for c in student.cells if cells.grade_id(c) != "boolean_network"]
    built = assemble(submissions.source(), student)
    sources = [c.source for c in built.cells]
    position = sources.index("HELPER = 42")
    assert cells.grade_id(built.cells[position - 1]) == "activations"
    assert next(c.source for c in built.cells if cells.grade_id(c) == "boolean_network") == MISSING_SOLUTION


def test_assemble_replaces_helper_cell_and_clears_outputs():
    student = submissions.solved()
    built = assemble(submissions.source(), student)
    helper = next(c for c in built.cells if cells.grade_id(c) == cells.HELPER_GRADE_ID)
    assert helper.source == helper_source()
    assert all(not c.get("outputs") for c in built.cells if c.cell_type == "code")
    assert len({c.id for c in built.cells}) == len(built.cells)


def test_strip_hidden_markers_keeps_code():
    text = "a = 1\n### BEGIN HIDDEN TESTS\nb = 2\n### END HIDDEN TESTS\n"
    assert strip_hidden_markers(text) == "a = 1\nb = 2\n"


def test_executor_knows_the_check_mime_type():
    from autograder import kernel_run

    assert kernel_run.CHECK_MIME == CHECK_MIME  # the executor cannot import the package in the sandbox


def test_limit_outputs_keeps_records_and_truncates_floods():
    from autograder.kernel_run import limit_outputs

    flood = [nbformat.v4.new_output("stream", name="stdout", text="x" * 10_000) for _ in range(500)]
    cell = graded_cell(flood[:250] + [display(record("a", 1.0))] + flood[250:])
    limit_outputs(cell)
    assert [r["key"] for r in cell_records(cell)] == ["a"]
    assert sum(len(o.get("text", "")) for o in cell.outputs) < 200_000


@pytest.mark.parametrize("name", assignment_names(COURSE_DIR))
def test_source_helper_cells_match_the_shipped_helper(name):
    nb = submissions.source(name)
    helper = next(c for c in nb.cells if cells.grade_id(c) == cells.HELPER_GRADE_ID)
    assert helper.source.strip() == helper_source().strip()


def test_submit_check_reports_passing_failing_unfinished_missing_and_duplicated(capsys):
    def test_cell(grade_id, code):
        cell = nbformat.v4.new_code_cell(code)
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 1}
        return cell

    nb = nbformat.v4.new_notebook(
        cells=[
            test_cell("t_ok", "check('a', 1.0)\nassert answer() == 42"),
            test_cell("t_fail", "assert answer() == 41, 'expected 41'"),
            test_cell("t_todo", "todo()"),
            test_cell("t_fail", "assert answer() == 41, 'expected 41'"),
        ]
    )
    recorded = []
    namespace = {"answer": lambda: 42, "check": lambda *a, **k: recorded.append(a)}

    def todo():
        raise NotImplementedError()

    namespace["todo"] = todo
    helpers = {}
    exec(helper_source(), helpers)
    helpers["_display"] = lambda record, raw: recorded.append(record)  # what the kernel would show
    namespace["check"] = helpers["check"]
    results = helpers["submit_check"](["t_ok", "t_fail", "t_todo", "t_gone"], notebook=nb, namespace=namespace)
    out = capsys.readouterr().out
    assert {k: state for k, (state, _) in results.items()} == {"t_ok": "ok", "t_fail": "fail", "t_todo": "todo"}
    assert "AssertionError: expected 41" in out
    assert "missing: t_gone" in out and "duplicated: t_fail" in out
    assert recorded == [], "re-running the tests must not record check() values a second time"
    helpers["check"]("k", 1.0)
    assert len(recorded) == 1, "check() records again once submit_check() is done"


# --- records and compare -------------------------------------------------------------------


def test_plain_and_decode_round_trip_arrays_and_special_floats():
    value = {"w": np.array([[1.0, np.nan], [np.inf, -2.0]]), "n": 3, "ok": True, "f": float("-inf")}
    back = decode(json.loads(json.dumps(_plain(value))))
    assert back["w"].shape == (2, 2) and np.isnan(back["w"][0, 1]) and back["w"][1, 0] == np.inf
    assert back["n"] == 3 and back["ok"] is True and back["f"] == float("-inf")


def test_plain_refuses_objects_that_could_lie():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    with pytest.raises(TypeError):
        _plain(AlwaysEqual())
    with pytest.raises(TypeError):
        _plain(np.array([AlwaysEqual()], dtype=object))


def test_compare_allclose_uses_the_references_tolerance_not_the_students():
    ref = record("k", np.array([1.0, 2.0]), rtol=1e-6)
    assert compare(record("k", np.array([1.0, 2.0 + 1e-9])), ref) is None
    cheat = record("k", np.array([1.0, 2.5]), rtol=1e9)
    assert "differ" in compare(cheat, ref)
    assert "shape" in compare(record("k", np.array([1.0])), ref)


def test_compare_equal_and_dtype():
    ref = record("k", np.array([0, 1, 1]), compare="equal")
    assert compare(record("k", np.array([0, 1, 1])), ref) is None
    assert compare(record("k", np.array([0, 1, 0])), ref) is not None
    typed = record("k", np.array([1, 2], dtype=np.int8), dtype=True)
    assert compare(record("k", np.array([1, 2], dtype=np.int64)), typed).startswith("dtype")
    kind = record("k", np.array([1, 2], dtype=np.int64), compare="equal", dtype="kind")
    assert compare(record("k", np.array([1, 2], dtype=np.int32)), kind) is None
    assert compare(record("k", np.array([1.0, 2.0])), kind).startswith("dtype")


def test_compare_between_accuracy_and_one_of_take_bounds_from_the_reference():
    bounded = record("k", 5.0, compare="between", low=1.0, high=10.0)
    assert compare(record("k", 7.5), bounded) is None
    assert "outside" in compare(record("k", 0.5), bounded)
    assert compare(record("k", float("nan")), bounded) is not None
    assert compare(record("k", 7.5, compare="between", low=8.0), bounded) is None, "the student's options are ignored"
    labels = np.array([0, 1, 2, 3])
    acc = record("k", labels, compare="accuracy", y=labels, min=0.75)
    assert compare(record("k", np.array([0, 1, 2, 0])), acc) is None
    assert "accuracy 0.500" in compare(record("k", np.array([0, 1, 0, 0])), acc)
    assert compare(record("k", np.array([0, 1])), acc).startswith("2 predictions")
    choice = record("k", "memory", compare="one_of", choices=["memory", "compute"])
    assert compare(record("k", "compute"), choice) is None
    assert compare(record("k", "both"), choice) is not None


def test_compare_separates_checks_the_references_data():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    ref = record("k", {"w": np.array([1.0, 1.0]), "b": -1.0}, compare="separates", X=X, y=np.array([0, 1]))
    assert compare(record("k", {"w": np.array([2.0, 2.0]), "b": -1.0}), ref) is None
    wrong = record("k", {"w": np.array([-1.0, -1.0]), "b": 1.0}, compare="separates", X=X, y=np.array([1, 0]))
    assert "wrong side" in compare(wrong, ref)  # the student's own X, y are ignored


def test_compare_step_network_computes_outside_the_notebook():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    xor = {
        "W1": np.array([[1.0, 1.0], [-1.0, -1.0]]),
        "b1": np.array([-0.5, 1.5]),
        "w2": np.array([1.0, 1.0]),
        "b2": -1.5,
    }
    ref = record("k", xor, compare="step_network", X=X, y=np.array([0, 1, 1, 0]))
    assert compare(record("k", xor), ref) is None
    assert "wrong output" in compare(record("k", {**xor, "b2": -0.5}), ref)


@pytest.mark.parametrize(
    "value",
    [{"__array__": [1], "dtype": "object"}, {"__array__": [1, 2], "shape": [5]}, {"nope": 1}, "text", None],
)
def test_compare_survives_malformed_student_values(value):
    ref = record("k", np.array([1.0]))
    assert compare({"key": "k", "value": value}, ref) is not None


# --- score ---------------------------------------------------------------------------------


def test_score_cell_passes_only_when_every_check_matches_once():
    ref = [record("a", 1.0), record("b", 2.0)]
    assert score_cell(graded_cell([display(record("a", 1.0)), display(record("b", 2.0))]), ref, 2).score == 2
    assert score_cell(graded_cell([display(record("a", 1.0))]), ref, 2).status == "failed"
    forged = [display(record("a", 1.0)), display(record("b", 2.0)), display(record("b", 2.0))]
    assert "recorded 2 times" in score_cell(graded_cell(forged), ref, 2).message
    errored = [
        display(record("a", 1.0)),
        display(record("b", 2.0)),
        nbformat.v4.new_output("error", ename="AssertionError", evalue="no", traceback=[]),
    ]
    assert score_cell(graded_cell(errored), ref, 2).score == 0


def test_cell_records_ignore_other_outputs():
    cell = graded_cell([nbformat.v4.new_output("stream", name="stderr", text="warning"), display(record("a", 1))])
    assert [r["key"] for r in cell_records(cell)] == ["a"]
    cell = graded_cell([nbformat.v4.new_output("stream", name="stderr", text="warning"), display(record("a", 1.0))])
    assert score_cell(cell, [record("a", 1.0)], 1).score == 1  # stderr warnings cost nothing


# --- collect -------------------------------------------------------------------------------


def test_collect_layouts_and_non_notebooks(tmp_path):
    nb = nbformat.writes(submissions.release())
    (tmp_path / "alice.ipynb").write_text(nb)
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "Copy of a1_neurons.ipynb").write_text(nb)
    (tmp_path / "carol.txt").write_text("hello")
    (tmp_path / "dave").mkdir()
    (tmp_path / ".DS_Store").write_text("")
    found = {s.student_id: s for s in collect(tmp_path)}
    assert sorted(found) == ["alice", "bob", "carol", "dave"]
    assert found["bob"].path.name == "Copy of a1_neurons.ipynb"
    assert found["carol"].path is None and "not a notebook" in found["carol"].note
    assert found["dave"].path is None


def test_collect_newest_notebook_wins_with_a_note(tmp_path):
    import os

    folder = tmp_path / "erin"
    folder.mkdir()
    for name, mtime in [("old.ipynb", 1_000), ("new.ipynb", 2_000)]:
        (folder / name).write_text("{}")
        os.utime(folder / name, (mtime, mtime))
    (sub,) = collect(tmp_path)
    assert sub.path.name == "new.ipynb" and "2 notebooks" in sub.note


def test_extract_zip_refuses_paths_outside(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../escape.ipynb", "{}")
    with pytest.raises(UsageError):
        extract_zip(archive, tmp_path / "out")
    assert not (tmp_path / "escape.ipynb").exists()


# --- course, device ------------------------------------------------------------------------


def test_unknown_assignment_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown assignment 'a9'"):
        find_assignment("a9")


def test_device_resolution_without_cuda(monkeypatch):
    monkeypatch.setattr("autograder.device.cuda_device_count", lambda: 0)
    assert resolve_device("auto") == "cpu"
    assert resolve_device("cpu") == "cpu"
    with pytest.raises(UsageError, match="no CUDA device"):
        resolve_device("cuda")
    with pytest.raises(UsageError, match="unknown device"):
        resolve_device("tpu")


def test_device_resolution_with_cuda(monkeypatch):
    monkeypatch.setattr("autograder.device.cuda_device_count", lambda: 2)
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cuda:1") == "cuda:1"
    with pytest.raises(UsageError, match="only 2"):
        resolve_device("cuda:2")


def test_cuda_count_asks_torch_only_when_a_gpu_shows(monkeypatch):
    class FakeCuda:
        calls = 0

        @classmethod
        def is_available(cls):
            cls.calls += 1
            return True

        @staticmethod
        def device_count():
            return 3

    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(cuda=FakeCuda))
    monkeypatch.setattr("autograder.device.gpu_signs", lambda: [])
    assert cuda_device_count() == 0 and FakeCuda.calls == 0
    monkeypatch.setattr("autograder.device.gpu_signs", lambda: ["/dev/nvidia0"])
    assert cuda_device_count() == 3 and FakeCuda.calls == 1


# --- write ---------------------------------------------------------------------------------


def _reference():
    return Reference("a1_neurons", {"test_a": 2.0, "test_h": 3.0}, {}, hidden=["test_h"])


def test_grades_csv_round_trips_awkward_names():
    names = ["O'Brien, Zoë", 'say "hi"', "line\nbreak", "李雷"]
    results = [StudentResult(n, "a1_neurons", 1.5, 5.0, "graded", "note, with comma") for n in names]
    rows = list(csv.DictReader(io.StringIO(grades_csv(results), newline="")))
    assert [r["student_id"] for r in rows] == names
    assert rows[0]["message"] == "note, with comma" and rows[0]["score"] == "1.5"


def test_feedback_hides_hidden_test_details_and_escapes_code():
    result = StudentResult(
        "s<1>",
        "a1_neurons",
        2.0,
        5.0,
        "graded",
        "",
        cells=[
            CellScore("test_a", 2, 2, "passed", ""),
            CellScore("test_h", 0, 3, "failed", "check 'secret_key': values differ"),
        ],
        answers={"formal_neuron": "x = '<script>'"},
    )
    page = feedback_html(result, _reference())
    assert "secret_key" not in page and "<script>" not in page and "&lt;script&gt;" in page
    assert "test_h (includes hidden tests)" in page and "2 / 5" in page


def test_leaderboard_takes_accuracy_from_the_grader_and_energy_only_from_passed_checks():
    y = np.array([0, 1, 2, 3])
    accuracy_ref = record("acc", y, compare="accuracy", y=y, min=0.5, leaderboard="accuracy")
    energy_ref = record("energy", 10.0, compare="between", low=0.0, high=1e4, leaderboard="energy_j")
    claimed = record("acc", [0, 1, 2, 0], compare="accuracy", y=[0, 0, 0, 0], min=0.0, leaderboard="accuracy")
    cell = graded_cell([display(claimed), display(record("energy", 5.0))])
    score = score_cell(cell, [accuracy_ref, energy_ref], 2)
    assert score.status == "passed" and score.metrics == {"accuracy": 0.75, "energy_j": 5.0}
    absurd = graded_cell([display(record("acc", y)), display(record("energy", 1e9))])
    assert score_cell(absurd, [accuracy_ref, energy_ref], 2).metrics == {}


def test_leaderboard_ranks_hiscore_and_accuracy_per_joule_with_ties():
    from autograder import leaderboard

    def entrant(sid, accuracy, joules):
        cells = [CellScore("test_q", 1, 1, "passed", "", {"accuracy": accuracy, "energy_j": joules})]
        return StudentResult(sid, "a6_quest", 1, 1, "graded", "", cells=cells)

    results = [entrant("ann", 0.9, 10.0), entrant("bob", 0.95, 100.0), entrant("cy", 0.9, 5.0)]
    results.append(StudentResult("dee", "a6_quest", 0, 1, "graded", ""))  # no entry: not on the board
    board = leaderboard.rows(results)
    assert [(r["student_id"], r["hiscore_rank"], r["per_joule_rank"]) for r in board] == [
        ("bob", 1, 3),
        ("ann", 2, 2),
        ("cy", 2, 1),
    ]
    assert board[2]["accuracy_per_joule"] == "0.18" and leaderboard.fields(board)[:3] == [
        "hiscore_rank",
        "per_joule_rank",
        "student_id",
    ]
    assert leaderboard.plot_png(results).startswith(b"\x89PNG")
    assert leaderboard.rows(results[3:]) == [] and leaderboard.plot_png(results[3:]) is None


def test_written_batch_has_leaderboard_files_and_report_prints_both_boards(tmp_path):
    from autograder.report import report
    from autograder.write import write_outputs

    def entrant(sid, accuracy, joules):
        cells = [CellScore("test_a", 2, 2, "passed", "", {"accuracy": accuracy, "energy_j": joules})]
        return StudentResult(sid, "a1_neurons", 2, 5, "graded", "", cells=cells)

    write_outputs(tmp_path, [entrant("ann", 0.91, 4.0), entrant("bob", 0.97, 40.0)], _reference())
    assert (tmp_path / "leaderboard.png").read_bytes().startswith(b"\x89PNG")
    text = report(tmp_path)
    hiscore, per_joule = text.split("leaderboard, ")[1:]
    assert hiscore.index("bob") < hiscore.index("ann") and per_joule.index("ann") < per_joule.index("bob")
    assert "Leaderboard entry: accuracy 0.91, energy_j 4." in (tmp_path / "feedback" / "ann.html").read_text()
    write_outputs(tmp_path / "plain", [StudentResult("cy", "a1_neurons", 0, 5, "graded", "")], _reference())
    assert not (tmp_path / "plain" / "leaderboard.csv").exists() and "leaderboard" not in report(tmp_path / "plain")


# --- late policy ---------------------------------------------------------------------------


def test_late_policy_defaults_to_15_points_per_started_day_then_zero():
    from autograder.late import LatePolicy

    policy = LatePolicy()
    assert [policy.penalty(80, 100, d) for d in (0, 1, 2, 3, 4)] == [0, 15, 30, 45, 80]
    assert policy.penalty(10, 100, 1) == 10  # never below zero


def test_late_policy_percent_and_bad_input():
    from autograder.late import LatePolicy

    policy = LatePolicy.parse("10%", max_days=5)
    assert policy.penalty(18, 18, 2) == pytest.approx(3.6)
    with pytest.raises(UsageError, match="late-penalty"):
        LatePolicy.parse("ten")


def test_late_days_count_started_days():
    from datetime import timedelta

    from autograder.late import late_days, parse_due

    due = parse_due("2026-11-20T23:59:00")
    assert late_days(due, due) == 0
    assert late_days(due + timedelta(seconds=1), due) == 1
    assert late_days(due + timedelta(days=1, seconds=1), due) == 2
    assert late_days(due - timedelta(days=3), due) == 0
    with pytest.raises(UsageError, match="ISO-8601"):
        parse_due("next friday")


def test_submission_time_from_timestamp_file_or_file_time(tmp_path):
    import os

    from autograder.late import submitted_at

    nb = tmp_path / "a.ipynb"
    nb.write_text("{}")
    os.utime(nb, (1_700_000_000, 1_700_000_000))
    assert submitted_at(nb)[0].timestamp() == 1_700_000_000
    (tmp_path / "timestamp.txt").write_text("2026-11-21 10:00:00.000000 UTC")
    assert submitted_at(nb)[0].isoformat() == "2026-11-21T10:00:00+00:00"
    (tmp_path / "timestamp.txt").write_text("yesterday-ish")
    when, note = submitted_at(nb)
    assert when.timestamp() == 1_700_000_000 and "unreadable timestamp" in note


# --- LMS downloads -------------------------------------------------------------------------


def test_collect_moodle_and_canvas_names_and_custom_pattern(tmp_path):
    import os

    nb = nbformat.writes(submissions.release())
    moodle = tmp_path / "Ana María López_123456_assignsubmission_file_"
    moodle.mkdir()
    (moodle / "my a1.ipynb").write_text(nb)
    (tmp_path / "Bo Li_777_assignsubmission_file_Copy of a1_neurons.ipynb").write_text(nb)  # Moodle, flat
    for name, mtime in [
        ("smithjohn_4242_99881_a1_neurons.ipynb", 1000),
        ("smithjohn_LATE_4242_99990_a1_neurons-1.ipynb", 2000),
    ]:
        (tmp_path / name).write_text(nb)
        os.utime(tmp_path / name, (mtime, mtime))
    (tmp_path / "s1234567-final.ipynb").write_text(nb)
    found = {s.student_id: s for s in collect(tmp_path, [r"(?P<id>s\d{7})-.*\.ipynb"])}
    assert sorted(found) == ["4242", "Ana María López_123456", "Bo Li_777", "s1234567"]
    assert found["4242"].path.name.endswith("-1.ipynb") and "2 notebooks" in found["4242"].note


def test_extract_zip_keeps_file_times(tmp_path):
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("alice.ipynb", date_time=(2026, 11, 21, 12, 30, 0)), "{}")
    folder = extract_zip(archive, tmp_path / "out")
    assert (folder / "alice.ipynb").stat().st_mtime == 1_795_264_200  # 2026-11-21T12:30:00Z


def test_answers_are_found_by_content_when_metadata_is_lost():
    from autograder.assemble import match_answers

    student = submissions.solved()
    for cell in student.cells:
        cell.metadata = {}
    answers, extras = match_answers(submissions.source(), student)
    assert set(answers) == {"formal_neuron", "activations", "perceptron", "xor_weights", "boolean_network"}
    assert "def relu(xi):" in answers["activations"]
    assert all("def perceptron_train" not in code for group in extras.values() for code in group)
    unrelated = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('mine')")])
    assert match_answers(submissions.source(), unrelated) == ({}, {"": ["print('mine')"]})
