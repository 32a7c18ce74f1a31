"""Leaderboards from the values that checks marked with leaderboard=NAME.

Two boards, by convention of the metric names: the hi-score ranks "accuracy" (computed by the grader
from the student's predictions), and efficiency ranks accuracy per joule, with "energy_j" as the
student's own measurement of training energy. Only values from passed checks take part.
"""

from __future__ import annotations

import io

from autograder.pipeline import StudentResult

ACCURACY, ENERGY = "accuracy", "energy_j"


def _ranks(values: dict[str, float]) -> dict[str, int]:
    """Competition ranking, highest first: equal values share a rank (1, 1, 3)."""
    order = sorted(values, key=lambda sid: (-values[sid], sid))
    ranks: dict[str, int] = {}
    for position, sid in enumerate(order, start=1):
        tied = position > 1 and values[order[position - 2]] == values[sid]
        ranks[sid] = ranks[order[position - 2]] if tied else position
    return ranks


def rows(results: list[StudentResult]) -> list[dict]:
    """One row per student with any leaderboard value, best hi-score first."""
    entered = {r.student_id: r.metrics for r in results if r.metrics}
    per_joule = {sid: m[ACCURACY] / m[ENERGY] for sid, m in entered.items() if ACCURACY in m and m.get(ENERGY, 0) > 0}
    hiscore = _ranks({sid: m[ACCURACY] for sid, m in entered.items() if ACCURACY in m})
    efficiency = _ranks(per_joule)
    names = sorted({name for m in entered.values() for name in m})
    table = []
    for sid, metrics in entered.items():
        row = {"student_id": sid, "hiscore_rank": hiscore.get(sid, ""), "per_joule_rank": efficiency.get(sid, "")}
        row.update({name: f"{metrics[name]:.6g}" if name in metrics else "" for name in names})
        row["accuracy_per_joule"] = f"{per_joule[sid]:.6g}" if sid in per_joule else ""
        table.append(row)
    table.sort(key=lambda row: (row["hiscore_rank"] == "", row["hiscore_rank"] or 0, row["student_id"]))
    return table


def fields(table: list[dict]) -> list[str]:
    first = ["hiscore_rank", "per_joule_rank", "student_id"]
    return first + [name for name in table[0] if name not in first]


def plot_png(results: list[StudentResult]) -> bytes | None:
    """Accuracy against training energy, log-scaled energy; None when nobody reported both."""
    points = [(r.metrics[ENERGY], r.metrics[ACCURACY]) for r in results if {ACCURACY, ENERGY} <= r.metrics.keys()]
    points = [(e, a) for e, a in points if e > 0]
    if not points:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=100)
    ax.scatter(*zip(*points, strict=True), marker="o", facecolor="#0072B2", edgecolor="black")
    ax.set(
        xscale="log",
        xlabel="training energy reported by the student (J, log scale)",
        ylabel="accuracy on the hidden split",
        title=f"Leaderboard: {len(points)} students; up and to the left is better",
    )
    ax.grid(True, which="both", linestyle=":")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
