"""Speech output behind a small interface: queue text, stop at once, wait until done."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Protocol, TextIO

logger = logging.getLogger(__name__)


class Speaker(Protocol):
    def say(self, text: str, rate: int) -> None:
        """Queue ``text`` after whatever is already queued."""

    def stop(self) -> None:
        """Cut off what is being said and drop the queue."""

    def wait(self) -> None:
        """Block until everything queued has been spoken (or stopped)."""

    def close(self) -> None: ...


class SilentSpeaker:
    """Speaks nothing; for --mute and scripted runs."""

    def say(self, text: str, rate: int) -> None:
        pass

    def stop(self) -> None:
        pass

    def wait(self) -> None:
        pass

    def close(self) -> None:
        pass


class CaptionPrinter:
    """Prints every spoken line on its own line (the captions)."""

    def __init__(
        self, stream: TextIO | None = None, before: Callable[[], None] | None = None
    ) -> None:
        self.stream = stream or sys.stdout
        self.before = before  # e.g. take a typing prompt off the line first

    def show(self, text: str) -> None:
        if self.before is not None:
            self.before()
        # One write, so that Ctrl-C never leaves half a line (print writes the end apart).
        self.stream.write(text + "\n")
        self.stream.flush()
