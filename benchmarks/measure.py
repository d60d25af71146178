"""Clocks and memory readings shared by every benchmark.

Wall time (``perf_counter``) is what a user waits; CPU time (``process_time``) is
what the process itself spent, which other processes on a busy machine do not
inflate. Both are kept for every figure; ``cpu/wall`` well below 1.0 for a
single-threaded phase means the machine was busy with something else.

Memory is read from ``/proc/self/status`` (Linux): ``VmRSS`` now and ``VmHWM``,
the peak, which ``reset_peak_rss`` sets back to the current value so a phase's
own peak can be read. Elsewhere ``resource.getrusage`` gives the process peak.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

_STATUS = "/proc/self/status"


@dataclass(slots=True)
class Clock:
    """Accumulated wall and CPU seconds of one kind of work."""

    wall: float = 0.0
    cpu: float = 0.0
    calls: int = 0

    @contextmanager
    def running(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu
            self.calls += 1

    def add(self, other: Clock) -> None:
        self.wall += other.wall
        self.cpu += other.cpu
        self.calls += other.calls


@dataclass(slots=True)
class Load:
    """Load averages seen while a phase ran (1-minute average, at start and end)."""

    samples: list[float] = field(default_factory=list)

    def sample(self) -> None:
        if hasattr(os, "getloadavg"):
            self.samples.append(round(os.getloadavg()[0], 2))

    @property
    def mean(self) -> float | None:
        return round(sum(self.samples) / len(self.samples), 2) if self.samples else None


def _status_kb(field_name: str) -> float | None:
    try:
        with open(_STATUS, encoding="ascii") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def rss_mb() -> float:
    """Resident set size now, in MiB."""
    kb = _status_kb("VmRSS")
    if kb is not None:
        return round(kb / 1024, 1)
    return peak_rss_mb()  # no /proc: the peak is the best figure there is


def peak_rss_mb() -> float:
    """Peak resident set size of this process (since the last reset), in MiB."""
    kb = _status_kb("VmHWM")
    if kb is not None:
        return round(kb / 1024, 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def reset_peak_rss() -> bool:
    """Set the peak RSS back to the current RSS (Linux ≥ 4.0); False where unsupported."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def per_second(amount: float, seconds: float) -> float | None:
    return round(amount / seconds, 1) if seconds > 0 else None
