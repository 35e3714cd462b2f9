"""The clock behind the small interface the session loop needs: the real, monotonic one;
recordings and tests bring their own (``SampleClock``, the fakes). Bottom floor: the shell,
the echo canceller and the benchmarks all take one."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep_until(self, deadline: float) -> None: ...


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep_until(self, deadline: float) -> None:
        delay = deadline - time.monotonic()
        if delay > 0:
            time.sleep(delay)
