"""Instrument an nbgrader test cell's plain asserts, so the grader compares their values itself.

nbgrader gives a test cell its points when it raises nothing, which a student's kernel can arrange
(an exception handler, an AST transformer, a patched np.allclose). Here each recognised assert is
rewritten, on the same lines, into a call that records the values it compares and then asserts as
before; the grader repeats the comparison on the recorded values in its own process. The forms:

- `assert a == b` and every other comparison, chains included;
- `assert f(a, b, ...)` and `assert all(f(...))` / `np.all(f(...))` for f in allclose, isclose,
  array_equal, array_equiv (numpy or torch) and math.isclose;
- `numpy.testing.assert_*(a, b, ...)` statements.

A cell with anything else that decides its outcome (another kind of assert, try/except, raise) is
left exactly as written and graded as nbgrader grades it: its basis is "kernel", not "recorded".
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from autograder.assert_recorder import __file__ as _recorder_path

CALLS = {"allclose", "isclose", "array_equal", "array_equiv", "math.isclose"}
TESTING = {
    "assert_allclose",
    "assert_array_equal",
    "assert_equal",
    "assert_almost_equal",
    "assert_array_almost_equal",
    "assert_array_less",
}
OPS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}


def recorder_source() -> str:
    """The cell that defines the recording functions, as the autograder inserts it."""
    with open(_recorder_path, encoding="utf-8") as f:
        return f.read()


@dataclass
class Instrumented:
    source: str
    basis: str  # "recorded": every assert is compared by the grader; "kernel": graded as nbgrader does
    reason: str = ""  # why a cell stays on the kernel basis, for `validate`


def calls_check(source: str) -> bool:
    """Whether a test cell records its own values with the course's check()."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "check" for n in ast.walk(tree)
    )


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        if func.attr == "isclose" and isinstance(func.value, ast.Name) and func.value.id == "math":
            return "math.isclose"
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _simple_call(call: ast.Call) -> bool:
    """Positional and keyword arguments only (no *args or **kwargs), so each can be recorded."""
    return not any(isinstance(a, ast.Starred) for a in call.args) and all(k.arg for k in call.keywords)


class _Rewriter:
    def __init__(self, source: str, hidden_lines: list[int]):
        self.source, self.hidden = source, set(hidden_lines)
        self.data = source.encode("utf-8")
        self.starts = [0]
        for line in self.data.split(b"\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.edits: list[tuple[int, int, str]] = []
        self.count = 0

    def text(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or ""

    def key(self, node: ast.stmt) -> str:
        self.count += 1
        if self.hidden & set(range(node.lineno, node.end_lineno + 1)):
            return f"hidden assert {self.count}"  # the statement itself would reveal the hidden input
        first = self.text(node).splitlines()[0].strip()
        return f"line {node.lineno}: {first[:70]}"

    def args(self, call: ast.Call) -> tuple[str, str]:
        positional = "".join(f"({self.text(a)}), " for a in call.args)
        keywords = ", ".join(f"{k.arg}=({self.text(k.value)})" for k in call.keywords)
        return f"({positional})", f"dict({keywords})"

    def replace(self, node: ast.stmt, code: str) -> None:
        start = self.starts[node.lineno - 1] + node.col_offset
        end = self.starts[node.end_lineno - 1] + node.end_col_offset
        padding = "\n" * (node.end_lineno - node.lineno - code.count("\n"))  # same lines: tracebacks stay true
        self.edits.append((start, end, f"{code[:-1]}{padding})"))

    def assertion(self, node: ast.Assert) -> bool:
        message = f", lambda: ({self.text(node.msg)})" if node.msg is not None else ""
        test = node.test
        if isinstance(test, ast.Compare) and all(type(op) in OPS for op in test.ops):
            ops = tuple(OPS[type(op)] for op in test.ops)
            operands = "".join(f"({self.text(x)}), " for x in [test.left, *test.comparators])
            self.replace(node, f"_n2n_compare({self.key(node)!r}, {ops!r}, ({operands}){message})")
            return True
        reduce = None
        if isinstance(test, ast.Call) and _name(test.func) == "all" and len(test.args) == 1 and not test.keywords:
            reduce, test = "all", test.args[0]
        if isinstance(test, ast.Call) and _name(test.func) in CALLS and _simple_call(test):
            args, kwargs = self.args(test)
            name = _name(test.func)
            self.replace(
                node,
                f"_n2n_call({self.key(node)!r}, {name!r}, ({self.text(test.func)}), {args}, {kwargs}"
                f"{message or ', None'}, {reduce!r})",
            )
            return True
        return False

    def testing_call(self, node: ast.Expr) -> bool:
        call = node.value
        if not (isinstance(call, ast.Call) and _name(call.func) in TESTING and _simple_call(call)):
            return False
        args, kwargs = self.args(call)
        name = _name(call.func)
        self.replace(node, f"_n2n_testing({self.key(node)!r}, {name!r}, ({self.text(call.func)}), {args}, {kwargs})")
        return True

    def result(self) -> str:
        data = self.data
        for start, end, code in sorted(self.edits, reverse=True):
            data = data[:start] + code.encode("utf-8") + data[end:]
        return data.decode("utf-8")


def instrument(source: str, hidden_lines: list[int] = ()) -> Instrumented:
    """SOURCE with its asserts recorded, or unchanged with the reason it must run on the kernel basis."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return Instrumented(source, "kernel", "not plain Python (magics?)")
    rewriter = _Rewriter(source, list(hidden_lines))
    for node in ast.walk(tree):
        if isinstance(node, ast.Try | ast.TryStar | ast.Raise):
            return Instrumented(source, "kernel", "try/except or raise decides the outcome")
        if isinstance(node, ast.Assert) and not rewriter.assertion(node):
            return Instrumented(source, "kernel", f"line {node.lineno}: an assert of a form the grader cannot repeat")
        if isinstance(node, ast.Expr):
            rewriter.testing_call(node)
    if not rewriter.edits:
        return Instrumented(source, "kernel", "no assert to record")
    return Instrumented(rewriter.result(), "recorded")
