"""Typed or piped lines as utterances.

Piped input is read only when the coach is waiting, so a script is deterministic: each line
arrives before any pending timer fires. Typed input (a terminal) is read by a thread, so the
holds keep running while the person types; a prompt shows when the coach is waiting, and
captions printed meanwhile take its place and then show it again.
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


class Prompt:
    """``> `` on a terminal while input is awaited; ``clear`` takes it off the line before
    something else is printed there."""

    def __init__(self, stream: TextIO, text: str = "> ") -> None:
        self.stream = stream
        self.text = text
        self.showing = False
        self._lock = threading.Lock()

    def show(self) -> None:
        with self._lock:
            if not self.showing:
                self.stream.write(self.text)
                self.stream.flush()
                self.showing = True

    def clear(self) -> None:
        with self._lock:
            if self.showing:
                self.stream.write("\r\033[K")  # back to the line's start, erase it
                self.showing = False

    def close(self) -> None:
        """At the end (or Ctrl-C): leave the terminal on a fresh line."""
        with self._lock:
            if self.showing:
                self.stream.write("\n")
                self.stream.flush()
                self.showing = False

    def answered(self) -> None:
        """Enter was pressed: the terminal is on a fresh line already."""
        with self._lock:
            self.showing = False


class _Fed(str):
    """A line given by ``TypedLines.feed``, not typed: the prompt is still on the line."""


class TypedLines:
    _TIMED_OUT = ""

    def __init__(self, stream: TextIO, prompt: Prompt | None = None) -> None:
        self._prompt = prompt
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream: TextIO) -> None:
        for line in stream:
            self._lines.put(line.rstrip("\r\n"))
        self._lines.put(END_OF_INPUT)

    def feed(self, line: str) -> None:
        """Take ``line`` as if typed (a button of the screen); safe from any thread."""
        self._lines.put(_Fed(line))

    def next_line(self, timeout: float | None) -> str | None:
        """The next line, END_OF_INPUT, or "" when ``timeout`` passed with nothing typed."""
        if self._prompt is not None:
            self._prompt.show()
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return self._TIMED_OUT
        if self._prompt is not None:
            if isinstance(line, _Fed):
                self._prompt.clear()
            else:
                self._prompt.answered()
        return None if line is None else str(line)
