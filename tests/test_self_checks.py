"""Worked answers in the book are checked: the arithmetic written in maths, and the code shown in answers.

Two kinds of hand-written number can go stale or be wrong from the start:

- arithmetic in the prose, such as $2 \\cdot 64 \\cdot 512 \\cdot 256 = 16{,}777{,}216$: every side of an
  equation that holds only numbers is evaluated, and the sides must agree to the digits shown;
- code in a self-check answer, such as `print(c.get_total_flops())  # 33554432`: each such block is run,
  and every print line that ends in a comment must print that comment.

Numbers that a chapter's cells compute reach the prose through myst-nb's glue, which the build checks.
"""

from __future__ import annotations

import ast
import contextlib
import io
import operator
import re

import jupytext
import matplotlib.pyplot as plt
import pytest

from tests.conftest import ROOT

CHAPTERS = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("book/*/*.md") if p.with_suffix(".ipynb").exists())
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$", re.S)
SOLUTION = re.compile(r"^:::\{solution\}.*?^:::[ \t]*$", re.M | re.S)
PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```", re.M | re.S)
EXPECTED = re.compile(r"^\s*print\(.*\)\s*#\s*(.+?)\s*$")
RELATION = re.compile(r"\\approx|=")
OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
PREAMBLE = """\
import math
import numpy as np
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode
torch.manual_seed(0)
"""


def _python(latex: str) -> str | None:
    """A side of an equation as a Python expression, or None when it holds anything but numbers."""
    text = latex.replace("{,}", "").replace("\\,", "").replace("\\!", "").strip()
    # a × 10^k is one number in scientific notation: (3 × 10^8) / (2 × 10^4), whatever the spacing says
    text = re.sub(r"(\d+(?:\.\d+)?)\s*\\(?:cdot|times)\s*10\^\{?(-?\d+)\}?", r"(\1e\2)", text)
    text = re.sub(r"(?<![\d.])10\^\{?(-?\d+)\}?", r"(1e\1)", text)
    text = re.sub(r"\\(?:cdot|times)", "*", text)
    text = re.sub(r"\\left|\\right", "", text)
    for _ in range(3):  # \frac{a}{b}, innermost first
        text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", text)
    text = re.sub(r"\^\{([^{}]*)\}", r"**(\1)", text)
    text = re.sub(r"\^(\d)", r"**\1", text)
    text = text.replace("{", "(").replace("}", ")")
    if not re.fullmatch(r"[\d.e+\-*/() ]+", text) or not re.search(r"\d", text):
        return None
    return text


def _evaluate(expression: str) -> float:
    """Numbers, + - * / ** and brackets only: never eval."""

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base, exponent = walk(node.left), walk(node.right)
            if abs(exponent) > 400:
                raise ValueError("exponent too large")
            return base**exponent
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError(f"not arithmetic: {ast.dump(node)}")

    return float(walk(ast.parse(expression, mode="eval")))


def _decimals(expression: str) -> int:
    """Digits after the point in a written number: the precision its author claims."""
    point = re.search(r"\.(\d+)\s*$", expression)
    return len(point.group(1)) if point else 0


def _resolution(written: str) -> float | None:
    """Half a unit in the last digit of a written number (plain, or (m e k) from scientific notation)."""
    plain = re.fullmatch(r"\s*(\d+(?:\.(\d+))?)\s*", written)
    if plain:
        return 0.5 * 10 ** -len(plain.group(2) or "")
    scientific = re.fullmatch(r"\s*\((\d+)(?:\.(\d+))?e(-?\d+)\)\s*", written)
    if scientific:
        return 0.5 * 10 ** (int(scientific.group(3)) - len(scientific.group(2) or ""))
    return None


def arithmetic_errors(markdown: str) -> list[str]:
    """Every equation in maths whose purely numeric sides disagree, beyond the digits they show."""
    errors = []
    for match in MATH.finditer(markdown):
        latex = match.group(1) or match.group(2)
        parts = RELATION.split(latex)
        relations = RELATION.findall(latex)
        for left, right, relation in zip(parts[:-1], parts[1:], relations, strict=True):
            a, b = _python(left), _python(right)
            if a is None or b is None:
                continue
            try:
                got, written = _evaluate(a), _evaluate(b)
            except (ValueError, ZeroDivisionError, OverflowError, SyntaxError):
                continue
            shown = _resolution(b) or 1e-9 * abs(written)
            slack = max(shown, 0.05 * abs(written)) if relation == "\\approx" else shown + 1e-9 * abs(written)
            if abs(got - written) > slack:
                errors.append(f"${latex.strip()}$: {left.strip()} is {got:.6g}, not {right.strip()}")
    return errors


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_arithmetic_written_in_maths_is_right(chapter):
    errors = arithmetic_errors((ROOT / chapter).read_text(encoding="utf-8"))
    assert not errors, f"{chapter}: " + "; ".join(errors)


def answer_blocks(markdown: str) -> list[tuple[str, list[str]]]:
    """Python blocks in self-check answers that say what their prints give, with those expectations."""
    blocks = []
    for solution in SOLUTION.finditer(markdown):
        for block in PYTHON_BLOCK.finditer(solution.group(0)):
            code = block.group(1)
            expected = [
                m.group(1) for line in code.splitlines() if (m := EXPECTED.match(line)) and _is_value(m.group(1))
            ]
            if expected:
                blocks.append((code, expected))
    return blocks


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(\.\.\.)?")


def _is_value(comment: str) -> bool:
    """A comment that states a printed value ('33554432', '10.16..., 12.5', 'True'), not a remark in words."""
    return bool(re.fullmatch(r"[-+]?\d[\d.,_e+-]*(\.\.\.)?(,?\s+[-+]?\d[\d.,_e+-]*(\.\.\.)?)*|True|False", comment))


def _same(printed: str, expected: str) -> bool:
    """Equal as text, or the same numbers to the digits the answer shows ('10.16...' is a truncation)."""
    if printed.strip() == expected.strip():
        return True
    got, want = ([m for m in NUMBER.finditer(re.sub(r"(?<=\d)[,_](?=\d{3}\b)", "", t))] for t in (printed, expected))
    if not want or len(got) != len(want):
        return False
    for g, w in zip(got, want, strict=True):
        written = w.group(0).rstrip(".")
        digits = _decimals(written.split("e")[0])
        step = 10**-digits if w.group(1) else 0.5 * 10**-digits  # a truncated number may be off by a whole digit
        if abs(float(g.group(0).rstrip(".")) - float(written)) > step + 1e-9 * abs(float(written)):
            return False
    return True


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_code_in_self_check_answers_prints_what_the_answer_says(chapter):
    for code, expected in answer_blocks((ROOT / chapter).read_text(encoding="utf-8")):
        namespace = {}
        if _needs_chapter(code):
            with contextlib.redirect_stdout(io.StringIO()):  # the chapter's own cells define what it uses
                exec(compile(_chapter_code(chapter), f"<{chapter}>", "exec"), namespace)
            plt.close("all")  # the chapter's figures are not needed to check an answer
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(PREAMBLE + code, f"<{chapter} self-check>", "exec"), namespace)
        printed = output.getvalue().splitlines()
        assert len(printed) == len(expected), f"{chapter}: {code!r} printed {printed}"
        for line, want in zip(printed, expected, strict=True):
            assert _same(line, want), f"{chapter}: the answer says {want}, the code prints {line}\n{code}"


def _chapter_code(chapter: str) -> str:
    """The chapter's code cells, without IPython magics, as one script."""
    nb = jupytext.read(ROOT / chapter)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    return "\n".join(line for cell in cells for line in cell.splitlines() if not line.startswith(("%", "!")))


def _needs_chapter(code: str) -> bool:
    """Whether the block uses a name it neither defines nor gets from the preamble."""
    tree = ast.parse(PREAMBLE + code)
    defined = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    defined |= {
        a.asname or a.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    defined |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return bool(used - defined - set(dir(__builtins__)))


def test_the_checks_catch_wrong_arithmetic_and_stale_answers():
    assert arithmetic_errors(r"so $2 \cdot 64 \cdot 512 \cdot 256 = 16{,}777{,}216$ FLOPs") == []
    assert arithmetic_errors(r"$3 \times 16{,}777{,}216 = 50{,}331{,}648$, $\frac{1}{3} \approx 0.33$") == []
    assert arithmetic_errors(r"$x = 2 \cdot 3 = 7$") == ["$x = 2 \\cdot 3 = 7$: 2 \\cdot 3 is 6, not 7"]
    assert arithmetic_errors(r"$989 / 3.35 \approx 250$")  # 295, not 250
    assert arithmetic_errors(r"$\eta = 0.1$ and $n = 3$") == []  # symbols are not arithmetic
    stale = ":::{solution} x\n:class: dropdown\n\n```python\nprint(2 * 3)  # 7\n```\n:::\n"
    ((code, expected),) = answer_blocks(stale)
    assert not _is_value("the two rows agree") and not _is_value("100 for w and b") and _is_value("10.16..., 12.5")
    assert expected == ["7"] and not _same("6", "7") and _same("50331648", "50,331,648")
    assert _same("10.162601626016265 12.500000000000007", "10.16..., 12.5") and not _same("10.2 12.5", "10.16..., 12.5")
    assert arithmetic_errors(r"$3.14 \times 10^{23} / 1.15 \times 10^{16} \approx 2.7 \times 10^{7}$") == []
    assert arithmetic_errors(r"$65{,}536 \times 2 \times 0.7 \times 10^9 = 9.18 \times 10^{13}$") == []
