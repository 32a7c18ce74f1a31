"""The `validate` verb: the source must earn full marks and the blank release must earn zero."""

from __future__ import annotations

from dataclasses import dataclass

from autograder.course import Assignment
from autograder.execute import RunConfig
from autograder.pipeline import build_reference, grade_notebook


@dataclass
class Validation:
    assignment: str
    source_score: float
    release_score: float
    max_score: float

    @property
    def ok(self) -> bool:
        return self.max_score > 0 and self.source_score == self.max_score and self.release_score == 0


def validate(assignment: Assignment, config: RunConfig) -> Validation:
    """Grade the instructor's source and the student release like any submission."""
    reference = build_reference(assignment, config)
    source = grade_notebook(assignment.source, "source", assignment, reference, config)
    release = grade_notebook(assignment.release, "release", assignment, reference, config)
    return Validation(assignment.name, source.score, release.score, reference.max_score)
