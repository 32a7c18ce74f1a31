"""Scale-out: grading on a real Dask cluster on loopback gives the local backend's grades.csv, row for row."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import submissions
from tests.conftest import ROOT, run_cli
from tests.loopback_cluster import free_port, loopback_cluster

pytest.importorskip("distributed", reason="Dask is installed by requirements-test.txt (requirements-dask.txt)")
pytestmark = pytest.mark.slow


@pytest.fixture
def cluster():
    with loopback_cluster(workers=2) as running:
        yield running


def batch(folder: Path) -> Path:
    """Correct, wrong, blank, corrupt and hostile submissions; slow ones keep the workers busy."""
    slow = submissions.prepend_to_answer(submissions.solved(), "formal_neuron", "import time\ntime.sleep(6)")
    hostile = submissions.prepend_to_answer(
        submissions.solved(),
        "activations",
        "import numpy.testing\nnumpy.testing.assert_allclose = lambda *a, **k: None",
    )
    hostile = submissions.replace_in_answer(
        hostile, "activations", "np.maximum(np.asarray(xi, dtype=float), 0.0)", "np.abs(np.asarray(xi, dtype=float))"
    )
    for name, nb in [
        ("slow1", slow),
        ("slow2", slow),
        ("slow3", slow),
        ("alice", submissions.solved()),
        ("carol", submissions.wrong()),
        ("bob", submissions.release()),
        ("mallory", hostile),
    ]:
        submissions.save(nb, folder / f"{name}.ipynb")
    (folder / "dave.ipynb").write_text("{ not json", encoding="utf-8")
    return folder


def test_dask_backend_matches_the_local_pool_even_when_a_worker_dies(cluster, tmp_path):
    address, workers = cluster
    folder = batch(tmp_path / "subs")
    local = run_cli("grade", "a1_neurons", str(folder), "--out", str(tmp_path / "local"), "--workers", "2")
    assert local.returncode == 0, local.stderr[-2000:]

    out = tmp_path / "dask"
    grading = subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", "a1_neurons", str(folder), "--out", str(out)]
        + ["--scheduler", address],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while not list((out / "results").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)  # the first results are the instant ones (blank, corrupt); slow jobs are still running
    workers[0].send_signal(signal.SIGKILL)  # a worker dies mid-batch
    stdout, stderr = grading.communicate(timeout=600)
    assert grading.returncode == 0, stderr[-2000:]
    assert workers[0].wait(timeout=10) == -signal.SIGKILL

    local_csv = (tmp_path / "local" / "grades.csv").read_text(encoding="utf-8")
    dask_csv = (out / "grades.csv").read_text(encoding="utf-8")
    assert dask_csv == local_csv
    assert "slow1,a1_neurons,18" in dask_csv and "mallory,a1_neurons,14" in dask_csv


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path):
    folder = tmp_path / "subs"
    submissions.save(submissions.solved(), folder / "alice.ipynb")
    done = run_cli(
        "grade",
        "a1_neurons",
        str(folder),
        "--out",
        str(tmp_path / "out"),
        "--scheduler",
        f"tcp://127.0.0.1:{free_port()}",
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("autograder: error: cannot reach the Dask scheduler")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


# Run by every Python started with this folder on PYTHONPATH, after site-packages are set up: it undoes the
# editable install, so the worker is one whose environment lacks the autograder, as a worker that was never
# given the package is.
HIDE_AUTOGRADER = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in getattr(f, "__name__", type(f).__name__).lower()]
sys.path[:] = [p for p in sys.path if p.rstrip("/") != {root!r}]
"""


def test_workers_that_cannot_import_the_autograder_are_a_usage_error_before_grading(tmp_path):
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(HIDE_AUTOGRADER.format(root=str(ROOT)), encoding="utf-8")
    folder = tmp_path / "subs"
    submissions.save(submissions.solved(), folder / "alice.ipynb")
    out = tmp_path / "out"
    with loopback_cluster(workers=2, worker_env={"w2": {"PYTHONPATH": str(hide)}}) as (address, _):
        done = run_cli("grade", "a1_neurons", str(folder), "--out", str(out), "--scheduler", address)
    assert done.returncode == 2, done.stderr[-2000:]
    error = done.stderr.strip()
    assert len(error.splitlines()) == 1, error
    assert error.startswith("autograder: error: 1 of 2 Dask workers cannot import autograder (ModuleNotFoundError")
    assert " w2 (tcp://127.0.0.1:" in error and "w1" not in error
    assert "install the autograder in the workers' environment" in error
    assert not list(out.glob("results/*.json")) and not (out / "grades.csv").exists()  # nothing was graded


class FakeClient:
    """What check_workers asks of a distributed.Client, without a cluster."""

    def __init__(self, workers: dict[str, dict], answers: dict[str, object] | None = None):
        self.workers, self.answers = workers, answers or {}

    def wait_for_workers(self, n, timeout=None):
        if len(self.workers) < n:
            raise TimeoutError

    def run(self, function, on_error="raise"):
        return {a: self.answers.get(a, function()) for a in self.workers}

    def scheduler_info(self):
        return {"workers": self.workers}


def test_the_worker_check_refuses_no_workers_failing_workers_and_cuda_without_gpu_workers(monkeypatch):
    from autograder import backends
    from autograder.course import UsageError

    monkeypatch.setattr(backends, "WORKERS_TIMEOUT_S", 0)
    address = "tcp://10.0.0.1:8786"
    with pytest.raises(UsageError, match=r"^the Dask scheduler at tcp://10.0.0.1:8786 has no workers after 0 s"):
        backends.check_workers(FakeClient({}), address)

    workers = {"tcp://10.0.0.2:1": {"name": "gpu-a", "resources": {"GPU": 1}}, "tcp://10.0.0.3:1": {"name": 7}}
    backends.check_workers(FakeClient(workers), address, gpu=True)  # the probe itself passes here
    with pytest.raises(UsageError) as lost:
        backends.check_workers(FakeClient(workers, {"tcp://10.0.0.3:1": OSError("worker lost")}), address)
    assert str(lost.value).startswith("1 of 2 Dask workers cannot import autograder (OSError: worker lost): 7 (")
    assert "\n" not in str(lost.value)
    with pytest.raises(UsageError, match="no worker of the Dask scheduler at tcp://10.0.0.1:8786 has a GPU"):
        backends.check_workers(FakeClient({"tcp://10.0.0.3:1": {"name": "cpu"}}), address, gpu=True)
