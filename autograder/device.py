"""Resolve --device into the COURSE_DEVICE value that exercise code reads."""

from __future__ import annotations

import glob
import re

from autograder.course import UsageError

# A CUDA device shows up as these nodes (/dev/dxg under WSL); the sandbox passes /dev/nvidia* through.
GPU_NODE_PATTERNS = ("/dev/nvidia[0-9]*", "/dev/dxg")


def gpu_nodes() -> list[str]:
    return sorted(node for pattern in GPU_NODE_PATTERNS for node in glob.glob(pattern))


def cuda_device_count() -> int:
    """How many CUDA devices torch sees here (0 without torch or CUDA).

    Without a GPU device node there is nothing for torch to find, so it is not imported: that import
    alone costs about a second of the grader's start.
    """
    if not gpu_nodes():
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
