"""Grade one notebook: load → assemble → execute → score. Each step lives in its own module."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import nbformat

from autograder import cells
from autograder.assemble import assemble, hidden_line_numbers, match_answers, strip_hidden_markers
from autograder.course import Assignment, UsageError
from autograder.execute import RunConfig, execute
from autograder.instrument import calls_check, instrument
from autograder.load import InvalidNotebook, load_notebook
from autograder.manual import manual_items
from autograder.records import decode, unrecordable
from autograder.score import CellScore, check_points, records_by_test, score_notebook


@dataclass
class Reference:
    """What the instructor's own solution records, plus the facts feedback needs."""

    assignment: str
    points: dict[str, float]  # test grade_id → points
    records: dict[str, list[dict]]  # test grade_id → check records (none for a test on the kernel basis)
    hidden: list[str]  # test cells with hidden tests
    hidden_lines: dict[str, list[int]] = field(default_factory=dict)  # grade_id → lines of its hidden tests
    basis: dict[str, str] = field(default_factory=dict)  # test grade_id → "recorded" or "kernel"
    kernel_reasons: dict[str, str] = field(default_factory=dict)  # why a test is on the kernel basis
    manual: dict[str, float] = field(default_factory=dict)  # manually graded grade_id → points
    notebooks: list[str] = field(default_factory=list)  # its notebook, or after merging all of the assignment's

    @property
    def max_score(self) -> float:
        return sum(self.points.values()) + sum(self.manual.values())

    def label(self, notebook: str, grade_id: str) -> str:
        """How reports name a cell: its grade_id, prefixed by its notebook when the assignment has several."""
        return f"{notebook}/{grade_id}" if len(self.notebooks) > 1 else grade_id


class PendingReference:
    """The Reference of a source notebook that is still running in another thread (local grading).

    Its points are known from the source at once; its records wait for the run. Students' notebooks
    can therefore execute while the instructor's does, and only their scoring waits for it.
    """

    def __init__(self, assignment: Assignment, config: RunConfig):
        source = nbformat.read(assignment.source, as_version=4)  # as build_reference reads it
        self.points, self.manual = cells.test_cells(source), cells.manual_cells(source)
        runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reference")
        self._future = runner.submit(build_reference, assignment, config)
        runner.shutdown(wait=False)  # the submitted run still finishes

    @property
    def max_score(self) -> float:
        return sum(self.points.values()) + sum(self.manual.values())

    def result(self) -> Reference:
        """The finished Reference; raises UsageError if the source notebook failed."""
        return self._future.result()

    @property
    def records(self) -> dict[str, list[dict]]:
        return self.result().records

    @property
    def hidden_lines(self) -> dict[str, list[int]]:
        return self.result().hidden_lines

    @property
    def basis(self) -> dict[str, str]:
        return self.result().basis


@dataclass
class StudentResult:
    student_id: str
    assignment: str
    score: float
    max_score: float
    status: str  # graded, timeout, error or invalid
    message: str
    cells: list[CellScore] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)  # solution grade_id → student's code
    extras: dict[str, list[str]] = field(default_factory=dict)  # instructor grade_id ("" = before any) → added cells
    manual: list[dict] = field(default_factory=list)  # manual items: grade_id, notebook, max_score, score, comment
    submitted_at: str = ""  # ISO-8601, UTC
    late_days: int = 0
    penalty: float = 0.0

    @property
    def manual_pending(self) -> int:
        """Manually graded items that have no score yet."""
        return sum(m.get("score") is None for m in self.manual)

    @property
    def final_score(self) -> float:
        return max(0.0, self.score - self.penalty)

    @property
    def metrics(self) -> dict[str, float]:
        """Leaderboard values from this student's passed checks."""
        return {name: value for c in self.cells for name, value in c.metrics.items()}

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> StudentResult:
        data = dict(data)
        data["cells"] = [CellScore(**c) for c in data.get("cells", [])]
        return cls(**data)


