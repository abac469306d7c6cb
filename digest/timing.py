"""Seconds spent per named stage of a build, and the memory peak each stage ended with, for
the closing line and the build report."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

try:
    import resource
except ImportError:  # Windows has no resource module: no peaks there
    resource = None  # type: ignore[assignment]


def peak_mb() -> int:
    """This process's peak resident memory so far, in MB (0 where it cannot be read)."""
    if resource is None:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))  # bytes on macOS


@dataclass
class StageTimes:
    """Wall-clock seconds per stage (a stage timed twice adds up), and the process's peak
    memory in MB as each stage ended."""

    seconds: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, int] = field(default_factory=dict)

    def timed(self, stage: str) -> _Timer:
        """A ``with`` block whose time is added to ``stage``."""
        return _Timer(self, stage)


class _Timer:
    def __init__(self, times: StageTimes, stage: str) -> None:
        self.times, self.stage = times, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        spent = time.perf_counter() - self.start
        self.times.seconds[self.stage] = self.times.seconds.get(self.stage, 0.0) + spent
        self.times.peak_mb[self.stage] = peak_mb()
