"""Where the time of one unit of work goes, by phase (fetch, extract, db), for job log
lines and the intake benchmark. Off unless a caller opens a ``Phases`` with ``measure``:
then ``phase(name)`` anywhere below adds to it (a context variable, so threads and
concurrent jobs keep their own)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Phases:
    """Milliseconds spent in each phase."""

    ms: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, ms: float) -> None:
        self.ms[name] = self.ms.get(name, 0.0) + ms


_current: ContextVar[Phases | None] = ContextVar("factcheck_phases", default=None)


@contextmanager
def measure(phases: Phases) -> Iterator[Phases]:
    token = _current.set(phases)
    try:
        yield phases
    finally:
        _current.reset(token)


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Time the block into the current Phases, if any (nearly free when there is none)."""
    phases = _current.get()
    if phases is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        phases.add(name, (time.perf_counter() - started) * 1000)
