# Course helper: check() records a value for the autograder; submit_check() looks over the notebook
# before you hand it in. Do not edit this cell: the autograder replaces it with its own copy.
import json as _json
import math as _math
import os as _os

import numpy as _np
from IPython.display import display as _display

_CHECK_MIME = "application/vnd.neurons-to-npus.check+json"


def _plain(value):
    """Numbers, strings, lists, dicts, arrays and tensors as JSON-safe data."""
    if hasattr(value, "detach"):  # a torch tensor, on whatever device
        value = value.detach().cpu().numpy()
    if isinstance(value, (_np.ndarray, _np.generic)):
        array = _np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"check() cannot record an array of dtype {array.dtype}")
        flat = [_number(x) for x in array.reshape(-1).tolist()]
        return {"__array__": flat, "dtype": str(array.dtype), "shape": list(array.shape)}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _plain(v) for k, v in value.items()}
    raise TypeError(f"check() cannot record a value of type {type(value).__name__}")


def _number(x):
    """JSON has no NaN or infinity, so those travel as strings."""
    if isinstance(x, float) and not _math.isfinite(x):
        return str(x)
    return x


_RECORDING = [True]  # submit_check() re-runs the tests without recording anything twice


def check(key, value, **options):
    """Record VALUE under KEY; the grader compares it with the instructor's value."""
    if not _RECORDING[0]:
        return
    record = {"key": str(key), "value": _plain(value), "options": _plain(options)}
    _display({_CHECK_MIME: record, "text/plain": ""}, raw=True)


def _this_notebook(namespace):
    """The notebook's saved JSON (Colab, Jupyter or VS Code), or None where it cannot be read."""
    try:
        from google.colab import _message  # Colab hands the live notebook over

        return _message.blocking_request("get_ipynb", timeout_sec=30)["ipynb"]
    except Exception:
        pass
    for path in (_os.environ.get("JPY_SESSION_NAME"), namespace.get("__vsc_ipynb_file__")):
        if path and str(path).endswith(".ipynb") and _os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                return _json.load(f)
    return None


def _first_line(error):
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def submit_check(graded_ids, notebook=None, namespace=None):
    """Re-run the visible tests, list unfinished parts, and flag missing or duplicated graded cells."""
    if namespace is None:
        namespace = get_ipython().user_ns  # noqa: F821 -- defined inside every IPython kernel
    notebook = notebook or _this_notebook(namespace)
    print("Check before you submit")
    if notebook is None:
        print("  Could not read this notebook's saved copy. Save it, then run this cell again,")
        print("  or use Restart and run all and look for errors above.")
        return None
    ids = [(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id") for c in notebook["cells"]]
    missing = [g for g in graded_ids if g not in ids]
    duplicated = sorted({g for g in graded_ids if ids.count(g) > 1})
    results = {}
    _RECORDING[0] = False
    try:
        for cell in notebook["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader") or {}
            if not meta.get("grade") or cell.get("cell_type") != "code" or meta.get("grade_id") in results:
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            try:
                exec(compile(source, f"<{meta['grade_id']}>", "exec"), namespace)
                results[meta["grade_id"]] = ("ok", "passes the visible tests")
            except NotImplementedError:
                results[meta["grade_id"]] = ("todo", "not answered yet (NotImplementedError)")
            except Exception as error:
                blocked = isinstance(error, NameError) and any(s != "ok" for s, _ in results.values())
                message = "needs a name an earlier unfinished part defines" if blocked else _first_line(error)
                results[meta["grade_id"]] = ("todo" if blocked else "fail", message)
    finally:
        _RECORDING[0] = True
    marks = {"ok": "[ok]  ", "todo": "[todo]", "fail": "[fail]"}
    for grade_id, (state, message) in results.items():
        print(f"  {marks[state]} {grade_id}: {message}")
    if missing:
        print(f"  [warn] graded cells missing: {', '.join(missing)}. Copy them back from a fresh release copy.")
    if duplicated:
        print(f"  [warn] graded cells duplicated: {', '.join(duplicated)}. Keep one of each; delete the copies.")
    done = all(state == "ok" for state, _ in results.values()) and not missing and not duplicated
    print("  Every visible test passes." if done else "  Fix the items above, then run this cell again.")
    print("  Hidden tests grade other inputs too. To submit: File > Download > Download .ipynb,")
    print("  then upload that file as it is; renaming is fine, editing the JSON by hand is not.")
    return results
