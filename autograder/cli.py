"""Command line: release → validate → grade → report, in the order an instructor uses them."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from pathlib import Path

from autograder.course import COURSE_DIR, UsageError, find_notebooks, pick_assignments
from autograder.device import cuda_device_count, resolve_device
from autograder.execute import RunConfig
from autograder.late import LatePolicy, parse_due
from autograder.limits import Limits


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line and exit 2, instead of argparse's usage block
        raise UsageError(f"{message} (see --help)")


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m autograder", description="Release, validate, grade and report course assignments.")
    parser.add_argument(
        "--course", type=Path, default=COURSE_DIR, help="the nbgrader course folder (default: exercises/)"
    )
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)

    release = verbs.add_parser("release", help="regenerate exercises/release/ from exercises/source/ with nbgrader")
    release.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    release.add_argument("--check", action="store_true", help="fail if the committed release copies are out of date")

    def execution_options(p):
        p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default: auto)")
        p.add_argument(
            "--timeout",
            type=_positive(float),
            default=60.0,
            metavar="SECONDS",
            help="time limit per cell (default: 60)",
        )
        p.add_argument(
            "--memory",
            type=_positive(float),
            default=4.0,
            metavar="GIB",
            help="memory limit per submission (default: 4)",
        )
        sandboxing = p.add_mutually_exclusive_group()
        sandboxing.add_argument("--require-sandbox", action="store_true", help="refuse to run without bubblewrap")
        sandboxing.add_argument(
            "--no-sandbox", action="store_true", help="run without bubblewrap (to measure its cost)"
        )
        p.add_argument(
            "--notebook-timeout",
            type=_positive(float),
            default=900.0,
            metavar="SECONDS",
            help="time limit per notebook (default: 900)",
        )

    validate = verbs.add_parser("validate", help="check that the source gets full marks and the release zero")
    validate.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    execution_options(validate)

    grade = verbs.add_parser("grade", help="grade a folder or .zip of submissions")
    grade.add_argument("assignment", metavar="ASSIGNMENT")
    grade.add_argument("submissions", type=Path, metavar="SUBMISSIONS")
    grade.add_argument("--out", type=Path, required=True, metavar="DIR")
    grade.add_argument(
        "--workers", type=_positive(int), metavar="N", help="submissions graded at once (default: cores; GPUs on CUDA)"
    )
    grade.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on the Dask cluster at ADDRESS, e.g. tcp://host:8786 (needs requirements-dask.txt)",
    )
    grade.add_argument("--due", metavar="ISO-8601", help="due date; adds submitted_at, late_days, penalty, final_score")
    grade.add_argument(
        "--late-penalty", default="15", metavar="POINTS|PERCENT%", help="off per started day late (default: 15 points)"
    )
    grade.add_argument(
        "--late-max-days", type=int, default=3, metavar="DAYS", help="later than this scores 0 (default: 3)"
    )
    grade.add_argument(
        "--manual",
        type=Path,
        metavar="FILE",
        help="manual.csv with the scores of manually graded answers filled in (default: DIR/manual.csv if present)",
    )
    grade.add_argument(
        "--lms",
        choices=["canvas", "moodle"],
        help="also write the grades in that system's import format (ids parsed from its download names)",
    )
    grade.add_argument(
        "--id-pattern",
        action="append",
        metavar="REGEX",
        help="regular expression with a group named 'id' that finds the student id in a file or folder name",
    )
    execution_options(grade)

    report = verbs.add_parser("report", help="print the summary of a graded batch")
    report.add_argument("dir", type=Path, metavar="DIR")
    return parser


def _check_pattern(pattern: str) -> None:
    try:
        if "id" not in re.compile(pattern).groupindex:
            raise UsageError(f"--id-pattern {pattern!r} has no group named 'id', e.g. (?P<id>[a-z0-9]+)")
    except re.error as exc:
        raise UsageError(f"--id-pattern {pattern!r} is not a regular expression: {exc}") from None


def _run_config(args) -> RunConfig:
    """Device, limits and sandbox for validate and grade; refuse early what cannot work."""
    from autograder import sandbox

    device = resolve_device(args.device)
    sandboxed = not args.no_sandbox and sandbox.sandbox_works()
    if not sandboxed and args.require_sandbox:
        raise UsageError("--require-sandbox: bubblewrap (bwrap) is missing or cannot create a sandbox here")
    limits = Limits(
        cell_timeout=args.timeout, notebook_timeout=args.notebook_timeout, memory_bytes=int(args.memory * 2**30)
    )
    return RunConfig(device=device, limits=limits, sandboxed=sandboxed)


def _warn_if_unsandboxed(config: RunConfig) -> None:
    """Said once, loudly, when the checks are done and student code is about to run."""
    if not config.sandboxed:
        print(
            "autograder: WARNING: no bubblewrap sandbox (install the 'bubblewrap' package); student code runs "
            "with only a clean environment, a private folder and resource limits, and can read this machine's files",
            file=sys.stderr,
        )


def _run(args) -> int:
    if args.verb == "release":
        from autograder.release import release, stale_releases

        chosen = pick_assignments(args.assignments, args.course)
        if args.check:
            stale = stale_releases(chosen, args.course)
            if stale:
                print(
                    f"release copies out of date: {', '.join(stale)}; run: python -m autograder release",
                    file=sys.stderr,
                )
                return 1
            print(f"release copies up to date: {', '.join(a.name for a in chosen)}")
            return 0
        print(f"released: {', '.join(release(chosen, args.course))}")
        return 0
    if args.verb == "report":
        from autograder.report import report

        print(report(args.dir))
        return 0

    config = _run_config(args)
    if args.verb == "validate":
        from autograder.validate import validate

        chosen = pick_assignments(args.assignments, args.course)
        _warn_if_unsandboxed(config)
        failed = 0
        for a in chosen:
            v = validate(a, config)
            verdict = "ok" if v.ok else "FAILED"
            name = a.name if a.notebook == a.name else f"{a.name}/{a.notebook}"
            print(
                f"{name}: source {v.source_score:g}/{v.max_score:g}, release {v.release_score:g}/{v.max_score:g} on {config.device}: {verdict}"
            )
            if v.manual:
                print(f"  {v.manual:g} more points are graded by hand (grade writes manual.csv)")
            for gid, why in v.kernel.items():
                print(f"  {gid}: graded like nbgrader (no error = full points), because {why}; see AUTHORING.md")
            failed += not v.ok
        return 1 if failed else 0
    from autograder.backends import dask_cluster
    from autograder.grade import grade_batch

    notebooks = find_notebooks(args.assignment, args.course)
    due = parse_due(args.due) if args.due else None
    policy = LatePolicy.parse(args.late_penalty, args.late_max_days)
    for pattern in args.id_pattern or []:
        _check_pattern(pattern)
    if not args.submissions.exists():
        raise UsageError(f"submissions not found: {args.submissions}")
    _warn_if_unsandboxed(config)
    workers = args.workers or (cuda_device_count() if config.device.startswith("cuda") else os.cpu_count()) or 1
    with contextlib.ExitStack() as stack:
        executor = stack.enter_context(dask_cluster(args.scheduler, config.device)) if args.scheduler else None
        results = grade_batch(
            notebooks,
            args.submissions,
            args.out,
            config=config,
            workers=workers,
            executor=executor,
            due=due,
            policy=policy,
            id_patterns=args.id_pattern,
            manual=args.manual,
            lms=args.lms,
        )
    pending = sum(r.manual_pending for r in results)
    note = f"; {pending} manually graded answers wait for a score in {args.out}/manual.csv" if pending else ""
    print(
        f"graded {len(results)} submissions of {args.assignment} on {config.device}; wrote {args.out}/grades.csv{note}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(_parser().parse_args(argv))
    except UsageError as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("autograder: interrupted; finished results are kept in the output folder", file=sys.stderr)
        return 130
