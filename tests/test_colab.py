"""Every chapter and every student notebook runs top to bottom in a fresh Colab runtime.

Colab opens a notebook from GitHub without this repository, so a notebook that imports a package the
runtime lacks must install it first, in Colab only and at the version requirements.txt pins. The
modules Colab ships are listed once, in autograder/colab.py. These tests read the notebooks (they
execute none) and run only the install block itself, with Colab and pip faked.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import sys
import time
import types

import nbformat
import pytest

from autograder.colab import PREINSTALLED, in_colab_runtime
from tests.conftest import ROOT

CHAPTERS = sorted(ROOT.glob("book/*/*.ipynb"))
RELEASES = sorted(ROOT.glob("exercises/release/*/*.ipynb"))
NOTEBOOKS = {path.relative_to(ROOT).as_posix(): path for path in [*CHAPTERS, *RELEASES]}

PIP_LINE = re.compile(r"^[%!]\s*pip\s+install\s+(.*)$")
DISTRIBUTION_MODULE = {"scikit-learn": "sklearn", "pillow": "PIL", "pyyaml": "yaml"}  # where the names differ


def as_python(source: str) -> str | None:
    """A code cell as Python: `%pip install X` becomes `__install__("X")`, any other magic or shell line `pass`.

    Indentation is kept, so an install inside `if IN_COLAB:` stays inside it. None for a cell magic.
    """
    if source.lstrip().startswith("%%"):
        return None
    lines = []
    for line in source.splitlines():
        code = line.lstrip()
        if code.startswith("%") or (code.startswith("!") and not code.startswith("!=")):
            indent = line[: len(line) - len(code)]
            pip = PIP_LINE.match(code)
            lines.append(f"{indent}__install__({pip.group(1).strip()!r})" if pip else f"{indent}pass")
        else:
            lines.append(line)
    return "\n".join(lines)


def requirements(args: str) -> list[str]:
    """The requirement specifiers of a `pip install` command line, without its options."""
    return [arg for arg in args.split() if not arg.startswith("-")]


def module_of(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower()
    return DISTRIBUTION_MODULE.get(name, name.replace("-", "_"))


def _catches_import_errors(node: ast.Try) -> bool:
    names = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
    return any(
        h.type is None or any(n.id in names for n in ast.walk(h.type) if isinstance(n, ast.Name)) for h in node.handlers
    )


class ColabCheck:
    """Walks a notebook's code cells in order, as a fresh runtime runs them, keeping what is installed.

    Only statements that run when the cell runs count: the bodies of functions and classes run later,
    if at all. An import inside `try` with an `except ImportError` (or broader) handler is allowed.
    """

    def __init__(self):
        self.installed: set[str] = set()
        self.colab_flags: set[str] = set()  # names bound to `"google.colab" in sys.modules`
        self.problems: list[str] = []
        self.installs: list[tuple[int, ast.If, str]] = []  # (cell, guard, requirements) of each guarded install

    def notebook(self, nb) -> ColabCheck:
        for index, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            python = as_python(cell.source)
            if python is not None:
                self.cell = index
                self.statements(ast.parse(python).body, guard=None, tolerant=False)
        return self

    def is_colab_test(self, test: ast.expr) -> bool:
        if isinstance(test, ast.Name):
            return test.id in self.colab_flags
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            return any(self.is_colab_test(value) for value in test.values)
        return (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Constant)
            and test.left.value == "google.colab"
            and isinstance(test.ops[0], ast.In)
        )

    def statements(self, body: list[ast.stmt], guard: ast.If | None, tolerant: bool) -> None:
        for node in body:
            where = f"code cell {self.cell}, line {node.lineno}"
            if isinstance(node, ast.Assign) and "google.colab" in ast.unparse(node.value):
                self.colab_flags |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for module in modules:
                    top = module.split(".")[0]
                    if getattr(node, "level", 0) == 0 and not (
                        tolerant or in_colab_runtime(top) or top in self.installed
                    ):
                        self.problems.append(
                            f"{where}: imports {top}, which Colab lacks, with no guarded install before"
                        )
            elif (
                isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Call)
                and ast.unparse(node.value.func) == "__install__"
            ):
                args = node.value.args[0].value
                if guard is None:
                    self.problems.append(f"{where}: `pip install {args}` runs everywhere; guard it with IN_COLAB")
                else:
                    self.installed |= {module_of(r) for r in requirements(args)}
                    self.installs.append((self.cell, guard, args))
            elif isinstance(node, ast.If):
                self.statements(node.body, node if self.is_colab_test(node.test) else guard, tolerant)
                self.statements(node.orelse, guard, tolerant)
            elif isinstance(node, ast.Try):
                self.statements(node.body, guard, tolerant or _catches_import_errors(node))
                for part in (*(handler.body for handler in node.handlers), node.orelse, node.finalbody):
                    self.statements(part, guard, tolerant)
            elif isinstance(node, ast.With | ast.For | ast.While):
                self.statements(node.body + getattr(node, "orelse", []), guard, tolerant)
            # def and class bodies run only when called: not the notebook's top level


def check(nb) -> ColabCheck:
    return ColabCheck().notebook(nb)


def pinned() -> dict[str, str]:
    """requirements.txt as {module: "name==version"}."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        spec = line.split("#", 1)[0].strip()
        if "==" in spec:
            pins[module_of(spec)] = spec
    return pins


