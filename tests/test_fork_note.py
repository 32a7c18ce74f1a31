"""`make book`'s fork note: origin and repository.url compared as GitHub repositories, whatever their URL form."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("fork_note", ROOT / "book" / "_ext" / "fork_note.py")
fork_note = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fork_note)

UPSTREAM = "https://github.com/neurons-to-npus/neurons-to-npus"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/neurons-to-npus/neurons-to-npus",
        "https://github.com/neurons-to-npus/neurons-to-npus.git",
        "https://github.com/Neurons-To-NPUs/neurons-to-npus/",
        "http://github.com/neurons-to-npus/neurons-to-npus",
        "https://user:token@github.com/neurons-to-npus/neurons-to-npus.git",
        "git@github.com:neurons-to-npus/neurons-to-npus.git",
        "github.com:neurons-to-npus/neurons-to-npus",
        "ssh://git@github.com/neurons-to-npus/neurons-to-npus.git",
        "ssh://git@github.com:22/neurons-to-npus/neurons-to-npus",
        "git://github.com/neurons-to-npus/neurons-to-npus.git",
        "  https://github.com/neurons-to-npus/neurons-to-npus.git\n",
    ],
)
def test_every_git_form_of_a_github_url_names_the_same_repository(url):
    assert fork_note.github_repository(url) == "neurons-to-npus/neurons-to-npus"
    assert fork_note.fork_note(url, UPSTREAM) is None


@pytest.mark.parametrize(
    "url",
    ["", "https://gitlab.com/neurons-to-npus/neurons-to-npus", "/srv/git/course.git", "https://github.com/only-owner"],
)
def test_what_is_not_a_github_repository_gives_no_note(url):
    assert fork_note.github_repository(url) is None
    assert fork_note.fork_note(url, UPSTREAM) is None


def test_a_fork_gets_one_note_naming_both_repositories_and_the_setting():
    note = fork_note.fork_note("git@github.com:teacher/neurons-to-npus.git", UPSTREAM)
    assert note is not None and "\n" not in note
    assert "github.com/neurons-to-npus/neurons-to-npus" in note and "repository.url" in note
    assert "set repository.url to https://github.com/teacher/neurons-to-npus" in note
    assert note.startswith("note: ") and "warning" not in note.lower()
    assert fork_note.fork_note(None, UPSTREAM) is None  # no git, or no origin
    assert fork_note.fork_note("git@github.com:teacher/x.git", None) is None  # no repository.url


def test_main_compares_the_origin_of_the_checkout_with_its_config(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fork_note, "ROOT", tmp_path)
    (tmp_path / "_config.yml").write_text(f"repository:\n  url: {UPSTREAM}\n  branch: main\n", encoding="utf-8")
    assert fork_note.main() == 0 and capsys.readouterr().out == ""  # not a git checkout: silent
    git = ["git", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    assert fork_note.main() == 0 and capsys.readouterr().out == ""  # no origin: silent
    subprocess.run([*git, "remote", "add", "origin", "git@github.com:neurons-to-npus/neurons-to-npus.git"], check=True)
    assert fork_note.main() == 0 and capsys.readouterr().out == ""  # the links name origin: silent
    subprocess.run([*git, "remote", "set-url", "origin", "https://github.com/teacher/course.git"], check=True)
    assert fork_note.main() == 0
    out = capsys.readouterr().out
    assert out.startswith("note: ") and out.count("\n") == 1 and "https://github.com/teacher/course " in out


def test_the_script_runs_on_this_checkout_and_never_fails():
    assert fork_note._links_url() == UPSTREAM
    done = subprocess.run(
        [sys.executable, str(ROOT / "book" / "_ext" / "fork_note.py")], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.strip() == (fork_note.fork_note(fork_note._origin(), UPSTREAM) or "")
