"""Before `make book`: a note when this checkout's origin is a GitHub repository other than the one the links name.

The Colab links and launch buttons open the notebooks from `repository.url` in _config.yml. A fork that
keeps the upstream URL sends its students to the upstream copies, so the build says so (on stdout, not as a
Sphinx warning: the book builds with -W). Silent without git, without an origin, or when they match.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# https://github.com/o/r(.git), http://, git://, ssh://git@github.com(:22)/o/r(.git), git@github.com:o/r(.git)
_GITHUB = re.compile(
    r"^(?:(?:https?|git|ssh|git\+ssh)://(?:[^@/]+@)?github\.com(?::\d+)?/|(?:[^@/]+@)?github\.com:)"
    r"(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)(?:\.git)?/?$",
    re.IGNORECASE,
)


def github_repository(url: str) -> str | None:
    """'owner/repo' (lower case: GitHub names are case-insensitive) for a GitHub URL in any git form, else None."""
    match = _GITHUB.match(url.strip())
    return f"{match['owner']}/{match['repo']}".lower() if match else None


def fork_note(origin: str | None, links_url: str | None) -> str | None:
    """The note to print when ORIGIN is a GitHub repository other than the one LINKS_URL names; else None."""
    mine, linked = github_repository(origin or ""), github_repository(links_url or "")
    if mine is None or linked is None or mine == linked:
        return None
    return (
        f"note: the Colab links and launch buttons open github.com/{linked} (repository.url in _config.yml), "
        f"but this checkout's origin is github.com/{mine}. If this is your fork, set repository.url to "
        f"https://github.com/{mine} so that students open your copies."
    )


def _origin() -> str | None:
    try:
        done = subprocess.run(
            ["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _links_url() -> str | None:
    try:
        import yaml

        config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")) or {}
    except (OSError, ImportError, ValueError):
        return None
    return (config.get("repository") or {}).get("url")


def main() -> int:
    note = fork_note(_origin(), _links_url())
    if note:
        print(note, file=sys.stdout)
    return 0  # a note, never a failure


if __name__ == "__main__":
    sys.exit(main())
