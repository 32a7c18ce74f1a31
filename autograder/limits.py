"""Resource limits for one submission: memory, processes, file size, CPU time.

Process and memory limits use a cgroup when the grader may create one (cgroup v2, or the v1 `pids`
and `memory` controllers); rlimits cover file size, core dumps and CPU time everywhere. A cgroup also
lets the grader kill every process the submission left behind, however it daemonised.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class Limits:
    cell_timeout: float = 60.0
    notebook_timeout: float = 900.0
    memory_bytes: int = 4 * 2**30
    max_processes: int = 256
    max_file_bytes: int = 256 * 2**20
    cpu_seconds: int = 3600


def _own_cgroup(controller: str) -> Path | None:
    """Where this process sits in a cgroup v1 hierarchy (e.g. pids), if it is mounted."""
    base = CGROUP_ROOT / controller
    if not base.is_dir():
        return None
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return base / path.lstrip("/")
    return None


class Confinement:
    """A cgroup (where allowed) plus rlimits; use `preexec` in Popen and `close()` afterwards."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.groups: dict[str, Path] = {}  # controller → the submission's cgroup
        name = f"n2n-{uuid.uuid4().hex[:12]}"
        for controller, settings in (
            ("pids", {"pids.max": str(limits.max_processes)}),
            ("memory", {"memory.limit_in_bytes": str(limits.memory_bytes), "memory.memsw.limit_in_bytes": None}),
        ):
            parent = _own_cgroup(controller)
            if parent is None:
                continue
            group = parent / name
            try:
                group.mkdir()
                for key, value in settings.items():
                    if value is not None:
                        (group / key).write_text(value)
                self.groups[controller] = group
            except OSError:
                with contextlib.suppress(OSError):
                    group.rmdir()

    def preexec(self) -> None:
        """Runs in the child before exec: join the cgroups, set the rlimits."""
        for group in self.groups.values():
            (group / "cgroup.procs").write_text(str(os.getpid()))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limits.max_file_bytes, self.limits.max_file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (self.limits.cpu_seconds, self.limits.cpu_seconds))

    def out_of_memory(self) -> bool:
        """Whether the memory cgroup had to kill or refuse something."""
        group = self.groups.get("memory")
        with contextlib.suppress(OSError, ValueError):
            return group is not None and int((group / "memory.failcnt").read_text()) > 0
        return False

    def close(self) -> None:
        """Kill whatever is left in the cgroups and remove them."""
        for group in self.groups.values():
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
                except OSError:
                    break
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)
                time.sleep(0.05)
            with contextlib.suppress(OSError):
                group.rmdir()
