"""Resolve --device into the COURSE_DEVICE value that exercise code reads."""

from __future__ import annotations

import glob
import re

from autograder.course import UsageError

# Signs of a CUDA device: the NVIDIA driver lists each GPU under /proc even before its /dev node exists
# (nvidia-modprobe may create that on first use); WSL exposes GPUs as /dev/dxg, ROCm as /dev/kfd.
GPU_SIGNS = ("/proc/driver/nvidia/gpus/*", "/dev/nvidia[0-9]*", "/dev/dxg", "/dev/kfd")


def gpu_signs() -> list[str]:
    return sorted(path for pattern in GPU_SIGNS for path in glob.glob(pattern))


def cuda_device_count() -> int:
    """How many CUDA devices torch sees here (0 without torch or CUDA).

    Without any sign of a GPU there is nothing for torch to find, so it is not imported: that import
    alone costs about a second of the grader's start.
    """
    if not gpu_signs():
        return 0
    try:
        import torch
    except ImportError:
        return 0
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def resolve_device(requested: str) -> str:
    """Map auto|cpu|cuda|cuda:N to a concrete device, failing early if CUDA is missing."""
    if requested == "cpu":
        return "cpu"
    count = cuda_device_count()
    if requested == "auto":
        return "cuda" if count else "cpu"
    match = re.fullmatch(r"cuda(?::(\d+))?", requested)
    if not match:
        raise UsageError(f"unknown device {requested!r}; use auto, cpu, cuda or cuda:N")
    if count == 0:
        raise UsageError(f"--device {requested} asked for CUDA, but no CUDA device is available here")
    if match.group(1) is not None and int(match.group(1)) >= count:
        raise UsageError(f"--device {requested}: only {count} CUDA device(s) are available")
    return requested
