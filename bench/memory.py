"""Peak resident memory of the benchmark's own process and of the broker and store."""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path


def own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def pids_of(pattern: str, *, oldest: bool = False) -> list[str]:
    """Processes whose command line matches `pattern` (pgrep -f), or only the oldest."""
    command = ["pgrep", "-o", "-f", pattern] if oldest else ["pgrep", "-f", pattern]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout.split()


def peak_mb_of(pattern: str) -> float | None:
    """VmHWM of the oldest process whose command line matches `pattern`."""
    found = pids_of(pattern, oldest=True)
    if not found:
        return None
    status = Path(f"/proc/{found[0]}/status").read_text()
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return None if line is None else int(line.split()[1]) / 1024
