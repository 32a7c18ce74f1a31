"""Late submissions: when a notebook was submitted, and what lateness costs.

The default policy is the course's: 15 points off per started day late, for up to 3 days, after
which the score is 0. `--late-penalty 10%` takes a percentage of the maximum score per day instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from autograder.course import UsageError

DAY = 86_400


@dataclass(frozen=True)
class LatePolicy:
    per_day: float = 15.0
    percent: bool = False  # per_day is a percentage of the maximum score
    max_days: int = 3

    @classmethod
    def parse(cls, text: str, max_days: int = 3) -> LatePolicy:
        """'15' (points per day) or '10%' (percent of the maximum score per day)."""
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", text)
        if not match:
            raise UsageError(f"--late-penalty must be points per day (15) or a percentage (10%), got {text!r}")
        return cls(float(match.group(1)), bool(match.group(2)), max_days)

    def penalty(self, score: float, max_score: float, late_days: int) -> float:
        """Points taken off SCORE for LATE_DAYS started days late (never more than the score)."""
        if late_days <= 0:
            return 0.0
        if late_days > self.max_days:
            return score
        per_day = self.per_day * max_score / 100 if self.percent else self.per_day
        return min(score, per_day * late_days)


def parse_due(text: str) -> datetime:
    """An ISO-8601 due date; one without a time zone is taken as UTC."""
    try:
        due = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--due must be an ISO-8601 date and time, e.g. 2026-11-20T23:59:00+00:00, got {text!r}"
        ) from None
    return due if due.tzinfo else due.replace(tzinfo=UTC)


def submitted_at(notebook: Path) -> tuple[datetime, str]:
    """When NOTEBOOK was submitted: nbgrader's timestamp.txt beside it if readable, else the file time."""
    stamp = notebook.parent / "timestamp.txt"
    if stamp.is_file():
        text = stamp.read_text(encoding="utf-8", errors="replace").strip()
        when = _timestamp(text)
        if when is not None:
            return when, ""
        note = f"unreadable timestamp.txt ({text[:40]!r}); used the file time"
    else:
        note = ""
    return datetime.fromtimestamp(notebook.stat().st_mtime, tz=UTC), note


def _timestamp(text: str) -> datetime | None:
    """nbgrader's timestamp: ISO-8601, or a date and time followed by a zone name ("... America/Los_Angeles")."""
    stamp, _, zone = text.rpartition(" ")
    try:
        if stamp and "/" in zone or zone == "UTC":
            return datetime.fromisoformat(stamp).replace(tzinfo=ZoneInfo(zone))
        when = datetime.fromisoformat(text)
    except (ValueError, ZoneInfoNotFoundError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def late_days(submitted: datetime, due: datetime) -> int:
    """Started days after the due date (0 when on time)."""
    seconds = (submitted - due).total_seconds()
    return math.ceil(seconds / DAY) if seconds > 0 else 0