def test_the_colab_list_is_plausible():
    assert {"numpy", "torch", "matplotlib", "sklearn", "IPython"} <= PREINSTALLED
    assert not PREINSTALLED & {"codecarbon", "nbgrader", "jupytext", "onnxruntime", "openvino"}
    assert not PREINSTALLED & set(sys.stdlib_module_names), "the standard library is covered already"
    assert in_colab_runtime("importlib.metadata") and in_colab_runtime("torch.utils")
    assert not in_colab_runtime("codecarbon")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_import_is_preinstalled_or_installed_first(name):
    problems = check(nbformat.read(NOTEBOOKS[name], as_version=4)).problems
    assert not problems, f"{name} fails in a fresh Colab runtime:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_installs_pin_the_versions_of_requirements_txt(name):
    pins = pinned()
    for _, _, args in check(nbformat.read(NOTEBOOKS[name], as_version=4)).installs:
        for requirement in requirements(args):
            assert requirement == pins.get(module_of(requirement)), (
                f"{name} installs {requirement}; requirements.txt pins {pins.get(module_of(requirement))}"
            )


def notebook_of(*cells: str):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])


CODECARBON_WITHOUT_INSTALL = """\
import json
from importlib.resources import files

import codecarbon
import matplotlib.pyplot as plt
import numpy as np
import torch
from codecarbon import OfflineEmissionsTracker
from sklearn.datasets import load_digits
"""
GUARDED_INSTALL = """\
import sys

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:
    %pip install -q codecarbon==3.3.2
"""


def test_the_check_catches_a_chapter_that_imports_codecarbon_without_installing_it():
    """The first cell of 'From joules to CO2' before the fix: the Colab launch button gave ModuleNotFoundError."""
    problems = check(notebook_of(CODECARBON_WITHOUT_INSTALL)).problems
    assert len(problems) == 2 and all("imports codecarbon" in p for p in problems), problems
    assert "line 4" in problems[0]
    # an import in a later cell is caught too, and the fix passes
    assert check(notebook_of("import numpy as np", "from codecarbon import OfflineEmissionsTracker")).problems
    assert not check(notebook_of(GUARDED_INSTALL, CODECARBON_WITHOUT_INSTALL)).problems
    assert not check(
        notebook_of('if "google.colab" in sys.modules:\n    !pip install codecarbon==3.3.2', "import codecarbon")
    ).problems


def test_the_check_wants_the_install_first_and_guarded():
    assert check(notebook_of(CODECARBON_WITHOUT_INSTALL, GUARDED_INSTALL)).problems  # installed too late
    unguarded = check(notebook_of("%pip install -q codecarbon==3.3.2", "import codecarbon")).problems
    assert len(unguarded) == 2 and "runs everywhere" in unguarded[0], unguarded
    negated = "import sys\nIN_COLAB = 'google.colab' in sys.modules\nif not IN_COLAB:\n    %pip install codecarbon"
    assert check(notebook_of(negated, "import codecarbon")).problems
    assert check(notebook_of(GUARDED_INSTALL.replace("codecarbon", "onnx"), "import codecarbon")).problems


