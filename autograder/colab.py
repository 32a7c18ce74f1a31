"""What a fresh Google Colab runtime already has: the one list the chapters and student notebooks rely on.

Colab opens a notebook straight from GitHub, without this repository, so a notebook that imports a
package the runtime lacks must install it first, in Colab only, with the version `requirements.txt`
pins. `tests/test_colab.py` reads every chapter and every release notebook and fails on an import that
is neither in the standard library, nor in `PREINSTALLED`, nor installed by an earlier guarded cell.

The pattern for such an install, used by the chapters and assignments that need CodeCarbon:

    IN_COLAB = "google.colab" in sys.modules
    if IN_COLAB:
        %pip install -q codecarbon==3.3.2
        ...restart the session if pip upgraded a module that was already imported...
    elif importlib.util.find_spec("codecarbon") is None:
        raise SystemExit("... pip install codecarbon==3.3.2 ...")

Keep `PREINSTALLED` conservative: list a module only if the standard Colab runtime ships it (check
with `!pip list` in a fresh runtime). A module wrongly listed here fails a reader in Colab; a module
missing here only costs an install that does nothing.
"""

from __future__ import annotations

import sys

PREINSTALLED = frozenset(
    {
        # numerical Python and plotting
        "numpy",
        "scipy",
        "pandas",
        "matplotlib",
        "cycler",  # a dependency of matplotlib
        "seaborn",
        "sympy",
        "networkx",
        # machine learning
        "sklearn",
        "joblib",  # a dependency of scikit-learn
        "threadpoolctl",  # a dependency of scikit-learn
        "torch",
        "torchvision",
        "torchaudio",
        "tensorflow",
        "keras",
        "jax",
        # the notebook itself
        "IPython",
        "ipykernel",
        "ipywidgets",
        "google",  # google.colab exists only inside Colab
        # small utilities
        "PIL",
        "tqdm",
        "requests",
        "psutil",
        "packaging",
        "yaml",
    }
)


def in_colab_runtime(module: str) -> bool:
    """Whether `import MODULE` works in a fresh Colab runtime without an install."""
    top = module.split(".", 1)[0]
    return top in sys.stdlib_module_names or top in PREINSTALLED