def build_reference(assignment: Assignment, config: RunConfig) -> Reference:
    """Run the instructor's source in a clean kernel; every test cell must pass and record a check.

    The source is trusted and runs while the first submissions grade beside it, so only the notebook's
    limit bounds its cells: a busy machine must not stop a whole batch.
    """
    source = nbformat.read(assignment.source, as_version=4)
    limits = config.limits
    trusted = replace(config, limits=replace(limits, cell_timeout=max(limits.cell_timeout, limits.notebook_timeout)))
    run = execute(assemble(source, source), trusted, data=assignment.folder)
    if run.status != "ok":
        raise UsageError(f"{assignment.name}: the source notebook did not finish ({run.status}: {run.message})")
    records = records_by_test(run.notebook)
    basis, reasons = {}, {}
    for gid, recorded in records.items():
        cell = next(c for c in run.notebook.cells if cells.grade_id(c) == gid)
        error = next((o for o in cell.outputs if o.output_type == "error"), None)
        if error is not None:
            raise UsageError(f"{assignment.name}: source test cell {gid!r} fails: {error.ename}: {error.evalue}")
        written = strip_hidden_markers(next(c for c in source.cells if cells.grade_id(c) == gid).source)
        if calls_check(written):
            if not recorded:
                raise UsageError(
                    f"{assignment.name}: test cell {gid!r} records no check(), so it cannot be graded safely"
                )
            basis[gid] = "recorded"
            continue
        reasons[gid] = instrument(written).reason
        if not reasons[gid] and any(unrecordable(decode(r.get("value"))) for r in recorded):
            reasons[gid] = "it compares values the grader cannot record (sets, objects)"
        basis[gid] = "kernel" if reasons[gid] else "recorded"
        if basis[gid] == "kernel":
            records[gid] = []  # graded as nbgrader grades it: full points when it raises nothing
    points = cells.test_cells(source)
    for gid, recorded in records.items():
        _check_split(assignment.name, gid, recorded, points[gid])
    lines = {cells.grade_id(c): hidden_line_numbers(c.source) for c in source.cells if cells.is_test(c)}
    hidden_lines = {gid: numbers for gid, numbers in lines.items() if numbers}
    return Reference(
        assignment.name,
        points,
        records,
        list(hidden_lines),
        hidden_lines,
        basis,
        {gid: why for gid, why in reasons.items() if why},
        cells.manual_cells(source),
        [assignment.notebook],
    )


def _check_split(assignment: str, gid: str, recorded: list[dict], cell_points: float) -> None:
    """A cell that splits its points per check must give every check a share, and the shares must add up."""
    shares = check_points(recorded)
    if shares is None:
        return
    if any(share != share or share < 0 for share in shares):  # NaN: a check without points=
        raise UsageError(f"{assignment}: test cell {gid!r} must give every check a number of points=, or none")
    if abs(sum(shares) - cell_points) > 1e-9:
        raise UsageError(
            f"{assignment}: the checks of {gid!r} share {sum(shares):g} points, but the cell has {cell_points:g}"
        )


def grade_notebook(
    path: Path, student_id: str, assignment: Assignment, reference: Reference, config: RunConfig
) -> StudentResult:
    """Grade one submitted notebook; bad input becomes a status, never an exception."""
    result = StudentResult(student_id, assignment.name, 0.0, reference.max_score, "graded", "")
    try:
        submitted = load_notebook(path)
    except InvalidNotebook as exc:
        result.status, result.message = "invalid", str(exc)
        return result
    source = nbformat.read(assignment.source, as_version=4)
    result.answers, result.extras = match_answers(source, submitted)
    result.manual = manual_items(source, submitted, assignment.notebook)
    if not result.answers and not any(m["answer"].strip() for m in result.manual):
        result.status = "invalid"
        result.message = f"ungradable: no answer cell of {assignment.notebook} was found, by grade_id or by content"
        return result
    run = execute(assemble(source, submitted), config, data=assignment.folder)
    timeout = run.message if run.status == "timeout" else ""
    result.cells = score_notebook(run.notebook, reference.records, reference.points, reference.hidden_lines, timeout)
    for cell in result.cells:
        cell.notebook, cell.basis = assignment.notebook, reference.basis.get(cell.grade_id, "recorded")
    result.score = sum(c.score for c in result.cells)
    if run.status == "timeout":
        result.status, result.message = "timeout", run.message
    elif run.status != "ok":
        result.status, result.message = "error", run.message
    return result
