"""The `validate` verb: the source must earn full marks and the blank release must earn zero."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.course import Assignment, UsageError
from autograder.execute import RunConfig
from autograder.pipeline import build_reference, grade_notebook


@dataclass
class Validation:
    assignment: str
    source_score: float
    release_score: float
    max_score: float  # the autograded points (manually graded ones cannot be validated)
    kernel: dict[str, str] = field(default_factory=dict)  # tests graded as nbgrader does, and why
    manual: float = 0.0  # points graded by hand

    @property
    def ok(self) -> bool:
        graded = self.max_score > 0 or self.manual > 0  # a notebook of written answers only is fine
        return graded and self.source_score == self.max_score and self.release_score == 0


def validate(assignment: Assignment, config: RunConfig) -> Validation:
    """Grade the instructor's source and the student release like any submission."""
    if not assignment.release.is_file():
        raise UsageError(f"{assignment.release} is missing; release the assignment first (the release verb)")
    reference = build_reference(assignment, config)
    source = grade_notebook(assignment.source, "source", assignment, reference, config)
    release = grade_notebook(assignment.release, "release", assignment, reference, config)
    auto = sum(reference.points.values())
    return Validation(
        assignment.notebook, source.score, release.score, auto, reference.kernel_reasons, sum(reference.manual.values())
    )
