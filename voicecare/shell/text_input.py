"""Typed or piped lines as utterances.

Piped input is read only when the coach is waiting, so a script is deterministic: each line
arrives before any pending timer fires. Typed input (a terminal) is read by a thread, so the
holds keep running while the person types.
"""

from __future__ import annotations

import queue
import threading
from typing import TextIO

END_OF_INPUT = None


class PipedLines:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def next_line(self, timeout: float | None) -> str | None:
        """The next line, or END_OF_INPUT; ``timeout`` is ignored (scripts never wait)."""
        line = self.stream.readline()
        return line.rstrip("\r\n") if line else END_OF_INPUT


class TypedLines:
    _TIMED_OUT = ""

    def __init__(self, stream: TextIO) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream: TextIO) -> None:
        for line in stream:
            self._lines.put(line.rstrip("\r\n"))
        self._lines.put(END_OF_INPUT)

    def next_line(self, timeout: float | None) -> str | None:
        """The next line, END_OF_INPUT, or "" when ``timeout`` passed with nothing typed."""
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            return self._TIMED_OUT
