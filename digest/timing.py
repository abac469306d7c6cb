"""Seconds spent per named stage of a build, for the closing line and the build report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class StageTimes:
    """Wall-clock seconds per stage; a stage timed twice adds up."""

    seconds: dict[str, float] = field(default_factory=dict)

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