def test_the_check_ignores_what_does_not_run_at_the_top_level():
    assert not check(
        notebook_of(
            "def jax_devices():\n    import jax_nightly\n    return jax_nightly.devices()",
            "try:\n    import onnxruntime\nexcept ImportError:\n    onnxruntime = None",
            "%%bash\nimport nothing",
            "!ls\n%matplotlib inline\nimport numpy",
        )
    ).problems
    assert check(notebook_of("try:\n    import onnxruntime\nfinally:\n    pass")).problems  # no handler
    assert check(notebook_of("with open('x') as f:\n    import onnxruntime")).problems


# The install blocks themselves, run with Colab, pip and the restart faked.

INSTALLING = [name for name, path in NOTEBOOKS.items() if check(nbformat.read(path, as_version=4)).installs]


def install_block(name: str) -> tuple[str, str, str]:
    """The code of the first install's cell up to and including the guarded block, the block, what it installs.

    Only the standard-library imports and the Colab flag are kept from the lines before the block.
    """
    nb = nbformat.read(NOTEBOOKS[name], as_version=4)
    cell, guard, args = check(nb).installs[0]
    tree = ast.parse(as_python([c for c in nb.cells if c.cell_type == "code"][cell].source))
    keep = []
    for node in tree.body:
        if node.lineno <= guard.lineno <= node.end_lineno:  # the block, or a statement holding it
            return ast.unparse([*keep, node]), ast.unparse(node), args
        stdlib = isinstance(node, ast.Import) and all(
            a.name.split(".")[0] in sys.stdlib_module_names for a in node.names
        )
        if stdlib or (isinstance(node, ast.Assign) and "google.colab" in ast.unparse(node.value)):
            keep.append(node)
    raise AssertionError(f"{name}: the guarded install is not at the top level of its cell")


class Restarted(Exception):
    pass


@pytest.fixture
def colab(monkeypatch):
    """A fake Colab: google.colab imported, pip recorded, os.kill and time.sleep stubbed out."""
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr(time, "sleep", lambda seconds: None)

    def kill(pid, signal):
        raise Restarted(pid, signal)

    monkeypatch.setattr(os, "kill", kill)
    return monkeypatch


def run_block(name: str) -> list[str]:
    code, _, _ = install_block(name)
    pip = []
    exec(compile(code, f"<{name}>", "exec"), {"__install__": pip.append})
    return pip


def test_every_install_block_is_the_same_block():
    """One pattern everywhere (comments aside): copy the block of an existing notebook."""
    blocks = {name: install_block(name)[1] for name in INSTALLING}
    assert {"book/energy/joules_to_co2.ipynb", "exercises/release/a4_carbon/a4_carbon.ipynb"} <= set(blocks)
    assert len(set(blocks.values())) == 1, "install blocks differ:\n\n" + "\n\n".join(set(blocks.values()))


@pytest.mark.parametrize("name", INSTALLING)
def test_in_colab_it_installs_and_restarts_when_pip_upgraded_a_loaded_module(name, colab, capsys):
    colab.setitem(sys.modules, "psutil", types.SimpleNamespace(__version__="5.9.5"))  # what Colab had loaded
    with pytest.raises(Restarted) as restart:
        run_block(name)
    assert restart.value.args == (os.getpid(), 9)
    said = capsys.readouterr().out
    assert "psutil" in said and "restart" in said and "run the notebook again" in said, said


@pytest.mark.parametrize("name", INSTALLING)
def test_in_colab_it_goes_on_when_every_loaded_module_is_current(name, colab):
    import psutil

    colab.setitem(sys.modules, "psutil", psutil)
    assert run_block(name) == [install_block(name)[2]]


@pytest.mark.parametrize("name", INSTALLING)
def test_elsewhere_it_installs_nothing_and_names_the_pip_command_when_a_package_is_missing(name, monkeypatch):
    assert "google.colab" not in sys.modules
    assert run_block(name) == []
    requirement = requirements(install_block(name)[2])[0]
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda m, *a: None if m == module_of(requirement) else real(m, *a))
    with pytest.raises(SystemExit, match=re.escape(f"pip install {requirement}")):
        run_block(name)
