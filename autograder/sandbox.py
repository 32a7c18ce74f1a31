"""Wrap a command in a bubblewrap sandbox: no network, a read-only system, only the work folder writable.

The sandbox is an allowlist: it mounts the system folders, the Python installation and the grader's
executor script, read-only, and nothing else. The repository (solutions, hidden tests), the output
folder, the submissions and every other student's files are simply not there.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

INSIDE_WORKDIR = "/tmp/submission"
INSIDE_EXECUTOR = "/opt/grader/kernel_run.py"
SYSTEM_DIRS = ("/usr", "/etc", "/opt/conda")  # read-only; missing ones are skipped
MERGED_USR_LINKS = ("/bin", "/lib", "/lib64", "/sbin")
SANDBOX_UID = 65534  # nobody, inside the sandbox's own user namespace


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def _python_roots() -> list[str]:
    """Folders the interpreter needs: the venv and the installation it was made from."""
    roots = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    roots |= {sys.prefix, sys.base_prefix}  # the symlinked paths too, as scripts name them
    return sorted(roots)


def _system_mounts() -> list[str]:
    args: list[str] = []
    for folder in SYSTEM_DIRS:
        if os.path.isdir(folder):
            args += ["--ro-bind", folder, folder]
    for link in MERGED_USR_LINKS:
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            args += ["--ro-bind", link, link]
    return args


def _gpu_devices() -> list[str]:
    """Pass NVIDIA device nodes through, so --device cuda works inside."""
    args: list[str] = []
    for node in sorted(glob.glob("/dev/nvidia*")):
        args += ["--dev-bind", node, node]
    return args


def bwrap_command(command: list[str], workdir: Path, env: dict[str, str]) -> list[str]:
    """COMMAND (which must refer to INSIDE_* paths) wrapped for bwrap, with WORKDIR writable."""
    args = [bwrap_path() or "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    args += ["--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    # /tmp first: a later mount over it (a venv in a clone under /tmp, say) must stay visible.
    args += ["--tmpfs", "/tmp", "--bind", str(workdir), INSIDE_WORKDIR, "--chdir", INSIDE_WORKDIR]
    args += _system_mounts()
    for root in _python_roots():
        args += ["--ro-bind", root, root]
    args += ["--proc", "/proc", "--dev", "/dev", "--ro-bind", "/sys", "/sys"] + _gpu_devices()
    args += ["--ro-bind", str(Path(__file__).with_name("kernel_run.py")), INSIDE_EXECUTOR]
    args += ["--clearenv"]
    for key, value in sorted(env.items()):
        args += ["--setenv", key, value]
    return args + ["--"] + command


@functools.cache
def sandbox_works() -> bool:
    """True when bwrap exists and can start a sandboxed Python here (it needs user namespaces)."""
    if not bwrap_path():
        return False
    probe = bwrap_command([sys.executable, "-c", "pass"], Path("/tmp"), {"PATH": "/usr/bin:/bin"})
    try:
        return subprocess.run(probe, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
