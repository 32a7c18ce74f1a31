"""The instructor's dashboard (autograder/dashboard.py): report.html from a small graded batch built by hand.

The batch: four test cells and five students with results, one invalid submission, one late one, a
hostile student id and a hostile failure message, and a stale result of a student no longer in the batch.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil

import pytest

from autograder.dashboard import cell_stats, load_batch, point_biserial
from tests.conftest import ROOT

HOSTILE = "<script>alert(1)</script>"
HOSTILE_MESSAGE = "<img src=x onerror=alert(2)>"
POINTS = {"test_a": 2, "test_b": 3, "test_c": 1, "test_d": 1}
OUTCOMES = {  # student → the tests passed; every failure of test_b is a wrong w, except the hostile one's
    "ann": "abd",
    "bob": "acd",
    "cy": "bd",
    "dee": "cd",
    HOSTILE: "d",
}
SCREENSHOT = ROOT / "_build" / "dashboard" / "report.png"


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _cell(student: str, gid: str) -> dict:
    passed = gid[-1] in OUTCOMES[student]
    message = "" if passed else f"check {gid[-1]!r}: wrong value"
    if gid == "test_b" and student == HOSTILE:
        message = HOSTILE_MESSAGE
    return {
        "grade_id": gid,
        "score": POINTS[gid] if passed else 0,
        "max_score": POINTS[gid],
        "status": "passed" if passed else "failed",
        "message": message,
        "metrics": {},
        "checks": [{"key": gid[-1], "result": "passed" if passed else "wrong value"}],  # newer fields: ignored
    }


def _result(student: str, cells: list[dict], status: str = "graded", message: str = "") -> dict:
    """A StudentResult as results/*.json saves it (the fields the dashboard reads, and a few more)."""
    score = sum(c["score"] for c in cells)
    return {
        "student_id": student,
        "assignment": "a1_neurons",
        "score": score,
        "max_score": 7,
        "status": status,
        "message": message,
        "cells": cells,
        "answers": {},
    }


@pytest.fixture
def batch_dir(tmp_path):
    """DIR as grade writes it, with late columns and results/ (file names need not be student ids)."""
    out = tmp_path / "out"
    (out / "results").mkdir(parents=True)
    results = {sid: _result(sid, [_cell(sid, gid) for gid in POINTS]) for sid in OUTCOMES}
    results["eve"] = _result("eve", [], "invalid", "not valid notebook JSON")
    for n, result in enumerate(results.values()):
        saved = {"fingerprint": "f", "result": result}
        (out / "results" / f"student{n}.json").write_text(json.dumps(saved), encoding="utf-8")
    stale = _result("zed", [{"grade_id": "test_b", "score": 0, "status": "failed", "message": "stale"}])
    (out / "results" / "zed.json").write_text(json.dumps({"result": stale}), encoding="utf-8")
    grades = [
        {
            "student_id": sid,
            "assignment": "a1_neurons",
            "score": r["score"],
            "max_score": 7,
            "status": r["status"],
            "message": r["message"],
            "submitted_at": "2025-01-10T12:00:00+00:00",
            "late_days": 1 if sid == "dee" else 0,
            "penalty": 2 if sid == "dee" else 0,
            "final_score": 0 if sid == "dee" else r["score"],
        }
        for sid, r in results.items()
    ]
    (out / "grades.csv").write_text(_csv(grades), encoding="utf-8")
    cells = [
        {"student_id": sid, **{k: c[k] for k in ("grade_id", "score", "max_score", "status")}}
        for sid, r in results.items()
        for c in r["cells"]
    ]
    (out / "cells.csv").write_text(_csv(cells), encoding="utf-8")
    scores = [r["score"] for r in results.values()]
    summary = {
        "assignment": "a1_neurons",
        "students": len(scores),
        "max_score": 7,
        "mean": sum(scores) / len(scores),
        "median": sorted(scores)[len(scores) // 2],
        "statuses": {"graded": 5, "invalid": 1},
        "fraction_of_points_per_test": {gid: 0.5 for gid in POINTS},
    }
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return out


def _add_leaderboard(out) -> None:
    """leaderboard.csv and leaderboard.png as grade writes them for A6."""
    from autograder import leaderboard
    from autograder.pipeline import StudentResult
    from autograder.score import CellScore

    entries = {"ann": (0.91, 4.0), "bob": (0.97, 40.0), HOSTILE: (0.5, 1.0)}
    results = [
        StudentResult(sid, "a1_neurons", 1, 7, "graded", "", [CellScore("test_d", 1, 1, "passed", "", metrics)])
        for sid, (accuracy, joules) in entries.items()
        for metrics in [{"accuracy": accuracy, "energy_j": joules}]
    ]
    board = leaderboard.rows(results)
    (out / "leaderboard.csv").write_text(
        _csv([{f: row[f] for f in leaderboard.fields(board)} for row in board]), "utf-8"
    )
    (out / "leaderboard.png").write_bytes(leaderboard.plot_png(results))


def test_pass_rates_discrimination_and_failure_messages(batch_dir):
    stats = {s.grade_id: s for s in cell_stats(load_batch(batch_dir))}
    assert list(stats) == list(POINTS)
    assert {gid: (s.passed, s.students) for gid, s in stats.items()} == {
        "test_a": (2, 5),
        "test_b": (2, 5),
        "test_c": (2, 5),
        "test_d": (5, 5),
    }  # eve's invalid submission has no cells
    assert stats["test_a"].pass_rate == 0.4 and stats["test_d"].pass_rate == 1.0
    # test_a by hand: passed by ann and bob; totals without test_a's points are ann 4, bob 2, cy 4, dee 2, hostile 1.
    # Point-biserial r = (M1 - M0) / s * sqrt(p q) with the population standard deviation s:
    # M1 = 3, M0 = 7/3, mean 2.6, s = sqrt(7.2 / 5) = 1.2, p = 0.4, so r = (2/3) / 1.2 * sqrt(0.24) ≈ 0.2722.
    assert stats["test_a"].discrimination == pytest.approx((2 / 3) / 1.2 * math.sqrt(0.24))
    assert stats["test_a"].discrimination == pytest.approx(0.2722, abs=1e-4)
    assert stats["test_c"].discrimination < 0  # passed by the two weakest others: a test to look at
    assert stats["test_d"].discrimination is None  # everyone passed: undefined
    assert stats["test_b"].failures == [("check 'b': wrong value", 2), (HOSTILE_MESSAGE, 1)]  # zed's is stale
    assert stats["test_d"].failures == []


def test_point_biserial_is_undefined_for_constant_sides():
    assert point_biserial([True, False], [1.0, 1.0]) is None
    assert point_biserial([True, True], [1.0, 2.0]) is None
    assert point_biserial([True], [1.0]) is None
    assert point_biserial([True, False, True, False], [3.0, 1.0, 3.0, 1.0]) == pytest.approx(1.0)


def test_report_writes_an_escaped_dashboard_and_prints_its_path(batch_dir, cli):
    done = cli("report", str(batch_dir), timeout=120)
    assert done.returncode == 0, done.stderr
    page_path = batch_dir / "report.html"
    assert done.stdout.strip().splitlines()[-1] == f"dashboard written to {page_path}"
    page = page_path.read_text(encoding="utf-8")
    assert HOSTILE not in page and HOSTILE_MESSAGE not in page and "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "+0.27" in page and "n/a" in page and "40%" in page and "100%" in page
    assert "stale" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "Late submissions: 1" in page and "<b>invalid</b>: 1" in page
    assert "leaderboards" not in page


def test_leaderboards_are_ranked_and_the_plot_embedded(batch_dir):
    from autograder.dashboard import render

    _add_leaderboard(batch_dir)
    page = render(load_batch(batch_dir))
    hiscore, per_joule = page.split("<h3>")[1:3]
    assert hiscore.index(">bob<") < hiscore.index(">ann<") < hiscore.index("&lt;script&gt;")
    assert per_joule.index("&lt;script&gt;") < per_joule.index(">ann<") < per_joule.index(">bob<")
    assert "src='data:image/png;base64,iVBORw0KGgo" in page and HOSTILE not in page


def _replace(path, text: str | bytes):
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


@pytest.mark.parametrize(
    "damage, names",
    [
        (lambda d: (d / "cells.csv").unlink(), "cells.csv is missing"),
        (lambda d: _replace(d / "summary.json", "{not json"), "summary.json cannot be read"),
        (lambda d: _replace(d / "summary.json", '{"assignment": 3}'), "summary.json: 'assignment'"),
        (lambda d: _replace(d / "grades.csv", "student_id,score\r\nann,1\r\n"), "grades.csv has no column"),
        (lambda d: _replace(d / "cells.csv", b"\xff\xfe junk"), "cells.csv cannot be read"),
        (
            lambda d: _replace(d / "cells.csv", "student_id,grade_id,score,status\r\nann,test_a,lots,passed\r\n"),
            "cells.csv record 1, score: 'lots' is not a number",
        ),
        (lambda d: _replace(d / "results" / "student0.json", "[1, 2]"), "student0.json is not a result"),
        (lambda d: _replace(d / "leaderboard.csv", "student_id\r\nann\r\n"), "leaderboard.csv has no column"),
    ],
)
def test_a_missing_or_corrupt_file_is_a_one_line_usage_error(batch_dir, cli, damage, names):
    damage(batch_dir)
    done = cli("report", str(batch_dir), timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("autograder: error: ") and len(done.stderr.strip().splitlines()) == 1
    assert names in done.stderr and "Traceback" not in done.stderr
    assert not (batch_dir / "report.html").exists()


# --- in a real browser (marked and skipped like tests/test_browser.py) ---------------------------


@pytest.mark.book
def test_dashboard_in_a_browser_is_offline_error_free_and_shows_histogram_and_cells(batch_dir, cli):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is installed by requirements-test.txt")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.which(chromium):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    _add_leaderboard(batch_dir)
    assert cli("report", str(batch_dir), timeout=120).returncode == 0
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: Chromium's own sandbox refuses to start as root, which CI runs as.
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("dialog", lambda dialog: errors.append(f"dialog {dialog.message}"))  # a script ran
            page.on("request", lambda request: requests.append(request.url))
            page.goto((batch_dir / "report.html").as_uri(), wait_until="load")
            assert page.locator("svg#histogram").is_visible()
            assert page.locator("svg#histogram rect").count() == 7  # one bin per point of the maximum
            assert page.locator("#cells table").is_visible()
            assert page.locator("#cells tbody tr").count() == len(POINTS)
            assert page.locator("#failures").get_by_text(HOSTILE_MESSAGE).is_visible()  # shown as text
            assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            assert not errors, errors
            assert requests and all(url.startswith(("file://", "data:")) for url in requests), requests
        finally:
            browser.close()
