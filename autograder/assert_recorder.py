# Inserted by the autograder: records the values that the instructor's plain asserts compare, so the
# grader can compare them again in its own process. Self-contained: it runs inside the student's kernel.
import math as _n2n_math
import operator as _n2n_operator
import sys as _n2n_sys

from IPython.display import display as _n2n_display

_N2N_MIME = "application/vnd.neurons-to-npus.check+json"
_N2N_OPS = {
    "==": _n2n_operator.eq,
    "!=": _n2n_operator.ne,
    "<": _n2n_operator.lt,
    "<=": _n2n_operator.le,
    ">": _n2n_operator.gt,
    ">=": _n2n_operator.ge,
    "is": _n2n_operator.is_,
    "is not": _n2n_operator.is_not,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
}
_N2N_SEEN = {}


def _n2n_plain(value):
    """JSON-safe data that keeps what equality depends on; anything else is marked unrecordable."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor
        value = value.detach().cpu().numpy()
    numpy = _n2n_sys.modules.get("numpy")
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):  # subclasses as plain arrays
        array = numpy.asarray(value)
        if array.dtype.kind not in "biuf":
            return {"__unrecordable__": f"array of {array.dtype}"}
        flat = [_n2n_number(x) for x in array.reshape(-1).tolist()]
        return {"__array__": flat, "dtype": str(array.dtype), "shape": list(array.shape)}
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return _n2n_number(value)
    if type(value) is list:
        return [_n2n_plain(v) for v in value]
    if type(value) is tuple:
        return {"__tuple__": [_n2n_plain(v) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"__dict__": {k: _n2n_plain(v) for k, v in value.items()}}
    return {"__unrecordable__": type(value).__name__}


def _n2n_safe(value):
    try:
        return _n2n_plain(value)
    except Exception:  # recording must never fail a student's test
        return {"__unrecordable__": type(value).__name__}


def _n2n_number(x):
    return str(x) if isinstance(x, float) and not _n2n_math.isfinite(x) else x


def _n2n_record(key, operands, options):
    count = _N2N_SEEN[key] = _N2N_SEEN.get(key, 0) + 1
    record = {
        "key": key if count == 1 else f"{key} (run {count})",
        "value": [_n2n_safe(v) for v in operands],
        "options": {"compare": "assert", **options},
    }
    _n2n_display({_N2N_MIME: record, "text/plain": ""}, raw=True)


def _n2n_compare(key, ops, operands, message=None):
    """`assert a OP b [OP c ...]`: record the operands, then assert exactly as Python would."""
    _n2n_record(key, operands, {"form": "compare", "ops": list(ops)})
    for op, left, right in zip(ops, operands, operands[1:], strict=False):
        if not _N2N_OPS[op](left, right):
            raise AssertionError(message()) if message else AssertionError
    return None


def _n2n_call(key, name, function, args, kwargs, message=None, reduce=None):
    """`assert f(a, b, ...)` for a known comparison f (np.allclose, math.isclose, ...): record, then assert."""
    _n2n_record(key, list(args), {"form": "call", "name": name, "kwargs": _n2n_safe(dict(kwargs)), "reduce": reduce})
    result = function(*args, **kwargs)
    if reduce == "all":
        result = all(result) if not hasattr(result, "all") else result.all()
    if not result:
        raise AssertionError(message()) if message else AssertionError
    return None


def _n2n_testing(key, name, function, args, kwargs):
    """numpy.testing.assert_*(a, b, ...): record, then call it, so its own message reaches the student."""
    _n2n_record(key, list(args), {"form": "testing", "name": name, "kwargs": _n2n_safe(dict(kwargs))})
    function(*args, **kwargs)
    return None
