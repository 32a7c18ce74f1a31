"""Benchmark: how long the book takes to build from scratch, to rebuild unchanged, and after one edit,
and the energy and emissions of the full build as codecarbon reports them.

Not a test: it prints figures measured in one run on this machine, each with its ratio to the full
build measured in the same run. It works on a scratch copy of the working tree, so the repository's
own _build is left alone. Usage: .venv/bin/python benchmarks/book_build.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
SKIP = {".git", ".venv", "_build", ".cache", ".pytest_cache"}


def build(tree: Path) -> tuple[float, int]:
    """Seconds for one `jupyter-book build` as `make book` runs it, and how many notebooks it executed."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(JUPYTER_BOOK), "build", ".", "--warningiserror", "--keep-going"], cwd=tree, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return seconds, len(re.findall(r"Executed notebook", done.stdout + done.stderr))


COUNTRY = "USA"  # the grid the energy is charged to, as in the chapter "From joules to CO2"
MEASURED_CPU_MODES = {"intel_rapl", "windows_emi", "intel_power_gadget", "apple_powermetrics"}


def measured_build(tree: Path) -> tuple[float, int, str]:
    """A full build under codecarbon's offline tracker, in machine mode: the kernels are child processes."""
    from codecarbon import OfflineEmissionsTracker

    tracker = OfflineEmissionsTracker(
        country_iso_code=COUNTRY, region=None, cloud_provider=None, cloud_region=None,
        project_name="book_build", measure_power_secs=1, api_call_interval=-1, tracking_mode="machine",
        save_to_file=False, save_to_api=False, save_to_logger=False, save_to_prometheus=False,
        save_to_logfire=False, log_level="error", pue=1.0, force_cpu_power=None, force_ram_power=None,
        force_mode_cpu_load=False, force_carbon_intensity_g_co2e_kwh=None, allow_multiple_runs=True,
        gpu_ids=None, rapl_include_dram=False, rapl_prefer_psys=False, electricitymaps_api_token=None,
    )  # fmt: skip
    tracker.start()
    try:
        seconds, runs = build(tree)
    finally:
        kg = tracker.stop()
    data = tracker.final_emissions_data
    if not isinstance(kg, float) or data is None:
        return seconds, runs, f"codecarbon returned {kg!r}: no energy figure"
    # codecarbon 3.3 keeps the power source of each component private; name the CPU's to label the figure.
    cpu_mode = next((hw._mode for hw in tracker._hardware if type(hw).__name__ == "CPU"), "none")
    basis = "MEASURED (RAPL)" if cpu_mode in MEASURED_CPU_MODES else f"ESTIMATE ({cpu_mode} model, RAM model)"
    return (
        seconds,
        runs,
        (
            f"{data.energy_consumed:.5f} kWh, {1000 * kg:.2f} g CO2e on the {data.country_iso_code} grid "
            f"({1000 * kg / data.energy_consumed:.0f} g/kWh); {basis}; codecarbon OfflineEmissionsTracker, machine mode"
        ),
    )


def edit_one_chapter(tree: Path) -> str:
    """Change one code cell of the first chapter, as an author fixing a line would."""
    chapter = sorted((tree / "book" / "foundations").glob("*.ipynb"))[0]
    nb = nbformat.read(chapter, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source += "\n# edited"
    nbformat.write(nb, chapter)
    return chapter.stem


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "book"
        shutil.copytree(ROOT, tree, ignore=lambda d, names: [n for n in names if n in SKIP])
        full, full_runs, energy = measured_build(tree)
        cached, cached_runs = build(tree)
        edited = edit_one_chapter(tree)
        one, one_runs = build(tree)
    print(f"full build           {full:6.1f} s  {full_runs} notebooks executed   1.00")
    print(f"rebuild, no change   {cached:6.1f} s  {cached_runs} notebooks executed   {cached / full:.2f} of full")
    print(f"rebuild, {edited} edited {one:6.1f} s  {one_runs} notebook executed    {one / full:.2f} of full")
    print(f"energy of the full build: {energy}")


if __name__ == "__main__":
    main()
